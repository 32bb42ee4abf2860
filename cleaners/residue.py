"""Embed residue: one definition (``cleaners/rules/residue.toml``) for the remover and the clean suite.

The clean suite fails a document whose text matches a residue pattern.  ``strip_residue`` is
the embeds step's last pass: it removes every match with the sentence it stands in (the
sentence before a signature is the post's text), so a document never reaches validation with
residue the step could have taken out.  ``residue_patterns()`` gives the suite its regex list.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RESIDUE_FILE = Path(__file__).parent / "rules" / "residue.toml"
_SENTENCE_START = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=\S)")


@dataclass(frozen=True)
class Residue:
    name: str
    category: str
    source: str
    pattern: re.Pattern
    trigger: tuple[str, ...] = ()
    example: str = ""

    def may_occur(self, text: str) -> bool:
        """Whether one of the trigger literals occurs (always, without triggers)."""
        return not self.trigger or any(t in text for t in self.trigger)


@lru_cache(maxsize=1)
def load_residue(path: Path = RESIDUE_FILE) -> tuple[Residue, ...]:
    """The residue patterns, checked: each compiles and finds its example.

    >>> [r.name for r in load_residue()][:2]
    ['tweet_media_link', 'tweet_signature_date']
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for raw in data.get("residue", []):
        try:
            pattern = re.compile(raw["pattern"])
        except (KeyError, re.error) as exc:
            raise ValueError(f"{path}: residue {raw.get('name')!r}: {exc}") from None
        trigger = tuple(raw.get("trigger", ()))
        example = raw.get("example", "")
        if not pattern.search(example) or (trigger and not any(t in example for t in trigger)):
            raise ValueError(
                f"{path}: residue {raw['name']!r} does not find its example (or the example has no trigger)"
            )
        out.append(Residue(raw["name"], raw["category"], raw["pattern"], pattern, trigger, example))
    return tuple(out)


def residue_patterns() -> list[str]:
    """The patterns as the clean suite's ``residue_patterns`` parameter (regex sources)."""
    return [r.source for r in load_residue()]


def has_residue(text: str) -> bool:
    """Whether any residue pattern occurs in ``text`` (one search per pattern for a whole document).

    >>> has_residue("Talks ended."), has_residue("Talks ended.\\n\\nAdvertisement")
    (False, True)
    """
    return any(r.may_occur(text) and r.pattern.search(text) for r in load_residue())


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentences of ``text`` that overlap ``text[start:end]``.

    >>> t = "Talks ended. Big day pic.twitter.com/AbC — Jo (@jo) May 1, 2017. More talks."
    >>> a, b = _sentence_span(t, 21, 40); t[a:b]
    'Big day pic.twitter.com/AbC — Jo (@jo) May 1, 2017. '
    """
    starts = [0] + [m.end() for m in _SENTENCE_START.finditer(text)]
    a = max(s for s in starts if s <= start)
    b = min((s for s in starts if s >= end), default=len(text))
    return a, b


def strip_residue(paragraph: str, categories: frozenset | None = None) -> tuple[str, list[tuple[str, str, str]]]:
    """Remove residue (of ``categories`` only, when given) from one paragraph; returns what is
    left and (category, rule, removed text) for each removal.

    >>> strip_residue("Talks ended late. Big day pic.twitter.com/AbC123")[0]
    'Talks ended late.'
    >>> strip_residue("Big day pic.twitter.com/AbC123")
    ('', [('tweet', 'tweet_media_link', 'Big day pic.twitter.com/AbC123')])
    """
    found = []
    for r in load_residue():
        if categories is not None and r.category not in categories or not r.may_occur(paragraph):
            continue
        while paragraph:
            m = r.pattern.search(paragraph)
            if m is None:
                break
            a, b = _sentence_span(paragraph, m.start(), m.end())
            found.append((r.category, r.name, paragraph[a:b].strip()))
            paragraph = (paragraph[:a] + paragraph[b:]).strip()
    return paragraph, found
