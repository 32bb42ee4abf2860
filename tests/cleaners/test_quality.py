"""cleaners.quality.has_mojibake gives exactly ftfy's is_bad answer, only faster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ftfy.badness import is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.quality import has_mojibake

FTFY_CASES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "ftfy-mojibake"
# characters ftfy's badness patterns are made of, plus ASCII and separators
ALPHABET = st.sampled_from(list("ab Z.,?!\n\t19") + list("ÃÂâ€™œ¦¤ГўВЂéèàü—’“”ØÙ×²Œœ°√≈‚ÄβāΒΓ\xa0\x85«»©®™ßñ"))


@pytest.mark.slow  # exhaustive: seconds
@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, max_size=40), st.integers(0, 60), st.integers(0, 60))
def test_same_answer_as_is_bad(core, before, after):
    text = "x" * before + core + "y " * after
    assert has_mojibake(text) == is_bad(text)


def test_known_texts():
    assert has_mojibake("pic.twitter.com â€” The Eurasianist")
    assert has_mojibake("Ã crit") == is_bad("Ã crit")  # ^-anchored pattern: start of the text only
    assert not has_mojibake("Zelensky said “no” — twice; café, Straße, Київ.")
    assert not has_mojibake("")


@pytest.mark.skipif(not FTFY_CASES.exists(), reason="ftfy's test cases are in ../shared only")
def test_ftfy_cases():
    texts = []
    for path in FTFY_CASES.rglob("*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        for case in data if isinstance(data, list) else []:
            texts += [case[k] for k in ("original", "fixed", "fixed-encoding") if isinstance(case.get(k), str)]
    assert len(texts) > 300
    for text in texts:
        for variant in (text, "x" * 50 + text + "y" * 50, "Ã " + text):
            assert has_mojibake(variant) == is_bad(variant), variant


def _category_characters() -> list[str]:
    """Every character of ftfy's badness categories (ranges expanded)."""
    from ftfy.badness import MOJIBAKE_CATEGORIES

    chars: set[str] = set()
    for spec in MOJIBAKE_CATEGORIES.values():
        i = 0
        while i < len(spec):
            if i + 2 < len(spec) and spec[i + 1] == "-":
                chars.update(map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1)))
                i += 3
            else:
                chars.add(spec[i])
                i += 1
    return sorted(chars)


# the letters that trigger no scan (Cyrillic, Greek, lower-case accented) between the rest
LETTERS = st.sampled_from(list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяВГРСЂўΒΓΞΟαβγéèüößñçłśżźąęńó’–—… abcxyz.,"))
SPECIALS = st.sampled_from(_category_characters() + list("ŒœØÙЂ°ÂÃÎÐ€ŠšŸž×²³àµ¹¼½¾√±∂†≠®™´≤≥¥≈¢‚ÄπâóвβΆā"))


@pytest.mark.slow  # exhaustive: seconds
@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(LETTERS, LETTERS, LETTERS, SPECIALS), max_size=120))
def test_same_answer_as_is_bad_on_every_category_character(chars):
    """Letters that trigger no scan, between any characters the badness regex knows:
    the trigger windows miss no match."""
    text = "".join(chars)
    assert has_mojibake(text) == is_bad(text)
