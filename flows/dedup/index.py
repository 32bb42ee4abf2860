"""The cross-run index's signature settings: stamped on every index file, checked before use.

An index file holds MinHash signatures of what a run published. Signatures made with other
settings (shingles, permutations, bands) estimate nothing when compared with today's, so each
file carries the settings it was made with (``cleaners.signatures.SIGNATURE_SETTINGS``) in its
Parquet metadata, and a file made otherwise takes part in exact matching only. Files written
before the settings were stored carry none and are read as made with today's settings.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from cleaners.signatures import SIGNATURE_SETTINGS

METADATA_KEY = "newsclean.signatures"


def index_metadata(kind: str) -> dict[str, str]:
    """The metadata an index file of ``kind`` (``docs`` or ``sentences``) is written with.

    >>> index_metadata("docs")
    {'newsclean.signatures': 'word5-oph128-bands32'}
    """
    return {METADATA_KEY: SIGNATURE_SETTINGS[kind]}


def file_settings(path: str | Path) -> str | None:
    """The signature settings an index file was written with (None: not stored)."""
    meta = pq.read_schema(path).metadata or {}
    value = meta.get(METADATA_KEY.encode())
    return value.decode() if value is not None else None


def split_by_settings(paths: list[str], kind: str) -> tuple[list[str], list[str]]:
    """Index files whose signatures can be compared with this run's, and those (made with other
    settings) that take part in exact matching only.

    >>> import tempfile, os, pyarrow as pa
    >>> d = tempfile.mkdtemp(); a, b, c = (os.path.join(d, x) for x in "abc")
    >>> pq.write_table(pa.table({"x": [1]}).replace_schema_metadata(index_metadata("docs")), a)
    >>> pq.write_table(pa.table({"x": [1]}).replace_schema_metadata({METADATA_KEY: "word3-oph64-bands16"}), b)
    >>> pq.write_table(pa.table({"x": [1]}), c)
    >>> [[os.path.basename(p) for p in group] for group in split_by_settings([a, b, c], "docs")]
    [['a', 'c'], ['b']]
    """
    same, other = [], []
    for p in paths:
        settings = file_settings(p)
        (same if settings in (None, SIGNATURE_SETTINGS[kind]) else other).append(p)
    return same, other
