"""Score newsclean's overlap links on the real-derived set (``data/docs.jsonl``, ``data/pairs.jsonl``).

Runs the real ``newsclean run`` CLI on the documents (a fresh output folder), reads
``clean/``, ``rejected/`` and ``sentences/`` back with DuckDB, and checks every pair:

- ``truncation``: the derived document is ``contained_in`` its base (``duplicate_of`` = base);
- ``rewrite``: the derived document is linked to its base (``near_duplicate``,
  ``contained_in`` or ``overlaps``);
- ``excerpt``: the host keeps its own text (not linked as a copy either way) and the passage is
  recorded: at least half of the host's passage sentences that newsclean can match repeat the base;
- ``same_story`` (real articles of one story from different outlets): no document link either way;
- ``real_passage`` (real articles of different stories that end in the same block): no copy link
  either way, and the block recorded as repeated sentences in one direction or the other;
- ``real_reprint``: ``near_duplicate``.

Prints counts and 95% Wilson intervals per kind and split (``tune``, ``unseen``).

    .venv/bin/python evals/overlap/score.py [--keep DIR] [--reuse] [--config FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from stats import wilson  # noqa: E402

KINDS = ("truncation", "excerpt", "rewrite", "same_story", "real_passage", "real_reprint")


def run_newsclean(docs: Path, out: Path, config: Path | None) -> None:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    cmd = [sys.executable, "-m", "flows.cli", "run", str(docs), "-o", str(out), "-q"]
    if config:
        cmd += ["--config", str(config)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"newsclean failed ({proc.returncode}): {proc.stderr[-2000:]}")


def read_outputs(out: Path) -> tuple[dict, dict]:
    """Documents by doc_id (status, relation, duplicate_of) and, per document, its sentences'
    (text, repeats_doc_id)."""
    import duckdb

    docs = {}
    for dataset in ("clean", "rejected"):
        if (out / dataset).exists():
            for d, st, rel, dup in duckdb.sql(
                f"SELECT doc_id, status, relation, duplicate_of FROM read_parquet('{out}/{dataset}/**/*.parquet')"
            ).fetchall():
                docs[d] = {"status": st, "relation": rel, "duplicate_of": dup}
    sentences = defaultdict(list)
    if (out / "sentences").exists():
        for d, text, rep in duckdb.sql(
            f"SELECT doc_id, text, repeats_doc_id FROM read_parquet('{out}/sentences/**/*.parquet') ORDER BY doc_id, position"
        ).fetchall():
            sentences[d].append((text, rep))
    return docs, sentences


def linked(docs: dict, a: str, b: str, relations: tuple[str, ...]) -> bool:
    """Whether document ``a`` points at ``b`` with one of ``relations``."""
    d = docs.get(a) or {}
    return d.get("duplicate_of") == b and d.get("relation") in relations


def any_link(docs: dict, a: str, b: str) -> bool:
    return any((docs.get(x) or {}).get("duplicate_of") == y for x, y in ((a, b), (b, a)))


def passage_recorded(sentences: dict, host: str, base: str, passage: str) -> bool:
    """At least half of the host's sentences that lie in the passage and repeat anything repeat the base."""
    inside = [rep for text, rep in sentences.get(host, []) if text and text[:60] in passage]
    found = [rep for rep in inside if rep is not None]
    return bool(inside) and len(found) >= max(1, len(inside) // 2) and all(rep == base for rep in found)


def judge(pair: dict, docs: dict, sentences: dict) -> bool:
    a, b, kind = pair["a"], pair["b"], pair["kind"]
    if kind == "truncation":
        return linked(docs, a, b, ("contained_in",))
    if kind == "rewrite":
        return linked(docs, a, b, ("near_duplicate", "exact_duplicate", "contained_in", "overlaps"))
    if kind == "excerpt":
        host_kept = (
            (docs.get(a) or {}).get("status") == "clean"
            and not linked(docs, a, b, ("contained_in", "near_duplicate"))
            and not linked(docs, b, a, ("contained_in", "near_duplicate"))
        )
        return host_kept and passage_recorded(sentences, a, b, pair.get("passage") or "")
    if kind == "same_story":
        return not any_link(docs, a, b)
    if kind == "real_passage":
        copies = ("contained_in", "near_duplicate", "exact_duplicate")
        passage = pair.get("passage") or ""
        return not (linked(docs, a, b, copies) or linked(docs, b, a, copies)) and (
            passage_recorded(sentences, a, b, passage) or passage_recorded(sentences, b, a, passage)
        )
    if kind == "real_reprint":
        return linked(docs, a, b, ("near_duplicate", "exact_duplicate")) or linked(
            docs, b, a, ("near_duplicate", "exact_duplicate")
        )
    raise ValueError(kind)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, help="output folder to keep (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="score the output already in --keep")
    ap.add_argument("--config", type=Path, help="newsclean configuration file for the run")
    ap.add_argument("--misses", action="store_true", help="list the pairs of the tune split judged wrong")
    args = ap.parse_args(argv)
    data = HERE / "data"
    if not (data / "pairs.jsonl").exists():
        sys.exit(
            f"{data}/pairs.jsonl is missing: it is not committed; rebuild the embeds set, then run "
            "evals/overlap/build.py (DATA.md)"
        )
    pairs = [
        json.loads(line) for line in (data / "pairs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "out"
        if not args.reuse:
            if out.exists():
                sys.exit(f"{out} exists: remove it, or pass --reuse")
            run_newsclean(data / "docs.jsonl", out, args.config)
        docs, sentences = read_outputs(out)
    results = defaultdict(lambda: [0, 0])
    misses = []
    for pair in pairs:
        ok = judge(pair, docs, sentences)
        for key in ((pair["kind"], pair["split"]), (pair["kind"], "all")):
            results[key][0] += ok
            results[key][1] += 1
        if not ok and pair["split"] == "tune":  # unseen sources are scored, never read while tuning
            misses.append(pair)
    print(f"{'kind':<14} {'split':<7} {'right':>6} {'n':>4} {'share':>7}  95% interval")
    for kind in KINDS:
        for split in ("tune", "unseen", "all"):
            k, n = results.get((kind, split), (0, 0))
            if n:
                lo, hi = wilson(k, n)
                print(f"{kind:<14} {split:<7} {k:>6} {n:>4} {k / n:>7.3f}  {lo:.3f}–{hi:.3f}")
    if args.misses:
        for p in misses:
            print("MISS", p["kind"], p["split"], p["a"], p["b"], docs.get(p["a"]), docs.get(p["b"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
