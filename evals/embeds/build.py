"""Rebuild the embeds development set (data/items.jsonl, data/paragraphs.jsonl) from its sources.

The sources are public GitHub repositories, read at a fixed commit from local clones:

    git clone https://github.com/BenjaminDHorne/fakenewsdata1 && git -C fakenewsdata1 checkout 74545f56e3b6
    git clone https://github.com/several27/FakeNewsCorpus && git -C FakeNewsCorpus checkout c39d26e5a8cb
    python evals/embeds/build.py --horne fakenewsdata1 --fnc FakeNewsCorpus

Every article of Horne & Adali's two sets and every row of FakeNewsCorpus' news_sample.csv is
taken, none chosen by content.  The paragraph rule that labels refer to is `paragraphs()`.

The held-out split comes from three further repositories, none read while tuning:

    git clone https://github.com/ramybaly/Article-Bias-Prediction && git -C Article-Bias-Prediction checkout ced8111a7209
    git clone https://github.com/EnyanDai/FakeHealth && git -C FakeHealth checkout ec9379de8f8f
    git clone https://github.com/FakeNewsChallenge/fnc-1 && git -C fnc-1 checkout 29d473af2d15
    python evals/embeds/build.py --horne ... --fnc ... --allsides Article-Bias-Prediction --fakehealth FakeHealth --fnc1 fnc-1

Its items are a seeded random sample of each (`heldout_sample`: seed 19, bodies that are empty
after stripping skipped), written after the 576 items above, which stay byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HORNE = ("BenjaminDHorne/fakenewsdata1", "74545f56e3b62d488eb153cef8e33a0d5e5385dc", "Horne2017_FakeNewsData.zip")
FNC = ("several27/FakeNewsCorpus", "c39d26e5a8cb492dbe9450399d15fe8c37e69bce", "news_sample.csv")
ALLSIDES = ("ramybaly/Article-Bias-Prediction", "ced8111a720948e6a410e52031ace99c4e53f096", "data/jsons/")
FAKEHEALTH = ("EnyanDai/FakeHealth", "ec9379de8f8f13af8c436dd6dd9bfaddacd2df30", "dataset/content/HealthStory/")
FNC1 = ("FakeNewsChallenge/fnc-1", "29d473af2d15278f0464d5e41e4cbe7eb58231f2", "competition_test_bodies.csv")
# The held-out split: how many items each source gives, and the sampling seed (the number).
HELDOUT_N = {"allsides": 80, "fakehealth": 60, "fnc1": 60}
HELDOUT_SEED = 19
# Held apart: never read while tuning.  Horne's "Random" set (24 outlets, 2016) is the unseen split.
UNSEEN_PREFIX = "horne-random/"


def paragraphs(text: str) -> list[str]:
    """The label unit: each non-blank line, stripped.

    >>> paragraphs("One.\\r\\n\\r\\n  Two.\\nThree. ")
    ['One.', 'Two.', 'Three.']
    """
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 if it decodes, else Windows-1252 (what the Horne files are written in).

    >>> decode("caf\\u00e9".encode("cp1252"))
    ('café', 'cp1252')
    """
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def git_blob(repo: Path, commit: str, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], check=True, capture_output=True).stdout


def horne_items(repo: Path):
    zf = zipfile.ZipFile(io.BytesIO(git_blob(repo, HORNE[1], HORNE[2])))
    sets = {"Buzzfeed Political News Dataset": "horne-buzzfeed", "Random Poltical News Dataset": "horne-random"}
    for name in sorted(zf.namelist()):
        parts = name.split("/")
        if len(parts) != 4 or not parts[3].endswith(".txt") or parts[2].endswith("_titles"):
            continue
        group = f"{sets[parts[1]]}/{parts[2].lower()}"
        text, encoding = decode(zf.read(name))
        title_name = f"{parts[0]}/{parts[1]}/{parts[2]}_titles/{parts[3]}"
        title = decode(zf.read(title_name))[0].strip() if title_name in zf.namelist() else ""
        stem = parts[3][:-4]
        yield {
            "id": f"{group}/{stem}",
            "source": group,
            "title": title,
            "url": "",
            "text": text,
            "origin": {"repo": HORNE[0], "commit": HORNE[1], "path": f"{HORNE[2]}!{name}", "encoding": encoding},
        }


def fnc_items(repo: Path):
    csv.field_size_limit(1 << 30)
    rows = csv.DictReader(io.StringIO(git_blob(repo, FNC[1], FNC[2]).decode("utf-8")))
    for i, row in enumerate(rows):
        yield {
            "id": f"fnc/{row['domain']}/{row['id']}",
            "source": f"fnc/{row['domain']}",
            "title": row["title"],
            "url": row["url"],
            "text": row["content"],
            "origin": {"repo": FNC[0], "commit": FNC[1], "path": f"{FNC[2]}:row {i}", "encoding": "utf-8"},
        }


def git_paths(repo: Path, commit: str, folder: str) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "--name-only", commit, folder],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(line for line in out.splitlines() if line.endswith(".json"))


def heldout_sample(candidates: list, n: int, body, seed: int = HELDOUT_SEED) -> list:
    """The first ``n`` candidates, in a seeded shuffle of their sorted order, whose body is not blank.

    Chosen by position only, never by content (a blank body is skipped).

    >>> heldout_sample(["a", "b", "c", "d"], 2, lambda c: "" if c == "b" else c, seed=1)
    ['d', 'a']
    """
    order = sorted(candidates)
    random.Random(seed).shuffle(order)
    chosen = []
    for c in order:
        if len(chosen) == n:
            break
        if body(c).strip():
            chosen.append(c)
    return chosen


