"""The embeds rules model: ``EmbedRule``, ``Heuristics`` and ``RuleSet``, read from a TOML file
(``cleaners/rules/embeds.toml``, documented there) and checked when loaded.

Loading checks every rule: known keys and values, a pattern that compiles and does not match
the empty string, and each rule's own ``example``/``not_examples`` run through the stripper
with that rule alone, so a rule that does not do what its examples say fails at load time.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cleaners.embeds.dispatch import _buckets

FAMILIES = (
    "tweet",
    "instagram",
    "facebook",
    "youtube",
    "caption",
    "credit",
    "related",
    "share",
    "ad",
    "header",
    "other",
    "source",
    "cta",
    "comments",
    "nav",
    "disclaimer",
    "bio",
    "pull_quote",
    "boilerplate",
)
CATEGORIES = frozenset(FAMILIES)
REMOVE_MODES = frozenset({"paragraph", "through_match", "match", "post", "caption"})
SPAN_MODES = frozenset({"through_match", "match", "post"})
PREVIOUS_MODES = frozenset({"never", "if_marked", "unless_reported"})
POST_TEXT_MODES = frozenset({"last_sentence", "if_marked"})
DEFAULT_RULES = Path(__file__).parent.parent / "rules" / "embeds.toml"

RULE_KEYS = frozenset(
    {
        "name",
        "category",
        "remove",
        "pattern",
        "example",
        "examples",
        "not_examples",
        "trigger",
        "unless",
        "max_chars",
        "then",
        "then_max",
        "previous",
        "credit_alone",
        "post_text",
        "glued_end",
    }
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

    def family(self, category: str) -> RuleSet:
        """The rules of one category, as a rule set of their own.

        >>> sorted({r.category for r in load_rules().family("ad")})
        ['ad']
        """
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


def parse_rules(data: dict, origin: str = "<rules>", base: RuleSet | None = None) -> RuleSet:
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
    from cleaners.embeds.strip import strip_paragraph  # the examples are checked by stripping them

    rule = EmbedRule(
        name,
        raw["category"],
        raw["remove"],
        pattern,
        tuple(trigger),
        unless,
        ints["max_chars"],
        then,
        ints["then_max"],
        previous,
        credit_alone,
        post_text,
        glued_end,
    )
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
