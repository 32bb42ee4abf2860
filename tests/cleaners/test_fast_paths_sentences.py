"""The fast paths of cleaners/sentences.py and cleaners/signatures.py give exactly what
the plain implementations give (gates, reused buffers, batched hashing, the tokeniser).

The references below are the straightforward forms of the same computations (as they
were before the fast paths), applied to generated sentences full of the patterns the
rules and the tokeniser care about: function words, edge punctuation, abbreviations,
odd whitespace, NUL, combining marks and characters beyond the BMP.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import unicodedata
import zlib

import blingfire
import numpy as np
import pytest

from cleaners import sentences as S
from cleaners import signatures as G

_WORDS = sorted(
    S._NOT_AFTER_DETERMINER | S._SALAD_DETERMINERS | S._SALAD_PREPOSITIONS | S.CAPITALISED_FUNCTION | S.DANGLING_END
) + [
    "talks",
    "Moscow",
    "business-like",
    "businesslike",
    "well-known",
    "A",
    "a.",
    "the.",
    "Mr.",
    "U.S.",
    "eBay",
    "vitamin",
    "plan",
    "47th",
    "said",
    "THE",
    "Of",
    "\u212aan",
    "İn",
    "ΑΣ",
    "used",
    "for.",
    "to.",
    "with.",
    "e.g.",
    "n.d.",
    "(the",
    "“the”",
    "the,",
    "of;",
    "“Their",
    "(Of)",
    "--",
    "...",
    "…",
    "and.",
    "Dr.",
    "J.",
    "Calif.",
    "He",
    "left.",
    "“Yes.”",
    "[1]",
    '"no',
    "?",
    "end.\x00Next",
    "Ещё",
    "раз.",
    "ﬁne",
    "½",
    "🙂",
    "e\u0301",
]
_SEPARATORS = [" ", " ", " ", "  ", "\u00a0", "\t", "\n", "\u2009", "\u3000"]


def _sentence(rng: random.Random, k: int) -> str:
    out = []
    for _ in range(k):
        word = rng.choice(_WORDS)
        r = rng.random()
        if r < 0.1:
            word = rng.choice(S._EDGE) + word
        elif r < 0.2:
            word = word + rng.choice(S._EDGE)
        elif r < 0.25:
            word = word.upper()
        elif r < 0.3:
            word = word.capitalize()
        out.append(word + rng.choice(_SEPARATORS))
    return "".join(out).rstrip()


def _sentences(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return [_sentence(rng, rng.randint(0, 10)) for _ in range(n)]


def _reference_reason(sentence: str) -> str | None:
    """``broken_reason`` with every rule run, no gate."""
    tokens = sentence.split()
    if not tokens:
        return None
    if S.dangling_end(tokens):
        return "dangling_end"
    reason = S.spurious_stop(tokens)
    if reason:
        return reason
    for name, rule in (
        ("lowercase_start", S.lowercase_start),
        ("capitalised_function_word", S.capitalised_function_word),
    ):
        if rule(tokens):
            return name
    words = [S._core(t).lower() for t in tokens]
    joined = {w for w in words if "-" not in w and len(w) > 4}
    if any("-" in w and w.replace("-", "") in joined for w in words):
        return "repeated_word"
    if S.word_salad(tokens):
        return "word_salad"
    return None


def test_broken_reason_matches_the_ungated_rules():
    found = set()
    for sentence in _sentences(1, 20000):
        reason = S.broken_reason(sentence)
        assert reason == _reference_reason(sentence), sentence
        found.add(reason)
    assert found >= {
        None,
        "dangling_end",
        "spurious_stop",
        "lowercase_start",
        "capitalised_function_word",
        "word_salad",
    }


def test_gates_pass_every_sentence_their_rule_fires_on():
    fired = 0
    for sentence in _sentences(2, 20000):
        tokens = sentence.split()
        if S.word_salad(tokens):
            fired += 1
            assert S._may_be_salad(sentence), sentence
        if S.capitalised_function_word(tokens):
            assert not S.CAPITALISED_FUNCTION.isdisjoint(tokens[1:-1]), sentence
        if S.spurious_stop(tokens):
            assert S._STOP_GATE.search(sentence), sentence
    assert fired > 1000


@pytest.mark.slow  # exhaustive: seconds
def test_unicode_facts_the_gates_rely_on():
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert bool(re.match(r"\s", c)) == c.isspace() == (len(("a" + c + "b").split()) == 2)
        lower = c.lower()
        assert c.isspace() == lower.isspace() or not lower
        if not c.isspace():
            assert not any(x.isspace() for x in lower)
        if c.isalpha():
            assert re.match(r"[^\W\d_]", c)
        if not c.isascii() and any(x.isascii() and x.isalpha() for x in lower):
            assert c in "İ\u212a"  # 'K' (Kelvin) lowers to 'k', which no gated word has


@pytest.mark.parametrize(
    "sentence", ["He met Mr.", "He met Mr", "Wait .", "end.\n", ".", "a.", " x.", "U.S.", "", "(J."]
)
def test_last_token_is_the_regular_expression(sentence):
    m = S._LAST_TOKEN.search(sentence)
    assert S._last_token(sentence) == (m.group(1) if m else None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "Dr. J. R. Ewing met Mr. Smith. They talked.",
        "Hello\x00world. Yes. No.",
        "x. " * 500,
        "Ещё раз. Да!",
        "🙂 ok. fine",
    ],
)
def test_text_to_sentences_is_blingfire(text):
    assert S._text_to_sentences(text) == blingfire.text_to_sentences(text)
    assert S._text_to_sentences(text[:3]) == blingfire.text_to_sentences(text[:3])  # a reused, longer buffer


@pytest.mark.parametrize("policy", ["flag", "drop"])
def test_split_and_find_broken_sentences_are_those_of_its_text(policy):
    rng = random.Random(3)
    for _ in range(500):
        text = "\n\n".join(
            " ".join(_sentence(rng, rng.randint(1, 9)) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 4))
        )
        out, edits, flags, sentences = S.split_and_find_broken(text, policy)
        assert (out, edits, flags) == S.find_broken_sentences(text, policy)
        assert sentences == [s for p in S.paragraphs_of(out) for s in S.split_sentences(p)]


# ------------------------------------------------------------------ signatures


def _ref_ids(words: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))


def _ref_band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    n, perm = signatures.shape
    rows = perm // bands
    s = signatures.reshape(n, bands, rows).astype(np.uint64)
    key = np.arange(1, bands + 1, dtype=np.uint64)[None, :] * G._MIX
    with np.errstate(over="ignore"):
        for r in range(rows):
            key = (key ^ s[:, :, r]) * G._MIX
            key ^= key >> np.uint64(29)
    return key.view(np.int64)


def _ref_minhash(text: str) -> np.ndarray:
    words = G.normalise_for_hash(text).split()
    sig = np.full(G.NUM_PERM, G.EMPTY, dtype=np.uint32)
    if not words:
        return sig
    h = G._mix64(G._shingles(_ref_ids(words), G.SHINGLE))
    np.minimum.at(sig, (h >> np.uint64(57)).astype(np.intp), (h & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    empty = sig == G.EMPTY
    if empty.any():
        filled = np.flatnonzero(~empty)
        nxt = np.searchsorted(filled, np.arange(G.NUM_PERM)) % len(filled)
        sig[empty] = sig[filled[nxt[empty]]]
    return sig


def _ref_sentence_signatures(sentences: list[str]):
    keys, chunks, owners = [], [], []
    for i, sentence in enumerate(sentences):
        words = G.normalise_for_hash(sentence).split()
        key = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest()
        keys.append(int.from_bytes(key, "little", signed=True) if len(words) >= G.MIN_EXACT_SENTENCE_WORDS else None)
        if len(words) >= G.MIN_SENTENCE_WORDS:
            stems = [G.content_stem(w) for w in words]
            kept = [zlib.crc32(t.encode("utf-8")) | (1 << 32) for t in stems if t is not None]
            kept = kept or [zlib.crc32(w.encode("utf-8")) | (1 << 33) for w in words]  # function words only
            chunks.append(G._mix64(np.array(kept, dtype=np.uint64)))
            owners.append(i)
    bands, sigs = [None] * len(sentences), [None] * len(sentences)
    if chunks:
        starts = np.concatenate(([0], np.cumsum([len(c) for c in chunks])[:-1]))
        signatures = np.minimum.reduceat(G._minhash_rows(np.concatenate(chunks), G._SA, G._SB), starts, axis=0)
        band_matrix = _ref_band_keys(signatures, G.SENTENCE_BANDS)
        for row, i in enumerate(owners):
            bands[i], sigs[i] = band_matrix[row].tolist(), signatures[row].tobytes()
    return keys, bands, sigs


_ODD = list("abcdefghij ABC xyz  ..,;“”’'-_0123") + [
    "\x00",
    "\u0301",
    "\u00a8",
    "ﬁ",
    "Ｋ",
    "ß",
    "Σ",
    "ς",
    "\u00a0",
    "\u3000",
    "\t",
    "\n",
    "\u2028",
    "½",
    "²",
    "é",
    "е",
    "🙂",
    "𝐀",
    "𠀀",
    "\u0345",
    "İ",
    "\u212a",
    "\u1100\u1161",
    "\u0f73",
    "\u2160",
    "\u200b",
    "\ufeff",
    "\x85",
    "\x1c",
]


def _odd_documents(seed: int, n: int) -> tuple[list[str], list[list[str]]]:
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(_ODD) for _ in range(rng.randint(0, 7)))

    texts, sentence_lists = [], []
    for _ in range(n):
        sentences = [" ".join(word() for _ in range(rng.randint(0, 14))) for _ in range(rng.randint(0, 6))]
        r = rng.random()
        if r < 0.6:  # the usual case: the text is its sentences, whitespace apart
            text = "".join(s + rng.choice([" ", "\n\n", "  ", "\u00a0"]) for s in sentences)
        elif r < 0.8:
            text = "".join(sentences)
        else:
            text = " ".join(word() for _ in range(rng.randint(0, 30)))
        texts.append(text)
        sentence_lists.append(sentences)
    return texts, sentence_lists


def test_words_of_all_is_normalise_for_hash():
    texts, sentence_lists = _odd_documents(4, 400)
    for sentences in [*sentence_lists, texts]:
        assert G._words_of_all(sentences) == [G.normalise_for_hash(s).split() for s in sentences]


def test_batch_signatures_match_the_plain_per_document_values():
    texts, sentence_lists = _odd_documents(5, 600)
    G._WORDS = G._WordTable()  # the word table cold
    for start in range(0, len(texts), 97):  # batches of several sizes, the word memo cold and warm
        batch = G.batch_signatures(texts[start : start + 97], sentence_lists[start : start + 97])
        for text, sentences, got in zip(texts[start:], sentence_lists[start:], batch):
            sig = _ref_minhash(text)
            bands = _ref_band_keys(sig[None, :], G.BANDS)[0].tolist()
            want = (G.exact_hash(text), bands, sig.tobytes(), *_ref_sentence_signatures(sentences))
            assert (*got[:4], got[4].tolist()) == (*want[:4], want[5]), (text, sentences)  # no sentence band keys
            assert G.sentence_signatures(sentences) == want[3:]
            assert G.minhash(text).tobytes() == want[2] and G.band_keys(sig) == bands
    assert G.batch_signatures([], []) == []


def test_word_table_is_the_regular_expression():
    word = re.compile(r"\w")
    assert all(bool(G._KEEP[c]) == bool(word.match(chr(c))) for c in range(1, 0x10000))


def test_nul_and_whitespace_are_stable_under_nfkc():
    separators = ["\x00"] + [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    rng = random.Random(6)
    marks = [chr(c) for c in range(0x300, 0x370)] + ["\u0345", "\u0f73", "\u1161", "\u11a8", "\u3099", "\u05b0"]
    others = marks + [chr(rng.randrange(0x20, 0x30000)) for _ in range(300)] + ["\u1100", "가", "ﬁ", "¨", "e", "Å"]
    for sep in separators:
        normal = unicodedata.normalize("NFKC", sep)
        assert sep == "\x00" or (normal.isspace() and sep.casefold().isspace())
        for c in others:
            assert unicodedata.normalize("NFKC", c + sep + c) == unicodedata.normalize(
                "NFKC", c
            ) + normal + unicodedata.normalize("NFKC", c)


def _with_loop(rng: random.Random, sentence: str) -> str:
    """``sentence`` with a run of one to six of its pieces repeated two to four times, the
    separators kept or changed (a changed one is not a loop for the regex)."""
    pieces = re.split(r"(\s+)", sentence)
    if len(pieces) < 2:
        return sentence
    i = rng.randrange(0, len(pieces), 2)
    run = pieces[i : i + 2 * rng.randint(1, 6)]
    if rng.random() < 0.2:
        run = [p.upper() if rng.random() < 0.5 else p for p in run]
    return "".join(pieces[:i] + run * rng.randint(2, 4) + pieces[i:])


def test_loop_prefilter_passes_every_sentence_the_loop_regex_matches():
    rng = random.Random(7)
    matched = pruned = 0
    for sentence in _sentences(3, 20000):
        for s in (sentence, _with_loop(rng, sentence)):
            hit = S._LOOP.search(s + " ") is not None
            may = S._may_loop(s)
            assert may or not hit, s
            matched += hit
            pruned += not may
    assert matched > 1000 and pruned > 10000  # both sides exercised: loops found, searches saved


def test_doubled_phrase_flags_the_same_sentences_with_the_prefilter():
    rng = random.Random(11)
    for sentence in _sentences(5, 5000):
        s = _with_loop(rng, sentence)
        m = S._LOOP.search(s + " ")
        reference = False
        while m:
            if len(S._WORD.findall(m.group(1))) > 1 or len(m.group(0)) >= 4 * len(m.group(1)):
                reference = True
                break
            m = S._LOOP.search(s + " ", m.end())
        tokens = s.split()
        if not reference and len(tokens) - len(set(tokens)) >= S._LONG_LOOP_MIN_REPEATS:
            reference = S._LONG_LOOP.search(s + " ") is not None
        assert S.doubled_phrase(s) == reference, s
