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

Sentences (repeated passages, "a quote with a changed word", a lightly reworded lead):

* Shingles: the sentence's content words, each cut to a crude stem (``content_stem``:
  function words dropped, "injured"/"injuring" -> "injur"), as a set; only sentences of at
  least ``MIN_SENTENCE_WORDS`` words.  Word bigrams broke at every changed word: on real
  same-byline sentence pairs (``evals/sentences/``) they found 0.42 of the light rewordings.
* 48 hash functions, 16 bands of 3 rows (78% at Jaccard 0.45; 98% at 0.6), verified at
  estimated Jaccard >= 0.45 (``flows.dedup.NEAR_SENTENCE_THRESHOLD``).  24 bands of 2 rows
  found 1% more pairs but made 9 times the bucketing time on 20,000 generated documents.

Sentence hash functions are multiply-shift hashes ``(a*x + b) >> 32`` over 64-bit shingle ids with
fixed seeds, so signatures are identical across processes and machines (Python's salted
``hash`` of str is never used).
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
import zlib
from itertools import chain

import numpy as np

NUM_PERM = 128
BANDS = 32
SHINGLE = 5
SENTENCE_PERM = 48
SENTENCE_BANDS = 16
MIN_SENTENCE_WORDS = 8
MIN_EXACT_SENTENCE_WORDS = 4
# What a signature is made of, stored with every index file (``flows.dedup.index``): signatures
# made otherwise are never compared with these. Change the name with any change to shingling or hashing.
SIGNATURE_SETTINGS = {
    "docs": f"word{SHINGLE}-oph{NUM_PERM}-bands{BANDS}",
    "sentences": f"content-stems-minhash{SENTENCE_PERM}-bands{SENTENCE_BANDS}-min{MIN_SENTENCE_WORDS}",
}
_TOKEN = re.compile(r"\w+", re.UNICODE)
# Words that carry no content of their own: a rewording swaps them freely ("said on Monday" / "said Monday").
FUNCTION_WORDS = frozenset(
    """a an the and or but nor of to in on at by for with from as into onto over after before about up out off than
    then so if is are was were be been being am has have had do does did it its this that these those he she they we
    i you me him her us them his their our my your which who whom whose what when where why how not no also just
    there here said says say will would could should can may might must shall s t""".split()
)
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s", "ly")
_CONTENT = np.uint64(1 << 32)  # content stem ids: CRC-32 with bit 32 set
_FUNCTION = np.uint64(1 << 33)  # function word ids: CRC-32 with bit 33 set (kept only for sentences of nothing else)
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
    return _blake2b_hex(normalise_for_hash(text))


def _blake2b_hex(normal: str) -> str:
    """``exact_hash`` of an already normalised text."""
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=16).hexdigest()


_CRC_MAX = 1 << 17  # words kept before the word table starts afresh (a few tens of MB at most)


class _WordTable:
    """Word -> row, and per row the word's CRC-32 (``_word_ids``) and sentence shingle id
    (``_stem_ids``): news reuses a small vocabulary, and one dictionary lookup per word
    gives both ids.  Rows are only added, after the arrays have room for them, so a
    thread that found a row always finds its ids; starting afresh swaps in a new table."""

    __slots__ = ("crc", "rows", "stem")

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.crc = np.zeros(1024, dtype=np.uint64)
        self.stem = np.zeros(1024, dtype=np.uint64)

    def add(self, words: set[str]) -> None:
        n = len(self.rows)
        new = sorted(words)  # sorted: the same rows whatever the set's order
        if n + len(new) > len(self.crc):
            size = max(2 * len(self.crc), n + len(new))
            crc, stem = np.zeros(size, dtype=np.uint64), np.zeros(size, dtype=np.uint64)
            crc[:n], stem[:n] = self.crc[:n], self.stem[:n]
            self.crc, self.stem = crc, stem
        self.crc[n : n + len(new)] = [zlib.crc32(w.encode("utf-8")) for w in new]
        self.stem[n : n + len(new)] = [_stem_id(w) for w in new]
        self.rows.update(zip(new, range(n, n + len(new))))


_WORDS = _WordTable()
_WORDS_LOCK = threading.Lock()  # held by a thread adding words


