"""The input files of a run: discovery (files, folders, links, special files) and chunks."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".jsonl", ".parquet")


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
        return InputFile(
            ref, ref, f"unsupported_file: {path.suffix or 'no suffix'} (newsclean reads {', '.join(SUFFIXES)})"
        )
    if not os.access(path, os.R_OK):
        return InputFile(ref, ref, "unreadable: Permission denied")
    return InputFile(ref, ref)


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is (None for a regular file).

    >>> _special_kind(stat.S_IFIFO), _special_kind(stat.S_IFREG)
    ('FIFO', None)
    """
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "folder"),
    ):
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


def changed_since_listed(inp: InputFile, st) -> bool:
    """Whether the file's size or mtime differ from those the run recorded for it.

    >>> from types import SimpleNamespace as St
    >>> f = InputFile("a", "a", size=3, mtime_ns=1)
    >>> changed_since_listed(f, St(st_size=3, st_mtime_ns=1)), changed_since_listed(f, St(st_size=9, st_mtime_ns=2))
    (False, True)
    """
    return inp.size is not None and (st.st_size, st.st_mtime_ns) != (inp.size, inp.mtime_ns)


CHANGED = "changed_during_read: the file changed after the run listed it; the next run reads it again"


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
