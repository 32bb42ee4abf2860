"""Removing passages (sentences) from cleaned text, each removal an edit."""

from __future__ import annotations

import re

from cleaners.edits import Edit, make_edit
from cleaners.text import join_paragraphs, split_paragraphs

_SPACES = re.compile(r" {2,}")


def drop_sentences(
    text: str, sentences: list[str], step: str = "dedup", kind: str = "drop_repeated_sentence"
) -> tuple[str, list[Edit]]:
    """Remove each of ``sentences`` (first occurrence) from ``text``; paragraphs left
    empty disappear.  Sentences not found are ignored.

    >>> drop_sentences("A said this. B said that.\\n\\nC agreed.", ["C agreed."])
    ('A said this. B said that.', [{'step': 'dedup', 'kind': 'drop_repeated_sentence', 'before': 'C agreed.', 'after': ''}])
    >>> drop_sentences("A said this. B said that.", ["A said this."])[0]
    'B said that.'
    """
    edits: list[Edit] = []
    paragraphs = split_paragraphs(text)
    for sentence in sentences:
        for i, paragraph in enumerate(paragraphs):
            at = paragraph.find(sentence)
            if at < 0:
                continue
            paragraphs[i] = _SPACES.sub(" ", paragraph[:at] + paragraph[at + len(sentence) :]).strip()
            edits.append(make_edit(step, kind, sentence, ""))
            break
    return join_paragraphs(paragraphs), edits
