"""The run-wide deduplication step as one call: exact and near-duplicate documents,
repeated sentences, the index files, and each output part's staged tables.

A module of its own, without Prefect: with workers it runs in a process of its own, which
then imports only DuckDB, Arrow and the dedup code (importing the flow's module there
cost ~60 MB of the run's peak memory).
"""

from __future__ import annotations

import math
import shutil
import time
from contextlib import closing
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows import dedup
from flows.config import Config
from flows.dedup.index import index_metadata, split_by_settings
from flows.publish.layout import StagingLayout
from flows.publish.parts import split_documents, split_sentence_rows
from flows.publish.writers import write_parquet_atomic

MEMORY_RETRIES = 2  # on DuckDB's out-of-memory error, try again with twice the memory, this many times
AUTO_MEMORY_MB = 400  # dedup_memory_mb = 0 (the default): this much up to AUTO_BASE_ROWS documents ...
AUTO_BASE_ROWS = 250_000  # ... then growing with the square root of the documents
OUTPUTS = (
    "decisions.parquet",
    "index-sentences.parquet",
    "index-docs.parquet",
    "part-shares.parquet",
    "part-sentences",
    "parts",
    "duckdb-spill",
)


def run_deduplicate(staging: str, config: Config, prior_docs: list[str], prior_sentences: list[str]) -> dict:
    """Run-wide exact and near-duplicate clustering (against the index too), then
    repeated sentences; writes decisions, each part's documents and sentences, and this
    run's index files.  Its counts, with ``cpu_seconds`` (this process's CPU meanwhile)
    and ``memory_mb`` (DuckDB's memory limit it finished with).

    DuckDB's memory is ``dedup_memory_mb``, or when that is 0 (the default)
    ``auto_memory_mb`` of the staged and index documents.  DuckDB spills most of its work
    to disk, but not all of it: when it still runs out of memory, the step starts again
    from the staged batches with twice the memory, at most ``MEMORY_RETRIES`` times, and
    raises DuckDB's error after that."""
    import duckdb  # here: the flow's process imports this module, and with workers never runs it

    memory = config.dedup_memory_mb or auto_memory_mb(
        parquet_rows(sorted(StagingLayout(Path(staging)).batches.glob("*.parquet"))) + parquet_rows(prior_docs)
    )
    for attempt in range(MEMORY_RETRIES + 1):
        try:
            counts = _deduplicate(staging, config, memory, prior_docs, prior_sentences)
            return {**counts, "memory_mb": memory, "memory_retries": attempt}
        except duckdb.OutOfMemoryException:
            if attempt == MEMORY_RETRIES:
                raise
            remove_outputs(staging)  # _deduplicate closed its connection: its memory and spill are gone
            memory *= 2
    raise AssertionError("unreachable")


def auto_memory_mb(rows: int) -> int:
    """DuckDB's memory for deduplicating ``rows`` documents (staged and from the index)
    when ``dedup_memory_mb`` is 0: ``AUTO_MEMORY_MB`` up to ``AUTO_BASE_ROWS`` documents,
    then growing with the square root of their number (sub-linearly, as the issue's
    memory target asks), in steps of 50 MB.  At a million documents 400 MB ran out in the
    repeated-sentence step and 800 completed.

    >>> auto_memory_mb(100_000), auto_memory_mb(500_000), auto_memory_mb(1_000_000), auto_memory_mb(4_000_000)
    (400, 550, 800, 1600)
    """
    scaled = AUTO_MEMORY_MB * math.sqrt(max(rows, 0) / AUTO_BASE_ROWS)
    return max(AUTO_MEMORY_MB, round(scaled / 50) * 50)


