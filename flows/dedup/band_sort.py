"""Near pairs of many short signatures (sentences) by sorting band keys in NumPy.

The same candidates and the same verification as ``buckets.near_pairs`` (all pairs in a
band's buckets of at most ``cap`` members, a star around the smallest reference in larger
ones, estimated Jaccard >= threshold), computed without a self-join: each band's keys are
sorted, buckets are runs of equal keys, and candidates are checked first on a one-byte
sketch of each MinHash value (b-bit MinHash) held in memory, then on the full signatures
for the few that pass.  A pair whose full values are equal has equal low bytes, so the
sketch never drops a pair the full check keeps: the result is ``near_pairs``'s.

On the 1.8 million distinct sentences of 100,000 generated documents the SQL join made 27
million candidates (114,685 pairs verified) in 106 CPU s on two threads; this takes 30 s on
one, with the same pairs (``bench/results/dedup-sentence-bucketing-2026-12-07.md``).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from cleaners.signatures import band_keys_rows
from flows.dedup.buckets import BUCKET_CAP, band_groups, signature_matrix

SCAN_ROWS = 200_000  # signatures fetched from DuckDB at a time


def bucket_candidates(keys: np.ndarray, cap: int = BUCKET_CAP) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Candidate pairs ``(i, j)`` (row numbers, ``i < j``) of one band's ``keys``, one key
    per row, rows in the order of their references, in chunks: every pair in a bucket
    (rows of one key) of at most ``cap`` rows, and in a larger bucket each row with the
    bucket's first (smallest) row.  A chunk is one pair of positions in the buckets of one
    size, or the stars: never more pairs than rows.

    >>> chunks = bucket_candidates(np.array([5, 7, 5, 5, 9, 7, 1, 1, 1, 1]), cap=3)
    >>> sorted(p for a, b in chunks for p in zip(a.tolist(), b.tolist()))
    [(0, 2), (0, 3), (1, 5), (2, 3), (6, 7), (6, 8), (6, 9)]
    """
    order = np.argsort(keys)
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    for size in np.unique(sizes[(sizes > 1) & (sizes <= cap)]).tolist():
        first = starts[sizes == size]
        for i in range(size - 1):
            for j in range(i + 1, size):
                a, b = order[first + i], order[first + j]
                yield np.minimum(a, b), np.maximum(a, b)
    big = np.flatnonzero(sizes > cap)
    if len(big):  # a star: the bucket's smallest row with each other row
        offsets = np.concatenate(([0], np.cumsum(sizes[big])[:-1]))
        members = order[np.repeat(starts[big] - offsets, sizes[big]) + np.arange(int(sizes[big].sum()))]
        centre = np.repeat(np.minimum.reduceat(members, offsets), sizes[big])
        other = members != centre
        yield centre[other], members[other]


def sorted_band_pairs(
    con, table: str, ref: str, bands: int, threshold: float, skip_prior_pairs: bool = True, cap: int = BUCKET_CAP
) -> tuple[pa.Array, pa.Array]:
    """Every pair ``(a, b)`` (``a < b``) of ``table``'s rows (``ref`` integers, ``prior``,
    ``signature``) that shares a bucket of one of the ``bands`` LSH bands (``cap`` as in
    ``buckets.bucket_pairs_sql``) and whose estimated Jaccard reaches ``threshold``, once
    each; with ``skip_prior_pairs``, never two ``prior`` rows.  Band keys are
    ``band_keys_rows`` of the signatures, a group of bands at a time (``band_groups``);
    candidates are checked a chunk at a time, so memory stays linear in the rows."""
    before = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order=true")  # every scan of the table in one order: see _band_keys
    try:
        return _sorted_band_pairs(con, table, ref, bands, threshold, skip_prior_pairs, cap)
    finally:
        con.execute(f"SET preserve_insertion_order={'true' if before else 'false'}")  # the connection's own setting


