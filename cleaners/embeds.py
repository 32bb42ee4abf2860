"""Strip embedded social media and boilerplate (tweets, captions, credits, teasers ...).

The patterns live in ``cleaners/rules/embeds.toml`` (documented there); this module only
loads, checks and applies them.  Every removed span becomes an edit whose ``kind`` is the
rule's category (``tweet``, ``caption``, ``credit`` ...), so users can see what went.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cleaners.edits import Edit, make_edit

STEP = "embeds"
CATEGORIES = frozenset(
    "tweet instagram facebook youtube caption credit related share ad header other".split()
)
REMOVE_MODES = frozenset({"paragraph", "through_match", "match"})
DEFAULT_RULES = Path(__file__).parent / "rules" / "embeds.toml"


class EmbedRuleError(ValueError):
    """A rule in an embeds rules file is malformed; the message names the rule."""


@dataclass(frozen=True)
class EmbedRule:
    name: str
    category: str
    remove: str
    pattern: re.Pattern


def parse_rules(data: dict, origin: str = "<rules>") -> tuple[EmbedRule, ...]:
    """Check and compile rules given as data (the parsed TOML).

    >>> parse_rules({"rule": [{"name": "ad", "category": "ad", "remove": "paragraph", "pattern": "^Advertisement$"}]})[0].category
    'ad'
    >>> try:
    ...     parse_rules({"rule": [{"name": "bad", "category": "ad", "remove": "paragraph", "pattern": "(x"}]})
    ... except EmbedRuleError as exc:
    ...     print(exc)
    <rules>: rule 'bad': pattern does not compile: missing ), unterminated subpattern at position 0
    """
    rules: list[EmbedRule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("rule", [])):
        name = raw.get("name") or f"#{i + 1}"
        where = f"{origin}: rule {name!r}"
        unknown = set(raw) - {"name", "category", "remove", "pattern", "example"}
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
        try:
            pattern = re.compile(raw["pattern"])
        except re.error as exc:
            raise EmbedRuleError(f"{where}: pattern does not compile: {exc}") from None
        if pattern.search("") is not None:
            raise EmbedRuleError(f"{where}: pattern matches the empty string")
        example = raw.get("example")
        if example is not None and not pattern.search(example):
            raise EmbedRuleError(f"{where}: pattern does not match its own example {example!r}")
        rules.append(EmbedRule(name, raw["category"], raw["remove"], pattern))
    if not rules:
        raise EmbedRuleError(f"{origin}: no [[rule]] entries")
    return tuple(rules)


@lru_cache(maxsize=8)
def load_rules(path: str | Path = DEFAULT_RULES) -> tuple[EmbedRule, ...]:
    """Load and check a rules file (cached per path).

    >>> len(load_rules()) > 10
    True
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EmbedRuleError(f"{path}: not valid TOML: {exc}") from None
    return parse_rules(data, str(path))


def strip_paragraph(paragraph: str, rules: tuple[EmbedRule, ...], edits: list[Edit]) -> str:
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
    for rule in rules:
        if not paragraph:
            break
        m = rule.pattern.search(paragraph)
        if not m:
            continue
        if rule.remove == "paragraph":
            edits.append(make_edit(STEP, rule.category, paragraph, ""))
            return ""
        if rule.remove == "through_match":
            removed, paragraph = paragraph[: m.end()], paragraph[m.end():].strip()
            edits.append(make_edit(STEP, rule.category, removed, ""))
            continue
        pieces, last = [], 0
        for m in rule.pattern.finditer(paragraph):
            edits.append(make_edit(STEP, rule.category, m.group(0), ""))
            pieces.append(paragraph[last:m.start()])
            last = m.end()
        pieces.append(paragraph[last:])
        paragraph = "".join(pieces).strip()
    return paragraph


def strip_embeds(text: str, rules: tuple[EmbedRule, ...] | None = None) -> tuple[str, list[Edit]]:
    """Remove embeds and boilerplate from cleaned text (paragraphs split by blank lines).

    >>> strip_embeds("Putin spoke.\\n\\nAdvertisement\\n\\nMacron replied.")
    ('Putin spoke.\\n\\nMacron replied.', [{'step': 'embeds', 'kind': 'ad', 'before': 'Advertisement', 'after': ''}])
    """
    rules = load_rules() if rules is None else rules
    edits: list[Edit] = []
    kept = []
    for paragraph in text.split("\n\n"):
        left = strip_paragraph(paragraph, rules, edits)
        if left:
            kept.append(left)
    return ("\n\n".join(kept) if edits else text), edits
