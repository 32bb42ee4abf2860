"""Applying the rules: ``strip_paragraphs`` (each paragraph on its own, with the paragraph
before or the paragraphs after where a rule says so), ``strip_embeds`` (rules, then the
structure detectors of ``cleaners.boilerplate``, then ``cleaners.residue``), and one remover
per family (``strip_family``, ``strip_tweet`` ..., ``REMOVERS``)."""

from __future__ import annotations

import re

from cleaners.boilerplate import find_boilerplate
from cleaners.edits import Edit, make_edit
from cleaners.embeds.dispatch import _allowed, _bucket, _Dispatch
from cleaners.embeds.prose import _LINKS, _length, caption_text_start, is_post_like, is_reported, post_text_start
from cleaners.embeds.rules import FAMILIES, SPAN_MODES, EmbedRule, Heuristics, RuleSet, _as_ruleset, load_rules  # noqa: F401 (the examples use it)
from cleaners.residue import has_residue, strip_residue
from cleaners.text import join_paragraphs, split_paragraphs

STEP = "embeds"


def _match_whole(text: str, buckets, pos: int = 0) -> EmbedRule | None:
    """The first rule (file order) of the right length bucket that matches ``text[pos:]`` whole."""
    dispatch = _bucket(buckets, len(text) - pos)
    return None if dispatch is None else dispatch.match(text, pos)


def _paragraph_rule(paragraph: str, rules: RuleSet, candidates: list[EmbedRule]) -> EmbedRule | None:
    """The first ``paragraph`` rule (in file order) that matches the whole paragraph, if any.

    ``candidates`` are the triggered rules whose trigger occurs in the paragraph.
    """
    n = len(paragraph)
    if n > rules.paragraph_max:
        return None
    found = _match_whole(paragraph, rules.buckets)
    for rule in candidates:
        if rule.remove != "paragraph":
            continue
        if found is not None and rules.index[id(rule)] > rules.index[id(found)]:
            break
        if n <= rule.max_chars and rule.pattern.fullmatch(paragraph) and _allowed(rule, paragraph):
            return rule
    return found


def _apply_span_rule(rule: EmbedRule, text: str, rules: RuleSet, edits: list[Edit]) -> tuple[str, bool]:
    """Apply one span rule; returns (text left, whether the match started the paragraph)."""
    if rule.remove == "match":
        pieces, last = [], 0
        for m in rule.pattern.finditer(text):
            if not _allowed(rule, m.group(0)):
                continue
            edits.append(make_edit(STEP, rule.category, m.group(0).strip(), "", rule.name))
            pieces.append(text[last : m.start()])
            last = m.end()
        if not pieces:
            return text, False
        pieces.append(text[last:])
        return _join(pieces), False
    m = rule.pattern.search(text)
    if m is None or not _allowed(rule, text):
        return text, False
    if rule.remove == "through_match":
        edits.append(make_edit(STEP, rule.category, text[: m.end()].strip(), "", rule.name))
        return text[m.end() :].strip(), False
    prefix = text[: m.start()]  # post
    at_start = not _LINKS.sub("", prefix).strip()
    start = 0 if at_start else post_text_start(prefix, rules.heuristics, rule.post_text == "last_sentence")
    edits.append(make_edit(STEP, rule.category, text[start : m.end()].strip(), "", rule.name))
    return _join([text[:start], text[m.end() :]]), at_start


# where a glued piece can start at the end of a paragraph: after a sentence end, or before
# a bracket, a dash or a copyright sign
_TAIL_BOUNDARY = re.compile(r"[.!?…)\]\"”’][.!?…)\]\"”’]*\s+")
_TAIL_OPENERS = (("(", " ("), ("[", " ["), ("—", " —"), ("–", " –"), ("©", " ©"))
TAIL_TRIES = 4  # trailing pieces tried per paragraph end (the last 1, 2, 3, 4 sentences)


def _has_opener(text: str, lo: int) -> bool:
    """Whether ``text[lo:]`` has a bracket, a dash or a copyright sign (one of
    ``_TAIL_OPENERS``); str.find is quicker than a regex search here.

    >>> _has_opener("Talks ended (AP)", 0), _has_opener("Talks ended. AP", 0), _has_opener("(AP) Talks", 1)
    (True, False, False)
    """
    return (
        text.find("(", lo) >= 0
        or text.find("[", lo) >= 0
        or text.find("—", lo) >= 0
        or text.find("–", lo) >= 0
        or text.find("©", lo) >= 0
    )


def _tail_starts(text: str, lo: int) -> list[int]:
    """Candidate starts of a glued trailing piece, latest first.

    >>> t = "Roy speaks. (William B. Plowman/Getty Images)"
    >>> [t[k:] for k in _tail_starts(t, 0)]
    ['(William B. Plowman/Getty Images)']
    """
    starts = [m.end() for m in _TAIL_BOUNDARY.finditer(text, lo)]
    if _has_opener(text, lo):
        for _char, opener in _TAIL_OPENERS:
            k = text.rfind(opener, lo)
            if k >= 0 and k + 1 not in starts:
                starts.append(k + 1)
                starts.sort()
    n = len(text)
    if starts and starts[-1] >= n:
        starts.pop()
    if text.endswith(")"):  # a piece that closes a bracket it does not open starts inside a credit ("B. Plowman/AP)")
        starts = [k for k in starts if text.count("(", k) >= text.count(")", k)]
    return starts[: -TAIL_TRIES - 1 : -1]


