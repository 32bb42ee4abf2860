"""Deduplication signatures: exact hashes and MinHash/LSH band keys, vectorised with NumPy.

Documents (near-duplicate articles):

* Shingles: word 5-grams of the normalised text (case-folded, punctuation dropped).  News
  variants differ by whole words and sentences; 5-grams keep two articles that only share
  names and stock phrases apart.
* MinHash by one-permutation hashing into 128 bins, 32 bands of 4 rows: the LSH S-curve
  passes 50% at Jaccard (1/32)^(1/4) ~ 0.42 and 99.9% at 0.75, so truncated and edited
  copies become candidates; candidate pairs are then verified on the signature estimate
  against the configured threshold (default 0.6, chosen by bench/bench_dedup.py: F1 1.000
  on the syndication set, no false duplicate among distinct articles of one story; 0.7
  misses a sixth of 75%-truncated copies).

Sentences (repeated passages, "a quote with a changed word"):

* Shingles: word 2-grams; only sentences of at least ``MIN_SENTENCE_WORDS`` words.
  One changed word in a 25-word quote leaves a bigram Jaccard of about 0.6-0.7.
* 48 hash functions, 16 bands of 3 rows (50% at Jaccard ~0.40; 88% at 0.5), verified at
  estimated Jaccard >= 0.5.

Sentence hash functions are multiply-shift hashes ``(a*x + b) >> 32`` over 64-bit shingle ids with
fixed seeds, so signatures are identical across processes and machines (Python's salted
``hash`` of str is never used).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
SENTENCE_PERM = 48
SENTENCE_BANDS = 16
SENTENCE_ROWS = SENTENCE_PERM // SENTENCE_BANDS
SENTENCE_SHINGLE = 2
MIN_SENTENCE_WORDS = 8
MIN_EXACT_SENTENCE_WORDS = 4
_TOKEN = re.compile(r"\w+", re.UNICODE)
_rng = np.random.RandomState(20220208)
_A = _rng.randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_SA = _A[:SENTENCE_PERM]
_SB = _B[:SENTENCE_PERM]
_MIX = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
EMPTY = np.uint32(0xFFFFFFFF)


def normalise_for_hash(text: str) -> str:
    """Case-, width- and punctuation-insensitive form used for exact matching.

    >>> normalise_for_hash("Putin said: “Yes!”  \\n\\nOK")
    'putin said yes ok'
    """
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def exact_hash(text: str) -> str:
    """Hex digest identifying a text up to case, spacing and punctuation.

    >>> exact_hash("Hello, world") == exact_hash("hello world!")
    True
    """
    return hashlib.blake2b(normalise_for_hash(text).encode("utf-8"), digest_size=16).hexdigest()


def _word_ids(words: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))


def _shingles(ids: np.ndarray, n: int) -> np.ndarray:
    """64-bit ids of the n-grams of a word-id sequence (the whole sequence if shorter)."""
    n = min(n, len(ids))
    m = len(ids) - n + 1
    h = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _MIX + ids[k : m + k]
    return h


def _minhash_rows(shingles: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(shingles), len(a)) matrix of 32-bit hash values."""
    with np.errstate(over="ignore"):
        return ((shingles[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(np.uint32)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads polynomial shingle ids over all 64 bits."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * _M1
        x = (x ^ (x >> np.uint64(27))) * _M2
        return x ^ (x >> np.uint64(31))


def minhash(text: str) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32 values) of ``text``'s word 5-grams.

    One-permutation hashing: each shingle is hashed once, its top 7 bits choose one of
    128 bins and the bin keeps its smallest low 32 bits; empty bins borrow the next
    non-empty bin's value (rotation densification).  O(shingles) instead of
    O(shingles x 128), with the same Jaccard estimator (share of equal bins).

    >>> a = minhash("the quick brown fox jumps over the lazy dog today")
    >>> estimate_jaccard(a, a), a.dtype.name, len(a)
    (1.0, 'uint32', 128)
    """
    words = normalise_for_hash(text).split()
    sig = np.full(NUM_PERM, EMPTY, dtype=np.uint32)
    if not words:
        return sig
    h = _mix64(_shingles(_word_ids(words), SHINGLE))
    bins = (h >> np.uint64(57)).astype(np.intp)
    np.minimum.at(sig, bins, (h & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    empty = sig == EMPTY
    if empty.any():
        filled = np.flatnonzero(~empty)
        nxt = np.searchsorted(filled, np.arange(NUM_PERM)) % len(filled)
        sig[empty] = sig[filled[nxt[empty]]]
    return sig


def _band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """Signed 64-bit key per band for each row of ``signatures`` (n, perm) -> (n, bands)."""
    n, perm = signatures.shape
    rows = perm // bands
    s = signatures.reshape(n, bands, rows).astype(np.uint64)
    key = np.arange(1, bands + 1, dtype=np.uint64)[None, :] * _MIX
    with np.errstate(over="ignore"):
        for r in range(rows):
            key = (key ^ s[:, :, r]) * _MIX
            key ^= key >> np.uint64(29)
    return key.view(np.int64)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band of a document signature.

    >>> len(band_keys(minhash("some text here for the bands"))) == BANDS
    True
    """
    return _band_keys(signature[None, :], BANDS)[0].tolist()


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal MinHash values: an estimate of the Jaccard similarity.

    >>> estimate_jaccard(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 0]))
    0.5
    """
    return float(np.mean(a == b))


def sentence_key(sentence: str, min_words: int = MIN_EXACT_SENTENCE_WORDS) -> int | None:
    """A signed 64-bit key of a sentence's normalised form, or None for sentences too
    short to count as a repeated passage.

    >>> sentence_key("Putin said: “Yes.”") is None, sentence_key("Putin assured me of his readiness") == sentence_key("putin assured me of his READINESS!")
    (True, True)
    """
    words = normalise_for_hash(sentence).split()
    return _words_key(words) if len(words) >= min_words else None


def _words_key(words: list[str]) -> int:
    """Signed 64-bit BLAKE2b key of normalised words (shared by both sentence functions)."""
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def sentence_signatures(sentences: list[str]) -> tuple[list[int | None], list[list[int] | None], list[bytes | None]]:
    """Exact keys, LSH band keys and MinHash signatures (bytes) of a document's sentences,
    computed in one vectorised pass.  Sentences shorter than ``MIN_SENTENCE_WORDS`` get
    ``None`` band keys and signatures (they are matched exactly only).

    >>> keys, bands, sigs = sentence_signatures(["Putin assured me of his readiness to engage in this.", "Too short."])
    >>> keys[1] is None, len(bands[0]), bands[1], len(sigs[0])
    (True, 16, None, 192)
    >>> keys[0] == sentence_key("Putin assured me of his readiness to engage in this.")
    True
    """
    keys: list[int | None] = []
    chunks: list[np.ndarray] = []
    owners: list[int] = []
    for i, sentence in enumerate(sentences):
        words = normalise_for_hash(sentence).split()
        keys.append(_words_key(words) if len(words) >= MIN_EXACT_SENTENCE_WORDS else None)
        if len(words) >= MIN_SENTENCE_WORDS:
            chunks.append(_shingles(_word_ids(words), SENTENCE_SHINGLE))  # repeats cannot change a minimum
            owners.append(i)
    bands: list[list[int] | None] = [None] * len(sentences)
    sigs: list[bytes | None] = [None] * len(sentences)
    if chunks:
        lengths = np.fromiter((len(c) for c in chunks), dtype=np.int64, count=len(chunks))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        values = _minhash_rows(np.concatenate(chunks), _SA, _SB)
        signatures = np.minimum.reduceat(values, starts, axis=0)
        band_matrix = _band_keys(signatures, SENTENCE_BANDS)
        for row, i in enumerate(owners):
            bands[i] = band_matrix[row].tolist()
            sigs[i] = signatures[row].tobytes()
    return keys, bands, sigs
