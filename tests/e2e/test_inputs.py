"""Input folders at their edges, through the real CLI: every entry is read once or becomes a
rejected row that says why, names never collide, and outputs are never read back."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds

from tests.helpers import REPO, SEEDS, cli_env

NEWSCLEAN = [sys.executable, "-m", "flows.cli", "run"]
ARTICLES = sorted(SEEDS.glob("*.txt"))


def run_cli(*args, timeout=600):
    return subprocess.run(
        [*NEWSCLEAN, *map(str, args), "-q"], capture_output=True, text=True, cwd=REPO, env=cli_env(), timeout=timeout
    )


def rows(out: Path, dataset: str) -> list[dict]:
    folder = out / dataset
    return (
        ds.dataset(str(folder), format="parquet", partitioning="hive").to_table().to_pylist() if folder.exists() else []
    )


def manifest(out: Path) -> dict:
    return json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text())


def article(i: int, tag: str) -> str:
    """A seed article made distinct by a first paragraph of its own (no near-duplicates)."""
    body = ARTICLES[i % len(ARTICLES)].read_text(encoding="utf-8")
    return f"Dispatch {tag}: the correspondents of {tag} filed this report from the capital on {tag} evening.\n\n{body}"


def test_same_names_in_different_places_are_all_read_and_never_collide(tmp_path):
    for side, i in (("A", 0), ("B", 1)):
        (tmp_path / side / "feeds").mkdir(parents=True)
        (tmp_path / side / "feeds" / "story.txt").write_text(article(i, f"folder {side}"), encoding="utf-8")
        (tmp_path / side / "story.jsonl").write_text(json.dumps({"text": article(i + 2, f"file {side}")}) + "\n")
    out = tmp_path / "out"
    proc = run_cli(
        tmp_path / "A" / "feeds",
        tmp_path / "B" / "feeds",
        tmp_path / "A" / "story.jsonl",
        tmp_path / "B" / "story.jsonl",
        "-o",
        out,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean = rows(out, "clean")
    assert manifest(out)["conservation"]["read"] == 4 and len(clean) == 4, [r["reason"] for r in rows(out, "rejected")]
    assert len({r["input_ref"] for r in clean}) == len({r["doc_id"] for r in clean}) == 4
    # a later run on another folder with the same name and file name: a new article, not a duplicate id
    (tmp_path / "C" / "feeds").mkdir(parents=True)
    (tmp_path / "C" / "feeds" / "story.txt").write_text(article(4, "folder C"), encoding="utf-8")
    proc = run_cli(tmp_path / "C" / "feeds", "-o", out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(rows(out, "clean")) == 5 and rows(out, "rejected") == []


def test_bad_entries_are_rejected_rows_and_the_run_goes_on(tmp_path):
    src, outside = tmp_path / "in", tmp_path / "outside"
    src.mkdir()
    outside.mkdir()
    (src / "good.txt").write_text(article(0, "good"), encoding="utf-8")
    (outside / "private.txt").write_text("not for newsclean")
    os.mkfifo(src / "pipe.jsonl")  # opening it would block the run forever
    (src / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "leak.txt").symlink_to(outside / "private.txt")
    (src / "notes.md").write_text("# not an article format newsclean reads")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "feed.sock.txt"))
    try:
        out = tmp_path / "out"
        proc = run_cli(src, "-o", out, timeout=300)
    finally:
        sock.close()
    assert proc.returncode == 0, proc.stderr[-2000:]
    reasons = {Path(r["input_ref"]).name: r["reason"] for r in rows(out, "rejected")}
    assert reasons["pipe.jsonl"].startswith("not_a_regular_file: a FIFO")
    assert reasons["feed.sock.txt"].startswith("not_a_regular_file: a socket")
    assert reasons["dangling.txt"].startswith("dangling_symlink")
    assert reasons["loop.txt"].startswith("symlink_loop")
    assert reasons["leak.txt"].startswith("symlink_outside_input")
    assert reasons["notes.md"].startswith("unsupported_file: .md")
    assert [Path(r["input_ref"]).name for r in rows(out, "clean")] == ["good.txt"]
    assert "not for newsclean" not in json.dumps(rows(out, "rejected"))
    # the next run sees the same problems: nothing new to read, nothing published twice
    again = run_cli(src, "-o", out)
    assert again.returncode == 0 and "no input records" in again.stderr
    assert len(rows(out, "rejected")) == len(reasons)


def test_an_output_folder_is_never_read_as_input(tmp_path):
    src, feeds = tmp_path / "src", tmp_path / "feeds"
    src.mkdir()
    feeds.mkdir()
    (src / "a.txt").write_text(article(0, "first"), encoding="utf-8")
    (feeds / "b.txt").write_text(article(1, "second"), encoding="utf-8")
    assert run_cli(src, "-o", feeds / "published").returncode == 0  # an output that ended up inside a feed folder
    assert (feeds / "published" / ".newsclean-output").exists()
    out = tmp_path / "out"
    proc = run_cli(feeds, "-o", out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [Path(r["input_ref"]).name for r in rows(out, "clean")] == ["b.txt"] and rows(out, "rejected") == []
    refused = run_cli(feeds / "published", "-o", tmp_path / "again")
    assert refused.returncode == 2 and "is a newsclean output folder" in refused.stderr
    assert not (tmp_path / "again").exists()


def test_hygiene_of_records_through_the_cli(tmp_path):
    """Markup and control characters are repaired with edits; a Parquet file without text
    is one rejected row per row; NUL-sprinkled and BOM-less UTF-16 .txt files are text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in"
    src.mkdir()
    (src / "markup.jsonl").write_text(
        json.dumps(
            {
                "id": "m1",
                "title": "Talks\x00 end\nlate",
                "text": "<p>" + article(0, "markup").replace("\n\n", "</p><p>") + "</p><script>track()</script>",
            }
        )
        + "\n"
    )
    pq.write_table(pa.table({"body": ["x", "y"], "id": ["p1", "p2"]}), src / "notext.parquet")
    (src / "nuls.txt").write_bytes(article(1, "nuls").replace("Macron", "Mac\x00ron").encode("utf-8"))
    (src / "utf16.txt").write_bytes(article(2, "utf16").encode("utf-16-le"))
    out = tmp_path / "out"
    proc = run_cli(src, "-o", out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean = {r["doc_id"] if r["doc_id"] == "m1" else Path(r["input_ref"]).name: r for r in rows(out, "clean")}
    m1 = clean["m1"]
    assert "<p>" not in m1["text"] and "track()" not in m1["text"] and m1["title"] == "Talks end late"
    kinds = {e["kind"] for e in m1["edits"]}
    assert {"html_markup", "metadata_control_char"} <= kinds
    assert "\x00" not in clean["nuls.txt"]["text"] and "Macron" in clean["nuls.txt"]["text"]
    assert clean["utf16.txt"]["text"].startswith("Dispatch utf16")
    rejected = {r["doc_id"]: r["reason"] for r in rows(out, "rejected")}
    assert set(rejected) == {"p1", "p2"} and all("no 'text' column" in r for r in rejected.values())


def test_a_repeated_id_never_collides_with_a_real_one(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "feed.jsonl").write_text(
        "".join(
            json.dumps({"id": i, "text": article(n, f"item {n}")}) + "\n" for n, i in enumerate(["dup", "dup", "dup~2"])
        )
    )
    out = tmp_path / "out"
    proc = run_cli(src, "-o", out)
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean, rejected = rows(out, "clean"), rows(out, "rejected")
    assert sorted(r["doc_id"] for r in clean) == ["dup", "dup~2"]  # the real dup~2 is published as itself
    assert [(r["doc_id"], r["reason"].split(":")[0], r["input_ref"].rsplit(":", 1)[1]) for r in rejected] == [
        ("dup", "duplicate_id", "2")
    ]  # the repeat keeps its id; its input_ref tells it apart
    assert manifest(out)["conservation"]["doubled"] == 0
