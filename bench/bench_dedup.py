"""Deduplication benchmark (issue 6): quality on a generated syndication set, no false
duplicates among distinct articles of one story, signature speed, and bucketing a million
documents within a memory budget.

    .venv/bin/python bench/bench_dedup.py            # quality + speed (about a minute)
    .venv/bin/python bench/bench_dedup.py --scale 1000000   # also the 1M bucketing run
    .venv/bin/python bench/bench_dedup.py --sentences-scale 300000   # only: documents, sentences and passages bucketed

Everything is generated with fixed seeds: the same command prints the same quality numbers.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cleaners.sentences import paragraphs_of, split_sentences  # noqa: E402
from cleaners.signatures import (  # noqa: E402
    BANDS,
    band_keys,
    exact_hash,
    minhash,
    sentence_signatures,
)
from flows import dedup  # noqa: E402

FIRST = ["Anna", "Pavel", "Marie", "John", "Li", "Fatima", "Carlos", "Olga", "Ahmed", "Sofia", "Jonas", "Mei"]
LAST = ["Kovalenko", "Dubois", "Smith", "Wang", "Haddad", "Garcia", "Ivanova", "Nasser", "Rossi", "Berg", "Tanaka"]
PLACES = ["Moscow", "Kyiv", "Paris", "Berlin", "Brussels", "Warsaw", "Geneva", "Minsk", "Vienna", "London"]
ORGS = ["NATO", "the European Union", "the Kremlin", "the United Nations", "the OSCE", "the foreign ministry"]
VERBS = ["said", "warned", "told reporters", "added", "insisted", "noted", "argued", "confirmed"]


def _words(rng: random.Random, k: int) -> str:
    from wordfreq import top_n_list

    vocab = _words.vocab = getattr(_words, "vocab", None) or [w for w in top_n_list("en", 6000)[200:] if w.isalpha()]
    return " ".join(rng.choice(vocab) for _ in range(k))


def make_article(rng: random.Random, story: dict | None = None) -> list[str]:
    """Paragraphs of one news-like article (about 3 KB).  Articles of one ``story`` share
    its names, places and a quote, as distinct articles of the same event do."""
    story = story or {}
    person = story.get("person") or f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place = story.get("place") or rng.choice(PLACES)
    paragraphs = []
    for p in range(8):
        sentences = []
        for _ in range(rng.randint(2, 3)):
            s = f"{_words(rng, rng.randint(9, 18)).capitalize()} {rng.choice(ORGS)} in {place}, {person} {rng.choice(VERBS)}."
            sentences.append(s)
        if p == 3 and story.get("quote"):
            sentences.append(f'"{story["quote"]}," {person} said.')
        paragraphs.append(" ".join(sentences))
    return paragraphs


def variants(rng: random.Random, paragraphs: list[str]) -> list[tuple[str, list[str]]]:
    """Syndicated copies: new header/credit, edited words, dropped sentences, reordered
    paragraphs, truncation."""
    out = []
    header = [f"By {rng.choice(FIRST)} {rng.choice(LAST)} | wire.example.com | Updated: 2022-02-0{rng.randint(1, 9)}"]
    out.append(("header+credit", header + paragraphs + ["Reuters contributed to this story."]))
    edited = list(paragraphs)
    for i in rng.sample(range(len(edited)), 3):
        words = edited[i].split()
        for j in rng.sample(range(len(words)), 2):
            words[j] = _words(rng, 1)
        edited[i] = " ".join(words)
    out.append(("edited words", edited))
    dropped = [
        " ".join(s for k, s in enumerate(split_sentences(p)) if (i + k) % 7 != 3) or p for i, p in enumerate(paragraphs)
    ]
    out.append(("dropped sentences", dropped))
    reordered = list(paragraphs)
    rng.shuffle(reordered)
    out.append(("reordered paragraphs", reordered))
    out.append(("truncated 75%", paragraphs[: max(1, int(len(paragraphs) * 0.75))]))
    return out


def stage(docs: list[tuple[str, str, str]], path: Path) -> None:
    """Write documents (doc_id, published, text) as a staged batch for flows.dedup."""
    rows = []
    for doc_id, published, text in docs:
        sig = minhash(text)
        rows.append(
            {
                "input_ref": doc_id,
                "doc_id": doc_id,
                "status": None,
                "reason": None,
                "published": published,
                "text": text,
                "exact_hash": exact_hash(text),
                "band_keys": band_keys(sig),
                "signature": sig.tobytes(),
            }
        )
    pq.write_table(pa.Table.from_pylist(rows), path)


def clusters_of(decisions: pa.Table) -> dict[str, str]:
    """doc_id -> canonical doc_id."""
    out = {}
    for row in decisions.to_pylist():
        out[row["doc_id"]] = row["duplicate_of"] or row["doc_id"]
    return out


def pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = {}
    for d, c in groups.items():
        by.setdefault(c, []).append(d)
    return {tuple(sorted(p)) for members in by.values() for p in itertools.combinations(sorted(members), 2)}


def quality(threshold: float, n_bases: int = 300, seed: int = 7) -> dict:
    rng = random.Random(seed)
    docs, truth = [], {}
    kinds: dict[str, str] = {}
    for b in range(n_bases):
        base = make_article(rng)
        docs.append((f"b{b:04d}", f"2022-02-{1 + b % 28:02d}", "\n\n".join(base)))
        truth[f"b{b:04d}"] = f"b{b:04d}"
        for k, (kind, paras) in enumerate(variants(rng, base)):
            did = f"b{b:04d}-v{k}"
            docs.append((did, f"2022-03-{1 + b % 28:02d}", "\n\n".join(paras)))
            truth[did] = f"b{b:04d}"
            kinds[did] = kind
    with tempfile.TemporaryDirectory() as tmp:
        stage(docs, Path(tmp) / "b.parquet")
        con = dedup.connect()
        got = clusters_of(dedup.decide(str(Path(tmp) / "b.parquet"), threshold, con))
    tp_pairs, pred_pairs = pairs(truth), pairs(got)
    tp = len(tp_pairs & pred_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 1.0
    recall = tp / len(tp_pairs)
    per_kind = {}
    for did, kind in kinds.items():
        hit = got[did] == got[truth[did]]
        per_kind.setdefault(kind, []).append(hit)
    return {
        "docs": len(docs),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "per_kind": {k: sum(v) / len(v) for k, v in per_kind.items()},
    }


def same_story(threshold: float, seed: int = 11) -> dict:
    """Distinct articles of one story (shared names, place and quote) and the five seeds:
    none may be marked duplicate."""
    rng = random.Random(seed)
    story = {
        "person": "Emmanuel Macron",
        "place": "Moscow",
        "quote": "President Putin assured me of his readiness to engage in this and his desire to maintain stability",
    }
    docs = [(f"s{i:03d}", "2022-02-08", "\n\n".join(make_article(rng, story))) for i in range(200)]
    for i, p in enumerate(sorted((REPO / "seeds").glob("*.txt"))):
        docs.append((f"seed{i}", "2022-02-08", p.read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        stage(docs, Path(tmp) / "b.parquet")
        decisions = dedup.decide(str(Path(tmp) / "b.parquet"), threshold, dedup.connect())
    return {"docs": len(docs), "marked_duplicate": decisions.column("status").to_pylist().count("duplicate")}


def speed(n: int = 3000) -> dict:
    rng = random.Random(3)
    texts = []
    for _ in range(200):
        t = "\n\n".join(make_article(rng))
        texts.append(t[:3000])
    sentence_lists = [[s for p in paragraphs_of(t) for s in split_sentences(p)] for t in texts]
    best_doc = best_sent = 0.0
    for _ in range(3):
        t0 = time.process_time()
        for i in range(n):
            t = texts[i % len(texts)]
            sig = minhash(t)
            band_keys(sig)
            exact_hash(t)
        best_doc = max(best_doc, n / (time.process_time() - t0))
        t0 = time.process_time()
        for i in range(n):
            sentence_signatures(sentence_lists[i % len(texts)])
        best_sent = max(best_sent, n / (time.process_time() - t0))
    return {
        "doc_signatures_per_s": best_doc,
        "sentence_signatures_per_s": best_sent,
        "avg_bytes": sum(len(t.encode()) for t in texts) / len(texts),
    }


def bucket_child(n: int, tmp: str) -> None:
    """In a fresh process: generate ``n`` staged signature rows (1% planted near-duplicates),
    run the dedup join, print seconds and peak RSS."""
    rng = np.random.default_rng(5)
    path = Path(tmp)
    chunk = 100_000
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        sigs = rng.integers(0, 2**32 - 1, size=(m, 128), dtype=np.uint32)
        dup = rng.random(m) < 0.01
        src = np.where(dup, rng.integers(0, m, size=m), np.arange(m))
        sigs[dup] = sigs[src[dup]]
        sigs[dup, :8] = rng.integers(0, 2**32 - 1, size=(int(dup.sum()), 8), dtype=np.uint32)  # one band differs
        from cleaners.signatures import band_keys_rows

        bands = band_keys_rows(sigs, BANDS)
        ids = [f"d{start + i:09d}" for i in range(m)]
        table = pa.table(
            {
                "input_ref": ids,
                "doc_id": ids,
                "status": pa.nulls(m, pa.string()),
                "reason": pa.nulls(m, pa.string()),
                "published": ["2022-02-08"] * m,
                "text": ["x" * 10] * m,
                "exact_hash": [f"{i:032x}" for i in range(start, start + m)],
                "band_keys": pa.array(bands.tolist(), type=pa.list_(pa.int64())),
                "signature": pa.array([s.tobytes() for s in sigs], type=pa.binary()),
            }
        )
        pq.write_table(table, path / f"batch-{start // chunk:05d}.parquet")
    t0 = time.time()
    con = dedup.connect(memory_limit="6GB")
    con.execute(f"SET temp_directory='{path / 'spill'}'")
    decisions = dedup.decide(str(path / "batch-*.parquet"), 0.7, con)
    secs = time.time() - t0
    dups = decisions.column("status").to_pylist().count("duplicate")
    print(f"{secs:.1f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {dups}")


def bucketing(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, __file__, "--bucket-child", str(n), tmp], capture_output=True, text=True)
        if r.returncode:
            raise SystemExit(r.stderr[-2000:])
        secs, rss, dups = r.stdout.split()[-3:]
    return {"docs": n, "seconds": float(secs), "peak_rss_mb": float(rss), "duplicates_found": int(dups)}


SENTENCES_PER_DOC = 25
PLANTED_SHARE = 0.02  # documents that quote a three-sentence passage of an earlier one, one word changed per sentence


def sentence_corpus_child(n: int, tmp: str) -> None:
    """In a fresh process: stage ``n`` generated documents of ``SENTENCES_PER_DOC`` sentences
    (random words of a 6,000-word vocabulary, 8-20 each), with their real signatures
    (``batch_signatures``); ``PLANTED_SHARE`` of them quote a reworded passage of an earlier one."""
    from cleaners.signatures import batch_signatures

    _words(random.Random(0), 1)
    vocab = np.array(_words.vocab)
    rng = np.random.default_rng(11)
    chunk = 20_000
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        lengths = rng.integers(8, 21, size=m * SENTENCES_PER_DOC)
        words = vocab[rng.integers(0, len(vocab), size=int(lengths.sum()))].tolist()
        ends = np.cumsum(lengths).tolist()
        flat = [" ".join(words[a:b]).capitalize() + "." for a, b in zip([0] + ends[:-1], ends)]
        docs = [flat[i * SENTENCES_PER_DOC : (i + 1) * SENTENCES_PER_DOC] for i in range(m)]
        for i in np.flatnonzero(rng.random(m) < PLANTED_SHARE).tolist():
            if i == 0:
                continue
            src, at = docs[int(rng.integers(0, i))], int(rng.integers(0, SENTENCES_PER_DOC - 3))
            for k in range(3):  # the quoted passage, one word changed in each sentence
                w = src[at + k].split()
                w[len(w) // 2] = str(vocab[int(rng.integers(0, len(vocab)))])
                docs[i][5 + k] = " ".join(w)
        texts = [" ".join(d) for d in docs]
        sigs = batch_signatures(texts, docs)
        ids = [f"d{start + i:09d}" for i in range(m)]
        pq.write_table(
            pa.table(
                {
                    "input_ref": ids,
                    "doc_id": ids,
                    "status": pa.nulls(m, pa.string()),
                    "reason": pa.nulls(m, pa.string()),
                    "published": ["2022-02-08"] * m,
                    "text": texts,
                    "exact_hash": [x[0] for x in sigs],
                    "band_keys": pa.array([x[1] for x in sigs], type=pa.list_(pa.int64())),
                    "signature": pa.array([x[2] for x in sigs], type=pa.binary()),
                    "sentences": pa.array(docs, type=pa.list_(pa.string())),
                    "sentence_keys": pa.array([x[3] for x in sigs], type=pa.list_(pa.int64())),
                    "sentence_sigs": pa.array([x[4].tolist() for x in sigs], type=pa.list_(pa.binary())),
                }
            ),
            Path(tmp) / f"batch-{start // chunk:05d}.parquet",
        )


def sentence_bucket_child(n: int, tmp: str) -> None:
    """In a fresh process: the dedup step's bucketing on the staged corpus (documents, then
    sentences, overlap pairs and shared passages) with the run's automatic DuckDB memory,
    doubled on DuckDB's out-of-memory error as the step does (``MEMORY_RETRIES``); prints
    seconds (all attempts), peak RSS (MB), repeated sentences, passage sentences and the
    memory that finished."""
    import duckdb

    from flows.dedup.step import MEMORY_RETRIES, auto_memory_mb

    path = Path(tmp)
    t0 = time.time()
    memory = auto_memory_mb(n)
    glob = str(path / "batch-*.parquet")
    for attempt in range(MEMORY_RETRIES + 1):
        con = dedup.connect(memory_limit=f"{memory}MB", spill_dir=str(path / "spill"))
        try:
            decisions = dedup.decide(glob, 0.6, con)
            dedup.sentence_repeats(glob, decisions, con)
            dedup.shared_passages(con)
            break
        except duckdb.OutOfMemoryException:
            con.close()
            if attempt == MEMORY_RETRIES:
                raise
            memory *= 2
    repeated = con.execute("SELECT count(*) FROM sentences_out WHERE repeats_doc_id IS NOT NULL").fetchone()[0]
    passages = con.execute("SELECT count(*) FROM passages").fetchone()[0]
    secs = time.time() - t0
    print(f"{secs:.1f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {repeated} {passages} {memory}")


def sentence_bucketing(n: int, keep: str | None = None) -> dict:
    """Stage ``n`` generated documents (or reuse ``keep``), then bucket them in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        where = keep or tmp
        Path(where).mkdir(parents=True, exist_ok=True)
        t0 = time.time()
        if not list(Path(where).glob("batch-*.parquet")):
            subprocess.run([sys.executable, __file__, "--sentence-corpus-child", str(n), where], check=True)
        staged = time.time() - t0
        r = subprocess.run(
            [sys.executable, __file__, "--sentence-bucket-child", str(n), where], capture_output=True, text=True
        )
        if r.returncode:
            raise SystemExit(r.stderr[-2000:])
        secs, rss, repeated, passages, memory = r.stdout.split()[-5:]
    return {
        "docs": n,
        "staging_seconds": staged,
        "seconds": float(secs),
        "peak_rss_mb": float(rss),
        "repeated_sentences": int(repeated),
        "passage_sentences": int(passages),
        "duckdb_mb": int(memory),
    }


