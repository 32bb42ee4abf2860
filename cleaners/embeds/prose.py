"""Telling embed text from prose: sentence spans, reported speech, the marks of a post,
where the text of a post or a caption starts before its signature or credit."""

from __future__ import annotations

import re

from cleaners.embeds.rules import Heuristics, load_rules  # noqa: F401 (the examples use it)

_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*\s+")
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_LINKS = re.compile(r"(?<!\w)(?:https?://|pic\.)\S+")
_TRAILING_LINKS = re.compile(r"(?:\s*(?<!\w)(?:https?://|pic\.)\S+)+\s*$")
_TAG = r"(?:[#@]\w+|[^\w\s]+|(?:https?://|pic\.)\S+)"
_ONLY_TAGS = re.compile(rf"^{_TAG}(?:\s+{_TAG})*$")


def sentence_spans(text: str, heuristics: Heuristics) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: never inside quotation marks, not after an abbreviation.

    >>> h = load_rules().heuristics
    >>> t = 'He met Mr. Putin. “We agreed. It went well,” he said. Great talks! #Nato'
    >>> [t[a:b] for a, b in sentence_spans(t, h)]
    ['He met Mr. Putin. ', '“We agreed. It went well,” he said. ', 'Great talks! #Nato']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        piece = text[start:end]
        if piece.count("“") != piece.count("”") or piece.count('"') % 2:
            continue  # inside a quotation
        if m.group(0)[0] == "." and (
            heuristics.abbreviation.search(text, max(0, m.start() - 12), m.start() + 1) or text[end : end + 1].islower()
        ):  # "(R-Ky.) has": a full stop before lowercase ends nothing
            continue
        spans.append((start, end))
        start = end
    if start < len(text) and text[start:].strip():
        tail = text[start:].strip()
        if spans and _ONLY_TAGS.match(tail):  # trailing hashtags / emoji belong to the sentence before
            spans[-1] = (spans[-1][0], len(text))
        else:
            spans.append((start, len(text)))
    return spans


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def is_reported(text: str, heuristics: Heuristics) -> bool:
    """Reported speech outside quotation marks ("..., Macron said."): prose, never embed text.

    >>> h = load_rules().heuristics
    >>> is_reported("The talks went well, Macron said.", h), is_reported("“We said no.” The talks ended.", h)
    (True, False)
    """
    return heuristics.reported_speech.search(_unquoted(text)) is not None


def is_post_like(text: str, heuristics: Heuristics, plain: str | None = None) -> bool:
    """Marks of a social-media post (outside quotation marks): hashtags, @mentions, emoji,
    "!", links, first person ("we", "our" ...), an opener such as "BREAKING" or "Thank you".

    >>> h = load_rules().heuristics
    >>> is_post_like("Great talks today! #Nato", h), is_post_like("The talks ended on Monday.", h)
    (True, False)
    """
    plain = _unquoted(text) if plain is None else plain
    return bool(
        heuristics.post_marks.search(plain)
        or heuristics.post_openers.match(plain.lstrip())
        or heuristics.post_words.search(plain)
        or ("/" in text and _LINKS.search(text))
    )


def _length(text: str) -> int:
    if "/" not in text:
        return len(text.strip())
    return len(_LINKS.sub("", text).strip())


