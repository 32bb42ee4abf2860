"""Broken-sentence flags name their rule and confidence; list items, quotation halves and
mixed quote styles are not broken; drop removes only confident flags and never quoted speech."""

from __future__ import annotations

import pytest

from cleaners.sentences import CONFIDENCE, find_broken_sentences


def flags(text: str) -> list[tuple[str, str, float]]:
    return [(f["detail"], f["rule"], f["confidence"]) for f in find_broken_sentences(text)[2]]


def test_every_flag_names_its_rule_and_confidence():
    found = flags("Macron visited Kyiv. Volodymyr Zelensky with.\n\nAll fine here today.")
    assert found == [("Volodymyr Zelensky with.", "dangling_end", CONFIDENCE["dangling_end"])]


@pytest.mark.parametrize("loop", [
    # a translation loop seen in real MT output (WMT23 zh-en, a system's repetition)
    "Vietnamese Prime Minister and his wife visited the University of Bern, Bern, Bern, Bern, Bern, Bern.",
    "The video is a great way to learn about the history of the country, the history of the country, "
    "the history of the country, the history of the country.",
])
def test_repetition_loops_are_doubled_phrase(loop):
    assert [r for _, r, _ in flags(loop)] == ["doubled_phrase"]


@pytest.mark.parametrize("fine", [
    "She said no, no, no to the plan before the vote.",
    "1. Lower taxes for small firms and the self-employed",
    "- a new rail link between the two ports",
    "He said “we will not accept this\" and left the room.",  # one curly, one straight quote
    "TRUMP: And — and — and — I’m a leader.",  # a stammer in a transcript (BuzzFeed real, tune)
])
def test_list_items_speech_and_mixed_quotes_are_not_broken(fine):
    assert flags(fine) == []


def test_drop_removes_only_confident_flags_and_never_quoted_speech():
    text = ("Macron met Putin on Monday. Volodymyr Zelensky with.\n\n"
            "The talks lasted five hours. “It was good,” he said of the. \n\n"
            "The classic thing to watch out for is the shift from one governing strategy to another.")
    out, edits, found = find_broken_sentences(text, policy="drop", min_confidence=0.8)
    assert "Volodymyr Zelensky with." not in out and [e["rule"] for e in edits] == ["dangling_end"]
    assert "“It was good,” he said of the." in out  # quoted speech stays, flagged
    assert "governing strategy" in out
    assert {f["detail"] for f in found} >= {"Volodymyr Zelensky with.", "“It was good,” he said of the."}


@pytest.mark.parametrize("fluent", [
    # professional news that a class-trigram fluency score ranks least fluent (Horne & Adali's
    # BuzzFeed real set, tune; evals/mt_breakage/experiments): no rule may flag it
    "Donald says America never wins anymore.",
    "The smug recognize one another by their mutual knowing.",
    "Donald really said all these things.",
    "So in the interest of full disclosure, these may or may not have been Lincoln’s words.",
    # MT output all three raters left without a fluency error (WMT23 zh-en, tune)
    "However, the death toll from the earthquake climbed to 24,150.",
    "These problems of fund investors are about to be solved.",
])
def test_plain_but_unusual_prose_is_not_broken(fluent):
    assert flags(fluent) == []
