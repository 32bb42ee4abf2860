"""Run-wide deduplication over the staged batches and the cross-run index, as DuckDB joins.

No step holds all documents in Python: DuckDB reads the staged Parquet, buckets the
MinHash band keys with a join, and only candidate pairs (and their signatures) come back
to Python for verification and clustering (union-find).

Decisions are keyed by ``input_ref`` (where a record came from, unique per record).
Documents published by earlier runs (the index) take part in clustering but are never
re-decided: a cluster that holds one has it as canonical.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cleaners.signatures import BANDS, SENTENCE_BANDS, band_keys_rows
from flows.writers import atomic_path

if TYPE_CHECKING:
    import duckdb

PART_ROWS = 5_000  # default documents per output part file (config part_rows; contiguous doc_id ranges)
# An LSH bucket with more members than this is linked as a star (each member with the
# bucket's first) instead of all pairs: thousands of near-identical boilerplate texts
# would otherwise make the candidate join quadratic.
BUCKET_CAP = 64
NEAR_SENTENCE_THRESHOLD = 0.45  # chosen on evals/sentences (tune): F1 0.815, against 0.797 at 0.5
SID_SHIFT = 24  # sentence ids: document rank << 24 | position


def connect(threads: int | None = None, memory_limit: str = "600MB", spill_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with bounded threads (default: one per core) and memory; beyond
    ``memory_limit`` it spills to ``spill_dir`` (the run's staging folder) rather than to
    the working directory.  SQL on it can call ``document_band_keys(signature)`` and
    ``sentence_band_keys(signature)`` (``band_keys_of``)."""
    import duckdb  # here, not at the top: the flow's process imports this module but, with workers, never connects (28 MB)
    import duckdb.sqltypes

    con = duckdb.connect()
    con.execute(f"SET threads={int(threads or os.cpu_count() or 1)}; SET memory_limit='{memory_limit}'; SET preserve_insertion_order=false")
    if spill_dir:
        con.execute(f"SET temp_directory='{spill_dir}'")
    for fn in (document_band_keys, sentence_band_keys):
        con.create_function(fn.__name__, fn, [duckdb.sqltypes.BLOB], duckdb.list_type(duckdb.sqltypes.BIGINT),
                            type="arrow", null_handling="special")
    return con


def band_keys_of(signatures: pa.Array | pa.ChunkedArray, bands: int) -> pa.Array:
    """The LSH band keys of MinHash signature BLOBs, as a list array (NULL for a NULL
    signature): the values the signatures step computed from the same signatures
    (``cleaners.signatures.band_keys_rows``).  The cross-run index stores signatures only and
    gets its band keys from this (38% less index on disk; writing it sorted took twice as long
    with them).

    >>> from cleaners.signatures import minhash, band_keys
    >>> sig = minhash("the talks in moscow were useful said the kremlin on monday")
    >>> band_keys_of(pa.array([sig.tobytes(), None]), BANDS).to_pylist() == [band_keys(sig), None]
    True
    """
    if isinstance(signatures, pa.ChunkedArray):
        signatures = signatures.combine_chunks()
    valid = signatures.is_valid()
    present = signatures.filter(valid) if signatures.null_count else signatures
    keys = band_keys_rows(signature_matrix(present), bands) if len(present) else np.zeros((0, bands), dtype=np.int64)
    counts = np.where(valid.to_numpy(zero_copy_only=False), bands, 0)
    offsets = np.zeros(len(signatures) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(keys.reshape(-1)), type=pa.list_(pa.int64()),
                                    mask=pc.invert(valid) if signatures.null_count else None)


def document_band_keys(signatures: pa.Array) -> pa.Array:
    """SQL ``document_band_keys(signature)``: ``band_keys_of`` a document signature (``BANDS`` keys)."""
    return band_keys_of(signatures, BANDS)


def sentence_band_keys(signatures: pa.Array) -> pa.Array:
    """SQL ``sentence_band_keys(signature)``: ``band_keys_of`` a sentence signature (``SENTENCE_BANDS`` keys)."""
    return band_keys_of(signatures, SENTENCE_BANDS)


