"""Strip embedded social media and boilerplate (tweets, captions, credits, teasers ...).

The patterns live in ``cleaners/rules/embeds.toml`` (documented there); this module only
loads, checks and applies them.  Every removed span becomes an edit whose ``kind`` is the
rule's category (``tweet``, ``caption``, ``credit`` ...), so users can see what went.

Text convention: paragraphs separated by one blank line, no other newlines.  Each paragraph
is handled on its own, except that a rule may also take the paragraph before it (the text of
a tweet whose signature line is a paragraph of its own) or the paragraphs after it (the list
under a "Related stories" heading).  Per paragraph:

1. ``paragraph`` rules: when one matches the whole paragraph, the paragraph goes.
2. Span rules, in file order, each on what is left: ``through_match``, ``match`` and
   ``post`` (an embed's signature and the post text before it).
3. The end of the paragraph: ``caption`` rules (a credit, with the caption sentence before
   it) and paragraph rules marked ``glued_end`` (a "Read more: ..." teaser, a credit line,
   a syndication note glued after prose) are tried on the trailing sentences.
4. What is left after a change is checked once more against the ``paragraph`` rules.

Where an embed is glued to prose, only the embed goes: text before a signature or a credit
is cut at a sentence boundary, and a sentence that reports speech ("..., Macron said.") is
never taken as embed text.  Removing content is the worst error, so when in doubt the text
stays.

One remover per family: ``strip_family(text, "tweet")`` (or ``strip_tweet(text)`` ...)
applies only that family's rules; ``strip_embeds`` applies all of them.

Speed: the paragraph rules of each length bucket run as one combined regex; the end-of-
paragraph rules likewise; rules with a ``trigger`` only run where the trigger occurs (looked
for once per document).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cleaners.boilerplate import find_boilerplate
from cleaners.edits import Edit, make_edit
from cleaners.residue import has_residue, strip_residue
from cleaners.text import join_paragraphs, split_paragraphs

STEP = "embeds"
FAMILIES = ("tweet", "instagram", "facebook", "youtube", "caption", "credit", "related", "share", "ad", "header", "other",
            "source", "cta", "comments", "nav", "disclaimer", "bio", "pull_quote", "boilerplate")
CATEGORIES = frozenset(FAMILIES)
REMOVE_MODES = frozenset({"paragraph", "through_match", "match", "post", "caption"})
SPAN_MODES = frozenset({"through_match", "match", "post"})
PREVIOUS_MODES = frozenset({"never", "if_marked", "unless_reported"})
POST_TEXT_MODES = frozenset({"last_sentence", "if_marked"})
DEFAULT_RULES = Path(__file__).parent / "rules" / "embeds.toml"

RULE_KEYS = frozenset(
    {"name", "category", "remove", "pattern", "example", "examples", "not_examples", "trigger", "unless",
     "max_chars", "then", "then_max", "previous", "credit_alone", "post_text", "glued_end"}
)
HEURISTIC_KEYS = {
    "reported_speech": "words",
    "post_marks": "regex",
    "post_words": "words",
    "post_openers": "regex",
    "caption_text": "regex",
    "narrated": "regex",
    "past_tense": "regex",
    "abbreviation": "regex",
    "post_max_chars": "int",
    "post_lead_max_chars": "int",
    "caption_max_chars": "int",
    "photo_credit": "regex",
}
_MACRO = re.compile(r"\{\{(\w+)\}\}")
_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


class EmbedRuleError(ValueError):
    """A rule in an embeds rules file is malformed; the message names the rule."""


@dataclass(frozen=True)
class EmbedRule:
    name: str
    category: str
    remove: str
    pattern: re.Pattern
    trigger: tuple[str, ...] = ()
    unless: re.Pattern | None = None
    max_chars: int = 1000
    then: re.Pattern | None = None
    then_max: int = 8
    previous: str = "never"
    credit_alone: bool = True
    post_text: str = "last_sentence"
    glued_end: bool = False


@dataclass(frozen=True)
class Heuristics:
    """How embed text is told apart from prose (the ``[heuristics]`` table of the rules file)."""

    reported_speech: re.Pattern
    post_marks: re.Pattern
    post_words: re.Pattern
    post_openers: re.Pattern
    caption_text: re.Pattern
    narrated: re.Pattern
    past_tense: re.Pattern
    abbreviation: re.Pattern
    post_max_chars: int = 300
    post_lead_max_chars: int = 60
    caption_max_chars: int = 400
    photo_credit: re.Pattern | None = None


class RuleSet(tuple):
    """The checked rules of one file (a tuple of :class:`EmbedRule`) plus its heuristics,
    with the matchers precompiled for speed."""

    heuristics: Heuristics
    origin: str

    def __new__(cls, rules, heuristics: Heuristics, origin: str = "<rules>"):
        self = super().__new__(cls, rules)
        self.heuristics = heuristics
        self.origin = origin
        self._prepare()
        return self

    def _prepare(self) -> None:
        self.index = {id(r): i for i, r in enumerate(self)}
        paragraph = [r for r in self if r.remove == "paragraph"]
        self.paragraph_max = max((r.max_chars for r in paragraph), default=0)
        # untriggered paragraph rules: one combined regex per length bucket
        self.buckets = _buckets([r for r in paragraph if not r.trigger])
        # end-of-paragraph rules: glued paragraph rules and caption credits
        tail = [r for r in self if r.remove == "caption" or r.glued_end]
        self.tail_buckets = _buckets(tail)
        self.tail_max = max((r.max_chars for r in tail), default=0)
        # triggered rules run only where a trigger (a case-sensitive literal) occurs
        self.triggered: dict[str, list[EmbedRule]] = {}
        for r in self:
            for t in r.trigger:
                self.triggered.setdefault(t, []).append(r)
        self.always_span = tuple(r for r in self if r.remove in SPAN_MODES and not r.trigger)
        self._families: dict[str, RuleSet] = {}

    def __reduce__(self):  # picklable (e.g. sent to a worker process)
        return (_rebuild, (tuple(self), self.heuristics, self.origin, getattr(self, "defines", None)))

    def doc_triggers(self, text: str) -> tuple[str, ...]:
        """The triggers that occur anywhere in a document."""
        return tuple(t for t in self.triggered if t in text)

    def candidates(self, text: str, found: tuple[str, ...]) -> list[EmbedRule]:
        """Triggered rules whose trigger occurs in this paragraph, in file order."""
        hit: dict[int, EmbedRule] = {}
        for t in found:
            if t in text:
                for r in self.triggered[t]:
                    hit[self.index[id(r)]] = r
        return [hit[i] for i in sorted(hit)]

    def family(self, category: str) -> "RuleSet":
        """The rules of one category, as a rule set of their own."""
        if category not in CATEGORIES:
            raise ValueError(f"unknown embeds family {category!r} (known: {', '.join(FAMILIES)})")
        if category not in self._families:
            self._families[category] = RuleSet(
                (r for r in self if r.category == category), self.heuristics, f"{self.origin}[{category}]"
            )
        return self._families[category]


def _rebuild(rules, heuristics, origin, defines) -> RuleSet:
    out = RuleSet(rules, heuristics, origin)
    if defines is not None:
        out.defines = defines
    return out


def _buckets(rules: list[EmbedRule]) -> list["_Dispatch | None"]:
    """The matcher for each text length: a rule joins the buckets up to its max_chars
    (index = length; lengths past the end have no rule)."""
    table: list[_Dispatch | None] = []
    for limit in sorted({r.max_chars for r in rules}):
        dispatch = _Dispatch(tuple(r for r in rules if r.max_chars >= limit))
        table.extend([dispatch] * (limit + 1 - len(table)))
    return table


class _Dispatch:
    """Whole-text matching of many rules at once, dispatched on how the text starts.

    Each rule's pattern is split into its top-level alternatives.  From the parsed pattern
    we read each alternative's literal prefix (lowercased) and the characters it can start
    with.  For a text, only the alternatives that can match its first three characters are
    tried, in file order: the first that matches the whole text names the rule.  When every
    alternative stands on its own (no backreferences, no shared group names) each is
    compiled once and tried in turn; otherwise they are combined into one regex (the same
    answer: the first branch that matches), cached per set of alternatives.
    """

    KEYS_MAX = 50_000

    def __init__(self, rules: tuple[EmbedRule, ...]):
        self.rules = rules
        self.alts: list[tuple[int, str, frozenset | None, frozenset | None]] = []  # (rule, source, starts, first chars)
        for i, rule in enumerate(rules):
            for src in _alternatives(rule.pattern):
                prefix, first = _start_of(src, rule.pattern.flags)
                self.alts.append((i, src, prefix, first))
        self.start_index = _start_index(self.alts)
        self.singles = _single_patterns(self.alts)
        self.by_key: dict[str, tuple] = {}
        self.by_subset: dict[tuple[int, ...], tuple] = {}

    def _entry(self, key: str) -> tuple:
        subset = _alts_for(key, self.alts, self.start_index)
        entry = self.by_subset.get(subset)
        if entry is None and self.singles is not None:
            owners = tuple(self.alts[k][0] for k in subset)
            singles = tuple((*self.singles[k], self.alts[k][0]) for k in subset)
            entry = self.by_subset[subset] = (None, owners, {}, singles)
        if entry is None:
            owners = tuple(self.alts[k][0] for k in subset)
            combined, by_group = None, {}
            if subset:
                try:
                    combined = re.compile("|".join(f"(?P<_a{j}>{self.alts[k][1]})" for j, k in enumerate(subset)))
                    by_group = {combined.groupindex[f"_a{j}"]: owners[j] for j in range(len(subset))}
                except re.error:  # e.g. two rules use the same group name: match rule by rule
                    combined = None
            entry = self.by_subset[subset] = (combined, owners, by_group, None)
        if len(self.by_key) > self.KEYS_MAX:
            self.by_key.clear()
        self.by_key[key] = entry
        return entry

    def match(self, text: str, pos: int = 0) -> EmbedRule | None:
        """The first rule (file order) whose pattern matches ``text[pos:]`` whole and is allowed."""
        key = text[pos: pos + 3]
        entry = self.by_key.get(key)
        if entry is None:
            entry = self._entry(key)
        combined, owners, by_group, singles = entry
        if not owners:
            return None
        first = 0
        if singles is not None:
            first = _first_fullmatch(singles, text, pos)
            if first is None:
                return None
            if _allowed(self.rules[first], text[pos:]):
                return self.rules[first]
            first += 1
        elif combined is not None:
            m = combined.fullmatch(text, pos)
            if m is None:
                return None
            first = by_group[m.lastindex]
            if _allowed(self.rules[first], text[pos:]):
                return self.rules[first]
            first += 1
        for i in sorted(set(owners)):
            if i >= first:
                rule = self.rules[i]
                if rule.pattern.fullmatch(text, pos) and _allowed(rule, text[pos:]):
                    return rule
        return None


def _has_reference(src: str) -> bool:
    """Whether a regex source refers to a group (a backreference or a conditional), or
    cannot be parsed.

    >>> _has_reference(r"(a)\\1"), _has_reference(r"(?P<x>a)(?(x)b)"), _has_reference(r"\\(?(?:AP)\\)?")
    (True, True, False)
    """
    from re import _constants as C, _parser as P

    try:
        tree = P.parse(src)
    except re.error:
        return True
    refs = (C.GROUPREF, C.GROUPREF_EXISTS)

    def walk(node) -> bool:
        if isinstance(node, P.SubPattern):
            return any(op in refs or walk(av) for op, av in node.data)
        if isinstance(node, (list, tuple)):
            return any(walk(x) for x in node)
        return False

    return walk(tree)


def _single_patterns(alts) -> tuple[tuple[re.Pattern, str], ...] | None:
    """Each alternative compiled on its own, as it is in the combined regex
    (``(?P<_aN>...)``), with a literal every match contains (see ``_required_literal``);
    or None when one of them would not mean the same there: a backreference or
    conditional, a group name shared with another alternative or like the combined
    regex's own, or a source that does not compile in a group.

    >>> [(p.pattern, lit) for p, lit in _single_patterns([(0, "ab", None, None), (1, "(?P<x>c)+ said", None, None)])]
    [('(?P<_a0>ab)', ''), ('(?P<_a0>(?P<x>c)+ said)', ' said')]
    >>> _single_patterns([(0, "(?P<x>a)", None, None), (1, "(?P<x>c)", None, None)]) is None
    True
    """
    names: set[str] = set()
    out = []
    for _, src, _, _ in alts:
        single = _single_pattern(src)
        if single is None:
            return None
        own = set(single.groupindex) - {"_a0"}
        if own & names or any(name.startswith("_a") for name in own):
            return None
        names |= own
        out.append((single, _required_literal(src)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _single_pattern(src: str) -> re.Pattern | None:
    """``(?P<_a0>src)`` compiled, or None when ``src`` refers to a group or does not compile."""
    if _has_reference(src):
        return None
    try:
        return re.compile(f"(?P<_a0>{src})")
    except re.error:
        return None


def _first_fullmatch(singles, text: str, pos: int) -> int | None:
    """The rule of the first (pattern, required literal, rule) whose pattern matches
    ``text[pos:]`` whole; a pattern is not tried where its literal does not occur.

    >>> _first_fullmatch(((re.compile("a+"), "a", 0), (re.compile("b"), "", 1)), "xb", 1)
    1
    """
    for pattern, needle, owner in singles:
        if (not needle or text.find(needle, pos) >= 0) and pattern.fullmatch(text, pos):
            return owner
    return None


REQUIRED_MIN = 4  # shorter literals are not worth looking for before a match


@lru_cache(maxsize=4096)
def _required_literal(src: str) -> str:
    """The longest run of literal characters (case-sensitive, at least ``REQUIRED_MIN``)
    that every match of a regex source contains, or "" (none, or not known).

    >>> _required_literal(r"(?:\\S+\\s){1,30}?contributed (?:to|for) this"), _required_literal("(?i:read more)")
    ('contributed ', '')
    >>> _required_literal(r"\\((?:AP|AFP) Photo(?:/\\w+)+\\)"), _required_literal("(?:ab|cd)x")
    (' Photo', '')
    """
    from re import _constants as C, _parser as P

    try:
        tree = P.parse(src)
    except re.error:
        return ""
    if tree.state.flags & re.IGNORECASE:
        return ""
    best = max(_literal_runs(tree.data, C), key=len, default="")
    return best if len(best) >= REQUIRED_MIN else ""


def _literal_runs(items, C) -> list[str]:
    """Runs of literal characters that every match of the parsed sequence ``items`` contains:
    literals in a row, through groups without ``(?i)``; inside a repeat that must occur,
    runs of their own."""
    runs: list[str] = []
    cur: list[str] = []

    def walk(seq) -> None:
        for op, av in seq:
            if op is C.LITERAL:
                cur.append(chr(av))
                continue
            if op is C.SUBPATTERN and not (av[1] & re.IGNORECASE):
                walk(av[3].data if hasattr(av[3], "data") else av[3])  # in line: contiguous
                continue
            runs.append("".join(cur))
            cur.clear()
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
                sub = av[2]
                runs.extend(_literal_runs(sub.data if hasattr(sub, "data") else sub, C))

    walk(items)
    runs.append("".join(cur))
    return runs


def _start_index(alts) -> tuple[dict, dict, tuple, tuple]:
    """Indexes of ``_Dispatch.alts`` by their possible starts, for ``_alts_for``:
    (start -> alternatives, every head of a start -> alternatives, alternatives that may
    start with any non-ASCII character, alternatives known only by their first characters).

    >>> by_start, by_head, non_ascii, by_first = _start_index([(0, "ab", frozenset({"ab"}), None)])
    >>> by_start, sorted(by_head), non_ascii, by_first
    ({'ab': [0]}, ['', 'a', 'ab'], (), ())
    """
    by_start: dict[str, list[int]] = {}
    by_head: dict[str, list[int]] = {}
    non_ascii: list[int] = []
    by_first: list[int] = []
    for k, (_, _, starts, _) in enumerate(alts):
        if starts is None:
            by_first.append(k)
            continue
        for p in starts:
            by_start.setdefault(p, []).append(k)
            for i in range(len(p) + 1):
                by_head.setdefault(p[:i], []).append(k)
            if p == "\x80":
                non_ascii.append(k)
    return by_start, by_head, tuple(non_ascii), tuple(by_first)


def _alts_for(key: str, alts, index) -> tuple[int, ...]:
    """The alternatives (indexes into ``alts``, in order) that can match a text starting
    with ``key``: a start of theirs begins ``key`` (lowercased) or ``key`` begins one of
    their starts, or (start unknown) ``key``'s first character can start them.

    >>> alts = [(0, "ab", frozenset({"ab"}), None), (1, "x", frozenset({"\x80"}), None), (2, "c", None, frozenset("c"))]
    >>> _alts_for("Abc", alts, _start_index(alts)), _alts_for("a", alts, _start_index(alts))
    ((0,), (0,))
    >>> _alts_for("éa", alts, _start_index(alts)), _alts_for("cab", alts, _start_index(alts))
    ((1,), (2,))
    """
    by_start, by_head, non_ascii, by_first = index
    low = key.lower()
    hit: set[int] = set()
    for i in range(1, len(low) + 1):  # low.startswith(p)
        found = by_start.get(low[:i])
        if found:
            hit.update(found)
    found = by_head.get(low)  # p.startswith(low)
    if found:
        hit.update(found)
    if non_ascii and low[:1] > "\x7f":
        hit.update(non_ascii)
    for k in by_first:
        first = alts[k][3]
        if first is None or key[0] in first or (key[0] > "\x7f" and "\x80" in first):
            hit.add(k)
    return tuple(sorted(hit))


_GROUP_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-[imsx]+)?:")


def _alternatives(pattern: re.Pattern) -> list[str]:
    """The top-level alternatives of a pattern's source (inside one enclosing group), each
    self-contained; the whole source when it cannot be split safely (backreferences)."""
    src = pattern.pattern
    if "\\g<" in src or re.search(r"\\[1-9]|\(\?P=|\(\?\(", src):
        return [src]
    flags = ""
    m = _GLOBAL_FLAGS.match(src)
    if m:
        flags, src = m.group(1), src[m.end():]
    for _ in range(5):  # descend into groups that enclose the whole pattern
        inner = _enclosed(src)
        if inner is None:
            break
        head, body = inner
        g = _GROUP_FLAGS.fullmatch(head)
        if head == "(?:":
            src = body
        elif g and "-" not in head and "L" not in g.group(1):
            flags += g.group(1)
            src = body
        else:
            break
    parts = _split_top(src)
    if len(parts) < 2 and not flags:
        return [pattern.pattern]
    wrap = (lambda p: f"(?{flags}:{p})") if flags else (lambda p: p)
    return [wrap(p) for p in parts]


def _scan(src: str):
    """Yield (index, char, depth) for characters of a regex source outside classes and escapes."""
    depth, i, n = 0, 0, len(src)
    while i < n:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            j = i + 1
            if j < n and src[j] == "^":
                j += 1
            if j < n and src[j] == "]":
                j += 1
            while j < n and src[j] != "]":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            yield i, ch, depth
            depth += 1
        elif ch == ")":
            depth -= 1
            yield i, ch, depth
        else:
            yield i, ch, depth
        i += 1


def _enclosed(src: str) -> tuple[str, str] | None:
    """(group head, body) when one group encloses the whole source, else None."""
    if not src.startswith("(") or not src.endswith(")") or src.startswith("(?P<") or src.startswith("(?="):
        return None
    for i, ch, depth in _scan(src):
        if ch == ")" and depth == 0:
            if i != len(src) - 1:
                return None
            head = re.match(r"\((?:\?[aiLmsux-]*:)?", src).group(0)
            if head == "(":  # a capturing group: keep it whole
                return None
            return head, src[len(head):-1]
    return None


def _split_top(src: str) -> list[str]:
    parts, last = [], 0
    for i, ch, depth in _scan(src):
        if ch == "|" and depth == 0:
            parts.append(src[last:i])
            last = i + 1
    parts.append(src[last:])
    return parts


def _start_of(src: str, flags: int = 0) -> tuple[frozenset | None, frozenset | None]:
    """(possible lowercased starts, characters a match can start with) of a regex source.

    The starts are up to PREFIX_LEN characters long (None: unknown); the first-character
    set is None when any character may start a match; "\\x80" in it stands for "any
    non-ASCII character".

    >>> sorted(_start_of("(?i:Read more|see also):")[0])
    ['rea', 'see']
    >>> sorted(_start_of(r"\\(?(?:AP|AFP)\\)?")[0])
    ['(af', '(ap', 'afp', 'ap', 'ap)']
    >>> _start_of("(?i:ad|b)")[1] == frozenset("AaBb")
    True
    >>> _start_of(r"\\S+ x")
    (None, None)
    """
    try:
        from re import _constants as C, _parser as P

        tree = P.parse(src, flags)
    except Exception:  # noqa: BLE001 - a parser we cannot read: no dispatch
        return "", None
    ignore = bool(tree.state.flags & re.IGNORECASE)
    starts = {t for t, _ in _prefixes(tree.data, C)}
    prefix = None if "" in starts else frozenset(starts)
    try:
        chars, nullable = _first_seq(tree.data, ignore, C)
    except _Any:
        return prefix, None
    return prefix, (None if nullable else frozenset(chars))


PREFIX_LEN = 3
_PREFIX_SET_MAX = 256


def _prefixes(items, C) -> set[tuple[str, bool]]:
    """Possible starts of a match, lowercased, as (text, open) pairs: text up to PREFIX_LEN
    characters; ``open`` when the text could continue literally (used while combining)."""
    cur = {("", True)}
    for op, av in items:
        opts = _item_prefixes(op, av, C)
        nxt = set()
        for text, is_open in cur:
            if not is_open or len(text) >= PREFIX_LEN:
                nxt.add((text, False))
                continue
            for t, o in opts:
                joined = text + t
                nxt.add((joined[:PREFIX_LEN], o and len(joined) < PREFIX_LEN))
        if len(nxt) > _PREFIX_SET_MAX:
            nxt = {(t[:1], False) for t, _ in nxt}
        cur = nxt
        if not any(o for _, o in cur):
            break
    return cur


def _item_prefixes(op, av, C) -> set[tuple[str, bool]]:
    if op is C.LITERAL:
        return {(chr(av).lower(), True)}
    if op is C.CATEGORY and av in _CATEGORY_PREFIXES:
        return {(ch, False) for ch in _CATEGORY_PREFIXES[av]}
    if op is C.IN and len(av) == 1 and av[0][0] is C.CATEGORY and av[0][1] in _CATEGORY_PREFIXES:
        return {(ch, False) for ch in _CATEGORY_PREFIXES[av[0][1]]}
    if op is C.IN and all(kind is C.LITERAL for kind, _ in av) and len(av) <= 12:
        return {(chr(v).lower(), True) for _, v in av}
    if op is C.BRANCH:
        return set().union(*(_prefixes(b, C) for b in av[1]))
    if op is C.SUBPATTERN:
        sub = av[3]
        return _prefixes(sub.data if hasattr(sub, "data") else sub, C)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        inner = _prefixes(sub.data if hasattr(sub, "data") else sub, C)
        if hi != 1:  # one or more repetitions: stop after the first
            inner = {(t, False) for t, _ in inner}
        return inner | ({("", True)} if lo == 0 else set())
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return {("", True)}
    return {("", False)}


class _Any(Exception):
    pass


def _category_chars() -> dict:
    from re import _constants as C

    ascii_word = {chr(c) for c in range(128) if chr(c).isalnum()} | {"_"}
    # "\x80" stands for any non-ASCII character (\d, \s and \w also match some)
    return {
        C.CATEGORY_DIGIT: set("0123456789") | {"\x80"},
        C.CATEGORY_SPACE: set(" \t\n\r\f\v\x1c\x1d\x1e\x1f") | {"\x80"},
        C.CATEGORY_WORD: ascii_word | {"\x80"},
    }


_CATEGORY_CHARS = _category_chars()
# \d and \s as possible starts ("\x80": any non-ASCII character)
_CATEGORY_PREFIXES = {k: v for k, v in _CATEGORY_CHARS.items() if len(v) < 20}


def _first_seq(items, ignore: bool, C) -> tuple[set, bool]:
    out: set = set()
    for op, av in items:
        chars, nullable = _first_item(op, av, ignore, C)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _cased(code: int, ignore: bool) -> set:
    ch = chr(code)
    return {ch, ch.lower(), ch.upper()} if ignore else {ch}


def _first_item(op, av, ignore: bool, C) -> tuple[set, bool]:
    if op is C.LITERAL:
        return _cased(av, ignore), False
    if op is C.IN:
        out: set = set()
        for kind, value in av:
            if kind is C.LITERAL:
                out |= _cased(value, ignore)
            elif kind is C.RANGE and value[1] - value[0] < 3000:
                for code in range(value[0], value[1] + 1):
                    out |= _cased(code, ignore)
            elif kind is C.CATEGORY and value in _CATEGORY_CHARS:
                out |= _CATEGORY_CHARS[value]
            else:
                raise _Any
        return out, False
    if op is C.CATEGORY and av in _CATEGORY_CHARS:
        return set(_CATEGORY_CHARS[av]), False
    if op is C.BRANCH:
        out, nullable = set(), False
        for branch in av[1]:
            chars, null = _first_seq(branch, ignore, C)
            out |= chars
            nullable |= null
        return out, nullable
    if op is C.SUBPATTERN:
        _, add, delete, sub = av
        return _first_seq(sub.data if hasattr(sub, "data") else sub, (ignore or bool(add & re.IGNORECASE)) and not (delete & re.IGNORECASE), C)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, _, sub = av
        chars, null = _first_seq(sub.data if hasattr(sub, "data") else sub, ignore, C)
        return chars, null or lo == 0
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _first_seq(av.data if hasattr(av, "data") else av, ignore, C)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True
    raise _Any


# ----------------------------------------------------------------------------------------
# Loading and checking
# ----------------------------------------------------------------------------------------


def _expand(src: str, defines: dict[str, str], where: str) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1) not in defines:
            raise EmbedRuleError(f"{where}: unknown {{{{{m.group(1)}}}}} (define it in [define])")
        return defines[m.group(1)]

    for _ in range(10):  # fragments may use fragments
        new = _MACRO.sub(sub, src)
        if new == src:
            return new
        src = new
    raise EmbedRuleError(f"{where}: [define] fragments nest too deeply (a cycle?)")


def _compile(src: str, defines: dict[str, str], where: str, what: str = "pattern") -> re.Pattern:
    if not isinstance(src, str) or not src:
        raise EmbedRuleError(f"{where}: {what!r} must be a non-empty string")
    try:
        return re.compile(_expand(src, defines, where))
    except re.error as exc:
        raise EmbedRuleError(f"{where}: {what} does not compile: {exc}") from None


def words_regex(words: list[str], ignore_case: bool = False) -> re.Pattern:
    """One regex matching any of ``words`` (words or phrases) as whole words, factored by
    first letter so that a search costs about one branch per position.

    >>> words_regex(["said", "says", "told", "according to"]).findall("He told us, according to AP, and said so.")
    ['told', 'according to', 'said']
    >>> words_regex(["I", "we"]).search("AI beats me") is None
    True
    """
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    body = "|".join(f"{re.escape(k)}(?:{'|'.join(v)})" for k, v in groups.items())
    return re.compile(rf"(?<![\w'’])(?:{body})(?![\w'’])", re.IGNORECASE if ignore_case else 0)


def _defines(data: dict, origin: str, base: dict[str, str] | None = None) -> dict[str, str]:
    out = dict(base or {})
    raw = data.get("define", {})
    if not isinstance(raw, dict):
        raise EmbedRuleError(f"{origin}: [define] must be a table of name = 'regex'")
    for name, src in raw.items():
        where = f"{origin}: define {name!r}"
        if not isinstance(src, str) or not src:
            raise EmbedRuleError(f"{where}: must be a non-empty string")
        out[name] = src
    for name in raw:  # check each fragment compiles on its own (as a group)
        _compile(f"(?:{{{{{name}}}}})", out, f"{origin}: define {name!r}", "fragment")
    return out


def _heuristics(data: dict, defines: dict[str, str], origin: str, base: Heuristics | None) -> Heuristics:
    raw = data.get("heuristics")
    if raw is None:
        if base is None:
            raise EmbedRuleError(f"{origin}: no [heuristics] table")
        return base
    if not isinstance(raw, dict):
        raise EmbedRuleError(f"{origin}: [heuristics] must be a table")
    unknown = set(raw) - set(HEURISTIC_KEYS)
    if unknown:
        raise EmbedRuleError(f"{origin}: [heuristics]: unknown keys {sorted(unknown)}")
    values = {} if base is None else dict(base.__dict__)
    for key, kind in HEURISTIC_KEYS.items():
        if key not in raw:
            if key not in values:
                raise EmbedRuleError(f"{origin}: [heuristics]: {key!r} is required")
            continue
        where = f"{origin}: heuristics {key!r}"
        if kind == "int":
            least = 0 if key == "post_lead_max_chars" else 1  # 0 switches the lead-in rule off
            if not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < least:
                raise EmbedRuleError(f"{where}: must be an integer >= {least}")
            values[key] = raw[key]
        elif kind == "words":
            words = raw[key]
            if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
                raise EmbedRuleError(f"{where}: must be a list of words or phrases")
            values[key] = words_regex(words, ignore_case=key == "reported_speech")
        else:
            values[key] = _compile(raw[key], defines, where)
    return Heuristics(**values)


def _examples(raw: dict, key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise EmbedRuleError(f"{where}: {key!r} must be a string or a list of strings")
    return value


def parse_rules(data: dict, origin: str = "<rules>", base: "RuleSet | None" = None) -> RuleSet:
    """Check and compile rules given as data (the parsed TOML).

    ``[define]`` fragments and ``[heuristics]`` missing from ``data`` come from ``base``
    (by default the bundled rules file), so a user's file may hold only ``[[rule]]`` entries.

    >>> parse_rules({"rule": [{"name": "ad", "category": "ad", "remove": "paragraph", "pattern": "^Advertisement$"}]})[0].category
    'ad'
    >>> try:
    ...     parse_rules({"rule": [{"name": "bad", "category": "ad", "remove": "paragraph", "pattern": "(x"}]})
    ... except EmbedRuleError as exc:
    ...     print(exc)
    <rules>: rule 'bad': pattern does not compile: missing ), unterminated subpattern at position 0
    """
    if base is None and origin != str(DEFAULT_RULES):
        base = load_rules()
    defines = _defines(data, origin, getattr(base, "defines", None))
    heuristics = _heuristics(data, defines, origin, base.heuristics if base is not None else None)
    rules: list[EmbedRule] = []
    seen: set[str] = set()
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise EmbedRuleError(f"{origin}: 'rule' must be an array of tables ([[rule]])")
    for i, raw in enumerate(raw_rules):
        rules.append(_parse_rule(raw, i, origin, defines, heuristics, seen))
    if not rules:
        raise EmbedRuleError(f"{origin}: no [[rule]] entries")
    out = RuleSet(rules, heuristics, origin)
    out.defines = defines
    return out


def _parse_rule(raw, i: int, origin: str, defines: dict, heuristics: Heuristics, seen: set) -> EmbedRule:
    if not isinstance(raw, dict):
        raise EmbedRuleError(f"{origin}: rule #{i + 1} must be a table")
    name = raw.get("name") or f"#{i + 1}"
    where = f"{origin}: rule {name!r}"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise EmbedRuleError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("name", "category", "remove", "pattern"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise EmbedRuleError(f"{where}: '{key}' is required and must be a string")
    if name in seen:
        raise EmbedRuleError(f"{where}: duplicate rule name")
    seen.add(name)
    if raw["category"] not in CATEGORIES:
        raise EmbedRuleError(f"{where}: category {raw['category']!r} is not one of {sorted(CATEGORIES)}")
    if raw["remove"] not in REMOVE_MODES:
        raise EmbedRuleError(f"{where}: remove {raw['remove']!r} is not one of {sorted(REMOVE_MODES)}")
    pattern = _compile(raw["pattern"], defines, where)
    if pattern.search("") is not None:
        raise EmbedRuleError(f"{where}: pattern matches the empty string")
    unless = _compile(raw["unless"], defines, where, "unless") if "unless" in raw else None
    then = _compile(raw["then"], defines, where, "then") if "then" in raw else None
    trigger = raw.get("trigger", [])
    trigger = [trigger] if isinstance(trigger, str) else trigger
    if not isinstance(trigger, list) or not all(isinstance(t, str) and t for t in trigger):
        raise EmbedRuleError(f"{where}: 'trigger' must be a string or a list of strings")
    ints = {}
    for key, default in (("max_chars", 1000), ("then_max", 8)):
        value = raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise EmbedRuleError(f"{where}: {key!r} must be a positive integer")
        ints[key] = value
    previous = raw.get("previous", "never")
    if previous not in PREVIOUS_MODES:
        raise EmbedRuleError(f"{where}: previous {previous!r} is not one of {sorted(PREVIOUS_MODES)}")
    if previous != "never" and raw["remove"] != "post":
        raise EmbedRuleError(f"{where}: 'previous' only applies to remove = \"post\"")
    if then is not None and raw["remove"] != "paragraph":
        raise EmbedRuleError(f"{where}: 'then' only applies to remove = \"paragraph\"")
    credit_alone = raw.get("credit_alone", True)
    if not isinstance(credit_alone, bool):
        raise EmbedRuleError(f"{where}: 'credit_alone' must be true or false")
    glued_end = raw.get("glued_end", False)
    if not isinstance(glued_end, bool):
        raise EmbedRuleError(f"{where}: 'glued_end' must be true or false")
    if glued_end and raw["remove"] != "paragraph":
        raise EmbedRuleError(f"{where}: 'glued_end' only applies to remove = \"paragraph\"")
    if trigger and raw["remove"] == "caption":
        raise EmbedRuleError(f"{where}: caption rules take no 'trigger' (they are tried on every paragraph end)")
    post_text = raw.get("post_text", "last_sentence")
    if post_text not in POST_TEXT_MODES:
        raise EmbedRuleError(f"{where}: post_text {post_text!r} is not one of {sorted(POST_TEXT_MODES)}")
    rule = EmbedRule(name, raw["category"], raw["remove"], pattern, tuple(trigger), unless,
                     ints["max_chars"], then, ints["then_max"], previous, credit_alone, post_text, glued_end)
    single = RuleSet([rule], heuristics, origin)
    for example in _examples(raw, "example", where) + _examples(raw, "examples", where):
        if rule.trigger and not any(t in example for t in rule.trigger):
            raise EmbedRuleError(f"{where}: example {example!r} contains none of its triggers {list(rule.trigger)}")
        if rule.remove == "paragraph" and rule.glued_end and not pattern.fullmatch(example):
            left = strip_paragraph(example, single, [])  # an example glued after prose
            if not left or left == example:
                raise EmbedRuleError(f"{where}: example {example!r}: its end is not removed (or all of it is)")
        elif rule.remove == "paragraph":
            if not pattern.fullmatch(example):
                raise EmbedRuleError(f"{where}: pattern does not match its own example {example!r}")
            if strip_paragraph(example, single, []) != "":
                raise EmbedRuleError(f"{where}: example {example!r} is not removed (see 'unless' / 'max_chars')")
        elif rule.remove == "caption":
            if not any(pattern.fullmatch(example, i) for i in range(len(example))):
                raise EmbedRuleError(f"{where}: pattern does not match the end of its own example {example!r}")
            if strip_paragraph(example, single, []) == example:
                raise EmbedRuleError(f"{where}: example {example!r} is not changed")
        elif not pattern.search(example):
            raise EmbedRuleError(f"{where}: pattern does not match its own example {example!r}")
    for example in _examples(raw, "not_examples", where):
        if strip_paragraph(example, single, []) != example:
            raise EmbedRuleError(f"{where}: pattern removes text from its own not_example {example!r}")
    return rule


@lru_cache(maxsize=8)
def load_rules(path: str | Path = DEFAULT_RULES) -> RuleSet:
    """Load and check a rules file (cached per path).

    >>> len(load_rules()) > 10
    True
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EmbedRuleError(f"{path}: not valid TOML: {exc}") from None
    base = None if path.resolve() == DEFAULT_RULES.resolve() else load_rules()
    return parse_rules(data, str(DEFAULT_RULES) if base is None else str(path), base)


