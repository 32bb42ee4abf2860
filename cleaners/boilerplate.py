"""Boilerplate found by a document's structure, not by a phrase: what the rules file cannot say.

The rules in ``cleaners/rules/embeds.toml`` recognise one paragraph at a time.  The detectors
here look at the paragraphs of a document together:

* ``title_repeats``      the title repeated as one of the first paragraphs (``header``);
* ``repeated_paragraphs`` a short paragraph that repeats another one of the same document: a
  pull quote, a caption printed twice, a teaser under its video (``pull_quote``);
* ``post_blocks``        an embedded post laid out over several lines, as scrapers keep the old
  Twitter embed: "Follow", "Name @handle", the text, "11:22 PM - 19 Oct 2016", "4,101 Retweets
  3,957 likes" (``tweet``);
* ``share_runs``         a run of lines that are only the names of share buttons (``share``);
* ``wordless``           lines without a letter or digit: separators, stray dots (``other``);
* ``date_lines``         a date standing alone at the top or the end: a post header (``header``);
* ``author_bio``         an author's biography among the last paragraphs (``bio``);
* ``repeated_lines``     a line that recurs across many documents of the same source in the run:
  a site's widget, promo or teaser (``boilerplate``; the run finds them with ``line_key``, see
  ``flows/dedup/repeated_lines.py``);
* ``truncated_copies``   a line that a neighbouring line continues: a caption cut short and
  printed again in full (``pull_quote``);
* ``teasers_before_marker`` the headline and standfirst of a linked article above the "Read
  more" the rules removed (``related``);
* ``teaser_runs``        two or more headline-like lines between prose paragraphs: a block of
  related-article links (``related``);
* ``gallery_runs``       a run of short lines cut mid-phrase: a slideshow's captions (``caption``);
* ``image_names``        a line that is one lowercase token: an image's file name (``caption``).

Each detector is a pure function ``(paragraphs, ...) -> {index: (category, rule)}``; the
embeds step records every removal as an edit naming the detector.  The detectors that need
what the rules removed also get ``original``, the paragraphs before the rules.  ``prose_words`` measures
what is left for the not-an-article filter.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re

Finding = dict  # {paragraph index: (category, detector name)}

_WORD = re.compile(r"\w+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)\]]*\s+(?=[A-Z\"“‘])")
_CLAUSE_END = re.compile(r"[.!?…,;:][\"”’)\]]*$")
REPEAT_MAX_CHARS = 320  # a pull quote or caption; longer repeats are prose printed twice, left alone
REPEAT_MIN_WORDS = 4  # a pull quote: contained in a longer paragraph
PAIR_MIN_WORDS = 3  # a caption or teaser printed twice ...
PAIR_MAX_GAP = 3  # ... stands close to its copy (a heading far from its entry in a table of contents stays)
CONTAINER_LOOKUPS = 8  # paragraphs examined as the container of a pull quote
_EDGE_MARKS = " .,;:!?…\"'“”‘’()[]{}*-–—"  # quote marks, brackets and end punctuation around a repeated text
TITLE_LOOKAHEAD = 3  # the title may stand after a byline and a date

# The old Twitter embed as text: a handle line, a timestamp line and a counts line.
_HANDLE_LINE = re.compile(r"[^\n]{0,60}?\s?\(?@\w{1,15}\)?")
_POST_TIME = re.compile(r"\d{1,2}:\d{2}\s?[AP]M\s?[-–·]\s?\d{1,2} [A-Z][a-z]{2,8},? \d{4}")
_POST_COUNTS = re.compile(
    r"(?:[\d.,]+[KkMm]?\s+){1,2}(?:Retweets?|Likes?|likes?|retweets?|Replies|replies)(?:\s+(?:[\d.,]+[KkMm]?\s+){1,2}(?:Retweets?|Likes?|likes?|retweets?|Replies|replies))*"
)
_FOLLOW = re.compile(r"(?:Follow|Following)(?: @\w{1,15})?")
POST_TEXT_LINES = 3  # lines of post text between the handle line and the timestamp

# Lines that are only the names of share buttons ("Facebook", "Share this: Reddit", "More").
_SHARE_WORD = (
    r"(?:Share(?: this| on)?|Tweet|Email|E-mail|Print|More|Like|Like this|Facebook|Twitter|Google\+?|Google Plus|"
    r"Reddit|Tumblr|Pinterest|LinkedIn|Linkedin|WhatsApp|Whatsapp|Telegram|Pocket|StumbleUpon|Digg|Flipboard|"
    r"Embed|SMS|Messenger|Skype|VK|Mix)"
)
_SHARE_LINE = re.compile(rf"(?:{_SHARE_WORD}\s?:?\s?[|•·,]?\s?){{1,8}}")
_SHARE_ANCHOR = re.compile(r"(?i:share|tweet|facebook|twitter|reddit|pinterest|tumblr|linkedin|whatsapp)")

# An author bio: "NAME is a/the ... writer/author ..." or "NAME has been ...", near the end.
_BIO_START = re.compile(
    r"[—–-]?\s?(?:[A-Z][\w'’.-]*,?\s){1,4}(?:\([^)]{1,40}\)\s|[A-Z]{2,5},\s)?(?:is|has been|has authored|writes|serves|publishes)\b"
)
_BIO_CUE = re.compile(
    r"(?i:\b(?:author of|writer|columnist|contributor|contributing|journalist|editor|blogger|reporter|correspondent|"
    r"commentator|analyst|professor|fellow at|founder of|director (?:of|at|with)|graduate of|his (?:books?|website|blog|homepage)|"
    r"her (?:books?|website|blog|homepage)|can be reached|follow (?:him|her) on|(?:he|she) tweets|his work has appeared|"
    r"her work has appeared|writings have appeared|holds a|degree in|award-winning|founder|ceo|editor of|publisher of|"
    r"has authored|workshops|consultant|expert in)\b)"
)
BIO_LAST = 4  # paragraphs from the end where a bio may stand
BIO_MAX_CHARS = 700


def words(text: str) -> list[str]:
    """Lowercased words.

    >>> words("Trump’s wall, 2016!")
    ['trump', 's', 'wall', '2016']
    """
    return _WORD.findall(text.lower())


def _contained_elsewhere(i: int, low: list[str], doc: str, starts: list[int]) -> bool:
    """Whether a longer paragraph holds paragraph ``i`` (``low``: the paragraphs lowercased,
    ``doc``: them joined by newlines): its middle third and one of its ends (a pull quote
    trimmed or bracketed), or all of it when it is short.

    >>> low = ["he said the wall would rise by 2018 and cost less than planned.", "[the] wall would rise by 2018 and cost less"]
    >>> doc = "\\n".join(low); starts = [0, len(low[0]) + 1]
    >>> _contained_elsewhere(1, low, doc, starts), _contained_elsewhere(0, low, doc, starts)
    (True, False)
    """
    p = low[i].strip(_EDGE_MARKS)
    n = len(p)
    if n < 40:
        pieces = [p]
    else:
        a, b = p.find(" ", n // 3), p.rfind(" ", 0, 2 * n // 3)
        if a < 0 or b <= a:
            return False
        pieces = [p[a:b], p[:a], p[b:]]
    pos, holders = 0, []
    for _ in range(CONTAINER_LOOKUPS):  # bounded: a phrase in every paragraph must not make this quadratic
        pos = doc.find(pieces[0], pos)
        if pos < 0:
            break
        j = bisect.bisect_right(starts, pos) - 1
        if j != i and len(low[j]) > len(low[i]):
            holders.append(j)
        pos = starts[j + 1] if j + 1 < len(starts) else len(doc)
    if len(pieces) == 1:
        return bool(holders)
    return any(e in low[j] for j in holders for e in pieces[1:])


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DATE_LINE = re.compile(
    rf"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s)?"
    rf"(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
    rf"(?:,?\s(?:at\s)?\d{{1,2}}[:.]\d{{2}}\s?(?:[AaPp]\.?[Mm]\.?)?(?:\s?[A-Z]{{2,4}})?)?(?:\s?(?:[—–|-]|by)\s?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,3}})?"
)
EDGE_HEAD, EDGE_TAIL = 4, 2  # where a date line is a post header: the first and last paragraphs
TIMELINE_MIN = 3  # this many date lines make a timeline: none of them is a header


def date_lines(paragraphs: list[str]) -> Finding:
    """A date (and time, and author) standing alone among the first or last paragraphs: a post
    header.  In the body, and where there are several, lines of dates are a timeline and stay.

    >>> date_lines(["January 4th, 2017", "Talks ended.", "More talks.", "Still more.", "June 16, 2015", "Talks.", "Done."])
    {0: ('header', 'date_line')}
    """
    dated = [i for i, p in enumerate(paragraphs) if p and len(p) <= 100 and _DATE_LINE.fullmatch(p.strip())]
    if len(dated) > TIMELINE_MIN - 1:
        return {}
    n = len(paragraphs)
    return {i: ("header", "date_line") for i in dated if i < EDGE_HEAD or i >= n - EDGE_TAIL}


STANDFIRST_MAX = 400  # a title with its standfirst glued after it: the pair is page furniture up to this length
STANDFIRST_TITLE_WORDS = 4  # a shorter title may just be the start of the lede


def title_repeats(paragraphs: list[str], title: str | None) -> Finding:
    """The title repeated as one of the first paragraphs, alone or with the standfirst glued
    after it (the next word capitalised, as a new sentence without a full stop between).

    >>> title_repeats(["Putin meets Macron", "By Jo Lee", "Talks ended late."], "Putin Meets Macron")
    {0: ('header', 'title_repeat')}
    >>> title_repeats(["Putin meets Macron in Moscow The two leaders talked for five hours.", "Talks ended."],
    ...               "Putin meets Macron in Moscow")
    {0: ('header', 'title_standfirst')}
    >>> title_repeats(["Putin meets Macron in Moscow today, officials said.", "Talks ended."], "Putin meets Macron in Moscow")
    {}
    """
    want = words(title or "")
    if not want or len(paragraphs) < 2:
        return {}
    found: Finding = {}
    for i, p in enumerate(paragraphs[:TITLE_LOOKAHEAD]):
        if not p:
            continue
        have = words(p)
        if have == want:
            found[i] = ("header", "title_repeat")
        elif len(want) >= STANDFIRST_TITLE_WORDS and len(p) <= STANDFIRST_MAX and have[: len(want)] == want:
            rest = _after_words(p, len(want))
            if rest[:1].isupper() and p[: len(p) - len(rest)].rstrip()[-1:] not in ".!?:;,":
                found[i] = ("header", "title_standfirst")
    return found


def _after_words(text: str, n: int) -> str:
    """``text`` after its first ``n`` words (as ``words`` counts them), stripped.

    >>> _after_words("Putin meets Macron The talks", 3)
    'The talks'
    """
    for k, m in enumerate(_WORD.finditer(text), 1):
        if k == n:
            return text[m.end() :].strip()
    return ""


def _in_list(paragraphs: list[str]) -> list[bool]:
    """Whether each line stands in a list: the lines on both sides are short lines that are
    not prose (entries, names, figures).

    >>> _in_list(["Jo Lee", "Former EPA administrator", "Ana Ruiz", "The talks ended late on Monday, officials said."])
    [False, True, False, False]
    """
    short = [bool(p) and len(p) <= REPEAT_MAX_CHARS // 2 and not _is_prose(p) for p in paragraphs]
    return [0 < i < len(paragraphs) - 1 and short[i - 1] and short[i + 1] for i in range(len(paragraphs))]


def repeated_paragraphs(paragraphs: list[str]) -> Finding:
    """Short paragraphs that repeat another paragraph of the document: a pull quote (contained
    in a longer paragraph), a caption or teaser printed twice (both copies, when they are not
    sentences).  Sentences repeated whole are left: it may be prose printed twice.

    >>> repeated_paragraphs(["He said the wall would rise by 2018 and cost less than planned.",
    ...                      "the wall would rise by 2018", "The talks in Moscow ended late on Monday, officials said.",
    ...                      "Dolly Kyle in 1998", "Dolly Kyle in 1998", "The vote is due on Tuesday, the speaker of the house said."])
    {1: ('pull_quote', 'repeated_in_document'), 3: ('pull_quote', 'repeated_in_document'), 4: ('pull_quote', 'repeated_in_document')}
    """
    low = [p.lower() for p in paragraphs]
    listed = _in_list(paragraphs)
    copies: dict[str, list[int]] = {}
    for k, p in enumerate(low):
        if p:
            copies.setdefault(p.strip(_EDGE_MARKS), []).append(k)
    doc, starts = "", []
    found: Finding = {}
    for i, p in enumerate(paragraphs):
        if not p or len(p) > REPEAT_MAX_CHARS or p.count(" ") < PAIR_MIN_WORDS - 1 or listed[i]:
            continue  # an entry of a list may repeat another entry
        same = copies[low[i].strip(_EDGE_MARKS)]
        if len(same) == 2:  # a caption or teaser printed twice; three or more is a refrain or a heading
            if same[1] - same[0] <= PAIR_MAX_GAP and not _SENTENCE_END.search(p.rstrip()):
                found[i] = ("pull_quote", "repeated_in_document")
            continue
        if p.count(" ") < REPEAT_MIN_WORDS - 1 or len(_SENTENCE_BREAK.findall(p)) > 1:
            continue  # too short to tell, or prose of several sentences: a pull quote is one
        if not starts:
            doc = "\n".join(low)
            starts = list(itertools.accumulate((len(x) + 1 for x in low[:-1]), initial=0))
        if _contained_elsewhere(i, low, doc, starts):
            found[i] = ("pull_quote", "repeated_in_document")
    return found


def post_blocks(paragraphs: list[str]) -> Finding:
    """An embedded post kept as separate lines: from its "Follow" or handle line through its
    timestamp and counts lines.

    >>> post_blocks(["Prose.", "Follow", "Jo Lee @jolee", "Big day for #Kessling!", "11:22 PM - 19 Oct 2016",
    ...              "4,101 4,101 Retweets   3,957 3,957 likes", "More prose."])
    {1: ('tweet', 'post_block'), 2: ('tweet', 'post_block'), 3: ('tweet', 'post_block'), 4: ('tweet', 'post_block'), 5: ('tweet', 'post_block')}
    """
    found: Finding = {}
    for t, p in enumerate(paragraphs):
        if not p or not _POST_TIME.fullmatch(p.strip()):
            continue
        handle = next(
            (
                h
                for h in range(t - 1, max(-1, t - 2 - POST_TEXT_LINES), -1)
                if paragraphs[h] and _HANDLE_LINE.fullmatch(paragraphs[h].strip())
            ),
            None,
        )
        if handle is None:
            continue
        start = handle - 1 if handle > 0 and _FOLLOW.fullmatch(paragraphs[handle - 1].strip()) else handle
        end = t
        while end + 1 < len(paragraphs) and paragraphs[end + 1] and _POST_COUNTS.fullmatch(paragraphs[end + 1].strip()):
            end += 1
        for k in range(start, end + 1):
            found[k] = ("tweet", "post_block")
    return found


def share_runs(paragraphs: list[str]) -> Finding:
    """Lines that are only share-button words, when at least two stand together or one of
    them names a share action or a network.

    >>> share_runs(["Prose.", "Share this: Reddit", "Facebook", "More", "Prose again."])
    {1: ('share', 'share_run'), 2: ('share', 'share_run'), 3: ('share', 'share_run')}
    >>> share_runs(["More", "Prose."])
    {}
    """
    is_share = [bool(p) and len(p) <= 80 and bool(_SHARE_LINE.fullmatch(p.strip())) for p in paragraphs]
    found: Finding = {}
    i = 0
    while i < len(paragraphs):
        if not is_share[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(paragraphs) and is_share[j + 1]:
            j += 1
        run = paragraphs[i : j + 1]
        if j > i or _SHARE_ANCHOR.search(run[0]):
            for k in range(i, j + 1):
                found[k] = ("share", "share_run")
        i = j + 1
    return found


def wordless(paragraphs: list[str]) -> Finding:
    """Lines with no letter or digit: separators and stray punctuation.

    >>> wordless(["Prose.", "——-", ".", "* * *"])
    {1: ('other', 'no_words'), 2: ('other', 'no_words'), 3: ('other', 'no_words')}
    """
    return {i: ("other", "no_words") for i, p in enumerate(paragraphs) if p and not _LETTER_OR_DIGIT.search(p)}


def author_bio(paragraphs: list[str]) -> Finding:
    """An author's biography among the last paragraphs: it starts with a name and "is/has
    been ..." and speaks of writing, a post or how to reach the author.

    >>> author_bio(["The talks ended.", "Jo Lee is a contributor to the Herald and the author of two books."])
    {1: ('bio', 'author_bio')}
    >>> author_bio(["Jo Lee is a former minister who resigned in 2019.", "The talks ended."])
    {}
    """
    found: Finding = {}
    n = len(paragraphs)
    for i in range(max(1, n - BIO_LAST), n):
        p = paragraphs[i]
        if p and len(p) <= BIO_MAX_CHARS and _BIO_START.match(p) and _BIO_CUE.search(p):
            found[i] = ("bio", "author_bio")
    return found


# ASCII letters stay, digits go (a count, a date), everything else separates words
_KEY_TABLE = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))
LINE_KEY_MAX_CHARS = 400  # longer lines are prose, never site furniture
LINE_KEY_MIN_WORDS = 3


def line_key(source: str | None, line: str) -> int | None:
    """A line's identity within its source for finding repeated lines: its ASCII words,
    lowercased, without numbers (a share count, a date), with the source; None for a line too
    short or too long to be furniture.  Raw input lines and repaired paragraphs get the same
    key: mojibake and punctuation are not part of it.

    >>> line_key("a.com", "97% of readers think this story is Fact.") == line_key("a.com", "12% of readers think this story is fact")
    True
    >>> line_key("a.com", "Share"), line_key("a.com", "Add your two cents.") == line_key("b.com", "Add your two cents.")
    (None, False)
    """
    if not line or len(line) > LINE_KEY_MAX_CHARS or line.count(" ") < LINE_KEY_MIN_WORDS - 1:
        return None
    tokens = line.lower().encode("ascii", "ignore").translate(_KEY_TABLE, b"0123456789").split()
    if len(tokens) < LINE_KEY_MIN_WORDS:
        return None
    digest = hashlib.blake2b((source or "").encode() + b"\x00" + b" ".join(tokens), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def repeated_lines(paragraphs: list[str], source: str | None, keys: frozenset) -> Finding:
    """Paragraphs whose ``line_key`` is one of the run's repeated lines of this source.

    >>> keys = frozenset({line_key("a.com", "Headline: Bitcoin searches exceed Trump!")})
    >>> repeated_lines(["Headline: Bitcoin searches exceed Trump!", "Prose."], "a.com", keys)
    {0: ('boilerplate', 'repeated_across_source')}
    """
    if not keys:
        return {}
    return {
        i: ("boilerplate", "repeated_across_source")
        for i, p in enumerate(paragraphs)
        if p and line_key(source, p) in keys
    }


_FUNCTION_END = re.compile(
    r"(?i:\b(?:the|a|an|of|in|on|at|to|for|with|from|by|and|or|as|after|during|his|her|their|its|is|are)|,)$"
)
_HEADLINE_START = re.compile(r"[A-Z0-9]")
_BAD_HEADLINE_END = re.compile(r"[.,;:?…—–\"”-]$")
_NAME_APPOSITIVE = re.compile(
    r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}, [a-z]"
)  # "Jo Lee, former senator": a list of people
_CAPTION_SUBJECT_VERB = re.compile(
    r"(?:[A-Z][\w.'’-]*,?\s){1,4}(?:and [A-Z][\w'’-]*\s)?[a-z]{3,}s\b"
)  # "Obama greets", "Obama and Biden attends"
_ABBREVIATION_END = re.compile(r"\b[A-Z][a-z]{0,3}\.$")  # "on Dec." cut short, not a sentence end
_LIST_ITEM = re.compile(r"(?:[•·▪►■▶●◦‣*-]|\d{1,2}[.)])\s")
_MARKER = re.compile(r"(?i:read more|read more here|continue reading|read the full (?:story|article))[\s.:…»>-]*")
_IMAGE_NAME = re.compile(r"(?=[a-z0-9_-]*[a-z])[a-z0-9]+(?:[_-][a-z0-9]+)*")
GALLERY_MIN, GALLERY_MAX_CHARS = 4, 80  # a slideshow: this many caption lines cut at this length
HEADLINE_WORDS = (4, 15)  # a teaser headline's length in words
TEASER_BACK = 2  # lines above a "Read more": the headline and its standfirst
COPY_GAP = 3  # a caption printed twice stands this close to its copy
COPY_KEY = 12  # characters two copies share at the start; a shorter line is too short to tell
IMAGE_NAME_MIN = 4


def _headline_like(p: str) -> bool:
    """A line that reads as a headline: a few words, a capital first, no sentence or clause end,
    not a question, a quotation or a list entry of a person.

    >>> _headline_like("Republicans seek quick repeal of latest Obama regulations"), _headline_like("He said so.")
    (True, False)
    >>> _headline_like("Connie Morella, former congresswoman from Maryland"), _headline_like("Why did they abandon us?")
    (False, False)
    """
    n = p.count(" ") + 1
    return (
        HEADLINE_WORDS[0] <= n <= HEADLINE_WORDS[1]
        and bool(_HEADLINE_START.match(p))
        and not _BAD_HEADLINE_END.search(p)
        and not _SENTENCE_BREAK.search(p)
        and not _LIST_ITEM.match(p)
        and not _NAME_APPOSITIVE.match(p)
    )


def _is_prose(p: str) -> bool:
    return bool(p) and p.count(" ") >= 7 and bool(_SENTENCE_END.search(p))


def truncated_copies(paragraphs: list[str], original: list[str]) -> Finding:
    """A line that a neighbouring line starts with and continues: a caption cut short and
    printed again in full.  The longer copy must still be longer once the rules have run, or
    be gone whole (a quote printed again with a tweet glued to it stays).

    >>> truncated_copies(["Prose.", "Jo Lee speaks in Grand Rapids,", "Jo Lee speaks in Grand Rapids, Mich. (Photo: AP)"],
    ...                  ["Prose.", "Jo Lee speaks in Grand Rapids,", "Jo Lee speaks in Grand Rapids, Mich. (Photo: AP)"])
    {1: ('pull_quote', 'truncated_copy')}
    """
    found: Finding = {}
    starts: dict[str, list[int]] = {}  # lines by their first characters: only those can continue one another
    for k, o in enumerate(original):
        starts.setdefault(o[:COPY_KEY], []).append(k)
    for i, p in enumerate(paragraphs):
        if not p or len(p) > REPEAT_MAX_CHARS or p.count(" ") < PAIR_MIN_WORDS - 1:
            continue
        same = starts[original[i][:COPY_KEY]]
        head = original[i].rstrip(" ,;:")
        if len(same) < 2 or len(head) < COPY_KEY:
            continue
        for j in same:
            q = paragraphs[j]  # the longer copy as the rules left it: gone whole, or still longer
            if (
                0 < abs(j - i) <= COPY_GAP
                and len(original[j]) > len(original[i])
                and original[j].startswith(head)
                and (not q or len(q) > len(p) and q.startswith(head))
            ):
                found[i] = ("pull_quote", "truncated_copy")
                break
    return found


def teasers_before_marker(paragraphs: list[str], original: list[str]) -> Finding:
    """The headline-like lines just above a "Read more" the rules removed: the linked article's
    headline and standfirst.

    >>> teasers_before_marker(["Prose.", "Trump's cabinet looks conventional", ""], ["Prose.", "Trump's cabinet looks conventional", "Read more"])
    {1: ('related', 'teaser_before_read_more')}
    """
    found: Finding = {}
    for k, p in enumerate(paragraphs):
        if p or not original[k] or not _MARKER.fullmatch(original[k]):
            continue
        for j in range(k - 1, max(-1, k - 1 - TEASER_BACK), -1):
            q = paragraphs[j]
            if not q or len(q) > 2 * REPEAT_MAX_CHARS or _SENTENCE_END.search(q) and not q.endswith("?"):
                break
            found[j] = ("related", "teaser_before_read_more")
    return found


def teaser_runs(paragraphs: list[str]) -> Finding:
    """Two or more headline-like lines standing together between prose paragraphs (not after a
    line that introduces a list): links to related articles.

    >>> teaser_runs(["The talks ended late on Monday, officials in Moscow said.", "Republicans seek quick repeal of Obama rules",
    ...              "Small businesses can expect policy changes under Trump", "The vote is due on Tuesday, the speaker said today."])
    {1: ('related', 'teaser_run'), 2: ('related', 'teaser_run')}
    """
    found: Finding = {}
    n, i = len(paragraphs), 0
    while i < n:
        if not paragraphs[i] or not _headline_like(paragraphs[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and paragraphs[j + 1] and _headline_like(paragraphs[j + 1]):
            j += 1
        before = next((paragraphs[k] for k in range(i - 1, -1, -1) if paragraphs[k]), "")
        after = next((paragraphs[k] for k in range(j + 1, n) if paragraphs[k]), "")
        if j > i and _is_prose(before) and not before.rstrip().endswith(":") and (not after or _is_prose(after)):
            for k in range(i, j + 1):
                found[k] = ("related", "teaser_run")
        i = j + 1
    return found


def gallery_runs(paragraphs: list[str]) -> Finding:
    """A run of short lines without a sentence end, half of them or more cut after a function
    word or a comma or starting as a caption does ("Obama greets ..."): a slideshow's captions.

    >>> gallery_runs(["Obama speaks during the annual", "The Obamas take part in a reception in the", "Obama greets service members",
    ...               "Obama walks to the Oval Office after arriving at the", "Prose."])
    {0: ('caption', 'gallery_captions'), 1: ('caption', 'gallery_captions'), 2: ('caption', 'gallery_captions'), 3: ('caption', 'gallery_captions')}
    """
    short = [
        bool(p)
        and len(p) <= GALLERY_MAX_CHARS
        and p.count(" ") >= 2
        and p[0].isupper()
        and (not _SENTENCE_END.search(p) or bool(_ABBREVIATION_END.search(p)))
        for p in paragraphs
    ]  # hard-wrapped prose has lines starting in lowercase
    found: Finding = {}
    i = 0
    while i < len(paragraphs):
        if not short[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(paragraphs) and short[j + 1]:
            j += 1
        run = paragraphs[i : j + 1]
        cues = sum(bool(_FUNCTION_END.search(p) or _CAPTION_SUBJECT_VERB.match(p)) for p in run)
        if len(run) >= GALLERY_MIN and 2 * cues >= len(run):
            for k in range(i, j + 1):
                found[k] = ("caption", "gallery_captions")
        i = j + 1
    return found


def image_names(paragraphs: list[str]) -> Finding:
    """A line that is one lowercase token of letters, digits, hyphens and underscores: the file
    name of an image that stood there (not a redaction mark such as "xxxxxx").

    >>> image_names(["673-lou-dobbs-clinton-1200", "assange", "Prose.", "2016", "xxxxxxxx"])
    {0: ('caption', 'image_name'), 1: ('caption', 'image_name')}
    """
    return {
        i: ("caption", "image_name")
        for i, p in enumerate(paragraphs)
        if len(p) >= IMAGE_NAME_MIN and _IMAGE_NAME.fullmatch(p) and len(set(p)) > 2
    }


DETECTORS = (
    post_blocks,
    share_runs,
    wordless,
    date_lines,
    repeated_paragraphs,
    author_bio,
    gallery_runs,
    image_names,
    teaser_runs,
)
DETECTORS_AFTER_RULES = (truncated_copies, teasers_before_marker)  # they also read the paragraphs as they were
CATEGORIES = frozenset(
    {"header", "boilerplate", "tweet", "share", "other", "pull_quote", "bio", "related", "caption"}
)  # what the detectors report


def find_boilerplate(
    paragraphs: list[str],
    title: str | None = None,
    source: str | None = None,
    repeated: frozenset = frozenset(),
    original: list[str] | None = None,
) -> Finding:
    """Every detector on the paragraphs ("" for a paragraph already removed); the first
    detector to claim a paragraph names it.  ``repeated``: the run's repeated-line keys;
    ``original``: the paragraphs before the rules removed any (default: ``paragraphs``).

    >>> find_boilerplate(["Putin meets Macron", "Talks ended late.", "——"], "Putin meets Macron")
    {0: ('header', 'title_repeat'), 2: ('other', 'no_words')}
    """
    found = title_repeats(paragraphs, title)
    found.update(repeated_lines(paragraphs, source, repeated))
    for detect in DETECTORS_AFTER_RULES:  # first: they name what they find more precisely
        for i, what in detect(paragraphs, paragraphs if original is None else original).items():
            found.setdefault(i, what)
    for detect in DETECTORS:
        for i, what in detect(paragraphs).items():
            found.setdefault(i, what)
    return dict(sorted(found.items()))


def prose_words(paragraphs: list[str]) -> int:
    """Words in paragraphs that read as prose: at least eight words, ending as a sentence or
    a clause does (a line of verse ends with a comma).

    >>> prose_words(["Breaking News", "The talks in Moscow ended late on Monday, officials said.", "Share"])
    10
    """
    return sum(len(ws) for p in paragraphs if p and len(ws := words(p)) >= 8 and _CLAUSE_END.search(p.rstrip()))
