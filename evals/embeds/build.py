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

A second held-out split (`heldout2`) comes from five more repositories, read at pinned commits:

    git clone https://github.com/apurvamulay/ReCOVery && git -C ReCOVery checkout 93c26aa55f38
    git clone https://github.com/hybrinfox/ppn && git -C ppn checkout 79c3e6ba90c8
    git clone https://github.com/aschern/semeval2020_task11 && git -C semeval2020_task11 checkout 84c384d3813a
    git clone https://github.com/jgolbeck/fakenews && git -C fakenews checkout 9aff3073a1d7
    python evals/embeds/build.py --horne ... --fnc ... --allsides ... --fakehealth FakeHealth --fnc1 ... \
        --recovery ReCOVery --healthrelease FakeHealth --ppn ppn --ptc semeval2020_task11 --golbeck fakenews

(`--healthrelease` is the same FakeHealth clone: its other half, HealthRelease.)  Each gives 40 items,
chosen by position only (`heldout_sample`, seed 19; bodies under 400 or over 15,000 characters after
stripping count as blank, and so does a body identical to one already taken from the same source),
written after the 776 items above, which stay byte-identical.
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
# The second held-out split: five sources, 40 items each, bodies of 400 to 15,000 characters (stripped).
RECOVERY = ("apurvamulay/ReCOVery", "93c26aa55f386786466bf70c04905b389ce3babf", "dataset/")
HEALTHRELEASE = (FAKEHEALTH[0], FAKEHEALTH[1], "dataset/content/HealthRelease/")
PPN = ("hybrinfox/ppn", "79c3e6ba90c863e7fd26590265b752bb45426796", "ppn_data/")
PTC = ("aschern/semeval2020_task11", "84c384d3813a51f4face15086463952ebc2e0993", "datasets/")
GOLBECK = ("jgolbeck/fakenews", "9aff3073a1d70be1ff7af31bc391b39af7dacfd0", "FakeNewsData.zip")
HELDOUT2_N = {"recovery": 40, "healthrelease": 40, "ppn": 40, "ptc": 40, "golbeck": 40}
HELDOUT2_MIN, HELDOUT2_MAX = 400, 15_000
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


def git_paths(repo: Path, commit: str, folder: str, suffix: str = ".json") -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "--name-only", commit, folder],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(line for line in out.splitlines() if line.endswith(suffix))


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


def sized(text: str) -> str:
    """The body if its stripped length is within the heldout2 bounds, else "" (skipped like a blank body).

    >>> sized("x" * 399), len(sized("x" * 400)), sized("x" * 15_001)
    ('', 400, '')
    """
    return text if HELDOUT2_MIN <= len(text.strip()) <= HELDOUT2_MAX else ""


def first_copy(body):
    """``body`` that returns "" for a body (stripped) already returned once: exact copies are skipped.

    `heldout_sample` takes every candidate whose body is not blank until it has enough, so a body
    returned here is a body taken.  (Some scrapes repeat one text under several URLs: a site's news
    ticker, another article's text.)

    >>> f = first_copy(str.upper)
    >>> f("a"), f("b"), f("a ")
    ('A', 'B', '')
    """
    seen = set()

    def once(candidate):
        text = body(candidate)
        if not text.strip() or text.strip() in seen:
            return ""
        seen.add(text.strip())
        return text

    return once


def recovery_items(repo: Path):
    """Zhou et al. 2020, ReCOVery: COVID-19 news of 2020 from 54 outlets, newspaper3k's `body_text`.

    Read from the per-outlet CSV files (`dataset/reliable/`, `dataset/unreliable/`) at the last commit
    that has them; the merged `recovery-news-data.csv` is a large file the snapshot lacks.
    """
    csv.field_size_limit(1 << 30)
    rows = {}
    for path in git_paths(repo, RECOVERY[1], RECOVERY[2], ".csv"):
        if "/._" in path or path.count("/") != 2:  # macOS resource forks; the merged file at the top
            continue
        for i, row in enumerate(csv.DictReader(io.StringIO(git_blob(repo, RECOVERY[1], path).decode("utf-8")))):
            rows[f"{path}:row {i:04d}"] = row
    body = first_copy(lambda k: sized(rows[k]["body_text"] or ""))
    for key in heldout_sample(list(rows), HELDOUT2_N["recovery"], body):
        row = rows[key]
        group = f"heldout2-recovery/{slug(row['publisher'])}"
        yield {
            "id": f"{group}/{row['news_id']}",
            "source": group,
            "title": row["title"],
            "url": row["url"],
            "text": row["body_text"],
            "origin": {"repo": RECOVERY[0], "commit": RECOVERY[1], "path": key, "encoding": "utf-8"},
        }


