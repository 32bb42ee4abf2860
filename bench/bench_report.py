"""What the run's audit costs (issue 26): the profile and examples read back from the run's
Parquet, the distributions measured while parts are written, and the HTML report, timed
on a finished run and set against that run's own time.

    .venv/bin/python bench/bench_pipeline.py --corpus bench/out/corpus-20k --skip-datatrove --keep --work bench/out/w20k
    .venv/bin/python bench/bench_report.py bench/out/w20k/newsclean-out

Each phase runs ``--repeat`` times in this process (the first includes imports and a cold
page cache only if the run's files were evicted); the table gives the minimum and the median.
The Prefect artifacts are not timed here (they need a server): the flow's log line
"profile, examples, report and artifacts: … s" gives the whole phase as the run saw it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Seconds of each of ``repeat`` calls of ``fn``, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "output", type=Path, help="a newsclean output folder with one committed run (or more: the latest is used)"
    )
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    import pyarrow.parquet as pq

    from flows.publish.audit import audit_run, part_shape
    from flows.publish.layout import OutputLayout
    from flows.publish.report import render_report
    from flows.publish.state import committed_runs

    runs = committed_runs(a.output)
    manifest = runs[sorted(runs)[-1]]
    run_id, run_date = manifest["run_id"], manifest["run_date"]
    parts = sorted(OutputLayout(Path(a.output)).partition("clean", run_id, run_date).glob("*.parquet"))
    tables = [pq.read_table(p) for p in parts]  # in memory, as write_part_tables has them
    shape_t, _ = timed(lambda: [part_shape(t) for t in tables], a.repeat)
    audit_t, audit = timed(lambda: audit_run(a.output, run_id, run_date, manifest.get("profile")), a.repeat)
    render_t, page = timed(lambda: render_report(manifest, list(runs.values()), audit["examples"]), a.repeat)
    run_s = manifest["seconds"]
    rows = [
        ("distributions while parts are written (part_shape, all parts)", shape_t),
        ("profile and examples read back (audit_run)", audit_t),
        ("HTML report rendered (render_report)", render_t),
    ]
    total = sum(min(t) for _, t in rows)
    print(
        f"Run {run_id}: {manifest['conservation']['read']:,} documents, {run_s:,.1f} s in the flow (manifest `seconds`); "
        f"report {len(page.encode()):,} bytes, {sum(len(c) for c in audit['examples'].values())} categories.\n"
    )
    print("| phase | min s | median s | share of the run (min) |\n|---|---:|---:|---:|")
    for name, t in rows:
        print(f"| {name} | {min(t):.3f} | {statistics.median(t):.3f} | {100 * min(t) / run_s:.2f}% |")
    print(f"| **total** | {total:.3f} | | **{100 * total / run_s:.2f}%** |")
    print("\n" + json.dumps({"run_seconds": run_s, "phases": {n: t for n, t in rows}}, indent=None))


if __name__ == "__main__":
    main()
