"""The rules file: checked when loaded, extensible without Python, one remover per family."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import regex_prefilter
from cleaners.embeds import (
    CATEGORIES,
    FAMILIES,
    REMOVERS,
    EmbedRuleError,
    load_rules,
    parse_rules,
    strip_embeds,
    strip_family,
)
from cleaners.embeds import dispatch as dispatch_mod

BENCH = Path(__file__).resolve().parents[2] / "bench" / "embeds_labelled.jsonl"


def rule(**kw):
    base = {"name": "r", "category": "ad", "remove": "paragraph", "pattern": "Advert"}
    base.update(kw)
    return {"rule": [base]}


@pytest.mark.parametrize(
    "data, message",
    [
        (rule(pattern="([a-"), r"rule 'r'.*pattern does not compile"),
        (rule(category="spam"), r"rule 'r'.*category 'spam'"),
        (rule(remove="delete"), r"rule 'r'.*remove 'delete'"),
        (rule(colour="red"), r"rule 'r'.*unknown keys \['colour'\]"),
        (rule(pattern="x*"), r"rule 'r'.*matches the empty string"),
        (rule(pattern="{{NOPE}}"), r"rule 'r'.*unknown \{\{NOPE\}\}"),
        (rule(then="(x"), r"rule 'r'.*then does not compile"),
        (rule(unless="[x"), r"rule 'r'.*unless does not compile"),
        (rule(max_chars=0), r"rule 'r'.*'max_chars' must be a positive integer"),
        (rule(example="Advertisement"), r"rule 'r'.*does not match its own example"),
        (rule(not_examples=["Advert"]), r"rule 'r'.*removes text from its own not_example"),
        (rule(remove="match", trigger=["zz"], example="An Advert"), r"rule 'r'.*contains none of its triggers"),
        (rule(previous="if_marked"), r"rule 'r'.*'previous' only applies"),
        (rule(remove="match", glued_end=True), r"rule 'r'.*'glued_end' only applies"),
        (rule(remove="caption", trigger=["x"]), r"rule 'r'.*caption rules take no 'trigger'"),
        ({"rule": [rule()["rule"][0], rule()["rule"][0]]}, r"rule 'r'.*duplicate rule name"),
        ({"rule": []}, r"no \[\[rule\]\] entries"),
        ({"define": {"BAD": "(x"}, **rule()}, r"define 'BAD'.*does not compile"),
        ({"heuristics": {"post_marks": "[x"}, **rule()}, r"heuristics 'post_marks'.*does not compile"),
        ({"heuristics": {"post_words": "we"}, **rule()}, r"heuristics 'post_words'.*list of words"),
        ({"heuristics": {"post_max_chars": -1}, **rule()}, r"heuristics 'post_max_chars'.*integer"),
        ({"heuristics": {"colour": 1}, **rule()}, r"\[heuristics\]: unknown keys"),
    ],
)
def test_bad_rules_are_clear_errors_naming_the_rule(data, message):
    with pytest.raises(EmbedRuleError, match=message):
        parse_rules(data)


def test_bad_file_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "site.toml"
    bad.write_text("[[rule]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(EmbedRuleError, match="site.toml: not valid TOML"):
        load_rules(bad)


def test_a_site_rule_file_needs_no_python(tmp_path):
    """A user's file holds only [[rule]] entries; fragments and heuristics come from the bundled file."""
    site = tmp_path / "courier.toml"
    site.write_text(
        """
[[rule]]
name = "courier_app"
category = "share"
remove = "paragraph"
glued_end = true
pattern = '''Read the Daily Courier on your phone: [^\\n]{1,60}'''
example = "Read the Daily Courier on your phone: courier.example/app"

[[rule]]
name = "courier_tweet"
category = "tweet"
remove = "post"
trigger = ["@"]
pattern = '''[—–-]\\s*{{SIGNAME}}\\s?\\(@\\w{1,15}\\)\\s*{{DATE}}'''
example = "Big day. — Jo Lee (@jolee) February 7, 2022"
""",
        encoding="utf-8",
    )
    rules = load_rules(site)
    assert [r.name for r in rules] == ["courier_app", "courier_tweet"]
    text = "Putin spoke. Read the Daily Courier on your phone: courier.example/app\n\nGreat talks! — Jo Lee (@jolee) February 7, 2022"
    cleaned, edits = strip_embeds(text, rules)
    assert cleaned == "Putin spoke."
    assert [e["kind"] for e in edits] == ["share", "tweet"]


