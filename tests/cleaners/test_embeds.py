"""Embed and boilerplate stripping, driven by the rules file."""

from __future__ import annotations

import pytest

from cleaners.embeds import EmbedRuleError, load_rules, parse_rules, strip_embeds
from cleaners.layout import repair_layout
from flows.read.headers import split_header
from tests.helpers import SEEDS


def test_seed_004_tweets_go_and_prose_stays():
    body = split_header(next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8"))[1]
    text, _ = repair_layout(body)
    cleaned, edits = strip_embeds(text)
    assert "pic.twitter.com" not in cleaned
    assert "@Russ_Warrior" not in cleaned and "@robertshrimsley" not in cleaned
    assert "game of air hockey" not in cleaned
    # the prose around the tweets is still there
    assert "In a joint news conference at the end of over six hours of talks" in cleaned
    assert "“The next few days will be decisive" in cleaned or '"The next few days will be decisive' in cleaned
    assert "“The military capacities of NATO and Russia are incomparable." in cleaned
    assert [e["kind"] for e in edits].count("tweet") == 2


def test_prose_about_social_media_is_content():
    text = "Obama wrote on Twitter that the talks were useful.\n\nA post on Instagram showed the two leaders."
    assert strip_embeds(text) == (text, [])


def test_other_families():
    text = (
        "Macron met Putin.\n\nA post shared by Jane Doe (@janedoe) on Feb 7, 2022 at 9:15am PST\n\n"
        "Read more: Macron heads to Kyiv\n\nAdvertisement\n\n(Photo: Getty Images)\n\n"
        "Zhao Ruinan in Beijing and agencies contributed to this story."
    )
    cleaned, edits = strip_embeds(text)
    assert cleaned == "Macron met Putin."
    assert [e["kind"] for e in edits] == ["instagram", "related", "ad", "credit", "credit"]


def test_bad_rule_is_a_clear_error_naming_the_rule(tmp_path):
    with pytest.raises(EmbedRuleError, match="rule 'broken'.*does not compile"):
        parse_rules({"rule": [{"name": "broken", "category": "ad", "remove": "paragraph", "pattern": "([a-"}]})
    with pytest.raises(EmbedRuleError, match="rule 'wrongcat'.*category"):
        parse_rules({"rule": [{"name": "wrongcat", "category": "spam", "remove": "paragraph", "pattern": "x"}]})
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[[rule]]\nname = "ex"\ncategory = "ad"\nremove = "paragraph"\npattern = "^Ad$"\nexample = "Advert"\n'
    )
    with pytest.raises(EmbedRuleError, match="rule 'ex'.*own example"):
        load_rules(bad)


def test_tweet_signature_hard_wrapped_onto_its_own_line_goes():
    raw = (
        "The talks in Kyiv ended late on Monday without any agreement on the new\n"
        "grain corridor, officials said. Big day in the capital pic.twitter.com/AbC123 —\n"
        "Jo Lee (@jolee) May 1, 2023\n\nThe next round is due in June."
    )
    text, _ = repair_layout(raw)
    cleaned, edits = strip_embeds(text, load_rules())
    assert "@jolee" not in cleaned and "pic.twitter" not in cleaned
    assert cleaned.startswith("The talks in Kyiv ended late on Monday") and cleaned.endswith(
        "The next round is due in June."
    )
    assert any(e["kind"] == "tweet" for e in edits)
