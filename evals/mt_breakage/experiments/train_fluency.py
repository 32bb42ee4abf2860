"""Experiment (not shipped): train the word-class trigram of ``fluency_model.py`` on real,
professional English news and write it to ``evals/mt_breakage/data/fluency_model.json``.

Training text (no machine translation, nothing of the MT set's documents):

* the English **source** paragraphs of the news documents of WMT23 en→de
  (`generalMT2023/ende/sxs_mqm_generalMT2023_ende.3ratingsPerSegment.tsv.tar.gz` in
  google/wmt-mqm-human-evaluation, commit 7fadea28…, Apache-2.0): Al Jazeera, BBC, CBS, CNN,
  the Guardian, LA Times, PA, RTE … (30 documents, 106 distinct paragraphs after the
  ``<v>…</v>`` marks are removed);
* the article bodies of Horne & Adali's BuzzFeed "real" set, the **tune** split of
  ``evals/embeds`` (53 documents; BenjaminDHorne/fakenewsdata1 74545f56, BSD-style licence
  with citation).  The unseen split of that set (the "Random" real outlets) is never read here.

    .venv/bin/python evals/mt_breakage/experiments/train_fluency.py \
        --git-dir /path/to/wmt-mqm-human-evaluation [--exclude-docs ids.txt] [--out model.json]

``--exclude-docs`` leaves out BuzzFeed documents (one id a line): ``measure_fluency.py``
trains on one half and scores the other, so professional news is never scored by a model
that saw it.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from fluency_model import save, train  # noqa: E402

from cleaners.sentences import paragraphs_of, split_sentences  # noqa: E402

COMMIT = "7fadea281aff8db61cc72fc3d469a4dca78b82a6"
ENDE = "generalMT2023/ende/sxs_mqm_generalMT2023_ende.3ratingsPerSegment.tsv.tar.gz"
ITEMS = ROOT / "evals" / "embeds" / "data" / "items.jsonl"
OUT = ROOT / "evals" / "mt_breakage" / "data" / "fluency_model.json"
PROFESSIONAL_TUNE = "horne-buzzfeed/real"


def wmt_news_sources(git_dir: str) -> list[str]:
    """The distinct English source paragraphs of the news documents of WMT23 en→de, sorted."""
    blob = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{COMMIT}:{ENDE}"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(".tsv"))
        text = tar.extractfile(member).read().decode("utf-8")
    out = set()
    for line in text.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) > 5 and cols[1].startswith("news_"):
            out.add(re.sub(r"</?v>", "", cols[5]).strip())
    return sorted(s for s in out if s)


def professional_tune(exclude: set[str]) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in ITEMS.open(encoding="utf-8")]
    return [
        (r["id"], r["text"])
        for r in rows
        if r["source"] == PROFESSIONAL_TUNE and r["split"] == "tune" and r["id"] not in exclude
    ]


def sentences_of(texts: list[str]) -> list[str]:
    return [s for t in texts for p in paragraphs_of(t) for s in split_sentences(p)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", required=True, help="bare clone or snapshot of google/wmt-mqm-human-evaluation")
    ap.add_argument("--exclude-docs", help="file of BuzzFeed document ids to leave out")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    exclude = set(Path(args.exclude_docs).read_text().split()) if args.exclude_docs else set()
    wmt = wmt_news_sources(args.git_dir)
    docs = professional_tune(exclude)
    sentences = sentences_of(wmt) + sentences_of([t for _, t in docs])
    model = train(sentences)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    save(model, Path(args.out))
    print(
        f"{len(wmt)} WMT23 en-de news paragraphs + {len(docs)} BuzzFeed real documents: {len(sentences):,} sentences; "
        f"{model['n_classes'] - 1} classes, {len(model['logprob']):,} n-grams; {Path(args.out).stat().st_size:,} bytes -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
