"""Parquet, JSON and text writers: every write goes to a temporary file first, then a
rename, so a crash never leaves a partial file where a reader looks."""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROW_GROUP_ROWS = 10_000


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; on success, rename it to ``path``.
    On failure the temporary file is removed and ``path`` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet_atomic(table: pa.Table, path: str | Path, compression: str = "zstd") -> Path:
    """Write ``table`` to ``path`` (zstd, fixed row groups)."""
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression=compression, row_group_size=ROW_GROUP_ROWS, write_statistics=True)
    return Path(path)


def write_json_atomic(data: dict, path: str | Path) -> Path:
    """Write ``data`` as indented, key-sorted JSON, fsynced before the rename (the run
    manifest is the commit point of a run)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


def write_text_atomic(text: str, path: str | Path) -> Path:
    """Write a UTF-8 text file."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
