"""``.txt`` input: one article a file, optional header lines (title, date, URL, byline)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from flows.read.decode import decode_bytes
from flows.read.files import CHANGED, Chunk, InputFile, changed_since_listed
from flows.read.headers import site_of, split_header
from flows.read.records import base_record, meta_of, quarantined


def read(inp: InputFile, max_bytes: int, chunk: Chunk | None = None) -> Iterator[dict]:
    """One article per file (one chunk, whatever ``chunk`` says); leading header lines become metadata."""
    try:
        size = os.path.getsize(inp.path)
        if size > max_bytes:
            yield quarantined(inp.ref, f"too_long: {size} bytes > {max_bytes}")
            return
        with open(inp.path, "rb") as fh:
            data = fh.read()
            changed = changed_since_listed(inp, os.fstat(fh.fileno()))
    except OSError as exc:
        yield quarantined(inp.ref, f"unreadable: {exc.strerror}")
        return
    if changed:
        yield quarantined(inp.ref, CHANGED)
        return
    text, problem = decode_bytes(data)
    if text is None:
        yield quarantined(inp.ref, problem)
        return
    meta, body = split_header(text)
    yield base_record(inp.ref, raw_text=body, source=meta.get("source") or site_of(meta.get("url")), **meta_of(meta))


def plan(inp: InputFile, size: int, first: int) -> list[Chunk]:
    """A ``.txt`` file is one record, so one chunk.

    >>> [(c.start, c.count) for c in plan(InputFile("a.txt", "a.txt"), 100, 10)]
    [(0, 1)]
    """
    return [Chunk(inp, 0, 1)]
