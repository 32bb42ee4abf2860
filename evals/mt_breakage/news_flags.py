"""Broken-sentence flags on professional English news: documents flagged, by rule.

Professional documents are Horne & Adali's real-news article bodies of evals/embeds
(BuzzFeed set = tune, Random set = unseen), run through repair, embeds and sentences as in a
run (evals/mt_breakage/experiments/measure_fluency.py).  With ``--git-dir`` the English
source paragraphs of the WMT23 en→de news documents (human-written professional news, see
results/2026-12-07-fluency.md) are checked too, one paragraph at a time.

    .venv/bin/python evals/mt_breakage/news_flags.py [--git-dir <wmt-mqm-human-evaluation>] [--show tune]

``--show tune`` prints the flagged sentences of the tune documents (never those of unseen).
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE / "experiments"))

from measure_fluency import professional_records  # noqa: E402
from train_fluency import wmt_news_sources  # noqa: E402

from cleaners.sentences import find_broken_sentences  # noqa: E402
from evals.stats import wilson  # noqa: E402

DROP = 0.8


def table(name: str, texts: list[str], show: bool) -> list[str]:
    any_docs = drop_docs = 0
    by_rule: collections.Counter = collections.Counter()
    by_rule_drop: collections.Counter = collections.Counter()
    shown = []
    for text in texts:
        _t, _e, flags = find_broken_sentences(text)
        rules = {f["rule"] for f in flags}
        by_rule.update(rules)
        by_rule_drop.update({f["rule"] for f in flags if f["confidence"] >= DROP})
        any_docs += bool(flags)
        drop_docs += any(f["confidence"] >= DROP for f in flags)
        if show:
            shown += [f"    [{f['rule']} {f['confidence']}] {f['detail']}" for f in flags]
    n = len(texts)
    lo, hi = wilson(drop_docs, n) if n else (0, 0)
    out = [
        f"| {name} | {n} | {any_docs} ({any_docs / n:.1%}) | {drop_docs} ({drop_docs / n:.1%}) [{lo:.3f}, {hi:.3f}] | "
        + ", ".join(
            f"{r} {c}" + (f" ({by_rule_drop[r]} ≥ {DROP})" if by_rule_drop[r] else "") for r, c in by_rule.most_common()
        )
        + " |"
    ]
    return out + shown


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--git-dir")
    ap.add_argument("--show", choices=["tune"])
    args = ap.parse_args()
    prof = professional_records()
    print("| documents | n | any flag | flag ≥ 0.8 [95%] | documents flagged, by rule |")
    print("|---|---:|---:|---:|---|")
    for split in ("tune", "unseen"):
        lines = table(f"professional, {split}", [r["text"] for r in prof[split]], args.show == split)
        print("\n".join(lines))
    if args.git_dir:
        paras = wmt_news_sources(args.git_dir)
        print("\n".join(table("WMT23 en sources (paragraphs, tune use)", paras, args.show == "tune")))


if __name__ == "__main__":
    main()
