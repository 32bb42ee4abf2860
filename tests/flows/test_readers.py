"""Readers: header lines become metadata; bad records are quarantined, never lost."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from flows.read import InputFile, discover_inputs, plan_chunks, read_chunk, read_input
from flows.read.headers import split_header
from tests.helpers import SEEDS


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_seed_headers():
    meta, body = split_header(seed("001"))
    assert meta["title"] == "Putin signals compromise over Ukraine after Macron talks"
    assert meta["published"] == "2022-02-08"
    assert meta["url"].startswith("https://www.gulftoday.ae/news/2022/02/08/")
    assert body.startswith("Macron heads to Kyiv")
    meta, body = split_header(seed("003"))
    assert meta == {
        "title": "Macron, Putin look for solution",
        "author": "Jonathan Powell in London",
        "source": "chinadaily.com.cn",
        "published": "2022-02-09T19:05",
    }
    assert not body.startswith("By ")
    meta, body = split_header(seed("004"))
    assert meta == {"published": "2022-02-08"} and body.startswith("Russian President Vladimir Putin gave")
    assert split_header(seed("002"))[0] == {}


def _records(path):
    return [r for f in discover_inputs([str(path)]) for r in read_input(f, max_bytes=10_000_000)]


def test_jsonl_bad_lines_are_quarantined_with_line_numbers(tmp_path):
    p = tmp_path / "feed.jsonl"
    p.write_text(
        json.dumps({"id": "a1", "text": "Fine article.", "title": "T", "published": "2022-02-08"}) + "\n"
        "{not json\n"
        + json.dumps({"id": "a3"})
        + "\n"
        + json.dumps({"id": "a4", "text": ["list"]})
        + "\n"
        + json.dumps({"id": "a5", "text": "Also fine."})
        + "\n",
        encoding="utf-8",
    )
    recs = _records(tmp_path)
    assert len(recs) == 5
    by_ref = {r["input_ref"]: r for r in recs}
    assert by_ref[f"{tmp_path.resolve()}/feed.jsonl:1"]["status"] is None
    assert by_ref[f"{tmp_path.resolve()}/feed.jsonl:2"]["reason"].startswith("malformed_json: line 2")
    assert by_ref[f"{tmp_path.resolve()}/feed.jsonl:3"]["reason"].startswith("missing_text")
    assert by_ref[f"{tmp_path.resolve()}/feed.jsonl:4"]["reason"].startswith("bad_text")
    assert by_ref[f"{tmp_path.resolve()}/feed.jsonl:5"]["doc_id"] == "a5"


def test_parquet_input_and_missing_text_column(tmp_path):
    pq.write_table(
        pa.table({"id": ["p1", "p2"], "text": ["One.", "Two."], "url": ["https://www.x.com/a", None]}),
        tmp_path / "a.parquet",
    )
    pq.write_table(pa.table({"body": ["no text column", "nor here"], "id": ["b1", "b2"]}), tmp_path / "b.parquet")
    recs = _records(tmp_path)
    assert [r["doc_id"] for r in recs[:2]] == ["p1", "p2"] and recs[0]["source"] == "x.com"
    assert [(r["doc_id"], r["status"], r["input_ref"].rsplit("/", 1)[1]) for r in recs[2:]] == [
        ("b1", "quarantined", "b.parquet:1"),
        ("b2", "quarantined", "b.parquet:2"),
    ]  # one rejected row per row
    assert all("no 'text' column" in r["reason"] for r in recs[2:])


def test_utf16_and_binary_txt(tmp_path):
    (tmp_path / "u16.txt").write_bytes("Zürich talks\n\nThe leaders met.".encode("utf-16"))
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "latin1.txt").write_bytes("Les négociations à Moscou ont duré cinq heures.".encode("latin-1"))
    recs = {r["input_ref"].split("/")[-1]: r for r in _records(tmp_path)}
    assert recs["u16.txt"]["raw_text"] == "The leaders met." and recs["u16.txt"]["title"] == "Zürich talks"
    assert recs["bin.txt"]["status"] == "quarantined" and recs["bin.txt"]["reason"] == "binary"
    assert "négociations" in recs["latin1.txt"]["raw_text"]


def test_chunks_read_exactly_the_whole_file(tmp_path):
    """A big JSONL or Parquet file is read a chunk at a time: the chunks together give the
    same records, in the same order, as the whole file, at every chunk size (row-group
    edges, blank and malformed lines included)."""
    table = pa.table({"id": [f"i{i}" for i in range(1000)], "text": [f"text {i}" for i in range(1000)]})
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=128)
    with open(tmp_path / "b.jsonl", "w", encoding="utf-8") as fh:
        for i in range(1000):
            fh.write(json.dumps({"id": f"j{i}", "text": f"t {i}"}) + "\n")
            if i % 7 == 0:
                fh.write("\n")
            if i % 50 == 0:
                fh.write("{bad json\n")
    for name, n in (("a.parquet", 1000), ("b.jsonl", 1020)):
        inp = InputFile(name, str(tmp_path / name))
        whole = list(read_input(inp, 10**6))
        assert len(whole) == n
        for size in (1, 3, 100, 128, 129, 1000, 5000):
            chunks = plan_chunks(inp, size)
            assert len(chunks) == -(-n // size)
            assert [r for c in chunks for r in read_chunk(c, 10**6)] == whole, (name, size)


def test_unreadable_file_is_one_chunk(tmp_path):
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    inp = InputFile("bad.parquet", str(tmp_path / "bad.parquet"))
    chunks = plan_chunks(inp, 10)
    assert len(chunks) == 1
    [rec] = list(read_chunk(chunks[0], 10**6))
    assert rec["status"] == "quarantined" and rec["reason"].startswith("unreadable_parquet")


def test_batches_pack_the_ends_of_files_with_the_next_file(tmp_path):
    """Each file's first chunk fills the batch being filled: files of 5 Parquet rows and
    7 JSONL lines in batches of 4 make full batches, and every record is read once."""
    from flows.pipeline import plan_batches

    for i in range(3):
        pq.write_table(
            pa.table({"text": [f"p{i}-{r}" for r in range(5)]}), tmp_path / f"a{i}.parquet", row_group_size=2
        )
    (tmp_path / "b.jsonl").write_text(
        "".join(json.dumps({"text": f"j-{r}"}) + "\n" + ("\n" if r == 3 else "") for r in range(7))
    )
    files = discover_inputs([str(tmp_path)])
    batches = plan_batches(files, 4)
    sizes = [sum(c.count for c in b) for b in batches]
    assert sizes == [4, 4, 4, 4, 4, 2]  # 22 records: 10 chunks where each file started a batch
    texts = [r["raw_text"] for b in batches for c in b for r in read_chunk(c, max_bytes=10_000)]
    assert sorted(texts) == sorted([f"p{i}-{r}" for i in range(3) for r in range(5)] + [f"j-{r}" for r in range(7)])
    assert len(texts) == len(set(texts))


def test_a_file_that_changed_after_it_was_listed_is_quarantined_not_half_read(tmp_path):
    from dataclasses import replace

    from flows.read import CHANGED, Chunk, InputFile, read_chunk

    feed, article = tmp_path / "feed.jsonl", tmp_path / "a.txt"
    feed.write_text("".join(json.dumps({"text": f"Line {i}."}) + "\n" for i in range(4)))
    article.write_text("Talks ended late.")
    listed = {
        p: replace(InputFile(str(p), str(p)), size=p.stat().st_size, mtime_ns=p.stat().st_mtime_ns)
        for p in (feed, article)
    }
    assert [r["status"] for r in read_chunk(Chunk(listed[feed], 0, 2, 0, 1), 10_000)] == [None, None]
    with open(feed, "a") as fh:  # the feed grows while the run reads it
        fh.write(json.dumps({"text": "Line 4."}) + "\n")
    article.write_text("Talks ended late. An update.")
    later = list(read_chunk(Chunk(listed[feed], 2, 2, feed.read_text().index('{"text": "Line 2'), 3), 10_000))
    assert [(r["input_ref"], r["reason"]) for r in later] == [(f"{feed}:3", CHANGED)]
    assert [r["reason"] for r in read_chunk(Chunk(listed[article], 0, 1), 10_000)] == [CHANGED]


def test_txt_with_nuls_or_utf16_without_bom_is_text(tmp_path):
    body = "Talks in Moscow ended late on Monday. " * 5
    (tmp_path / "nuls.txt").write_bytes(body.replace("Moscow", "Mos\x00cow").encode("utf-8"))  # 5 NULs in 190 bytes
    (tmp_path / "le.txt").write_bytes(("Zürich talks\n\n" + body).encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(("Zürich talks\n\n" + body).encode("utf-16-be"))
    recs = {r["input_ref"].split("/")[-1]: r for r in _records(tmp_path)}
    assert (
        recs["nuls.txt"]["status"] is None and recs["nuls.txt"]["raw_text"].count("\x00") == 5
    )  # the repair removes them
    for name in ("le.txt", "be.txt"):
        assert recs[name]["status"] is None and recs[name]["title"] == "Zürich talks"
        assert recs[name]["raw_text"].startswith("Talks in Moscow")
