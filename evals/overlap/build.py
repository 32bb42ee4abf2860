"""Build the overlap evaluation set (data/docs.jsonl, data/pairs.jsonl) from real article bodies.

    /work/main/.venv/bin/python evals/overlap/build.py          # from the repository root

Deterministic (random.Random(20261207)); standard library only.  Reads:

- ``evals/embeds/data/items.jsonl``: 576 scraped article bodies (Horne & Adali 2017, FakeNewsCorpus
  news_sample), with ``evals/embeds/documents.jsonl`` (``is_article``) and ``evals/embeds/labels.jsonl``
  (per-line KEEP/REMOVE labels) used only to choose clean articles and clean passages;
- ``seeds/*.txt``: five real articles on one story (Putin-Macron talks, February 2022).

Writes one line per document to ``data/docs.jsonl`` and one line per labelled pair to
``data/pairs.jsonl``; see DATA.md for what each kind means and how it was made.

Paragraphs (the unit of every count here): if a text contains a blank line, the blocks between
blank lines, stripped; otherwise each non-blank line, stripped (``paragraphs()``).  Two paragraphs
match when they are equal after collapsing whitespace (``norm()``).
"""

from __future__ import annotations

import collections
import json
import random
import re
from difflib import SequenceMatcher
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EMBEDS = ROOT / "evals" / "embeds"
SEEDS = ROOT / "seeds"
OUT = HERE / "data"
SEED = 20261207

PER_SPLIT = 40  # base articles per split
KINDS = ("truncation", "excerpt", "rewrite")
BASE_MIN_PARAS, BASE_MIN_WORDS, BASE_MAX_WORDS = 8, 300, 2000
HOST_MIN_PARAS, HOST_MIN_WORDS = 4, 150
KEEP_SHARE = 0.7  # share of a document's words in paragraphs labelled KEEP
MAX_PER_FNC_DOMAIN = 5  # FakeNewsCorpus sites: at most this many bases per site
BASE_DATE, DERIVED_DATE, ITEM_DATE = "2017-01-01", "2017-01-02", "2017-01-01"