def _parquet_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


class UnionFind:
    """Disjoint sets (path halving); the smaller key becomes the root."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def copy_to_parquet(con, sql: str, path) -> None:
    """Write a query's rows to a Parquet file with DuckDB (snappy: signatures do not compress), atomically.
    Row groups of 20,000 rows: DuckDB's writer buffers a row group per thread, and a default
    group (122,880 index sentences with their band keys and signature) took the dedup
    process from 977 to 1,053 MB at 100k documents."""
    with atomic_path(path) as tmp:
        con.execute(f"COPY ({sql}) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 20000)")


def _temp_table(con, name: str, table: pa.Table) -> None:
    """Copy an Arrow table into a DuckDB temp table (``executemany`` inserts row by row:
    seconds for tens of thousands of rows)."""
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


BAND_ROWS_PER_QUERY = 16_000_000  # band rows (items x bands) bucketed by one query: bounds DuckDB's memory


def bucket_pairs_sql(rows_sql: str, ref: str, exclude: str = "") -> str:
    """Candidate pairs ``(a, b)``, once each, from LSH band rows ``(ref, band, key, ...)``:
    all pairs in buckets of at most ``BUCKET_CAP`` members, a star around the first member
    in larger ones.  ``exclude`` is an extra SQL condition on pairs ``x``/``y`` (e.g. both
    already published)."""
    cond = f"AND NOT ({exclude})" if exclude else ""
    # Bucket sizes by aggregation (spills to disk; a window over every row does not),
    # and only rows of buckets with two or more members go on to the self-join.
    return f"""
        WITH b AS ({rows_sql}),
        buckets AS (SELECT band, key, count(*) AS n, min({ref}) AS first FROM b GROUP BY band, key HAVING count(*) > 1),
        sized AS (SELECT b.*, k.n, k.first FROM b JOIN buckets k USING (band, key)),
        small AS (SELECT * FROM sized WHERE n <= {BUCKET_CAP}),
        big AS (SELECT * FROM sized WHERE n > {BUCKET_CAP})
        SELECT DISTINCT x.{ref} AS a, y.{ref} AS b
        FROM small x JOIN small y ON x.band = y.band AND x.key = y.key AND x.{ref} < y.{ref} {cond}
        UNION
        SELECT DISTINCT x.first AS a, x.{ref} AS b FROM big x JOIN big y ON y.band = x.band AND y.key = x.key AND y.{ref} = x.first
        WHERE x.{ref} <> x.first {cond}
    """


def band_groups(items: int, bands: int, budget: int | None = None) -> list[range]:
    """The LSH bands split into consecutive groups of at most ``budget`` band rows each
    (``items`` rows per band), at least one band a group: all bands in one query for a
    small run, one band per query for a big one (all 16 sentence bands of a million
    documents at once ran DuckDB out of memory).

    >>> band_groups(100, 16), band_groups(3_000_000, 4, budget=8_000_000)
    ([range(0, 16)], [range(0, 2), range(2, 4)])
    """
    size = max(1, min(bands, (budget or BAND_ROWS_PER_QUERY) // max(items, 1)))
    return [range(lo, min(lo + size, bands)) for lo in range(0, bands, size)]


def signature_matrix(blobs: pa.Array) -> np.ndarray:
    """Equal-length signature BLOBs (an Arrow binary array) as a (rows, values) uint32
    matrix, without copying.

    >>> signature_matrix(pa.array([np.arange(3, dtype=np.uint32).tobytes()] * 2)).tolist()
    [[0, 1, 2], [0, 1, 2]]
    """
    if isinstance(blobs, pa.ChunkedArray):
        blobs = blobs.combine_chunks()
    if len(blobs) == 0:
        return np.zeros((0, 0), dtype=np.uint32)
    wide = pa.types.is_large_binary(blobs.type)
    offsets = np.frombuffer(blobs.buffers()[1], dtype=np.int64 if wide else np.int32)[blobs.offset : blobs.offset + len(blobs) + 1]
    sizes = np.diff(offsets)
    if blobs.null_count or not (sizes == sizes[0]).all() or sizes[0] % 4:
        raise ValueError("signatures must be non-null BLOBs of one length")
    data = np.frombuffer(blobs.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.view(np.uint32).reshape(len(blobs), int(sizes[0]) // 4)


def near_pairs(con, table: str, ref: str, bands_col: str, bands: int, threshold: float,
               exclude: str = "") -> tuple[pa.Array, pa.Array]:
    """Every candidate pair ``(a, b)`` of the ``bands`` LSH bands of ``table``'s rows
    (``ref``, ``prior``, ``bands_col``: the band keys, ``signature``) whose estimated
    Jaccard (share of equal MinHash values) reaches ``threshold``, as two Arrow arrays of
    ``ref`` values.  A group of bands at a time (``band_groups``): its pairs are joined to
    both signatures in DuckDB and compared with NumPy a batch at a time.  A pair found in
    two groups is returned twice."""
    found_a: list[pa.Array] = []
    found_b: list[pa.Array] = []
    items = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    for group in band_groups(items, bands):
        rows = (f"SELECT {ref}, prior, unnest(list_slice({bands_col}, {group.start + 1}, {group.stop})) AS key, "
                f"unnest(range({group.start}, {group.stop})) AS band FROM {table}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE cand AS {bucket_pairs_sql(rows, ref, exclude)}")
        reader = con.execute(
            f"""SELECT c.a, c.b, x.signature AS sa, y.signature AS sb FROM cand c
                JOIN {table} x ON x.{ref} = c.a JOIN {table} y ON y.{ref} = c.b"""
        ).fetch_record_batch(200_000)
        for batch in reader:
            if batch.num_rows == 0:
                continue
            sa, sb = signature_matrix(batch.column("sa")), signature_matrix(batch.column("sb"))
            idx = pa.array(np.flatnonzero((sa == sb).mean(axis=1) >= threshold))
            found_a.append(batch.column("a").take(idx))
            found_b.append(batch.column("b").take(idx))
    con.execute("DROP TABLE IF EXISTS cand")
    ref_type = con.execute(f"SELECT {ref} FROM {table} LIMIT 0").fetch_arrow_table().schema.field(0).type
    return (pa.concat_arrays(found_a) if found_a else pa.array([], ref_type),
            pa.concat_arrays(found_b) if found_b else pa.array([], ref_type))


def component_roots(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The nodes of the graph with edges ``(a[i], b[i])`` (integers), and for each the
    smallest node of its connected component (what ``UnionFind`` makes the root), with
    SciPy's connected components: millions of edges without a Python loop.

    >>> nodes, roots = component_roots(np.array([5, 9, 2]), np.array([7, 7, 3]))
    >>> nodes.tolist(), roots.tolist()
    ([2, 3, 5, 7, 9], [2, 2, 5, 5, 5])
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes, index = np.unique(np.concatenate([a, b]), return_inverse=True)
    if not len(nodes):
        return nodes, nodes
    m = len(a)
    graph = coo_matrix((np.ones(m, dtype=np.int8), (index[:m], index[m:])), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=False)
    _, first = np.unique(labels, return_index=True)  # nodes are sorted: a label's first node is its smallest
    return nodes, nodes[first][labels]


def decide(staged_glob: str, threshold: float, con: duckdb.DuckDBPyConnection,
           prior_docs: list[str] = (), part_rows: int = PART_ROWS) -> pa.Table:
    """Decisions for every staged record: final ``doc_id``, ``status``, ``reason``,
    ``duplicate_of`` and the output ``part`` (``part_rows`` documents each) it belongs to."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT s.input_ref, s.doc_id, s.status::VARCHAR AS status, s.reason::VARCHAR AS reason,
               s.published::VARCHAR AS published, length(s.text) AS n, s.exact_hash, s.band_keys, s.signature, r.id_rank
        FROM read_parquet('{staged_glob}') s
        JOIN (  -- the window sees two narrow columns, not the signatures (windows do not spill)
            SELECT input_ref, row_number() OVER (PARTITION BY doc_id ORDER BY input_ref) AS id_rank
            FROM read_parquet('{staged_glob}')
        ) r USING (input_ref)
        """
    )
    prior_sql = (
        f"SELECT 'index:' || doc_id AS input_ref, doc_id, published, n, exact_hash, document_band_keys(signature) AS band_keys, "
        f"signature, true AS prior "
        f"FROM read_parquet({_parquet_list(list(prior_docs))})"
        if prior_docs else
        "SELECT NULL::VARCHAR AS input_ref, NULL::VARCHAR AS doc_id, NULL::VARCHAR AS published, NULL::BIGINT AS n, "
        "NULL::VARCHAR AS exact_hash, NULL::BIGINT[] AS band_keys, NULL::BLOB AS signature, true AS prior WHERE false"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE active AS
        SELECT input_ref, doc_id, published, n, exact_hash, band_keys, signature, false AS prior
        FROM staged WHERE status IS NULL AND id_rank = 1
        UNION ALL ({prior_sql})
        """
    )
    # exact duplicates: every member of an exact-hash group links to the group's smallest ref
    edges = con.execute(
        """
        SELECT g.first_ref, a.input_ref FROM active a
        JOIN (SELECT exact_hash, min(input_ref) AS first_ref FROM active GROUP BY exact_hash HAVING count(*) > 1) g
          USING (exact_hash)
        WHERE a.input_ref <> g.first_ref AND NOT a.prior
        """
    ).fetchall()
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    near_a, near_b = near_pairs(con, "active", "input_ref", "band_keys", BANDS, threshold, exclude="x.prior AND y.prior")
    for a, b in zip(near_a.to_pylist(), near_b.to_pylist()):
        uf.union(a, b)
    con.execute("CREATE OR REPLACE TEMP TABLE members AS SELECT unnest(?::VARCHAR[]) AS input_ref", [sorted(uf.parent)])
    meta = {
        ref: row
        for ref, *row in con.execute(
            "SELECT input_ref, doc_id, published, n, exact_hash, prior FROM active JOIN members USING (input_ref)"
        ).fetchall()
    }
    groups: dict = {}
    for ref in meta:
        groups.setdefault(uf.find(ref), []).append(ref)
    dup_rows = []
    for group in groups.values():
        # canonical: already published first, then earliest published (undated last), longest, doc_id
        group.sort(key=lambda r: (not meta[r][4], meta[r][1] is None, meta[r][1] or "", -meta[r][2], meta[r][0]))
        canon = meta[group[0]]
        for ref in group[1:]:
            if meta[ref][4]:
                continue  # published by an earlier run: not re-decided
            # a near duplicate clearly shorter than its canonical is mostly inside it: with an
            # estimated Jaccard >= 0.6, 10% shorter means >= 80% of its shingles in the other
            kind = ("exact_duplicate" if meta[ref][3] == canon[3]
                    else "contained_in" if meta[ref][2] < 0.9 * canon[2] else "near_duplicate")
            dup_rows.append((ref, canon[0], kind))
    _temp_table(con, "dups", pa.table({name: pa.array([r[i] for r in dup_rows], pa.string())
                                        for i, name in enumerate(("input_ref", "duplicate_of", "kind"))}))
    prior_ids = (
        f"SELECT DISTINCT doc_id FROM read_parquet({_parquet_list(list(prior_docs))})" if prior_docs
        else "SELECT NULL::VARCHAR AS doc_id WHERE false"
    )
    return con.execute(
        f"""
        SELECT *, ((row_number() OVER (ORDER BY doc_id, input_ref) - 1) // {int(part_rows)})::INTEGER AS part
        FROM (
        SELECT s.input_ref,
               s.doc_id,  -- kept as given: a repeated id is a rejected row with the same doc_id (never renamed)
               CASE WHEN s.status IS NOT NULL THEN s.status
                    WHEN s.id_rank > 1 THEN 'quarantined'
                    WHEN d.input_ref IS NOT NULL THEN 'duplicate'
                    WHEN p.doc_id IS NOT NULL THEN 'quarantined'
                    ELSE 'clean' END AS status,
               CASE WHEN s.status IS NOT NULL THEN s.reason
                    WHEN s.id_rank > 1 THEN 'duplicate_id: id ' || s.doc_id || ' already used by an earlier record of this run'
                    WHEN d.input_ref IS NOT NULL THEN d.kind
                    WHEN p.doc_id IS NOT NULL THEN 'duplicate_id: id ' || s.doc_id || ' was published by an earlier run with other text'
                    ELSE NULL END AS reason,
               CASE WHEN s.id_rank = 1 AND s.status IS NULL THEN d.duplicate_of END AS duplicate_of,
               CASE WHEN s.id_rank = 1 AND s.status IS NULL THEN d.kind END AS relation,
               NULL::DOUBLE AS overlap_share
        FROM staged s LEFT JOIN dups d USING (input_ref) LEFT JOIN ({prior_ids}) p ON p.doc_id = s.doc_id
        )
        ORDER BY doc_id, input_ref
        """
    ).fetch_arrow_table()