def _strip_tail(text: str, rules: RuleSet, edits: list[Edit]) -> str:
    """Remove glued teasers, credits and captions from the end of a paragraph."""
    h = rules.heuristics
    buckets = rules.tail_buckets
    for _ in range(3):  # several pieces may be glued one after the other
        n = len(text)
        for s in _tail_starts(text, max(0, n - rules.tail_max)):
            dispatch = buckets[n - s] if n - s < len(buckets) else None  # _bucket, inlined: a hot loop
            rule = None if dispatch is None else dispatch.match(text, s)
            start = None if rule is None else _tail_rule_start(text, s, dispatch, rule, h, edits)
            if start is not None:
                text = text[:start].rstrip()
                break
        else:
            return text
        if not text:
            return text
    return text


def _tail_rule_start(
    text: str, s: int, dispatch: _Dispatch, rule: EmbedRule, h: Heuristics, edits: list[Edit]
) -> int | None:
    """Where to cut when ``rule`` (the first of ``dispatch`` to match ``text[s:]``) or a later
    tail rule applies (None: none does); records the edit."""
    while rule is not None:
        start = s
        if rule.remove == "caption":
            photo = h.photo_credit is not None and h.photo_credit.fullmatch(text, s) is not None
            found = caption_text_start(text[:s], h, photo)
            if found is not None:
                start = found
            elif not rule.credit_alone:  # a bare credit without a caption: try the next rules
                k = dispatch.rules.index(rule) + 1
                rule = next(
                    (r for r in dispatch.rules[k:] if r.pattern.fullmatch(text, s) and _allowed(r, text[s:])), None
                )
                continue
        edits.append(make_edit(STEP, rule.category, text[start:].strip(), "", rule.name))
        return start
    return None


def _join(pieces: list[str]) -> str:
    left, right = pieces[0].rstrip(), "".join(pieces[1:]).strip()
    if not left or not right:
        return left or right
    sep = "" if right[0] in ".,;:!?)]”’" else " "
    return left + sep + right


def _previous_is_post(text: str, mode: str, h: Heuristics) -> int | None:
    """Where the post text starts in the paragraph before a lone signature (None: not a post)."""
    if not text or _length(text) > 2 * h.post_max_chars:
        return None
    if _length(text) <= h.post_max_chars and not is_reported(text, h):
        if mode == "unless_reported" or is_post_like(text, h):
            return 0
    start = post_text_start(text, h)  # post text glued after prose: only with post marks
    if start < len(text) and is_post_like(text[start:], h):
        return start
    return None


def strip_paragraph(paragraph: str, rules, edits: list[Edit]) -> str:
    """Apply every rule to one paragraph; returns what is left ("" when all of it went).

    >>> rules = load_rules()
    >>> edits = []
    >>> strip_paragraph("Obama wrote on Twitter that talks went well.", rules, edits), edits
    ('Obama wrote on Twitter that talks went well.', [])
    >>> strip_paragraph("Great talks pic.twitter.com/abc — Jo (@jo) February 7, 2022", rules, edits)
    ''
    >>> edits[0]["kind"]
    'tweet'
    """
    out, per = strip_paragraphs([paragraph], rules)
    edits.extend(per[0])
    return out[0]


def strip_paragraphs(paragraphs: list[str], rules=None, _doc: str | None = None) -> tuple[list[str], list[list[Edit]]]:
    """Strip a list of paragraphs: one result per paragraph ("" when it went) and its edits.

    >>> strip_paragraphs(["Putin spoke.", "Advertisement", "Macron replied. Read more: Macron in Kyiv"])[0]
    ['Putin spoke.', '', 'Macron replied.']
    """
    rules = _as_ruleset(rules)
    h = rules.heuristics
    out = list(paragraphs)
    edits: list[list[Edit]] = [[] for _ in paragraphs]
    found = rules.doc_triggers(_doc if _doc is not None else "\n".join(paragraphs)) if rules.triggered else ()
    then: EmbedRule | None = None
    then_left = 0
    for i, text in enumerate(paragraphs):
        if not text:
            continue
        if then is not None and then_left > 0 and then.then.fullmatch(text):
            edits[i].append(make_edit(STEP, then.category, text, "", then.name))
            out[i] = ""
            then_left -= 1
            continue
        then = None
        candidates = rules.candidates(text, found) if found else []
        rule = _paragraph_rule(text, rules, candidates)
        if rule is not None:
            edits[i].append(make_edit(STEP, rule.category, text, "", rule.name))
            out[i] = ""
            if rule.then is not None:
                then, then_left = rule, rule.then_max
            continue
        before = len(edits[i])
        span_rules = [r for r in candidates if r.remove in SPAN_MODES]
        if rules.always_span:
            span_rules = sorted(span_rules + list(rules.always_span), key=lambda r: rules.index[id(r)])
        for rule in span_rules:
            n_edits = len(edits[i])
            text, at_start = _apply_span_rule(rule, text, rules, edits[i])
            if len(edits[i]) == n_edits:
                continue
            if at_start and rule.previous != "never" and i > 0 and out[i - 1]:
                start = _previous_is_post(out[i - 1], rule.previous, h)
                if start is not None:
                    edits[i - 1].append(make_edit(STEP, rule.category, out[i - 1][start:].strip(), "", rule.name))
                    out[i - 1] = out[i - 1][:start].strip()
            if not text:
                break
        if text and rules.tail_max:
            text = _strip_tail(text, rules, edits[i])
        if text and len(edits[i]) > before:  # what is left may now be boilerplate on its own
            rule = _paragraph_rule(text, rules, rules.candidates(text, found) if found else [])
            if rule is not None:
                edits[i].append(make_edit(STEP, rule.category, text, "", rule.name))
                text = ""
        out[i] = text
    return out, edits


