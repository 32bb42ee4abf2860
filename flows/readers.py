"""Input readers: ``.txt`` (one article a file), ``.jsonl`` and ``.parquet``.

Readers never raise on bad content: a record that cannot be read becomes a quarantined
record with a reason, so that every input record reaches the output exactly once.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from flows.headers import normalise_date, site_of, split_header

SUFFIXES = (".txt", ".jsonl", ".parquet")
META_FIELDS = ("title", "url", "published", "source")
MAX_JSON_DEPTH = 64
PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "cp1251", "koi8_r", "gb18030", "big5", "shift_jis", "euc_kr", "cp1250", "iso8859_2")


OUTPUT_MARKER = ".newsclean-output"  # written at the root of every output folder: inputs never include one


@dataclass(frozen=True, order=True)
class InputFile:
    """One input entry: its identity and, when it cannot be read, why.

    ``ref`` is the entry's absolute path with symbolic links resolved: two files never share
    it, and it stays the same from run to run while the file stays where it is.  ``problem``
    names what is wrong with an entry that is not a readable regular file of a supported
    type; the reader turns it into one rejected row, and the run goes on."""

    ref: str  # e.g. "/data/feeds/000_ff76f270c1d87102.txt"
    path: str
    problem: str | None = None
    size: int | None = None  # size and mtime when the run chose to read it: a reader that finds
    mtime_ns: int | None = None  # others quarantines what it read as changed_during_read


class InputError(ValueError):
    """An input path given by the user does not exist or is not readable."""


def _entry(path: Path, root: Path | None) -> InputFile | None:
    """The InputFile for one directory entry found under ``root`` (None: a hidden name)."""
    try:
        st = path.lstat()
    except OSError as exc:
        return InputFile(str(path), str(path), f"unreadable: {exc.strerror}")
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return InputFile(str(path), str(path), "dangling_symlink: the link's target does not exist")
        except (RuntimeError, OSError) as exc:
            return InputFile(str(path), str(path), f"symlink_loop: {getattr(exc, 'strerror', None) or exc}")
        if root is not None and not target.is_relative_to(root):
            return InputFile(str(path), str(path), f"symlink_outside_input: {target} is outside {root} (not followed)")
        if target.is_dir():
            return None  # a linked folder is not walked: its files are read where they live
        path, st = target, target.stat()
    ref = str(path)
    kind = _special_kind(st.st_mode)
    if kind:
        return InputFile(ref, ref, f"not_a_regular_file: a {kind} (never opened)")
    if not path.name.endswith(SUFFIXES):
        return InputFile(ref, ref, f"unsupported_file: {path.suffix or 'no suffix'} (newsclean reads {', '.join(SUFFIXES)})")
    if not os.access(path, os.R_OK):
        return InputFile(ref, ref, "unreadable: Permission denied")
    return InputFile(ref, ref)


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is (None for a regular file).

    >>> _special_kind(stat.S_IFIFO), _special_kind(stat.S_IFREG)
    ('FIFO', None)
    """
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "special file"


def discover_inputs(paths: list[str]) -> list[InputFile]:
    """Every entry under the given files/folders, recursively, sorted by ref; each appears
    once however it was reached (a file given twice, or through a link).

    Hidden names are skipped; so is every newsclean output folder (it holds ``OUTPUT_MARKER``):
    a run never reads outputs.  Symbolic links are not followed out of a given folder.
    Entries that cannot be read come back with a ``problem``, never raise.
    """
    found: dict[str, InputFile] = {}
    for given in paths:
        root = Path(given)
        if not root.exists() and not root.is_symlink():
            raise InputError(f"input {given} does not exist")
        if not root.is_dir():
            entry = _entry(Path(os.path.abspath(root)), None)
            if entry is not None:
                found.setdefault(entry.ref, entry)
            continue
        real_root = root.resolve()

        def unreadable(exc: OSError) -> None:
            ref = str(exc.filename)
            found.setdefault(ref, InputFile(ref, ref, f"unreadable_folder: {exc.strerror}"))

        for dirpath, dirnames, filenames in os.walk(real_root, followlinks=False, onerror=unreadable):
            if OUTPUT_MARKER in filenames:
                dirnames[:] = []  # a newsclean output folder: never input
                continue
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                entry = _entry(Path(dirpath) / name, real_root)
                if entry is not None:
                    found.setdefault(entry.ref, entry)
            for name in dirnames:
                link = Path(dirpath) / name
                if link.is_symlink() and (entry := _entry(link, real_root)) is not None:
                    found.setdefault(entry.ref, entry)  # a folder link that leads out: a row that says so
    return sorted(found.values())


