"""flows.dedup.band_sort: the sentence bucketing in NumPy gives the SQL join's pairs."""

import numpy as np
import pyarrow as pa

from cleaners.signatures import SENTENCE_BANDS, SENTENCE_PERM
from flows import dedup
from flows.dedup.band_sort import bucket_candidates, sorted_band_pairs


def _table(con, sigs: np.ndarray, refs: np.ndarray, prior: np.ndarray) -> None:
    con.register(
        "t_arrow",
        pa.table({"sid": refs, "prior": prior, "signature": [s.astype(np.uint32).tobytes() for s in sigs]}),
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE t AS SELECT sid, prior, signature, sentence_band_keys(signature) AS bands FROM t_arrow"
    )


def _pairs(a, b) -> set:
    return set(zip(a.to_pylist(), b.to_pylist()))


def test_the_same_pairs_as_the_sql_join_with_big_buckets_stars_and_published_rows():
    rng = np.random.default_rng(7)
    n = 600
    base = rng.integers(0, 2**32, size=(40, SENTENCE_PERM), dtype=np.uint64)
    sigs = base[rng.integers(0, 40, size=n)].copy()  # 40 "stories" of ~15 sentences: buckets of all sizes
    noise = rng.random(sigs.shape) < rng.uniform(0.2, 0.8, size=(n, 1))  # each row: its own share of changed values
    sigs[noise] = rng.integers(0, 2**32, size=int(noise.sum()), dtype=np.uint64)
    sigs[:100] = base[0]  # one bucket of 100 identical rows in every band: over the cap, a star
    refs = rng.permutation(np.arange(n, dtype=np.int64) * 13 + 5)  # not in table order
    prior = rng.random(n) < 0.2
    con = dedup.connect(threads=1)
    _table(con, sigs, refs, prior)
    want = dedup.near_pairs(con, "t", "sid", "bands", SENTENCE_BANDS, 0.45, exclude="x.prior AND y.prior")
    got = sorted_band_pairs(con, "t", "sid", SENTENCE_BANDS, 0.45)
    assert _pairs(*got) == _pairs(*want)
    assert len(got[0]) == len(_pairs(*got))  # each pair once
    assert con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0] is False  # restored
    group = set(refs[:100].tolist())
    star = {(a, b) for a, b in _pairs(*got) if a in group and b in group}
    assert star and all(a == min(group) for a, _ in star)  # 100 identical rows: a star, not 4,950 pairs
    assert len(_pairs(*got) - star) > 200  # and pairs from buckets under the cap
    published = dict(zip(refs.tolist(), prior.tolist()))
    assert not any(published[a] and published[b] for a, b in _pairs(*got))


def test_a_pair_equal_in_the_sketch_but_not_in_full_is_not_a_pair():
    sig = np.arange(1, SENTENCE_PERM + 1, dtype=np.uint64) * 1000
    other = sig.copy()
    other[3:] += 1 << 8  # the low bytes stay equal: the one-byte sketch sees the same values
    con = dedup.connect(threads=1)
    _table(con, np.stack([sig, sig, other]), np.array([1, 2, 3]), np.array([False] * 3))
    # other shares band 0 (values 0-2) with the others: a candidate, equal on 3 of 48 values
    assert _pairs(*sorted_band_pairs(con, "t", "sid", SENTENCE_BANDS, 0.45)) == {(1, 2)}


def test_bucket_candidates_pairs_small_buckets_fully_and_large_ones_as_stars():
    def pairs(keys, **cap):
        return sorted(p for a, b in bucket_candidates(np.array(keys), **cap) for p in zip(a.tolist(), b.tolist()))

    keys = [3] * 5 + [4, 4]
    assert pairs(keys, cap=4) == [(0, 1), (0, 2), (0, 3), (0, 4), (5, 6)]
    assert len(pairs(keys, cap=5)) == 10 + 1
    assert pairs([1, 2, 3]) == []
    assert pairs([9, 2, 9, 2, 9], cap=2) == [(0, 2), (0, 4), (1, 3)]  # rows out of key order


def test_band_keys_are_placed_by_reference_when_a_scan_comes_in_another_order():
    from cleaners.signatures import band_keys_rows
    from flows.dedup.band_sort import _band_keys, _scan

    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 2**32, size=(50, SENTENCE_PERM), dtype=np.uint64)
    refs = rng.permutation(np.arange(50, dtype=np.int64) * 7)
    con = dedup.connect(threads=1)
    _table(con, sigs, refs, np.zeros(50, dtype=bool))
    sorted_refs, _, sketch, at = _scan(con, "t", "sid")
    want = band_keys_rows(sigs.astype(np.uint32)[np.argsort(refs)], SENTENCE_BANDS, range(2, 5))
    assert (sketch == (sigs[np.argsort(refs)] & 0xFF)).all()  # the low byte of each value, rows by reference
    assert (_band_keys(con, "t", "sid", sorted_refs, at, SENTENCE_BANDS, range(2, 5)) == want).all()
    wrong = at[::-1].copy()  # as if the scan came back in another order: found by search instead
    assert (_band_keys(con, "t", "sid", sorted_refs, wrong, SENTENCE_BANDS, range(2, 5)) == want).all()