def parquet_rows(paths) -> int:
    """Rows of Parquet files, from their footers (nothing else is read)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in paths)


def remove_outputs(staging: str | Path) -> None:
    """Remove what a failed attempt of ``run_deduplicate`` may have written."""
    st = Path(staging)
    for name in OUTPUTS:
        path = st / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


def _deduplicate(
    staging: str, config: Config, memory_mb: int, prior_docs: list[str], prior_sentences: list[str]
) -> dict:
    st = Path(staging)
    cpu0 = time.process_time()  # the process's CPU: DuckDB's threads, and Prefect's few meanwhile
    glob = StagingLayout(st).batches_glob
    with closing(dedup.connect(memory_limit=f"{memory_mb}MB", spill_dir=str(StagingLayout(st).spill))) as con:
        decisions, repeated, flagged, exact_only = _decide_and_find_repeats(
            con, st, glob, config, prior_docs, prior_sentences
        )
    # a fresh connection: on the one that found the repeated sentences, whose spilled blocks
    # DuckDB keeps, the split of the documents was several times slower
    with closing(dedup.connect(memory_limit=f"{memory_mb}MB", spill_dir=str(StagingLayout(st).spill))) as con:
        return {
            **_split_and_count(con, st, glob, config, decisions, repeated, flagged, cpu0),
            "exact_only_runs": exact_only,
        }


def _link_overlaps(con, decisions, config: Config):
    """Containment and overlap links from the shared sentences (``dedup.link_overlaps``); the
    sentences of documents it rejects leave ``sentences_out`` (and so the index)."""
    pairs = con.execute("SELECT x, y, y_prior, shared FROM doc_overlaps ORDER BY x, y, y_prior").fetchall()
    sizes = {
        (d, p): (n, r) for d, p, n, r in con.execute("SELECT doc_id, prior, n, rank FROM doc_sentences").fetchall()
    }
    con.execute("DROP TABLE IF EXISTS doc_overlaps; DROP TABLE IF EXISTS doc_sentences")
    before = decisions.column("status")
    decisions = dedup.link_overlaps(
        decisions, pairs, sizes, config.containment_threshold, config.overlap_threshold, config.contained_policy
    )
    rejected = pc.filter(
        decisions.column("doc_id"),
        pc.and_(pc.equal(before, "clean"), pc.equal(decisions.column("status"), "duplicate")),
    )
    if len(rejected):
        con.register("newly_rejected", pa.table({"doc_id": rejected}))
        con.execute("DELETE FROM sentences_out WHERE doc_id IN (SELECT doc_id FROM newly_rejected)")
        con.unregister("newly_rejected")
    return decisions


def _decide_and_find_repeats(
    con, st: Path, glob: str, config: Config, prior_docs: list[str], prior_sentences: list[str]
):
    docs_other = split_by_settings(prior_docs, "docs")[1]  # signatures made otherwise: exact matches only
    sents_other = split_by_settings(prior_sentences, "sentences")[1]
    decisions = dedup.decide(
        glob, config.near_duplicate_threshold, con, prior_docs, config.part_rows, exact_only=docs_other
    )
    dedup.sentence_repeats(
        glob, decisions, con, prior_sentences, near=config.near_duplicate_sentences, exact_only=sents_other
    )
    decisions = _link_overlaps(con, decisions, config)
    write_parquet_atomic(decisions, st / "decisions.parquet")
    con.register("decisions", decisions)
    # the index files are written by DuckDB straight from its tables (fetching 2M sentence
    # rows with their signatures into Arrow first cost 600 MB); same types as INDEX_DOCS / INDEX_SENTENCES
    dedup.copy_to_parquet(
        con,
        """SELECT doc_id::VARCHAR AS doc_id, published::VARCHAR AS published, position::INTEGER AS position,
                  key::BIGINT AS key, signature::BLOB AS signature
           FROM sentences_out ORDER BY doc_id, position""",
        StagingLayout(st).index("sentences"),
        index_metadata("sentences"),
    )
    repeated, flagged = con.execute(
        "SELECT count(*), count(DISTINCT doc_id) FROM sentences_out WHERE repeats_doc_id IS NOT NULL"
    ).fetchone()
    split_sentence_rows(con, st)  # each part's sentences in files of their own
    return decisions, repeated, flagged, len(docs_other)


def _split_and_count(
    con, st: Path, glob: str, config: Config, decisions, repeated: int, flagged: int, cpu0: float
) -> dict:
    con.register("decisions", decisions)
    split_documents(con, st, part_rows=config.part_rows)  # each part's documents too: one pass over the batches
    dedup.copy_to_parquet(
        con,
        f"""SELECT s.doc_id::VARCHAR AS doc_id, s.published::VARCHAR AS published, length(s.text)::BIGINT AS n,
                   s.exact_hash::VARCHAR AS exact_hash, s.signature::BLOB AS signature
            FROM read_parquet('{glob}') s JOIN decisions d USING (input_ref) WHERE d.status = 'clean' ORDER BY s.doc_id""",
        StagingLayout(st).index("docs"),
        index_metadata("docs"),
    )
    clusters = con.execute(
        f"""SELECT d.duplicate_of, any_value(c.title), count(*) AS n
            FROM decisions d LEFT JOIN (
                SELECT s.title, x.doc_id FROM read_parquet('{glob}') s JOIN decisions x USING (input_ref)
                WHERE x.status = 'clean'  -- a rejected record may share the canonical's doc_id
            ) c ON c.doc_id = d.duplicate_of
            WHERE d.status = 'duplicate' GROUP BY d.duplicate_of ORDER BY n DESC, d.duplicate_of LIMIT 20"""
    ).fetchall()
    status = decisions.column("status").to_pylist()
    counts = {
        "in": status.count("clean") + status.count("duplicate"),
        "rejected": status.count("duplicate")
        + sum(1 for r in decisions.column("reason").to_pylist() if r and r.startswith("duplicate_id")),
        "duplicates": status.count("duplicate"),
        "clean_candidates": status.count("clean"),
        "repeated_sentences": repeated,
        "flagged": flagged,
        "parts": (max(decisions.column("part").to_pylist()) + 1) if len(status) else 0,
        "clusters": [{"doc_id": d, "title": t, "duplicates": n} for d, t, n in clusters],
    }
    counts["cpu_seconds"] = round(time.process_time() - cpu0, 3)
    return counts