def post_text_start(prefix: str, heuristics: Heuristics, last_sentence: bool = True) -> int:
    """Where the text of an embedded post starts in ``prefix`` (the paragraph up to its signature).

    With ``last_sentence`` (tweets, Facebook), the sentence just before the signature is post
    text unless it is reported speech that follows other text, or too long to be a post;
    without it (Instagram, whose embeds often carry no caption) only sentences with post
    marks count.  Earlier sentences join when a sentence at or before them carries post
    marks and nothing in between is reported speech; a short unmarked lead-in joins when the
    whole prefix is post-sized.  Everything else is prose and stays.

    >>> h = load_rules().heuristics
    >>> p = "Macron said on Monday that talks were useful. Great talks today! "
    >>> p[post_text_start(p, h):]
    'Great talks today! '
    >>> post_text_start("Stay safe everyone. We are on it! ", h)
    0
    >>> p = "The talks ended after five hours. "
    >>> post_text_start(p, h, last_sentence=False) == len(p)
    True
    """
    trailing = _TRAILING_LINKS.search(prefix)  # links just before the signature are the embed's
    linked = trailing is not None
    if trailing is not None:
        if not prefix[: trailing.start()].strip():
            return 0
        prefix = prefix[: trailing.start()]
    spans = sentence_spans(prefix, heuristics)
    if not spans:
        return len(prefix)
    texts = [prefix[a:b] for a, b in spans]
    n = len(spans)
    facts: dict[int, tuple[bool, bool]] = {}

    def fact(j: int) -> tuple[bool, bool]:  # (reported speech, post marks), computed lazily
        if j not in facts:
            plain = _unquoted(texts[j])
            facts[j] = (heuristics.reported_speech.search(plain) is not None, is_post_like(texts[j], heuristics, plain))
        return facts[j]

    last = texts[-1]
    if _length(last) > heuristics.post_max_chars:
        return len(prefix)
    reported, marked = fact(n - 1)
    # a link right after it marks the last sentence as post text ("Union says walkout
    # continues. pic.twitter.com/..."), unless it narrates ("..., officials said.")
    marked = marked or (linked and not heuristics.narrated.search(_unquoted(last)))
    if (n > 1 and reported and not marked) or (not last_sentence and not marked):
        return len(prefix)
    start, total = n - 1, _length(last)
    for j in range(n - 2, -1, -1):
        reported, marked = fact(j)
        if reported and not marked:
            break
        total += _length(texts[j])
        if total > heuristics.post_max_chars:
            break
        if marked:
            start = j
    if 0 < start and sum(_length(t) for t in texts) <= heuristics.post_max_chars:
        lead = prefix[: spans[start][0]]
        if _length(lead) <= heuristics.post_lead_max_chars and not any(fact(j)[0] for j in range(start)):
            start = 0
    return spans[start][0]


def _is_caption(sentence: str, heuristics: Heuristics, alone: bool) -> bool:
    if len(sentence) > heuristics.caption_max_chars or is_reported(sentence, heuristics):
        return False
    plain = _unquoted(sentence)
    if heuristics.narrated.search(plain):
        return False
    if heuristics.caption_text.search(sentence):
        return True
    return alone and not heuristics.past_tense.search(plain)


_DATELINE_START = re.compile(
    r"[A-Z][A-Z .,'’-]{2,40}(?:\([^)]{1,30}\)\s?)?[—–-]"
)  # "MOSCOW (AP) —": a story's lead, not a caption


def caption_text_start(prefix: str, heuristics: Heuristics, photo_credit: bool = False) -> int | None:
    """Where the caption before a credit starts, or None when no caption sentence is found.

    A paragraph of one sentence is a caption unless it narrates (reported speech, past or
    perfect tense, modal verbs); after other sentences, the last one is a caption only when
    it also carries caption marks (present-tense description, "(L)", "pictured" ...).
    Before a credit only a photo carries (``photo_credit``: "Photograph: ...", "(Photo: ...)"),
    one sentence is a caption whatever its tense, unless it is reported speech.

    >>> h = load_rules().heuristics
    >>> caption_text_start("Macron and Putin at the Kremlin. ", h)
    0
    >>> p = "The talks lasted five hours, officials said. Macron speaks in Moscow on Monday. "
    >>> p[caption_text_start(p, h):]
    'Macron speaks in Moscow on Monday. '
    >>> caption_text_start("The talks lasted five hours, officials said. ", h) is None
    True
    >>> caption_text_start("The leaders met for five hours on Monday. ", h) is None
    True
    >>> caption_text_start("The leaders met for five hours on Monday. ", h, photo_credit=True)
    0
    """
    if not prefix.strip():
        return 0
    spans = sentence_spans(prefix, heuristics)
    if len(spans) == 1:
        if (
            photo_credit
            and len(prefix) <= heuristics.caption_max_chars
            and not is_reported(prefix, heuristics)
            and not _DATELINE_START.match(prefix)
        ):
            return 0
        return 0 if _is_caption(prefix, heuristics, alone=True) else None
    a, b = spans[-1]
    return a if _is_caption(prefix[a:b], heuristics, alone=False) else None
