"""Whole-text matching of many embed rules at once (``_Dispatch``), one matcher per text
length (``_buckets``); which alternatives to try is read from the patterns by
``cleaners.regex_prefilter``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cleaners.regex_prefilter import (
    alternatives,
    alternatives_for,
    first_fullmatch,
    single_patterns,
    start_index,
    start_of,
)

if TYPE_CHECKING:
    from cleaners.embeds.rules import EmbedRule


def _buckets(rules: list[EmbedRule]) -> list[_Dispatch | None]:
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
            for src in alternatives(rule.pattern):
                prefix, first = start_of(src, rule.pattern.flags)
                self.alts.append((i, src, prefix, first))
        self.start_index = start_index(self.alts)
        self.singles = single_patterns(self.alts)
        self.by_key: dict[str, tuple] = {}
        self.by_subset: dict[tuple[int, ...], tuple] = {}

    def _entry(self, key: str) -> tuple:
        subset = alternatives_for(key, self.alts, self.start_index)
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
        key = text[pos : pos + 3]
        entry = self.by_key.get(key)
        if entry is None:
            entry = self._entry(key)
        combined, owners, by_group, singles = entry
        if not owners:
            return None
        first = 0
        if singles is not None:
            first = first_fullmatch(singles, text, pos)
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


def _bucket(buckets, n: int) -> _Dispatch | None:
    return buckets[n] if n < len(buckets) else None


def _allowed(rule: EmbedRule, text: str) -> bool:
    return rule.unless is None or not rule.unless.search(text)