def healthrelease_items(repo: Path):
    """Dai et al. 2020, FakeHealth HealthRelease: press releases reviewed by HealthNewsReview.org, newspaper3k's `text`."""
    docs = {}

    def body(path):
        if path not in docs:
            docs[path] = json.loads(git_blob(repo, HEALTHRELEASE[1], path).decode("utf-8"))
        return sized(docs[path].get("text") or "")

    paths = git_paths(repo, HEALTHRELEASE[1], HEALTHRELEASE[2])
    for path in heldout_sample(paths, HELDOUT2_N["healthrelease"], first_copy(body)):
        d = docs[path]
        group = f"heldout2-healthrelease/{host(d['url'])}"
        yield {
            "id": f"{group}/{Path(path).stem}",
            "source": group,
            "title": d.get("title") or "",
            "url": d["url"],
            "text": d["text"],
            "origin": {"repo": HEALTHRELEASE[0], "commit": HEALTHRELEASE[1], "path": path, "encoding": "utf-8"},
        }


def ppn_items(repo: Path):
    """Faye et al. 2024, PPN: pro-Russian pseudo-news sites (2023), news-please's `maintext`; English pages only.

    English: news-please's `language` is "en" and the URL names no other language (tribunalukraine.info's
    pages carry `?lang=xx` while news-please says "en" for all of them).  The two French-only sites are left out.
    """
    docs = {}

    def body(path):
        if path not in docs:
            docs[path] = json.loads(git_blob(repo, PPN[1], path).decode("utf-8"))
        d = docs[path]
        url = d.get("url") or ""
        english = d.get("language") == "en" and ("lang=" not in url or "lang=en" in url)
        return sized(d.get("maintext") or "") if english else ""

    sites = ("/rrn.media/", "/tribunalukraine.info/", "/waronfakes.com/")
    paths = [p for p in git_paths(repo, PPN[1], PPN[2]) if any(s in p for s in sites)]
    for path in heldout_sample(paths, HELDOUT2_N["ppn"], first_copy(body)):
        d = docs[path]
        group = f"heldout2-ppn/{d['source_domain']}"
        yield {
            "id": f"{group}/{Path(path).name.removesuffix('.html.json').strip('_')}",
            "source": group,
            "title": d.get("title") or "",
            "url": d["url"],
            "text": d["maintext"],
            "origin": {"repo": PPN[0], "commit": PPN[1], "path": path, "encoding": "utf-8"},
        }


def ptc_items(repo: Path):
    """Da San Martino et al. 2019, PTC (SemEval-2020 task 11): newspaper3k output of 48 outlets, no outlet or URL given.

    The title is the first line; the body follows, one sentence per line (NLTK) with blank lines where
    the extractor's paragraphs were.  Train, dev and test articles of the copy in aschern/semeval2020_task11.
    """
    texts = {}

    def body(path):
        if path not in texts:
            texts[path] = decode(git_blob(repo, PTC[1], path))
        return sized(texts[path][0])

    paths = [p for p in git_paths(repo, PTC[1], PTC[2], ".txt") if p.split("/")[1].endswith("-articles")]
    for path in heldout_sample(paths, HELDOUT2_N["ptc"], first_copy(body)):
        text, encoding = texts[path]
        yield {
            "id": f"heldout2-ptc/{Path(path).stem.removeprefix('article')}",
            "source": "heldout2-ptc",
            "title": paragraphs(text)[0],
            "url": "",
            "text": text,
            "origin": {"repo": PTC[0], "commit": PTC[1], "path": path, "encoding": encoding},
        }


