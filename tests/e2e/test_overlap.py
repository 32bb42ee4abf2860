"""Overlapping content: truncated copies and excerpts are linked to the article they come
from, within a run and across runs; articles of one story that share quotes are not."""

from __future__ import annotations

import json

import pyarrow.dataset as ds
import pytest

from flows.config import Config
from flows.pipeline import clean_news
from tests.helpers import SEEDS

BODIES = [p.read_text(encoding="utf-8").split("\n", 3)[3] for p in sorted(SEEDS.glob("*.txt"))]
OWN = (
    "The regional council met on Thursday to discuss the budget for the coming year, and members agreed to "
    "postpone the vote on the new bus lines until the spring.\n\nLocal businesses said the delay would cost "
    "them customers, while the mayor's office promised a decision before the summer holidays.\n\nThe council "
    "also approved repairs to the old bridge over the river, which has been closed to trucks since March."
)


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def rows(out, dataset: str) -> dict[str, dict]:
    table = ds.dataset(str(out / dataset), format="parquet", partitioning="hive").to_table()
    return {r["doc_id"]: r for r in table.to_pylist()}


def feed(path, docs: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")


@pytest.mark.parametrize("policy", ["reject", "mark"])
def test_truncated_copy_and_excerpt_within_a_run(prefect_server, tmp_path, policy):
    full = BODIES[3]
    paras = paragraphs(full)
    truncated = "\n\n".join(paras[: len(paras) // 2])
    passage = "\n\n".join(paras[2:5])
    feed(
        tmp_path / "in" / "feed.jsonl",
        [
            {"id": "full", "text": full, "published": "2022-02-08"},
            {"id": "trunc", "text": truncated, "published": "2022-02-09"},
            {"id": "host", "text": OWN.replace("\n\nLocal", f"\n\n{passage}\n\nLocal"), "published": "2022-02-09"},
            *({"id": f"story{i}", "text": BODIES[i], "published": "2022-02-08"} for i in (0, 1, 2, 4)),
        ],
    )
    out = tmp_path / "out"
    clean_news([str(tmp_path / "in")], str(out), Config(contained_policy=policy))
    clean, rejected = rows(out, "clean"), rows(out, "rejected")
    trunc = (rejected if policy == "reject" else clean)["trunc"]
    assert (trunc["relation"], trunc["duplicate_of"]) == ("contained_in", "full") and trunc["overlap_share"] >= 0.8
    assert trunc["status"] == ("duplicate" if policy == "reject" else "clean")
    host = clean["host"]  # the excerpt's host keeps its own text: a passage, not a copy
    assert host["relation"] is None or host["relation"] == "overlaps"
    sentences = [
        s
        for s in ds.dataset(str(out / "sentences"), format="parquet", partitioning="hive").to_table().to_pylist()
        if s["doc_id"] == "host" and s["text"][:40] in passage
    ]
    assert sentences and all(s["repeats_doc_id"] == "full" for s in sentences)
    # the excerpt is one shared passage: each of its sentences points to where it starts in "full"
    starts = {(s["passage_doc_id"], s["passage_position"], s["passage_sentences"]) for s in sentences}
    assert starts == {("full", sentences[0]["repeats_position"], len(sentences))} and len(sentences) >= 2
    own = [
        s
        for s in ds.dataset(str(out / "sentences"), format="parquet", partitioning="hive").to_table().to_pylist()
        if s["doc_id"] == "host" and s not in sentences
    ]
    assert own and all(s["passage_doc_id"] is None for s in own)  # the host's own text is in no passage
    for i in (0, 1, 2, 4):  # five outlets on one story share quotes: never linked
        assert clean[f"story{i}"]["relation"] is None and clean[f"story{i}"]["duplicate_of"] is None


def test_containment_across_runs(prefect_server, tmp_path):
    full = BODIES[3]
    paras = paragraphs(full)
    first_half = "\n\n".join(paras[: len(paras) // 2])
    out = tmp_path / "out"
    feed(tmp_path / "day1" / "a.jsonl", [{"id": "early-half", "text": first_half, "published": "2022-02-08"}])
    clean_news([str(tmp_path / "day1")], str(out), Config())
    # day 2: the full article (it holds the published half) and a copy of that half under another id
    feed(
        tmp_path / "day2" / "b.jsonl",
        [
            {"id": "full", "text": full, "published": "2022-02-09"},
            {"id": "half-again", "text": first_half + "\n\nShared by readers.", "published": "2022-02-09"},
        ],
    )
    clean_news([str(tmp_path / "day2")], str(out), Config())
    clean, rejected = rows(out, "clean"), rows(out, "rejected")
    assert clean["early-half"]["relation"] is None  # what was published does not change
    assert (clean["full"]["relation"], clean["full"]["duplicate_of"]) == ("contains", "early-half")
    again = rejected["half-again"]
    assert again["duplicate_of"] == "early-half" and again["relation"] in (
        "contained_in",
        "near_duplicate",
        "exact_duplicate",
    )


def test_a_quote_two_articles_share_is_a_passage_not_a_link(prefect_server, tmp_path):
    from cleaners.sentences import split_sentences

    quote = next(
        p for p in paragraphs(BODIES[3])[1:] if len(split_sentences(p)) >= 2
    )  # a real paragraph, quoted by both
    other = (
        "Residents of the northern district voted on Sunday to keep the library open on weekends, after a "
        "petition gathered more signatures than any before it.\n\nThe library's director said volunteers would "
        "cover the extra hours until the budget allows new staff.\n\nA second vote, on the school canteen, "
        "is planned for the autumn, the district office said in a statement."
    )
    feed(
        tmp_path / "in" / "feed.jsonl",
        [
            {"id": "first", "text": OWN.replace("\n\nLocal", f"\n\n{quote}\n\nLocal"), "published": "2022-02-08"},
            {
                "id": "second",
                "text": other.replace("\n\nThe library", f"\n\n{quote}\n\nThe library"),
                "published": "2022-02-09",
            },
        ],
    )
    out = tmp_path / "out"
    clean_news([str(tmp_path / "in")], str(out), Config())
    clean = rows(out, "clean")
    assert clean["first"]["duplicate_of"] is None and clean["second"]["duplicate_of"] is None
    sents = [
        s
        for s in ds.dataset(str(out / "sentences"), format="parquet", partitioning="hive").to_table().to_pylist()
        if s["passage_doc_id"] is not None
    ]
    assert sents and {s["doc_id"] for s in sents} == {"second"} and {s["passage_doc_id"] for s in sents} == {"first"}