def derived_id(ref: str) -> str:
    """A stable document id from where the record came from (its input's identity).

    >>> derived_id("/data/seeds/000.txt")
    'cee30afca1795a8a'
    """
    return hashlib.blake2b(ref.encode("utf-8"), digest_size=8).hexdigest()


def base_record(ref: str, **fields) -> dict:
    """A record with every input column present (``None`` where unknown)."""
    rec = {
        "doc_id": derived_id(ref),
        "source": None,
        "title": None,
        "url": None,
        "published": None,
        "author": None,
        "raw_text": None,
        "input_ref": ref,
        "status": None,
        "reason": None,
    }
    rec.update(fields)
    return rec


def quarantined(ref: str, reason: str, **fields) -> dict:
    """A record that cannot be cleaned: it goes to ``rejected/`` with ``reason``."""
    return base_record(ref, status="quarantined", reason=reason, **fields)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """Decode input bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else
    charset-normalizer's best guess.  Returns (text, None) or (None, reason).

    >>> decode_bytes("Zürich".encode("utf-16"))
    ('Zürich', None)
    >>> decode_bytes(b"\\x00\\x01\\x02\\xff\\xfe\\x00\\x00binary")[1]
    'binary'
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _try_decode(data, "utf-32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _try_decode(data, "utf-16")
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _try_decode(data, utf16)
    if _looks_binary(data):
        return None, "binary"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None, "undecodable"
    # Among the least chaotic candidates, prefer the encodings web news actually uses:
    # short Western texts decode cleanly in several code pages, and cp775 is not a likely one.
    least = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= least]
    best = next((m for enc in PREFERRED_ENCODINGS for m in calm if m.encoding == enc), calm[0])
    return str(best), None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the text is UTF-16 without a byte order mark (Latin
    text then has a NUL in nearly every other byte, on one side only).

    >>> _utf16_without_bom("Talks in Moscow".encode("utf-16-le")), _utf16_without_bom(b"Plain text")
    ('utf-16-le', None)
    """
    head = data[:8192]
    if len(head) < 8 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    guess = ("utf-16-le" if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05 else
             "utf-16-be" if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05 else None)
    if guess is None:
        return None
    text = head.decode(guess, errors="replace")
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r")
    return guess if controls <= len(text) * 0.05 else None  # binary with a NUL every other byte is not text


def _looks_binary(data: bytes) -> bool:
    """Many C0 control bytes in the first 8 KB, or mostly NULs: not text in any charset we
    read.  A text with NULs sprinkled in is text (the repair removes the NULs as edits).

    >>> _looks_binary(b"Plain text."), _looks_binary(bytes(range(16)) * 4), _looks_binary(b"Pu\\x00tin and Ma\\x00cron met.")
    (False, True, False)
    """
    head = data[:8192]
    if not head:
        return False
    nuls = head.count(b"\x00")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES)) - nuls
    if controls > len(head) // 10 or nuls > len(head) // 3:
        return True
    if nuls > len(head) // 100:  # sprinkled NULs: text only if the rest is UTF-8
        try:
            head.replace(b"\x00", b"").decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            return exc.start < len(head) - 4  # a character cut at the 8 KB edge is not binary
    return False


def _try_decode(data: bytes, encoding: str) -> tuple[str | None, str | None]:
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        return None, f"undecodable: {encoding}: {exc.reason}"


def changed_since_listed(inp: InputFile, st) -> bool:
    """Whether the file's size or mtime differ from those the run recorded for it.

    >>> from types import SimpleNamespace as St
    >>> f = InputFile("a", "a", size=3, mtime_ns=1)
    >>> changed_since_listed(f, St(st_size=3, st_mtime_ns=1)), changed_since_listed(f, St(st_size=9, st_mtime_ns=2))
    (False, True)
    """
    return inp.size is not None and (st.st_size, st.st_mtime_ns) != (inp.size, inp.mtime_ns)