def document_overlaps(con: duckdb.DuckDBPyConnection) -> None:
    """Create temp tables ``doc_overlaps`` (x, y, y_prior, shared: how many groups of
    repeated sentences the documents x, of this run, and y share) and ``doc_sentences``
    (doc_id, prior, n: matchable sentences, rank: the order "earlier" gives), from the
    tables of ``sentence_repeats``.  A group found in more than ``BUCKET_CAP`` documents (a
    quote everyone ran, boilerplate) links none: pairs stay linear in the run's size."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE comp_docs AS
           SELECT DISTINCT c.comp, s.doc_id, s.prior FROM comp c JOIN sent s USING (sid)
           WHERE c.matchable AND c.comp IN (SELECT comp FROM firsts)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE doc_overlaps AS
            WITH small AS (SELECT comp FROM comp_docs GROUP BY comp HAVING count(*) <= {BUCKET_CAP})
            SELECT a.doc_id AS x, b.doc_id AS y, b.prior AS y_prior, count(*)::INTEGER AS shared
            FROM comp_docs a JOIN comp_docs b USING (comp)
            WHERE a.comp IN (SELECT comp FROM small) AND NOT a.prior AND (a.doc_id <> b.doc_id OR b.prior)
            GROUP BY ALL"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE doc_sentences AS
            SELECT s.doc_id, s.prior, (count(*) FILTER (WHERE c.matchable))::INTEGER AS n, min(s.sid) >> {SID_SHIFT} AS rank
            FROM sent s JOIN comp c USING (sid)
            WHERE s.doc_id IN (SELECT x FROM doc_overlaps UNION SELECT y FROM doc_overlaps)
            GROUP BY s.doc_id, s.prior"""
    )
    con.execute("DROP TABLE comp_docs")