def _sorted_band_pairs(con, table, ref, bands, threshold, skip_prior_pairs, cap):
    refs, prior, sketch, at = _scan(con, table, ref)
    n = len(refs)
    width = sketch.shape[1] if n else 0
    packed: list[np.ndarray] = []

    def check(a: np.ndarray, b: np.ndarray) -> None:
        if skip_prior_pairs:
            keep = ~(prior[a] & prior[b])
            a, b = a[keep], b[keep]
        passed = np.count_nonzero(sketch[a] == sketch[b], axis=1) / width >= threshold
        if passed.any():
            packed.append((a[passed].astype(np.int64) << 32) | b[passed].astype(np.int64))

    for group in band_groups(n, bands):
        keys = _band_keys(con, table, ref, refs, at, bands, group)
        for column in range(keys.shape[1]):
            held: list[tuple[np.ndarray, np.ndarray]] = []
            size = 0
            for a, b in bucket_candidates(keys[:, column], cap):
                for lo in range(0, len(a), SCAN_ROWS):  # at most SCAN_ROWS pairs checked at a time
                    held.append((a[lo : lo + SCAN_ROWS], b[lo : lo + SCAN_ROWS]))
                    size += len(held[-1][0])
                    if size >= SCAN_ROWS:
                        check(np.concatenate([x for x, _ in held]), np.concatenate([y for _, y in held]))
                        held, size = [], 0
            if held:
                check(np.concatenate([x for x, _ in held]), np.concatenate([y for _, y in held]))
            packed[:] = [np.unique(np.concatenate(packed))] if packed else []  # a band's pairs, once each
        del keys
    pairs = packed[0] if packed else np.zeros(0, dtype=np.int64)
    a, b = refs[pairs >> 32], refs[pairs & 0xFFFFFFFF]
    return _confirm(con, table, ref, a, b, threshold)


def _scan(con, table: str, ref: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(refs, prior, sketch, at)`` of ``table``'s rows in reference order: the low byte of
    each MinHash value as the sketch; ``at[i]`` the row of the scan's i-th row.  Filled in
    place, copying out of each batch (a zero-copy view of a batch's references kept all
    its signatures alive: 9.6 GB at 25 million rows)."""
    n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    width = con.execute(f"SELECT octet_length(signature) // 4 FROM {table} LIMIT 1").fetchone()
    refs = np.empty(n, dtype=np.int64)
    prior = np.empty(n, dtype=bool)
    sketch = np.empty((n, width[0] if width else 0), dtype=np.uint8)
    seen = 0
    reader = con.execute(f"SELECT {ref}, prior, signature FROM {table}").fetch_record_batch(SCAN_ROWS)
    for batch in reader:
        m = batch.num_rows
        refs[seen : seen + m] = batch.column(0).to_numpy()
        prior[seen : seen + m] = batch.column(1).to_numpy(zero_copy_only=False)
        sketch[seen : seen + m] = signature_matrix(batch.column(2))  # the low byte (uint8 wraps)
        seen += m
    order = np.argsort(refs)
    at = np.empty_like(order)
    at[order] = np.arange(n)
    refs, prior = refs[order], prior[order]
    sketch = sketch[order]
    return refs, prior, sketch, at


def _band_keys(con, table: str, ref: str, refs: np.ndarray, at: np.ndarray, bands: int, group: range) -> np.ndarray:
    """The keys of the bands in ``group`` for each row of ``refs`` (sorted), (rows, bands in group).
    A scan in ``_scan``'s order places its rows by ``at``; in another order, by a search
    (the search took a third of a scan at 25 million rows)."""
    keys = np.empty((len(refs), len(group)), dtype=np.int64)
    reader = con.execute(f"SELECT {ref}, signature FROM {table}").fetch_record_batch(SCAN_ROWS)
    seen = 0
    for batch in reader:
        if batch.num_rows:
            batch_refs = batch.column(0).to_numpy()
            rows = at[seen : seen + len(batch_refs)]
            if len(rows) != len(batch_refs) or not np.array_equal(refs[rows], batch_refs):
                rows = np.searchsorted(refs, batch_refs)
            seen += len(batch_refs)
            keys[rows] = band_keys_rows(signature_matrix(batch.column(1)), bands, group)
    return keys


def _confirm(con, table: str, ref: str, a: np.ndarray, b: np.ndarray, threshold: float) -> tuple[pa.Array, pa.Array]:
    """The pairs among ``(a, b)`` whose full signatures reach ``threshold``."""
    con.register("band_sort_pairs", pa.table({"a": a, "b": b}))
    found_a, found_b = [], []
    reader = con.execute(
        f"""SELECT p.a, p.b, x.signature AS sa, y.signature AS sb FROM band_sort_pairs p
            JOIN {table} x ON x.{ref} = p.a JOIN {table} y ON y.{ref} = p.b"""
    ).fetch_record_batch(SCAN_ROWS)
    for batch in reader:
        if batch.num_rows:
            sa, sb = signature_matrix(batch.column("sa")), signature_matrix(batch.column("sb"))
            idx = pa.array(np.flatnonzero((sa == sb).mean(axis=1) >= threshold))
            found_a.append(batch.column("a").take(idx))
            found_b.append(batch.column("b").take(idx))
    con.unregister("band_sort_pairs")
    if not found_a:
        return pa.array([], pa.int64()), pa.array([], pa.int64())
    return pa.concat_arrays(found_a), pa.concat_arrays(found_b)