def _word_rows(words: list[str]) -> tuple[_WordTable, np.ndarray]:
    """The word table and each word's row in it, adding the words it lacks."""
    global _WORDS
    for _ in range(3):
        table = _WORDS
        try:
            return table, np.fromiter(map(table.rows.__getitem__, words), dtype=np.intp, count=len(words))
        except KeyError:  # words not seen yet (or the table was just replaced, by another thread)
            new = set(words).difference(table.rows)
            with _WORDS_LOCK:
                if len(table.rows) + len(new) > _CRC_MAX:
                    _WORDS = table = _WordTable()
                    new = set(words)
                table.add(new.difference(table.rows))
    table = _WordTable()  # the table keeps changing under us: a private one
    table.add(set(words))
    return table, np.fromiter(map(table.rows.__getitem__, words), dtype=np.intp, count=len(words))


def _word_ids(words: list[str]) -> np.ndarray:
    """CRC-32 of each word's UTF-8 bytes, as uint64; each distinct word is hashed once.

    >>> _word_ids(["putin", "said", "putin"]).tolist() == [zlib.crc32(w.encode()) for w in ("putin", "said", "putin")]
    True
    """
    table, rows = _word_rows(words)
    return table.crc[rows]


def _word_and_stem_ids(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(_word_ids(words), _stem_ids(words))`` with one lookup per word."""
    table, rows = _word_rows(words)
    return table.crc[rows], table.stem[rows]


def content_stem(word: str) -> str | None:
    """A normalised word's crude stem, None for a function word: inflection and function
    words are what light rewordings change.

    >>> content_stem("the"), content_stem("injured"), content_stem("injuring"), content_stem("sales"), content_stem("gas")
    (None, 'injur', 'injur', 'sal', 'gas')
    """
    if word in FUNCTION_WORDS:
        return None
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stem_ids(words: list[str]) -> np.ndarray:
    """Each word's sentence shingle id: the CRC-32 of its stem with bit 32 set, or for a
    function word its own CRC-32 with bit 33 set (``_sentence_minhash`` drops those).

    >>> ids = _stem_ids(["the", "injured", "injuring"])
    >>> ids[1] == ids[2], int(ids[0]) >> 33, int(ids[1]) >> 32
    (np.True_, 1, 1)
    """
    table, rows = _word_rows(words)
    return table.stem[rows]


def _stem_id(word: str) -> int:
    """``_stem_ids`` of one word."""
    stem = content_stem(word)
    return (
        (zlib.crc32(word.encode("utf-8")) | (1 << 33))
        if stem is None
        else (zlib.crc32(stem.encode("utf-8")) | (1 << 32))
    )


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
    >>> b = minhash("the quick brown fox jumps over the lazy dog tonight")
    >>> float(np.mean(a == a)), a.dtype.name, len(a), 0.3 < float(np.mean(a == b)) < 0.95
    (1.0, 'uint32', 128, True)
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


def band_keys_rows(signatures: np.ndarray, bands: int, only: range | None = None) -> np.ndarray:
    """Signed 64-bit key per band for each row of ``signatures`` (n, perm) -> (n, bands):
    ``band_keys`` of many signatures at once (deduplicate computes the index's band keys
    with it, from the stored signatures).  With ``only``, the keys of those bands alone
    (n, len(only)), the same values.

    >>> sig = minhash("the quick brown fox jumps over the lazy dog today")
    >>> band_keys_rows(np.stack([sig, sig]), BANDS).shape, band_keys_rows(sig[None, :], BANDS)[0].tolist() == band_keys(sig)
    ((2, 32), True)
    >>> (band_keys_rows(sig[None, :], BANDS, range(4, 6)) == band_keys_rows(sig[None, :], BANDS)[:, 4:6]).all()
    np.True_
    """
    n, perm = signatures.shape
    rows = perm // bands
    only = only if only is not None else range(bands)
    part = signatures[:, only.start * rows : only.stop * rows]
    s = part.reshape(n, len(only), rows).astype(np.uint64)
    key = np.arange(only.start + 1, only.stop + 1, dtype=np.uint64)[None, :] * _MIX ^ s[:, :, 0]
    shifted = np.empty_like(key)
    for r in range(rows):
        if r:
            key ^= s[:, :, r]
        key *= _MIX
        np.right_shift(key, np.uint64(29), out=shifted)
        key ^= shifted
    return key.view(np.int64)


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band of a document signature.

    >>> len(band_keys(minhash("some text here for the bands"))) == BANDS
    True
    """
    return band_keys_rows(signature[None, :], BANDS)[0].tolist()


def _words_key(words: list[str]) -> int:
    """Signed 64-bit BLAKE2b key of normalised words (shared by both sentence functions)."""
    return int.from_bytes(
        hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


def _words_of_all(texts: list[str]) -> list[list[str]]:
    """``normalise_for_hash(text).split()`` of each text, with one NFKC and case-folding
    pass over all of them and no regular expression in the common case.

    NUL is a stable code point (it never decomposes, composes or reorders) and case
    folding maps each character on its own, so normalising the NUL-joined texts
    normalises each one in place; a text that holds a NUL itself is done alone.

    >>> _words_of_all(["Putin said: “Yes!”", "", "ＯＫ, ﬁne_2 ½ née"])
    [['putin', 'said', 'yes'], [], ['ok', 'fine_2', '1', '2', 'née']]
    """
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return [normalise_for_hash(t).split() for t in texts]
    folded = unicodedata.normalize("NFKC", joined).casefold()
    blanked = _blank_non_words(folded)
    if blanked is None:
        return [_TOKEN.findall(part) for part in folded.split("\x00")]
    return [part.split() for part in blanked.split("\x00")]


def _word_table() -> np.ndarray:
    """For each code point of the Basic Multilingual Plane: does ``\\w`` match it (or is it NUL)?"""
    marked = re.sub(r"\w", "\x00", "".join(map(chr, range(0x10000))))  # NUL is not a word character
    table = np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) != np.arange(0x10000)
    table[0] = True  # NUL separates texts in ``_words_of_all``
    return table


_KEEP = _word_table()


def _blank_non_words(text: str) -> str | None:
    """``text`` with each character that ``\\w`` does not match, but NUL, made a space (so
    that ``str.split`` yields the ``\\w+`` runs), or None for a text beyond the BMP.

    >>> _blank_non_words("a “b”, c_d\\x00é!"), _blank_non_words("ok 🙂")
    ('a  b   c_d\\x00é ', None)
    """
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate: leave it to the regular expression
        return None
    if len(codes) and codes.max() > 0xFFFF:
        return None
    return np.where(_KEEP.take(codes), codes, np.uint32(32)).tobytes().decode("utf-32-le")


def sentence_signatures(sentences: list[str]) -> tuple[list[int | None], list[list[int] | None], list[bytes | None]]:
    """Exact keys, LSH band keys and MinHash signatures (bytes) of a document's sentences,
    computed in one vectorised pass.  Sentences shorter than ``MIN_SENTENCE_WORDS`` get
    ``None`` band keys and signatures (they are matched exactly only).

    >>> keys, bands, sigs = sentence_signatures(["Putin assured me of his readiness to engage in this.", "Too short."])
    >>> keys[1] is None, len(bands[0]), bands[1], len(sigs[0])
    (True, 16, None, 192)
    >>> keys[0] == sentence_signatures(["PUTIN assured me of his readiness to engage in this!"])[0][0]
    True
    """
    words = _words_of_all(sentences)
    keys, sigs = _sentence_parts_many([(*_sentence_keys(words), _stem_ids(list(chain.from_iterable(words))))])[0]
    bands = SentenceRows(sigs.owned, band_keys_rows(sigs.rows, SENTENCE_BANDS))
    return keys, bands.tolist(), sigs.tolist()


class SentenceRows:
    """One document's rows of a per-sentence array (band keys, or MinHash signatures):
    ``rows[k]`` belongs to the k-th sentence whose ``owned`` flag is set; the other
    sentences have none.  Views into one array for a whole batch: millions of small
    Python ints (16 band keys a sentence) cost a worker ~135 MB a 3,000-document batch,
    and the allocator kept that high-water mark for the rest of the run.

    >>> rows = SentenceRows(np.array([True, False, True]), np.array([[1, 2], [3, 4]]))
    >>> rows.tolist(), SentenceRows(np.array([True]), np.array([[7, 8]], dtype=np.uint32), as_bytes=True).tolist()
    ([[1, 2], None, [3, 4]], [b'\\x07\\x00\\x00\\x00\\x08\\x00\\x00\\x00'])
    """

    __slots__ = ("as_bytes", "owned", "rows")

    def __init__(self, owned: np.ndarray, rows: np.ndarray, as_bytes: bool = False) -> None:
        self.owned, self.rows, self.as_bytes = owned, rows, as_bytes

    def __len__(self) -> int:
        return len(self.owned)

    def tolist(self) -> list:
        """Each sentence's row (a list of ints, or bytes with ``as_bytes``), None where it has none."""
        it = iter(r.tobytes() for r in self.rows) if self.as_bytes else iter(self.rows.tolist())
        return [next(it) if owned else None for owned in self.owned.tolist()]


def batch_signatures(texts: list[str], sentence_lists: list[list[str]]) -> list[tuple]:
    """For each document, ``(exact_hash, band_keys, signature, sentence_keys,
    sentence_sigs)``: the values of ``exact_hash(text)``, ``band_keys(minhash(text))``,
    ``minhash(text).tobytes()`` and the keys and signatures of
    ``sentence_signatures(sentences)``, the signatures as ``SentenceRows`` (``tolist()``
    gives ``sentence_signatures``'s list).  Sentence band keys are left out: deduplicate
    computes them from the signatures (``band_keys_rows``), for the sentences it buckets.

    Each word is normalised and hashed once when ``text`` is its sentences in order apart
    from whitespace (``_spans_sentences``): whitespace, and the NUL that joins texts in
    ``_words_of_all``, are stable under NFKC and case folding and never part of a ``\\w``
    run, so the normalised words of the text are those of its sentences, one after the
    other.  The MinHash and band arithmetic runs once for the whole batch.

    >>> sentences = ["Putin assured me of his readiness to engage.", "“Yes!”"]
    >>> (h, bands, sig, *parts), other = batch_signatures(["Putin assured me of his readiness to engage.  “Yes!”\\n", "Other"], [sentences, ["Other"]])
    >>> h == exact_hash(" ".join(sentences)), bands == band_keys(minhash(" ".join(sentences))), sig == minhash(" ".join(sentences)).tobytes()
    (True, True, True)
    >>> keys, _bands, sigs = sentence_signatures(sentences)
    >>> (parts[0], parts[1].tolist()) == (keys, sigs), other[0] == exact_hash("other")
    (True, True)
    >>> other[3], other[4].tolist()
    ([None], [None])
    """
    docs = [_document_words(text, sentences) for text, sentences in zip(texts, sentence_lists)]
    doc_sigs = _minhash_many([doc[1] for doc in docs])
    doc_bands = band_keys_rows(doc_sigs, BANDS).tolist() if docs else []
    raw, width = doc_sigs.tobytes(), NUM_PERM * doc_sigs.itemsize
    sentence_parts = _sentence_parts_many([doc[2:] for doc in docs])
    return [(doc[0], doc_bands[d], raw[d * width : (d + 1) * width], *sentence_parts[d]) for d, doc in enumerate(docs)]


def _document_words(text: str, sentences: list[str]) -> tuple[str, np.ndarray, list[int], list[int | None], np.ndarray]:
    """``(exact_hash(text), ids of text's normalised words, each sentence's number of
    normalised words, its key, ``_stem_ids`` of all the sentences' words)``."""
    words = _words_of_all(sentences)
    all_words = list(chain.from_iterable(words))
    ids, stem_ids = _word_and_stem_ids(all_words)
    if _spans_sentences(text, sentences):
        exact, doc_ids = _blake2b_hex(" ".join(all_words)), ids
    else:
        normal = normalise_for_hash(text)
        exact, doc_ids = _blake2b_hex(normal), _word_ids(normal.split())
    return (exact, doc_ids, *_sentence_keys(words), stem_ids)


def _sentence_keys(words: list[list[str]]) -> tuple[list[int], list[int | None]]:
    """The number of words of each sentence and its exact key (``_words_key``, inlined:
    it runs for every sentence), None below ``MIN_EXACT_SENTENCE_WORDS`` words."""
    counts = list(map(len, words))
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    keys = [
        from_bytes(blake2b(" ".join(w).encode("utf-8"), digest_size=8).digest(), "little", signed=True)
        if n >= MIN_EXACT_SENTENCE_WORDS
        else None
        for w, n in zip(words, counts)
    ]
    return counts, keys


def _spans_sentences(text: str, sentences: list[str]) -> bool:
    """True when ``text`` is ``sentences`` in order, separated by whitespace (so the two
    have the same whitespace-separated tokens).

    >>> _spans_sentences(" One. Two.\\n\\nThree.", ["One.", "Two.", "Three."]), _spans_sentences("One.Two.", ["One.", "Two."])
    (True, False)
    """
    pos = 0
    for i, sentence in enumerate(sentences):
        found = text.find(sentence, pos)
        if found < 0 or not (text[pos:found].isspace() or (found == pos and not i)):
            return False
        pos = found + len(sentence)
    return pos == len(text) or text[pos:].isspace()


_CHUNK_WORDS = 1 << 13  # shingles hashed per NumPy pass (48 values each: a few MB, cache-sized)


def _sentence_parts_many(docs: list[tuple[list[int], list[int | None], np.ndarray]]) -> list[tuple[list, SentenceRows]]:
    """``(keys, signature rows)`` of each document's sentences, given as ``(counts, keys,
    ids)``: its sentences' numbers of words, their keys and the ``_stem_ids`` of all their words; one
    MinHash pass per chunk of documents."""
    counts_of: list[np.ndarray] = []
    chunk_ids: list[np.ndarray] = []
    chunk_counts: list[int] = []
    chunk_words = 0
    blocks: list[np.ndarray] = []
    for counts, _keys, ids in docs:
        counts_of.append(np.array(counts, dtype=np.int64))
        chunk_ids.append(ids)
        chunk_counts.extend(counts)
        chunk_words += len(ids)
        if chunk_words >= _CHUNK_WORDS:
            blocks.append(_sentence_minhash(chunk_ids, chunk_counts))
            chunk_ids, chunk_counts, chunk_words = [], [], 0
    if chunk_ids:
        blocks.append(_sentence_minhash(chunk_ids, chunk_counts))
    signatures = np.concatenate(blocks) if blocks else np.empty((0, SENTENCE_PERM), dtype=np.uint32)
    out: list[tuple[list, SentenceRows]] = []
    row = 0
    for (_counts, keys, _ids), counts in zip(docs, counts_of):
        owned = counts >= MIN_SENTENCE_WORDS
        end = row + int(owned.sum())
        out.append((keys, SentenceRows(owned, signatures[row:end], as_bytes=True)))
        row = end
    return out


def _sentence_minhash(id_arrays: list[np.ndarray], counts: list[int]) -> np.ndarray:
    """MinHash rows (uint32, ``SENTENCE_PERM`` each) of the sentences of at least
    ``MIN_SENTENCE_WORDS`` words, in order; ``counts``: the words of every sentence, whose
    ``_stem_ids`` follow one another in ``id_arrays``.  A sentence's shingles are its
    content stems, or all its words when it has none.

    >>> ids = _stem_ids("a b c d e f g h i j k".split()) ; rows = _sentence_minhash([ids[:3], ids[3:]], [3, 8])
    >>> rows.shape, (rows == _sentence_minhash([_stem_ids("k j i h g f e d".split())], [8])).all()
    ((1, 48), np.True_)
    >>> bool((_sentence_minhash([_stem_ids("the men said it was not so".split() + ["injured"])], [8])
    ...       == _sentence_minhash([_stem_ids("a man says it is injuring him now".split())], [8])).mean() < 1)
    True
    """
    lengths = np.array(counts, dtype=np.int64)
    owned = lengths >= MIN_SENTENCE_WORDS
    if not owned.any():
        return np.empty((0, SENTENCE_PERM), dtype=np.uint32)
    ids = np.concatenate(id_arrays)
    if not owned.all():
        ids = ids[np.repeat(owned, lengths)]
        lengths = lengths[owned]
    sentence_of = np.repeat(np.arange(len(lengths)), lengths)
    content = (ids & _FUNCTION) == 0
    has_content = np.bincount(sentence_of, weights=content, minlength=len(lengths)) > 0
    keep = content | ~has_content[sentence_of]  # a sentence of function words only keeps them all
    kept = np.bincount(sentence_of[keep], minlength=len(lengths))
    starts = np.concatenate(([0], np.cumsum(kept)[:-1]))  # repeats cannot change a minimum
    return _minhash_min(_mix64(ids[keep]), starts, _SA, _SB)


def _minhash_many(id_arrays: list[np.ndarray]) -> np.ndarray:
    """``minhash`` of each sequence of word ids (``_word_ids`` of the normalised words), as
    the rows of one (n, ``NUM_PERM``) array: one NumPy pass for all of them.

    >>> texts = ["the quick brown fox jumps over the lazy dog", "", "too short", "a b c d e"]
    >>> all((row == minhash(t)).all() for row, t in zip(_minhash_many([_word_ids(t.split()) for t in texts]), texts))
    True
    """
    n = len(id_arrays)
    sig = np.full((n, NUM_PERM), EMPTY, dtype=np.uint32)
    lengths = np.fromiter(map(len, id_arrays), dtype=np.int64, count=n)
    if not lengths.any():
        return sig
    ids = np.concatenate(id_arrays)
    doc_of = np.repeat(np.arange(n), lengths)
    shingles, rows = [], []
    m = len(ids) - SHINGLE + 1
    if m > 0:
        h = ids[:m].copy()  # ``_shingles``: 0 * _MIX + ids, then one step per further word
        for k in range(1, SHINGLE):
            h *= _MIX
            h += ids[k : m + k]
        inside = doc_of[:m] == doc_of[SHINGLE - 1 :]  # the n-gram lies within one document
        shingles.append(h[inside])
        rows.append(doc_of[:m][inside])
    ends = np.cumsum(lengths)
    for d in np.flatnonzero((lengths > 0) & (lengths < SHINGLE)).tolist():  # shorter: one shingle of all
        shingles.append(_shingles(ids[ends[d] - lengths[d] : ends[d]], SHINGLE))
        rows.append(np.array([d]))
    h = _mix64(np.concatenate(shingles))
    where = np.concatenate(rows) * NUM_PERM + (h >> np.uint64(57)).astype(np.intp)
    np.minimum.at(sig.reshape(-1), where, h.astype(np.uint32))  # top 7 bits: the bin; low 32 bits: the value
    return _densify(sig)


def _densify(sig: np.ndarray) -> np.ndarray:
    """Give each empty bin the value of the next non-empty bin of its row (cyclically),
    in rows that have one (``minhash``'s rotation densification), in place.

    >>> e = EMPTY; _densify(np.array([[e, 5, e, 7], [e, e, e, e], [1, e, e, e]], dtype=np.uint32)).tolist()
    [[5, 5, 7, 7], [4294967295, 4294967295, 4294967295, 4294967295], [1, 1, 1, 1]]
    """
    empty = sig == EMPTY
    fix = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if len(fix):
        width = sig.shape[1]
        filled = np.tile(~empty[fix], 2)  # a row twice: "next" wraps around
        at = np.where(filled, np.arange(2 * width), 2 * width)
        nxt = np.minimum.accumulate(at[:, ::-1], axis=1)[:, ::-1][:, :width] % width
        sig[fix] = np.take_along_axis(sig[fix], nxt, axis=1)
    return sig


def _minhash_min(shingles: np.ndarray, starts: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.minimum.reduceat(_minhash_rows(shingles, a, b), starts, axis=0)``, computed in
    place, one hash function per row; the shift comes after the minimum, which it keeps.

    >>> sh, starts = np.array([5, 7, 9], dtype=np.uint64), np.array([0, 2])
    >>> (_minhash_min(sh, starts, _SA, _SB) == np.minimum.reduceat(_minhash_rows(sh, _SA, _SB), starts, axis=0)).all()
    np.True_
    """
    values = np.multiply.outer(a, shingles)
    values += b[:, None]
    low = np.minimum.reduceat(values, starts, axis=1)
    low >>= np.uint64(32)
    return low.T.astype(np.uint32, order="C")
