"""Repair cleaners on the seeds' real defects and the defect kinds of scraped news."""

from __future__ import annotations

from cleaners.encoding import repair_encoding
from cleaners.layout import repair_layout
from cleaners.sentences import find_broken_sentences, split_sentences
from flows.read.headers import split_header
from tests.helpers import SEEDS


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_mojibake_is_fixed_and_recorded():
    text, edits = repair_encoding("Macronâ€™s visit to Kyivâ€”and Moscow")
    assert text == "Macron’s visit to Kyiv—and Moscow"
    assert edits and all(e["step"] == "repair" and e["kind"].startswith("ftfy") for e in edits)
    assert edits[0]["before"] == "Macronâ€™s" and edits[0]["after"] == "Macron’s"


def test_entities_controls_and_zero_width_are_removed():
    text, edits = repair_encoding("Q&amp;A:\x07 Zel\u200bensky&#8217;s \u202eplan")
    assert text == "Q&A: Zelensky’s plan"
    kinds = {e["kind"] for e in edits}
    assert {"html_entity", "invisible_char"} <= kinds


def test_curly_quotes_and_clean_text_are_left_alone():
    body = split_header(seed("002"))[1]
    text, edits = repair_encoding(body)
    assert text == body and edits == []
    assert "“useful" in text


def test_hard_wraps_are_joined_and_hyphenation_only_into_real_words():
    raw = "The talks on European secu-\nrity lasted five hours, and Moscow-\nbacked\nseparatists were\ndiscussed at length.\n\nSecond paragraph."
    text, edits = repair_layout(raw)
    assert text == (
        "The talks on European security lasted five hours, and Moscow-backed separatists were discussed at length."
        "\n\nSecond paragraph."
    )
    assert any(
        e["kind"] == "dehyphenate" and "secu-\nrity" in e["before"] and "security lasted" in e["after"] for e in edits
    )


def test_one_paragraph_per_line_becomes_blank_line_separated():
    body = split_header(seed("001"))[1]
    text, edits = repair_layout(body)
    assert "\n\n" in text and "\n\n\n" not in text
    assert text.count("\n\n") == body.strip().count("\n")
    assert all(e["kind"] in {"paragraph_break", "whitespace"} for e in edits)


def test_missing_space_and_doubled_words():
    text, edits = repair_layout(
        "He spoke in Moscow.The the talks ended. Visit www.example.com or mail a.b@ex.org. U.S. growth was 3.5 percent."
    )
    assert (
        text
        == "He spoke in Moscow. The talks ended. Visit www.example.com or mail a.b@ex.org. U.S. growth was 3.5 percent."
    )
    assert {e["kind"] for e in edits} == {"missing_space", "doubled_word"}


def test_seed_002_machine_translation_breaks_are_flagged():
    body, _ = repair_layout(split_header(seed("002"))[1])
    _, edits, flags = find_broken_sentences(body)
    details = [f["detail"] for f in flags]
    assert "Volodymyr Zelensky with." in details
    assert "However, he himself dampened expectations Their talks in Moscow." in details
    assert any("businesslike and business-like" in d for d in details)
    assert edits == []  # keep-and-flag by default
    assert all(f["kind"] == "broken_sentence" for f in flags)


def test_well_formed_seeds_raise_no_broken_sentence_flags():
    for name in ("000", "001", "003"):
        body, _ = repair_layout(split_header(seed(name))[1])
        _, _, flags = find_broken_sentences(body)
        assert flags == [], (name, flags)


def test_drop_policy_removes_the_sentence_as_an_edit():
    text = "Putin said the talks went well. Volodymyr Zelensky with. Macron left."
    new, edits, flags = find_broken_sentences(text, policy="drop")
    assert new == "Putin said the talks went well. Macron left."
    assert edits == [
        {
            "step": "sentences",
            "kind": "drop_broken_sentence",
            "before": "Volodymyr Zelensky with.",
            "after": "",
            "rule": "dangling_end",
        }
    ]


def test_sentence_splitter_keeps_initials_and_titles():
    assert split_sentences('Dr. J. R. Smith met Mr. Putin in the U.S. capital. "We agreed," he said.') == [
        "Dr. J. R. Smith met Mr. Putin in the U.S. capital.",
        '"We agreed," he said.',
    ]
