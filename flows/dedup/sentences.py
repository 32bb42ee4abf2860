"""Repeated sentences across documents and runs (exact and near), and the passages they form."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from cleaners.signatures import SENTENCE_BANDS
from flows.dedup.band_sort import sorted_band_pairs
from flows.dedup.buckets import BUCKET_CAP, component_roots
from flows.dedup.duck import parquet_list, temp_table, unless_exact_only

if TYPE_CHECKING:
    import duckdb


NEAR_SENTENCE_THRESHOLD = 0.45  # chosen on evals/sentences (tune): F1 0.815, against 0.797 at 0.5


SID_SHIFT = 24  # sentence ids: document rank << 24 | position


def document_overlaps(con: duckdb.DuckDBPyConnection) -> None:
    """Create temp tables ``doc_overlaps`` (x, y, y_prior, shared: how many groups of
    repeated sentences the documents x, of this run, and y share) and ``doc_sentences``
    (doc_id, prior, n: matchable sentences, rank: the order "earlier" gives), from the
    tables of ``sentence_repeats``.  A group found in more than ``BUCKET_CAP`` documents (a
    quote everyone ran, boilerplate) links none: pairs stay linear in the run's size."""
    # documents by rank (a sid's high bits) until the few overlapping pairs are named
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE comp_docs AS
           SELECT DISTINCT c.comp, s.sid >> {SID_SHIFT} AS r, s.prior FROM comp c JOIN sent s USING (sid)
           WHERE c.matchable AND c.comp IN (SELECT comp FROM firsts)"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE rank_overlaps AS
            WITH small AS (SELECT comp FROM comp_docs GROUP BY comp HAVING count(*) <= {BUCKET_CAP})
            SELECT a.r AS rx, b.r AS ry, count(*)::INTEGER AS shared
            FROM comp_docs a JOIN comp_docs b USING (comp)
            WHERE a.comp IN (SELECT comp FROM small) AND NOT a.prior AND a.r <> b.r
            GROUP BY ALL"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE doc_overlaps AS
           SELECT kx.doc_id AS x, ky.doc_id AS y, ky.prior AS y_prior, o.shared
           FROM rank_overlaps o JOIN ranked kx ON kx.r = o.rx JOIN ranked ky ON ky.r = o.ry"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE doc_sentences AS
            SELECT k.doc_id, k.prior, t.n, t.r AS rank
            FROM (SELECT s.sid >> {SID_SHIFT} AS r, (count(*) FILTER (WHERE c.matchable))::INTEGER AS n
                  FROM sent s JOIN comp c USING (sid)
                  WHERE s.sid >> {SID_SHIFT} IN (SELECT rx FROM rank_overlaps UNION SELECT ry FROM rank_overlaps)
                  GROUP BY 1) t
            JOIN ranked k USING (r)"""
    )
    con.execute("DROP TABLE comp_docs; DROP TABLE rank_overlaps")


PASSAGE_MIN_SENTENCES = 2  # consecutive repeated sentences that make a shared passage


def shared_passages(con: duckdb.DuckDBPyConnection, sentences: str = "sentences_out") -> None:
    """Create temp table ``passages`` (doc_id, position, passage_doc_id, passage_position,
    passage_sentences): every sentence in a run of at least ``PASSAGE_MIN_SENTENCES``
    consecutive sentences of one document that repeat consecutive sentences of one other,
    earlier document, with where that passage first appeared and its length.  A window over
    the repeated sentences only (a window over all of them does not spill).

    >>> from flows.dedup.duck import connect
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


def _sentence_rows(staged_glob: str, prior_sentences, exact_only, columns: str, prior: bool = True) -> str:
    """SQL of one row per sentence of this run's clean documents (and, with ``prior``, of the
    index's earlier runs): doc_id, prior, position and ``columns`` (of published, text,
    key, signature, signed).  Each use reads the columns it needs from the Parquet again:
    a table of every sentence with its text and signature spilled tens of GB at a million
    documents."""
    wanted = [c.strip() for c in columns.split(",")]
    current = {
        "published": "st.published",
        "text": "unnest(st.sentences)",
        "key": "unnest(st.sentence_keys)",
        "signature": "unnest(st.sentence_sigs)",
        "signed": "unnest(list_transform(st.sentence_sigs, x -> x IS NOT NULL))",
    }
    rows = f"""SELECT d.doc_id, false AS prior, (unnest(range(len(st.sentence_keys))))::INTEGER AS position,
                      {", ".join(f"{current[c]} AS {c}" for c in wanted)}
               FROM read_parquet('{staged_glob}') st JOIN decisions d USING (input_ref)
               WHERE d.status = 'clean'"""
    if not (prior and prior_sentences):
        return rows
    earlier = {
        "published": "published",
        "text": "NULL::VARCHAR",
        "key": "key",
        "signature": unless_exact_only("signature", exact_only),
        "signed": f"{unless_exact_only('signature', exact_only)} IS NOT NULL",
    }
    return f"""{rows}
        UNION ALL
        SELECT doc_id, true AS prior, position, {", ".join(f"{earlier[c]} AS {c}" for c in wanted)}
        FROM read_parquet({parquet_list(list(prior_sentences))}{", filename=true" if exact_only else ""})"""


