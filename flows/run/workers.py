"""Worker processes: batch workers run the per-batch steps, part workers validate and
write output parts, and deduplicate runs in a process of its own (roles of ``Workers``).

A batch's records live in one worker process from ``read`` to ``stage``: each Prefect
task of the batch (running in a thread of the flow's process) sends its worker one call
and gets the step's counts back.  Records never travel between processes, Prefect never
sees them, and the per-batch steps of different batches run on different cores (the
flow's own threads share one core under the GIL).

The same three functions (``read_records``, ``run_step``, ``stage_records``) run in the
flow's process when there are no workers (``workers = 1``, or the Dask runner, whose
tasks already run in worker processes).  A part is held the same way, from its
``validate`` task to its ``write`` task (``held_validate``, ``held_write``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cleaners.quality import has_mojibake
from flows.config import Config
from flows.publish.schema import STAGED, records_to_table
from flows.publish.writers import write_parquet_atomic
from flows.read import Chunk, read_chunk
from flows.run.lifecycle import die_with_parent
from flows.run.memory import freeze_loaded_objects, release_memory, share_one_allocator
from flows.steps import BATCH_STEPS, call_step, new_counts

STEPS = dict(BATCH_STEPS)


def read_records(chunks: list[Chunk], config: Config, repeated: frozenset = frozenset()) -> tuple[list[dict], dict]:
    """The records of a batch's chunks and the read step's counts; each record carries the
    run's repeated lines (``flows.dedup.repeated_lines``) for the embeds step."""
    t0 = time.thread_time()
    records = [rec for c in chunks for rec in read_chunk(c, max_bytes=config.max_chars * 4)]
    if repeated:
        for rec in records:
            rec["repeated_lines"] = repeated
    counts = new_counts()
    counts["in"] = len(records)
    counts["rejected"] = sum(r["status"] is not None for r in records)
    counts["seconds"] = round(time.thread_time() - t0, 4)
    return records, counts


def run_step(name: str, records: list[dict], config: Config) -> dict:
    """Run one named step on a batch's records (in place); its counts with CPU seconds."""
    t0 = time.thread_time()  # this thread's CPU time: other tasks may run in other threads
    counts = call_step(STEPS[name], records, config)
    counts["seconds"] = round(time.thread_time() - t0, 4)
    return counts


def stage_records(records: list[dict], path: str) -> dict:
    """Write a batch's records as a staged Parquet file for the run-wide steps."""
    t0 = time.thread_time()
    for rec in records:
        rec["has_mojibake"] = has_mojibake(rec["text"]) if rec.get("text") else False
    table = records_to_table(records, STAGED, consume=True)  # the records are staged: emptied as the table grows
    write_parquet_atomic(table, Path(path), compression="lz4")  # temporary: speed over size
    return {"in": len(records), "seconds": round(time.thread_time() - t0, 4)}


# --- in a worker process -------------------------------------------------------------

_HELD: dict[str, object] = {}  # key -> a batch's records, or a validated part's tables


def held_read(key: str, chunks: list[Chunk], config: Config, repeated: frozenset = frozenset()) -> dict:
    """Read a batch into this worker, held under ``key``."""
    _HELD[key], counts = read_records(chunks, config, repeated)
    return counts


def held_step(key: str, name: str, config: Config) -> dict:
    return run_step(name, _HELD[key], config)


def held_stage(key: str, path: str) -> dict:
    counts = stage_records(_HELD.pop(key), path)
    release_memory()  # the next batch starts from the worker's base, not its high-water mark
    return counts


def held_validate(key: str, staging: str, part: int, gx_root: str, config: Config) -> dict:
    """Validate an output part in this worker and hold its tables under ``key``; its summary."""
    from flows.publish.parts import validate_part_tables

    docs, sents, summary = validate_part_tables(staging, part, gx_root, config)
    _HELD[key] = (docs, sents)
    return summary