# ---------------------------------------------------------------------------------------------
# Real negatives and real positives, chosen by reading (see DATA.md, "How the real pairs were
# labelled").  Candidates came from a tf-idf of capitalised rare words and of rare body words
# (within a split); every pair below was read in full.  Horne's items carry no outlet name:
# "different outlets" is judged from datelines, house style and self-references.
SAME_STORY = [  # (item a, item b, why)
    (
        "horne-buzzfeed/fake/3_Fake",
        "horne-buzzfeed/fake/5_Fake",
        "Death of ex-UN General Assembly president John Ashe before testifying (Dobbs Ferry, Ng Lap Seng); "
        "3_Fake retells the Conservative Tribune/Page Six report in its own words, shares only the source's quote",
    ),
    (
        "horne-random/real/128",
        "horne-random/real/139",
        "Trump on Fox News Sunday (11 Dec 2016): 'nobody really knows' on climate change; two outlets, "
        "separately written, share Trump's quotes",
    ),
    (
        "horne-random/real/178",
        "horne-random/real/194",
        "Obama withdraws Arctic and Atlantic waters from oil and gas leasing (20 Dec 2016); NPR report vs a "
        "HONOLULU-datelined wire-style report",
    ),
    (
        "horne-random/fake/67",
        "horne-random/real/178",
        "Same drilling ban: a partisan site's piece written from the Bloomberg/NYT/The Hill pre-announcement "
        "reports vs NPR's report of the announcement",
    ),
    (
        "horne-random/fake/004",
        "horne-random/real/1010",
        "Israel's 'ironclad' claim that the Obama administration helped craft UN resolution 2334 (27 Dec 2016); "
        "both quote David Keyes' statement",
    ),
    (
        "horne-random/real/185",
        "horne-random/real/196",
        "Unsealing of the FBI warrant for Anthony Weiner's laptop (20 Dec 2016); two outlets, no shared text",
    ),
    (
        "horne-random/real/163",
        "horne-random/real/185",
        "Same unsealed warrant; USA TODAY's interview with lawyer Randy Schoenberg vs another outlet's report; "
        "both quote Schoenberg's statement and the Clinton campaign's statement at length",
    ),
    (
        "horne-random/fake/65",
        "horne-random/real/196",
        "Same unsealed warrant ('27 email chains'); a partisan site quoting Fox News vs a news report",
    ),
    (
        "horne-random/real/1009",
        "horne-random/real/1015",
        "Trump's 26-27 Dec 2016 tweets defending the Trump Foundation; CBS-style vs NPR report, both quote "
        "the tweets and the transition statement",
    ),
    (
        "horne-random/real/1011",
        "horne-random/real/1016",
        "NY attorney general: the Trump Foundation cannot dissolve while under investigation (24-27 Dec 2016); "
        "WEST PALM BEACH-datelined report vs NPR's",
    ),
    (
        "horne-random/real/167",
        "horne-random/real/173",
        "Electoral College vote confirms Trump (19 Dec 2016), faithless electors; two outlets",
    ),
    (
        "horne-random/real/173",
        "horne-random/real/192",
        "Same Electoral College vote; a general report vs a piece on the seven faithless electors",
    ),
    (
        "horne-random/fake/003",
        "horne-random/fake/006",
        "Erdogan says he has evidence the US-led coalition supports ISIS (27 Dec 2016); two sites, share only "
        "Erdogan's quote",
    ),
]
REAL_PASSAGE = [  # real documents sharing a long passage (not same story)
    (
        "horne-random/fake/17",
        "horne-random/fake/19",
        "Two different Paul Horner hoaxes (Trump tweet / Cruz endorsement) that end with the same stock "
        "'David Mikkelson, founder of Snopes.com' block (one ~594-word paragraph identical)",
    ),
    (
        "horne-random/fake/17",
        "horne-random/fake/96",
        "Different hoaxes (Trump tweet / Pledge ban) ending with an edited version of the same Snopes block "
        "(no paragraph identical; long verbatim runs)",
    ),
    (
        "horne-random/fake/19",
        "horne-random/fake/96",
        "Different hoaxes (Cruz endorsement / Pledge ban) ending with an edited version of the same Snopes block",
    ),
]
REAL_REPRINT: list[tuple[str, str, str]] = []  # none found: see DATA.md

# Seeds: header lines to drop (title, date, url, byline) and the date each header gives.
SEED_HEADERS = {
    "000_ff76f270c1d87102": (1, None),  # title only; no date in the file
    "001_d6148e060fdea379": (3, "2022-02-08"),  # title, 20220208, url
    "002_bcd470c7927b5382": (0, None),  # no header lines
    "003_8ab6df1c88548d07": (2, "2022-02-09"),  # title, byline "Updated: 2022-02-09"; the standfirst stays
    "004_79a605d2e2b8dae4": (0, "2022-02-08"),  # " date 2022-02-08" glued to the first paragraph
}
SEED_DEFAULT_DATE = "2022-02-08"  # the talks were on 7 Feb 2022; files without a date get the next day