PASSAGE_MIN_SENTENCES = 2  # consecutive repeated sentences that make a shared passage


def shared_passages(con: duckdb.DuckDBPyConnection, sentences: str = "sentences_out") -> None:
    """Create temp table ``passages`` (doc_id, position, passage_doc_id, passage_position,
    passage_sentences): every sentence in a run of at least ``PASSAGE_MIN_SENTENCES``
    consecutive sentences of one document that repeat consecutive sentences of one other,
    earlier document, with where that passage first appeared and its length.  A window over
    the repeated sentences only (a window over all of them does not spill).

    >>> con = connect(threads=1)
    >>> _ = con.execute("CREATE TEMP TABLE s AS SELECT * FROM (VALUES ('b', 0, NULL, NULL), ('b', 1, 'a', 4), "
    ...     "('b', 2, 'a', 5), ('b', 3, 'a', 9), ('c', 0, 'a', 4)) t(doc_id, position, repeats_doc_id, repeats_position)")
    >>> shared_passages(con, "s"); con.execute("SELECT * FROM passages ORDER BY ALL").fetchall()
    [('b', 1, 'a', 4, 2), ('b', 2, 'a', 4, 2)]
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE passages AS
            WITH r AS (
                SELECT doc_id, position, repeats_doc_id, repeats_position - position AS shift,
                       position - row_number() OVER (PARTITION BY doc_id, repeats_doc_id, repeats_position - position
                                                     ORDER BY position) AS island
                FROM {sentences} WHERE repeats_doc_id IS NOT NULL AND repeats_doc_id <> doc_id),
            runs AS (SELECT doc_id, repeats_doc_id, shift, island, min(position) AS start, count(*) AS n
                     FROM r GROUP BY ALL HAVING count(*) >= {PASSAGE_MIN_SENTENCES})
            SELECT r.doc_id, r.position::INTEGER AS position, r.repeats_doc_id AS passage_doc_id,
                   (runs.start + runs.shift)::INTEGER AS passage_position, runs.n::INTEGER AS passage_sentences
            FROM r JOIN runs USING (doc_id, repeats_doc_id, shift, island)"""
    )


