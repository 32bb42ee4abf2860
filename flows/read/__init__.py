"""Input readers: one module per format behind one interface.

A format is a module with ``read(inp, max_bytes, chunk=None)`` (records, never raising on bad
content: a record that cannot be read becomes a quarantined record with a reason, so that every
input record reaches the output exactly once) and ``plan(inp, size, first)`` (the chunks a big
file is read in).  ``FORMATS`` maps a file suffix to its module: adding a format is one module
and one line here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flows.read import jsonl, parquet, txt
from flows.read.files import (
    CHANGED,
    OUTPUT_MARKER,
    SUFFIXES,
    Chunk,
    InputError,
    InputFile,
    discover_inputs,
)
from flows.read.records import quarantined

__all__ = [
    "CHANGED",
    "FORMATS",
    "OUTPUT_MARKER",
    "SUFFIXES",
    "Chunk",
    "InputError",
    "InputFile",
    "discover_inputs",
    "plan_chunks",
    "read_chunk",
    "read_input",
]


def plan_chunks(inp: InputFile, size: int, first: int | None = None) -> list[Chunk]:
    """Cut a JSONL or Parquet file into chunks of at most ``size`` records, so that a
    big file is read and cleaned a batch at a time; the first chunk holds at most
    ``first`` records (the room left in the batch being filled; default ``size``).  Each
    chunk's ``count`` is its number of records.  A file that cannot be opened is one chunk
    (its reader quarantines it).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "a.jsonl")
    >>> _ = open(p, "w").write('{"text": "a"}\\n\\n{"text": "b"}\\n{"text": "c"}\\n')
    >>> [(c.start, c.count, c.offset, c.line) for c in plan_chunks(InputFile("a.jsonl", p), 2)]
    [(0, 2, 0, 1), (2, 1, 29, 4)]
    >>> [(c.start, c.count, c.offset, c.line) for c in plan_chunks(InputFile("a.jsonl", p), 2, first=1)]
    [(0, 1, 0, 1), (1, 2, 15, 3)]
    """
    first = size if first is None else max(1, min(first, size))
    return FORMATS[Path(inp.path).suffix].plan(inp, size, first)


FORMATS = {".txt": txt, ".jsonl": jsonl, ".parquet": parquet}  # suffix -> format module (read, plan)
assert tuple(FORMATS) == SUFFIXES, "flows.read.files.SUFFIXES lists the formats of FORMATS"


def read_input(inp: InputFile, max_bytes: int) -> Iterator[dict]:
    """Records of one input file, whatever its format (an entry with a problem: one quarantined record)."""
    if inp.problem:
        yield quarantined(inp.ref, inp.problem)
        return
    yield from FORMATS[Path(inp.path).suffix].read(inp, max_bytes)


def read_chunk(chunk: Chunk, max_bytes: int) -> Iterator[dict]:
    """Records of one chunk of a JSONL or Parquet file (a ``.txt`` file is one chunk); an
    entry with a problem is one quarantined record."""
    if chunk.file.problem:
        yield quarantined(chunk.file.ref, chunk.file.problem)
        return
    whole = chunk.start == 0 and chunk.count is None
    yield from FORMATS[Path(chunk.file.path).suffix].read(chunk.file, max_bytes, None if whole else chunk)
