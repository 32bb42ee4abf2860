"""Experiment (not shipped): a trained model of residue paragraphs, for what no rule names
(teaser headlines, captions without a credit, promo copy).

Logistic regression over sparse features of a paragraph and its neighbours (shape, position,
words), trained by ``train_paragraph_model.py`` on the tune split.  With folds grouped by
source it found 9% of the residue out of fold at 0.3% of content taken (17% at 1%): it learns
each site's furniture, not residue in general, so newsclean does not use it (DATA.md).
"""

from __future__ import annotations

import re
from pathlib import Path

MODEL_FILE = Path("/tmp/newsclean-paragraph-residue.json")
MAX_CHARS = 400

_WORD = re.compile(r"[^\W\d_]+|\d+")
_END = re.compile(r"([.!?…:;,)\]\"”’'*-])\W*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)]*\s")
_REPORTED = re.compile(r"\b(?:said|says|told|according to|added|asked|wrote|explained|stated)\b")


def _bucket(n: float, edges: tuple) -> int:
    return next((k for k, e in enumerate(edges) if n < e), len(edges))


def _end_class(p: str) -> str:
    m = _END.search(p)
    return m.group(1) if m else ("none" if p and p[-1:].isalnum() else "other")


def _start_class(p: str) -> str:
    c = p[:1]
    return (
        "upper"
        if c.isupper()
        else "lower"
        if c.islower()
        else "digit"
        if c.isdigit()
        else c
        if c in "\"“‘'([—–-#@*•"
        else "other"
    )


def paragraph_features(paragraphs: list[str], i: int, title_words: frozenset) -> list[str]:
    """The feature names of paragraph ``i`` in its document.

    >>> sorted(paragraph_features(["Read more", "Talks ended."], 0, frozenset()))[:4]
    ['b:read more', 'caps:4', 'chars:0', 'end:none']
    """
    p = paragraphs[i]
    n = len(paragraphs)
    words = [("0" if w.isdigit() else w.lower()) for w in _WORD.findall(p)]
    letters = [w for w in _WORD.findall(p) if not w.isdigit()]
    caps = sum(w[0].isupper() for w in letters) / len(letters) if letters else 0.0
    upper = sum(w.isupper() and len(w) > 1 for w in letters) / len(letters) if letters else 0.0
    feats = [
        f"chars:{_bucket(len(p), (20, 40, 80, 160, 320))}",
        f"words:{_bucket(len(words), (2, 4, 8, 16, 32))}",
        f"end:{_end_class(p)}",
        f"start:{_start_class(p)}",
        f"caps:{_bucket(caps, (0.2, 0.4, 0.6, 0.8))}",
        f"upper:{_bucket(upper, (0.1, 0.5, 0.9))}",
        f"pos:{_bucket(i / max(1, n - 1), (0.1, 0.3, 0.7, 0.9))}",
        f"sentences:{_bucket(len(_SENTENCE_BREAK.findall(p + ' ')), (1, 2, 3))}",
    ]
    if i == 0:
        feats.append("first")
    if i == n - 1:
        feats.append("last")
    for name, found in (
        ("url", "http" in p or "www." in p),
        ("at", "@" in p),
        ("hash", "#" in p),
        ("pipe", "|" in p),
        ("bracketed", p[:1] in "[(" and p[-1:] in "])"),
        ("reported", bool(_REPORTED.search(p))),
        ("quoted", p[:1] in "\"“‘'"),
    ):
        if found:
            feats.append(name)
    if title_words and words:
        feats.append(f"title:{_bucket(sum(w in title_words for w in words) / len(words), (0.3, 0.6, 0.9))}")
    for side, j in (("prev", i - 1), ("next", i + 1)):
        if 0 <= j < n and paragraphs[j]:
            q = paragraphs[j]
            feats.append(f"{side}_end:{_end_class(q)}")
            feats.append(f"{side}_chars:{_bucket(len(q), (40, 160, 320))}")
        else:
            feats.append(f"{side}:none")
    if words:
        feats.append(f"fw:{words[0]}")
        feats.append(f"lw:{words[-1]}")
    feats.extend(f"w:{w}" for w in set(words))
    feats.extend(f"b:{a} {b}" for a, b in set(zip(words, words[1:])))
    return feats
