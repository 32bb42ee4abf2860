"""Bad input, hostile text and crashes: keep working, lose nothing, let nothing in."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.embeds import strip_embeds
from cleaners.encoding import repair_encoding
from cleaners.layout import repair_layout
from cleaners.sentences import find_broken_sentences
from flows.config import Config
from tests.helpers import REPO, SEEDS

BIN = Path(sys.executable).parent


def dataset(path: Path):
    return ds.dataset(str(path), format="parquet").to_table() if path.exists() else pa.table({})


def run_flow(src, out, **config):
    from flows.pipeline import clean_news

    return clean_news([str(src)], str(out), Config(fail_on_validation_error=False, **config))


def test_bad_input_is_quarantined_and_nothing_is_lost(prefect_server, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    seeds = [p.read_text(encoding="utf-8").split("\n\n") for p in sorted(SEEDS.glob("*.txt"))]
    texts = iter(" ".join(seeds[i % 5][1 + i // 5 : 3 + i // 5]) for i in range(20))  # distinct article-like texts
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("   \n\n\t \n")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (src / "utf16.txt").write_bytes(("Titel\n\n" + next(texts)).encode("utf-16"))
    filler = (
        " The talks in Moscow lasted more than five hours and ended without an agreement on the troops at the border."
    )
    (src / "cp1252.txt").write_bytes(
        (
            "Les négociations à Moscou: " + next(texts) + filler.replace("’", "'").replace("“", '"').replace("”", '"')
        ).encode("cp1252")
    )
    (src / "nul.txt").write_text("Putin\x00 and Macron met.\u202e " + next(texts))
    (src / "html.txt").write_text(
        '<script>alert("x")</script><img src=x onerror=alert(1)> '
        + next(texts)
        + " Officials in Paris said a second meeting could follow in Kyiv before the end of the month."
    )
    deep = "[" * 100_000 + "]" * 100_000
    lines = [
        json.dumps({"id": "j1", "text": next(texts)}),
        "{not json",
        json.dumps({"id": "j3"}),
        json.dumps({"id": "j4", "text": {"nested": "object"}}),
        json.dumps({"id": "j5", "text": next(texts), "title": ["list"]}),
        deep,
        json.dumps({"text": [[[[[["deep"]]]]]]}),
        json.dumps(
            {
                "id": "j1",
                "text": "Same id, other text: the second record with this id, about the ministers who met in "
                "Brussels on Tuesday to agree the budget for next year.",
            }
        ),
        json.dumps(["not", "an", "object"]),
    ]
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.table({"body": ["no text column"], "id": ["p1"]}), src / "notext.parquet")
    (src / "broken.parquet").write_bytes(b"PAR1 this is not parquet")

    manifest = run_flow(src, tmp_path / "out")
    clean, rejected = (
        dataset(tmp_path / "out" / "clean").to_pylist(),
        dataset(tmp_path / "out" / "rejected").to_pylist(),
    )
    c = manifest["conservation"]
    assert c["ok"] and c["read"] == len(clean) + len(rejected) == 7 + 9 + 2
    reasons = {r["input_ref"].rsplit("/", 1)[1]: r["reason"] for r in rejected}
    assert reasons["empty.txt"].startswith("empty") and reasons["blank.txt"].startswith("empty")
    assert reasons["binary.txt"] == "binary"
    assert reasons["feed.jsonl:2"].startswith("malformed_json: line 2")
    assert reasons["feed.jsonl:3"].startswith("missing_text")
    assert reasons["feed.jsonl:4"].startswith("bad_text")
    assert reasons["feed.jsonl:6"].startswith("malformed_json: line 6")
    assert reasons["feed.jsonl:7"].startswith("bad_text")
    assert reasons["feed.jsonl:8"].startswith("duplicate_id")
    assert reasons["feed.jsonl:9"].startswith("bad_record")
    assert "no 'text' column" in reasons["notext.parquet:1"]  # each row its own rejected record
    assert reasons["broken.parquet"].startswith("unreadable_parquet")
    by_ref = {r["input_ref"].rsplit("/", 1)[1]: r for r in clean}
    assert by_ref["utf16.txt"]["title"] == "Titel"
    assert "négociations" in by_ref["cp1252.txt"]["text"]
    assert "\x00" not in by_ref["nul.txt"]["text"] and "\u202e" not in by_ref["nul.txt"]["text"]
    assert by_ref["nul.txt"]["edits"]  # the removals are recorded
    html_doc = by_ref["html.txt"]
    assert "<script" not in html_doc["text"] and "<img" not in html_doc["text"]  # markup is removed as a repair
    assert [e["before"] for e in html_doc["edits"] if e["kind"] == "html_markup"] == [
        '<script>alert("x")</script>',
        "<img src=x onerror=alert(1)>",
    ]
    assert by_ref["feed.jsonl:5"]["title"] is None


def test_huge_documents_finish_in_bounded_time(prefect_server, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    sentence = "Officials said the talks in Moscow would continue next week after a long day of meetings. "
    (src / "oneline.txt").write_text(sentence * (5_000_000 // len(sentence)))  # ~5 MB, one line
    (src / "paragraphs.txt").write_text("\n\n".join(f"Paragraph {i}: {sentence}" for i in range(50_000)))
    started = time.time()
    m = run_flow(src, tmp_path / "limited")  # default max_chars (2,000,000): quarantined as too long
    rejected = {
        r["input_ref"].split("/")[-1]: r["reason"] for r in dataset(tmp_path / "limited" / "rejected").to_pylist()
    }
    assert rejected["oneline.txt"].startswith("too_long") and rejected["paragraphs.txt"].startswith("too_long")
    m = run_flow(src, tmp_path / "big", max_chars=10_000_000)  # allowed: both are cleaned
    assert m["conservation"]["read"] == 2 and m["conservation"]["ok"]
    print(f"two huge documents through the flow: {time.time() - started:.1f} s")


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path):
    from flows.read import discover_inputs

    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "private.txt").write_text("not for newsclean")
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text("fine")
    (src / "leak.txt").symlink_to(secret / "private.txt")
    (src / "leakdir").symlink_to(secret, target_is_directory=True)
    found = {Path(f.ref).name: f for f in discover_inputs([str(src)])}
    assert found["ok.txt"].problem is None and found["ok.txt"].path == str(src / "ok.txt")
    for link in ("leak.txt", "leakdir"):  # a row that says why, never the secret's content
        assert found[link].problem.startswith("symlink_outside_input") and found[link].path == str(src / link)


def test_config_is_data(tmp_path):
    from flows.config import ConfigError, load_config

    bad = tmp_path / "c.toml"
    bad.write_text("batch_size = \"__import__('os').system('touch /tmp/pwned')\"\n")
    try:
        load_config(bad)
        raise AssertionError("expected a ConfigError")
    except ConfigError as exc:
        assert "batch_size must be a number" in str(exc)


# -------------------------------------------------------------------------- crashes


def _outputs(out: Path) -> dict:
    """Every published row, run partitions aside: {dataset: sorted rows}."""
    result = {}
    for name in ("clean", "rejected", "sentences"):
        rows = dataset(out / name).to_pylist()
        result[name] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return result


def test_sigkill_at_random_points_then_rerun_gives_the_uninterrupted_output(prefect_server, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    rng = random.Random(9)
    for i in range(60):
        body = seeds[i % 5].read_text(encoding="utf-8")
        (src / f"a{i:03d}.txt").write_text(
            body + f"\n\nUpdate {i}: talks continued on day {i} in Moscow, officials said."
        )
    env = dict(os.environ, PREFECT_API_URL=prefect_server)
    cmd = [str(BIN / "newsclean"), "run", str(src), "--batch-size", "7", "--quiet"]

    reference = tmp_path / "reference"
    r = subprocess.run(
        cmd + ["--output", str(reference)], env=env, cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-2000:]

    crashed = tmp_path / "crashed"
    kills = 0
    for delay in sorted(rng.uniform(1.0, 12.0) for _ in range(4)):
        proc = subprocess.Popen(
            cmd + ["--output", str(crashed)],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 1
    r = subprocess.run(cmd + ["--output", str(crashed)], env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert _outputs(crashed) == _outputs(reference)
    assert not list((crashed / ".staging").glob("*"))
    assert not [p for p in crashed.rglob("*") if ".tmp-" in p.name]


# ---------------------------------------------------------------------- properties

CLEANERS = {
    "encoding": lambda t: repair_encoding(t)[:2],
    "layout": lambda t: repair_layout(t)[:2],
    "embeds": lambda t: strip_embeds(t)[:2],
    "sentences": lambda t: find_broken_sentences(t, "drop")[:2],
}
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400) | st.sampled_from(
    [p.read_text(encoding="utf-8")[:600] for p in sorted(SEEDS.glob("*.txt"))]
).map(lambda s: s.replace("e", "é", 3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_cleaners_never_raise_never_change_silently_and_are_idempotent(text):
    cleaned = text
    for name, clean in CLEANERS.items():
        new, edits = clean(cleaned)
        assert isinstance(new, str)
        if new != cleaned:
            assert edits, f"{name} changed the text without an edit"
        cleaned = new
    again = cleaned
    for clean in CLEANERS.values():
        again, edits = clean(again)
    assert again == cleaned, "cleaning clean output changed it"
