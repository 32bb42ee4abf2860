"""Great Expectations suites: loaded whole, failing the right expectations on batches made
bad on purpose, and gating what is published."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from cleaners.residue import residue_patterns
from expectations.validate import (
    SUITES_DIR,
    SuiteError,
    documents_frame,
    get_context,
    load_suite,
    run_frame,
    validate_frame,
)

GOOD_TEXT = "Putin and Macron met in Moscow on Monday for more than five hours of talks. " * 4


def rows(n=3, **changes):
    out = [
        {
            "doc_id": f"d{i}",
            "input_ref": f"/in/feed.jsonl:{i + 1}",
            "text": GOOD_TEXT,
            "language": "en",
            "language_score": 0.99,
            "status": "clean",
            "reason": None,
            "duplicate_of": None,
        }
        for i in range(n)
    ]
    for i, change in changes.items():
        out[int(i[1:])].update(change)
    return documents_frame(pa.Table.from_pylist(out))


def check(frame, tmp_path, languages=("en",)):
    return validate_frame(
        frame,
        "clean_documents",
        tmp_path / "gx",
        parameters={"accepted_languages": list(languages), "residue_patterns": residue_patterns()},
    )


def failed(outcome):
    return {(f.expectation, f.column) for f in outcome.critical}


@pytest.mark.parametrize("suite", ["clean_documents", "rejected_documents", "run"])
def test_suites_load_every_expectation(tmp_path, suite):
    data = json.loads((SUITES_DIR / f"{suite}.json").read_text())
    loaded = load_suite(get_context(str(tmp_path / "gx")), suite)
    assert len(loaded.expectations) == len(data["expectations"])


def test_an_unregistered_expectation_is_an_error_not_a_silent_drop(tmp_path):
    (tmp_path / "s.json").write_text(
        json.dumps(
            {
                "name": "s",
                "expectations": [
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}},
                    {"type": "expect_column_values_to_be_frobnicated", "kwargs": {"column": "a"}},
                ],
            }
        )
    )
    with pytest.raises((SuiteError, Exception), match="frobnicated|dropped"):
        load_suite(get_context(str(tmp_path / "gx")), "s", suites_dir=tmp_path)


def test_good_batch_passes_and_builds_data_docs(tmp_path):
    outcome = check(rows(), tmp_path)
    assert outcome.success and outcome.critical == [] and outcome.evaluated >= 14
    assert (tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_residue_left_in(tmp_path):
    outcome = check(rows(d1={"text": GOOD_TEXT + "pic.twitter.com/JZY21kAiet — Jo (@jo) February 7, 2022"}), tmp_path)
    assert ("expect_column_values_to_not_match_regex_list", "text") in failed(outcome)
    assert next(f for f in outcome.critical if f.expectation.endswith("regex_list")).rows == ["d1"]


def test_duplicate_ids(tmp_path):
    outcome = check(rows(d2={"doc_id": "d0"}), tmp_path)
    assert failed(outcome) == {("expect_column_values_to_be_unique", "doc_id")}


def test_wrong_language(tmp_path):
    outcome = check(rows(d0={"language": "ru"}), tmp_path)
    assert failed(outcome) == {("expect_column_values_to_be_in_set", "language")}


def test_mojibake_and_control_characters(tmp_path):
    outcome = check(rows(d0={"text": GOOD_TEXT + "Macronâ€™s visit"}, d1={"text": GOOD_TEXT + "\x07"}), tmp_path)
    assert ("expect_column_values_to_be_in_set", "has_mojibake") in failed(outcome)
    assert ("expect_column_values_to_have_no_control_characters", "text") in failed(outcome)


def test_status_and_reason_consistent(tmp_path):
    outcome = check(rows(d0={"reason": "exact_duplicate"}), tmp_path)
    assert failed(outcome) == {("expect_column_values_to_be_null", "reason")}


def test_short_text_is_only_a_warning(tmp_path):
    outcome = check(rows(n=1, d0={"text": "Short but fine."}), tmp_path)
    assert outcome.success and any("text_chars" in w.describe() for w in outcome.warnings)


def test_run_suite(tmp_path):
    ok = validate_frame(
        run_frame({"read": 10, "clean": 8, "rejected": 2, "duplicates": 1, "quarantined": 1}), "run", tmp_path / "gx"
    )
    assert ok.success and ok.warnings == []
    lost = validate_frame(
        run_frame({"read": 10, "clean": 8, "rejected": 1, "duplicates": 1, "quarantined": 0}), "run", tmp_path / "gx"
    )
    assert not lost.success
    bad_feed = validate_frame(
        run_frame({"read": 10, "clean": 2, "rejected": 8, "duplicates": 0, "quarantined": 8}), "run", tmp_path / "gx"
    )
    assert bad_feed.success and any("quarantined_share" in w.describe() for w in bad_feed.warnings)


def _mojibake_doc(folder):
    """An article with Mac Roman mojibake of place names beside correct curly quotes, as a real
    scraped article (FakeNewsCorpus, canadafreepress.com) carries it: ftfy cannot undo one
    without breaking the other and leaves it, so it fails the clean suite's has_mojibake."""
    text = (
        "The European trade delegation visited Plo\u221a\u00b4rmel and Malm\u221a\u2202 on Tuesday, where local "
        "officials said they \u201cdid not expect\u201d the minister\u2019s visit and showed them the new port terminals and the rail links that opened in the spring.\n\n"
        "On Wednesday the delegation flew on to D\u221a\u00fcsseldorf for two days of talks with German ministers "
        "about steel tariffs, energy prices and the funding of cross-border rail projects in the north."
    )
    (folder / "cfp.jsonl").write_text(json.dumps({"id": "cfp-2736", "text": text}) + "\n", encoding="utf-8")


