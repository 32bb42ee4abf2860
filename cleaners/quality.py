"""Quality checks on cleaned text that validation relies on.

``has_mojibake`` is ftfy's own badness test (``ftfy.badness.is_bad``), the one the
``clean_documents`` suite checks, made fast for long, mostly-ASCII text: every pattern of
ftfy's badness regex contains a non-ASCII character and matches at most
``_MAX_MATCH`` characters, so a match can only lie within ``_MAX_MATCH`` characters of a
non-ASCII character.  The regex is run on those windows of the text only (with
``pos``/``endpos``, so ``^`` still means the start of the text), which gives exactly
``is_bad``'s answer.  The equivalence is checked against ``is_bad`` in the tests on
ftfy's own test cases and on generated text.
"""

from __future__ import annotations

import re

from ftfy.badness import BADNESS_RE

_MAX_MATCH = 8  # longest badness match is 7 characters ("ГўВЂВ.x")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def has_mojibake(text: str) -> bool:
    """True when ftfy's badness heuristic finds mojibake in ``text``
    (same answer as ``ftfy.badness.is_bad``, faster on long text).

    >>> has_mojibake("The Eurasianistâ€™s tweet"), has_mojibake("Café — fine, “quoted”.")
    (True, False)
    >>> has_mojibake("plain ASCII text")
    False
    """
    if text.isascii():
        return False
    end = len(text)
    lo = hi = -1
    for m in _NON_ASCII.finditer(text):
        start, stop = max(m.start() - _MAX_MATCH, 0), min(m.end() + _MAX_MATCH, end)
        if start <= hi:
            hi = stop
            continue
        if hi > lo and BADNESS_RE.search(text, lo, hi):
            return True
        lo, hi = start, stop
    return hi > lo and BADNESS_RE.search(text, lo, hi) is not None
