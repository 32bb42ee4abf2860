"""Runs over time: incremental input, the cross-run dedup index, repeated passages, crashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.dataset as ds

from flows.config import Config
from flows.pipeline import clean_news
from flows.publish.state import with_checksum
from tests.helpers import SEEDS


def dataset(path):
    return ds.dataset(str(path), format="parquet", partitioning="hive").to_table()


def copy_seeds(dest):
    dest.mkdir(parents=True, exist_ok=True)
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, dest / p.name)


def test_incremental_and_cross_run_dedup(prefect_server, tmp_path):
    src, out = tmp_path / "feed", tmp_path / "out"
    copy_seeds(src)
    first = clean_news([str(src)], str(out), Config())
    assert first["conservation"]["clean"] == 5
    from cleaners.signatures import SIGNATURE_SETTINGS
    from flows.dedup.index import file_settings

    for kind in ("docs", "sentences"):  # the index is stamped with the settings its signatures were made with
        assert file_settings(out / "index" / kind / f"run_id={first['run_id']}.parquet") == SIGNATURE_SETTINGS[kind]

    again = clean_news([str(src)], str(out), Config())  # nothing new: nothing processed
    assert again["inputs"] == [] and again["unchanged_inputs"] == 5 and again["conservation"]["read"] == 0
    assert dataset(out / "clean").num_rows == 5

    # tomorrow: a syndicated copy of seed 003 under another name, and one new article
    body = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    (src / "syndicated.txt").write_text(
        "Macron and Putin seek a way out\\n\\n" + body.split("\n", 3)[3], encoding="utf-8"
    )
    (src / "new.jsonl").write_text(
        json.dumps(
            {
                "id": "n1",
                "text": "Kremlin talks ended late on Monday in Moscow with no agreement on the main questions, officials said.",
            }
        )
        + "\n"
    )
    third = clean_news([str(src)], str(out), Config())
    assert [i["ref"] for i in third["inputs"]] == [
        str(src.resolve() / "new.jsonl"),
        str(src.resolve() / "syndicated.txt"),
    ]
    rejected = {r["input_ref"]: r for r in dataset(out / "rejected").to_pylist()}
    syn = rejected[str(src.resolve() / "syndicated.txt")]
    original = next(r for r in dataset(out / "clean").to_pylist() if Path(r["input_ref"]).name.startswith("003_"))
    assert syn["status"] == "duplicate" and syn["duplicate_of"] == original["doc_id"]
    # the canonical came in the first run: its title is still shown
    assert third["duplicate_clusters"] == [{"doc_id": original["doc_id"], "title": original["title"], "duplicates": 1}]
    assert original["title"] and original["title"] in Path(third["report"]).read_text(encoding="utf-8")
    clean = dataset(out / "clean").to_pylist()
    assert {r["run_id"] for r in clean} == {first["run_id"], third["run_id"]}
    assert len({r["doc_id"] for r in clean}) == len(clean) == 6

    # a changed file is processed again
    (src / "new.jsonl").write_text(
        json.dumps(
            {
                "id": "n2",
                "text": "A different article about the Elysee and the Kremlin after the talks, published a day later.",
            }
        )
        + "\n"
    )
    fourth = clean_news([str(src)], str(out), Config())
    assert [i["ref"] for i in fourth["inputs"]] == [str(src.resolve() / "new.jsonl")]


def test_index_window_expires_entries(prefect_server, tmp_path):
    src, out = tmp_path / "feed", tmp_path / "out"
    copy_seeds(src)
    first = clean_news([str(src)], str(out), Config())
    manifest_path = out / "runs" / f"{first['run_id']}.json"
    m = json.loads(manifest_path.read_text())
    m["finished_at"] = "2020-01-01T00:00:00+00:00"  # pretend the first run is old
    manifest_path.write_text(json.dumps(with_checksum(m)))  # an edited manifest needs a new checksum
    shutil.copy(next(SEEDS.glob("003_*.txt")), src / "copy-of-003.txt")
    second = clean_news([str(src)], str(out), Config(index_window_days=30))
    assert second["index"]["prior_runs"] == 0
    assert second["conservation"]["clean"] == 1  # the old run's entries expired
    assert not (out / "index" / "docs" / f"run_id={first['run_id']}.parquet").exists()


def test_repeated_quotes_point_to_first_occurrence_and_drop_policy(prefect_server, tmp_path):
    out = tmp_path / "mark"
    clean_news([str(SEEDS)], str(out), Config())
    clean = {r["doc_id"]: r for r in dataset(out / "clean").to_pylist()}
    assert len(clean) == 5  # distinct articles of one story: no duplicates
    sents = dataset(out / "sentences").to_pylist()
    quote = [s for s in sents if "assured me of his readiness" in s["text"]]
    assert len(quote) == 3
    first = [s for s in quote if s["repeats_doc_id"] is None]
    assert len(first) == 1
    assert all(
        s["repeats_doc_id"] == first[0]["doc_id"] and s["repeats_position"] == first[0]["position"]
        for s in quote
        if s is not first[0]
    )
    assert clean[first[0]["doc_id"]]["published"] == "2022-02-08"  # the earliest dated article
    assert all(clean[s["doc_id"]]["repeated_sentence_share"] > 0 for s in quote if s["repeats_doc_id"])

    dropped = tmp_path / "drop"
    clean_news([str(SEEDS)], str(dropped), Config(repeated_sentences="drop"))
    rows = dataset(dropped / "clean").to_pylist()
    with_quote = [r for r in rows if "assured me of his readiness" in r["text"]]
    assert len(with_quote) == 1
    edits = [e for r in rows for e in r["edits"] if e["kind"] == "drop_repeated_sentence"]
    assert len(edits) == 2 and all("assured me of his readiness" in e["before"] and e["after"] == "" for e in edits)


def test_leftovers_of_a_crashed_run_are_removed(prefect_server, tmp_path):
    src, out = tmp_path / "feed", tmp_path / "out"
    copy_seeds(src)
    # what a run killed between publishing and committing its manifest leaves behind
    ghost = out / "clean" / "run_date=2026-01-01" / "run_id=20260101T000000-dead00"
    ghost.mkdir(parents=True)
    shutil.copy(next(SEEDS.glob("000_*.txt")), ghost / "part-00000.parquet")
    (out / "index" / "docs").mkdir(parents=True)
    (out / "index" / "docs" / "run_id=20260101T000000-dead00.parquet").write_bytes(b"junk")
    (out / ".staging" / "20260101T000000-dead00").mkdir(parents=True)
    m = clean_news([str(src)], str(out), Config())
    assert not ghost.exists() and not (out / "index" / "docs" / "run_id=20260101T000000-dead00.parquet").exists()
    assert m["conservation"]["clean"] == 5
    assert dataset(out / "clean").num_rows == 5


def test_conservation_compares_identities_not_counts(tmp_path):
    """A record lost where another was doubled keeps the counts equal; the identities do not."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from flows.publish.conservation import conservation

    st = tmp_path / "staging"
    for folder in ("batches", "out/clean", "out/rejected"):
        (st / folder).mkdir(parents=True)
    pq.write_table(pa.table({"input_ref": ["a:1", "a:2", "a:3"]}), st / "batches" / "batch-000000.parquet")
    pq.write_table(pa.table({"input_ref": ["a:1", "a:2"]}), st / "out" / "clean" / "part-00000.parquet")
    pq.write_table(pa.table({"input_ref": ["a:3"]}), st / "out" / "rejected" / "part-00000.parquet")
    assert conservation(st)["ok"]
    pq.write_table(
        pa.table({"input_ref": ["a:1"]}), st / "out" / "rejected" / "part-00000.parquet"
    )  # a:3 lost, a:1 twice
    found = conservation(st)
    assert found["read"] == found["written"] == 3 and not found["ok"]
    assert (found["missing"], found["doubled"]) == (1, 1) and found["examples"] == {
        "missing": ["a:3"],
        "doubled": ["a:1"],
    }
