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
    prior_sql = (
        f"""SELECT doc_id, published, true AS prior, NULL::VARCHAR AS text, key,
                   {unless_exact_only("signature", exact_only)} AS signature, position
            FROM read_parquet({parquet_list(list(prior_sentences))}{", filename=true" if exact_only else ""})"""
        if prior_sentences
        else """SELECT NULL::VARCHAR AS doc_id, NULL::VARCHAR AS published, true AS prior, NULL::VARCHAR AS text,
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
        # a signature; their band keys are computed from it, for representatives only
        con.execute(
            "CREATE OR REPLACE TEMP TABLE sent_bands AS SELECT s.sid, s.prior, s.signature "
            "FROM sent s JOIN sgroup g USING (sid) WHERE s.signature IS NOT NULL AND g.g = s.sid"
        )
        near_a, near_b = sorted_band_pairs(con, "sent_bands", "sid", SENTENCE_BANDS, NEAR_SENTENCE_THRESHOLD)
        con.execute("DROP TABLE sent_bands")
        nodes, roots = component_roots(near_a.to_numpy(), near_b.to_numpy())
    temp_table(con, "gmap", pa.table({"g": pa.array(nodes, pa.int64()), "c": pa.array(roots, pa.int64())}))
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
    con.execute(
        "CREATE OR REPLACE TEMP TABLE firsts AS SELECT comp, min(sid) AS first FROM comp GROUP BY comp HAVING count(*) > 1"
    )
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