def _as_ruleset(rules) -> RuleSet:
    if rules is None:
        return load_rules()
    if isinstance(rules, RuleSet):
        return rules
    return RuleSet(tuple(rules), load_rules().heuristics)  # a plain tuple / list of rules


# ----------------------------------------------------------------------------------------
# Telling embed text from prose
# ----------------------------------------------------------------------------------------

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
        if m.group(0)[0] == "." and (heuristics.abbreviation.search(text, max(0, m.start() - 12), m.start() + 1)
                                     or text[end:end + 1].islower()):  # "(R-Ky.) has": a full stop before lowercase ends nothing
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
    """Reported speech outside quotation marks ("..., Macron said."): prose, never embed text."""
    return heuristics.reported_speech.search(_unquoted(text)) is not None


def is_post_like(text: str, heuristics: Heuristics, plain: str | None = None) -> bool:
    """Marks of a social-media post (outside quotation marks): hashtags, @mentions, emoji,
    "!", links, first person ("we", "our" ...), an opener such as "BREAKING" or "Thank you"."""
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


_DATELINE_START = re.compile(r"[A-Z][A-Z .,'’-]{2,40}(?:\([^)]{1,30}\)\s?)?[—–-]")  # "MOSCOW (AP) —": a story's lead, not a caption


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
        if (photo_credit and len(prefix) <= heuristics.caption_max_chars and not is_reported(prefix, heuristics)
                and not _DATELINE_START.match(prefix)):
            return 0
        return 0 if _is_caption(prefix, heuristics, alone=True) else None
    a, b = spans[-1]
    return a if _is_caption(prefix[a:b], heuristics, alone=False) else None