MIN_LINK_SENTENCES = 3  # a document of fewer matchable sentences is never linked by its sentences


def link_overlaps(decisions: pa.Table, pairs: list[tuple], sizes: dict, containment: float, overlap: float,
                  policy: str = "reject") -> pa.Table:
    """``decisions`` with containment and overlap links from the shared sentences.

    ``pairs``: (x, y, y_prior, shared) from ``doc_overlaps``; ``sizes``: (doc_id, prior) ->
    (matchable sentences, rank in the order "earlier" gives).  A clean document x of which at
    least ``containment`` of its sentences are in one earlier document y (a published one, or
    one before it in this run) is ``contained_in`` y, a truncated copy or an excerpt: with
    ``policy`` "reject" it becomes a duplicate of y (followed to the document that stays),
    with "mark" it stays clean.  A clean x that holds most of an earlier document ``contains``
    it (the earlier one stays as it is); one with at least ``overlap`` of its sentences in an
    earlier document ``overlaps`` it.  ``overlap_share`` is how much of x is in the other document.

    >>> none = pa.nulls(3, pa.string())
    >>> d = pa.table({"input_ref": ["a", "b", "c"], "doc_id": ["A", "B", "C"], "status": ["clean"] * 3, "reason": none,
    ...               "duplicate_of": none, "relation": none, "overlap_share": pa.nulls(3, pa.float64()), "part": [0, 0, 0]})
    >>> sizes = {("A", False): (10, 1), ("B", False): (5, 2), ("C", False): (8, 3)}
    >>> out = link_overlaps(d, [("B", "A", False, 5), ("A", "B", False, 5), ("C", "A", False, 4)], sizes, 0.8, 0.5)
    >>> [(r["doc_id"], r["status"], r["relation"], r["duplicate_of"], r["overlap_share"]) for r in out.to_pylist()]
    [('A', 'clean', None, None, None), ('B', 'duplicate', 'contained_in', 'A', 1.0), ('C', 'clean', 'overlaps', 'A', 0.5)]
    """
    ids, status = decisions.column("doc_id").to_pylist(), decisions.column("status").to_pylist()
    clean = {d for d, st in zip(ids, status) if st == "clean"}
    best: dict[str, tuple] = {}  # x -> (kind, y, share)
    by_x: dict[str, list[tuple]] = {}
    for x, y, y_prior, shared in pairs:
        by_x.setdefault(x, []).append((y, y_prior, shared))
    candidates: dict[str, list[tuple]] = {}
    for x in sorted(by_x):
        n_x, rank_x = sizes.get((x, False), (0, 0))
        if x not in clean or n_x < MIN_LINK_SENTENCES:
            continue
        ranked = []
        for y, y_prior, shared in by_x[x]:
            n_y, rank_y = sizes.get((y, y_prior), (0, 0))
            if y_prior or y in clean:
                ranked.append((shared / n_x, -rank_y, y, y_prior, shared / n_y if n_y else 0.0, n_y, rank_y))
        ranked.sort(reverse=True)
        candidates[x] = ranked
        earlier = [r for r in ranked if r[3] or r[6] < rank_x]  # published before x: x is the copy
        if earlier and earlier[0][0] >= containment:
            best[x] = ("contained_in", earlier[0][2], earlier[0][0])
    for x, ranked in candidates.items():  # then links between documents that stay
        if x in best:
            continue
        rank_x = sizes.get((x, False), (0, 0))[1]
        staying = [r for r in ranked if r[3] or r[2] not in best]
        held = [r for r in staying if r[5] >= MIN_LINK_SENTENCES and r[4] >= containment and (r[3] or r[6] < rank_x)]
        if held:  # x holds most of an earlier document, which stays as it is
            best[x] = ("contains", held[0][2], held[0][0])
        elif (before := [r for r in staying if r[3] or r[6] < rank_x]) and before[0][0] >= overlap:
            best[x] = ("overlaps", before[0][2], before[0][0])  # noted on the later document, like every link

    def final(doc: str) -> str:  # a contained document's target, followed while that is contained too
        seen = set()
        while doc in best and best[doc][0] == "contained_in" and doc not in seen:
            seen.add(doc)
            doc = best[doc][1]
        return doc

    if not best:
        return decisions
    cols = {c: decisions.column(c).to_pylist() for c in ("reason", "duplicate_of", "relation", "overlap_share")}
    for i, (doc, st) in enumerate(zip(ids, status)):
        link = best.get(doc) if st == "clean" else None
        if link is None:
            continue
        kind, y, share = link
        cols["relation"][i], cols["overlap_share"][i] = kind, round(share, 4)
        cols["duplicate_of"][i] = final(doc) if kind == "contained_in" else y
        if kind == "contained_in" and policy == "reject":
            status[i], cols["reason"][i] = "duplicate", "contained_in"
    cols["status"] = status
    for name, values in cols.items():
        decisions = decisions.set_column(decisions.schema.get_field_index(name), decisions.schema.field(name),
                                         pa.array(values, decisions.schema.field(name).type))
    return decisions