def nl(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of ``text`` (newlines already normalised), stripped."""
    out = []
    if re.search(r"\n[ \t]*\n", text):
        pos = 0
        for m in [*re.finditer(r"\n[ \t]*\n(?:[ \t]*\n)*", text), None]:
            end = m.start() if m else len(text)
            seg = text[pos:end]
            if seg.strip():
                lead = len(seg) - len(seg.lstrip())
                out.append((pos + lead, pos + len(seg.rstrip())))
            pos = m.end() if m else len(text)
    else:
        for m in re.finditer(r"[^\n]+", text):
            seg = m.group()
            if seg.strip():
                lead = len(seg) - len(seg.lstrip())
                out.append((m.start() + lead, m.start() + len(seg.rstrip())))
    return out


def paragraphs(text: str) -> list[str]:
    """Blocks between blank lines if there is a blank line, else non-blank lines; stripped.

    >>> paragraphs("A\\n\\nB b\\nc\\n\\n\\nD"), paragraphs("A\\nB\\n\\t\\nC"), paragraphs(" A\\nB ")
    (['A', 'B b\\nc', 'D'], ['A\\nB', 'C'], ['A', 'B'])
    """
    return [text[s:e] for s, e in spans(text)]


def blank_mode(text: str) -> bool:
    return bool(re.search(r"\n[ \t]*\n", text))


def norm(p: str) -> str:
    return " ".join(p.split())


def nwords(t: str) -> int:
    return len(t.split())


def shared_count(a: str, b: str) -> int:
    """Paragraphs of ``a`` whose normalised text is a paragraph of ``b`` (multiset)."""
    cb = collections.Counter(norm(p) for p in paragraphs(b))
    n = 0
    for p in paragraphs(a):
        k = norm(p)
        if cb[k] > 0:
            cb[k] -= 1
            n += 1
    return n


def longest_run(a: str, b: str) -> int:
    """Longest run of words (lowercased, \\w+) common to both texts."""
    wa, wb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    m = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return m.size


def shingles(text: str, k: int = 8) -> set[str]:
    w = re.findall(r"\w+", text.lower())
    return {" ".join(w[i : i + k]) for i in range(max(0, len(w) - k + 1))}


# ---------------------------------------------------------------------------------------------
def load_items():
    items = [json.loads(line) for line in open(EMBEDS / "data" / "items.jsonl", encoding="utf-8")]
    for it in items:
        it["text"] = nl(it["text"])
    is_article = {}
    for line in open(EMBEDS / "documents.jsonl", encoding="utf-8"):
        d = json.loads(line)
        is_article[d["doc_id"]] = d["is_article"]
    labels = collections.defaultdict(dict)
    for line in open(EMBEDS / "labels.jsonl", encoding="utf-8"):
        d = json.loads(line)
        labels[d["doc_id"]][d["index"]] = d["label"]
    return items, is_article, labels


def line_labels(item, labels) -> dict[int, str]:
    """Label of each embeds unit (non-blank line), keyed by the line's start offset in the text."""
    out, lab = {}, labels[item["id"]]
    idx = 0
    for m in re.finditer(r"[^\n]+", item["text"]):
        seg = m.group()
        if seg.strip():
            out[m.start() + len(seg) - len(seg.lstrip())] = lab.get(idx, "?")
            idx += 1
    return out


def keep_paragraphs(item, labels) -> list[bool]:
    """Per paragraph: a single line labelled KEEP (the article's own text)."""
    ll = line_labels(item, labels)
    return [("\n" not in item["text"][s:e]) and ll.get(s) == "KEEP" for s, e in spans(item["text"])]


def keep_share(item, labels) -> float:
    ll = line_labels(item, labels)
    total = kept = 0
    for m in re.finditer(r"[^\n]+", item["text"]):
        seg = m.group()
        if not seg.strip():
            continue
        w = nwords(seg)
        total += w
        if ll.get(m.start() + len(seg) - len(seg.lstrip())) == "KEEP":
            kept += w
    return kept / total if total else 0.0


def overlapping_items(items) -> set[str]:
    """Items sharing text with another item: any paragraph (line) of >= 5 words, or >= 10 word 8-grams.

    Kept out of the base, host and donor pools so that no unlabelled overlap enters the set
    (site boilerplate such as Before It's News' "Headline: ..." line, Canada Free Press' footer,
    Paul Horner's stock paragraphs)."""
    seen = collections.defaultdict(set)
    for it in items:
        for line in it["text"].split("\n"):
            if nwords(line) >= 5:
                seen[norm(line).lower()].add(it["id"])
    out = set()
    for ids in seen.values():
        if len(ids) > 1:
            out |= ids
    inv = collections.defaultdict(set)
    for it in items:
        for g in shingles(it["text"]):
            inv[g].add(it["id"])
    pairs = collections.Counter()
    for ids in inv.values():
        if 1 < len(ids) <= 30:
            ids = sorted(ids)
            for i in range(len(ids)):
                for j in range(i + 1, len(ids)):
                    pairs[(ids[i], ids[j])] += 1
    for (a, b), n in pairs.items():
        if n >= 10:
            out |= {a, b}
    return out


# ---------------------------------------------------------------------------------------------
def truncate(text: str, rng: random.Random):
    sp = spans(text)
    n = len(sp)
    lo, hi = -(-4 * n // 10), (7 * n) // 10  # ceil(0.4 n) .. floor(0.7 n)
    k = rng.randint(lo, hi)
    return text[: sp[k - 1][1]] + "\n", {"kept_paragraphs": k}


def passage_runs(item, labels) -> list[tuple[int, int]]:
    """(first, count) of runs of 2-4 consecutive clean paragraphs, >= 80 words together, not the first
    paragraph, and at most 40% of the article's words."""
    text = item["text"]
    ps, ok = paragraphs(text), keep_paragraphs(item, labels)
    total = nwords(text)
    runs = []
    for m in (2, 3, 4):
        for i in range(1, len(ps) - m + 1):
            if all(ok[i : i + m]) and all(nwords(p) >= 10 for p in ps[i : i + m]):
                w = sum(nwords(p) for p in ps[i : i + m])
                if 80 <= w <= 0.4 * total:
                    runs.append((i, m))
    return runs


def insert_passage(host: str, passage: list[str], rng: random.Random):
    sp = spans(host)
    n = len(sp)
    at = rng.randint(max(1, n // 3), max(1, (2 * n) // 3))  # between paragraph at-1 and at
    sep = "\n\n" if blank_mode(host) else "\n"
    text = host[: sp[at - 1][1]] + sep + sep.join(passage) + sep + host[sp[at][0] :].rstrip() + "\n"
    return text, at


def donor_paragraphs(item, labels) -> list[int]:
    ps, ok = paragraphs(item["text"]), keep_paragraphs(item, labels)
    return [i for i, p in enumerate(ps) if i > 0 and ok[i] and 15 <= nwords(p) <= 150]  # not a title or lede


def rewrite(text: str, donor: list[str], rng: random.Random):
    """Replace some paragraphs of ``text`` by, or add after them, the donor paragraphs (in order)."""
    sp = spans(text)
    n = len(sp)
    where = sorted(rng.sample(range(1, n), len(donor)))
    ops = [rng.choice(("replace", "add")) for _ in donor]
    sep = "\n\n" if blank_mode(text) else "\n"
    out, pos = [], 0
    edits = []
    for at, op, d in zip(where, ops, donor):
        s, e = sp[at]
        if op == "replace":
            out.append(text[pos:s] + d)
            edits.append({"op": "replace", "paragraph": at})
        else:
            out.append(text[pos:e] + sep + d)
            edits.append({"op": "add_after", "paragraph": at})
        pos = e
    out.append(text[pos:])
    return "".join(out).rstrip() + "\n", edits


# ---------------------------------------------------------------------------------------------
def main() -> None:
    rng = random.Random(SEED)
    items, is_article, labels = load_items()
    byid = {it["id"]: it for it in items}
    overlap = overlapping_items(items)
    real_ids = {x for a, b, _ in SAME_STORY + REAL_PASSAGE + REAL_REPRINT for x in (a, b)}

    def clean(it) -> bool:
        return (
            is_article.get(it["id"], False)
            and keep_share(it, labels) >= KEEP_SHARE
            and it["id"] not in overlap
            and it["id"] not in real_ids
        )

    def base_ok(it) -> bool:
        return (
            clean(it)
            and len(spans(it["text"])) >= BASE_MIN_PARAS
            and BASE_MIN_WORDS <= nwords(it["text"]) <= BASE_MAX_WORDS
        )

    def host_ok(it) -> bool:
        return (
            clean(it)
            and len(spans(it["text"])) >= HOST_MIN_PARAS
            and HOST_MIN_WORDS <= nwords(it["text"]) <= BASE_MAX_WORDS
        )

    def other_site(x, y) -> bool:
        """Hosts and donors come from another FakeNewsCorpus site (Horne's items carry no site name)."""
        return not (x["source"].startswith("fnc/") and x["source"] == y["source"])

    docs: dict[str, dict] = {}
    pairs: list[dict] = []

    def add_doc(doc_id, text, source, split, published, origin):
        assert doc_id not in docs, doc_id
        docs[doc_id] = {
            "id": doc_id,
            "text": text,
            "source": source,
            "split": split,
            "published": published,
            "origin": origin,
        }

    def item_origin(it):
        return {"item": it["id"], **{k: it["origin"][k] for k in ("repo", "commit", "path")}}

    used: set[str] = set(real_ids)
    kind_cycle = 0
    for split in ("tune", "unseen"):
        pool = sorted(it["id"] for it in items if it["split"] == split and base_ok(it))
        rng.shuffle(pool)
        per_domain = collections.Counter()
        chosen = 0
        for iid in pool:
            if chosen >= PER_SPLIT:
                break
            if iid in used:
                continue
            it = byid[iid]
            if it["source"].startswith("fnc/") and per_domain[it["source"]] >= MAX_PER_FNC_DOMAIN:
                continue
            kind = KINDS[kind_cycle % 3]
            text = it["text"].strip() + "\n"
            base_id = f"base-{iid}"
            detail: dict = {"item": iid}
            passage = None
            if kind == "truncation":
                new, info = truncate(text, rng)
                new_id = f"trunc-{iid}"
                detail.update(info)
                expected = "contained_in"
                origin = {"derived_from": [iid], "kind": kind}
            elif kind == "excerpt":
                runs = passage_runs({"id": iid, "text": text}, labels)
                hosts = sorted(
                    h["id"]
                    for h in items
                    if h["split"] == split
                    and h["id"] not in used
                    and h["id"] != iid
                    and other_site(h, it)
                    and host_ok(h)
                )
                if not runs or not hosts:
                    continue
                first, m = rng.choice(runs)
                ps = paragraphs(text)[first : first + m]
                # the host's own text is at least twice the passage: the passage stays a minority of it
                hosts = [h for h in hosts if nwords(byid[h]["text"]) >= 2 * sum(nwords(x) for x in ps)]
                if not hosts:
                    continue
                host = rng.choice(hosts)
                new, at = insert_passage(byid[host]["text"].strip() + "\n", ps, rng)
                new_id = f"excerpt-{iid}"
                passage = "\n\n".join(ps)
                detail.update(
                    {
                        "host_item": host,
                        "passage_paragraphs": [first, first + m - 1],
                        "inserted_before_host_paragraph": at,
                        "passage_words": nwords(passage),
                    }
                )
                expected = "passage"
                origin = {"derived_from": [host, iid], "kind": kind}
                used.add(host)
            else:  # rewrite
                n = len(spans(text))
                r = rng.randint(1, min(3, (3 * n) // 10))
                donors = sorted(
                    d["id"]
                    for d in items
                    if d["split"] == split
                    and d["id"] not in used
                    and d["id"] != iid
                    and other_site(d, it)
                    and clean(d)
                    and len(donor_paragraphs(d, labels)) >= r
                )
                if not donors:
                    continue
                donor = rng.choice(donors)
                di = sorted(rng.sample(donor_paragraphs(byid[donor], labels), r))
                dps = [paragraphs(byid[donor]["text"])[i] for i in di]
                new, edits = rewrite(text, dps, rng)
                new_id = f"rewrite-{iid}"
                detail.update({"donor_item": donor, "donor_paragraphs": di, "edits": edits})
                expected = "near_duplicate_or_overlaps"
                origin = {"derived_from": [iid, donor], "kind": kind}
                used.add(donor)
            used.add(iid)
            per_domain[it["source"]] += 1
            chosen += 1
            kind_cycle += 1
            add_doc(base_id, text, it["source"], split, BASE_DATE, item_origin(it))
            add_doc(new_id, new, f"derived/{kind}", split, DERIVED_DATE, origin)
            pairs.append(
                {
                    "a": new_id,
                    "b": base_id,
                    "kind": kind,
                    "split": split,
                    "expected": expected,
                    "passage": passage,
                    "note": None,
                    "detail": detail,
                }
            )

    # Real pairs from items.
    for kind, expected, rows in (
        ("same_story", "no_link", SAME_STORY),
        ("real_passage", "passage", REAL_PASSAGE),
        ("real_reprint", "near_duplicate", REAL_REPRINT),
    ):
        for a, b, why in rows:
            ia, ib = byid[a], byid[b]
            assert ia["split"] == ib["split"], (a, b)
            for it in (ia, ib):
                if f"real-{it['id']}" not in docs:
                    add_doc(
                        f"real-{it['id']}",
                        it["text"].strip() + "\n",
                        it["source"],
                        it["split"],
                        ITEM_DATE,
                        item_origin(it),
                    )
            passage = None
            if kind == "real_passage":  # the a-side paragraphs that b holds verbatim or in an edited copy
                pb = [norm(p) for p in paragraphs(ib["text"])]
                keep = [
                    p
                    for p in paragraphs(ia["text"])
                    if nwords(p) >= 20
                    and max(SequenceMatcher(None, norm(p).split(), q.split(), autojunk=False).ratio() for q in pb)
                    >= 0.75
                ]
                passage = "\n\n".join(keep)
            pairs.append(
                {
                    "a": f"real-{a}",
                    "b": f"real-{b}",
                    "kind": kind,
                    "split": ia["split"],
                    "expected": expected,
                    "passage": passage,
                    "note": why,
                    "detail": {"items": [a, b]},
                }
            )

    # Seeds: all 10 pairs, same story from five outlets.
    seed_ids = []
    for path in sorted(SEEDS.glob("*.txt")):
        drop, date = SEED_HEADERS[path.stem]
        raw = nl(path.read_text(encoding="utf-8"))
        body = "\n".join(raw.split("\n")[drop:]).strip()
        body = re.sub(r"^date \d{4}-\d{2}-\d{2}\s+", "", body)
        sid = f"seed-{path.stem}"
        add_doc(
            sid,
            body + "\n",
            "seeds",
            "tune",
            date or SEED_DEFAULT_DATE,
            {"file": f"seeds/{path.name}", "header_lines_dropped": drop},
        )
        seed_ids.append(sid)
    for i in range(len(seed_ids)):
        for j in range(i + 1, len(seed_ids)):
            pairs.append(
                {
                    "a": seed_ids[i],
                    "b": seed_ids[j],
                    "kind": "same_story",
                    "split": "tune",
                    "expected": "no_link",
                    "passage": None,
                    "note": "Putin-Macron talks in Moscow, 7 Feb 2022: two outlets' separately written reports "
                    "(variants of the same Macron/Putin quotes)",
                    "detail": {"files": [seed_ids[i][5:] + ".txt", seed_ids[j][5:] + ".txt"]},
                }
            )

    # Counts from the texts as written, and checks.
    for p in pairs:
        ta, tb = docs[p["a"]]["text"], docs[p["b"]]["text"]
        p["shared_paragraphs"] = shared_count(ta, tb)
        p["a_paragraphs"] = len(spans(ta))
        p["b_paragraphs"] = len(spans(tb))
        p["longest_common_run_words"] = longest_run(ta, tb)
        k, d = p["kind"], p["detail"]
        if k == "truncation":
            assert p["shared_paragraphs"] == p["a_paragraphs"] == d["kept_paragraphs"]
            assert 0.4 <= p["a_paragraphs"] / p["b_paragraphs"] <= 0.7 and tb.startswith(ta.rstrip("\n"))
        elif k == "excerpt":
            m = d["passage_paragraphs"][1] - d["passage_paragraphs"][0] + 1
            assert p["shared_paragraphs"] == m and 2 <= m <= 4 and d["passage_words"] >= 80, p["a"]
            assert norm(p["passage"].replace("\n\n", " ")) in norm(ta)
            assert p["a_paragraphs"] == len(spans(byid[d["host_item"]]["text"])) + m
            assert d["passage_words"] <= min(0.4 * nwords(tb), nwords(ta) / 3 + 1), p["a"]
        elif k == "rewrite":
            changed = sum(e["op"] == "replace" for e in d["edits"])
            assert p["shared_paragraphs"] == p["b_paragraphs"] - changed, p["a"]
            assert len(d["edits"]) <= 0.3 * p["b_paragraphs"] and p["shared_paragraphs"] >= 0.7 * p["b_paragraphs"]
        elif k == "same_story":  # at most a shared quote, never a shared passage
            assert p["longest_common_run_words"] < 80, p["a"]
            assert sum(nwords(x) for x in paragraphs(ta) if norm(x) in {norm(y) for y in paragraphs(tb)}) < 30, p["a"]

    # No unlabelled overlap: any two documents sharing a paragraph of >= 5 words must be a listed pair.
    listed = {frozenset((p["a"], p["b"])) for p in pairs}
    where = collections.defaultdict(set)
    for d in docs.values():
        for para in paragraphs(d["text"]):
            if nwords(para) >= 5:
                where[norm(para)].add(d["id"])
    stray = collections.Counter()
    for ids in where.values():
        ids = sorted(ids)
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                if frozenset((ids[i], ids[j])) not in listed:
                    stray[(ids[i], ids[j])] += 1
    assert not stray, stray.most_common(10)
    mentioned = {x for p in pairs for x in (p["a"], p["b"])}
    assert mentioned == set(docs), set(docs) ^ mentioned

    OUT.mkdir(exist_ok=True)
    order = [
        "a",
        "b",
        "kind",
        "split",
        "expected",
        "shared_paragraphs",
        "a_paragraphs",
        "b_paragraphs",
        "longest_common_run_words",
        "passage",
        "note",
        "detail",
    ]
    with open(OUT / "docs.jsonl", "w", encoding="utf-8") as f:
        for d in sorted(docs.values(), key=lambda d: d["id"]):
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(OUT / "pairs.jsonl", "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(json.dumps({k: p[k] for k in order}, ensure_ascii=False) + "\n")

    table = collections.Counter((p["kind"], p["split"]) for p in pairs)
    kinds = ("truncation", "excerpt", "rewrite", "same_story", "real_passage", "real_reprint")
    print(f"{'kind':<14}{'expected':<28}{'tune':>6}{'unseen':>8}{'total':>7}")
    for k in kinds:
        exp = next((p["expected"] for p in pairs if p["kind"] == k), "-")
        t, u = table[(k, "tune")], table[(k, "unseen")]
        print(f"{k:<14}{exp:<28}{t:>6}{u:>8}{t + u:>7}")
    t, u = sum(v for (k, s), v in table.items() if s == "tune"), sum(v for (k, s), v in table.items() if s == "unseen")
    print(f"{'pairs':<42}{t:>6}{u:>8}{t + u:>7}")
    ds = collections.Counter(d["split"] for d in docs.values())
    print(f"{'documents':<42}{ds['tune']:>6}{ds['unseen']:>8}{len(docs):>7}")
    size = (OUT / "docs.jsonl").stat().st_size
    print(f"docs.jsonl {size / 1e6:.2f} MB, pairs.jsonl {(OUT / 'pairs.jsonl').stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
