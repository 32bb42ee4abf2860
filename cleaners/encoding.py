"""Encoding repair: HTML entities, invisible and control characters, mojibake (ftfy), NFC.

ftfy configuration, chosen deliberately (see ``FTFY_CONFIG``):

* ``fix_encoding`` and its helpers (``restore_byte_a0``, ``replace_lossy_sequences``,
  ``decode_inconsistent_utf8``, ``fix_c1_controls``) on: mojibake such as ``â€™`` is the
  main defect of scraped news.
* ``uncurl_quotes`` **off**: curly quotes are correct Unicode; straightening them would
  change clean text and lose the distinction between apostrophes and quotes.
* ``fix_character_width`` **off**: full-width Latin is legitimate in CJK text.
* ``unescape_html`` **off** in ftfy: ftfy skips entities whenever a ``<`` appears;
  we unescape entities ourselves (``unescape_entities``) so each one is an edit.
* ``fix_line_breaks`` **off**: line endings belong to the layout step (edit ``line_ending``).
* ``fix_latin_ligatures``, ``fix_surrogates``, ``remove_terminal_escapes``,
  ``remove_control_chars``, NFC: on.

Speed: ftfy runs only on lines that could change.  ASCII text never reaches it, and a
non-ASCII line goes to ftfy only when ``needs_ftfy`` says so: it has two adjacent non-ASCII
characters, a non-printable character (C1 controls among them), one of the few single
characters ftfy's patterns key on, or is not NFC (a superset of ftfy's own ``is_bad``).
Clean news with curly quotes and accented names almost never has two non-ASCII characters
in a row; where it does (German, Cyrillic), ``ftfy_may_change`` asks ftfy's ``is_bad``
before ftfy runs (the reasoning holds for ftfy 6.3, pinned in requirements.lock).  Each
line's result is cached (``_fix_line``): layout asks again about the same lines.  The word
edits of a changed line come from ``word_edits``, ``diff_word_edits`` without difflib's
quadratic matching (``cleaners.diff``).

Idempotence: ftfy's heuristics can judge a line differently once its spaces, soft hyphens
or line edges change, so odd spaces are normalised and lines trimmed before ftfy sees them,
ftfy is asked again after what it left is cleaned, and ``layout.repair_layout`` asks once
more at its end: repairing repaired text changes nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec)
import ftfy.chardata
from ftfy.badness import is_bad

from cleaners.diff import longest_match, sequence_opcodes, token_opcodes  # noqa: F401 (the first two re-exported)
from cleaners.edits import Edit, edits_from_opcodes, make_edit, sub_recording

STEP = "repair"

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    fix_latin_ligatures=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)
_EXPLAIN_CONFIG = FTFY_CONFIG._replace(explain=True)

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Characters with no content in news prose: zero-width space, word joiner, BOM, bidi
# embedding/override/isolate controls (a spoofing vector).  ZWJ/ZWNJ and the LRM/RLM marks
# matter in Persian, Indic and Hebrew text and in emoji sequences, so they are removed only
# between Latin-script characters (``_drop_in_latin``).  Soft hyphens that may be a byte
# of mojibake ("Ã\xad" is "í") are removed only after ftfy (``_keep_in_mojibake``).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]+")
_LATIN = "\x00-\u024f\u1e00-\u1eff\u2000-\u206f"
_JOINERS_AND_MARKS = re.compile("[\u200c-\u200f]+")  # ZWNJ, ZWJ, LRM, RLM
_LATIN_CHAR = re.compile(f"[{_LATIN}]")
_SOFT_HYPHEN = re.compile("\u00ad+")
# Spaces other than " " are normalised before ftfy, so that ftfy sees a line as a second
# pass will (after layout), except a no-break space after a character that may be a byte
# of single-byte mojibake ("Ã\xa0" is "à").
_MOJIBAKE_BYTE_CHARS = "".join(
    sorted(
        {bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0x100)}
        | {chr(b) for b in range(0x80, 0x100)}
    )
).replace("\xa0", "")
_ODD_SPACE_OUTSIDE_MOJIBAKE = re.compile(
    f"(?<![{re.escape(_MOJIBAKE_BYTE_CHARS)}])\xa0|[\u2000-\u200a\u202f\u205f\u3000]"
)
_ODD_SPACE = re.compile("[\xa0\u2000-\u200a\u202f\u205f\u3000]")
# What layout will turn into line breaks (not NEL, U+0085: it is also a byte of mojibake).
_LINE_BREAKS = re.compile("(\r\n|\r|\n|\u2028|\u2029)")

# C0 controls other than tab and line endings, and DEL.  A vertical tab or form feed
# between two words is a line break; anywhere else (inside a word, beside a space) it is
# noise, like the other controls.
_CONTROL = re.compile(r"\x1b\[[0-9;]*[A-Za-z]?|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_LINE_BREAK_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?\"'”’)")
_LINE_BREAK_AFTER = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZ"“(')

# A superset of ftfy's badness patterns (see the module docstring), plus what ftfy's other
# fixers change: ligatures, and (all non-printable, caught by ``str.isprintable``) C1 and
# other control characters and surrogates.
_TWO_NON_ASCII = re.compile("[^\x00-\x7f][^\x00-\x7f]")
_FTFY_SINGLES = re.compile(
    "[\u0152\u0153\u00c2\u00c3\ufffc" + "".join(re.escape(chr(c)) for c in sorted(ftfy.chardata.LIGATURES)) + "]"
)
# Both of the above in one scan: a non-ASCII character followed by another, or one of the
# singles (all non-ASCII).
_TWO_NON_ASCII_OR_SINGLE = re.compile(f"[^\x00-\x7f](?:[^\x00-\x7f]|(?<={_FTFY_SINGLES.pattern}))")
# UTF-8 lead byte (0xC2-0xF4) then continuation byte (0x80-0xBF), as Windows-1252 shows them.
_CP1252_LEAD = "".join(sorted({bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0xC2, 0xF5)}))
_CP1252_CONT = "".join(sorted({bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xC0)}))
_UTF8_AS_CP1252 = re.compile(f"[{re.escape(_CP1252_LEAD)}][{re.escape(_CP1252_CONT)}]")
_MACROMAN_LEAD = "".join(sorted({bytes([b]).decode("mac_roman") for b in range(0xC2, 0xE0)}))
_MACROMAN_CONT = "".join(sorted({bytes([b]).decode("mac_roman") for b in range(0x80, 0xC0)}))
_UTF8_AS_MACROMAN = re.compile(f"[{re.escape(_MACROMAN_LEAD)}][{re.escape(_MACROMAN_CONT)}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


_LAST_PRINTABLE: tuple[str, bool] = ("", True)  # the text last asked about, and the answer


def printable_outside_newlines(text: str) -> bool:
    """``text.replace("\\n", "").isprintable()``.  The repair steps ask it of the same text
    several times in a row, so the answer for the last text (the same object) is kept.

    >>> printable_outside_newlines("a\\nb"), printable_outside_newlines("a\\tb")
    (True, False)
    """
    global _LAST_PRINTABLE
    last, answer = _LAST_PRINTABLE
    if last is text:
        return answer
    answer = text.replace("\n", "").isprintable()
    _LAST_PRINTABLE = (text, answer)
    return answer


def unescape_entities(text: str, edits: list[Edit]) -> str:
    """Replace HTML entities by the characters they stand for (twice-escaped ones too).

    >>> edits = []
    >>> unescape_entities("Q&amp;A &#8211; it&amp;#8217;s", edits)
    'Q&A – it’s'
    >>> [e["before"] for e in edits]
    ['&amp;', '&#8211;', '&amp;', '&#8217;']
    """
    if "&" not in text:
        return text
    for _ in range(8):  # "&amp;amp;" and "&amp;#8217;" need more than one pass
        new = sub_recording(_ENTITY, lambda m: html.unescape(m.group(0)), text, STEP, "html_entity", edits)
        if new == text:
            break
        text = new
    return text


def remove_controls(text: str, edits: list[Edit]) -> str:
    """Remove C0 control characters; a vertical tab or form feed between a sentence end
    and a capital is a line break.  Tab, CR and LF are layout, left to ``layout``.

    >>> remove_controls("Zel\\x07en\\x0bsky\\x0cThe end", [])
    'Zelensky\\nThe end'
    """
    if printable_outside_newlines(text) or (
        ("\r" in text or "\t" in text) and text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable()
    ):
        return text
    return sub_recording(_CONTROL, _control_replacement, text, STEP, "control_char", edits, context=8)


def _control_replacement(m: re.Match) -> str:
    """ "\n" for a vertical tab or form feed between a word or sentence end and a capital
    ("line\vNext"); nothing for any other control character."""
    s, start, end = m.string, m.start(), m.end()
    if m.group(0).strip("\x0b\x0c") == "" and start > 0 and end < len(s):
        if s[start - 1] in _LINE_BREAK_BEFORE and s[end] in _LINE_BREAK_AFTER:
            return "\n"
    return ""


def normalise_odd_spaces(text: str, edits: list[Edit], mojibake_safe: bool = False) -> str:
    """Turn no-break, thin and other odd spaces into " "; with ``mojibake_safe`` keep a
    no-break space right after a character that may be a byte of mojibake ("voilÃ\u00a0"
    is "voilà"), for ftfy to decode.

    >>> normalise_odd_spaces("10\u00a0km in\u2009Zürich, voilÃ\u00a0", [], mojibake_safe=True)
    '10 km in Zürich, voilÃ\u00a0'
    """
    if text.isascii() or printable_outside_newlines(text):  # all odd spaces are non-printable
        return text
    pattern = _ODD_SPACE_OUTSIDE_MOJIBAKE if mojibake_safe else _ODD_SPACE
    return sub_recording(pattern, lambda m: " ", text, STEP, "whitespace", edits, context=8)


def remove_invisible(text: str, edits: list[Edit]) -> str:
    """Remove zero-width spaces, word joiners, stray BOMs and bidi override controls; ZWJ,
    ZWNJ, LRM and RLM only between Latin-script characters (emoji and Persian keep theirs).

    >>> edits = []
    >>> remove_invisible("Zel\u200bensky and Ma\u200ccron", edits)
    'Zelensky and Macron'
    >>> edits[0]["kind"]
    'invisible_char'
    >>> remove_invisible("\U0001f469\u200d\U0001f4bb", []) == "\U0001f469\u200d\U0001f4bb"
    True
    """
    if text.isascii() or printable_outside_newlines(text):  # all of them are non-printable
        return text
    text = sub_recording(_INVISIBLE, lambda m: "", text, STEP, "invisible_char", edits, context=8)
    return sub_recording(_JOINERS_AND_MARKS, _drop_in_latin, text, STEP, "invisible_char", edits, context=8)


def _drop_in_latin(m: re.Match) -> str:
    """ZWJ/ZWNJ/LRM/RLM: removed when both neighbours (or the text's edge) are Latin script."""
    s, start, end = m.string, m.start(), m.end()
    before_ok = start == 0 or _LATIN_CHAR.match(s, start - 1)
    after_ok = end == len(s) or _LATIN_CHAR.match(s, end)
    return "" if before_ok and after_ok else m.group(0)


def remove_soft_hyphens(text: str, edits: list[Edit], mojibake_safe: bool = False) -> str:
    """Remove soft hyphens (invisible unless a line breaks there); with ``mojibake_safe``
    keep those that may be part of mojibake ("Ã\u00ad" is "í"), for ftfy to decode.

    >>> remove_soft_hyphens("secu\u00adrity", [])
    'security'
    >>> remove_soft_hyphens("secu\u00adrity in Mi\u00c3\u00adchigan", [], mojibake_safe=True)
    'security in Mi\u00c3\u00adchigan'
    """
    if "\u00ad" not in text:
        return text
    return sub_recording(
        _SOFT_HYPHEN, _keep_in_mojibake if mojibake_safe else _nothing, text, STEP, "invisible_char", edits, context=8
    )


def _nothing(m: re.Match) -> str:
    return ""


def _keep_in_mojibake(m: re.Match) -> str:
    """Keep a soft hyphen after a non-ASCII character: in UTF-8 misread as a single-byte
    encoding, byte 0xAD only follows a lead byte, which is never ASCII."""
    return m.group(0) if m.start() > 0 and not m.string[m.start() - 1].isascii() else ""


def needs_ftfy(line: str) -> bool:
    """Whether ftfy (with ``FTFY_CONFIG``) could change ``line``; False is certain.

    >>> needs_ftfy("Macron’s “useful” visit to Zürich"), needs_ftfy("Macronâ€™s visit")
    (False, True)
    """
    return (
        not line.replace("\n", "").isprintable()
        or _TWO_NON_ASCII_OR_SINGLE.search(line) is not None
        or not unicodedata.is_normalized("NFC", line)
    )


def ftfy_may_change(line: str) -> bool:
    """Whether ``_ftfy_line`` could change ``line`` (stripped of spaces and tabs); False is
    certain.  Tighter than ``needs_ftfy``: where that only sees two non-ASCII characters in
    a row, this asks ftfy's own test for mojibake (``is_bad``: without it ``fix_encoding``
    returns the text as it is) and the patterns ``undo_utf8_misread`` needs; ftfy's other
    fixers (with ``FTFY_CONFIG``) only change non-printable characters, the singles and
    text that is not NFC.

    >>> ftfy_may_change("Größe und Maß"), ftfy_may_change("Macronâ€™s"), ftfy_may_change("ErdoÄŸan")
    (False, True, True)
    """
    return (
        not line.replace("\n", "").isprintable()
        or _FTFY_SINGLES.search(line) is not None
        or not unicodedata.is_normalized("NFC", line)
        or is_bad(line)
        or _UTF8_AS_CP1252.search(line) is not None
        or _UTF8_AS_MACROMAN.search(line) is not None
    )


def undo_utf8_misread(line: str) -> str:
    """Decode a line that is UTF-8 read as Windows-1252 or MacRoman where ftfy's heuristic
    lets it pass: a Latin letter inside a word (``ErdoÄŸan``, ``GdaÅ„sk``, ``M√°laga``).
    Applied only when the whole line re-encodes to strict UTF-8 and every character that
    decodes is a Latin letter inside a word (for Windows-1252, a lower-case one after a
    lower-case letter); ftfy's own negative cases (``NESTLÉ®``, ``AHÅ™``, ``10 Å—``) stay.

    >>> undo_utf8_misread("Recep Tayyip ErdoÄŸan"), undo_utf8_misread("in M√°laga")
    ('Recep Tayyip Erdoğan', 'in Málaga')
    >>> undo_utf8_misread("Sánchez’s “plan”"), undo_utf8_misread("NESTLÉ® and AHÅ™")
    ('Sánchez’s “plan”', 'NESTLÉ® and AHÅ™')
    """
    if _UTF8_AS_CP1252.search(line):
        fixed = _strict_redecode(line, "sloppy-windows-1252")
        if fixed and all(_inside_word(fixed, m.start(), lower=True) for m in _NON_ASCII.finditer(fixed)):
            return fixed
    if _UTF8_AS_MACROMAN.search(line):
        fixed = _strict_redecode(line, "macroman")
        if fixed and all(_inside_word(fixed, m.start(), lower=False) for m in _NON_ASCII.finditer(fixed)):
            return fixed
    return line


def _strict_redecode(line: str, encoding: str) -> str | None:
    try:
        return line.encode(encoding).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _inside_word(text: str, i: int, lower: bool) -> bool:
    c = text[i]
    if not ("\u00c0" <= c <= "\u024f" and c.isalpha()):
        return False
    if lower:
        return c.islower() and i > 0 and text[i - 1].islower()
    return (i > 0 and text[i - 1].isalpha()) or text[i + 1 : i + 2].isalpha()


def _ftfy_line(line: str) -> list[tuple[str, str]]:
    """ftfy on one line, then the strict UTF-8 fallback, then ftfy word by word where
    mojibake is left (``fix_mojibake_words``); returns each pass that changed the line, as
    (text after it, edit kind)."""
    fixed, explanation = ftfy.fix_and_explain(line, _EXPLAIN_CONFIG)
    passes = []
    fallback = undo_utf8_misread(fixed)
    if fallback != fixed:
        passes.append((ftfy.fix_text(fallback, FTFY_CONFIG), "utf8_misread"))
    elif fixed != line:
        passes.append((fixed, "ftfy:" + "+".join(f"{a}:{b}" for a, b in explanation) if explanation else "ftfy"))
    if passes:  # ftfy found mojibake in this line: what it left of the kind goes word by word
        last = passes[-1][0]
        words = fix_mojibake_words(last)
        if words != last:
            passes.append((words, "ftfy:word"))
    return passes


def fix_mojibake_words(line: str) -> str:
    """Where ftfy left mojibake in a line (``is_bad``), ftfy each word that has it on its own.
    ftfy re-encodes a line as a whole, so one correctly encoded character elsewhere in it
    ("MONTRÉAL") keeps it from decoding the rest, and its fallback for such lines leaves some
    sequences (the "Å‚" of "ł").  A word is replaced only when ftfy changes it and the result
    is no longer mojibake.  ``_ftfy_line`` asks this only of lines in which ftfy itself fixed
    mojibake: in a line it left alone, ftfy's refusal stands (its negative case "Bremer/Mccoy
    – DrÃ¥ber", which could be Latin-1 or MacRoman, stays as it is).

    >>> fix_mojibake_words("MONTRÉAL - MaÅ‚gorzata Nowak spoke")
    'MONTRÉAL - Małgorzata Nowak spoke'
    >>> fix_mojibake_words("Café — fine")
    'Café — fine'
    """
    if line.isascii() or not is_bad(line):
        return line
    parts = _WORDS_AND_SPACES.split(line)  # words at even indexes
    for i in range(0, len(parts), 2):
        word = parts[i]
        if word and not word.isascii() and is_bad(word):
            fixed = ftfy.fix_text(word, FTFY_CONFIG)
            if fixed != word and not is_bad(fixed):
                parts[i] = fixed
    return "".join(parts)


def fix_mojibake(text: str, edits: list[Edit]) -> str:
    """Run ftfy on the lines that could change; each changed line yields word-level edits
    named after ftfy's explanation (e.g. ``ftfy:encode:sloppy-windows-1252+decode:utf-8``).

    >>> edits = []
    >>> fix_mojibake("Macronâ€™s visit", edits)
    'Macron’s visit'
    >>> edits[0]["before"], edits[0]["kind"]
    ('Macronâ€™s', 'ftfy:encode:sloppy-windows-1252+decode:utf-8')
    """
    if text.isascii():
        return text
    # No check of the whole text first: where the whole text does not need ftfy, none of its
    # lines does (each test of ``needs_ftfy`` that fails for the whole fails for a part, and
    # NFC text cut at line breaks, which never combine, stays NFC); and lines repeat (layout
    # asks again), so each line's answer is cached (``_fix_line``).
    lines = split_lines(text)  # lines at even indexes, their line breaks between
    changed = False
    for i in range(0, len(lines), 2):
        line = lines[i]
        if line.isascii():
            continue
        fixed, line_edits = _fix_line(line)
        if fixed != line:
            edits.extend(dict(e) for e in line_edits)
            lines[i] = fixed
            changed = True
    return "".join(lines) if changed else text


def split_lines(text: str) -> list[str]:
    """``_LINE_BREAKS.split(text)``: lines at even indexes, their line breaks between
    (faster when the only line break is "\\n").

    >>> split_lines("a\\n\\nb"), split_lines("a\\r\\nb\\u2028c")
    (['a', '\\n', '', '\\n', 'b'], ['a', '\\r\\n', 'b', '\\u2028', 'c'])
    """
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        return _LINE_BREAKS.split(text)
    parts = text.split("\n")
    lines = ["\n"] * (2 * len(parts) - 1)
    lines[::2] = parts
    return lines


@lru_cache(maxsize=2048)
def _fix_line(line: str) -> tuple[str, tuple[Edit, ...]]:
    """One line through ftfy when ``needs_ftfy`` says so: the line and the edits that
    record the change (none when it stays).  Cached: callers copy the edits.

    >>> _fix_line("Macronâ€™s visit")
    ('Macron’s visit', ({'step': 'repair', 'kind': 'ftfy:encode:sloppy-windows-1252+decode:utf-8', 'before': 'Macronâ€™s', 'after': 'Macron’s'},))
    >>> _fix_line("Macron’s visit")
    ('Macron’s visit', ())
    """
    if not (needs_ftfy(line) and ftfy_may_change(line)):
        return line, ()
    core = line.strip(" \t")  # layout trims lines; ftfy must see them as the next pass will
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    tail = line[len(lead) + len(core) :]
    edits: list[Edit] = []
    before = line
    for text, kind in _ftfy_line(core):
        after = lead + text + tail
        edits.extend(word_edits(kind, before, after))
        before = after
    return before, tuple(edits)


# ---- word-level edits of a line ftfy changed: ``cleaners.edits.diff_word_edits``, with
# difflib's opcodes computed by ``cleaners.diff`` (same opcodes, without difflib's quadratic
# loop over the many " " tokens).

_WORDS_AND_SPACES = re.compile(r"(\s+)")


def word_edits(kind: str, before: str, after: str) -> list[Edit]:
    """Exactly ``diff_word_edits(STEP, kind, before, after)``: one edit per run of changed
    words (whitespace-separated tokens).

    >>> word_edits("mojibake", "It‚Äôs a ‚Äútest‚Äù today", "It’s a “test” today")
    [{'step': 'repair', 'kind': 'mojibake', 'before': 'It‚Äôs', 'after': 'It’s'}, {'step': 'repair', 'kind': 'mojibake', 'before': '‚Äútest‚Äù', 'after': '“test”'}]
    """
    if before == after:
        return []
    a, b = _WORDS_AND_SPACES.split(before), _WORDS_AND_SPACES.split(after)
    return edits_from_opcodes(STEP, kind, a, b, token_opcodes(a, b))


def repair_encoding(text: str) -> tuple[str, list[Edit]]:
    """All encoding fixes in order: controls, entities, invisible characters, odd spaces,
    mojibake and NFC (ftfy), soft hyphens.  When mojibake is left (ftfy's badness test),
    the fixes are tried again with mojibake before entities: a line mixing an entity that
    becomes a correct ``’`` with mojibake (``O&rsquo;Brien, MaÅ‚gorzata``) cannot be
    decoded by ftfy once the entity is a real character.

    >>> repair_encoding("Itâ€™s Q&amp;A\u200b time")[0]
    'It’s Q&A time'
    >>> repair_encoding("Clean text stays as it is.")
    ('Clean text stays as it is.', [])
    >>> repair_encoding("InÃ©s told Marie O&rsquo;Brien, MaÅ‚gorzata said.")[0]
    'Inés told Marie O’Brien, Małgorzata said.'
    """
    from cleaners.quality import has_mojibake

    fixed, edits = _repair_in_order(text, entities_first=True)
    if not fixed.isascii() and has_mojibake(fixed):
        other, other_edits = _repair_in_order(text, entities_first=False)
        if not has_mojibake(other):
            return other, other_edits
    return fixed, edits


def _repair_in_order(text: str, entities_first: bool) -> tuple[str, list[Edit]]:
    edits: list[Edit] = []
    text = remove_controls(text, edits)
    if not entities_first:
        text = fix_mojibake(text, edits)
    n = len(edits)
    text = unescape_entities(text, edits)
    if len(edits) > n:
        text = remove_controls(text, edits)  # "&#7;" was a control character too
    text = remove_invisible(text, edits)
    text = normalise_odd_spaces(text, edits, mojibake_safe=True)
    text = remove_soft_hyphens(text, edits, mojibake_safe=True)
    text = fix_mojibake(text, edits)
    for _ in range(3):  # what ftfy left: spaces and soft hyphens it may have needed, and
        n = len(edits)  # zero-width characters that were mojibake; then ftfy once more, so
        text = normalise_odd_spaces(text, edits)  # that cleaning the output again finds nothing
        text = remove_soft_hyphens(text, edits)
        text = remove_invisible(text, edits)
        if len(edits) == n:
            break
        text = fix_mojibake(text, edits)
    return text, edits


def clean_field(name: str, value: str | None, edits: list[Edit]) -> str | None:
    """A metadata field (title, author …) without control characters or line breaks; the
    change is an edit of kind ``metadata_control_char`` whose ``rule`` names the field.

    >>> edits = []; clean_field("title", "Talks\\x00 end\\nlate", edits)
    'Talks end late'
    >>> edits[0]["kind"], edits[0]["rule"]
    ('metadata_control_char', 'title')
    >>> clean_field("title", "Fine title", [])
    'Fine title'
    """
    if value is None or value.isprintable():
        return value
    fixed = " ".join(_CONTROL.sub("", value).split())
    if fixed != value:
        edits.append(make_edit(STEP, "metadata_control_char", value, fixed, rule=name))
    return fixed
