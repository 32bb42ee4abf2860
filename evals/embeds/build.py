"""Rebuild the embeds development set (data/items.jsonl, data/paragraphs.jsonl) from its sources.

The sources are public GitHub repositories, read at a fixed commit from local clones:

    git clone https://github.com/BenjaminDHorne/fakenewsdata1 && git -C fakenewsdata1 checkout 74545f56e3b6
    git clone https://github.com/several27/FakeNewsCorpus && git -C FakeNewsCorpus checkout c39d26e5a8cb
    python evals/embeds/build.py --horne fakenewsdata1 --fnc FakeNewsCorpus

Every article of Horne & Adali's two sets and every row of FakeNewsCorpus' news_sample.csv is
taken, none chosen by content.  The paragraph rule that labels refer to is `paragraphs()`.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HORNE = ("BenjaminDHorne/fakenewsdata1", "74545f56e3b62d488eb153cef8e33a0d5e5385dc", "Horne2017_FakeNewsData.zip")
FNC = ("several27/FakeNewsCorpus", "c39d26e5a8cb492dbe9450399d15fe8c37e69bce", "news_sample.csv")
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
        yield {"id": f"{group}/{stem}", "source": group, "title": title, "url": "", "text": text,
               "origin": {"repo": HORNE[0], "commit": HORNE[1], "path": f"{HORNE[2]}!{name}", "encoding": encoding}}


def fnc_items(repo: Path):
    csv.field_size_limit(1 << 30)
    rows = csv.DictReader(io.StringIO(git_blob(repo, FNC[1], FNC[2]).decode("utf-8")))
    for i, row in enumerate(rows):
        yield {"id": f"fnc/{row['domain']}/{row['id']}", "source": f"fnc/{row['domain']}", "title": row["title"],
               "url": row["url"], "text": row["content"],
               "origin": {"repo": FNC[0], "commit": FNC[1], "path": f"{FNC[2]}:row {i}", "encoding": "utf-8"}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--horne", type=Path, required=True, help="clone of BenjaminDHorne/fakenewsdata1")
    ap.add_argument("--fnc", type=Path, required=True, help="clone of several27/FakeNewsCorpus")
    args = ap.parse_args()
    items = sorted([*horne_items(args.horne), *fnc_items(args.fnc)], key=lambda d: d["id"])
    out = HERE / "data"
    out.mkdir(exist_ok=True)
    with open(out / "items.jsonl", "w", encoding="utf-8") as f, open(out / "paragraphs.jsonl", "w", encoding="utf-8") as p:
        for item in items:
            item["split"] = "unseen" if item["id"].startswith(UNSEEN_PREFIX) else "tune"
            f.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
            for index, para in enumerate(paragraphs(item["text"])):
                p.write(json.dumps({"doc_id": item["id"], "index": index, "sha1": hashlib.sha1(para.encode()).hexdigest(),
                                    "split": item["split"], "text": para}, ensure_ascii=False) + "\n")
    print(f"{len(items)} items -> {out}")


if __name__ == "__main__":
    main()
