"""Build the near-repeated sentence set (data/pairs.jsonl) from real, human-labelled news sentence pairs.

    git clone https://github.com/galsang/ABCNN && git -C ABCNN checkout f95b9a171f1d
    /work/main/.venv/bin/python evals/sentences/build.py --mrpc ABCNN     # from the repository root

Deterministic; standard library only.  Reads the Microsoft Research Paraphrase Corpus as copied in
that repository (``MSRP_Corpus/``): the original train (``msr_paraphrase_train_backup.txt``, 4,076
pairs) and test (``msr_paraphrase_test.txt``, 1,725 pairs) files, and ``msr_paraphrase_data.txt``
(each sentence's byline, site and date).  Keeps only pairs whose two sentences carry the same byline
(case-folded): one writer's story as two sites ran it, so a "yes" is an editor's light rewording of
one sentence and a "no" a different sentence of the same story.  Adds real same-story different
sentences as negatives (``story``): the first sentence of one kept pair with the second sentence of
the next kept pair of the same byline and date.  Split by byline (the source): a byline whose
BLAKE2b digest's first byte is divisible by 3 is ``unseen``.  See DATA.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "data"
COMMIT = "f95b9a171f1d41cb8012af2f69d5d845f5703463"
FILES = {"train": "MSRP_Corpus/msr_paraphrase_train_backup.txt", "test": "MSRP_Corpus/msr_paraphrase_test.txt"}
META = "MSRP_Corpus/msr_paraphrase_data.txt"


def git_text(repo: Path, path: str) -> str:
    """A file of the pinned commit, decoded (the files start with a byte-order mark)."""
    raw = subprocess.run(["git", "-C", str(repo), "show", f"{COMMIT}:{path}"], check=True, capture_output=True).stdout
    return raw.decode("utf-8-sig")


def rows(text: str) -> list[list[str]]:
    """Tab-separated rows after the header line; quotes are text, not CSV quoting.

    >>> rows('h1\\th2\\n1\\t"a"\\n\\n')
    [['1', '"a"']]
    """
    return [r for r in csv.reader(text.split("\n")[1:], delimiter="\t", quoting=csv.QUOTE_NONE) if r]


def byline_split(byline: str) -> str:
    """``unseen`` for a third of the bylines, by digest, else ``tune``.

    >>> byline_split("vivian chu"), byline_split("robert weller")
    ('tune', 'unseen')
    """
    return "unseen" if hashlib.blake2b(byline.encode("utf-8"), digest_size=8).digest()[0] % 3 == 0 else "tune"


def build(repo: Path) -> list[dict]:
    """The labelled pairs, in file order (MRPC pairs), then the same-story negatives."""
    meta = {r[0]: r for r in rows(git_text(repo, META))}  # id, string, author, url, agency, date, web date
    byline = lambda sid: meta[sid][2].strip().casefold()  # noqa: E731
    kept = []
    for part, path in FILES.items():
        for quality, id1, id2, s1, s2 in rows(git_text(repo, path)):
            if byline(id1) in ("", "*") or byline(id1) != byline(id2):
                continue
            kept.append(
                {
                    "id": f"mrpc-{part}-{id1}-{id2}",
                    "a": s1,
                    "b": s2,
                    "label": int(quality) == 1,
                    "kind": "mrpc",
                    "split": byline_split(byline(id1)),
                    "byline": byline(id1),
                    "sites": [meta[id1][3], meta[id2][3]],
                    "date": meta[id1][5],
                    "ids": [id1, id2],
                }
            )
    stories = collections.defaultdict(list)
    for pair in kept:
        stories[(pair["byline"], pair["date"])].append(pair)
    negatives = []
    for (who, date), group in sorted(stories.items()):
        for x, y in zip(group, group[1:] + group[:1]):
            if x is y or set(x["ids"]) & set(y["ids"]) or x["a"] == y["b"]:
                continue  # one pair, a shared sentence, or the same text: not two different sentences
            negatives.append(
                {
                    "id": f"story-{x['ids'][0]}-{y['ids'][1]}",
                    "a": x["a"],
                    "b": y["b"],
                    "label": False,
                    "kind": "story",
                    "split": x["split"],
                    "byline": who,
                    "sites": [x["sites"][0], y["sites"][1]],
                    "date": date,
                    "ids": [x["ids"][0], y["ids"][1]],
                }
            )
    return kept + negatives


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mrpc", type=Path, required=True, help="clone (or bare mirror) of galsang/ABCNN")
    args = ap.parse_args()
    pairs = build(args.mrpc)
    OUT.mkdir(exist_ok=True)
    with open(OUT / "pairs.jsonl", "w", encoding="utf-8") as f:
        for pair in pairs:
            f.write(json.dumps(pair, ensure_ascii=False, sort_keys=True) + "\n")
    counts = collections.Counter((p["split"], p["kind"], p["label"]) for p in pairs)
    for key in sorted(counts):
        print(*key, counts[key])


if __name__ == "__main__":
    main()
