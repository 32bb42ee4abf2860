"""``newsclean explain`` on the seeds' output, the run's profile and examples
(``flows.publish.audit``), and drift across runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from flows.publish.audit import batch_candidates, choose, keep_best, rates
from flows.publish.explain import ExplainError, explain, render_html, render_text
from flows.publish.report import drift_html
from flows.publish.schema import DOCUMENTS
from tests.helpers import REPO, cli_env, read_dataset

EXPLAIN = [sys.executable, "-m", "flows.cli", "explain"]


def _doc_of(out: Path, seed: str) -> str:
    """The doc_id of a seed file (its input_ref ends with the file name)."""
    rows = read_dataset(out / "clean").select(["doc_id", "input_ref"]).to_pylist()
    return next(r["doc_id"] for r in rows if Path(r["input_ref"]).name.startswith(seed))


def _explain_cli(*args) -> subprocess.CompletedProcess:
    env = cli_env(PYTHONPATH=str(REPO))
    env.pop("NO_COLOR", None)
    return subprocess.run([*EXPLAIN, *map(str, args)], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)


def test_seed_004_tweets_removed_with_their_rule_and_category(seeds_run):
    out, manifest = seeds_run
    journey = explain(out, _doc_of(out, "004_"))
    assert journey.status == "clean" and journey.run_id == manifest["run_id"]
    assert journey.input_ref.endswith("seeds/004_79a605d2e2b8dae4.txt")
    embeds = next(s for s in journey.steps if s["step"] == "embeds")
    tweets = [e for e in embeds["edits"] if e["kind"] == "tweet"]
    assert len(tweets) == 2 and {e["rule"] for e in tweets} == {"tweet_signature"}
    assert all(e["diff"][0][0] == "-" and "pic.twitter.com" in e["before"] for e in tweets)
    assert tweets[0]["left"].endswith("escalation in Ukraine. ")  # the words before it, as read
    text = render_text(journey, color=False)
    assert "tweet (tweet_signature): …" in text and "[-President #Putin after talks with Macron" in text
    assert "status: clean" in text and "\x1b[" not in text
    assert journey.paragraphs and all(p["language"] == "en" for p in journey.paragraphs)
    assert journey.to_dict()["steps"][0]["step"] == "repair"  # plain data for a notebook
    coloured = render_text(journey, color=True)
    assert "\x1b[31mPresident #Putin" in coloured and "[-" not in coloured


def test_seed_002_flags_with_their_rules_through_the_cli(seeds_run, tmp_path):
    out, _ = seeds_run
    doc_id = _doc_of(out, "002_")
    page = tmp_path / "doc.html"
    proc = _explain_cli(out, doc_id, "--html", page)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stdout  # not a terminal: plain text
    for rule, sentence in [
        ("dangling_end", "Volodymyr Zelensky with."),
        ("repeated_word", "businesslike and business-like"),
        ("capitalised_function_word", "dampened expectations Their talks"),
    ]:
        assert re.search(rf"broken_sentence/{rule} 0\.\d\d: .*{re.escape(sentence)}", proc.stdout), proc.stdout
    assert "input:  " in proc.stdout and "002_bcd470c7927b5382.txt" in proc.stdout
    assert "language: en" in proc.stdout and "¶0 en" in proc.stdout and "status: clean" in proc.stdout
    html_text = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html_text and "<script" not in html_text and "src=" not in html_text
    assert "dangling_end" in html_text and "<mark>Volodymyr Zelensky with.</mark>" in html_text


@pytest.mark.parametrize("case", ["unknown_doc", "not_an_output", "unknown_run"])
def test_explain_errors_are_one_line_and_exit_2(seeds_run, tmp_path, case):
    out, _ = seeds_run
    args = {
        "unknown_doc": (out, "no-such-doc"),
        "not_an_output": (tmp_path, "x"),
        "unknown_run": (out, _doc_of(out, "004_"), "--run", "20000101T000000-abcdef"),
    }[case]
    proc = _explain_cli(*args)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("newsclean: "), proc.stderr
    assert proc.stdout == ""
    with pytest.raises(ExplainError):
        explain(args[0], args[1], run_id=args[3] if case == "unknown_run" else None)


def test_a_duplicate_points_to_its_canonical_and_hostile_text_stays_inert(prefect_server, tmp_path):
    from flows.config import Config
    from flows.pipeline import clean_news

    src = tmp_path / "in"
    src.mkdir()
    body = next((REPO / "seeds").glob("003_*.txt")).read_text(encoding="utf-8").split("\n", 3)[3]
    hostile = "\x1b]0;pwned\x07\x1b[2J <script>alert(1)</script>"
    docs = [
        {"id": "first", "title": "The original", "text": body, "published": "2022-02-09"},
        {"id": "copy", "title": hostile, "text": body, "published": "2022-02-10"},
    ]
    (src / "feed.jsonl").write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    clean_news([str(src)], str(out), Config())
    journey = explain(out, "copy")
    assert journey.status == "duplicate" and journey.relation == "exact_duplicate"
    assert journey.duplicate_of == "first" and journey.duplicate_title == "The original"
    text = render_text(journey, color=True)
    assert "\x1b]" not in text and "\x07" not in text and "\x1b[2J" not in text and "\\x1b]0;pwned\\x07" in text
    assert (
        "exact_duplicate first (The original)" in render_text(journey)
        and "rejected (duplicate): exact_duplicate" in text
    )
    page = render_html(journey)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist([{"status": "clean", "edits": [], "flags": [], **r} for r in rows], schema=DOCUMENTS)


def test_examples_are_spread_across_sources_and_do_not_depend_on_row_order():
    ad = {"step": "embeds", "kind": "ad", "before": "Advertisement", "after": "", "rule": "advertisement"}
    rows = [
        {"doc_id": f"big{i:03d}", "input_ref": f"/in/big{i}.txt", "source": "big.example", "edits": [ad, ad]}
        for i in range(60)
    ]
    rows += [
        {"doc_id": f"{s}{i}", "input_ref": f"/in/{s}{i}.txt", "source": f"{s}.example", "edits": [ad]}
        for s in ("small", "tiny", "lone")
        for i in range(2 if s != "lone" else 1)
    ]
    counts, candidates = batch_candidates(_table(rows))
    assert counts[("edits", "embeds/ad")] == {"docs": 65, "n": 125, "chars": 13 * 125}
    picked = choose(keep_best({}, candidates))
    chosen = [p["doc_id"] for p in picked]
    assert len(chosen) == 5 and len(set(chosen)) == 5  # one edit per document
    assert {p["source"] for p in picked} == {
        "big.example",
        "small.example",
        "tiny.example",
        "lone.example",
    }  # every source before a second turn
    shuffled = rows[::-1]
    best: dict = {}
    for part in (shuffled[:30], shuffled[30:]):  # read in two batches, in another order
        keep_best(best, batch_candidates(_table(part))[1])
    assert [p["doc_id"] for p in choose(best)] == chosen


def test_drift_points_out_the_category_that_moved_most():
    def run(run_id: str, tweets: int, ads: int) -> dict:
        cats = {
            "edits": {
                "embeds/tweet": {"docs": tweets, "n": tweets, "chars": 100 * tweets},
                "embeds/ad": {"docs": ads, "n": ads, "chars": 13 * ads},
            },
            "flags": {},
            "rejected": {},
            "relations": {},
        }
        return {
            "run_id": run_id,
            "languages": {"en": 90, "fr": 10},
            "profile": {
                "documents": 100,
                "clean": 100,
                "flagged": 5,
                "chars_before": 300_000,
                "chars_after": 290_000,
                "categories": cats,
            },
        }

    history = [
        run("20261201T000000-aaaaaa", 10, 30),
        run("20261202T000000-bbbbbb", 12, 30),
        run("20261203T000000-cccccc", 60, 31),
    ]
    page = drift_html(history[-1], history)
    assert rates(history[-1]["profile"])["edits: embeds/tweet"] == 600.0
    moved = re.findall(
        r"<tr><td>(edits: [^<]+)</td><td>([\d.,]+)</td><td>([\d.,]+)</td><td>([+-][\d.,]+)</td></tr>", page
    )
    assert moved[0] == ("edits: embeds/tweet", "110.00", "600.00", "+490.0") and moved[1][0] == "edits: embeds/ad"
    assert page.count("20261203T000000-cccccc") == 1 and "en 90.0%" in page and "3.3%" in page
    assert "No earlier run" in drift_html(history[0], history[:1])
