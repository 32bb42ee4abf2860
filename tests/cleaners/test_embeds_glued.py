"""Embeds glued to prose: the embed goes, the prose stays exactly; every removal is an edit."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from cleaners.embeds import strip_embeds, strip_paragraphs

BENCH = Path(__file__).resolve().parents[2] / "bench" / "embeds_labelled.jsonl"

PROSE = "Putin said on Monday that some of Macron's ideas could form the basis of further joint steps."
TWEET = "Great talks today! pic.twitter.com/AbC123xyz — Jo Lee (@jolee) February 7, 2022"


def kinds(edits):
    return [e["kind"] for e in edits]


def test_tweet_glued_after_prose():
    cleaned, edits = strip_embeds(f"{PROSE} {TWEET}")
    assert cleaned == PROSE
    assert kinds(edits) == ["tweet"] and edits[0]["before"] == TWEET and edits[0]["after"] == ""


def test_tweet_glued_before_prose():
    cleaned, edits = strip_embeds(f"{TWEET} {PROSE}")
    assert cleaned == PROSE and kinds(edits) == ["tweet"]


def test_tweet_text_of_several_sentences_goes_prose_before_it_stays():
    tweet = "We did it!!! Orbit confirmed. Thank you to everyone who believed in us 🚀 https://t.co/Ab12 — Tromsvik Space (@TromsvikSpace) June 3, 2022"
    cleaned, _ = strip_embeds(f"{PROSE} {tweet}")
    assert cleaned == PROSE


def test_quote_repeated_by_the_embed_stays():
    quote = "“There will be no winners,” the Russian president said."
    tweet = "President #Putin after talks: “There will be no winners” #Nato pic.twitter.com/Xy — Kremlin Monitor (@kremlin_mon) February 7, 2022"
    text = f"{quote}\n\n{tweet}\n\n{quote} {tweet}"
    cleaned, edits = strip_embeds(text)
    assert cleaned == f"{quote}\n\n{quote}"
    assert kinds(edits) == ["tweet", "tweet"]


def test_picture_only_tweet_after_prose_takes_only_link_and_signature():
    text = (
        f"{PROSE} The talks lasted five hours, officials said. pic.twitter.com/AbC — Jo Lee (@jolee) February 7, 2022"
    )
    cleaned, edits = strip_embeds(text)
    assert cleaned == f"{PROSE} The talks lasted five hours, officials said."
    assert edits[0]["before"] == "pic.twitter.com/AbC — Jo Lee (@jolee) February 7, 2022"


def test_tweet_split_over_two_paragraphs():
    text = f"{PROSE}\n\nPolls are now closed. Thank you to every volunteer 💚 https://t.co/Ab\n\n— Marlow Bay Votes (@MarlowVotes) May 5, 2022\n\n{PROSE}"
    cleaned, edits = strip_embeds(text)
    assert cleaned == f"{PROSE}\n\n{PROSE}"
    assert kinds(edits) == ["tweet", "tweet"]


def test_lone_signature_does_not_take_reported_prose_before_it():
    text = f"{PROSE}\n\n— Jo Lee (@jolee) February 7, 2022"
    cleaned, _ = strip_embeds(text)
    assert cleaned == PROSE


def test_instagram_blocks():
    text = (
        f"{PROSE}\n\nView this post on Instagram\n\nTrophy day 🏆 #grandslam\n\n"
        "A post shared by Lena Hartmann (@lenahartmann) on Jun 4, 2022 at 6:40pm PDT\n\n"
        "The French leader then flew to Kyiv for talks with Ukraine's president.\n\n"
        "A post shared by Élysée (@elysee) on Feb 7, 2022"
    )
    cleaned, edits = strip_embeds(text)
    # a caption without post marks before "A post shared by" is prose: it stays
    assert cleaned == f"{PROSE}\n\nThe French leader then flew to Kyiv for talks with Ukraine's president."
    assert set(kinds(edits)) == {"instagram"}


def test_facebook_post_glued():
    text = f"{PROSE} Road closures tonight! Posted by City of Kessling on Friday, March 4, 2022"
    assert strip_embeds(text)[0] == PROSE


@pytest.mark.parametrize(
    "credit",
    [
        "(AP Photo/Jo Lee)",
        "REUTERS/Jo Lee",
        "[Photo/Agencies]",
        "Photo: AFP",
        "Jo Lee/AFP via Getty Images",
        "(Thibault Camus/Pool via AP)",
        "Photograph: Jo Lee/AP",
        "AP",
    ],
)
def test_caption_glued_at_paragraph_end(credit):
    caption = "Emmanuel Macron speaks during a joint press conference in Moscow."
    cleaned, edits = strip_embeds(f"{PROSE} {caption} {credit}")
    assert cleaned == PROSE
    assert kinds(edits) == ["caption"]


def test_bare_agency_after_narrated_prose_stays():
    text = f"{PROSE} The talks lasted five hours, officials said. AP"
    assert strip_embeds(text) == (text, [])


def test_explicit_credit_after_narrated_prose_goes_alone():
    text = f"{PROSE} [Photo/Agencies]"
    cleaned, edits = strip_embeds(text)
    assert cleaned == PROSE and kinds(edits) == ["caption"] and edits[0]["before"] == "[Photo/Agencies]"


def test_inline_photo_credit():
    cleaned, edits = strip_embeds("Putin spoke (Photo: Getty Images) for an hour. Macron replied.")
    assert cleaned == "Putin spoke for an hour. Macron replied."
    assert kinds(edits) == ["credit"]


@pytest.mark.parametrize(
    "tail, kind",
    [
        ("Read more: Macron heads to Kyiv", "related"),
        ("READ MORE | Ukraine crisis: a timeline", "related"),
        ("(Reporting by Jo Lee; Editing by Ana Ruiz)", "credit"),
        ("— With assistance from Jo Lee.", "credit"),
        ("(AFP)", "credit"),
        ("Zhao Ruinan in Beijing and agencies contributed to this story.", "credit"),
        ("This article has been adapted from its original source.", "other"),
        ("(This story has not been edited by NewsNow staff and is auto-generated from a syndicated feed.)", "other"),
        ("Copyright 2022 The Associated Press. All rights reserved.", "other"),
        ("Story continues below advertisement", "ad"),
        ("Follow us on Facebook, Twitter and Instagram", "share"),
        ("Sign up for our newsletter", "share"),
    ],
)
def test_boilerplate_glued_at_paragraph_end(tail, kind):
    cleaned, edits = strip_embeds(f"{PROSE} {tail}")
    assert cleaned == PROSE
    assert set(kinds(edits)) == {kind}


def test_advertisement_glued_in_front():
    cleaned, edits = strip_embeds(f"ADVERTISEMENT {PROSE}")
    assert cleaned == PROSE and kinds(edits) == ["ad"]


def test_related_heading_takes_its_list_and_nothing_after():
    text = f"{PROSE}\n\nRelated stories:\n\n• Macron heads to Kyiv\n\n• Putin warns of war\n\n{PROSE}"
    cleaned, edits = strip_embeds(text)
    assert cleaned == f"{PROSE}\n\n{PROSE}"
    assert kinds(edits) == ["related"] * 3


def test_read_more_heading_takes_the_headline_after_it():
    text = f"{PROSE}\n\nRead more:\n\nMacron heads to Kyiv after Kremlin talks\n\n{PROSE}"
    assert strip_embeds(text)[0] == f"{PROSE}\n\n{PROSE}"


def _labelled_docs():
    return [json.loads(line) for line in BENCH.read_text(encoding="utf-8").splitlines() if line.strip()]


def _chars(s: str) -> Counter:
    return Counter(c for c in s if not c.isspace())


def test_every_removed_character_is_in_an_edit_and_stripping_is_idempotent():
    for doc in _labelled_docs():
        text = "\n\n".join(p["text"] for p in doc["paragraphs"])
        cleaned, edits = strip_embeds(text)
        removed = sum((_chars(e["before"]) for e in edits), Counter())
        assert _chars(text) == _chars(cleaned) + removed, doc["id"]
        assert all(e["step"] == "embeds" and e["after"] == "" for e in edits)
        assert strip_embeds(cleaned) == (cleaned, []), doc["id"]


def test_labelled_set_quality_floor():
    """Coarse floor on the benchmark set (the full table: bench/bench_embeds.py)."""
    residue = removed = content = kept = 0
    for doc in _labelled_docs():
        out, _ = strip_paragraphs([p["text"] for p in doc["paragraphs"]])
        for p, o in zip(doc["paragraphs"], out):
            if p["label"] == "content":
                content += 1
                kept += o == p["text"]
            elif p["label"] == "residue":
                residue += 1
                removed += not o
            else:
                content += 1
                residue += 1
                kept += p["keep"] in o
                removed += " ".join(o.split()) == " ".join(p["keep"].split())
    assert kept == content, f"{content - kept} content paragraphs damaged"
    assert removed / residue >= 0.97


def test_news_tweet_whose_last_sentence_reports_in_the_present_goes():
    tweet = "Strike update: no ships loaded at Velsen today. Union says walkout continues tomorrow. pic.twitter.com/ZZt5 - Port Watch (@portwatch_nl) March 15, 2022"
    assert strip_embeds(f"{PROSE}\n\n{tweet}")[0] == PROSE
