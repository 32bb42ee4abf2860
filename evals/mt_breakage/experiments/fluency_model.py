"""Experiment (not shipped): a word-class trigram fluency score for broken MT sentences.

A token is its own class when it is a function word or one of the ``vocab_size`` most
frequent words of the training text, else a shape class (``<CAP>``, ``<NUM>``, ``<ACR>``, or a
suffix class: ``ING``, ``ED``, ``LY``, ``S``, ``NOUN``, ``ADJ``, ``ER``, ``<W>``).  Class
trigrams get interpolated Kneser-Ney probabilities (absolute discount 0.75), stored
ARPA-style: the probability of every seen n-gram and the back-off weight of every seen
context, so that a score is dictionary look-ups.

A sentence's *disfluency* is minus the lowest mean log-probability over its windows of four
tokens (higher = less fluent); sentences of fewer than four tokens, or not ending in ``.``,
``!`` or ``?`` (headlines, captions), get None.

Deterministic: the same sentences give the same model (sorted keys, no randomness).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

FUNCTION_WORDS = frozenset(
    """the a an this that these those their its our my your his her some any every each no all both either neither
    of to in on at by for with from into onto about over under after before between among through during against
    without within since until than as like via per and or but nor so yet if because while although though whether
    when where which who whom whose what how why i you he she it we they me him us them is are was were be been
    being am has have had do does did will would can could shall should may might must not n't 's there here also
    more most very only just even then now said says say one two three first new up out off down""".split()
)
SUFFIXES = (
    ("ing", "ING"),
    ("ed", "ED"),
    ("ly", "LY"),
    ("tion", "NOUN"),
    ("sion", "NOUN"),
    ("ment", "NOUN"),
    ("ness", "NOUN"),
    ("ity", "NOUN"),
    ("ies", "S"),
    ("es", "S"),
    ("s", "S"),
    ("al", "ADJ"),
    ("ive", "ADJ"),
    ("ous", "ADJ"),
    ("ful", "ADJ"),
    ("able", "ADJ"),
    ("ic", "ADJ"),
    ("er", "ER"),
    ("est", "ADJ"),
)
TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d[\d,.:%]*|[^\w\s]")
BOS, EOS = "<s>", "</s>"
WINDOW = 4


def token_class(token: str, first: bool, vocab: frozenset[str]) -> str:
    """The class of one token.

    >>> v = frozenset({"said"})
    >>> [token_class(t, i == 0, v) for i, t in enumerate("The minister said Paris was talking quickly".split())]
    ['the', 'ER', 'said', '<CAP>', 'was', 'ING', 'LY']
    """
    low = token.lower().replace("’", "'")
    if low in FUNCTION_WORDS or low in vocab:
        return low
    if token[0].isdigit():
        return "<NUM>"
    if not token[0].isalpha():
        if token in ",;:.?!()":
            return token
        return "<Q>" if token in "\"“”'‘’" else "<P>"
    if token.isupper() and len(token) > 1:
        return "<ACR>"
    if token[0].isupper() and not first:
        return "<CAP>"
    for suffix, name in SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return name
    return "<W>"


def classes(sentence: str, vocab: frozenset[str]) -> list[str]:
    return [token_class(t, i == 0, vocab) for i, t in enumerate(TOKEN.findall(sentence))]


def train(sentences: Iterable[str], vocab_size: int = 300, order: int = 3, discount: float = 0.75) -> dict:
    """An interpolated Kneser-Ney class n-gram model (a JSON-able dict)."""
    sentences = list(sentences)
    counts = Counter(t.lower().replace("’", "'") for s in sentences for t in TOKEN.findall(s) if t[0].isalpha())
    vocab = frozenset(w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:vocab_size])
    grams: list[Counter] = [Counter() for _ in range(order + 1)]
    for s in sentences:
        seq = [BOS] * (order - 1) + classes(s, vocab) + [EOS]
        for i in range(order - 1, len(seq)):
            for k in range(1, order + 1):
                grams[k][tuple(seq[i - k + 1 : i + 1])] += 1
    # Lower orders count the contexts a class continues (Kneser-Ney), the top order raw counts.
    used: list[Counter] = [Counter() for _ in range(order + 1)]
    used[order] = grams[order]
    for k in range(order, 1, -1):
        for g in grams[k]:
            used[k - 1][g[1:]] += 1
    totals: list[Counter] = [Counter() for _ in range(order + 1)]
    types: list[Counter] = [Counter() for _ in range(order + 1)]
    for k in range(1, order + 1):
        for g, c in used[k].items():
            totals[k][g[:-1]] += c
            types[k][g[:-1]] += 1
    n_classes = len(used[1]) + 1  # + an unseen class
    prob: dict[tuple, float] = {}
    backoff: dict[tuple, float] = {}

    def p(g: tuple) -> float:
        if g in prob:
            return prob[g]
        k = len(g)
        lower = p(g[1:]) if k > 1 else 1.0 / n_classes
        total = totals[k].get(g[:-1], 0)
        if not total:
            return lower
        return max(used[k].get(g, 0) - discount, 0) / total + discount * types[k][g[:-1]] / total * lower

    for k in range(1, order + 1):
        for g in sorted(used[k]):
            prob[g] = p(g)
        for h in sorted(totals[k]):
            backoff[h] = discount * types[k][h] / totals[k][h]
    return {
        "order": order,
        "discount": discount,
        "n_classes": n_classes,
        "vocab": sorted(vocab),
        "logprob": {" ".join(g): round(math.log(v), 4) for g, v in sorted(prob.items())},
        "backoff": {" ".join(h): round(math.log(v), 4) for h, v in sorted(backoff.items()) if h},
        "unigram_backoff": round(math.log(backoff[()]), 4),
    }


class Scorer:
    def __init__(self, model: dict):
        self.order = model["order"]
        self.vocab = frozenset(model["vocab"])
        self.lp = {tuple(k.split(" ")): v for k, v in model["logprob"].items()}
        self.bo = {tuple(k.split(" ")): v for k, v in model["backoff"].items()}
        self.bo[()] = model["unigram_backoff"]
        self.floor = -math.log(model["n_classes"])

    def logprob(self, g: tuple) -> float:
        if g in self.lp:
            return self.lp[g]
        if len(g) == 1:
            return self.bo[()] + self.floor
        return self.bo.get(g[:-1], 0.0) + self.logprob(g[1:])

    def disfluency(self, sentence: str) -> float | None:
        """Minus the lowest mean log-probability of a window of four classes, or None."""
        if not sentence.rstrip().endswith((".", "!", "?", ".”", '."', "?”", '?"')):
            return None
        seq = classes(sentence, self.vocab)
        if len(seq) < WINDOW:
            return None
        n = self.order
        seq = [BOS] * (n - 1) + seq + [EOS]
        lps = [self.logprob(tuple(seq[i - n + 1 : i + 1])) for i in range(n - 1, len(seq))]
        return -min(sum(lps[i : i + WINDOW]) / WINDOW for i in range(len(lps) - WINDOW + 1))


def save(model: dict, path: Path) -> None:
    path.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def load(path: Path) -> Scorer:
    return Scorer(json.loads(path.read_text(encoding="utf-8")))
