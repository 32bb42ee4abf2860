"""Document decisions: exact and near duplicates, containment and overlap links, as DuckDB joins.

No step holds all documents in Python: DuckDB reads the staged Parquet, buckets the
MinHash band keys with a join, and only candidate pairs (and their signatures) come back
to Python for verification and clustering (union-find).

Decisions are keyed by ``input_ref`` (where a record came from, unique per record).
Documents published by earlier runs (the index) take part in clustering but are never
re-decided: a cluster that holds one has it as canonical.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from cleaners.signatures import BANDS
from flows.dedup.buckets import UnionFind, near_pairs
from flows.dedup.duck import parquet_list, temp_table, unless_exact_only

if TYPE_CHECKING:
    import duckdb


PART_ROWS = 5_000  # default documents per output part file (config part_rows; contiguous doc_id ranges)


def decide(
    staged_glob: str,
    threshold: float,
    con: duckdb.DuckDBPyConnection,
    prior_docs: list[str] = (),
    part_rows: int = PART_ROWS,
    exact_only: list[str] = (),
) -> pa.Table:
    """Decisions for every staged record: final ``doc_id``, ``status``, ``reason``,
    ``duplicate_of`` and the output ``part`` (``part_rows`` documents each) it belongs to.
    Index files in ``exact_only`` (signatures made with other settings) match exactly only."""
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
        f"SELECT 'index:' || doc_id AS input_ref, doc_id, published, n, exact_hash, "
        f"{unless_exact_only('document_band_keys(signature)', exact_only)} AS band_keys, "
        f"{unless_exact_only('signature', exact_only)} AS signature, true AS prior "
        f"FROM read_parquet({parquet_list(list(prior_docs))}{', filename=true' if exact_only else ''})"
        if prior_docs
        else "SELECT NULL::VARCHAR AS input_ref, NULL::VARCHAR AS doc_id, NULL::VARCHAR AS published, NULL::BIGINT AS n, "
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
    # exact duplicates: every member of an exact-hash group links to the group's smallest ref of
    # this run (so a copy of a published document is found by its hash, not only by its signature)
    edges = con.execute(
        """
        SELECT g.first_ref, a.input_ref FROM active a
        JOIN (SELECT exact_hash, min(input_ref) FILTER (WHERE NOT prior) AS first_ref FROM active
              GROUP BY exact_hash HAVING count(*) > 1) g
          USING (exact_hash)
        WHERE g.first_ref IS NOT NULL AND a.input_ref <> g.first_ref
        """
    ).fetchall()
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    near_a, near_b = near_pairs(
        con, "active", "input_ref", "band_keys", BANDS, threshold, exclude="x.prior AND y.prior"
    )
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
            kind = (
                "exact_duplicate"
                if meta[ref][3] == canon[3]
                else "contained_in"
                if meta[ref][2] < 0.9 * canon[2]
                else "near_duplicate"
            )
            dup_rows.append((ref, canon[0], kind))
    temp_table(
        con,
        "dups",
        pa.table(
            {
                name: pa.array([r[i] for r in dup_rows], pa.string())
                for i, name in enumerate(("input_ref", "duplicate_of", "kind"))
            }
        ),
    )
    prior_ids = (
        f"SELECT DISTINCT doc_id FROM read_parquet({parquet_list(list(prior_docs))})"
        if prior_docs
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


MIN_LINK_SENTENCES = 3  # a document of fewer matchable sentences is never linked by its sentences


def link_overlaps(
    decisions: pa.Table, pairs: list[tuple], sizes: dict, containment: float, overlap: float, policy: str = "reject"
) -> pa.Table:
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
        decisions = decisions.set_column(
            decisions.schema.get_field_index(name),
            decisions.schema.field(name),
            pa.array(values, decisions.schema.field(name).type),
        )
    return decisions
