"""The run-wide deduplication step as one call: exact and near-duplicate documents,
repeated sentences, the index files, and each output part's staged tables.

A module of its own, without Prefect: with workers it runs in a process of its own, which
then imports only DuckDB, Arrow and the dedup code (importing the flow's module there
cost ~60 MB of the run's peak memory).
"""

from __future__ import annotations

import time
from pathlib import Path

from flows import dedup
from flows.config import Config
from flows.parts import split_documents, split_sentences
from flows.writers import write_parquet_atomic


def run_deduplicate(staging: str, config: Config, prior_docs: list[str], prior_sentences: list[str]) -> dict:
    """Run-wide exact and near-duplicate clustering (against the index too), then
    repeated sentences; writes decisions, each part's documents and sentences, and this
    run's index files.  Its counts, with ``cpu_seconds`` (this process's CPU meanwhile)."""
    st = Path(staging)
    cpu0 = time.process_time()  # the process's CPU: DuckDB's threads, and Prefect's few meanwhile
    glob = str(st / "batches" / "*.parquet")
    con = dedup.connect(memory_limit=f"{config.dedup_memory_mb}MB", spill_dir=str(st / "duckdb-spill"))
    decisions = dedup.decide(glob, config.near_duplicate_threshold, con, prior_docs, config.part_rows)
    write_parquet_atomic(decisions, st / "decisions.parquet")
    dedup.sentence_repeats(glob, decisions, con, prior_sentences, near=config.near_duplicate_sentences)
    con.register("decisions", decisions)
    # the index files are written by DuckDB straight from its tables (fetching 2M sentence
    # rows with their signatures into Arrow first cost 600 MB); same types as INDEX_DOCS / INDEX_SENTENCES
    dedup.copy_to_parquet(
        con,
        """SELECT doc_id::VARCHAR AS doc_id, published::VARCHAR AS published, position::INTEGER AS position,
                  key::BIGINT AS key, bands::BIGINT[] AS bands, signature::BLOB AS signature
           FROM sentences_out ORDER BY doc_id, position""",
        st / "index-sentences.parquet",
    )
    repeated, flagged = con.execute(
        "SELECT count(*), count(DISTINCT doc_id) FROM sentences_out WHERE repeats_doc_id IS NOT NULL").fetchone()
    split_sentences(con, st)  # each part's sentences in files of their own
    con.close()
    con = dedup.connect(memory_limit=f"{config.dedup_memory_mb}MB", spill_dir=str(st / "duckdb-spill"))
    con.register("decisions", decisions)
    split_documents(con, st, part_rows=config.part_rows)  # each part's documents too: one pass over the batches
    dedup.copy_to_parquet(
        con,
        f"""SELECT s.doc_id::VARCHAR AS doc_id, s.published::VARCHAR AS published, length(s.text)::BIGINT AS n,
                   s.exact_hash::VARCHAR AS exact_hash, s.band_keys::BIGINT[] AS band_keys, s.signature::BLOB AS signature
            FROM read_parquet('{glob}') s JOIN decisions d USING (input_ref) WHERE d.status = 'clean' ORDER BY s.doc_id""",
        st / "index-docs.parquet",
    )
    clusters = con.execute(
        f"""SELECT d.duplicate_of, any_value(c.title), count(*) AS n
            FROM decisions d LEFT JOIN (
                SELECT s.title, x.doc_id FROM read_parquet('{glob}') s JOIN decisions x USING (input_ref)
            ) c ON c.doc_id = d.duplicate_of
            WHERE d.status = 'duplicate' GROUP BY d.duplicate_of ORDER BY n DESC, d.duplicate_of LIMIT 20"""
    ).fetchall()
    status = decisions.column("status").to_pylist()
    counts = {
        "in": status.count("clean") + status.count("duplicate"),
        "rejected": status.count("duplicate") + sum(1 for r in decisions.column("reason").to_pylist() if r and r.startswith("duplicate_id")),
        "duplicates": status.count("duplicate"),
        "clean_candidates": status.count("clean"),
        "repeated_sentences": repeated,
        "flagged": flagged,
        "parts": (max(decisions.column("part").to_pylist()) + 1) if len(status) else 0,
        "clusters": [{"doc_id": d, "title": t, "duplicates": n} for d, t, n in clusters],
    }
    con.close()
    counts["cpu_seconds"] = round(time.process_time() - cpu0, 3)
    return counts
