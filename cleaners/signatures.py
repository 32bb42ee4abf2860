"""Deduplication signatures: exact hashes and MinHash/LSH band keys, vectorised with NumPy.

Parameters (and why):

* Shingles: word 5-grams of the normalised text (lowercased, punctuation dropped).  News
  variants differ by whole words and sentences; 5-grams make two articles that only share
  names and stock phrases look dissimilar.
* 128 permutations, 16 bands of 8 rows: the LSH S-curve passes 50% at Jaccard
  (1/16)^(1/8) ~ 0.71; candidate pairs are then verified on the signature estimate
  against ``NEAR_DUPLICATE_THRESHOLD`` (0.7).
* Hashes are CRC32/64-bit arithmetic with fixed seeds: identical across processes and
  machines (Python's ``hash`` of str is salted per process and never used).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
NEAR_DUPLICATE_THRESHOLD = 0.7
_MERSENNE = np.uint64((1 << 61) - 1)
_rng = np.random.RandomState(20220208)
_A = _rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def normalise_for_hash(text: str) -> str:
    """Case-, accent-form- and punctuation-insensitive form used for exact matching.

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


def sentence_key(sentence: str, min_words: int = 4) -> int | None:
    """A signed 64-bit key of a sentence's normalised form, or None for sentences too
    short to count as a repeated passage.

    >>> sentence_key("Putin said: “Yes.”") is None, sentence_key("Putin assured me of his readiness") == sentence_key("putin assured me of his READINESS!")
    (True, True)
    """
    norm = normalise_for_hash(sentence)
    if norm.count(" ") + 1 < min_words:
        return None
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def shingle_hashes(text: str, n: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the word ``n``-grams of ``text`` (one per distinct shingle).

    >>> len(shingle_hashes("a b c d e f")), len(shingle_hashes("a b"))
    (2, 1)
    """
    words = normalise_for_hash(text).split()
    if not words:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    if len(ids) < n:
        n = len(ids)
    # polynomial combination of n consecutive word ids, wrapping in uint64
    h = np.zeros(len(ids) - n + 1, dtype=np.uint64)
    for k in range(n):
        h = h * np.uint64(1000003) + ids[k : len(ids) - n + 1 + k]
    return np.unique(h)


def minhash(text: str) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint64 values) of ``text``'s shingles.

    >>> a = minhash("the quick brown fox jumps over the lazy dog today")
    >>> float(estimate_jaccard(a, a))
    1.0
    """
    h = shingle_hashes(text)
    if len(h) == 0:
        return np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    h = (h & _MERSENNE)[:, None]
    with np.errstate(over="ignore"):
        perm = (h * _A[None, :] + _B[None, :]) % _MERSENNE
    return perm.min(axis=0)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (stable: blake2b of the band's bytes).

    >>> len(band_keys(minhash("some text here for the bands")))
    16
    """
    rows = signature.reshape(BANDS, ROWS)
    return [
        int.from_bytes(hashlib.blake2b(r.tobytes(), digest_size=8).digest(), "little", signed=True) for r in rows
    ]


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal MinHash values: an estimate of the Jaccard similarity.

    >>> estimate_jaccard(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 0]))
    0.5
    """
    return float(np.mean(a == b))
