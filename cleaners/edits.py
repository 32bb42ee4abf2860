"""Edits and flags: the provenance every cleaner returns.

An *edit* records one change a step made to the text, ``{step, kind, before, after}``;
a *flag* records a problem found and left in place, ``{kind, detail}``.  Cleaners never
change text without returning an edit, so a user can always see why text changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

Edit = dict  # {"step": str, "kind": str, "before": str, "after": str[, "rule": str]}
Flag = dict  # {"kind": str, "detail": str[, "rule": str, "confidence": float]}

_WORD_EDGE = re.compile(r"\s")


def make_edit(step: str, kind: str, before: str, after: str, rule: str | None = None) -> Edit:
    """Build one edit record; ``rule`` names the rule or detector that made it, where a step has several.

    >>> make_edit("repair", "html_entity", "&amp;", "&")
    {'step': 'repair', 'kind': 'html_entity', 'before': '&amp;', 'after': '&'}
    >>> make_edit("embeds", "header", "By Jo Lee", "", "byline")["rule"]
    'byline'
    """
    edit = {"step": step, "kind": kind, "before": before, "after": after}
    if rule is not None:
        edit["rule"] = rule
    return edit


def make_flag(kind: str, detail: str, rule: str | None = None, confidence: float | None = None) -> Flag:
    """Build one flag record; ``rule`` names the rule that raised it, ``confidence`` how sure it is (0–1).

    >>> make_flag("broken_sentence", "Volodymyr Zelensky with.")
    {'kind': 'broken_sentence', 'detail': 'Volodymyr Zelensky with.'}
    >>> make_flag("broken_sentence", "Zelensky with.", "dangling_end", 0.9)["confidence"]
    0.9
    """
    flag = {"kind": kind, "detail": detail}
    if rule is not None:
        flag["rule"], flag["confidence"] = rule, confidence
    return flag


def sub_recording(
    pattern: re.Pattern,
    repl: Callable[[re.Match], str],
    text: str,
    step: str,
    kind: str,
    edits: list[Edit],
    context: int = 0,
) -> str:
    """``pattern.sub(repl, text)``, appending one edit per match that changes text.

    ``context`` extra characters on each side are included in before/after so that a
    short change (an inserted space) can be located by a reader.

    >>> edits = []
    >>> sub_recording(re.compile(r"\\bthe the\\b"), lambda m: "the", "see the the cat", "repair", "doubled_word", edits)
    'see the cat'
    >>> edits
    [{'step': 'repair', 'kind': 'doubled_word', 'before': 'the the', 'after': 'the'}]
    """
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new == m.group(0):
            continue
        start, end = m.span()
        lo, hi = max(0, start - context), min(len(text), end + context)
        edits.append(make_edit(step, kind, text[lo:hi], text[lo:start] + new + text[end:hi]))
        out.append(text[last:start])
        out.append(new)
        last = end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


_WORDS_AND_SPACES = re.compile(r"(\s+)")


def diff_word_edits(step: str, kind: str, before: str, after: str) -> list[Edit]:
    """The edits that turn ``before`` into ``after``, compared word by word (whitespace-separated
    tokens), which keeps it fast on long lines where a library rewrote a few words: one edit per run of
    changed words.

    >>> diff_word_edits("repair", "mojibake", "It‚Äôs a ‚Äútest‚Äù today", "It’s a “test” today")
    [{'step': 'repair', 'kind': 'mojibake', 'before': 'It‚Äôs', 'after': 'It’s'}, {'step': 'repair', 'kind': 'mojibake', 'before': '‚Äútest‚Äù', 'after': '“test”'}]
    """
    if before == after:
        return []
    a, b = _WORDS_AND_SPACES.split(before), _WORDS_AND_SPACES.split(after)
    return edits_from_opcodes(step, kind, a, b, difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())


def edits_from_opcodes(step: str, kind: str, a: list[str], b: list[str], opcodes) -> list[Edit]:
    """One edit per run of changed tokens in ``opcodes`` (difflib's ``(tag, a0, a1, b0, b1)``)
    over the token lists ``a`` and ``b``; runs separated by a single token are merged.

    >>> edits_from_opcodes("s", "k", ["a", " ", "b"], ["a", " ", "c"], [("equal", 0, 2, 0, 2), ("replace", 2, 3, 2, 3)])
    [{'step': 's', 'kind': 'k', 'before': 'b', 'after': 'c'}]
    """
    spans: list[list[int]] = []  # token ranges [a0, a1, b0, b1]
    for tag, a0, a1, b0, b1 in opcodes:
        if tag == "equal":
            continue
        if spans and a0 - spans[-1][1] <= 1 and b0 - spans[-1][3] <= 1:  # only a space between them
            spans[-1][1], spans[-1][3] = a1, b1
        else:
            spans.append([a0, a1, b0, b1])
    edits = []
    for a0, a1, b0, b1 in spans:
        old, new = "".join(a[a0:a1]), "".join(b[b0:b1])
        if old.strip() != new.strip():  # keep the whitespace only when it is the change
            old, new = old.strip(), new.strip()
        edits.append(make_edit(step, kind, old, new))
    return edits