def sentence_repeats(
    staged_glob: str,
    decisions: pa.Table,
    con: duckdb.DuckDBPyConnection,
    prior_sentences: list[str] = (),
    near: bool = True,
    exact_only: list[str] = (),
) -> None:
    """Create temp table ``sentences_out``: one row per sentence of each clean document,
    with the earlier sentence it repeats, exactly (same words) or nearly (content-stem
    MinHash estimate >= 0.5, ``cleaners.signatures``).  "Earlier" is: published by an earlier run first, then
    earliest ``published`` (undated last), then ``doc_id``, then position.  Also creates
    ``sentences_index``: what this run adds to the cross-run index.  Index files in ``exact_only``
    (signatures made with other settings) match exactly only."""
    con.register("decisions", decisions)
    prior_sentences = list(prior_sentences)

    def rows(columns: str, prior: bool = True) -> str:
        return _sentence_rows(staged_glob, prior_sentences, exact_only, columns, prior)

    # sid orders sentences as "earlier" does (published by an earlier run first, then
    # earliest published, undated last, doc_id, position) without sorting every sentence:
    # the rank of the document, shifted past any position (max_chars < 2**24 characters).
    # The first occurrence of a group is then its smallest sid.
    current_docs = f"""SELECT d.doc_id, false AS prior, min(st.published) AS published
                       FROM read_parquet('{staged_glob}') st JOIN decisions d USING (input_ref)
                       WHERE d.status = 'clean' AND len(st.sentence_keys) > 0 GROUP BY d.doc_id"""
    prior_docs = (
        f"""UNION ALL SELECT doc_id, true AS prior, min(published) AS published
            FROM read_parquet({parquet_list(prior_sentences)}) GROUP BY doc_id"""
        if prior_sentences
        else ""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE ranked AS
            SELECT row_number() OVER (ORDER BY prior DESC, published IS NULL, published, doc_id) AS r, doc_id, prior
            FROM ({current_docs} {prior_docs})"""
    )
    # every sentence, narrow: its text and signature are read again only where needed
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE sent AS
            SELECT (k.r << {SID_SHIFT}) + s.position AS sid, s.prior, s.key, s.signed
            FROM ({rows("key, signed")}) s JOIN ranked k USING (prior, doc_id)"""
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
        # a signature; their band keys are computed from it, for representatives only
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE sent_bands AS
                SELECT x.sid, x.prior, x.signature
                FROM (SELECT (k.r << {SID_SHIFT}) + s.position AS sid, s.prior, s.signature
                      FROM ({rows("signature")}) s JOIN ranked k USING (prior, doc_id)
                      WHERE s.signature IS NOT NULL) x
                SEMI JOIN (SELECT g FROM sgroup WHERE g = sid) r ON r.g = x.sid"""
        )
        near_a, near_b = sorted_band_pairs(con, "sent_bands", "sid", SENTENCE_BANDS, NEAR_SENTENCE_THRESHOLD)
        con.execute("DROP TABLE sent_bands")
        nodes, roots = component_roots(near_a.to_numpy(), near_b.to_numpy())
    temp_table(con, "gmap", pa.table({"g": pa.array(nodes, pa.int64()), "c": pa.array(roots, pa.int64())}))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE comp AS
        SELECT s.sid, coalesce(m.c, g.g) AS comp,
               (s.key IS NOT NULL OR s.signed OR m.c IS NOT NULL) AS matchable
        FROM sent s JOIN sgroup g USING (sid) LEFT JOIN gmap m ON m.g = g.g
        """
    )
    # the first occurrence of each component of two or more sentences: its smallest sid,
    # by aggregation over integers (a window over all sentences, or a minimum of a struct
    # with strings, ran out of memory at a million documents); each join below builds its
    # hash table on the smaller side (repeated sentences, first occurrences, clean documents)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE firsts AS SELECT comp, min(sid) AS first FROM comp GROUP BY comp HAVING count(*) > 1"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE repeats AS
        WITH r AS (SELECT c.sid, f.first FROM comp c JOIN firsts f USING (comp) WHERE c.matchable AND c.sid <> f.first)
        SELECT r.sid, k.doc_id AS repeats_doc_id, (r.first & {(1 << SID_SHIFT) - 1})::INTEGER AS repeats_position
        FROM r JOIN ranked k ON k.r = r.first >> {SID_SHIFT}
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sentences_out AS
        SELECT s.doc_id, d.part, s.published, s.position, s.text, s.key, s.signature, r.repeats_doc_id, r.repeats_position
        FROM ({rows("published, text, key, signature", prior=False)}) s
        JOIN (SELECT r, doc_id FROM ranked WHERE NOT prior) k USING (doc_id)
        JOIN (SELECT doc_id, part FROM decisions WHERE status = 'clean') d ON d.doc_id = s.doc_id
        LEFT JOIN repeats r ON r.sid = (k.r << {SID_SHIFT}) + s.position
        """
    )
    document_overlaps(con)
    for table in ("sent", "sgroup", "comp", "firsts", "repeats", "gmap", "ranked"):
        con.execute(f"DROP TABLE IF EXISTS {table}")  # free DuckDB's memory (and spill) for what follows
    con.unregister("decisions")
