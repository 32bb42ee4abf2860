"""Output parts: cut once after deduplication, then validated and written one at a time.

A part is ``part_rows`` documents of a contiguous ``doc_id`` range (``dedup.decide``
assigns them).  ``split_documents`` reads the staged batches once and writes each part's
documents, with their decisions, to ``<staging>/parts/part=N/``, and ``split_sentence_rows``
each part's sentences to ``<staging>/part-sentences/part=N/``: validating part N then
reads only part N's files (reading every staged batch for every part grew with the square
of the run).

``validate_part_tables`` and ``write_part_tables`` run in the flow's process or in a
part worker (``flows.run.workers``); nothing here imports Prefect.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from cleaners.passages import drop_sentences
from cleaners.quality import has_mojibake
from flows import dedup
from flows.config import Config
from flows.publish.layout import StagingLayout
from flows.publish.schema import DOCUMENTS, SENTENCES
from flows.publish.writers import write_parquet_atomic

CLEAN_SUITE = "clean_documents"
REJECTED_SUITE = "rejected_documents"
RUN_SUITE = "run"
DECIDED = (
    "doc_id",
    "status",
    "reason",
    "duplicate_of",
    "relation",
    "overlap_share",
)  # columns that come from the decisions


class ValidationDefect(RuntimeError):
    """Rejected rows or run counts break their suite: a defect, nothing is published."""


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def split_sentence_rows(con, staging: str | Path, sentences: str = "sentences_out") -> None:
    """Write each part's sentences to ``<staging>/part-sentences/part=N/`` and each clean
    document's share of repeated sentences to ``<staging>/part-shares.parquet``, from the
    ``sentences`` table of ``dedup.sentence_repeats`` on ``con``."""
    st = Path(staging)
    dedup.shared_passages(con, sentences)
    con.execute(
        f"""COPY (SELECT s.doc_id, s.part, s.position, s.text, s.repeats_doc_id, s.repeats_position,
                         p.passage_doc_id, p.passage_position, p.passage_sentences
                  FROM {sentences} s LEFT JOIN passages p USING (doc_id, position))
            TO '{_sql_path(st / "part-sentences")}' (FORMAT parquet, PARTITION_BY (part), COMPRESSION lz4)"""
    )
    con.execute(
        f"""COPY (SELECT doc_id, avg(CASE WHEN repeats_doc_id IS NULL THEN 0 ELSE 1 END)::DOUBLE AS share
                  FROM {sentences} GROUP BY doc_id)
            TO '{_sql_path(st / "part-shares.parquet")}' (FORMAT parquet)"""
    )
    con.execute("DROP TABLE passages")


def split_documents(con, staging: str | Path, decisions: str = "decisions", part_rows: int = dedup.PART_ROWS) -> None:
    """Write every part's documents (``DOCUMENTS`` columns and ``has_mojibake``) to
    ``<staging>/parts/part=N/`` in one pass over the staged batches; ``decisions`` names
    the table of ``dedup.decide`` registered on ``con``.  Run it on a fresh connection:
    on the one that found the repeated sentences, whose spilled blocks DuckDB keeps, the
    same copy took 25 s instead of 4 at 100k."""
    st = Path(staging)
    # DuckDB buffers each thread's rows of every partition until 524,288 rows by default:
    # at a million documents that held most of the run's text (18 GB spilled); flush a
    # part's worth at a time instead
    parts = con.execute(f"SELECT coalesce(max(part), 0) + 1 FROM {decisions}").fetchone()[0]
    con.execute(
        f"SET partitioned_write_flush_threshold = {int(part_rows)}; "
        f"SET partitioned_write_max_open_files = {min(parts + 1, 512)}"
    )
    cols = ", ".join(
        f"d.{c}"
        if c in DECIDED
        else ("d.share AS repeated_sentence_share" if c == "repeated_sentence_share" else f"s.{c}")
        for c in DOCUMENTS.names
    )
    shares = st / "part-shares.parquet"
    shares_sql = (
        f"read_parquet('{_sql_path(shares)}')"
        if shares.exists()
        else "(SELECT NULL::VARCHAR AS doc_id, NULL::DOUBLE AS share)"
    )
    # the decisions and shares joined first, into a narrow table; the join condition is the
    # key alone (with "AND d.status = 'clean'" in it DuckDB compared every pair of rows:
    # 25 s at 100k instead of 4)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE decided AS
            SELECT d.input_ref, d.doc_id, d.status, d.reason, d.duplicate_of, d.relation, d.overlap_share, d.part,
                   CASE WHEN d.status = 'clean' THEN r.share END AS share
            FROM {decisions} d LEFT JOIN {shares_sql} r ON r.doc_id = d.doc_id"""
    )
    con.execute(
        f"""COPY (
            SELECT {cols}, s.has_mojibake, d.part
            FROM read_parquet('{_sql_path(StagingLayout(st).batches / "*.parquet")}') s JOIN decided d USING (input_ref)
        ) TO '{_sql_path(st / "parts")}' (FORMAT parquet, PARTITION_BY (part), COMPRESSION lz4)"""
    )
    con.execute("DROP TABLE decided")


