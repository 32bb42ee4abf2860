"""Benchmark the embeds step on the labelled set: residue recall, content kept, speed.

    .venv/bin/python bench/bench_embeds.py            # table (markdown) on stdout
    .venv/bin/python bench/bench_embeds.py --rules my_rules.toml --runs 7 --show-misses

The labelled set is ``bench/embeds_labelled.jsonl`` (written by ``bench/embeds_corpus.py``;
regenerated when missing).  Each document is joined into the pipeline's text convention
(paragraphs separated by one blank line) and cleaned with ``strip_paragraphs``, which
returns one result per input paragraph; the script also checks that ``strip_embeds`` on the
joined text gives the same text.

Scoring, per paragraph:

* ``content``: kept when it comes out unchanged. Removed (nothing left) or altered both count
  as not kept, and are listed.
* ``residue``: removed when nothing of it is left.
* ``glued`` (prose + residue in one paragraph): the residue counts as removed and the prose
  as kept when the result is exactly the prose (spaces normalised); prose that lost words is
  listed as damaged content.

Speed: CPU time of one process (``time.process_time``: docs per CPU-second, robust on a
shared machine), best of ``--runs`` runs, on the seed articles and on ~3 KB documents made
of consecutive labelled paragraphs (with all, some or none of the residue).  The first run
warms the rule set's regex caches.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaners.embeds import CATEGORIES, load_rules, strip_embeds, strip_paragraphs  # noqa: E402

DATA = Path(__file__).with_name("embeds_labelled.jsonl")
_SPACES = re.compile(r"\s+")


def norm(s: str) -> str:
    return _SPACES.sub(" ", s).strip()


def load_docs(path: Path = DATA) -> list[dict]:
    if not path.exists():
        import embeds_corpus  # noqa: PLC0415  (bench/ is on sys.path when run as a script)

        embeds_corpus.main()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(docs: list[dict], rules) -> dict:
    res = defaultdict(Counter)  # category -> Counter(total, removed, kind_ok)
    content = Counter()
    lost: list[tuple[str, str, str]] = []  # (doc id, what happened, text)
    misses: list[tuple[str, str, str, str]] = []  # (doc id, category, style, left)
    mismatch = 0
    for doc in docs:
        paras = [p["text"] for p in doc["paragraphs"]]
        out, edits = strip_paragraphs(paras, rules)
        text = "\n\n".join(paras)
        joined, _ = strip_embeds(text, rules)
        if joined != "\n\n".join(o for o in out if o):
            mismatch += 1
        for p, o, e in zip(doc["paragraphs"], out, edits):
            kinds = {x["kind"] for x in e}
            if p["label"] == "content":
                key = "tricky" if p["tricky"] else "plain"
                content[key + "_total"] += 1
                if o == p["text"]:
                    content[key + "_kept"] += 1
                else:
                    lost.append((doc["id"], "removed" if not o else f"altered -> {o!r}", p["text"]))
            elif p["label"] == "residue":
                c = res[p["category"]]
                c["total"] += 1
                if not o:
                    c["removed"] += 1
                    c["kind_ok"] += p["category"] in kinds
                else:
                    misses.append((doc["id"], p["category"], p["style"], o))
            else:  # glued
                c = res[p["category"]]
                c["total"] += 1
                c["glued_total"] += 1
                content["glued_total"] += 1
                keep, got = norm(p["keep"]), norm(o)
                if keep in got:
                    content["glued_kept"] += 1
                else:
                    lost.append((doc["id"], f"glued prose damaged -> {o!r}", p["text"]))
                if got == keep:
                    c["removed"] += 1
                    c["glued_removed"] += 1
                    c["kind_ok"] += p["category"] in kinds
                else:
                    misses.append((doc["id"], p["category"], p["style"], o))
    return {"res": res, "content": content, "lost": lost, "misses": misses, "mismatch": mismatch}


def speed_docs(docs: list[dict], target: int = 3000, content_only: bool = False, residue_every: int = 1) -> list[str]:
    """Documents of ~``target`` bytes from consecutive labelled paragraphs; ``residue_every``
    keeps only every n-th residue (or glued) paragraph, ``content_only`` none."""
    out, cur, seen = [], [], 0
    for doc in docs:
        for p in doc["paragraphs"]:
            if p["label"] != "content":
                seen += 1
                if content_only or seen % residue_every:
                    continue
            cur.append(p["text"])
            if len("\n\n".join(cur).encode()) >= target:
                out.append("\n\n".join(cur))
                cur = []
    return out


def time_docs(texts: list[str], rules, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        for t in texts:
            strip_embeds(t, rules)
        best = min(best, time.process_time() - t0)
    return len(texts) / best


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}%" if b else "n/a"


def report(title: str, docs: list[dict], rules, show_misses: bool) -> None:
    r = evaluate(docs, rules)
    res, content = r["res"], r["content"]
    print(f"### {title}: {len(docs)} documents, {sum(len(d['paragraphs']) for d in docs)} paragraphs\n")
    print("| category | residue items | removed | recall | of which glued (removed/total) | edit kind right |")
    print("|---|---:|---:|---:|---:|---:|")
    tot = rem = 0
    for cat in sorted(CATEGORIES):
        c = res.get(cat)
        if not c:
            continue
        tot, rem = tot + c["total"], rem + c["removed"]
        print(
            f"| {cat} | {c['total']} | {c['removed']} | {pct(c['removed'], c['total'])} | "
            f"{c['glued_removed']}/{c['glued_total']} | {pct(c['kind_ok'], c['removed'])} |"
        )
    print(f"| **all residue** | {tot} | {rem} | **{pct(rem, tot)}** | | |\n")
    pk, pt = content["plain_kept"], content["plain_total"]
    tk, tt = content["tricky_kept"], content["tricky_total"]
    gk, gt = content["glued_kept"], content["glued_total"]
    print("| content | paragraphs | kept unchanged | rate |")
    print("|---|---:|---:|---:|")
    print(f"| plain prose | {pt} | {pk} | {pct(pk, pt)} |")
    print(f"| tricky (looks like residue) | {tt} | {tk} | {pct(tk, tt)} |")
    print(f"| **all content paragraphs** | {pt + tt} | {pk + tk} | **{pct(pk + tk, pt + tt)}** |")
    print(f"| prose part of glued paragraphs | {gt} | {gk} | {pct(gk, gt)} |\n")
    print(f"content removed or altered: {len(r['lost'])}")
    for doc_id, what, text in r["lost"]:
        print(f"  - [{doc_id}] {what}: {text!r}")
    if r["mismatch"]:
        print(f"WARNING: strip_embeds and strip_paragraphs disagree on {r['mismatch']} documents")
    misses = r["misses"]
    print(f"residue left: {len(misses)}" + ("" if show_misses or not misses else " (--show-misses lists them)"))
    if show_misses:
        for doc_id, cat, style, left in misses:
            print(f"  - [{doc_id}] {cat} {style}: {left!r}")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", help="rules file (default: the bundled one)")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=4, help="speed corpus = labelled docs repeated N times")
    ap.add_argument("--show-misses", action="store_true", help="list residue that was left")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    args = ap.parse_args(argv)

    rules = load_rules(args.rules) if args.rules else load_rules()
    docs = load_docs(Path(args.data))
    parts = [
        ("development set (bench/embeds_corpus.py: build)", [d for d in docs if d.get("set") != "fresh"]),
        ("fresh set (written after the rules: build_fresh)", [d for d in docs if d.get("set") == "fresh"]),
        ("both sets", docs),
    ]
    for title, subset in parts:
        if subset:
            report(title, subset, rules, args.show_misses and title != "both sets")
    if args.no_speed:
        return 0

    sets = [
        ("seed articles (repaired), repeated", seed_docs() * (40 * args.repeat)),
        ("~3 KB, 1 residue paragraph in ~7 (like seed 004)", speed_docs(docs, residue_every=3) * args.repeat),
        ("~3 KB, labelled set as is (~40% residue)", speed_docs(docs) * args.repeat),
        ("~3 KB, content only", speed_docs(docs, content_only=True) * args.repeat),
    ]
    print(f"\n| speed: CPU time, 1 process, best of {args.runs} | documents | mean size | paragraphs/doc | docs/s |")
    print("|---|---:|---:|---:|---:|")
    for name, texts in sets:
        size = statistics.mean(len(t.encode()) for t in texts)
        paras = statistics.mean(t.count("\n\n") + 1 for t in texts)
        rate = time_docs(texts, rules, args.runs)
        print(f"| {name} | {len(texts)} | {size:,.0f} B | {paras:.0f} | **{rate:,.0f}** |")
    return 0


def seed_docs() -> list[str]:
    """The bodies of seeds/*.txt after the pipeline's repair step (real scraped articles)."""
    from cleaners.layout import repair_layout
    from flows.read.headers import split_header

    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text, _ = repair_layout(split_header(path.read_text(encoding="utf-8"))[1])
        out.append(text)
    return out


if __name__ == "__main__":
    sys.exit(main())