def test_bundled_rules_cover_every_family_and_pass_their_own_examples():
    rules = load_rules()  # loading checks every example and not_example
    from cleaners import boilerplate
    from cleaners.residue import load_residue

    named = {r.category for r in rules} | boilerplate.CATEGORIES | {r.category for r in load_residue()}
    assert named == set(CATEGORIES)  # every category is reported by a rule, a detector or a residue pattern
    assert set(FAMILIES) == set(CATEGORIES) == set(REMOVERS)


@pytest.mark.parametrize(
    "family, residue",
    [
        ("tweet", "Great talks! pic.twitter.com/AbC — Jo Lee (@jolee) February 7, 2022"),
        ("instagram", "A post shared by Jane Doe (@janedoe) on Feb 7, 2022 at 9:15am PST"),
        ("facebook", "Posted by Jane Doe on Monday, February 7, 2022"),
        ("youtube", "Watch on YouTube"),
        ("caption", "Emmanuel Macron speaks during a joint press conference in Moscow. AP"),
        ("credit", "(Photo: Getty Images)"),
        ("related", "Read more: Macron heads to Kyiv"),
        ("share", "Follow us on Twitter"),
        ("ad", "Advertisement"),
        ("header", "Story highlights"),
        ("other", "This article has been adapted from its original source."),
    ],
)
def test_one_remover_per_family(family, residue):
    others = "Advertisement" if family != "ad" else "Story highlights"
    text = f"Putin spoke.\n\n{residue}\n\n{others}"
    cleaned, edits = REMOVERS[family](text)
    assert cleaned == f"Putin spoke.\n\n{others}"
    assert [e["kind"] for e in edits] == [family]
    assert strip_family(text, family) == (cleaned, edits)


def test_unknown_family():
    with pytest.raises(ValueError, match="unknown embeds family 'spam'"):
        strip_family("text", "spam")


def test_rules_can_be_passed_as_a_plain_tuple():
    rules = tuple(r for r in load_rules() if r.category == "ad")
    assert strip_embeds("Putin spoke.\n\nAdvertisement", rules)[0] == "Putin spoke."


def _naive(dispatch, text):
    return next((r for r in dispatch.rules if r.pattern.fullmatch(text) and dispatch_mod._allowed(r, text)), None)


def _texts():
    texts = [
        p["text"] for line in BENCH.read_text(encoding="utf-8").splitlines() for p in json.loads(line)["paragraphs"]
    ]
    rng = random.Random(7)
    return (
        texts
        + [t[rng.randrange(len(t)) :] for t in texts[:500]]
        + ["٣ min read", "5 min read", "  Advertisement", "ÀB/AFP"]
    )


def test_dispatch_matches_rule_by_rule():
    """The first-characters dispatch is an optimisation only: same answer as trying each rule."""
    rules = load_rules()
    for buckets in (rules.buckets, rules.tail_buckets):
        for text in _texts():
            dispatch = dispatch_mod._bucket(buckets, len(text))
            if dispatch is not None and text:
                assert dispatch.match(text) is _naive(dispatch, text), text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("AaBbRrSsPpEe(): /.,-—@#!0123456789 Advertisement Read more Photo Share")),
        min_size=1,
        max_size=60,
    )
)
def test_dispatch_matches_rule_by_rule_on_random_text(text):
    rules = load_rules()
    for buckets in (rules.buckets, rules.tail_buckets):
        dispatch = dispatch_mod._bucket(buckets, len(text))
        if dispatch is not None:
            assert dispatch.match(text) is _naive(dispatch, text)


def test_start_of_alternatives():
    assert sorted(regex_prefilter.start_of("(?i:Read more|see also):")[0]) == ["rea", "see"]
    assert regex_prefilter.alternatives(load_rules()[0].pattern)  # splits without error
    # a pattern with a backreference is never split
    import re

    assert regex_prefilter.alternatives(re.compile(r"(a)\1|b")) == [r"(a)\1|b"]


def test_rules_pickle():
    import pickle

    rules = load_rules()
    again = pickle.loads(pickle.dumps(rules))
    text = "Putin spoke.\n\nAdvertisement\n\nGreat talks! pic.twitter.com/AbC — Jo Lee (@jolee) February 7, 2022"
    assert strip_embeds(text, again) == strip_embeds(text, rules)
    assert [r.name for r in again] == [r.name for r in rules]