def xlsx_rows(raw: bytes) -> list[list[str]]:
    """The first sheet of an .xlsx file as rows of cell strings (shared strings resolved; no other sheet)."""
    import xml.etree.ElementTree as ET

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    zf = zipfile.ZipFile(io.BytesIO(raw))
    shared = [
        "".join(t.text or "" for t in si.iter(f"{ns}t"))
        for si in ET.fromstring(zf.read("xl/sharedStrings.xml")).iter(f"{ns}si")
    ]
    rows = []
    for row in ET.fromstring(zf.read("xl/worksheets/sheet1.xml")).iter(f"{ns}row"):
        cells = []
        for c in row.iter(f"{ns}c"):
            v = c.find(f"{ns}v")
            cells.append("" if v is None else shared[int(v.text)] if c.get("t") == "s" else v.text or "")
        rows.append(cells)
    return rows


def golbeck_items(repo: Path):
    """Golbeck et al. 2018, "Fake News vs Satire": the full text of 283 fake and 203 satirical stories (2016-2017).

    The text files of the final set (`finalFake`, `finalSatire`; the `ditched` and `rejected` ones left out),
    as the researchers saved each page's text: the title, often the URL, then the body.  The outlet
    comes from the spreadsheet's `URL of article`.
    """
    zf = zipfile.ZipFile(io.BytesIO(git_blob(repo, GOLBECK[1], GOLBECK[2])))
    sheet = xlsx_rows(zf.read("FakeNewsData/Fake News Stories.xlsx"))
    urls = {r[0]: r[1] for r in sheet[1:] if len(r) > 1}
    names = [
        n
        for n in zf.namelist()
        if not n.startswith("__MACOSX/") and n.endswith(".txt") and n.split("/")[-2] in ("finalFake", "finalSatire")
    ]
    texts = {}

    def body(name):
        if name not in texts:
            texts[name] = decode(zf.read(name))
        return sized(texts[name][0])

    for name in heldout_sample(names, HELDOUT2_N["golbeck"], first_copy(body)):
        text, encoding = texts[name]
        number = name.rsplit("/", 1)[1].removesuffix(".txt")
        url = urls.get(number, "")
        group = f"heldout2-golbeck/{host(url) if url else 'unknown'}"
        yield {
            "id": f"{group}/{number}",
            "source": group,
            "title": paragraphs(text)[0],
            "url": url,
            "text": text,
            "origin": {"repo": GOLBECK[0], "commit": GOLBECK[1], "path": f"{GOLBECK[2]}!{name}", "encoding": encoding},
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--horne", type=Path, required=True, help="clone of BenjaminDHorne/fakenewsdata1")
    ap.add_argument("--fnc", type=Path, required=True, help="clone of several27/FakeNewsCorpus")
    ap.add_argument("--allsides", type=Path, help="clone of ramybaly/Article-Bias-Prediction (held-out split)")
    ap.add_argument("--fakehealth", type=Path, help="clone of EnyanDai/FakeHealth (held-out split)")
    ap.add_argument("--fnc1", type=Path, help="clone of FakeNewsChallenge/fnc-1 (held-out split)")
    ap.add_argument("--recovery", type=Path, help="clone of apurvamulay/ReCOVery (heldout2 split)")
    ap.add_argument(
        "--healthrelease", type=Path, help="clone of EnyanDai/FakeHealth, its HealthRelease half (heldout2)"
    )
    ap.add_argument("--ppn", type=Path, help="clone of hybrinfox/ppn (heldout2 split)")
    ap.add_argument("--ptc", type=Path, help="clone of aschern/semeval2020_task11 (heldout2 split)")
    ap.add_argument("--golbeck", type=Path, help="clone of jgolbeck/fakenews (heldout2 split)")
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
    heldout2_args = [args.recovery, args.healthrelease, args.ppn, args.ptc, args.golbeck]
    if any(heldout2_args) and not (all(heldout2_args) and all(heldout_args)):
        ap.error(
            "the heldout2 split needs the held-out options and all of --recovery, --healthrelease, --ppn, --ptc, --golbeck"
        )
    if all(heldout2_args):
        heldout2 = [
            *recovery_items(args.recovery),
            *healthrelease_items(args.healthrelease),
            *ppn_items(args.ppn),
            *ptc_items(args.ptc),
            *golbeck_items(args.golbeck),
        ]
        for d in heldout2:
            d["split"] = "heldout2"
        items += sorted(heldout2, key=lambda d: d["id"])  # after the 776, which stay as they were
    ids = [d["id"] for d in items]
    assert len(ids) == len(set(ids)), "duplicate item ids"
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
