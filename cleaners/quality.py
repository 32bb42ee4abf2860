"""Quality checks on cleaned text that validation relies on.

``has_mojibake`` is ftfy's own badness test (``ftfy.badness.is_bad``), the one the
``clean_documents`` suite checks, made fast for long text.  Every alternative of ftfy's
badness regex contains at least one character of ``_TRIGGERS`` - the C1 controls and
ftfy's "bad", "law", currency, punctuation, numeric, box-drawing and upper-case accented
categories, plus ``Œœ Ø Ù Ђ °`` (from its Arabic, Cyrillic and degree-sign alternatives) -
and matches at most ``_MAX_MATCH`` characters.  The regex is therefore run only on the text
within ``_MAX_MATCH`` characters of a trigger (with ``pos``/``endpos``, so ``^`` still means
the start of the text), which gives exactly ``is_bad``'s answer.  Letters - accented
lower-case, Greek, Cyrillic - and ftfy's "common" characters (’ – — … and the no-break
space) trigger nothing on their own, so most of a French, Polish or Russian text, and the
apostrophes and dashes of an English one, are never scanned.  The equivalence is checked
against ``is_bad`` in the tests on ftfy's own test cases, on generated text and on random
strings of the characters the regex knows.
"""

from __future__ import annotations

import re

from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES

_MAX_MATCH = 8  # longest badness match is 7 characters ("ГўВЂВ.x")
_TRIGGER_CATEGORIES = (
    "c1",
    "bad",
    "law",
    "currency",
    "start_punctuation",
    "end_punctuation",
    "numeric",
    "box",
    "upper_accented",
)
_TRIGGERS = re.compile(
    "[" + "".join(MOJIBAKE_CATEGORIES[c] for c in _TRIGGER_CATEGORIES) + "\N{LATIN CAPITAL LIGATURE OE}"
    "\N{LATIN SMALL LIGATURE OE}\N{LATIN CAPITAL LETTER O WITH STROKE}\N{LATIN CAPITAL LETTER U WITH GRAVE}"
    "\N{CYRILLIC CAPITAL LETTER DJE}\N{DEGREE SIGN}]+"
)


def has_mojibake(text: str) -> bool:
    """True when ftfy's badness heuristic finds mojibake in ``text``
    (same answer as ``ftfy.badness.is_bad``, faster on long text).

    >>> has_mojibake("The Eurasianistâ€™s tweet"), has_mojibake("Café — fine, “quoted”.")
    (True, False)
    >>> has_mojibake("plain ASCII text"), has_mojibake("Ð¿Ñ€ÐµÐ·Ð¸Ð´ÐµÐ½Ñ‚"), has_mojibake("президент встретился")
    (False, True, False)
    """
    if text.isascii():
        return False
    end = len(text)
    lo = hi = -1
    for m in _TRIGGERS.finditer(text):
        start, stop = max(m.start() - _MAX_MATCH, 0), min(m.end() + _MAX_MATCH, end)
        if start <= hi:
            hi = stop
            continue
        if hi > lo and BADNESS_RE.search(text, lo, hi):
            return True
        lo, hi = start, stop
    return hi > lo and BADNESS_RE.search(text, lo, hi) is not None
