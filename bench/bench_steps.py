"""CPU time of each per-batch step (repair, embeds, sentences, language, signatures) in one
process, on documents of a generated corpus, and a golden check that optimisations
change no output.

    python bench/bench_steps.py --corpus bench/out/corpus-10k --docs 3000
    python bench/bench_steps.py --corpus bench/out/corpus-10k --docs 3000 --save bench/out/steps-golden.jsonl
    python bench/bench_steps.py --corpus bench/out/corpus-10k --docs 3000 --check bench/out/steps-golden.jsonl
    python bench/bench_steps.py --corpus bench/out/corpus-100k --docs 30000 --every 10000   # does a long-lived process slow down?

Prints a table: step, CPU seconds, ms per document, documents per CPU-second.  With
``--check``, exits 1 naming the first record and field that differ from the saved run.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.config import make_config  # noqa: E402
from flows.read import discover_inputs, read_input  # noqa: E402
from flows.steps import BATCH_STEPS, call_step  # noqa: E402


def load_records(corpus: str, docs: int, config) -> list[dict]:
    records: list[dict] = []
    for f in discover_inputs([corpus]):
        for rec in read_input(f, max_bytes=config.max_chars * 4):
            records.append(rec)
            if len(records) >= docs:
                return records
    return records


def _jsonable(value):
    if hasattr(value, "tolist"):  # SentenceRows: the values as lists
        value = value.tolist()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def warm_up(records: list[dict], config) -> None:
    """Run every step on copies of the first records: loading models and compiling rules is
    not part of the per-document cost (``profile_steps.py`` leaves this function's samples out)."""
    warm = copy.deepcopy(records[:50])
    for _, fn in BATCH_STEPS:
        call_step(fn, warm, config)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="bench/out/corpus-10k")
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=1000, help="records per step call (as in a run)")
    ap.add_argument("--save", help="write the records after all steps (JSONL) for a later --check")
    ap.add_argument("--check", help="compare the records after all steps with a --save file")
    ap.add_argument("--every", type=int, default=0, help="also print each step's ms per document for every N documents")
    args = ap.parse_args(argv)
    config = make_config({})
    records = load_records(args.corpus, args.docs, config)
    warm_up(records, config)
    seconds = {name: 0.0 for name, _ in BATCH_STEPS}
    window = dict.fromkeys(seconds, 0.0)
    if args.every:
        print("| documents | " + " | ".join(f"{name} ms/doc" for name in seconds) + " |")
        print("|---:" * (len(seconds) + 1) + "|")
    for start in range(0, len(records), args.batch):
        batch = records[start : start + args.batch]
        for name, fn in BATCH_STEPS:
            t0 = time.process_time()
            call_step(fn, batch, config)
            spent = time.process_time() - t0
            seconds[name] += spent
            window[name] += spent
        done = start + len(batch)
        if args.every and (done % args.every == 0 or done == len(records)):
            n_window = (done - 1) % args.every + 1
            print(f"| {done:,} | " + " | ".join(f"{1000 * v / n_window:.3f}" for v in window.values()) + " |")
            window = dict.fromkeys(seconds, 0.0)
    n = len(records)
    total = sum(seconds.values())
    print(f"{n:,} documents from {args.corpus}, batches of {args.batch}\n")
    print("| step | CPU s | ms / doc | docs / CPU-s |")
    print("|---|---|---|---|")
    for name, s in [*seconds.items(), ("all steps", total)]:
        print(f"| {name} | {s:.2f} | {1000 * s / n:.3f} | {n / s:,.0f} |" if s else f"| {name} | 0 | 0 | - |")
    rows = [json.dumps(_jsonable(r), sort_keys=True, ensure_ascii=False) for r in records]
    if args.save:
        Path(args.save).write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"\nsaved {n} records to {args.save}")
    if args.check:
        golden = Path(args.check).read_text(encoding="utf-8").splitlines()
        if len(golden) != len(rows):
            print(f"\nCHECK FAILED: {len(rows)} records, golden has {len(golden)}")
            return 1
        for i, (a, b) in enumerate(zip(rows, golden)):
            if a != b:
                ra, rb = json.loads(a), json.loads(b)
                diff = sorted(k for k in set(ra) | set(rb) if ra.get(k) != rb.get(k))
                print(f"\nCHECK FAILED: record {i} ({ra.get('doc_id')}) differs in {diff}")
                return 1
        print(f"\ncheck: all {n} records identical to {args.check}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
