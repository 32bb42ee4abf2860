"""State kept under the output folder across runs, and how a run commits.

* ``runs/<run_id>.json`` — the run manifest, written last: **a run exists only if its
  manifest does**.  Everything else a run publishes (dataset partitions, index files) is
  named by its ``run_id``; on start, files of runs without a manifest (a crash between
  publishing and committing) are removed.
* Incremental input: the manifests list every input file a run processed (size, mtime,
  SHA-256); a file whose size and mtime, or else content hash, match the last successful
  run that processed it is skipped.
* ``index/docs/run_id=<id>.parquet`` and ``index/sentences/run_id=<id>.parquet`` — the
  cross-run deduplication index: signatures of what each run published.
* ``.lock`` — one run at a time per output folder (``fcntl.flock``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows.publish.layout import DATASETS, INDEX_KINDS, OutputLayout
from flows.read import OUTPUT_MARKER, InputFile

_RUN_ID = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{4,}$")


class OutputBusy(RuntimeError):
    """Another newsclean run holds the output folder's lock."""


class DamagedManifest(RuntimeError):
    """A run manifest cannot be read or fails its checksum: nothing may be cleaned up."""


def manifest_checksum(manifest: dict) -> str:
    """SHA-256 of the manifest's canonical JSON, without its own ``checksum`` field.

    >>> manifest_checksum({"run_id": "x", "checksum": "ignored"}) == manifest_checksum({"run_id": "x"})
    True
    """
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def with_checksum(manifest: dict) -> dict:
    """The manifest with its ``checksum`` field set (written last: the commit point)."""
    return {**manifest, "checksum": manifest_checksum(manifest)}


def read_manifest(path: Path) -> dict:
    """A run manifest, checked: it parses, is an object, names its run, and matches its
    checksum (manifests written before checksums existed have none).  Raises ``DamagedManifest``."""
    how = (
        f"restore {path} from a backup, or move it out of {path.parent} (that run's partitions then "
        "count as uncommitted and are removed by the next run)"
    )
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DamagedManifest(f"run manifest {path} is damaged ({exc}): {how}") from None
    if not isinstance(manifest, dict) or manifest.get("run_id") != path.stem:
        raise DamagedManifest(f"run manifest {path} is damaged (not the manifest of run {path.stem}): {how}")
    if "checksum" in manifest and manifest["checksum"] != manifest_checksum(manifest):
        raise DamagedManifest(f"run manifest {path} is damaged (its checksum does not match its content): {how}")
    return manifest


