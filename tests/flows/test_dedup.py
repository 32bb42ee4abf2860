"""The run-wide deduplication joins (flows/dedup/) on small hand-made tables: no Prefect.

The flow-level tests (test_flow_e2e, test_runs) check the decisions end to end; these pin
the LSH candidate generation band by band, the star linking of big buckets, the Jaccard
verification and the exclusion of pairs that were both published by earlier runs."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaners.signatures import BANDS, SENTENCE_BANDS, band_keys, exact_hash, minhash
from flows import dedup
from flows.publish.schema import STAGED, records_to_table


def _con():
    return dedup.connect(threads=1)


def _pairs(con, rows: list[tuple[str, int]]) -> set[tuple[str, str]]:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE r AS SELECT * FROM (VALUES "
        + ", ".join(f"('{ref}', {key})" for ref, key in rows)
        + ") t(ref, key)"
    )
    found = con.execute(dedup.bucket_pairs_sql("SELECT ref, 0 AS band, key FROM r", "ref")).fetchall()
    assert len(found) == len(set(found))  # each pair once
    return set(found)


def test_small_buckets_give_all_pairs_once_and_singletons_none():
    pairs = _pairs(_con(), [("a", 1), ("b", 1), ("c", 1), ("d", 2)])
    assert pairs == {("a", "b"), ("a", "c"), ("b", "c")}


def test_a_bucket_over_the_cap_is_linked_as_a_star_around_its_first_member():
    n = dedup.BUCKET_CAP + 6
    refs = [f"r{i:03d}" for i in range(n)]
    pairs = _pairs(_con(), [(r, 7) for r in refs])
    assert pairs == {("r000", r) for r in refs[1:]}  # n - 1 links, not n * (n - 1) / 2


def _signature_table(con, sigs: dict[str, np.ndarray], prior: set[str] = frozenset()) -> None:
    con.register(
        "s_arrow",
        pa.table(
            {
                "ref": list(sigs),
                "prior": [r in prior for r in sigs],
                "signature": [s.astype(np.uint32).tobytes() for s in sigs.values()],
                "keys": [[int(k) for k in s[:2]] for s in sigs.values()],  # two "bands": the first two values
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE sigs AS SELECT * FROM s_arrow")


def test_near_pair_edges_keep_only_pairs_that_reach_the_threshold_in_any_band():
    con = _con()
    base = np.arange(10)
    close = base.copy()
    close[7:] += 100  # 7 of 10 values equal: 0.7
    far = base.copy()
    far[2:] += 100  # same band keys as base, but only 0.2 similar
    other = base.copy()
    other[0] += 100  # differs in band 0, equal in band 1 and 9 of 10 values: found by band 1
    _signature_table(con, {"a": base, "b": close, "c": far, "d": other})
    a, b = dedup.near_pairs(con, "sigs", "ref", "keys", 2, 0.6)
    # band 0 (a, b, c): a-b; band 1 (a, b, c, d): a-b again, a-d (0.9), b-d (0.6);
    # c was a candidate in both bands but reaches 0.5 at most
    assert sorted(zip(a.to_pylist(), b.to_pylist())) == [("a", "b"), ("a", "d"), ("b", "d")]
    from flows.dedup import buckets

    buckets.BAND_ROWS_PER_QUERY, saved = 4, buckets.BAND_ROWS_PER_QUERY  # one band per query: a-b found twice
    try:
        a, b = dedup.near_pairs(con, "sigs", "ref", "keys", 2, 0.6)
    finally:
        buckets.BAND_ROWS_PER_QUERY = saved
    assert sorted(zip(a.to_pylist(), b.to_pylist())) == [("a", "b"), ("a", "b"), ("a", "d"), ("b", "d")]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'cand'").fetchone()[0] == 0


def test_pairs_of_two_published_documents_are_not_candidates():
    con = _con()
    sig = np.arange(10)
    _signature_table(con, {"old1": sig, "old2": sig, "new": sig}, prior={"old1", "old2"})

    def pairs():
        a, b = dedup.near_pairs(con, "sigs", "ref", "keys", 2, 0.6, exclude="x.prior AND y.prior")
        return set(zip(a.to_pylist(), b.to_pylist()))

    assert pairs() == {("new", "old1"), ("new", "old2")}  # the published two are linked through the new one
    _signature_table(con, {"old1": sig, "old2": sig}, prior={"old1", "old2"})
    assert pairs() == set()


STORY = (
    "The central bank raised its main interest rate by half a percentage point on Thursday, "
    "the largest increase in two decades, and signalled that further rises would follow as "
    "inflation reached its highest level since the early nineteen nineties across the region. "
    "Officials said the decision was unanimous and that the labour market remained tight."
)


def _staged(tmp_path, docs: dict[str, str]) -> str:
    rows = []
    for i, (doc_id, text) in enumerate(docs.items()):
        sig = minhash(text)
        rows.append(
            {
                "doc_id": doc_id,
                "input_ref": f"in.jsonl:{i}",
                "text": text,
                "published": "2022-02-08",
                "exact_hash": exact_hash(text),
                "band_keys": band_keys(sig),
                "signature": sig.tobytes(),
            }
        )
    path = tmp_path / "batch-000000.parquet"
    pq.write_table(records_to_table(rows, STAGED), path)
    return str(tmp_path / "*.parquet")


def test_component_roots_are_the_smallest_node_as_with_union_find():
    rng = np.random.default_rng(7)
    a, b = rng.integers(0, 300, 400), rng.integers(0, 300, 400)
    uf = dedup.UnionFind()
    for x, y in zip(a.tolist(), b.tolist()):
        uf.union(x, y)
    nodes, roots = dedup.component_roots(a, b)
    assert dict(zip(nodes.tolist(), roots.tolist())) == {n: uf.find(n) for n in uf.parent}
    empty = np.zeros(0, dtype=np.int64)
    assert [x.tolist() for x in dedup.component_roots(empty, empty)] == [[], []]


def test_decide_marks_exact_and_near_copies_and_keeps_the_rest(tmp_path):
    edited = STORY.replace(" and that the labour market remained tight", "")  # shorter: "a" stays canonical
    glob = _staged(
        tmp_path,
        {
            "a": STORY,
            "b": STORY,
            "c": edited,
            "d": "A completely different report about football results and the weather at the weekend in the north.",
        },
    )
    decisions = dedup.decide(glob, 0.6, _con()).to_pylist()
    by_id = {d["doc_id"]: d for d in decisions}
    assert len(minhash(STORY)) == 4 * BANDS
    assert by_id["a"]["status"] == "clean"
    assert (by_id["b"]["status"], by_id["b"]["reason"], by_id["b"]["duplicate_of"]) == (
        "duplicate",
        "exact_duplicate",
        "a",
    )
    # a near copy more than 10% shorter (a clause cut from a short story) is inside its canonical
    assert (by_id["c"]["status"], by_id["c"]["reason"], by_id["c"]["duplicate_of"]) == (
        "duplicate",
        "contained_in",
        "a",
    )
    assert by_id["c"]["relation"] == "contained_in" and by_id["b"]["relation"] == "exact_duplicate"
    assert by_id["d"]["status"] == "clean" and by_id["d"]["duplicate_of"] is None


def test_a_near_copy_of_the_same_length_is_a_near_duplicate(tmp_path):
    reworded = STORY.replace("the labour market remained tight", "the labor market stayed tight")
    decisions = {
        d["doc_id"]: d for d in dedup.decide(_staged(tmp_path, {"a": STORY, "c": reworded}), 0.6, _con()).to_pylist()
    }
    assert (decisions["c"]["reason"], decisions["c"]["relation"], decisions["c"]["duplicate_of"]) == (
        "near_duplicate",
        "near_duplicate",
        "a",
    )


QUOTE = "We will not accept any decision that is taken without the consent of our people, the minister said."
NEAR_QUOTE = "We will not accept any decision that is taken without the consent of our people, the minister added."


def test_repeated_sentences_point_to_the_earliest_published_and_undated_come_last(tmp_path):
    from cleaners.signatures import sentence_signatures

    docs = {  # doc_id: (published, sentences)
        "a-late": ("2022-02-09", ["Opening words of the late report on the talks.", QUOTE]),
        "b-early": ("2022-02-08", ["The early report starts with different words here.", NEAR_QUOTE]),
        "c-undated": (None, [QUOTE, "An undated closing line that nobody else wrote."]),
    }
    rows = []
    for i, (doc_id, (published, sents)) in enumerate(docs.items()):
        keys, bands, sigs = sentence_signatures(sents)
        rows.append(
            {
                "doc_id": doc_id,
                "input_ref": f"in.jsonl:{i}",
                "published": published,
                "text": " ".join(sents),
                "sentences": sents,
                "sentence_keys": keys,
                "sentence_bands": bands,
                "sentence_sigs": sigs,
            }
        )
    pq.write_table(records_to_table(rows, STAGED), tmp_path / "batch-000000.parquet")
    decisions = pa.table(
        {
            "input_ref": [r["input_ref"] for r in rows],
            "doc_id": list(docs),
            "status": ["clean"] * 3,
            "part": pa.array([0, 0, 0], pa.int32()),
        }
    )
    con = _con()
    dedup.sentence_repeats(str(tmp_path / "*.parquet"), decisions, con)
    got = {
        (d, p): (rd, rp)
        for d, p, rd, rp in con.execute(
            "SELECT doc_id, position, repeats_doc_id, repeats_position FROM sentences_out"
        ).fetchall()
    }
    assert got[("b-early", 1)] == (None, None)  # the first occurrence (near-identical to the others)
    assert got[("a-late", 1)] == ("b-early", 1)
    assert got[("c-undated", 0)] == ("b-early", 1)
    assert got[("a-late", 0)] == got[("c-undated", 1)] == (None, None)
    dedup.sentence_repeats(str(tmp_path / "*.parquet"), decisions, con, near=False)  # exact matches only
    got = {
        (d, p): (rd, rp)
        for d, p, rd, rp in con.execute(
            "SELECT doc_id, position, repeats_doc_id, repeats_position FROM sentences_out"
        ).fetchall()
    }
    assert got[("a-late", 1)] == (None, None) and got[("c-undated", 0)] == ("a-late", 1)


def test_parts_hold_their_documents_and_only_clean_ones_get_a_repeated_share(tmp_path):
    from flows.publish.parts import part_tables, split_documents, split_sentence_rows

    staging = tmp_path / "staging"
    (staging / "batches").mkdir(parents=True)
    rows = [{"doc_id": f"d{i}", "input_ref": f"in:{i}", "text": f"text {i}", "has_mojibake": i == 2} for i in range(5)]
    pq.write_table(records_to_table(rows, STAGED), staging / "batches" / "batch-000000.parquet")
    con = _con()
    con.register(
        "decisions",
        pa.table(
            {
                "input_ref": [r["input_ref"] for r in rows],
                "doc_id": [r["doc_id"] for r in rows],
                "status": ["clean", "duplicate", "clean", "clean", "quarantined"],
                "reason": [None, "near_duplicate", None, None, "empty: no text after repair"],
                "duplicate_of": [None, "d0", None, None, None],
                "relation": [None, "near_duplicate", None, None, None],
                "overlap_share": pa.nulls(5, pa.float64()),
                "part": pa.array([0, 0, 0, 1, 1], pa.int32()),
            }
        ),
    )
    con.execute("""CREATE TEMP TABLE sentences_out AS SELECT * FROM (VALUES
        ('d0', 0, 0, 'A sentence.', NULL, NULL), ('d0', 0, 1, 'Another one.', 'd3', 0),
        ('d1', 0, 0, 'From the duplicate, never split.', NULL, NULL), ('d3', 1, 0, 'Another one.', NULL, NULL)
    ) t(doc_id, part, position, text, repeats_doc_id, repeats_position)""")
    con.execute("DELETE FROM sentences_out WHERE doc_id = 'd1'")  # sentences exist for clean documents only
    split_sentence_rows(con, staging)
    split_documents(con, staging)
    docs, sents, mojibake = part_tables(staging, 0)
    assert docs.column("doc_id").to_pylist() == ["d0", "d1", "d2"]
    assert docs.column("repeated_sentence_share").to_pylist() == [0.5, None, None]  # d2 has no sentences
    assert docs.column("status").to_pylist() == ["clean", "duplicate", "clean"]
    assert mojibake.to_pylist() == [False, False, True]
    assert sents.column("doc_id").to_pylist() == ["d0", "d0"] and sents.column("repeats_doc_id").to_pylist() == [
        None,
        "d3",
    ]
    docs, sents, _ = part_tables(staging, 1)
    assert docs.column("doc_id").to_pylist() == ["d3", "d4"] and docs.column("repeated_sentence_share").to_pylist() == [
        0.0,
        None,
    ]
    assert sents.num_rows == 1


def _index_files(tmp_path, docs: dict[str, str], sentences: dict[str, list[str]], with_bands: bool) -> tuple[str, str]:
    """An index of ``docs`` and their ``sentences`` as a run writes it (``INDEX_DOCS``,
    ``INDEX_SENTENCES``: no band keys), or ``with_bands`` as earlier versions wrote it (their
    band keys stored beside the signatures)."""
    from cleaners.signatures import sentence_signatures
    from flows.publish.schema import INDEX_DOCS, INDEX_SENTENCES

    doc_rows, sent_rows = [], []
    for doc_id, text in docs.items():
        sig = minhash(text)
        doc_rows.append(
            {
                "doc_id": doc_id,
                "published": "2022-02-01",
                "n": len(text),
                "exact_hash": exact_hash(text),
                "band_keys": band_keys(sig),
                "signature": sig.tobytes(),
            }
        )
        keys, bands, sigs = sentence_signatures(sentences[doc_id])
        sent_rows += [
            {"doc_id": doc_id, "published": "2022-02-01", "position": i, "key": k, "bands": b, "signature": g}
            for i, (k, b, g) in enumerate(zip(keys, bands, sigs))
        ]
    docs_schema = INDEX_DOCS.append(pa.field("band_keys", pa.list_(pa.int64()))) if with_bands else INDEX_DOCS
    sents_schema = INDEX_SENTENCES.append(pa.field("bands", pa.list_(pa.int64()))) if with_bands else INDEX_SENTENCES
    folder = tmp_path / ("index-with-bands" if with_bands else "index")
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(doc_rows, schema=docs_schema), folder / "docs.parquet")
    pq.write_table(pa.Table.from_pylist(sent_rows, schema=sents_schema), folder / "sentences.parquet")
    assert ("band_keys" in pq.read_schema(folder / "docs.parquet").names) == with_bands
    return str(folder / "docs.parquet"), str(folder / "sentences.parquet")


def _repeats_of_new_document(tmp_path, con, sentences: list[str], prior_sents: str, **kwargs) -> list[tuple]:
    """Stage one clean document "new" of ``sentences`` and find its repeats against the index file
    ``prior_sents``: (position, repeats_doc_id, repeats_position) per sentence."""
    from cleaners.signatures import sentence_signatures

    keys, _, sigs = sentence_signatures(sentences)
    staged = tmp_path / f"sentences-{len(list(tmp_path.glob('sentences-*')))}"
    staged.mkdir()
    row = {
        "doc_id": "new",
        "input_ref": "in.jsonl:0",
        "published": "2022-02-09",
        "text": "x",
        "sentences": sentences,
        "sentence_keys": keys,
        "sentence_sigs": sigs,
    }
    pq.write_table(records_to_table([row], STAGED), staged / "batch-000000.parquet")
    decided = pa.table(
        {"input_ref": ["in.jsonl:0"], "doc_id": ["new"], "status": ["clean"], "part": pa.array([0], pa.int32())}
    )
    dedup.sentence_repeats(str(staged / "*.parquet"), decided, con, [prior_sents], **kwargs)
    return con.execute(
        "SELECT position, repeats_doc_id, repeats_position FROM sentences_out ORDER BY position"
    ).fetchall()


def test_the_index_keeps_no_band_keys_and_index_files_that_hold_them_give_the_same_answers(tmp_path):
    """Deduplicate computes the index's band keys from its signatures: a near copy of a
    document, and a near copy of a quotation, published by an earlier run are found the
    same whether the index file holds band keys (earlier versions) or not."""

    old_sents = ["Opening words of the report that an earlier run published.", QUOTE]
    edited = STORY.replace(" and that the labour market remained tight", "")
    glob = _staged(
        tmp_path, {"new": edited, "other": "A different report about football results and the weather at the weekend."}
    )
    found = {}
    for with_bands in (False, True):
        prior_docs, prior_sents = _index_files(tmp_path, {"old": STORY}, {"old": old_sents}, with_bands)
        con = _con()
        decisions = dedup.decide(glob, 0.6, con, [prior_docs])
        repeats = _repeats_of_new_document(
            tmp_path, con, ["The new report starts with words of its own here.", NEAR_QUOTE], prior_sents
        )
        found[with_bands] = (
            sorted((d["doc_id"], d["status"], d["reason"], d["duplicate_of"]) for d in decisions.to_pylist()),
            repeats,
        )
    assert found[False] == found[True]
    assert ("new", "duplicate", "contained_in", "old") in found[False][0]  # shorter: inside the published one
    assert found[False][1] == [(0, None, None), (1, "old", 1)]  # the near quotation points to the published one


def test_index_files_made_with_other_signature_settings_match_exactly_only(tmp_path):
    """An index file stamped with other MinHash settings is never compared by signature (the
    estimates would be noise), but its exact copies and exact sentences still count."""
    from flows.dedup.index import METADATA_KEY, split_by_settings

    edited = STORY.replace(" and that the labour market remained tight", "")
    old_sents = ["Opening words of the report that an earlier run published.", QUOTE]
    prior_docs, prior_sents = _index_files(
        tmp_path,
        {"old": STORY, "copy": "An exact copy published earlier, word for word the same."},
        {"old": old_sents, "copy": ["An exact copy published earlier, word for word the same."]},
        with_bands=False,
    )
    for path in (prior_docs, prior_sents):  # stamp as written with other settings
        table = pq.read_table(path)
        pq.write_table(table.replace_schema_metadata({METADATA_KEY: "word3-oph64-bands16"}), path)
    assert split_by_settings([prior_docs], "docs") == ([], [prior_docs])
    glob = _staged(tmp_path, {"new": edited, "again": "An exact copy published earlier, word for word the same."})
    con = _con()
    decisions = {
        d["doc_id"]: d for d in dedup.decide(glob, 0.6, con, [prior_docs], exact_only=[prior_docs]).to_pylist()
    }
    assert decisions["new"]["status"] == "clean"  # the near copy would need the signatures
    assert (decisions["again"]["status"], decisions["again"]["reason"]) == ("duplicate", "exact_duplicate")
    sentences = ["The new report starts with words of its own here.", NEAR_QUOTE, QUOTE]
    rows = _repeats_of_new_document(tmp_path, con, sentences, prior_sents, exact_only=[prior_sents])
    assert rows == [(0, None, None), (1, None, None), (2, "old", 1)]  # the near quote is not matched, the exact one is


def test_band_keys_computed_in_sql_are_those_of_the_signatures_step():
    """``document_band_keys`` and ``sentence_band_keys`` (SQL, from the signatures) give the
    band keys ``batch_signatures`` and ``sentence_signatures`` compute, NULL for a sentence
    too short to have any."""
    from cleaners.signatures import batch_signatures, sentence_signatures

    texts = ["One two three four five six seven eight nine ten eleven. Short one.", STORY]
    sentence_lists = [["One two three four five six seven eight nine ten eleven.", "Short one."], [STORY]]
    found = batch_signatures(texts, sentence_lists)
    con = _con()
    con.register("sigs", pa.table({"doc": pa.array([f[2] for f in found], pa.binary())}))
    got = con.execute("SELECT document_band_keys(doc) FROM sigs").fetchall()
    assert [g[0] for g in got] == [f[1] for f in found]
    sentence_sigs = [s for f in found for s in f[4].tolist()]
    con.register("s", pa.table({"sig": pa.array(sentence_sigs, pa.binary())}))
    got = [g[0] for g in con.execute("SELECT sentence_band_keys(sig) FROM s").fetchall()]
    assert got == [
        b for sentences in sentence_lists for b in sentence_signatures(sentences)[1]
    ]  # None for the short sentence
    assert got[1] is None and len(got[0]) == SENTENCE_BANDS


def test_staged_sentence_rows_are_the_lists_they_stand_for():
    """Band keys and signatures staged from ``SentenceRows`` (NumPy views) equal the
    Arrow columns built from the plain per-sentence lists, short sentences and rejected
    documents (None) included."""
    import pyarrow as pa

    from cleaners.signatures import (
        SENTENCE_BANDS,
        SentenceRows,
        band_keys_rows,
        batch_signatures,
    )
    from flows.publish.schema import STAGED, records_to_table

    texts = ["One two three four five six seven eight nine ten. Short one.", "Too short.", "x"]
    sentence_lists = [["One two three four five six seven eight nine ten.", "Short one."], ["Too short."], ["x"]]
    found = batch_signatures(texts, sentence_lists)
    # band keys are no longer staged (deduplicate computes them), but the column builder keeps both kinds
    bands = [SentenceRows(f[4].owned, band_keys_rows(f[4].rows, SENTENCE_BANDS)) for f in found]
    records = [{"sentence_bands": b, "sentence_sigs": f[4]} for b, f in zip(bands, found)] + [
        {"sentence_bands": None, "sentence_sigs": None}
    ]
    cols = ["sentence_bands", "sentence_sigs"]
    schema = pa.schema([pa.field("sentence_bands", pa.list_(pa.list_(pa.int64()))), STAGED.field("sentence_sigs")])
    got = records_to_table(records, schema)
    plain = [{c: (r[c].tolist() if r[c] is not None else None) for c in cols} for r in records]
    assert got.equals(pa.Table.from_pylist(plain, schema=schema))
    assert (
        got.column("sentence_bands").to_pylist()[0][1] is None
        and len(got.column("sentence_bands").to_pylist()[0][0]) == SENTENCE_BANDS
    )
    assert got.column("sentence_sigs").to_pylist()[3] is None


def test_deduplicate_starts_again_with_twice_the_memory_after_duckdb_runs_out(tmp_path, monkeypatch):
    """DuckDB's out-of-memory error makes ``run_deduplicate`` remove what the attempt wrote
    and start again with twice ``dedup_memory_mb``, at most ``MEMORY_RETRIES`` times."""
    import duckdb

    import flows.dedup.step as D
    from flows.config import make_config

    def attempt_needing(limit):
        seen = []

        def attempt(staging, config, memory_mb, prior_docs, prior_sentences):
            assert not (tmp_path / "parts").exists() and not (tmp_path / "decisions.parquet").exists()
            seen.append(memory_mb)
            (tmp_path / "parts" / "part=0").mkdir(parents=True)
            (tmp_path / "decisions.parquet").write_bytes(b"partial")
            if memory_mb < limit:
                raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block")
            return {"in": 3}

        return seen, attempt

    seen, attempt = attempt_needing(1600)
    monkeypatch.setattr(D, "_deduplicate", attempt)
    counts = D.run_deduplicate(str(tmp_path), make_config({"dedup_memory_mb": 400}), [], [])
    assert seen == [400, 800, 1600] and counts == {"in": 3, "memory_mb": 1600, "memory_retries": 2}

    D.remove_outputs(tmp_path)
    seen, attempt = attempt_needing(3200)
    monkeypatch.setattr(D, "_deduplicate", attempt)
    with pytest.raises(duckdb.OutOfMemoryException):
        D.run_deduplicate(str(tmp_path), make_config({"dedup_memory_mb": 400}), [], [])
    assert seen == [400, 800, 1600]


def test_default_dedup_memory_grows_with_the_square_root_of_the_staged_documents(tmp_path, monkeypatch):
    """``dedup_memory_mb = 0`` (the default) sizes DuckDB's memory from the staged batches'
    and the index's row counts: 400 MB for a small run, 800 at a million documents."""
    import pyarrow.parquet as pq

    import flows.dedup.step as D
    from flows.config import make_config

    (tmp_path / "batches").mkdir()
    for i, rows in enumerate((600_000, 300_000)):
        pq.write_table(pa.table({"doc_id": pa.nulls(rows, pa.string())}), tmp_path / "batches" / f"b{i}.parquet")
    index = tmp_path / "index-docs.parquet"
    pq.write_table(pa.table({"doc_id": pa.nulls(100_000, pa.string())}), index)
    seen = []
    monkeypatch.setattr(D, "_deduplicate", lambda staging, config, memory_mb, *prior: seen.append(memory_mb) or {})
    assert make_config({}).dedup_memory_mb == 0
    assert D.run_deduplicate(str(tmp_path), make_config({}), [str(index)], [])["memory_mb"] == 800
    assert D.run_deduplicate(str(tmp_path), make_config({}), [], [])["memory_mb"] == 750  # 900,000 staged only
    assert D.run_deduplicate(str(tmp_path), make_config({"dedup_memory_mb": 300}), [str(index)], [])["memory_mb"] == 300
    (tmp_path / "batches" / "b0.parquet").unlink()
    assert D.run_deduplicate(str(tmp_path), make_config({}), [], [])["memory_mb"] == 450  # 300,000
    (tmp_path / "batches" / "b1.parquet").unlink()
    assert D.run_deduplicate(str(tmp_path), make_config({}), [], [])["memory_mb"] == 400
    assert seen == [800, 750, 300, 450, 400]


