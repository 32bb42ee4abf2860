"""Layout repair: whitespace, paragraphs, hard wraps, hyphenation, missing spaces, doubled words.

The output always separates paragraphs by exactly one blank line (``"\\n\\n"``) and holds
no other newlines; this is a declared normalisation, but each change is still an edit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleaners.edits import Edit, make_edit, sub_recording

STEP = "repair"

_LINE_ENDING = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_ODD_SPACE = re.compile(r"[ \t\xa0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\xa0\u2000-\u200a\u202f\u205f\u3000]")
_EDGE_SPACE = re.compile(r"^ +| +$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")
_OUTER_SPACE = re.compile(r"\A\s+|\s+\Z")
_TERMINAL = tuple('.!?:;"”’»)]…')
# A lowercase-ended word, a full stop, then a capitalised word: "Moscow.The".
_MISSING_SPACE = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z][a-z])")
# Words that are (almost) never correctly doubled in news prose.  "that that" and
# "had had" are grammatical and deliberately absent.
_DOUBLED = re.compile(
    r"\b(the|a|an|of|to|in|on|and|or|for|with|at|by|from|are|was|were|be|it|as|this|der|die|das|le|la|les|el|los|de)"
    r"\s+\1\b",
    re.IGNORECASE,
)
WRAP_WIDTH_MAX = 120  # a block whose lines are all this short may be hard-wrapped
DEHYPHENATE_MIN_ZIPF = 2.5  # wordfreq Zipf frequency for the joined word to count as a word


@lru_cache(maxsize=65536)
def is_known_word(word: str, lang: str = "en") -> bool:
    """True when ``word`` is in wordfreq's list for ``lang`` with Zipf frequency >= 2.5.

    >>> is_known_word("security"), is_known_word("wellknown")
    (True, False)
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), lang) >= DEHYPHENATE_MIN_ZIPF


def normalise_whitespace(text: str, edits: list[Edit]) -> str:
    """Unify line endings, turn tabs/odd spaces/space runs into one space, trim lines,
    collapse runs of blank lines.

    >>> normalise_whitespace("a\\r\\nb\\t c  \\n\\n\\n\\nd", [])
    'a\\nb c\\n\\nd'
    """
    text = sub_recording(_LINE_ENDING, lambda m: "\n", text, STEP, "line_ending", edits, context=10)
    text = sub_recording(_ODD_SPACE, lambda m: " ", text, STEP, "whitespace", edits, context=10)
    text = sub_recording(_EDGE_SPACE, lambda m: "", text, STEP, "whitespace", edits, context=10)
    text = sub_recording(_BLANK_RUN, lambda m: "\n\n", text, STEP, "whitespace", edits, context=10)
    return sub_recording(_OUTER_SPACE, lambda m: "", text, STEP, "whitespace", edits, context=10)


def _looks_wrapped(lines: list[str]) -> bool:
    """A block is hard-wrapped when it has several lines, all of them short."""
    return len(lines) >= 2 and max(len(line) for line in lines) <= WRAP_WIDTH_MAX


def _join(line: str, nxt: str, lang: str) -> tuple[str, str]:
    """How to join ``line`` to ``nxt``: (separator, edit kind); separator may drop a hyphen."""
    if len(line) >= 2 and line[-1] == "-" and line[-2].isalpha() and nxt[:1].islower():
        head = re.search(r"(\w+)-$", line)
        tail = re.match(r"\w+", nxt)
        if head and tail and is_known_word(head.group(1) + tail.group(0), lang):
            return "", "dehyphenate"
        return "-", "hard_wrap"
    return " ", "hard_wrap"


def _break_kind(line: str, nxt: str, wrapped: bool, width: int) -> str:
    """Decide whether the newline between ``line`` and ``nxt`` is a wrap or a paragraph end."""
    ends_sentence = line.endswith(_TERMINAL)
    if line.endswith("-") and nxt[:1].islower():
        return "join"
    if not ends_sentence and nxt[:1].islower():
        return "join"  # a sentence cut in the middle
    if wrapped and not (ends_sentence and len(line) < 0.6 * width):
        return "join"
    return "paragraph"