def part_tables(staging: str | Path, part: int) -> tuple[pa.Table, pa.Table, pa.Array]:
    """One part's documents and sentences, sorted by ``doc_id`` (then ``input_ref`` /
    ``position``), and each document's ``has_mojibake`` (computed when it was staged)."""
    st = Path(staging)
    con = dedup.connect(threads=1)
    docs = con.execute(
        f"SELECT * EXCLUDE (part) FROM read_parquet('{_sql_path(st / 'parts' / f'part={part}' / '*.parquet')}') "
        "ORDER BY doc_id, input_ref"
    ).fetch_arrow_table()
    mojibake = docs.column("has_mojibake").combine_chunks()
    docs = docs.select(DOCUMENTS.names).cast(DOCUMENTS)
    sent_dir = st / "part-sentences" / f"part={part}"
    if sent_dir.exists():  # a part without clean documents has no sentences
        sents = (
            con.execute(
                f"SELECT doc_id, position, text, repeats_doc_id, repeats_position, passage_doc_id, passage_position, passage_sentences "
                f"FROM read_parquet('{_sql_path(sent_dir / '*.parquet')}') ORDER BY doc_id, position"
            )
            .fetch_arrow_table()
            .cast(SENTENCES)
        )
    else:
        sents = SENTENCES.empty_table()
    con.close()
    return docs, sents, mojibake


def drop_repeated(docs: pa.Table, sents: pa.Table, mojibake: pa.Array) -> tuple[pa.Table, pa.Table, pa.Array]:
    """The ``repeated_sentences = "drop"`` policy: repeated sentences leave ``text`` (each
    an edit, step ``dedup``) and ``sentences/``; ``has_mojibake`` is recomputed for the
    texts that changed."""
    repeated: dict[str, list[str]] = {}
    for row in sents.filter(pc.is_valid(sents.column("repeats_doc_id"))).to_pylist():
        repeated.setdefault(row["doc_id"], []).append(row["text"])
    if not repeated:
        return docs, sents, mojibake
    rows = docs.to_pylist()
    flags = mojibake.to_pylist()
    for i, row in enumerate(rows):
        if row["status"] == "clean" and row["doc_id"] in repeated:
            row["text"], edits = drop_sentences(row["text"], repeated[row["doc_id"]])
            row["edits"] = (row["edits"] or []) + edits
            flags[i] = has_mojibake(row["text"])
    return (
        pa.Table.from_pylist(rows, schema=DOCUMENTS),
        sents.filter(pc.is_null(sents.column("repeats_doc_id"))),
        pa.array(flags, pa.bool_()),
    )


def gate(docs: pa.Table, critical: list) -> tuple[pa.Table, int]:
    """Keep failing documents out of clean/: when every critical failure names all its
    offending rows (at most PARTIAL_ROWS each), only those rows go to rejected/; a failure
    that cannot be pinned to rows, or a systemic one, keeps the whole part out.
    Returns the new table and how many clean rows were rejected."""
    clean_mask = pc.equal(docs.column("status"), "clean")
    reasons: dict[str, list[str]] = {}
    if all(f.rows_complete for f in critical):
        for f in critical:
            for doc_id in f.rows:
                reasons.setdefault(doc_id, []).append(f.expectation)
        ids = docs.column("doc_id").to_pylist()
        hit = pa.array([bool(m) and i in reasons for i, m in zip(ids, clean_mask.to_pylist())])
        reason = pa.array(
            ["validation: failed " + ", ".join(sorted(set(reasons[i]))) if i in reasons else None for i in ids],
            pa.string(),
        )
    else:
        hit = clean_mask
        reason = pa.array(
            ["validation: failed " + ", ".join(sorted({f.expectation for f in critical}))] * docs.num_rows, pa.string()
        )
    docs = docs.set_column(
        docs.schema.get_field_index("status"), "status", pc.if_else(hit, "quarantined", docs.column("status"))
    )
    docs = docs.set_column(
        docs.schema.get_field_index("reason"), "reason", pc.if_else(hit, reason, docs.column("reason"))
    )
    return docs, pc.sum(hit.cast(pa.int64())).as_py() or 0


