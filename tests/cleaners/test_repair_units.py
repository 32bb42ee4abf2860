"""Repair, unit by unit: encoding, layout, broken sentences, provenance, idempotence."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.encoding import needs_ftfy, repair_encoding, undo_utf8_misread
from cleaners.layout import (
    fix_doubled_words,
    fix_missing_space,
    joins_into_word,
    rebuild_paragraphs,
    repair_layout,
)
from cleaners.quality import has_mojibake
from cleaners.sentences import (
    broken_in_paragraph,
    broken_reason,
    find_broken_sentences,
    unbalanced_marks,
)
from flows.read.headers import split_header
from tests.helpers import SEEDS

FTFY_CASES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "ftfy-mojibake"


def repair(text: str) -> tuple[str, list[dict]]:
    out, edits = repair_encoding(text)
    out, more = repair_layout(out)
    return out, edits + more


# ------------------------------------------------------------------ encoding


@pytest.mark.parametrize(
    "raw, want",
    [
        ("Macronâ€™s â€œusefulâ€\x9d talks", "Macron’s “useful” talks"),  # UTF-8 read as Windows-1252
        ("Macronâ\x80\x99s visit", "Macron’s visit"),  # ... as Latin-1 (C1 controls)
        ("Macron‚Äôs visit", "Macron’s visit"),  # ... as MacRoman
        ("MacronÃ¢â‚¬â„¢s visit", "Macron’s visit"),  # twice
        ("Recep Tayyip ErdoÄŸan", "Recep Tayyip Erdoğan"),  # ftfy's heuristic lets this one pass
        ("Q&amp;A &ndash; it&#8217;s &amp;amp; &eacute;t&eacute;", "Q&A – it’s & été"),
        ("Zel\u200bensky\u2060 and Ma\u200ccron\ufeff", "Zelensky and Macron"),
        ("Zel\x07en\x1bsky\x7f", "Zelensky"),
        ("Zu\u0308rich", "Zürich"),  # NFC
        ("the ﬁnal oﬀer", "the final offer"),  # ligatures
        ("secu\u00adrity", "security"),
    ],
)
def test_encoding_defects_are_repaired(raw, want):
    text, edits = repair_encoding(raw)
    assert text == want
    assert edits and all(e["step"] == "repair" for e in edits)


@pytest.mark.parametrize(
    "clean",
    [
        "Macron’s “useful” talks in Zürich — and São Paulo… €4.2 billion, 3½ hours",
        "NESTLÉ® and AHÅ™ are brands; a radius of 10 Å—",  # ftfy's own negative cases
        "\U0001f469\u200d\U0001f4bb and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # emoji and Persian ZWJ/ZWNJ
        "ＬＯＵＤ full-width stays",  # fix_character_width is off
        'It\'s "straight" and ‘curly’',  # quotes are never uncurled or curled
    ],
)
def test_correct_unicode_is_left_alone(clean):
    assert repair_encoding(clean) == (clean, [])


def test_utf8_misread_fallback_is_narrow():
    assert undo_utf8_misread("in M√°laga") == "in Málaga"
    assert undo_utf8_misread("NESTLÉ® requiere") == "NESTLÉ® requiere"
    assert undo_utf8_misread("I'm a fan of Charlotte Brontë…”") == "I'm a fan of Charlotte Brontë…”"


@pytest.mark.skipif(not FTFY_CASES.exists(), reason="shared ftfy corpus not present")
def test_fast_path_never_skips_a_line_ftfy_would_change():
    """``needs_ftfy`` is a superset of what ftfy (our configuration) would change."""
    from cleaners.encoding import FTFY_CONFIG

    lines = []
    for name in ("in-the-wild", "synthetic", "negative", "known-failures"):
        for case in json.loads((FTFY_CASES / f"{name}.json").read_text(encoding="utf-8")):
            lines += case["original"].split("\n") + case["fixed"].split("\n")
    assert len(lines) > 200
    missed = [ln for ln in lines if ftfy.fix_text(ln, FTFY_CONFIG) != ln and not needs_ftfy(ln) and ln.isprintable()]
    assert missed == []


def _as_declared(text: str) -> str:
    """ftfy's expected output with our declared differences: quotes stay curly, odd spaces
    become plain spaces."""
    return re.sub("[\xa0\u2000-\u200a\u202f\u205f\u3000]", " ", ftfy.fixes.uncurl_quotes(text)).strip()


@pytest.mark.skipif(not FTFY_CASES.exists(), reason="shared ftfy corpus not present")
def test_ftfy_regression_cases_pass_with_our_configuration():
    failed = []
    for name in ("in-the-wild", "synthetic", "negative"):
        for case in json.loads((FTFY_CASES / f"{name}.json").read_text(encoding="utf-8")):
            got = _as_declared(repair_encoding(case["original"])[0])
            wants = {_as_declared(case[k]) for k in ("fixed", "fixed-encoding") if k in case}
            if got not in wants:
                failed.append(case["label"])
    assert failed == []


# ------------------------------------------------------------------ layout


def test_hard_wrapped_paragraphs_are_joined_and_blank_lines_kept():
    raw = (
        "The French leader traveled to Moscow for talks amid an East-West\n"
        "standoff over Russia's military buildup near Ukraine. Putin said the\n"
        "talks were useful.\n\n"
        "Macron heads to Kyiv on Tuesday after offering Russia security\n"
        "guarantees, officials said."
    )
    text, edits = repair_layout(raw)
    assert text == (
        "The French leader traveled to Moscow for talks amid an East-West standoff over Russia's military "
        "buildup near Ukraine. Putin said the talks were useful.\n\n"
        "Macron heads to Kyiv on Tuesday after offering Russia security guarantees, officials said."
    )
    assert sum(e["kind"] == "hard_wrap" for e in edits) == 3


def test_wrapped_text_without_blank_lines_breaks_where_the_next_word_would_have_fitted():
    raw = (
        "The French leader traveled to Moscow for talks amid an East-West\n"
        "standoff over Russia's military buildup near Ukraine.\n"
        "Macron heads to Kyiv on Tuesday after offering Russia security\n"
        "guarantees, officials said."
    )
    text, _ = repair_layout(raw)
    assert text.split("\n\n") == [
        "The French leader traveled to Moscow for talks amid an East-West standoff over Russia's military buildup near Ukraine.",
        "Macron heads to Kyiv on Tuesday after offering Russia security guarantees, officials said.",
    ]


def test_one_paragraph_per_line_with_short_lines_stays_paragraphs():
    raw = "Putin met Macron.\n“We agreed,” he said.\nThe talks lasted six hours.\neBay shares rose."
    assert repair_layout(raw)[0] == raw.replace("\n", "\n\n")


def test_a_line_ending_mid_sentence_joins_the_next_lower_case_line():
    raw = (
        "Macron met Mr.\nPeskov in Moscow on Monday for talks on security.\n"
        "The talks lasted six hours and were described as useful by both\nsides."
    )
    assert repair_layout(raw)[0] == (
        "Macron met Mr. Peskov in Moscow on Monday for talks on security.\n\n"
        "The talks lasted six hours and were described as useful by both sides."
    )


@pytest.mark.parametrize(
    "head, tail, joined",
    [
        ("secu", "rity", True),
        ("abstenti", "ons", True),
        ("with", "out", True),
        ("news", "paper", True),
        ("Moscow", "backed", False),
        ("long", "term", False),
        ("follow", "up", False),
        ("well", "known", False),
        ("state", "run", False),
        ("up", "to", False),
    ],
)
def test_dehyphenation_only_into_real_words(head, tail, joined):
    assert joins_into_word(head, tail) is joined
    text = rebuild_paragraphs(f"They spoke of {head}-\n{tail} matters today.", [])
    assert text == f"They spoke of {head}{tail if joined else '-' + tail} matters today."


def test_dehyphenation_follows_the_document_itself():
    # "Baerbock" is not in wordfreq, but the document spells it whole; "co-operation" with a hyphen
    raw = "Annalena Baerbock spoke. Later Baer-\nbock said co-\noperation and co-operation matter."
    assert (
        rebuild_paragraphs(raw, [])
        == "Annalena Baerbock spoke. Later Baerbock said co-operation and co-operation matter."
    )


@pytest.mark.parametrize(
    "raw, want",
    [
        ("in Moscow.The talks", "in Moscow. The talks"),
        ("in 2022.The talks", "in 2022. The talks"),
        ("he said.“We agree.”The end", "he said. “We agree.” The end"),
        ('he said "no."The end', 'he said "no." The end'),
        ('he left."We agree," he said', 'he left. "We agree," he said'),
        ("Why?The answer", "Why? The answer"),
        ("in the U.S.The Fed", "in the U.S. The Fed"),
        ("decades.A new poll", "decades. A new poll"),
        ("police.Søren Jensen", "police. Søren Jensen"),
        ("at example.org/report.pdf.The end", "at example.org/report.pdf. The end"),
    ],
)
def test_missing_space_after_a_sentence_end(raw, want):
    assert fix_missing_space(raw, []) == want


@pytest.mark.parametrize(
    "clean",
    [
        "U.S.A. and J.R.R. Tolkien",
        "growth of 3.5 percent",
        "mail j.Smith@Example.org",
        "see www.Example.com/News.Today",
        "the FabriPaint.Com site",
        "ASP.NET code",
        "e.g. this",
        "at 7 p.m. local time",
        "Yahoo!",
    ],
)
def test_missing_space_leaves_abbreviations_urls_and_numbers_alone(clean):
    assert fix_missing_space(clean, []) == clean


def test_doubled_words():
    assert fix_doubled_words("the the talks were were useful, vote vote.", []) == "the talks were useful, vote."
    assert fix_doubled_words("“The The market” and the the the end", []) == "“The market” and the end"
    legit = "He said that that was final; she had had enough; in Walla Walla; bye bye; the thesis"
    assert fix_doubled_words(legit, []) == legit


def test_doubled_words_beside_any_punctuation():
    # the cheap pre-check once stripped only a few ASCII marks and curly quotes, so a doubled
    # word before an ellipsis, a guillemet or a dash was never looked at
    text = "The talks were were… useful, said the the» official (the the—first) and and/or"
    assert fix_doubled_words(text, []) == "The talks were… useful, said the» official (the—first) and/or"
    kept = "the the-man, were were’s, the the2"  # _DOUBLED does not match before - ’ or a digit
    assert fix_doubled_words(kept, []) == kept


def test_whitespace_and_line_endings():
    raw = "  Putin\tmet\xa0Macron  in\u2009Moscow. \r\n\r\n\r\nThey talked.\u2028Then left.  "
    text, edits = repair_layout(raw)
    assert text == "Putin met Macron in Moscow.\n\nThey talked.\n\nThen left."
    assert {e["kind"] for e in edits} >= {"whitespace", "line_ending"}


# ------------------------------------------------------------------ provenance and idempotence

MESSY = [
    "Macronâ€™s visit &amp; talks\x07 in Mos-\ncow.The the leaders\nmet for six hours.\n\nâ€œWe agreed,â€\x9d he said .",
    "  Putin\tsaid the talks were\r\nuseful and secu-\r\nrity was discussed.Zel\u200bensky\u00ad agreed .\n\n\n",
    "Line one of a feed.\nLine two of a feed.\nThird line, “quoted”.\n",
    "The U.S.Army and Gov.Newsom met at 7 p.m.The end.",
]


@pytest.mark.parametrize("raw", MESSY)
def test_every_change_is_recorded_and_repair_is_idempotent(raw):
    text, edits = repair(raw)
    assert text != raw and edits
    assert all(set(e) == {"step", "kind", "before", "after"} and e["before"] != e["after"] for e in edits)
    assert repair(text) == (text, [])  # cleaning clean output changes nothing
    assert "\n" not in text.replace("\n\n", "") and "\n\n\n" not in text


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_seeds_are_idempotent(name):
    body = split_header(next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8"))[1]
    text, _ = repair(body)
    assert repair(text) == (text, [])


_ALPHABET = st.sampled_from(
    list("abcdeT .,;:!?-\n\"'“”’()é—")
    + [
        "the",
        "The",
        " the",
        "Moscow",
        "U.S.",
        "www.a.com",
        "\t",
        "\r",
        "\xa0",
        "\u200b",
        "\u00ad",
        "Ã©",
        "â€™",
        "&amp;",
        "&#8217;",
        "\x07",
        "secu-\nrity",
        "  ",
        "\u2009",
        "\u200d",
        "ErdoÄŸan",
        "M√°laga",
        "\n\n",
        "Mr.",
        "A",
        "\x0c",
        "ﬁ",
    ]
)


@settings(max_examples=int(os.environ.get("REPAIR_PROPERTY_EXAMPLES", "300")), deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_repair_is_idempotent_on_any_text(raw):
    text, _ = repair(raw)
    assert repair(text) == (text, [])


# ------------------------------------------------------------------ broken sentences


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("Volodymyr Zelensky with.", "dangling_end"),
        ("The courts to.", "dangling_end"),
        ("The findings were published in the journal Nature. 4:50 a.m at.", "dangling_end"),
        ("Prices for wheat and. Corn rose.", "dangling_end"),
        ("The talks lasted. for five hours in the Kremlin.", "spurious_stop"),
        ("in the Kremlin on Monday.", "lowercase_start"),
        ("However, he himself dampened expectations Their talks in Moscow.", "capitalised_function_word"),
        ("Putin called the talks useful, businesslike and business-like.", "repeated_word"),
        ("Talks the of Moscow held were.", "word_salad"),
    ],
)
def test_broken_sentence_rules(sentence, reason):
    assert broken_reason(sentence) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "It was not clear what the money would be used for.",
        "That was the view of most of the experts she spoke with.",
        "Asked whether she would resign, she said she did not want to.",
        "He said he had nothing to apologise for.",
        "The allies are the partners Germany can rely on.",
        "The court in The Hague will rule, The Guardian reported.",
        "He said that that decision was final.",
        "eBay and Amazon reported higher sales, e.g. in the U.S. and Mass. on Monday.",
        "Include these in your planning, and those of your staff.",
        "The vitamin A deficiency hit package A and B.",
        "It was a frank and useful conversation.",
    ],
)
def test_well_formed_sentences_are_not_flagged(sentence):
    assert broken_reason(sentence) is None


def test_quotes_spanning_sentences_and_paragraphs_are_balanced():
    assert unbalanced_marks("“We agreed. We will talk again,” he said.") == []
    assert unbalanced_marks("“We agreed. We will talk again.", "“And soon,” he said.") == []
    assert unbalanced_marks("“We agreed. We will talk again.", "He said so.") == [(0, "unbalanced_quotes")]
    found = broken_in_paragraph("Putin spoke. He said the plan was “useful. Then he left (for Kyiv.")
    assert found == [
        ("He said the plan was “useful.", "unbalanced_quotes"),
        ("Then he left (for Kyiv.", "unbalanced_brackets"),
    ]


def test_drop_policy_removes_only_broken_sentences_and_records_them():
    text = "Putin said the talks went well. Volodymyr Zelensky with.\n\nMacron left. Their talks with."
    new, edits, flags = find_broken_sentences(text, policy="drop")
    assert new == "Putin said the talks went well.\n\nMacron left."
    assert [e["before"] for e in edits] == ["Volodymyr Zelensky with.", "Their talks with."]
    assert all(
        e
        == {
            "step": "sentences",
            "kind": "drop_broken_sentence",
            "before": e["before"],
            "after": "",
            "rule": "dangling_end",
        }
        for e in edits
    )
    assert [f["detail"] for f in flags] == [e["before"] for e in edits]
    with pytest.raises(ValueError):
        find_broken_sentences(text, policy="fix")


def test_mojibake_left_beside_a_correct_character_is_fixed_word_by_word():
    # ftfy re-encodes a line as a whole: the correct "É" of the dateline kept it from decoding
    # "Å‚" (ł) while it fixed "Ã©" in the same line (a document of the 1M benchmark corpus)
    raw = "MONTRÉAL (Interfax) - RenÃ©e Peskov met MaÅ‚gorzata Nowak.\n\nLater, InÃ©s Blinken spoke."
    text, edits = repair_encoding(raw)
    assert text == "MONTRÉAL (Interfax) - Renée Peskov met Małgorzata Nowak.\n\nLater, Inés Blinken spoke."
    assert not has_mojibake(text)
    assert {"before": "MaÅ‚gorzata", "after": "Małgorzata", "kind": "ftfy:word"}.items() <= next(
        e for e in edits if e["before"] == "MaÅ‚gorzata"
    ).items()
    assert repair_encoding(text) == (text, [])  # repairing repaired text changes nothing


def test_a_line_ftfy_refuses_is_not_decoded_word_by_word():
    # ftfy's negative case: could be Latin-1 or MacRoman, safest left alone
    assert repair_encoding("Bremer/Mccoy – DrÃ¥ber") == ("Bremer/Mccoy – DrÃ¥ber", [])


def test_a_wrapped_line_ending_in_a_spaced_dash_is_joined():
    # the embed's signature went to a line of its own and used to become a paragraph of its
    # own, which the embeds step (it needs the dash) then left in the text
    text = (
        "The talks in Kyiv ended late on Monday without any agreement on the new\n"
        "grain corridor, officials said. Big day pic.twitter.com/AbC123 —\n"
        "Jo Lee (@jolee) May 1, 2023\n\nThe next round is due in June."
    )
    rebuilt = rebuild_paragraphs(text, [], "en")
    assert "AbC123 — Jo Lee (@jolee) May 1, 2023\n\nThe next" in rebuilt
