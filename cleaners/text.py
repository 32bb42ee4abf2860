"""The shape of cleaned text, written once.

* Paragraphs are separated by one blank line (``PARAGRAPH_BREAK``, ``"\\n\\n"``); there is
  no other newline, and no blank line at the start or the end (the layout step makes text so).
* Sentences never cross a paragraph break; inside a paragraph, sentences put back together
  are separated by one space (``SENTENCE_BREAK``).

``split_paragraphs`` splits on exactly ``PARAGRAPH_BREAK`` and keeps empty pieces, so that
``PARAGRAPH_BREAK.join(split_paragraphs(text)) == text`` for any text and paragraph indexes
stay those of the text; ``join_paragraphs`` leaves empty pieces out (a paragraph that went).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["PARAGRAPH_BREAK", "SENTENCE_BREAK", "join_paragraphs", "join_sentences", "split_paragraphs"]

PARAGRAPH_BREAK = "\n\n"
SENTENCE_BREAK = " "


def split_paragraphs(text: str) -> list[str]:
    """The pieces of ``text`` between paragraph breaks, empty ones included (``str.split``).

    >>> split_paragraphs("One.\\n\\nTwo.")
    ['One.', 'Two.']
    >>> split_paragraphs(""), split_paragraphs("\\n\\nOne.\\n\\n\\n\\nTwo.")
    ([''], ['', 'One.', '', 'Two.'])
    """
    return text.split(PARAGRAPH_BREAK)


def join_paragraphs(pieces: Iterable[str]) -> str:
    """Paragraphs joined by paragraph breaks; empty pieces (paragraphs that went) are left out.

    >>> join_paragraphs(["One.", "", "Two."])
    'One.\\n\\nTwo.'
    >>> join_paragraphs(["", ""])
    ''
    """
    return PARAGRAPH_BREAK.join(p for p in pieces if p)


def join_sentences(sentences: Iterable[str]) -> str:
    """The sentences of one paragraph put back together.

    >>> join_sentences(["Talks ended.", "Macron left."])
    'Talks ended. Macron left.'
    """
    return SENTENCE_BREAK.join(sentences)
