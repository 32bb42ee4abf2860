"""Layout repair: whitespace, paragraphs, hard wraps, hyphenation, missing spaces, doubled words.

The output always separates paragraphs by exactly one blank line (``"\\n\\n"``) and holds
no other newlines; this is a declared normalisation, but each change is still an edit.

Every fixer first checks cheaply (``in``, ``isascii``) whether it has anything to do, so
text that is already clean costs a few string scans.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from itertools import repeat

from cleaners.edits import Edit, make_edit, sub_recording
from cleaners.encoding import fix_mojibake, printable_outside_newlines
from cleaners.text import PARAGRAPH_BREAK, split_paragraphs

STEP = "repair"

_LINE_ENDING = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_ODD_SPACE = re.compile(
    r"[\t\xa0\u2000-\u200a\u202f\u205f\u3000][ \t\xa0\u2000-\u200a\u202f\u205f\u3000]*| [ \t\xa0\u2000-\u200a\u202f\u205f\u3000]+"
)
_EDGE_SPACE = re.compile(r" +\n *|\n +")
_BLANK_RUN = re.compile(r"\n{3,}")
_TERMINAL = tuple('.!?:;"”’»)]…')
WRAP_WIDTH_MAX = 120  # a document whose lines are all this short may be hard-wrapped
DEHYPHENATE_MIN_ZIPF = 1.5  # wordfreq Zipf frequency for the joined word to count as a word
DEHYPHENATE_MARGIN = 1.0  # ... and it must be at most this much rarer than its halves as two words

# ---- missing space after a sentence end ("Moscow.The")
_MISSING_SPACE_HINT = re.compile(r"[.!?][\"”’)\]“(]{0,2}[A-Z\u00c0-\u00de\u0100-\u024f\u0391-\u03a9\u0400-\u042f]")
_MISSING_SPACE = re.compile(
    r"([.!?]+)([\"”’)\]]*)([“\"(]?)(?=[A-Z\u00c0-\u00de\u0100-\u024f\u0391-\u03a9\u0400-\u042f])"
)
# Titles after which a line break or a full stop does not end a sentence ("Mr.\nPeskov").
_TITLES = frozenset("Mr Mrs Ms Dr Prof Sen Rep Gov Gen Col Lt Sgt Capt Adm St Rev Hon Pres".split())
# Capitalised domain endings and file extensions ("FabriPaint.Com"); not ones that are words ("It", "In").
_TLD = frozenset(
    "com org net gov edu mil int info biz io uk de fr ru cn jp eu ca au nl ch se pl ua tv ly "
    "html htm php pdf jpg png".split()
)
_TOKEN_START = re.compile(r"\S*")

# ---- doubled words ("the the")
_DOUBLED = re.compile(r"(?:(?<=[\s“\"‘(\[])|^)([^\W\d_]+)((?: \1)+)(?![\w'’-])", re.IGNORECASE | re.MULTILINE)
# What ``_may_have_doubles`` strips from a word's edges before comparing it with the next:
# the characters that may stand beside a doubled word ("(the the", "were were…", "the the»"):
# ASCII punctuation but the apostrophe, hyphen and underscore (after them _DOUBLED does not
# match), and the quotes, dashes and symbols of news text.
_EDGE_PUNCT = "".join(sorted(set(string.punctuation) - set("'-_"))) + "“”‘’«»„‚‹›…–—·•¡¿€£¥°§"
# Words that English doubles on purpose ("that that", "had had", "bye bye") and places
# named by a doubled word ("Walla Walla", "Bora Bora").
LEGIT_DOUBLES = frozenset(
    """that had is very so no yes bye ha ho knock really well far long many much tut chop
    duran sirhan walla bora sing mahi pago baden dum""".split()
)


def normalise_whitespace(text: str, edits: list[Edit]) -> str:
    """Unify line endings, turn tabs/odd spaces/space runs into one space, trim lines,
    collapse runs of blank lines.

    >>> normalise_whitespace("a\\r\\nb\\t c  \\n\\n\\n\\nd", [])
    'a\\nb c\\n\\nd'
    """
    # Tabs, CR, odd spaces and line separators are all non-printable: one C-level scan.
    printable = printable_outside_newlines(text)
    if not printable:
        text = sub_recording(_LINE_ENDING, lambda m: "\n", text, STEP, "line_ending", edits, context=10)
    if not printable or "  " in text:
        text = sub_recording(_ODD_SPACE, lambda m: " ", text, STEP, "whitespace", edits, context=10)
    if _space_beside_newline(text):
        text = sub_recording(_EDGE_SPACE, lambda m: "\n", text, STEP, "whitespace", edits, context=10)
    if "\n\n\n" in text:
        text = sub_recording(_BLANK_RUN, lambda m: PARAGRAPH_BREAK, text, STEP, "whitespace", edits, context=10)
    if text[:1].isspace() or text[-1:].isspace():
        stripped = text.strip()  # leading and trailing blank lines and spaces: one edit each
        head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        if head:
            edits.append(make_edit(STEP, "whitespace", head + stripped[:10], stripped[:10]))
        if tail and stripped:
            edits.append(make_edit(STEP, "whitespace", stripped[-10:] + tail, stripped[-10:]))
        text = stripped
    return text


def _space_beside_newline(text: str) -> bool:
    """``" \\n" in text or "\\n " in text``, found by looking beside each newline (a text
    has few), quicker than two scans for two-character needles.

    >>> _space_beside_newline("a\\n\\nb c"), _space_beside_newline("a \\nb"), _space_beside_newline("a\\n b")
    (False, True, True)
    """
    i = text.find("\n")
    while i >= 0:
        if text[i - 1 : i] == " " or text[i + 1 : i + 2] == " ":
            return True
        i = text.find("\n", i + 1)
    return False


# ------------------------------------------------------------------ paragraphs and hard wraps


@lru_cache(maxsize=65536)
def is_known_word(word: str, lang: str = "en") -> bool:
    """True when ``word`` is in wordfreq's list for ``lang`` with Zipf frequency >= 1.5.

    >>> is_known_word("security"), is_known_word("ytirucse"), is_known_word("Moscowbacked")
    (True, False, False)
    """
    return _zipf(word.lower(), lang) >= DEHYPHENATE_MIN_ZIPF


@lru_cache(maxsize=65536)
def _zipf(words: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(words, lang)


def joins_into_word(head: str, tail: str, lang: str = "en") -> bool:
    """Whether ``head-`` at a line end and ``tail`` on the next line are one word split by
    hyphenation: the joined word is in wordfreq's list, and not much rarer than the two
    halves as separate words (so ``long-term`` and ``follow-up`` keep their hyphen although
    web text also spells ``longterm``).

    >>> joins_into_word("secu", "rity"), joins_into_word("with", "out")
    (True, True)
    >>> joins_into_word("Moscow", "backed"), joins_into_word("long", "term"), joins_into_word("well", "known")
    (False, False, False)
    """
    joined = (head + tail).lower()
    if not is_known_word(joined, lang):
        return False
    return _zipf(joined, lang) >= _zipf(f"{head} {tail}".lower(), lang) - DEHYPHENATE_MARGIN


def _ends_sentence(line: str) -> bool:
    """Whether ``line`` ends with sentence-final punctuation (not "Mr." or an initial).

    >>> _ends_sentence("He met Mr."), _ends_sentence("talks on"), _ends_sentence("in Moscow.")
    (False, False, True)
    """
    if not line.endswith(_TERMINAL):
        return False
    if line.endswith("."):
        word = line[line.rfind(" ") + 1 : -1]
        return not (word in _TITLES or (len(word) == 1 and word.isupper()))
    return True


def _is_wrapped(blocks: list[list[str]]) -> bool:
    """A document is hard-wrapped when its lines are short and many line breaks fall
    inside a sentence (wrapped prose: most; one paragraph per line, as in seed 001: almost
    none)."""
    breaks = mid = 0
    for lines in blocks:
        for line in lines[:-1]:
            if len(line) > WRAP_WIDTH_MAX:
                return False
            breaks += 1
            mid += not _ends_sentence(line)
    return breaks > 0 and mid * 4 >= breaks


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def _starts_lower(line: str) -> bool:
    """Starts with a lower-case word ("eBay" and "iPhone" count as capitalised)."""
    return line[:1].islower() and not line[1:2].isupper()


def _ends_in_title(line: str) -> bool:
    return line.endswith(".") and line[line.rfind(" ") + 1 : -1] in _TITLES


def _break_kind(line: str, nxt: str, wrapped: bool, width: int) -> str:
    """ "join" or "paragraph" for the newline between ``line`` and ``nxt``.  In a wrapped
    document a line break is a paragraph end only where the next word would have fitted
    on the line (``width``: the widest line, or less where blank lines mark paragraphs),
    and never after a spaced dash: no paragraph ends with one ("... pic.twitter.com/x —" then
    the embed's "Name (@handle) date" on the next line).

    >>> _break_kind("in Kyiv. More soon —", "Jo Lee (@jolee) May 1, 2023", True, 80)
    'join'
    >>> _break_kind("in Kyiv. More soon.", "Jo Lee spoke later.", True, 80)
    'paragraph'
    """
    if (
        _starts_lower(nxt)
        or (line.endswith("-") and nxt[:1].isalnum())
        or _ends_in_title(line)
        or (wrapped and line.endswith((" —", " –")))
    ):
        return "join"  # a sentence or a word cut in the middle
    fits = len(line) + 1 + len(_first_word(nxt)) <= width
    if not _ends_sentence(line):
        if wrapped and not fits:
            return "join"
        return "join" if wrapped and not nxt[:1].isupper() else "paragraph"
    return "paragraph" if not wrapped or fits else "join"


def _hyphen_join(line: str, nxt: str, doc_words: set[str], lang: str) -> tuple[str, str]:
    """Separator and edit kind for a line ending in a hyphen: "" (dehyphenate) or "-"."""
    head = re.search(r"([^\W\d_]+)-$", line)
    tail = re.match(r"[^\W\d_]+", nxt)
    if not (head and tail and nxt[:1].islower()):
        return "-", "hard_wrap"
    h, t = head.group(1), tail.group(0)
    if f"{h}-{t}".lower() in doc_words:  # the document itself spells it with a hyphen
        return "-", "hard_wrap"
    if (h + t).lower() in doc_words or joins_into_word(h, t, lang):
        return "", "dehyphenate"
    return "-", "hard_wrap"


def _doc_words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()))


def rebuild_paragraphs(text: str, edits: list[Edit], lang: str = "en") -> str:
    """Join hard-wrapped lines (de-hyphenating only into real words) and separate
    paragraphs by one blank line.

    >>> rebuild_paragraphs("The talks on secu-\\nrity went on\\nfor hours. They\\nended.\\n\\nShort.", [])
    'The talks on security went on for hours. They ended.\\n\\nShort.'
    >>> rebuild_paragraphs("Moscow-\\nbacked rebels", [])
    'Moscow-backed rebels'
    >>> rebuild_paragraphs("One paragraph per line.\\nAnother one.", [])
    'One paragraph per line.\\n\\nAnother one.'
    """
    if text.count("\n") == 2 * text.count(PARAGRAPH_BREAK):  # newlines only in pairs: no line inside a paragraph
        return text
    blocks = [[line for line in block.split("\n") if line] for block in split_paragraphs(text)]
    if all(len(lines) <= 1 for lines in blocks):
        return text
    wrapped = _is_wrapped(blocks)
    width = max(len(line) for lines in blocks for line in lines)
    if wrapped and sum(1 for lines in blocks if lines) > 1:
        width = int(width * 0.8)  # blank lines mark paragraphs: a break inside one must be clearly short
    doc_words: set[str] | None = None
    out: list[str] = []
    for lines in blocks:
        if not lines:
            continue
        paragraph = [lines[0]]  # pieces of the paragraph being built
        for prev, nxt in zip(lines, lines[1:]):
            if _break_kind(prev, nxt, wrapped, width) == "paragraph":
                edits.append(
                    make_edit(
                        STEP, "paragraph_break", prev[-15:] + "\n" + nxt[:15], prev[-15:] + PARAGRAPH_BREAK + nxt[:15]
                    )
                )
                out.append("".join(paragraph))
                paragraph = [nxt]
                continue
            cut = 0  # characters taken off the end of ``prev``: a line-end hyphen or dash
            if prev[-1] in "-—" and prev[-2:-1].isalnum():
                cut = 1
                if prev[-1] == "—":
                    sep, kind = "—", "hard_wrap"  # an unspaced em dash
                else:
                    if doc_words is None:
                        doc_words = _doc_words(text)
                    sep, kind = _hyphen_join(prev, nxt, doc_words, lang)
                paragraph[-1] = paragraph[-1][:-1]
            else:
                sep, kind = " ", "hard_wrap"
            ctx = prev[-15:]
            edits.append(make_edit(STEP, kind, ctx + "\n" + nxt[:15], ctx[: len(ctx) - cut] + sep + nxt[:15]))
            paragraph.append(sep + nxt)
        out.append("".join(paragraph))
    return PARAGRAPH_BREAK.join(out)


# ------------------------------------------------------------------ missing space, doubled words


def _space_after_stop(m: re.Match) -> str:
    """Replacement for one ``_MISSING_SPACE`` match: the same text with a space inserted
    where a sentence ends, or unchanged when in doubt."""
    text, start = m.string, m.start()
    stop, closers, opener = m.group(1), m.group(2), m.group(3)
    if start == 0 or text[start - 1].isspace():
        return m.group(0)
    left = text[max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1 : start]
    right = _TOKEN_START.match(text, m.end()).group(0)
    token = left + m.group(0) + right
    right_word = re.match(r"[^\W\d_]*", right).group(0)
    if not (closers or opener) and ("@" in token or "/" in token or "www." in token.lower()):
        # a URL or an e-mail address; a capitalised word glued to its end is a new sentence
        ends_url = re.search(r"\.([A-Za-z]{2,4})$", left)
        if not (ends_url and ends_url.group(1).lower() in _TLD and right.rstrip(",;:") == right_word):
            return m.group(0)
    if stop == "." and right_word.lower() in _TLD and not right[len(right_word) :].startswith("."):
        return m.group(0)  # a domain name: "Example.Com" (but "Gov. Newsom" is a title)
    left_word = re.split(r"[.\s“\"(]", left)[-1]
    if not right_word[:1].isupper() or (len(right_word) < 2 and not (right_word in "AI" and right[1:2] != ".")):
        return m.group(0)  # initials and acronyms: "U.S.A.", "J.R.R. Tolkien"
    if not left_word or not (left_word[-1].isalnum() or left_word[-1] in ")%"):
        return m.group(0)
    if '"' in closers and not opener:
        # is this straight quote closing the quote before it, or opening the next sentence?
        if text.count('"', text.rfind("\n", 0, start) + 1, start) % 2 == 0:
            return stop + " " + closers + opener
    return stop + closers + " " + opener


def fix_missing_space(text: str, edits: list[Edit]) -> str:
    """Insert the space missing after a sentence end ("Moscow.The", "said.“We") or after
    an abbreviation before a capitalised word ("U.S.Army").  Acronyms and initials
    ("U.S.A.", "J.R.R."), decimals, URLs and e-mail addresses stay as they are.

    >>> fix_missing_space("talks in Moscow.The leaders met. See news.example.com or a.b@c.org, U.S.A. and 3.5", [])
    'talks in Moscow. The leaders met. See news.example.com or a.b@c.org, U.S.A. and 3.5'
    >>> fix_missing_space('He said "no."The end. Why?“We agree.” J.R.Smith in the U.S.The end.', [])
    'He said "no." The end. Why? “We agree.” J.R. Smith in the U.S. The end.'
    >>> fix_missing_space("See www.example.org/a/report.pdf.The Example.Com site. Gov.Newsom spoke.", [])
    'See www.example.org/a/report.pdf. The Example.Com site. Gov. Newsom spoke.'
    """
    for _ in range(3):  # an inserted space splits a token, which can settle a later decision
        if not _MISSING_SPACE_HINT.search(text):
            break
        n = len(edits)
        text = sub_recording(_MISSING_SPACE, _space_after_stop, text, STEP, "missing_space", edits, context=8)
        if len(edits) == n:
            break
    return text


def _may_have_doubles(text: str) -> bool:
    """Cheap test (C-level string methods) for two equal words in a row, punctuation aside:
    true wherever ``_DOUBLED`` can match between words whose other neighbours are spaces or
    ``_EDGE_PUNCT`` marks (and more often); a mark outside that set ("the the¶") or glued
    before the first word ("x“the the") is not seen.

    >>> _may_have_doubles("talks were were… useful"), _may_have_doubles("the thesis")
    (True, False)
    """
    words = list(map(str.strip, text.lower().split(), repeat(_EDGE_PUNCT)))
    return any(map(str.__eq__, words, words[1:]))


def _undouble(m: re.Match) -> str:
    word = m.group(1)
    if word.lower() in LEGIT_DOUBLES:
        return m.group(0)
    return word


def fix_doubled_words(text: str, edits: list[Edit]) -> str:
    """Remove an accidentally repeated word ("the the", "vote vote"), keeping the first;
    words English doubles on purpose ("that that", "had had") stay.

    >>> fix_doubled_words("He said that that the the the talks were were useful", [])
    'He said that that the talks were useful'
    >>> fix_doubled_words("The the talks in Walla Walla", [])
    'The talks in Walla Walla'
    """
    if not _may_have_doubles(text):
        return text
    return sub_recording(_DOUBLED, _undouble, text, STEP, "doubled_word", edits)


def repair_layout(text: str, lang: str = "en") -> tuple[str, list[Edit]]:
    """All layout fixes in order; returns the text and its edits.

    >>> repair_layout("Talks  in Moscow.The the leaders\\nmet.")[0]
    'Talks in Moscow. The leaders met.'
    """
    edits: list[Edit] = []
    for _ in range(2):
        text = normalise_whitespace(text, edits)
        text = rebuild_paragraphs(text, edits, lang)
        text = fix_missing_space(text, edits)
        text = fix_doubled_words(text, edits)
        # ftfy's heuristics can judge a line differently once its spaces are normalised
        # ("Ã©é  a" vs "Ã©é a"): ask again, so that repairing the output changes nothing.
        n = len(edits)
        text = fix_mojibake(text, edits)
        if len(edits) == n:
            break
    return text, edits