def test_flow_keeps_failing_documents_out_of_clean_and_gates_the_run(prefect_server, tmp_path):
    """A document that fails a critical expectation goes to rejected/ with reason validation and
    the rest is published, with a warning, while such documents are at most
    max_validation_rejected_share of those validated; above it (1 of 6 here) the run fails and is
    not committed: nothing is published and the next run processes the inputs again."""
    import shutil

    from flows.config import Config
    from flows.pipeline import ValidationFailed, clean_news
    from tests.helpers import SEEDS

    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    _mojibake_doc(src)
    out = tmp_path / "out"
    with pytest.raises(
        ValidationFailed,
        match=r"1 of 6 documents \(16.67%\) failed critical expectations.*has_mojibake.*nothing was published",
    ):
        clean_news([str(src)], str(out), Config())
    assert not (out / "clean").exists() and not list((out / "runs").glob("*.json"))

    manifest = clean_news(
        [str(src)], str(out), Config(max_validation_rejected_share=0.2)
    )  # the retry reads everything again
    gate_ = manifest["validation"]["gate"]
    assert gate_["passed"] and gate_["rejected"] == 1 and "cfp-2736" in gate_["message"]
    assert manifest["conservation"]["read"] == 6
    clean = ds.dataset(str(out / "clean"), format="parquet").to_table().to_pylist()
    rejected = ds.dataset(str(out / "rejected"), format="parquet").to_table().to_pylist()
    assert len(clean) == 5 and len(rejected) == 1 and rejected[0]["doc_id"] == "cfp-2736"
    assert (
        rejected[0]["status"] == "quarantined"
        and rejected[0]["reason"] == "validation: failed expect_column_values_to_be_in_set"
    )
    assert Path(manifest["validation"]["data_docs"]).is_file()  # the link the manifest, report and artifact give


def test_gate_rows_or_the_whole_part():
    from expectations.validate import Failure
    from flows.pipeline import gate
    from flows.publish.schema import DOCUMENTS

    docs = pa.Table.from_pylist([{"doc_id": f"d{i}", "status": "clean"} for i in range(4)], schema=DOCUMENTS)
    few = Failure("expect_column_values_to_be_in_set", "has_mojibake", "critical", ["d2"], "1 unexpected of 4", 1)
    gated, n = gate(docs, [few])
    assert n == 1 and gated.column("status").to_pylist() == ["clean", "clean", "quarantined", "clean"]
    assert gated.column("reason").to_pylist()[2] == "validation: failed expect_column_values_to_be_in_set"
    systemic = Failure("expect_column_values_to_be_in_set", "has_mojibake", "critical", ["d0"], "300 unexpected", 300)
    gated, n = gate(docs, [systemic])
    assert n == 4 and set(gated.column("status").to_pylist()) == {"quarantined"}
