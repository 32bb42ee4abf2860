"""``.jsonl`` input: one JSON object a line, read in chunks of records."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from flows.read.decode import decode_bytes
from flows.read.files import CHANGED, Chunk, InputFile, changed_since_listed
from flows.read.records import (
    MAX_JSON_DEPTH,
    json_depth,
    quarantined,
    record_from_mapping,
)


def read(inp: InputFile, max_bytes: int, chunk: Chunk | None = None) -> Iterator[dict]:
    """One JSON object per line; a bad line becomes a quarantined record naming its line.
    With ``chunk``, only that chunk's lines (from its byte offset)."""
    try:
        fh = open(inp.path, "rb")
    except OSError as exc:
        yield quarantined(inp.ref, f"unreadable: {exc.strerror}")
        return
    first_line, left = 1, None
    if chunk is not None:
        fh.seek(chunk.offset)
        first_line, left = chunk.line, chunk.count
    lines: list[tuple[int, bytes]] = []  # the chunk's lines, read before any is parsed
    with fh:
        for lineno, raw in enumerate(fh, start=first_line):
            if not raw.strip():
                continue
            if left is not None:
                if left == 0:
                    break
                left -= 1
            lines.append((lineno, raw))
        changed = changed_since_listed(inp, os.fstat(fh.fileno()))
    if changed:  # one record for the chunk: its lines may be half old, half new
        yield quarantined(f"{inp.ref}:{lines[0][0] if lines else first_line}", CHANGED)
        return
    for lineno, raw in lines:
        yield _jsonl_record(raw, f"{inp.ref}:{lineno}", lineno, max_bytes)


def _jsonl_record(raw: bytes, ref: str, lineno: int, max_bytes: int) -> dict:
    if len(raw) > max_bytes:
        return quarantined(ref, f"too_long: line {lineno} has {len(raw)} bytes > {max_bytes}")
    text, problem = decode_bytes(raw)
    if text is None:
        return quarantined(ref, f"{problem} (line {lineno})")
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        return quarantined(ref, f"malformed_json: line {lineno}: {msg}", raw_text=text[:10000])
    if json_depth(obj, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return quarantined(ref, f"malformed_json: line {lineno}: nested deeper than {MAX_JSON_DEPTH}")
    return record_from_mapping(obj, ref)


def plan(inp: InputFile, size: int, first: int) -> list[Chunk]:
    """Chunks of at most ``size`` non-blank lines, the first of at most ``first``, each with the
    byte offset and line number it starts at; a file that cannot be opened is one chunk.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "a.jsonl")
    >>> _ = open(p, "w").write('{"text": "a"}\\n\\n{"text": "b"}\\n{"text": "c"}\\n')
    >>> [(c.start, c.count, c.offset, c.line) for c in plan(InputFile("a.jsonl", p), 2, 2)]
    [(0, 2, 0, 1), (2, 1, 29, 4)]
    """
    marks: list[tuple[int, int, int]] = []  # (record, byte offset, line) where a chunk starts
    try:
        with open(inp.path, "rb") as fh:
            offset, records = 0, 0
            for lineno, raw in enumerate(fh, start=1):
                if raw.strip():
                    if records == 0 or (records >= first and (records - first) % size == 0):
                        marks.append((records, offset, lineno))
                    records += 1
                offset += len(raw)
    except OSError:
        return [Chunk(inp)]
    ends = [m[0] for m in marks[1:]] + [records]
    return [Chunk(inp, start, end - start, offset, line) for (start, offset, line), end in zip(marks, ends)] or [
        Chunk(inp)
    ]