def rebuild_paragraphs(text: str, edits: list[Edit], lang: str = "en") -> str:
    """Join hard-wrapped lines (de-hyphenating only into real words) and separate
    paragraphs by one blank line.

    >>> rebuild_paragraphs("The talks on secu-\\nrity went on\\nfor hours.\\nShort.", [])
    'The talks on security went on for hours.\\n\\nShort.'
    >>> rebuild_paragraphs("Moscow-\\nbacked rebels", [])
    'Moscow-backed rebels'
    """
    blocks = text.split("\n\n")
    out_blocks: list[str] = []
    for block in blocks:
        lines = block.split("\n")
        if len(lines) == 1:
            out_blocks.append(block)
            continue
        wrapped = _looks_wrapped(lines)
        width = max(len(line) for line in lines)
        lines = [line for line in lines if line]
        paragraphs = [lines[0]]
        for prev, nxt in zip(lines, lines[1:]):
            line = paragraphs[-1]
            if _break_kind(prev, nxt, wrapped, width) == "join":
                sep, kind = _join(line, nxt, lang)
                cut = len(line) - 1 if sep != " " else len(line)
                ctx_a, ctx_b = line[max(0, len(line) - 15):], nxt[:15]
                edits.append(make_edit(STEP, kind, ctx_a + "\n" + ctx_b, line[max(0, len(line) - 15):cut] + sep + ctx_b))
                paragraphs[-1] = line[:cut] + sep + nxt
            else:
                edits.append(make_edit(STEP, "paragraph_break", prev[-15:] + "\n" + nxt[:15], prev[-15:] + "\n\n" + nxt[:15]))
                paragraphs.append(nxt)
        out_blocks.append("\n\n".join(p for p in paragraphs if p))
    return "\n\n".join(b for b in out_blocks if b)


def _insert_missing_space(m: re.Match) -> str:
    text, start, end = m.string, m.start(), m.end()
    lo = start
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    token = text[lo:hi]
    if "@" in token or "/" in token or "www" in token.lower() or token.count(".") > 1:
        return m.group(0)  # a URL, an e-mail address or a dotted name: leave it
    return ". "


def fix_missing_space(text: str, edits: list[Edit]) -> str:
    """Insert the space missing after a full stop between two words ("Moscow.The").
    Abbreviations, initials, decimals, URLs and e-mail addresses stay as they are.

    >>> fix_missing_space("talks in Moscow.The leaders met. See news.example.com or a.b@c.org, U.S.A. and 3.5", [])
    'talks in Moscow. The leaders met. See news.example.com or a.b@c.org, U.S.A. and 3.5'
    """
    return sub_recording(_MISSING_SPACE, _insert_missing_space, text, STEP, "missing_space", edits, context=8)


def fix_doubled_words(text: str, edits: list[Edit]) -> str:
    """Remove an accidentally doubled function word ("the the"), keeping the first.

    >>> fix_doubled_words("He said that that the the talks", [])
    'He said that that the talks'
    """
    return sub_recording(_DOUBLED, lambda m: m.group(1), text, STEP, "doubled_word", edits)


def repair_layout(text: str, lang: str = "en") -> tuple[str, list[Edit]]:
    """All layout fixes in order; returns the text and its edits.

    >>> repair_layout("Talks  in Moscow.The the leaders\\nmet.")[0]
    'Talks in Moscow. The leaders met.'
    """
    edits: list[Edit] = []
    text = normalise_whitespace(text, edits)
    text = rebuild_paragraphs(text, edits, lang)
    text = fix_missing_space(text, edits)
    text = fix_doubled_words(text, edits)
    return text, edits
