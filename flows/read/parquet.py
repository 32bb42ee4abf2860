"""``.parquet`` input: one row a record, read in chunks of rows."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pyarrow.parquet as pq

from flows.read.files import CHANGED, Chunk, InputFile, changed_since_listed
from flows.read.records import META_FIELDS, quarantined, record_from_mapping


def read(inp: InputFile, max_bytes: int, chunk: Chunk | None = None) -> Iterator[dict]:
    """Rows of a Parquet file with a ``text`` column and optional metadata columns (without
    ``text``, each row is a quarantined record with its id).  With ``chunk``, only its rows
    (row groups before it are skipped unread)."""
    try:
        pf = pq.ParquetFile(inp.path)
    except Exception as exc:  # pyarrow raises several types for a corrupt file
        yield quarantined(inp.ref, f"unreadable_parquet: {exc}")
        return
    names = set(pf.schema_arrow.names)
    no_text = None if "text" in names else f"missing_text: Parquet file has no 'text' column (columns: {sorted(names)})"
    columns = [c for c in ("id", "text", *META_FIELDS) if c in names]
    start = chunk.start if chunk is not None else 0
    stop = start + chunk.count if chunk is not None and chunk.count is not None else pf.metadata.num_rows
    groups, row, first = [], 0, 0  # first: index of the first row of the row groups read
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if row + n > start and row < stop:
            first = first if groups else row
            groups.append(g)
        row += n
    row = first
    if not groups:
        return
    try:
        if changed_since_listed(inp, os.stat(inp.path)):
            yield quarantined(f"{inp.ref}:{start + 1}", CHANGED)
            return
    except OSError as exc:
        yield quarantined(f"{inp.ref}:{start + 1}", f"unreadable: {exc.strerror}")
        return
    for batch in pf.iter_batches(columns=columns, batch_size=4096, row_groups=groups):
        lo, hi = max(start - row, 0), min(stop - row, batch.num_rows)
        if hi > lo:
            for i, obj in enumerate(batch.slice(lo, hi - lo).to_pylist(), start=row + lo + 1):
                rec = record_from_mapping(obj, f"{inp.ref}:{i}")
                if no_text:  # each row is rejected with its own id and metadata
                    rec["reason"] = no_text
                yield rec
        row += batch.num_rows
        if row >= stop:
            return


def plan(inp: InputFile, size: int, first: int) -> list[Chunk]:
    """Row ranges of at most ``size`` rows, the first of at most ``first`` (from the footer's
    row count, nothing else read); a file that cannot be opened is one chunk."""
    try:
        pf = pq.ParquetFile(inp.path)
        rows = pf.metadata.num_rows
    except Exception:
        rows = None
    if not rows:
        return [Chunk(inp)]
    starts = [0, *range(first, rows, size)]
    return [Chunk(inp, start, min(end, rows) - start) for start, end in zip(starts, [*starts[1:], rows])]