def sentence_repeats(staged_glob: str, decisions: pa.Table, con: duckdb.DuckDBPyConnection,
                     prior_sentences: list[str] = (), near: bool = True) -> None:
    """Create temp table ``sentences_out``: one row per sentence of each clean document,
    with the earlier sentence it repeats, exactly (same words) or nearly (content-stem
    MinHash estimate >= 0.5, ``cleaners.signatures``).  "Earlier" is: published by an earlier run first, then
    earliest ``published`` (undated last), then ``doc_id``, then position.  Also creates
    ``sentences_index``: what this run adds to the cross-run index."""
    con.register("decisions", decisions)
    prior_sql = (
        f"""SELECT doc_id, published, true AS prior, NULL::VARCHAR AS text, key, signature, position
            FROM read_parquet({_parquet_list(list(prior_sentences))})"""
        if prior_sentences else
        """SELECT NULL::VARCHAR AS doc_id, NULL::VARCHAR AS published, true AS prior, NULL::VARCHAR AS text,
                  NULL::BIGINT AS key, NULL::BLOB AS signature, NULL::INTEGER AS position WHERE false"""
    )
    # sid orders sentences as "earlier" does (published by an earlier run first, then
    # earliest published, undated last, doc_id, position) without sorting every sentence:
    # the rank of the document, shifted past any position (max_chars < 2**24 characters).
    # The first occurrence of a group is then its smallest sid.
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sent AS
        WITH src AS (
            SELECT d.doc_id, st.published, false AS prior,
                   unnest(st.sentences) AS text, unnest(st.sentence_keys) AS key, unnest(st.sentence_sigs) AS signature,
                   (unnest(range(len(st.sentences))))::INTEGER AS position
            FROM read_parquet('{staged_glob}') st JOIN decisions d USING (input_ref)
            WHERE d.status = 'clean'
            UNION ALL ({prior_sql})
        ),
        ranked AS (
            SELECT prior, doc_id, row_number() OVER (ORDER BY prior DESC, published IS NULL, published, doc_id) AS r
            FROM (SELECT prior, doc_id, min(published) AS published FROM src GROUP BY prior, doc_id)
        )
        SELECT (ranked.r << {SID_SHIFT}) + src.position AS sid, src.*
        FROM src JOIN ranked USING (prior, doc_id)
        """
    )
    # groups: identical normalised sentences share a key; near matches join their groups
    con.execute(
        "CREATE OR REPLACE TEMP TABLE sgroup AS "  # by aggregation and a join: a window over every sentence does not spill
        "SELECT s.sid, coalesce(k.g, s.sid) AS g FROM sent s "
        "LEFT JOIN (SELECT key, min(sid) AS g FROM sent WHERE key IS NOT NULL GROUP BY key) k ON k.key = s.key"
    )
    nodes = roots = np.zeros(0, dtype=np.int64)
    if near:
        # one representative per group of identical sentences (its sid is the group's id):
        # identical copies are already linked.  Sentences of MIN_SENTENCE_WORDS or more have
        # a signature; their band keys are computed from it here, for representatives only
        con.execute(
            "CREATE OR REPLACE TEMP TABLE sent_bands AS SELECT s.sid, s.prior, sentence_band_keys(s.signature) AS bands, s.signature "
            "FROM sent s JOIN sgroup g USING (sid) WHERE s.signature IS NOT NULL AND g.g = s.sid"
        )
        near_a, near_b = near_pairs(con, "sent_bands", "sid", "bands", SENTENCE_BANDS, NEAR_SENTENCE_THRESHOLD,
                                    exclude="x.prior AND y.prior")
        con.execute("DROP TABLE sent_bands")
        nodes, roots = component_roots(near_a.to_numpy(), near_b.to_numpy())
    _temp_table(con, "gmap", pa.table({"g": pa.array(nodes, pa.int64()), "c": pa.array(roots, pa.int64())}))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE comp AS
        SELECT s.sid, coalesce(m.c, g.g) AS comp,
               (s.key IS NOT NULL OR s.signature IS NOT NULL OR m.c IS NOT NULL) AS matchable
        FROM sent s JOIN sgroup g USING (sid) LEFT JOIN gmap m ON m.g = g.g
        """
    )
    # the first occurrence of each component of two or more sentences: its smallest sid,
    # by aggregation over integers (a window over all sentences, or a minimum of a struct
    # with strings, ran out of memory at a million documents); each join below builds its
    # hash table on the smaller side (repeated sentences, first occurrences, clean documents)
    con.execute("CREATE OR REPLACE TEMP TABLE firsts AS SELECT comp, min(sid) AS first FROM comp GROUP BY comp HAVING count(*) > 1")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE repeats AS
        WITH r AS (SELECT c.sid, f.first FROM comp c JOIN firsts f USING (comp) WHERE c.matchable AND c.sid <> f.first)
        SELECT r.sid, s.doc_id AS repeats_doc_id, s.position AS repeats_position
        FROM r JOIN (SELECT sid, doc_id, position FROM sent WHERE sid IN (SELECT first FROM firsts)) s ON s.sid = r.first
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE sentences_out AS
        SELECT s.doc_id, d.part, s.published, s.position, s.text, s.key, s.signature, r.repeats_doc_id, r.repeats_position
        FROM sent s LEFT JOIN repeats r USING (sid)
        JOIN (SELECT doc_id, part FROM decisions WHERE status = 'clean') d ON d.doc_id = s.doc_id
        WHERE NOT s.prior
        """
    )
    document_overlaps(con)
    for table in ("sent", "sgroup", "comp", "firsts", "repeats", "gmap"):
        con.execute(f"DROP TABLE IF EXISTS {table}")  # free DuckDB's memory (and spill) for what follows
    con.unregister("decisions")
