"""Experiment (not shipped): would a class-trigram fluency score (``fluency_model.py``) add
broken-sentence recall on real MT output without false flags on professional news?

1. Professional news (Horne & Adali's real outlets, ``evals/embeds``): each document goes
   through the pipeline's repair, embeds and sentences steps, as in a run.  Tune = BuzzFeed
   real (53 documents), scored **cross-fitted**: two halves, each scored by a model trained
   on the WMT23 en-de sources and the other half.  Unseen = Random real (75 documents),
   scored by the model trained on all tune text.
2. The threshold is chosen on tune only: the lowest grid value at which no more than 1% of
   the professional tune documents would get a ``low_fluency`` flag.
3. MT rows (``data/sentences.jsonl``, broken against fine) are scored at that threshold;
   the unseen split is scored once, at the threshold tune chose.  Per-rule tables for the
   current rules come from the same run.

    .venv/bin/python evals/mt_breakage/experiments/measure_fluency.py --git-dir /path/to/wmt-mqm-human-evaluation
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "evals"))

from fluency_model import Scorer, train  # noqa: E402
from stats import wilson  # noqa: E402
from train_fluency import ITEMS, professional_tune, sentences_of, wmt_news_sources  # noqa: E402

from cleaners.sentences import (  # noqa: E402
    find_broken_sentences,
    is_list_item,
    paragraphs_of,
    split_sentences,
)

MT = ROOT / "evals" / "mt_breakage" / "data" / "sentences.jsonl"
SPLITS = {"tune": "horne-buzzfeed/real", "unseen": "horne-random/real"}
DROP = 0.8


def professional_records() -> dict[str, list[dict]]:
    """Professional documents after repair, embeds and sentences (the steps of a run), by split."""
    from flows.config import make_config
    from flows.read import discover_inputs, read_input
    from flows.steps import BATCH_STEPS

    rows = [json.loads(line) for line in ITEMS.open(encoding="utf-8")]
    keep = {r["id"]: split for r in rows for split, src in SPLITS.items() if r["source"] == src and r["split"] == split}
    config = make_config({})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "professional.jsonl"
        path.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows if r["id"] in keep))
        records = [rec for f in discover_inputs([str(path)]) for rec in read_input(f, max_bytes=config.max_chars * 4)]
    steps = dict(BATCH_STEPS)
    for name in ("repair", "embeds", "sentences"):
        steps[name](records, config)
    out: dict[str, list[dict]] = {"tune": [], "unseen": []}
    for rec in records:
        rec["split"] = keep[rec["doc_id"]]
        out[rec["split"]].append(rec)
    return out


def scored_sentences(text: str) -> list[str]:
    """The sentences a ``low_fluency`` rule would judge: not list items, not quoted speech."""
    return [
        s
        for p in paragraphs_of(text)
        if not is_list_item(p)
        for s in split_sentences(p)
        if not any(q in s for q in '"“”')
    ]


def doc_score(scorer: Scorer, text: str) -> float:
    scores = [scorer.disfluency(s) for s in scored_sentences(text)]
    return max((s for s in scores if s is not None), default=float("-inf"))


def ci(k: int, n: int) -> str:
    if not n:
        return "–"
    lo, hi = wilson(k, n)
    return f"{k / n:.2f} [{lo:.2f}, {hi:.2f}]"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", required=True)
    args = ap.parse_args(argv)
    wmt = wmt_news_sources(args.git_dir)
    prof = professional_records()

    # Models: cross-fitted halves for professional tune, one on all tune text for the rest.
    tune_docs = professional_tune(set())
    ids = sorted(i for i, _ in tune_docs)
    halves = [set(ids[0::2]), set(ids[1::2])]
    fold_model = []
    for half in halves:  # the model that did not see ``half``
        fold_model.append(Scorer(train(sentences_of(wmt) + sentences_of([t for i, t in tune_docs if i not in half]))))
    full = Scorer(train(sentences_of(wmt) + sentences_of([t for _, t in tune_docs])))

    prof_score = {}
    for rec in prof["tune"]:
        model = fold_model[0] if rec["doc_id"] in halves[0] else fold_model[1]
        prof_score[rec["doc_id"]] = doc_score(model, rec["text"] or "")
    for rec in prof["unseen"]:
        prof_score[rec["doc_id"]] = doc_score(full, rec["text"] or "")

    mt = [json.loads(line) for line in MT.open(encoding="utf-8")]
    mt = [r for r in mt if r["label"] in ("broken", "fine")]
    for r in mt:
        r["rules"] = {(f["rule"], f["confidence"]) for f in find_broken_sentences(r["target"])[2]}
        r["fluency"] = doc_score(full, r["target"])

    # Threshold from tune only.
    tune_prof = sorted(prof_score[r["doc_id"]] for r in prof["tune"])
    n_tune = len(tune_prof)
    grid = [x / 10 for x in range(40, 121)]
    print("## Tune grid (low_fluency alone; professional tune documents cross-fitted)\n")
    print("| threshold | professional tune docs | MT tune TP (of broken) | MT tune FP (of fine) |")
    print("|---:|---:|---:|---:|")
    tune_mt = [r for r in mt if r["split"] == "tune"]
    n_broken = sum(r["label"] == "broken" for r in tune_mt)
    n_fine = len(tune_mt) - n_broken
    chosen = None
    for t in grid:
        docs = sum(s > t for s in tune_prof)
        tp = sum(r["label"] == "broken" and r["fluency"] > t for r in tune_mt)
        fp = sum(r["label"] == "fine" and r["fluency"] > t for r in tune_mt)
        if docs / n_tune <= 0.01 and chosen is None:
            chosen = t
        if t in (4.0, 5.0, 6.0, 6.5, 7.0, 7.5, 8.0, 9.0, 10.0) or t == chosen:
            print(f"| {t:.1f} | {docs}/{n_tune} | {tp}/{n_broken} | {fp}/{n_fine} |")
    print(f"\nchosen on tune: {chosen:.1f} (the lowest with ≤ 1% of professional tune documents)")
    pos = [r["fluency"] for r in tune_mt if r["label"] == "broken"]
    neg = [r["fluency"] for r in tune_mt if r["label"] == "fine"]
    auc = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / (len(pos) * len(neg))
    print(f"tune AUC of the score, broken against fine MT rows: {auc:.3f}\n")

    # Per-rule tables, both splits (the current rules, and low_fluency at the chosen threshold).
    print("## MT rows by rule (a row counts for a rule when the rule flags any of its sentences)\n")
    print("| split | rule | confidence | TP | FP | precision [95%] | recall [95%] (n broken) |")
    print("|---|---|---:|---:|---:|---|---|")
    for split in ("tune", "unseen"):
        rows = [r for r in mt if r["split"] == split]
        nb = sum(r["label"] == "broken" for r in rows)
        rules = sorted({rc for r in rows for rc in r["rules"]})
        lines = [(name, f"{conf}", lambda r, name=name: any(x == name for x, _ in r["rules"])) for name, conf in rules]
        lines.append(("low_fluency (experiment)", f"> {chosen:.1f}", lambda r: r["fluency"] > chosen))
        lines.append(("any current flag", "any", lambda r: bool(r["rules"])))
        lines.append((f"current flag ≥ {DROP}", f"≥ {DROP}", lambda r: any(c >= DROP for _, c in r["rules"])))
        lines.append(("current + low_fluency", "any", lambda r: bool(r["rules"]) or r["fluency"] > chosen))
        for name, conf, hit in lines:
            tp = sum(r["label"] == "broken" and hit(r) for r in rows)
            fp = sum(r["label"] == "fine" and hit(r) for r in rows)
            print(f"| {split} | {name} | {conf} | {tp} | {fp} | {ci(tp, tp + fp)} | {ci(tp, nb)} ({nb}) |")

    print("\n## Professional news: documents with a flag\n")
    print("| split | n | any current flag | current ≥ 0.8 | low_fluency > threshold | flags by rule (any) |")
    print("|---|---:|---:|---:|---:|---|")
    for split in ("tune", "unseen"):
        recs = prof[split]
        anyf = sum(bool(r["flags"]) for r in recs)
        drop = sum(
            any(f.get("confidence", 0) >= DROP for f in r["flags"] if f.get("kind") == "broken_sentence") for r in recs
        )
        lf = sum(prof_score[r["doc_id"]] > chosen for r in recs)
        by_rule = collections.Counter(
            f.get("rule") for r in recs for f in r["flags"] if f.get("kind") == "broken_sentence"
        )
        print(f"| {split} | {len(recs)} | {anyf} | {drop} | {lf} | {dict(sorted(by_rule.items()))} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
