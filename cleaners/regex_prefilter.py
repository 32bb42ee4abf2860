"""Which alternatives of a set of regexes can match where: a prefilter for trying many
patterns on short texts.

Trying every pattern of a large set on every text is slow when most of them cannot match.
From each regex source this module reads, with CPython's own parser (``re._parser``, a
a private module whose node format may change between Python versions; the project
supports 3.11 and 3.12):

* ``alternatives``: the top-level alternatives of a pattern, each a regex of its own;
* ``start_of``: the (lowercased) literal starts of an alternative and the characters a match
  can start with;
* ``required_literal``: a literal every match contains, looked for with ``str.find``
  before the regex runs;
* ``has_reference``: whether a source refers to a group, so that it cannot be split off or
  compiled on its own.

An alternative is a tuple ``(owner, source, starts, first characters)``: ``owner`` is any
number of the caller's (which pattern it came from), ``starts`` and ``first characters``
are what ``start_of`` gives.  ``start_index`` indexes a list of them, ``alternatives_for``
answers from the index which can match a text beginning with a given key, and
``single_patterns``/``first_fullmatch`` try them one by one, in order.  Every answer errs on
the side of "may match": the prefilter only saves work, it never changes which pattern
matches first.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "PREFIX_LEN",
    "REQUIRED_MIN",
    "alternatives",
    "alternatives_for",
    "first_fullmatch",
    "has_reference",
    "required_literal",
    "single_patterns",
    "start_index",
    "start_of",
]

_GLOBAL_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")


def has_reference(src: str) -> bool:
    """Whether a regex source refers to a group (a backreference or a conditional), or
    cannot be parsed.

    >>> has_reference(r"(a)\\1"), has_reference(r"(?P<x>a)(?(x)b)"), has_reference(r"\\(?(?:ab)\\)?")
    (True, True, False)
    """
    from re import _constants as C
    from re import _parser as P

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


def single_patterns(alts) -> tuple[tuple[re.Pattern, str], ...] | None:
    """Each alternative (``(owner, source, starts, first characters)``) compiled on its own,
    as it would be in a regex combining them all (``(?P<_aN>...)``), with a literal every
    match contains (see ``required_literal``);
    or None when one of them would not mean the same there: a backreference or
    conditional, a group name shared with another alternative or like the combined
    regex's own, or a source that does not compile in a group.

    >>> [(p.pattern, lit) for p, lit in single_patterns([(0, "ab", None, None), (1, "(?P<x>c)+ done", None, None)])]
    [('(?P<_a0>ab)', ''), ('(?P<_a0>(?P<x>c)+ done)', ' done')]
    >>> single_patterns([(0, "(?P<x>a)", None, None), (1, "(?P<x>c)", None, None)]) is None
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
        out.append((single, required_literal(src)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _single_pattern(src: str) -> re.Pattern | None:
    """``(?P<_a0>src)`` compiled, or None when ``src`` refers to a group or does not compile."""
    if has_reference(src):
        return None
    try:
        return re.compile(f"(?P<_a0>{src})")
    except re.error:
        return None


def first_fullmatch(singles, text: str, pos: int) -> int | None:
    """The owner of the first (pattern, required literal, owner) whose pattern matches
    ``text[pos:]`` whole; a pattern is not tried where its literal does not occur.

    >>> first_fullmatch(((re.compile("a+"), "a", 0), (re.compile("b"), "", 1)), "xb", 1)
    1
    """
    for pattern, needle, owner in singles:
        if (not needle or text.find(needle, pos) >= 0) and pattern.fullmatch(text, pos):
            return owner
    return None


REQUIRED_MIN = 4  # shorter literals are not worth looking for before a match


@lru_cache(maxsize=4096)
def required_literal(src: str) -> str:
    """The longest run of literal characters (case-sensitive, at least ``REQUIRED_MIN``)
    that every match of a regex source contains, or "" (none, or not known).

    >>> required_literal(r"(?:\\S+\\s){1,30}?written (?:by|for) them"), required_literal("(?i:hello world)")
    ('written ', '')
    >>> required_literal(r"\\((?:ab|cde) Image(?:/\\w+)+\\)"), required_literal("(?:ab|cd)x")
    (' Image', '')
    """
    from re import _constants as C
    from re import _parser as P

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


def start_index(alts) -> tuple[dict, dict, tuple, tuple]:
    """Indexes of alternatives (``(owner, source, starts, first characters)``, the starts and
    first characters as ``start_of`` gives them) by their possible starts, for ``alternatives_for``:
    (start -> alternatives, every head of a start -> alternatives, alternatives that may
    start with any non-ASCII character, alternatives known only by their first characters).

    >>> by_start, by_head, non_ascii, by_first = start_index([(0, "ab", frozenset({"ab"}), None)])
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


def alternatives_for(key: str, alts, index) -> tuple[int, ...]:
    """The alternatives (indexes into ``alts``, in order) that can match a text starting
    with ``key``: a start of theirs begins ``key`` (lowercased) or ``key`` begins one of
    their starts, or (start unknown) ``key``'s first character can start them.

    >>> alts = [(0, "ab", frozenset({"ab"}), None), (1, "x", frozenset({"\x80"}), None), (2, "c", None, frozenset("c"))]
    >>> alternatives_for("Abc", alts, start_index(alts)), alternatives_for("a", alts, start_index(alts))
    ((0,), (0,))
    >>> alternatives_for("éa", alts, start_index(alts)), alternatives_for("cab", alts, start_index(alts))
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


def alternatives(pattern: re.Pattern) -> list[str]:
    """The top-level alternatives of a pattern's source (inside one enclosing group), each
    self-contained; the whole source when it cannot be split safely (backreferences).

    >>> alternatives(re.compile("(?i:(?:ab|cd)|ef)")), alternatives(re.compile(r"(a)\\1|b"))
    (['(?i:(?:ab|cd))', '(?i:ef)'], ['(a)\\\\1|b'])
    """
    src = pattern.pattern
    if "\\g<" in src or re.search(r"\\[1-9]|\(\?P=|\(\?\(", src):
        return [src]
    flags = ""
    m = _GLOBAL_FLAGS.match(src)
    if m:
        flags, src = m.group(1), src[m.end() :]
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
            return head, src[len(head) : -1]
    return None


def _split_top(src: str) -> list[str]:
    parts, last = [], 0
    for i, ch, depth in _scan(src):
        if ch == "|" and depth == 0:
            parts.append(src[last:i])
            last = i + 1
    parts.append(src[last:])
    return parts


def start_of(src: str, flags: int = 0) -> tuple[frozenset | None, frozenset | None]:
    """(possible lowercased starts, characters a match can start with) of a regex source.

    The starts are up to PREFIX_LEN characters long (None: unknown); the first-character
    set is None when any character may start a match; "\\x80" in it stands for "any
    non-ASCII character".

    >>> sorted(start_of("(?i:Hello world|see you):")[0])
    ['hel', 'see']
    >>> sorted(start_of(r"\\(?(?:AB|ABC)\\)?")[0])
    ['(ab', 'ab', 'ab)', 'abc']
    >>> start_of("(?i:ad|b)")[1] == frozenset("AaBb")
    True
    >>> start_of(r"\\S+ x")
    (None, None)
    """
    try:
        from re import _constants as C
        from re import _parser as P

        tree = P.parse(src, flags)
    except Exception:  # noqa: BLE001 - a source the parser cannot read: nothing known
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
        return _first_seq(
            sub.data if hasattr(sub, "data") else sub,
            (ignore or bool(add & re.IGNORECASE)) and not (delete & re.IGNORECASE),
            C,
        )
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, _, sub = av
        chars, null = _first_seq(sub.data if hasattr(sub, "data") else sub, ignore, C)
        return chars, null or lo == 0
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _first_seq(av.data if hasattr(av, "data") else av, ignore, C)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True
    raise _Any