@contextmanager
def output_lock(out: Path):
    """Hold an exclusive lock on ``out/.lock`` for the duration of a run; mark ``out`` as an
    output folder (``OUTPUT_MARKER``) so that no run ever reads it as input."""
    out.mkdir(parents=True, exist_ok=True)
    marker = out / OUTPUT_MARKER
    if not marker.exists():
        marker.write_text("newsclean output folder: input folders that contain it skip it\n", encoding="utf-8")
    fh = open(out / ".lock", "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(f"another newsclean run is using {out} (lock {out / '.lock'})") from None
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def committed_runs(out: Path) -> dict[str, dict]:
    """Manifests of the runs that committed, by run_id (sorted).  A manifest that cannot be
    read raises ``DamagedManifest``: skipping it would make its run's published data look
    uncommitted, and cleanup would delete it."""
    return {p.stem: read_manifest(p) for p in sorted(OutputLayout(out).runs.glob("*.json"))}


def published_titles(out: Path, runs: dict[str, dict], doc_ids: list[str]) -> dict[str, str]:
    """Titles of ``doc_ids`` published as clean by the committed ``runs`` (run_id -> manifest):
    a duplicate cluster whose canonical document came in an earlier run still shows its title."""
    import pyarrow.dataset as ds

    wanted = sorted(set(doc_ids))
    folders = [
        str(d)
        for run_id, m in sorted(runs.items())
        if (d := OutputLayout(out).partition("clean", run_id, m.get("run_date", ""))).is_dir()
    ]
    if not wanted or not folders:
        return {}
    files = [str(f) for folder in folders for f in sorted(Path(folder).glob("*.parquet"))]
    table = ds.dataset(files, format="parquet").to_table(
        columns=["doc_id", "title"], filter=ds.field("doc_id").isin(wanted)
    )
    return {d: t for d, t in zip(table.column("doc_id").to_pylist(), table.column("title").to_pylist()) if t}


def recover(out: Path) -> list[str]:
    """Remove what uncommitted (crashed) runs left behind; returns what was removed."""
    committed = set(committed_runs(out))
    removed = []
    for dataset in DATASETS:
        for run_dir in sorted(OutputLayout(out).dataset(dataset).glob("run_date=*/run_id=*")):
            if run_dir.name.split("=", 1)[1] not in committed:
                shutil.rmtree(run_dir)
                removed.append(str(run_dir))
        for date_dir in sorted(OutputLayout(out).dataset(dataset).glob("run_date=*")):
            if date_dir.is_dir() and not any(date_dir.iterdir()):
                date_dir.rmdir()
    for kind in INDEX_KINDS:
        for f in sorted(OutputLayout(out).index_dir(kind).glob("run_id=*.parquet")):
            if f.stem.split("=", 1)[1] not in committed:
                f.unlink()
                removed.append(str(f))
    for d in sorted(OutputLayout(out).staging_root.glob("*")):
        shutil.rmtree(d, ignore_errors=True)
        removed.append(str(d))
    for tmp in OutputLayout(out).runs.glob(".*.tmp-*"):
        tmp.unlink()
    return removed


def file_digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def describe_input(f: InputFile, digest: str | None = None) -> dict:
    """What the manifest records of an input: size, mtime and SHA-256, or its problem."""
    if f.problem:
        return {"ref": f.ref, "problem": f.problem}
    st = os.stat(f.path)
    return {"ref": f.ref, "bytes": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest or file_digest(f.path)}


def select_inputs(
    files: list[InputFile], runs: dict[str, dict], reprocess: bool = False
) -> tuple[list[tuple[InputFile, dict]], list[str]]:
    """Split ``files`` into (to process, with their description) and (unchanged refs).

    A file is unchanged when the latest committed run that processed its ref saw the same
    size and mtime, or else the same SHA-256 content hash; an entry with a problem, when
    that run saw the same problem.  A file that cannot be read here becomes an entry with
    a problem (one rejected row), not an error.
    """
    known: dict[str, dict] = {}
    for run_id in sorted(runs):
        for entry in runs[run_id].get("inputs", []):
            known[entry["ref"]] = entry
    todo, unchanged = [], []
    for f in files:
        prev = None if reprocess else known.get(f.ref)
        try:
            if not f.problem:
                st = os.stat(f.path)
                if prev and prev.get("bytes") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns:
                    unchanged.append(f.ref)
                    continue
            desc = describe_input(f)
        except OSError as exc:
            f = InputFile(f.ref, f.path, f"unreadable: {exc.strerror}")
            desc = describe_input(f)
        same = ("problem", "sha256") if f.problem else ("sha256",)
        if prev and all(prev.get(k) == desc.get(k) for k in same):
            unchanged.append(f.ref)
            continue
        if not f.problem:  # the reader checks the file is still what the manifest records
            f = replace(f, size=desc["bytes"], mtime_ns=desc["mtime_ns"])
        todo.append((f, desc))
    return todo, unchanged


def live_index_runs(runs: dict[str, dict], window_days: int, now: datetime | None = None) -> list[str]:
    """Committed runs whose index entries have not expired (``window_days`` 0: never)."""
    if not window_days:
        return sorted(runs)
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=window_days)
    live = []
    for run_id, manifest in sorted(runs.items()):
        finished = manifest.get("finished_at")
        try:
            when = datetime.fromisoformat(finished) if finished else None
        except ValueError:
            when = None
        if when is None or when >= cutoff:
            live.append(run_id)
    return live


def prune_index(out: Path, live: list[str]) -> list[str]:
    """Delete index files of runs that are no longer live (expired by the time window)."""
    keep = set(live)
    removed = []
    for kind in INDEX_KINDS:
        for f in sorted(OutputLayout(out).index_dir(kind).glob("run_id=*.parquet")):
            if f.stem.split("=", 1)[1] not in keep:
                f.unlink()
                removed.append(str(f))
    return removed
