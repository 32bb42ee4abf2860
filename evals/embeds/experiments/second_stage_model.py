"""Experiment (not shipped): a trained second stage of the embeds step, a logistic model that
scores each paragraph the rules and detectors kept as residue or content, from features that
carry across sites (shape, position, neighbours, what the rules removed around it, a few closed
word lists, hashed first and last words), not from one site's strings.

Trained by ``train_second_stage_model.py`` (weights written to MODEL_FILE).  On the held-out
split it took residue from 0.387 to 0.417 at content kept 0.997, far from the issue's 0.90, and
made the embeds step six times slower: newsclean does not use it
(results/2026-12-07-paragraph-model.md).  Scoring is pure Python and deterministic.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path("/tmp/newsclean-second-stage-model.json")
MAX_CHARS = 600  # longer paragraphs are prose or were cut by layout repair: never scored
HASH_BUCKETS = 4096  # first/last words are hashed: a coarse signal, not a per-site vocabulary

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
_END = re.compile(r"([.!?…:;,)\]\"”’'*|-])\W*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)]*\s")
_CLAUSE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk)\b", re.I)
_HANDLE = re.compile(r"(?<!\w)@\w")
_REPORTED = re.compile(r"\b(?:said|says|told|according to|added|asked|wrote|explained|stated|reported)\b", re.I)
IMPERATIVES = frozenset(
    "share subscribe click sign follow watch read download buy get join like visit see check "
    "support donate order call email contact listen tap learn find view continue enter register "
    "shop save try discover please".split()
)
FIRST_PERSON = frozenset("i me my mine we us our ours".split())
SECOND_PERSON = frozenset("you your yours".split())


def _bucket(n: float, edges: tuple) -> int:
    """Index of the first edge above ``n``.

    >>> _bucket(5, (2, 4, 8)), _bucket(9, (2, 4, 8))
    (2, 3)
    """
    return next((k for k, e in enumerate(edges) if n < e), len(edges))


def _hash(text: str) -> int:
    """A stable bucket for a short word string (crc32: the same on every machine and run).

    >>> _hash("read more") == _hash("read more")
    True
    """
    return zlib.crc32(text.encode("utf-8")) % HASH_BUCKETS


def _end_class(p: str) -> str:
    """The paragraph's last punctuation mark, or ``none`` after a letter or digit.

    >>> _end_class("Talks ended."), _end_class("Read more"), _end_class("Photo: AP |")
    ('.', 'none', '|')
    """
    m = _END.search(p)
    return m.group(1) if m else ("none" if p[-1:].isalnum() else "other")


def is_prose(p: str) -> bool:
    """Eight words or more ending as a sentence does.

    >>> is_prose("The talks in Moscow ended late on Monday, officials said."), is_prose("Read more")
    (True, False)
    """
    return bool(p) and len(_WORD.findall(p)) >= 8 and bool(_CLAUSE_END.search(p.rstrip()))


def _shape(p: str, words: list[str]) -> list[str]:
    """Length, punctuation, case and marks of one paragraph."""
    letters = [w for w in words if not w.isdigit()]
    caps = sum(w[0].isupper() for w in letters) / len(letters) if letters else 0.0
    upper = sum(w.isupper() and len(w) > 1 for w in letters) / len(letters) if letters else 0.0
    long_words = [w for w in letters if len(w) >= 4]
    end = _end_class(p)
    short = "short" if len(words) < 12 else "long"
    feats = [
        f"chars:{_bucket(len(p), (20, 40, 80, 160, 320))}",
        f"words:{_bucket(len(words), (2, 4, 7, 12, 20, 35))}",
        f"end:{end}",
        f"caps:{_bucket(caps, (0.2, 0.4, 0.6, 0.8, 0.99))}",
        f"upper:{_bucket(upper, (0.1, 0.5, 0.9))}",
        f"sentences:{_bucket(len(_SENTENCE_BREAK.findall(p + ' ')), (1, 2, 3))}",
        f"end&len:{end}&{short}",
    ]
    first = p[:1]
    feats.append(
        f"start:{'upper' if first.isupper() else 'lower' if first.islower() else 'digit' if first.isdigit() else first}"
    )
    if long_words and all(w[0].isupper() for w in long_words) and end not in ".!?":
        feats.append("title_case")
    for name, found in (
        ("url", _URL.search(p)),
        ("handle", _HANDLE.search(p)),
        ("at", "@" in p),
        ("hash", "#" in p),
        ("copyright", "©" in p or "(c)" in p.lower()),
        ("pipe", "|" in p),
        ("digits", any(w.isdigit() for w in words)),
        ("arrow", any(c in p for c in "»›→▶►")),
        ("bracketed", first in "[(" and p[-1:] in "])"),
        ("quoted", first in "\"“‘'"),
        ("reported", _REPORTED.search(p)),
        ("colon_head", re.match(r"[^.!?]{1,40}:\s", p)),
    ):
        if found:
            feats.append(name)
    return feats


def _words_feats(words: list[str], title_words: frozenset) -> list[str]:
    """Closed word lists (imperatives, persons), title overlap, hashed first and last words."""
    low = [w.lower() for w in words]
    feats = []
    if low and low[0] in IMPERATIVES:
        feats.append(f"imperative:{low[0]}")
    if FIRST_PERSON.intersection(low):
        feats.append("first_person")
    if SECOND_PERSON.intersection(low):
        feats.append("second_person")
    if title_words and low:
        feats.append(f"title:{_bucket(sum(w in title_words for w in low) / len(low), (0.01, 0.3, 0.6, 0.9))}")
    norm = ["0" if w.isdigit() else w for w in low]
    for k in (1, 2, 3):
        if len(norm) >= k:
            feats.append(f"first{k}:{_hash(' '.join(norm[:k]))}")
            feats.append(f"last{k}:{_hash(' '.join(norm[-k:]))}")
    return feats


def _context(original: list[str], after: list[str], i: int) -> list[str]:
    """Position, prose neighbours, residue the rules removed nearby, repeats in the document."""
    n = len(original)
    kept = [j for j, a in enumerate(after) if a]
    rank = kept.index(i)
    gone = [bool(o) and not a for o, a in zip(original, after)]
    feats = [
        f"pos:{min(i, 5)}",
        f"from_end:{min(n - 1 - i, 5)}",
        f"rel:{_bucket(i / max(1, n - 1), (0.1, 0.3, 0.7, 0.9))}",
        f"kept_pos:{min(rank, 3)}",
        f"kept_from_end:{min(len(kept) - 1 - rank, 3)}",
    ]
    near = [d for d in range(1, 4) if (i - d >= 0 and gone[i - d]) or (i + d < n and gone[i + d])]
    feats.append(f"removed_near:{near[0] if near else 0}")
    feats.append(f"removed_share:{_bucket(sum(gone) / n, (0.01, 0.1, 0.25, 0.5))}")
    if i > 0 and gone[i - 1]:
        feats.append("removed_prev")
    if i + 1 < n and gone[i + 1]:
        feats.append("removed_next")
    if original[i] != after[i]:
        feats.append("trimmed")
    prev = after[kept[rank - 1]] if rank > 0 else ""
    nxt = after[kept[rank + 1]] if rank + 1 < len(kept) else ""
    p_prose, n_prose, me = is_prose(prev), is_prose(nxt), is_prose(after[i])
    feats.append(f"neighbours:{int(p_prose)}{int(n_prose)}{int(me)}")
    after_n = sum(is_prose(after[j]) for j in kept[rank + 1 :])
    before_n = sum(is_prose(after[j]) for j in kept[:rank])
    zone = "head" if not before_n else "tail" if not after_n else "body"
    feats += [
        f"prose_after:{_bucket(after_n, (1, 2, 4))}",
        f"prose_before:{_bucket(before_n, (1, 2, 4))}",
        f"zone:{zone}&{int(me)}",
        f"zone&near:{zone}&{bool(near)}",
        f"zone&next:{zone}&{int(n_prose)}",
    ]
    if not me and (p_prose or n_prose) and near:
        feats.append("short_by_removed")
    if sum(o == original[i] for o in original) > 1:
        feats.append("repeated")
    return feats


def paragraph_features(original: list[str], after: list[str], i: int, title_words: frozenset) -> list[str]:
    """The feature names of kept paragraph ``i`` (``after[i]`` not empty).

    >>> f = paragraph_features(["Talks ended late on Monday, officials said in Moscow.", "Share this", "Ad"],
    ...                        ["Talks ended late on Monday, officials said in Moscow.", "Share this", ""], 1, frozenset())
    >>> "imperative:share" in f, "removed_next" in f, "end:none" in f
    (True, True, True)
    """
    p = after[i]
    words = _WORD.findall(p)
    return ["bias", *_shape(p, words), *_words_feats(words, title_words), *_context(original, after, i)]


def title_words(title: str | None) -> frozenset:
    """Lowercased words of the title.

    >>> sorted(title_words("Putin meets Macron"))
    ['macron', 'meets', 'putin']
    """
    return frozenset(w.lower() for w in _WORD.findall(title or ""))


class ParagraphModel:
    """Weights by feature name and the score above which a kept paragraph is residue."""

    CATEGORY = "boilerplate"
    RULE = "paragraph_model"

    def __init__(self, weights: dict[str, float], threshold: float):
        self.weights = weights
        self.threshold = threshold

    def score(self, feats: list[str]) -> float:
        """Probability of residue for one paragraph's features.

        >>> round(ParagraphModel({"bias": 0.0}, 0.5).score(["bias"]), 2)
        0.5
        """
        z = math.fsum(self.weights.get(f, 0.0) for f in feats)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def scores(self, original: list[str], after: list[str], title: str | None) -> dict[int, float]:
        """Score of every kept paragraph short enough to be scored, by index."""
        tw = title_words(title)
        return {
            i: self.score(paragraph_features(original, after, i, tw))
            for i, p in enumerate(after)
            if p and len(p) <= MAX_CHARS
        }

    def residue(self, original: list[str], after: list[str], title: str | None) -> list[int]:
        """Indexes of the kept paragraphs scored at or above the threshold.

        >>> ParagraphModel({"bias": -5.0, "imperative:share": 9.0}, 0.9).residue(["Jo spoke.", "Share this"], ["Jo spoke.", "Share this"], None)
        [1]
        """
        if len(after) < 2:  # a one-paragraph document has no context to judge by
            return []
        return [i for i, s in self.scores(original, after, title).items() if s >= self.threshold]


@lru_cache(maxsize=4)
def load_model(threshold: float, path: str = str(MODEL_FILE)) -> ParagraphModel:
    """The trained model (``train_second_stage_model.py --write``) with the given threshold (0 < threshold <= 1)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return ParagraphModel(data["weights"], threshold)