# ----------------------------------------------------------------------------------------
# Applying rules
# ----------------------------------------------------------------------------------------


def _bucket(buckets, n: int) -> "_Dispatch | None":
    return buckets[n] if n < len(buckets) else None


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


def _allowed(rule: EmbedRule, text: str) -> bool:
    return rule.unless is None or not rule.unless.search(text)


def _apply_span_rule(rule: EmbedRule, text: str, rules: RuleSet, edits: list[Edit]) -> tuple[str, bool]:
    """Apply one span rule; returns (text left, whether the match started the paragraph)."""
    if rule.remove == "match":
        pieces, last = [], 0
        for m in rule.pattern.finditer(text):
            if not _allowed(rule, m.group(0)):
                continue
            edits.append(make_edit(STEP, rule.category, m.group(0).strip(), "", rule.name))
            pieces.append(text[last:m.start()])
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
        return text[m.end():].strip(), False
    prefix = text[: m.start()]  # post
    at_start = not _LINKS.sub("", prefix).strip()
    start = 0 if at_start else post_text_start(prefix, rules.heuristics, rule.post_text == "last_sentence")
    edits.append(make_edit(STEP, rule.category, text[start: m.end()].strip(), "", rule.name))
    return _join([text[:start], text[m.end():]]), at_start


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
    return (text.find("(", lo) >= 0 or text.find("[", lo) >= 0 or text.find("—", lo) >= 0
            or text.find("–", lo) >= 0 or text.find("©", lo) >= 0)