# Real same-byline sentence pairs (evals/sentences/): an editor's light rewording, and a
# different sentence of the same story that shares its names and numbers.
REWORDED = (
    "Nelson,27, is being retried on civil-rights charges stemming from the disturbance which led to Rosenbaum's death.",
    "Nelson, 27, is being retried on civil rights charges stemming from the disturbance that led to Rosenbaum's death.",
)
INFLECTED = (
    "In the 1990's, the board found, budget cuts and trade-offs ate away at the shuttle program's safety margins.",
    "In the 1990s, the board found, budget cuts and trade-offs etched away at the shuttle program's thin margins of safety.",
)
DIFFERENT = (
    'Mel Gibson\'s passion-stirring Biblical epic "The Passion of Christ" will open in the United States on Feb. 25 - Ash Wednesday on the Roman Catholic calendar.',
    'Mel Gibson is negotiating with Newmarket Films to distribute his embattled Biblical epic "The Passion of Christ" in the United States.',
)


def _repeats_of(tmp_path, pairs: list[tuple[str, str]]) -> dict:
    from cleaners.signatures import sentence_signatures

    rows = []
    for i, (first, second) in enumerate(pairs):
        for j, sentence in enumerate((first, second)):
            keys, bands, sigs = sentence_signatures([sentence])
            rows.append(
                {
                    "doc_id": f"d{i}{'ab'[j]}",
                    "input_ref": f"in.jsonl:{2 * i + j}",
                    "published": f"2003-06-0{j + 1}",
                    "text": sentence,
                    "sentences": [sentence],
                    "sentence_keys": keys,
                    "sentence_bands": bands,
                    "sentence_sigs": sigs,
                }
            )
    pq.write_table(records_to_table(rows, STAGED), tmp_path / "batch-000000.parquet")
    decisions = pa.table(
        {
            "input_ref": [r["input_ref"] for r in rows],
            "doc_id": [r["doc_id"] for r in rows],
            "status": ["clean"] * len(rows),
            "part": pa.array([0] * len(rows), pa.int32()),
        }
    )
    con = _con()
    dedup.sentence_repeats(str(tmp_path / "*.parquet"), decisions, con)
    return dict(con.execute("SELECT doc_id, repeats_doc_id FROM sentences_out").fetchall())


def test_lightly_reworded_real_sentences_repeat_and_a_different_sentence_of_the_story_does_not(tmp_path):
    got = _repeats_of(tmp_path, [REWORDED, INFLECTED, DIFFERENT])
    assert got["d0b"] == "d0a"  # punctuation and "which" -> "that"
    assert got["d1b"] == "d1a"  # "ate away" -> "etched away", "margins" -> "margins of safety"
    assert got["d2b"] is None and got["d2a"] is None