def embeds_state(
    text: str,
    rules=None,
    title: str | None = None,
    categories: frozenset | None = None,
    source: str | None = None,
    repeated: frozenset = frozenset(),
) -> tuple[list[str], list[str], list[list[Edit]]]:
    """The paragraphs before and after the rules, detectors and residue patterns, and each
    paragraph's edits ("" for a paragraph that went): what ``strip_embeds`` joins (and what a
    second stage would read, evals/embeds/experiments/second_stage_model.py).

    >>> embeds_state("Putin spoke.\\n\\nAdvertisement")[1]
    ['Putin spoke.', '']
    """
    original = split_paragraphs(text)
    out, per = strip_paragraphs(original, rules, _doc=text)
    for i, (category, detector) in find_boilerplate(out, title, source, repeated, original).items():
        if categories is not None and category not in categories:
            continue
        per[i].append(make_edit(STEP, category, out[i], "", detector))
        out[i] = ""
    for i, paragraph in enumerate(out if has_residue(text) else ()):  # last: whatever the clean suite calls residue
        if paragraph:
            left, found = strip_residue(paragraph, categories)
            if found:
                out[i] = left
                per[i].extend(make_edit(STEP, category, removed, "", name) for category, name, removed in found)
    return original, out, per


def strip_embeds(
    text: str,
    rules=None,
    title: str | None = None,
    categories: frozenset | None = None,
    source: str | None = None,
    repeated: frozenset = frozenset(),
) -> tuple[str, list[Edit]]:
    """Remove embeds and boilerplate from cleaned text (paragraphs split by blank lines): the
    rules first, then the structure detectors of ``cleaners.boilerplate`` (``title`` lets them
    find the title repeated into the body, ``repeated`` the lines that recur across documents
    of ``source`` in the run), then the residue the clean suite looks for
    (``cleaners.residue``); ``categories`` keeps only those families' findings.

    >>> strip_embeds("Putin spoke.\\n\\nAdvertisement\\n\\nMacron replied.")
    ('Putin spoke.\\n\\nMacron replied.', [{'step': 'embeds', 'kind': 'ad', 'before': 'Advertisement', 'after': '', 'rule': 'advertisement'}])
    """
    _, out, per = embeds_state(text, rules, title, categories, source, repeated)
    edits = [e for es in per for e in es]
    if not edits:
        return text, edits
    return join_paragraphs(out), edits


def strip_family(text: str, family: str, rules=None) -> tuple[str, list[Edit]]:
    """Apply only one family's rules (``tweet``, ``caption``, ``credit`` ...).

    >>> strip_family("Putin spoke.\\n\\nAdvertisement\\n\\nRead more: Macron in Kyiv", "ad")[0]
    'Putin spoke.\\n\\nRead more: Macron in Kyiv'
    """
    return strip_embeds(text, _as_ruleset(rules).family(family), categories=frozenset({family}))


def _family_remover(family: str):
    def remover(text: str, rules=None) -> tuple[str, list[Edit]]:
        return strip_family(text, family, rules)

    remover.__name__ = remover.__qualname__ = f"strip_{family}"
    remover.__doc__ = f"Remove {family} residue only: ``strip_family(text, {family!r})``."
    return remover


strip_tweet = _family_remover("tweet")
strip_instagram = _family_remover("instagram")
strip_facebook = _family_remover("facebook")
strip_youtube = _family_remover("youtube")
strip_caption = _family_remover("caption")
strip_credit = _family_remover("credit")
strip_related = _family_remover("related")
strip_share = _family_remover("share")
strip_ad = _family_remover("ad")
strip_header = _family_remover("header")
strip_other = _family_remover("other")
strip_source = _family_remover("source")
strip_cta = _family_remover("cta")
strip_comments = _family_remover("comments")
strip_nav = _family_remover("nav")
strip_disclaimer = _family_remover("disclaimer")
strip_bio = _family_remover("bio")
strip_pull_quote = _family_remover("pull_quote")
strip_boilerplate = _family_remover("boilerplate")
REMOVERS = {f: globals()[f"strip_{f}"] for f in FAMILIES}
