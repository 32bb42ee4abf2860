"""Encoding repair: HTML entities, mojibake (ftfy), invisible and control characters.

ftfy configuration, chosen deliberately (see ``FTFY_CONFIG``):

* ``fix_encoding`` and its helpers on: mojibake such as ``â€™`` is the main defect.
* ``uncurl_quotes`` **off**: curly quotes are correct Unicode; straightening them would
  change clean text and lose the distinction between apostrophes and quotes.
* ``fix_character_width`` **off**: full-width Latin is legitimate in CJK text.
* ``unescape_html`` **off** in ftfy: ftfy skips entities whenever a ``<`` appears;
  we unescape entities ourselves (``unescape_entities``) so each one is an edit.
* ``fix_latin_ligatures``, ``fix_line_breaks``, ``remove_control_chars``, NFC: on.
* ``explain`` off on the fast path; ftfy's explanation is asked for only on lines that
  changed, to name the edit kind.
"""

from __future__ import annotations

import html
import re

import ftfy

from cleaners.edits import Edit, diff_edits, sub_recording

STEP = "repair"

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=True,
    fix_line_breaks=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)
_EXPLAIN_CONFIG = FTFY_CONFIG._replace(explain=True)

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Zero-width and soft-hyphen characters that carry no content in news prose, plus bidi
# embedding/override/isolate controls (a spoofing vector).  ZWJ/ZWNJ stay: they matter
# in Persian, Indic scripts and emoji sequences.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]+")
# Anything ftfy could change: non-ASCII, C0 controls other than \n and \t, entities are
# handled separately.  Pure printable ASCII lines skip ftfy entirely (the fast path).
_NEEDS_FTFY = re.compile(r"[^\x20-\x7e\n\t]")


def unescape_entities(text: str, edits: list[Edit]) -> str:
    """Replace HTML entities by the characters they stand for (twice-escaped ones too).

    >>> edits = []
    >>> unescape_entities("Q&amp;A &#8211; it&amp;#8217;s", edits)
    'Q&A – it’s'
    >>> [e["before"] for e in edits]
    ['&amp;', '&#8211;', '&amp;', '&#8217;']
    """
    for _ in range(3):  # "&amp;amp;" and "&amp;#8217;" need more than one pass
        new = sub_recording(_ENTITY, lambda m: html.unescape(m.group(0)), text, STEP, "html_entity", edits)
        if new == text:
            break
        text = new
    return text


def remove_invisible(text: str, edits: list[Edit]) -> str:
    """Remove zero-width spaces, soft hyphens, stray BOMs and bidi override controls.

    >>> edits = []
    >>> remove_invisible("Zel\u200bensky", edits)
    'Zelensky'
    >>> edits[0]["kind"]
    'invisible_char'
    """
    return sub_recording(_INVISIBLE, lambda m: "", text, STEP, "invisible_char", edits, context=8)


def fix_mojibake(text: str, edits: list[Edit]) -> str:
    """Run ftfy line by line; each changed line yields word-level edits named after
    ftfy's explanation (e.g. ``ftfy:encode:sloppy-windows-1252+decode:utf-8``).

    >>> edits = []
    >>> fix_mojibake("Macronâ€™s visit", edits)
    'Macron’s visit'
    >>> edits[0]["before"], edits[0]["kind"]
    ('Macronâ€™s', 'ftfy:encode:sloppy-windows-1252+decode:utf-8')
    """
    if not _NEEDS_FTFY.search(text):
        return text
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if not _NEEDS_FTFY.search(line):
            continue
        fixed = ftfy.fix_text(line, FTFY_CONFIG)
        if fixed != line:
            explanation = ftfy.fix_and_explain(line, _EXPLAIN_CONFIG).explanation or []
            kind = "ftfy:" + "+".join(f"{a}:{b}" for a, b in explanation) if explanation else "ftfy"
            # ftfy may turn a line separator into "\n": the edit still reads per line.
            edits.extend(diff_edits(STEP, kind, line, fixed))
            lines[i] = fixed
            changed = True
    return "\n".join(lines) if changed else text


def repair_encoding(text: str) -> tuple[str, list[Edit]]:
    """All encoding fixes in order: entities, mojibake/controls/NFC, invisible chars.

    >>> repair_encoding("Itâ€™s Q&amp;A\u200b time")[0]
    'It’s Q&A time'
    """
    edits: list[Edit] = []
    text = unescape_entities(text, edits)
    text = fix_mojibake(text, edits)
    text = remove_invisible(text, edits)
    return text, edits
