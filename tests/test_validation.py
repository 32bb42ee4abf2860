"""Great Expectations suites: loaded whole, and failing on batches made bad on purpose."""

from __future__ import annotations

import json

import pandas as pd

from expectations.validate import SUITES_DIR, get_context, load_suite, validate_frame


def good_row(i: int) -> dict:
    return {"doc_id": f"d{i}", "text": "Putin and Macron met in Moscow. " * 10, "language": "en",
            "language_score": 0.99, "status": "clean", "reason": None}


def test_suite_loads_every_expectation(tmp_path):
    data = json.loads((SUITES_DIR / "clean_documents.json").read_text())
    suite = load_suite(get_context(str(tmp_path / "gx")), "clean_documents")
    assert len(suite.expectations) == len(data["expectations"]) >= 8


def test_good_batch_passes(tmp_path):
    outcome = validate_frame(pd.DataFrame([good_row(i) for i in range(3)]), "clean_documents", tmp_path / "gx")
    assert outcome.success and outcome.critical == []


def test_residue_and_duplicate_ids_fail_critical_expectations(tmp_path):
    rows = [good_row(i) for i in range(3)]
    rows[1]["text"] += " pic.twitter.com/JZY21kAiet — Jo (@jo) February 7, 2022"
    rows[2]["doc_id"] = "d0"
    outcome = validate_frame(pd.DataFrame(rows), "clean_documents", tmp_path / "gx")
    assert not outcome.success
    failed = {(f.expectation, f.column) for f in outcome.critical}
    assert ("expect_column_values_to_not_match_regex", "text") in failed
    assert ("expect_column_values_to_be_unique", "doc_id") in failed
    regex_fail = next(f for f in outcome.critical if f.expectation == "expect_column_values_to_not_match_regex")
    assert regex_fail.rows == ["d1"]
