"""Run-wide deduplication over the staged batches, as joins in DuckDB.

No step holds all documents in Python: DuckDB reads the staged Parquet, buckets the
MinHash band keys with a join, and only candidate pairs (and their signatures) come back
to Python for verification and clustering (union-find).

Decisions are keyed by ``input_ref`` (where a record came from, unique per record).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from cleaners.signatures import BANDS, estimate_jaccard

PART_ROWS = 50_000  # documents per output part file (contiguous doc_id ranges)


def connect(threads: int = 2, memory_limit: str = "4GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET threads={int(threads)}; SET memory_limit='{memory_limit}'; SET preserve_insertion_order=true")
    return con


class UnionFind:
    """Disjoint sets over string keys (path halving)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def candidate_pairs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, bool]]:
    """Pairs (input_ref a < b, exact?) sharing an exact hash or an LSH bucket."""
    exact = con.execute(
        """
        SELECT a.input_ref, b.input_ref, true
        FROM (SELECT exact_hash, min(input_ref) AS input_ref FROM active GROUP BY exact_hash HAVING count(*) > 1) a
        JOIN active b ON a.exact_hash = b.exact_hash AND b.input_ref > a.input_ref
        """
    ).fetchall()
    near = con.execute(
        f"""
        WITH b AS (
            SELECT input_ref, unnest(band_keys) AS key, unnest(range({BANDS})) AS band FROM active
        )
        SELECT DISTINCT x.input_ref, y.input_ref, false
        FROM b x JOIN b y ON x.band = y.band AND x.key = y.key AND x.input_ref < y.input_ref
        """
    ).fetchall()
    return exact + near


def verified_edges(con, pairs, threshold: float) -> list[tuple[str, str, bool]]:
    """Keep exact pairs, and near pairs whose estimated Jaccard reaches ``threshold``."""
    near = [(a, b) for a, b, exact in pairs if not exact]
    edges = [(a, b, True) for a, b, exact in pairs if exact]
    if not near:
        return edges
    refs = sorted({r for pair in near for r in pair})
    con.execute("CREATE OR REPLACE TEMP TABLE wanted AS SELECT unnest(?::VARCHAR[]) AS input_ref", [refs])
    rows = con.execute(
        "SELECT a.input_ref, a.signature FROM active a JOIN wanted USING (input_ref)"
    ).fetchall()
    sigs = {ref: np.frombuffer(sig, dtype=np.uint64) for ref, sig in rows}
    for a, b in near:
        if estimate_jaccard(sigs[a], sigs[b]) >= threshold:
            edges.append((a, b, False))
    return edges


def decide(staged_glob: str, threshold: float, con: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """Decisions for every staged record: final ``doc_id``, ``status``, ``reason``,
    ``duplicate_of`` and the output ``part`` it belongs to."""
    con = con or connect()
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE staged AS
        SELECT input_ref, doc_id, status, reason, published, length(text) AS n, exact_hash, band_keys, signature,
               row_number() OVER (PARTITION BY doc_id ORDER BY input_ref) AS id_rank
        FROM read_parquet('{staged_glob}')
        """
    )
    con.execute("CREATE OR REPLACE TEMP TABLE active AS SELECT * FROM staged WHERE status IS NULL AND id_rank = 1")
    edges = verified_edges(con, candidate_pairs(con), threshold)

    uf = UnionFind()
    exact_pairs = set()
    for a, b, exact in edges:
        uf.union(a, b)
        if exact:
            exact_pairs.add((a, b))
    members: dict[str, list[str]] = {}
    for ref in list(uf.parent):
        members.setdefault(uf.find(ref), []).append(ref)
    meta = {}
    if members:
        refs = sorted(uf.parent)
        con.execute("CREATE OR REPLACE TEMP TABLE wanted AS SELECT unnest(?::VARCHAR[]) AS input_ref", [refs])
        for ref, doc_id, published, n, exact_hash in con.execute(
            "SELECT input_ref, doc_id, published, n, exact_hash FROM active JOIN wanted USING (input_ref)"
        ).fetchall():
            meta[ref] = (doc_id, published, n, exact_hash)
    dup_rows = []
    for group in members.values():
        # canonical: earliest published (undated last), then longest, then doc_id
        group.sort(key=lambda r: (meta[r][1] is None, meta[r][1] or "", -meta[r][2], meta[r][0]))
        canon = group[0]
        for ref in group[1:]:
            kind = "exact_duplicate" if meta[ref][3] == meta[canon][3] else "near_duplicate"
            dup_rows.append((ref, meta[canon][0], kind))
    con.execute("CREATE OR REPLACE TEMP TABLE dups (input_ref VARCHAR, duplicate_of VARCHAR, kind VARCHAR)")
    if dup_rows:
        con.executemany("INSERT INTO dups VALUES (?, ?, ?)", dup_rows)
    return con.execute(
        f"""
        SELECT *, ((row_number() OVER (ORDER BY doc_id, input_ref) - 1) // {PART_ROWS})::INTEGER AS part
        FROM (
        SELECT s.input_ref,
               CASE WHEN s.id_rank = 1 THEN s.doc_id ELSE s.doc_id || '~' || s.id_rank END AS doc_id,
               CASE WHEN s.status IS NOT NULL THEN s.status
                    WHEN s.id_rank > 1 THEN 'quarantined'
                    WHEN d.input_ref IS NOT NULL THEN 'duplicate'
                    ELSE 'clean' END AS status,
               CASE WHEN s.status IS NOT NULL THEN s.reason
                    WHEN s.id_rank > 1 THEN 'duplicate_id: id ' || s.doc_id || ' already used by an earlier record'
                    WHEN d.input_ref IS NOT NULL THEN d.kind
                    ELSE NULL END AS reason,
               CASE WHEN s.id_rank = 1 AND s.status IS NULL THEN d.duplicate_of END AS duplicate_of
        FROM staged s LEFT JOIN dups d USING (input_ref)
        )
        ORDER BY doc_id, input_ref
        """
    ).fetch_arrow_table()


def sentence_repeats(staged_glob: str, decisions: pa.Table, con: duckdb.DuckDBPyConnection) -> None:
    """Create temp table ``sentences_out``: one row per sentence of each clean document,
    with the earlier sentence it repeats (same normalised form), ordered by document
    (earliest published first, then doc_id) and position."""
    con.register("decisions", decisions)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sentences_out AS
        WITH s AS (
            SELECT d.doc_id, d.part, st.published,
                   unnest(st.sentences) AS text, unnest(st.sentence_keys) AS key,
                   (unnest(range(len(st.sentences))))::INTEGER AS position
            FROM read_parquet('{staged_glob}') st JOIN decisions d USING (input_ref)
            WHERE d.status = 'clean'
        ),
        ranked AS (
            SELECT *,
                   first_value(doc_id) OVER w AS first_doc,
                   first_value(position) OVER w AS first_pos
            FROM s
            WINDOW w AS (PARTITION BY key ORDER BY published NULLS LAST, doc_id, position)
        )
        SELECT doc_id, part, position, text,
               CASE WHEN key IS NOT NULL AND (first_doc, first_pos) <> (doc_id, position) THEN first_doc END AS repeats_doc_id,
               CASE WHEN key IS NOT NULL AND (first_doc, first_pos) <> (doc_id, position) THEN first_pos END AS repeats_position
        FROM ranked
        """
    )
    con.unregister("decisions")