def slug(text: str) -> str:
    """A source name as an id part.

    >>> slug("New York Times - News")
    'new-york-times-news'
    """
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def allsides_items(repo: Path):
    """Baly et al. 2020 (articles linked from allsides.com): `content_original`, newspaper3k's output."""
    docs = {}

    def body(path):
        if path not in docs:
            docs[path] = json.loads(git_blob(repo, ALLSIDES[1], path).decode("utf-8"))
        return docs[path]["content_original"] or ""

    for path in heldout_sample(git_paths(repo, ALLSIDES[1], ALLSIDES[2]), HELDOUT_N["allsides"], body):
        d = docs[path]
        group = f"heldout-allsides/{slug(d['source'])}"
        yield {
            "id": f"{group}/{d['ID']}",
            "source": group,
            "title": d["title"],
            "url": d["url"],
            "text": d["content_original"],
            "origin": {"repo": ALLSIDES[0], "commit": ALLSIDES[1], "path": path, "encoding": "utf-8"},
        }


def host(url: str) -> str:
    """The outlet's host name, also through an archive.org copy or a URL without its scheme.

    >>> host("https://web.archive.org/web/2015/http://www.foxnews.com:80/health/x")
    'foxnews.com'
    >>> host("www.reuters.com/article/2013/x")
    'reuters.com'
    """
    url = url.split("://", 1)[-1]
    if url.startswith("web.archive.org/web/"):
        url = url.split("/", 3)[3].split("://", 1)[-1]
    return url.split("/")[0].split(":")[0].lower().removeprefix("www.")


def fakehealth_items(repo: Path):
    """Dai et al. 2020, HealthStory: the news stories reviewed by HealthNewsReview.org, newspaper3k's `text`."""
    docs = {}

    def body(path):
        if path not in docs:
            docs[path] = json.loads(git_blob(repo, FAKEHEALTH[1], path).decode("utf-8"))
        return docs[path].get("text") or ""

    for path in heldout_sample(git_paths(repo, FAKEHEALTH[1], FAKEHEALTH[2]), HELDOUT_N["fakehealth"], body):
        d = docs[path]
        group = f"heldout-fakehealth/{host(d['url'])}"
        yield {
            "id": f"{group}/{Path(path).stem}",
            "source": group,
            "title": d.get("title") or "",
            "url": d["url"],
            "text": d["text"],
            "origin": {"repo": FAKEHEALTH[0], "commit": FAKEHEALTH[1], "path": path, "encoding": "utf-8"},
        }


def fnc1_items(repo: Path):
    """Fake News Challenge FNC-1, competition test bodies (article bodies of many outlets, no title or URL)."""
    csv.field_size_limit(1 << 30)
    rows = list(csv.DictReader(io.StringIO(git_blob(repo, FNC1[1], FNC1[2]).decode("utf-8"))))
    by_id = {int(r["Body ID"]): (i, r) for i, r in enumerate(rows)}
    for body_id in heldout_sample(list(by_id), HELDOUT_N["fnc1"], lambda b: by_id[b][1]["articleBody"]):
        i, row = by_id[body_id]
        yield {
            "id": f"heldout-fnc1/{body_id:04d}",
            "source": "heldout-fnc1",
            "title": "",
            "url": "",
            "text": row["articleBody"],
            "origin": {"repo": FNC1[0], "commit": FNC1[1], "path": f"{FNC1[2]}:row {i}", "encoding": "utf-8"},
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--horne", type=Path, required=True, help="clone of BenjaminDHorne/fakenewsdata1")
    ap.add_argument("--fnc", type=Path, required=True, help="clone of several27/FakeNewsCorpus")
    ap.add_argument("--allsides", type=Path, help="clone of ramybaly/Article-Bias-Prediction (held-out split)")
    ap.add_argument("--fakehealth", type=Path, help="clone of EnyanDai/FakeHealth (held-out split)")
    ap.add_argument("--fnc1", type=Path, help="clone of FakeNewsChallenge/fnc-1 (held-out split)")
    args = ap.parse_args()
    items = sorted([*horne_items(args.horne), *fnc_items(args.fnc)], key=lambda d: d["id"])
    for d in items:
        d["split"] = "unseen" if d["id"].startswith(UNSEEN_PREFIX) else "tune"
    heldout_args = [args.allsides, args.fakehealth, args.fnc1]
    if any(heldout_args) and not all(heldout_args):
        ap.error("the held-out split needs all three of --allsides, --fakehealth and --fnc1")
    if all(heldout_args):
        heldout = [*allsides_items(args.allsides), *fakehealth_items(args.fakehealth), *fnc1_items(args.fnc1)]
        for d in heldout:
            d["split"] = "heldout"
        items += sorted(heldout, key=lambda d: d["id"])  # after the others, which stay as they were
    out = HERE / "data"
    out.mkdir(exist_ok=True)
    with (
        open(out / "items.jsonl", "w", encoding="utf-8") as f,
        open(out / "paragraphs.jsonl", "w", encoding="utf-8") as p,
    ):
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
            for index, para in enumerate(paragraphs(item["text"])):
                p.write(
                    json.dumps(
                        {
                            "doc_id": item["id"],
                            "index": index,
                            "sha1": hashlib.sha1(para.encode()).hexdigest(),
                            "split": item["split"],
                            "text": para,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    print(f"{len(items)} items -> {out}")


if __name__ == "__main__":
    main()
