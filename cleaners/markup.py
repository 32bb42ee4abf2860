"""HTML markup left in a scraped body: tags, script and style blocks, comments.

Only real markup goes: a tag must be a known HTML element name (``<p>``, ``</div>``,
``<br/>``, ``<a href=…>``), so prose such as ``a < b and c > d`` or ``<3`` stays.  Script,
style and noscript blocks go with their content; block-level tags become paragraph
breaks, inline tags disappear.  Escaped markup (``&lt;p&gt;``) is text about HTML and is
left to the entity fix.  Each removal is an edit of kind ``html_markup``.
"""

from __future__ import annotations

import re

from cleaners.edits import Edit, sub_recording
from cleaners.text import PARAGRAPH_BREAK

STEP = "repair"
BLOCK = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "hr",
    "pre",
)
INLINE = (
    "a",
    "b",
    "i",
    "em",
    "strong",
    "span",
    "u",
    "s",
    "small",
    "sup",
    "sub",
    "img",
    "iframe",
    "font",
    "code",
    "td",
    "th",
    "tbody",
    "thead",
    "meta",
    "link",
    "input",
    "form",
    "button",
    "label",
    "center",
    "time",
    "abbr",
    "cite",
    "mark",
    "picture",
    "source",
    "video",
    "audio",
    "svg",
    "path",
    "ins",
    "del",
    "embed",
    "object",
)
_BLOCKS = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG_NAMES = "|".join(sorted(BLOCK + INLINE, key=len, reverse=True))  # longest first: "span" before "s"
_TAG = re.compile(r"</?(" + _TAG_NAMES + r")\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>", re.I)
_BLOCK_NAMES = frozenset(BLOCK)


def _tag_replacement(m: re.Match) -> str:
    return PARAGRAPH_BREAK if m.group(1).lower() in _BLOCK_NAMES else ""


def remove_markup(text: str, edits: list[Edit]) -> str:
    """Remove HTML markup from ``text``, one edit per removal.

    >>> remove_markup("<p>Talks ended.</p><p>Macron <b>left</b>.</p><script>track()</script>", [])
    '\\n\\nTalks ended.\\n\\n\\n\\nMacron left.\\n\\n'
    >>> remove_markup("If a < b and c > d, then <3 is not a tag.", [])
    'If a < b and c > d, then <3 is not a tag.'
    >>> edits = []; _ = remove_markup('See <a href="https://x.com/a">this</a>.', edits); [e["before"] for e in edits]
    ['<a href="https://x.com/a">', '</a>']
    """
    if "<" not in text:
        return text
    text = sub_recording(_BLOCKS, lambda m: "", text, STEP, "html_markup", edits)
    return sub_recording(_TAG, _tag_replacement, text, STEP, "html_markup", edits)
