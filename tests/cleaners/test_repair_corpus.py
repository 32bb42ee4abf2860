"""Repair quality on a small slice of the benchmark corpus (``bench/repair_corpus.py``).

The full table comes from ``bench/bench_repair.py``; this keeps the issue-3 targets from
regressing unnoticed, on fewer cases so it runs in seconds.  No timing here.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import repair_corpus as rc  # noqa: E402

from cleaners.encoding import repair_encoding  # noqa: E402
from cleaners.layout import repair_layout  # noqa: E402
from cleaners.sentences import find_broken_sentences  # noqa: E402


def repair(text: str) -> str:
    return repair_layout(repair_encoding(text)[0])[0]


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return rc.clean_paragraphs(200, seed=101)


def test_corpus_is_deterministic_and_varied(paragraphs):
    assert paragraphs == rc.clean_paragraphs(200, seed=101)
    assert len(set(paragraphs)) == 200
    assert sum(not p.isascii() for p in paragraphs) > 40  # curly quotes, accents, currency signs


def test_clean_paragraphs_come_out_unchanged_and_unflagged(paragraphs):
    unchanged = sum(repair(p) == p for p in paragraphs)
    assert unchanged / len(paragraphs) >= 0.995
    sentences = sum(len(rc._sentences(p)) for p in paragraphs)
    flags = sum(len(find_broken_sentences(p)[2]) for p in paragraphs)
    assert flags / sentences <= 0.005


def test_each_corruption_kind_is_restored_exactly(paragraphs):
    cases = rc.corruption_cases(paragraphs, per_kind=50, seed=103)
    total, ok = Counter(), Counter()
    for kind, clean, raw in cases:
        assert raw != clean
        total[kind] += 1
        ok[kind] += repair(raw) == clean
    assert set(total) == set(rc.CORRUPTIONS)
    rates = {kind: ok[kind] / total[kind] for kind in total}
    assert all(rate >= 0.96 for rate in rates.values()), rates


def test_broken_fragments_are_found_precisely(paragraphs):
    cases = rc.broken_cases(paragraphs, n=140, seed=107)
    found = true_flags = false_flags = 0
    for _kind, text, units in cases:
        hit = False
        for flag in find_broken_sentences(text)[2]:
            start = text.find(flag["detail"])
            end = start + len(flag["detail"])
            if any(broken for a, b, broken in units if a < end and start < b):
                true_flags += 1
                hit = True
            else:
                false_flags += 1
        found += hit
    assert found / len(cases) >= 0.8
    assert true_flags / (true_flags + false_flags) >= 0.9