def validate_part_tables(
    staging: str | Path, part: int, gx_root: str | Path, config: Config
) -> tuple[pa.Table, pa.Table, dict]:
    """Read and validate one part: its clean documents (a critical failure sends them to
    rejected/ with reason ``validation``) and its rejected rows (a critical failure there
    is a defect: ``ValidationDefect``).  Returns the final documents, sentences and the
    part's summary; ``summary["results"]`` names the stored GX validation results (their
    Data Docs pages are built once per run, by ``expectations.validate.build_docs``)."""
    from cleaners.residue import residue_patterns
    from expectations.validate import (  # GX and pandas: loaded on first use
        DOCUMENT_COLUMNS,
        documents_frame,
        validate_frame,
    )

    docs, sents, mojibake = part_tables(staging, part)
    if config.repeated_sentences == "drop":
        docs, sents, mojibake = drop_repeated(docs, sents, mojibake)
    clean_mask = pc.equal(docs.column("status"), "clean")
    clean = docs.select(DOCUMENT_COLUMNS).filter(clean_mask)  # the suites' columns only: no copy of raw_text and edits
    summary = {"part": part, "success": True, "critical": [], "warnings": [], "suites": {}, "results": []}
    if clean.num_rows:
        accepted = list(config.languages) or sorted(set(clean.column("language").to_pylist()))
        outcome = validate_frame(
            documents_frame(clean, mojibake.filter(clean_mask)),
            CLEAN_SUITE,
            gx_root,
            f"part-{part:05d}",
            {"accepted_languages": accepted, "residue_patterns": residue_patterns()},
            docs=False,
        )
        summary["suites"][CLEAN_SUITE] = outcome.to_dict()
        summary["critical"] += [f.describe() for f in outcome.critical]
        summary["warnings"] += [f.describe() for f in outcome.warnings]
        summary["results"] += outcome.results
        if not outcome.success:
            summary["success"] = False
            docs, gated = gate(docs, outcome.critical)
            summary["rejected_rows"] = gated
            summary["whole_part"] = not all(f.rows_complete for f in outcome.critical)
            if gated == clean.num_rows:
                sents = sents.slice(0, 0)
            else:
                kept = pc.is_in(
                    sents.column("doc_id"), docs.filter(pc.equal(docs.column("status"), "clean")).column("doc_id")
                )
                sents = sents.filter(kept)
    rejected_mask = pc.not_equal(docs.column("status"), "clean")
    rejected = docs.select(DOCUMENT_COLUMNS).filter(rejected_mask)
    if rejected.num_rows:
        outcome = validate_frame(
            documents_frame(rejected, pc.filter(mojibake, rejected_mask)),
            REJECTED_SUITE,
            gx_root,
            f"part-{part:05d}",
            docs=False,
        )
        summary["suites"][REJECTED_SUITE] = outcome.to_dict()
        summary["warnings"] += [f.describe() for f in outcome.warnings]
        summary["results"] += outcome.results
        if not outcome.success:
            raise ValidationDefect(
                "rejected rows break the rejected_documents suite: " + "; ".join(f.describe() for f in outcome.critical)
            )
    return docs, sents, summary


def write_part_tables(docs: pa.Table, sents: pa.Table, staging: str | Path, part: int) -> dict:
    """Write a validated part's clean/, rejected/ and sentences/ files (empty files too:
    every run's datasets carry the schema); its counts, clean languages and distributions
    (``flows.publish.audit.part_shape``: measured here, where the texts are in memory)."""
    from flows.publish.audit import part_shape

    out = StagingLayout(Path(staging)).out
    clean_mask = pc.equal(docs.column("status"), "clean")
    clean, rejected = docs.filter(clean_mask), docs.filter(pc.invert(clean_mask))
    name = f"part-{part:05d}.parquet"
    for dataset, table in (("clean", clean), ("rejected", rejected), ("sentences", sents)):
        write_parquet_atomic(table, out / dataset / name)
    languages: dict[str, int] = {}
    for lang in clean.column("language").to_pylist():
        languages[lang] = languages.get(lang, 0) + 1
    return {
        "clean": clean.num_rows,
        "rejected": rejected.num_rows,
        "sentences": sents.num_rows,
        "languages": languages,
        "shape": part_shape(clean),
    }


def prepare_suites(gx_root: str | Path) -> None:
    """Save the three suites and their checkpoints in the GX project, once per run,
    before parts are validated (``expectations.validate.prepare_results_checkpoints``)."""
    from expectations.validate import prepare_results_checkpoints

    prepare_results_checkpoints(gx_root, [CLEAN_SUITE, REJECTED_SUITE, RUN_SUITE])


def validate_run_counts(counts: dict, gx_root: str | Path, results: list[list[str]]) -> dict:
    """The run suite on the run's counts, then the Data Docs of this run's validation
    ``results`` (the parts') and of the run suite, built once; the run suite's outcome
    with the Data Docs URL."""
    from expectations.validate import build_docs, run_frame, validate_frame

    outcome = validate_frame(run_frame(counts), RUN_SUITE, gx_root, "run", docs=False)
    return {**outcome.to_dict(), "data_docs": build_docs(gx_root, results + outcome.results)}