def held_write(key: str, staging: str, part: int) -> dict:
    from flows.publish.parts import write_part_tables

    docs, sents = _HELD.pop(key)
    counts = write_part_tables(docs, sents, staging, part)
    del docs, sents
    gc.collect()  # validation leaves reference cycles holding its frames: measured 1.06 GiB peak over 6 parts, 0.71 with this
    release_memory()
    return counts


def forget_held(prefix: str) -> int:
    """Drop what a run that ended early (a step failed) left held."""
    keys = [k for k in _HELD if k.startswith(prefix)]
    for k in keys:
        del _HELD[k]
    return len(keys)


def _warm_batches() -> None:
    """Load models and rules once, when the worker starts, not in the first batch."""
    share_one_allocator()
    records = [{"status": None, "raw_text": "Warm-up text. Nothing here is published.", "reason": None}]
    for name in STEPS:
        run_step(name, records, Config())
    freeze_loaded_objects()  # models, rules and modules stay to the end: out of the collector's scans


def _warm_parts() -> None:
    """Import Great Expectations and pandas once, when the worker starts."""
    share_one_allocator()
    import expectations.validate  # noqa: F401

    freeze_loaded_objects()  # Great Expectations and pandas: the collection after each part walks only the part


def _warm_dedup() -> None:
    """Nothing to load: DuckDB starts with the first query."""


WARM = {"batches": _warm_batches, "parts": _warm_parts, "dedup": _warm_dedup}


def start_worker(role: str) -> None:
    """A worker's start: it ends with the flow's process (even a killed one), then warms up for ``role``."""
    die_with_parent()
    WARM[role]()


# --- in the flow's process -----------------------------------------------------------


class Workers:
    """``n`` single-process pools: batch or part ``i`` always goes to pool ``i % n``, so
    what a worker holds for it stays in one process across its tasks."""

    def __init__(self, n: int, role: str = "batches") -> None:
        ctx = multiprocessing.get_context("spawn")  # the flow's process runs threads and event loops: never fork it
        self.n = n
        self._pools = [
            ProcessPoolExecutor(1, mp_context=ctx, initializer=start_worker, initargs=(role,)) for _ in range(n)
        ]

    def start(self) -> Workers:
        """Start the worker processes now (a pool starts them on its first call), so that
        they load their models while something else waits, e.g. Prefect's server start."""
        for pool in self._pools:
            pool.submit(os.getpid)
        return self

    def call(self, slot: int, fn, *args):
        """Run ``fn(*args)`` (a module-level function) in worker ``slot``; its result."""
        return self._pools[slot].submit(fn, *args).result()

    def forget(self, prefix: str) -> None:
        for pool in self._pools:
            try:
                pool.submit(forget_held, prefix).result()
            except Exception:  # a broken pool holds nothing any more
                pass

    def shutdown(self) -> None:
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)


_SHARED: dict[tuple[int, str], Workers] = {}
_LOCK = threading.Lock()


def shared_workers(n: int, role: str = "batches") -> Workers:
    """The process's pool of ``n`` workers for ``role`` (``batches``: the per-batch
    steps; ``parts``: validating and writing output parts), started on first use.  A
    pool whose worker died is replaced."""
    with _LOCK:
        pool = _SHARED.get((n, role))
        if pool is not None and any(getattr(p, "_broken", False) for p in pool._pools):
            pool.shutdown()
            pool = None
        if pool is None:
            pool = _SHARED[(n, role)] = Workers(n, role)
        return pool


def release_workers(n: int, role: str = "batches") -> None:
    """Stop the pool of ``n`` workers for ``role`` once its phase of the run is over:
    their memory is free for the next phase.  With ``NEWSCLEAN_KEEP_WORKERS=1`` (the test
    suite) the pool is kept for the next run in this process, which then skips the start-up."""
    if os.environ.get("NEWSCLEAN_KEEP_WORKERS") == "1":
        return
    with _LOCK:
        pool = _SHARED.pop((n, role), None)
    if pool is not None:
        pool.shutdown()