CHANGED = "changed_during_read: the file changed after the run listed it; the next run reads it again"


def read_txt(inp: InputFile, max_bytes: int) -> Iterator[dict]:
    """One article per file; leading header lines become metadata."""
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
    yield base_record(inp.ref, raw_text=body, source=meta.get("source") or site_of(meta.get("url")), **_meta(meta))


def _meta(meta: dict) -> dict:
    return {k: meta.get(k) for k in ("title", "url", "published", "author")}


def _depth(value, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        v, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return deepest


def record_from_mapping(obj, ref: str) -> dict:
    """A record from one JSON object / Parquet row, or a quarantined one with the reason.

    >>> record_from_mapping({"id": 7, "text": "Hello."}, "a.jsonl:1")["doc_id"]
    '7'
    >>> record_from_mapping({"id": 7, "text": 3}, "a.jsonl:1")["reason"]
    'bad_text: text is int, not a string'
    """
    if not isinstance(obj, dict):
        return quarantined(ref, f"bad_record: a JSON {type(obj).__name__}, not an object")
    extra = {}
    raw_id = obj.get("id")
    if raw_id is not None and not isinstance(raw_id, (dict, list)) and str(raw_id).strip():
        extra["doc_id"] = str(raw_id).strip()
    for key in META_FIELDS:
        value = obj.get(key)
        extra[key] = None if value is None or isinstance(value, (dict, list)) else str(value)
    if extra.get("published"):
        extra["published"] = normalise_date(extra["published"])
    if not extra.get("source"):
        extra["source"] = site_of(extra.get("url"))
    text = obj.get("text")
    if text is None:
        return quarantined(ref, "missing_text: no 'text' field", **extra)
    if not isinstance(text, str):
        return quarantined(ref, f"bad_text: text is {type(text).__name__}, not a string", **extra)
    return base_record(ref, raw_text=text, **extra)


def read_jsonl(inp: InputFile, max_bytes: int, chunk: "Chunk | None" = None) -> Iterator[dict]:
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
    if _depth(obj, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        return quarantined(ref, f"malformed_json: line {lineno}: nested deeper than {MAX_JSON_DEPTH}")
    return record_from_mapping(obj, ref)


def read_parquet(inp: InputFile, max_bytes: int, chunk: "Chunk | None" = None) -> Iterator[dict]:
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


@dataclass(frozen=True, order=True)
class Chunk:
    """A slice of one JSONL or Parquet file: ``count`` records from record ``start``
    (0-based; a JSONL record is a non-blank line, found from byte ``offset``, line
    number ``line``).  ``count`` None: to the end of the file."""

    file: InputFile
    start: int = 0
    count: int | None = None
    offset: int = 0
    line: int = 1


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
    if inp.path.endswith(".parquet"):
        try:
            pf = pq.ParquetFile(inp.path)
            rows = pf.metadata.num_rows
        except Exception:
            rows = None
        if not rows:
            return [Chunk(inp)]
        starts = [0, *range(first, rows, size)]
        return [Chunk(inp, start, min(end, rows) - start) for start, end in zip(starts, [*starts[1:], rows])]
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
    return [Chunk(inp, start, end - start, offset, line) for (start, offset, line), end in zip(marks, ends)] or [Chunk(inp)]


READERS = {".txt": read_txt, ".jsonl": read_jsonl, ".parquet": read_parquet}


def read_input(inp: InputFile, max_bytes: int) -> Iterator[dict]:
    """Records of one input file, whatever its format (an entry with a problem: one quarantined record)."""
    if inp.problem:
        yield quarantined(inp.ref, inp.problem)
        return
    yield from READERS[Path(inp.path).suffix](inp, max_bytes)


def read_chunk(chunk: Chunk, max_bytes: int) -> Iterator[dict]:
    """Records of one chunk of a JSONL or Parquet file (a ``.txt`` file is one chunk); an
    entry with a problem is one quarantined record."""
    if chunk.file.problem:
        yield quarantined(chunk.file.ref, chunk.file.problem)
        return
    reader = READERS[Path(chunk.file.path).suffix]
    if reader is read_txt or (chunk.start == 0 and chunk.count is None):
        yield from reader(chunk.file, max_bytes)
    else:
        yield from reader(chunk.file, max_bytes, chunk)
