"""Score cleaners.sentences.find_broken_sentences against the read labels (labels_read.jsonl).

A segment is flagged by a rule when any of its flags carries that rule (at or above the
confidence given).  Positives are segments read `broken`.  Precision is reported two ways:
`awkward` left out (neither positive nor negative), and `awkward` counted as a negative.
The 95% intervals are Wilson intervals (evals/stats.py).

    .venv/bin/python evals/mt_breakage/measure_read.py [--split tune|unseen|both] [--examples]

``--examples`` writes data/read_tune_examples.txt (tune only: missed `broken` segments and
flagged `fine`/`awkward` ones); the unseen split is never printed beyond its counts.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from cleaners.sentences import CONFIDENCE, find_broken_sentences  # noqa: E402
from evals.stats import wilson  # noqa: E402


def load() -> list[dict]:
    text = {}
    for line in (HERE / "data" / "sentences.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        text[r["id"]] = r["target"]
    rows = [json.loads(line) for line in (HERE / "labels_read.jsonl").open(encoding="utf-8")]
    for r in rows:
        r["target"] = text[r["id"]]
    return rows


def fmt(k: int, n: int) -> str:
    if not n:
        return "–"
    lo, hi = wilson(k, n)
    return f"{k / n:.2f} [{lo:.2f}, {hi:.2f}]"


def score(rows: list[dict], rules: dict[str, set[str]], name: str, split: str) -> str:
    part = [r for r in rows if r["split"] == split]
    pos = [r for r in part if r["read"] == "broken"]
    hit = [r for r in part if rules[r["id"]] & name_set(name)]
    tp = sum(r["read"] == "broken" for r in hit)
    fp_fine = sum(r["read"] == "fine" for r in hit)
    fp_awk = sum(r["read"] == "awkward" for r in hit)
    return (
        f"| {split} | {name} | {tp} | {fp_awk} | {fp_fine} | {fmt(tp, tp + fp_fine)} | "
        f"{fmt(tp, tp + fp_fine + fp_awk)} | {fmt(tp, len(pos))} ({len(pos)}) |"
    )


def name_set(name: str) -> set[str]:
    if name.startswith("any"):
        return {"*"}
    if name.startswith("≥ "):
        return {"*0.8"}
    return {name}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="tune", choices=["tune", "unseen", "both"])
    ap.add_argument("--examples", action="store_true")
    args = ap.parse_args()
    rows = load()
    rules: dict[str, set[str]] = {}
    for r in rows:
        _t, _e, flags = find_broken_sentences(r["target"])
        s = {f["rule"] for f in flags}
        if flags:
            s.add("*")
        if any(f["confidence"] >= 0.8 for f in flags):
            s.add("*0.8")
        rules[r["id"]] = s
        r["flags"] = flags
    splits = ["tune", "unseen"] if args.split == "both" else [args.split]
    print(
        "| split | rule | TP | FP awkward | FP fine | precision, awkward left out [95%] | "
        "precision, awkward negative [95%] | recall [95%] (n broken) |"
    )
    print("|---|---|---:|---:|---:|---|---|---|")
    fired = collections.Counter(x for s in rules.values() for x in s)
    for split in splits:
        for name in sorted(CONFIDENCE, key=lambda k: (-CONFIDENCE[k], k)):
            if fired[name]:
                print(score(rows, rules, name, split).replace(f"| {name} |", f"| {name} ({CONFIDENCE[name]}) |"))
        print(score(rows, rules, "any flag", split))
        print(score(rows, rules, "≥ 0.8", split))
    if args.examples:
        tune = [r for r in rows if r["split"] == "tune"]
        out = ["# tune: read broken, not flagged"]
        out += [
            f"- {r['id']}\n    {r['target']}\n    reason: {r['reason']}"
            for r in tune
            if r["read"] == "broken" and not r["flags"]
        ]
        out += ["", "# tune: flagged, read fine or awkward"]
        out += [
            f"- [{r['read']}] {r['id']} {[f['rule'] for f in r['flags']]}\n    {r['target']}"
            for r in tune
            if r["read"] != "broken" and r["flags"]
        ]
        (HERE / "data" / "read_tune_examples.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
