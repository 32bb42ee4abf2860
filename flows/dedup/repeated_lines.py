"""Lines that recur across documents of one source in a run: a site's widgets, promos and teasers.

Before the per-batch steps, the run reads its inputs once for this (``scan_repeated_lines``):
every line of every record gets a key (``cleaners.boilerplate.line_key``: its words, numbers
masked, with the record's source).  A key found in at least ``repeated_line_min_docs``
documents of the source, and in at least ``repeated_line_min_share`` of them, is boilerplate;
the embeds step removes those lines from every document of the source.  Documents without a
source take no part (an unknown origin is not one site).  Copies of one story (a syndicated article published twice) count
once (by a sketch of their lines) and their shared prose is never taken for boilerplate.  The result depends on the run's
inputs only, not on how they are cut into batches.
"""

from __future__ import annotations

import numpy as np

from cleaners.boilerplate import line_key
from flows.config import Config
from flows.read import InputFile, read_input

_PAIRS = np.dtype([("source", "<i8"), ("key", "<i8"), ("doc", "<i8")])
FLUSH_ROWS = 200_000  # (key, document) pairs gathered before they are reduced


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def document_keys(source: str | None, text: str) -> tuple[set[int], int | None]:
    """The keys of a document's lines, and its identity for counting: a sketch of its lines
    (the two smallest keys), which copies of one story share and documents that share only a
    line or two of furniture do not.

    >>> keys, doc = document_keys("a.com", "Talks ended late on Monday.\\nAdd your two cents now.")
    >>> len(keys), doc is not None
    (2, True)
    """
    keys = {k for k in (line_key(source, line) for line in _lines(text)) if k is not None}
    if not keys:
        return keys, None
    low = sorted(keys)[:2]
    return keys, hash(tuple(low)) if len(low) > 1 else low[0]


def repeated_keys(pairs: np.ndarray, docs_per_source: dict[int, int], min_docs: int, min_share: float) -> frozenset:
    """Keys present in enough distinct documents of their source.

    >>> p = np.array([(1, 7, 1), (1, 7, 2), (1, 7, 3), (1, 8, 1)], dtype=_PAIRS)
    >>> sorted(repeated_keys(p, {1: 4}, 3, 0.5))
    [7]
    """
    if not len(pairs):
        return frozenset()
    pairs = np.unique(pairs)
    keys, first, counts = np.unique(pairs["key"], return_index=True, return_counts=True)
    sources = pairs["source"][first]
    need = np.array([max(min_docs, min_share * docs_per_source.get(int(s), 0)) for s in sources])
    return frozenset(int(k) for k in keys[counts >= need])


def scan_repeated_lines(files: list[InputFile], config: Config) -> frozenset:
    """The run's repeated-line keys (empty when ``repeated_line_min_docs`` is 0)."""
    if not config.repeated_line_min_docs:
        return frozenset()
    reduced: list[np.ndarray] = []
    rows: list[tuple[int, int, int]] = []
    docs_per_source: dict[int, int] = {}
    source_ids: dict[str, int] = {}
    for f in files:
        for rec in read_input(f, config.max_chars * 4):
            text = rec.get("raw_text")
            if rec.get("status") is not None or not text or len(text) > config.max_chars or not rec.get("source"):
                continue  # documents of unknown origin are not one site: their shared lines may be a syndicated passage
            sid = source_ids.setdefault(rec.get("source") or "", len(source_ids))
            keys, doc = document_keys(rec.get("source"), text)
            if doc is None:
                continue
            docs_per_source[sid] = docs_per_source.get(sid, 0) + 1
            rows.extend((sid, k, doc) for k in keys)
            if len(rows) >= FLUSH_ROWS:
                reduced.append(np.unique(np.array(rows, dtype=_PAIRS)))
                rows = []
    if rows:
        reduced.append(np.unique(np.array(rows, dtype=_PAIRS)))
    pairs = np.concatenate(reduced) if reduced else np.zeros(0, dtype=_PAIRS)
    return repeated_keys(pairs, docs_per_source, config.repeated_line_min_docs, config.repeated_line_min_share)
