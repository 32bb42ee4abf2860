"""Measure cleaners.sentences.find_broken_sentences on data/sentences.jsonl.

A sentence is "flagged" when the detector returns any flag.  Scores 'broken' (positive)
against 'fine' (negative); 'unclear' rows are counted, not scored.  Prints numbers for both
splits; writes examples for the tune split only (data/current_detector_tune.txt): the
unseen split is never printed.

    .venv/bin/python evals/mt_breakage/measure.py
"""

from __future__ import annotations

import collections
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from cleaners.sentences import find_broken_sentences  # noqa: E402

SEED = 20261207
N_EXAMPLES = 15


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    rows = [json.loads(line) for line in (HERE / "data" / "sentences.jsonl").open(encoding="utf-8")]
    results = []
    for r in rows:
        _text, _edits, flags = find_broken_sentences(r["target"])
        results.append((r, flags))

    lines = []
    for split in ("tune", "unseen"):
        c = collections.Counter()
        for r, flags in results:
            if r["split"] != split:
                continue
            c[(r["label"], bool(flags))] += 1
        tp, fn = c[("broken", True)], c[("broken", False)]
        fp, tn = c[("fine", True)], c[("fine", False)]
        p, rec, f = prf(tp, fp, fn)
        lines.append(
            f"{split:7s} broken={tp + fn:4d} fine={fp + tn:4d} unclear={c[('unclear', True)] + c[('unclear', False)]:4d} "
            f"(unclear flagged {c[('unclear', True)]})  TP={tp} FP={fp} FN={fn} TN={tn}  "
            f"P={p:.3f} R={rec:.3f} F1={f:.3f}"
        )
    print("\n".join(lines))

    kinds = collections.Counter()
    for r, flags in results:
        if r["split"] == "tune" and r["label"] in ("broken", "fine"):
            for fl in flags:
                kinds[(r["label"], fl.get("kind"), fl.get("rule", ""))] += 1

    tune = [(r, fl) for r, fl in results if r["split"] == "tune"]
    fps = [(r, fl) for r, fl in tune if r["label"] == "fine" and fl]
    fns = [(r, fl) for r, fl in tune if r["label"] == "broken" and not fl]
    rng = random.Random(SEED)
    fps_s = sorted(rng.sample(fps, min(N_EXAMPLES, len(fps))), key=lambda t: t[0]["id"])
    fns_s = sorted(rng.sample(fns, min(N_EXAMPLES, len(fns))), key=lambda t: t[0]["id"])
    out = [
        f"# Current find_broken_sentences on the tune split of evals/mt_breakage (label rule {rows[0]['label_rule']}).",
        "# Scores (tune and unseen; unseen: numbers only):",
        *("#   " + ln for ln in lines),
        f"# Flags on tune broken/fine rows by (label, kind, rule): {dict(sorted(kinds.items()))}",
        "",
        f"## False positives (label fine, flagged): {len(fps)} in all, {len(fps_s)} shown",
    ]
    for r, fl in fps_s:
        out.append(f"- {r['id']}\n    text: {r['target']}\n    flags: {json.dumps(fl, ensure_ascii=False)}")
    out += ["", f"## False negatives (label broken, not flagged): {len(fns)} in all, {len(fns_s)} shown"]
    for r, _fl in fns_s:
        out.append(f"- {r['id']}\n    text: {r['target']}")
    unc = [(r, fl) for r, fl in tune if r["label"] == "unclear" and fl]
    unc_s = sorted(rng.sample(unc, min(N_EXAMPLES, len(unc))), key=lambda t: t[0]["id"])
    out += ["", f"## For context, not scored: label unclear, flagged: {len(unc)} in all, {len(unc_s)} shown"]
    for r, fl in unc_s:
        majors = sorted({e["category"] for e in r["errors"] if e["severity"] == "Major"})
        out.append(
            f"- {r['id']}\n    text: {r['target']}\n    flags: {json.dumps(fl, ensure_ascii=False)}\n    MQM Major: {majors}"
        )
    (HERE / "data" / "current_detector_tune.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
