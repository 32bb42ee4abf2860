"""The whole flow on seeds/ (and on made-up feeds): the output contract holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from flows.publish.schema import DOCUMENTS, SENTENCES
from tests.helpers import REPO, SEEDS, read_dataset

CONTRACT_COLUMNS = [
    "doc_id",
    "source",
    "title",
    "url",
    "published",
    "text",
    "raw_text",
    "language",
    "language_score",
    "status",
    "reason",
    "duplicate_of",
    "edits",
    "flags",
]


def test_contract_columns_and_conservation(seeds_run):
    out, manifest = seeds_run
    clean, rejected = read_dataset(out / "clean"), read_dataset(out / "rejected")
    for table in (clean, rejected):
        assert set(CONTRACT_COLUMNS) <= set(table.schema.names)
        assert table.schema.equals(DOCUMENTS)
    assert clean.num_rows + rejected.num_rows == 5
    assert manifest["conservation"] == {
        "read": 5,
        "clean": clean.num_rows,
        "rejected": rejected.num_rows,
        "ok": True,
        "missing": 0,
        "unexpected": 0,
        "doubled": 0,
    }
    ids = clean.column("doc_id").to_pylist() + rejected.column("doc_id").to_pylist()
    assert len(set(ids)) == 5
    assert set(clean.column("status").to_pylist()) == {"clean"}
    assert clean.num_rows == 5  # five distinct articles of one story: none is a duplicate


def test_seed_004_tweets_gone_prose_kept(seeds_run):
    out, _ = seeds_run
    rows = read_dataset(out / "clean").to_pylist()
    doc = next(r for r in rows if "game of air hockey" in r["raw_text"])
    assert "pic.twitter.com" not in doc["text"] and "(@Russ_Warrior)" not in doc["text"]
    assert "game of air hockey" not in doc["text"]
    assert "Russian President Vladimir Putin gave assurances Monday" in doc["text"]
    assert "There will be no winners." in doc["text"]
    assert doc["published"] == "2022-02-08"
    tweet_edits = [e for e in doc["edits"] if e["step"] == "embeds" and e["kind"] == "tweet"]
    assert len(tweet_edits) == 2 and all(e["after"] == "" for e in tweet_edits)
    assert "\n\n" in doc["text"] and "\n\n\n" not in doc["text"]


def test_headers_parsed_into_metadata(seeds_run):
    out, _ = seeds_run
    rows = {r["title"]: r for r in read_dataset(out / "clean").to_pylist() if r["title"]}
    gulf = rows["Putin signals compromise over Ukraine after Macron talks"]
    assert gulf["url"].startswith("https://www.gulftoday.ae/") and gulf["published"] == "2022-02-08"
    assert gulf["source"] == "gulftoday.ae"
    assert not gulf["text"].startswith("Putin signals") and "20220208" not in gulf["text"]
    cd = rows["Macron, Putin look for solution"]
    assert cd["published"] == "2022-02-09T19:05" and cd["source"] == "chinadaily.com.cn"
    assert "By Jonathan Powell" not in cd["text"]


def test_flags_language_and_sentences(seeds_run):
    out, _ = seeds_run
    rows = read_dataset(out / "clean").to_pylist()
    assert {r["language"] for r in rows} == {"en"} and all(r["language_score"] > 0.9 for r in rows)
    mt = next(r for r in rows if "Volodymyr Zelensky with." in r["text"])
    assert {
        "kind": "broken_sentence",
        "detail": "Volodymyr Zelensky with.",
        "rule": "dangling_end",
        "confidence": 0.8,
    } in mt["flags"]
    for r in rows:
        assert len(r["languages"]) == r["text"].count("\n\n") + 1
        assert [p["index"] for p in r["languages"]] == list(range(len(r["languages"])))
    sents = read_dataset(out / "sentences")
    assert sents.schema.equals(SENTENCES)
    assert set(sents.column("doc_id").to_pylist()) == {r["doc_id"] for r in rows}
    assert sents.num_rows > 60


def test_manifest(seeds_run):
    out, manifest = seeds_run
    on_disk = json.loads((out / "runs" / f"{manifest['run_id']}.json").read_text())
    assert on_disk["run_id"] == manifest["run_id"]
    assert len(on_disk["inputs"]) == 5 and all(len(i["sha256"]) == 64 for i in on_disk["inputs"])
    for step in ("read", "repair", "embeds", "sentences", "language", "deduplicate", "validate", "write"):
        assert step in on_disk["counts"]
    assert on_disk["counts"]["embeds"]["removed"] >= 2
    assert on_disk["versions"]["prefect"] == "3.8.8"
    assert on_disk["validation"]["success"] is True
    assert not (out / ".staging" / manifest["run_id"]).exists()
    part = out / "clean" / f"run_date={manifest['run_date']}" / f"run_id={manifest['run_id']}" / "part-00000.parquet"
    assert part.exists()


def test_duplicates_bad_records_and_determinism(prefect_server, tmp_path):
    from flows.config import Config
    from flows.pipeline import clean_news

    src = tmp_path / "in"
    src.mkdir()
    base = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8").split("\n", 3)[3]
    lines = [
        {"id": "wire-1", "text": base, "published": "2022-02-09"},
        {"id": "wire-2", "text": base.replace("\n", "\n\n"), "published": "2022-02-10"},  # exact after normalising
        {"id": "wire-3", "text": "Syndicated copy. " + base[:-300], "published": "2022-02-11"},  # near
        {"id": "bad", "text": 42},
        {
            "id": "wire-1",
            "text": "Another article reusing an id, about the talks in Moscow on Monday that ended late "
            "without an agreement on the troops at the border.",
        },
    ]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n", encoding="utf-8")
    for p in sorted(SEEDS.glob("*.txt")):
        (src / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")

    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    m1 = clean_news(
        [str(src)], str(out1), Config(batch_size=2, workers=2)
    )  # the JSONL file cut in chunks, 2 worker processes
    m2 = clean_news([str(src)], str(out2), Config(batch_size=1000, workers=1))  # one batch, in the flow's process
    assert m1["conservation"]["read"] == 11 and m1["conservation"]["ok"]
    assert m2["conservation"]["read"] == 11 and m2["conservation"]["ok"]
    rej = {r["doc_id"]: r for r in read_dataset(out1 / "rejected").to_pylist()}
    assert rej["wire-2"]["status"] == "duplicate" and rej["wire-2"]["duplicate_of"] == "wire-1"
    assert rej["wire-2"]["reason"] == "exact_duplicate"
    assert rej["wire-3"]["status"] == "duplicate" and rej["wire-3"]["reason"] == "near_duplicate"
    assert rej["bad"]["status"] == "quarantined" and rej["bad"]["reason"].startswith("bad_text")
    reused = [r for r in read_dataset(out1 / "rejected").to_pylist() if r["doc_id"] == "wire-1"]
    assert (
        len(reused) == 1
        and reused[0]["reason"].startswith("duplicate_id")
        and reused[0]["input_ref"].endswith("feed.jsonl:5")
    )
    assert any(r["reason"].startswith("malformed_json: line 6") for r in rej.values())
    # same input, other batch size and runner: byte-identical files (the run partition's name aside)
    for name in ("clean", "rejected", "sentences"):
        files1 = {p.name: p for p in (out1 / name).rglob("*.parquet")}
        files2 = {p.name: p for p in (out2 / name).rglob("*.parquet")}
        assert files1 and sorted(files1) == sorted(files2)
        for f in files1:
            assert files1[f].read_bytes() == files2[f].read_bytes(), (name, f)


def test_cli_console_script(prefect_server, tmp_path):
    exe = Path(sys.executable).parent / "newsclean"
    env = dict(os.environ, PREFECT_API_URL=prefect_server)
    # relative input and output paths, as in the README's command
    (tmp_path / "seeds").symlink_to(SEEDS, target_is_directory=True)
    r = subprocess.run(
        [str(exe), "run", "seeds/", "--output", "o"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "read 5 = clean 5 + rejected 0" in r.stdout.replace("\n", " ")
    assert pq.read_table(next((tmp_path / "o" / "clean").rglob("*.parquet"))).num_rows == 5
    bad = subprocess.run(
        [str(exe), "run", "--batch-size", "0", "--output", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert bad.returncode == 2 and "batch_size must be positive" in bad.stderr
    missing = subprocess.run(
        [str(exe), "run", str(tmp_path / "nope"), "--output", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_mixed_language_document_and_accepted_languages(prefect_server, tmp_path):
    from flows.config import Config
    from flows.pipeline import clean_news

    english = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8").split("\n\n", 1)[1]
    russian = "Президент России Владимир Путин заявил после переговоров в Москве, что ряд идей французского лидера может стать основой для дальнейших совместных шагов."
    german = "Der russische Präsident Wladimir Putin bezeichnete die Gespräche mit dem französischen Präsidenten im Kreml als nützlich und sachlich, und beide wollen bald wieder telefonieren."
    src = tmp_path / "in"
    src.mkdir()
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "mixed", "text": english + "\n\n" + russian})
        + "\n"
        + json.dumps({"id": "de", "text": (german + " ") * 3})
        + "\n",
        encoding="utf-8",
    )
    clean_news([str(src)], str(tmp_path / "out"), Config(languages=("en",)))
    clean = {r["doc_id"]: r for r in read_dataset(tmp_path / "out" / "clean").to_pylist()}
    rejected = {r["doc_id"]: r for r in read_dataset(tmp_path / "out" / "rejected").to_pylist()}
    assert clean["mixed"]["language"] == "en"
    assert clean["mixed"]["languages"][-1]["language"] == "ru"
    assert rejected["de"]["status"] == "quarantined" and rejected["de"]["reason"].startswith("language: de")
