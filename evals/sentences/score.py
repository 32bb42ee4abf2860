"""Score newsclean's near-repeated sentence matching on the real sentence pairs (``data/pairs.jsonl``).

Every sentence of the set goes through the signatures step's code (``batch_signatures``) and the
dedup step's matching (``flows.dedup.near_pairs`` over the sentence bands, with the run's
threshold, in DuckDB); a pair is found when its two sentences have one exact key or are a
verified near pair.  Prints precision, recall and F1 per split with 95% Wilson intervals
(precision and recall; F1 has none), and the share of pairs labelled "yes" (what flagging
everything would score).

    .venv/bin/python evals/sentences/score.py [--kind mrpc|story|all]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pyarrow as pa

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))
from stats import wilson  # noqa: E402

from cleaners.signatures import SENTENCE_BANDS, batch_signatures  # noqa: E402
from flows import dedup  # noqa: E402
from flows.dedup.band_sort import sorted_band_pairs  # noqa: E402


def found_pairs(pairs: list[dict]) -> list[bool]:
    """For each pair, whether newsclean would take its second sentence for a repeat of its first.

    >>> found_pairs([{"a": "The central bank raised its key interest rate by half a point on Tuesday.",
    ...               "b": "On Tuesday the central bank raised its key interest rates by half a point."},
    ...              {"a": "The central bank raised its key interest rate by half a point on Tuesday.",
    ...               "b": "Shares in Tokyo fell sharply after the announcement, traders in the city said."}])
    [True, False]
    """
    texts = [s for p in pairs for s in (p["a"], p["b"])]
    parts = batch_signatures(texts, [[t] for t in texts])
    keys = [part[3][0] for part in parts]
    sigs = [part[4].tolist()[0] for part in parts]
    con = dedup.connect(threads=1)
    rows = [(i, s) for i, s in enumerate(sigs) if s is not None]
    table = pa.table(
        {
            "sid": pa.array([i for i, _ in rows], pa.int64()),
            "prior": pa.array([False] * len(rows)),
            "signature": pa.array([s for _, s in rows], pa.binary()),
        }
    )
    con.register("sig_arrow", table)
    con.execute("CREATE TEMP TABLE sent_bands AS SELECT sid, prior, signature FROM sig_arrow")
    a, b = sorted_band_pairs(con, "sent_bands", "sid", SENTENCE_BANDS, dedup.NEAR_SENTENCE_THRESHOLD)
    near = set(zip(a.to_pylist(), b.to_pylist()))
    con.close()
    out = []
    for k in range(len(pairs)):
        i, j = 2 * k, 2 * k + 1
        out.append((keys[i] is not None and keys[i] == keys[j]) or (i, j) in near)
    return out


def scores(labels: list[bool], found: list[bool]) -> dict:
    """Counts, precision, recall, F1 and Wilson intervals.

    >>> s = scores([True, True, False, False], [True, False, True, False])
    >>> s["tp"], s["fp"], s["fn"], s["precision"], s["recall"], s["f1"]
    (1, 1, 1, 0.5, 0.5, 0.5)
    """
    tp = sum(y and h for y, h in zip(labels, found))
    fp = sum(h and not y for y, h in zip(labels, found))
    fn = sum(y and not h for y, h in zip(labels, found))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": len(labels),
        "yes": sum(labels),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "p_ci": wilson(tp, tp + fp),
        "r_ci": wilson(tp, tp + fn),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", choices=("mrpc", "story", "all"), default="all")
    args = ap.parse_args()
    pairs = [json.loads(line) for line in open(HERE / "data" / "pairs.jsonl", encoding="utf-8")]
    pairs = [p for p in pairs if args.kind == "all" or p["kind"] == args.kind]
    found = found_pairs(pairs)
    print("| split | n | yes | P | 95% | R | 95% | F1 | F1 if all flagged |")
    print("|---|---:|---:|---:|---|---:|---|---:|---:|")
    for split in ("tune", "unseen"):
        idx = [k for k, p in enumerate(pairs) if p["split"] == split]
        s = scores([pairs[k]["label"] for k in idx], [found[k] for k in idx])
        base = 2 * s["yes"] / (s["n"] + s["yes"]) if s["n"] else 0.0
        print(
            f"| {split} | {s['n']} | {s['yes']} | {s['precision']:.3f} | {s['p_ci'][0]:.3f}–{s['p_ci'][1]:.3f} | "
            f"{s['recall']:.3f} | {s['r_ci'][0]:.3f}–{s['r_ci'][1]:.3f} | {s['f1']:.3f} | {base:.3f} |"
        )
    print("\n| split | kind | label | n | found |\n|---|---|---|---:|---:|")
    for key in sorted({(p["split"], p["kind"], p["label"]) for p in pairs}):
        idx = [k for k, p in enumerate(pairs) if (p["split"], p["kind"], p["label"]) == key]
        print(f"| {key[0]} | {key[1]} | {'yes' if key[2] else 'no'} | {len(idx)} | {sum(found[k] for k in idx)} |")


if __name__ == "__main__":
    main()