def compare_sentence_bucketing(glob: str) -> list[dict]:
    """Near-repeated sentence pairs of the distinct sentences of staged batches (``glob``), by
    the SQL self-join (``dedup.near_pairs``) and by sorting band keys (``dedup.sorted_band_pairs``,
    what the dedup step runs): wall and CPU seconds of each, and whether the pairs are the same."""
    from cleaners.signatures import SENTENCE_BANDS

    con = dedup.connect(memory_limit="2000MB", spill_dir=tempfile.mkdtemp(prefix="nc-spill-"))
    con.execute(
        f"""CREATE TEMP TABLE sb AS
            SELECT row_number() OVER (ORDER BY key) AS sid, false AS prior, sentence_band_keys(signature) AS bands, signature
            FROM (SELECT key, any_value(signature) AS signature FROM (
                    SELECT unnest(sentence_keys) AS key, unnest(sentence_sigs) AS signature FROM read_parquet('{glob}'))
                  WHERE signature IS NOT NULL GROUP BY key)"""
    )
    sentences = con.execute("SELECT count(*) FROM sb").fetchone()[0]
    rows, found = [], []
    for name, run in (
        ("SQL self-join (`near_pairs`)", lambda: dedup.near_pairs(con, "sb", "sid", "bands", SENTENCE_BANDS, 0.45)),
        (
            "sorted band keys (`sorted_band_pairs`)",
            lambda: dedup.sorted_band_pairs(con, "sb", "sid", SENTENCE_BANDS, 0.45),
        ),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        a, b = run()
        found.append(set(zip(a.to_pylist(), b.to_pylist())))
        rows.append(
            {
                "method": name,
                "sentences": sentences,
                "pairs": len(found[-1]),
                "wall": time.perf_counter() - wall,
                "cpu": time.process_time() - cpu,
            }
        )
    for r in rows:
        r["same"] = found[0] == found[1]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100_000, help="documents for the bucketing run")
    ap.add_argument("--bucket-child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--sentence-corpus-child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--sentence-bucket-child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument(
        "--sentences-scale",
        type=int,
        help="only: documents and sentences bucketed, with passages, "
        f"on N generated documents of {SENTENCES_PER_DOC} sentences (peak RSS of the dedup process)",
    )
    ap.add_argument("--keep", help="with --sentences-scale: stage into (or reuse) this folder")
    ap.add_argument(
        "--compare-sentence-bucketing",
        metavar="GLOB",
        help="only: near sentence pairs of staged batches (e.g. a --keep folder's batch-*.parquet) "
        "by the SQL join and by sorted band keys",
    )
    ap.add_argument(
        "--overlap-only", action="store_true", help="only the per-kind table on the real-derived overlap set"
    )
    args = ap.parse_args()
    if args.bucket_child:
        bucket_child(int(args.bucket_child[0]), args.bucket_child[1])
        return
    if args.sentence_corpus_child or args.sentence_bucket_child:
        n, tmp = args.sentence_corpus_child or args.sentence_bucket_child
        (sentence_corpus_child if args.sentence_corpus_child else sentence_bucket_child)(int(n), tmp)
        return
    if args.compare_sentence_bucketing:
        print("| method | distinct sentences | pairs | wall s | CPU s | same pairs |")
        print("|---|---:|---:|---:|---:|---|")
        for r in compare_sentence_bucketing(args.compare_sentence_bucketing):
            print(
                f"| {r['method']} | {r['sentences']:,} | {r['pairs']:,} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['same']} |"
            )
        return
    if args.sentences_scale:
        b = sentence_bucketing(args.sentences_scale, args.keep)
        print(
            "| documents | sentences | staging s | bucketing s | DuckDB memory (MB) | peak RSS (MB) | repeated sentences | passage sentences |"
        )
        print("|---|---|---|---|---|---|---|---|")
        print(
            f"| {b['docs']:,} | {b['docs'] * SENTENCES_PER_DOC:,} | {b['staging_seconds']:.0f} | {b['seconds']:.1f} | "
            f"{b['duckdb_mb']:,} | {b['peak_rss_mb']:,.0f} | {b['repeated_sentences']:,} | {b['passage_sentences']:,} |"
        )
        return
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print("\n## Overlap links per kind (evals/overlap: real articles, real-derived copies; the real CLI)\n")
    overlap = Path(__file__).resolve().parents[1] / "evals" / "overlap"
    if (overlap / "data" / "pairs.jsonl").exists():
        sys.path.insert(0, str(overlap))
        import score as overlap_score  # evals/overlap/score.py: runs newsclean, prints the table

        overlap_score.main([])
    else:
        print("(skipped: build the set first, evals/overlap/DATA.md)")
    if args.overlap_only:
        return
    print("\n## Near-duplicate quality (syndication set: 300 bases x 5 variants)\n")
    print(
        "| threshold | docs | precision | recall | F1 | "
        + " | ".join(["header+credit", "edited words", "dropped sentences", "reordered paragraphs", "truncated 75%"])
        + " |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for threshold in (0.5, 0.6, 0.7):
        q = quality(threshold)
        kinds = " | ".join(
            f"{q['per_kind'][k]:.3f}"
            for k in ["header+credit", "edited words", "dropped sentences", "reordered paragraphs", "truncated 75%"]
        )
        print(f"| {threshold} | {q['docs']} | {q['precision']:.3f} | {q['recall']:.3f} | {q['f1']:.3f} | {kinds} |")
    print("\n## Distinct articles of one story (200 generated + the 5 seeds)\n")
    print("| threshold | docs | marked duplicate |\n|---|---|---|")
    for threshold in (0.5, 0.6, 0.7):
        s = same_story(threshold)
        print(f"| {threshold} | {s['docs']} | {s['marked_duplicate']} |")
    print("\n## Signature speed (one core, CPU time, best of 3)\n")
    sp = speed()
    print(f"| documents of {sp['avg_bytes']:.0f} bytes | per second |\n|---|---|")
    print(f"| document signatures (MinHash + bands + exact hash) | {sp['doc_signatures_per_s']:,.0f} |")
    print(f"| sentence signatures (exact keys + MinHash + bands) | {sp['sentence_signatures_per_s']:,.0f} |")
    print("\n## Bucketing (DuckDB join over staged Parquet, fresh process)\n")
    b = bucketing(args.scale)
    print("| documents | seconds | peak RSS (MB) | duplicates found (1% planted) |\n|---|---|---|---|")
    print(f"| {b['docs']:,} | {b['seconds']:.1f} | {b['peak_rss_mb']:,.0f} | {b['duplicates_found']:,} |")


if __name__ == "__main__":
    main()