def _tail_starts(text: str, lo: int) -> list[int]:
    """Candidate starts of a glued trailing piece, latest first.

    >>> t = "Roy speaks. (William B. Plowman/Getty Images)"
    >>> [t[k:] for k in _tail_starts(t, 0)]
    ['(William B. Plowman/Getty Images)']
    """
    starts = [m.end() for m in _TAIL_BOUNDARY.finditer(text, lo)]
    if _has_opener(text, lo):
        for char, opener in _TAIL_OPENERS:
            k = text.rfind(opener, lo)
            if k >= 0 and k + 1 not in starts:
                starts.append(k + 1)
                starts.sort()
    n = len(text)
    if starts and starts[-1] >= n:
        starts.pop()
    if text.endswith(")"):  # a piece that closes a bracket it does not open starts inside a credit ("B. Plowman/AP)")
        starts = [k for k in starts if text.count("(", k) >= text.count(")", k)]
    return starts[: -TAIL_TRIES - 1: -1]


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


def _tail_rule_start(text: str, s: int, dispatch: _Dispatch, rule: EmbedRule, h: Heuristics,
                     edits: list[Edit]) -> int | None:
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
                rule = next((r for r in dispatch.rules[k:] if r.pattern.fullmatch(text, s) and _allowed(r, text[s:])), None)
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


def embeds_state(text: str, rules=None, title: str | None = None, categories: frozenset | None = None,
                 source: str | None = None, repeated: frozenset = frozenset()) -> tuple[list[str], list[str], list[list[Edit]]]:
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


def strip_embeds(text: str, rules=None, title: str | None = None, categories: frozenset | None = None,
                 source: str | None = None, repeated: frozenset = frozenset()) -> tuple[str, list[Edit]]:
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
