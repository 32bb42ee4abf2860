"""How much of newsclean's flow process is Prefect: a py-spy profile of that one process,
its busy samples split into Prefect (engine, client, its threads, importing it), other
imports, and newsclean's own work.

    export PREFECT_API_URL=http://127.0.0.1:4200/api   # a standing `prefect server start`
    .venv/bin/py-spy record -r 100 -f raw -o flow.raw -- .venv/bin/newsclean run bench/out/corpus-100k -o /tmp/out -q
    .venv/bin/python bench/prefect_share.py flow.raw --flow-cpu 6.2

``--flow-cpu``: the flow process's CPU seconds in a run without the profiler
(``bench_pipeline.py``'s "CPU seconds by process" table); the shares are then also given
in CPU seconds.  Samples whose innermost frame waits (a thread pool's idle workers, sleeps,
locks, selectors) are not busy and are left out: py-spy shows a thread blocked in C code
at the Python line that called it.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

WAITING = (
    "select (",
    "poll (",
    "wait (",
    "_wait_for_tstate_lock",
    "epoll",
    "sleep",
    "accept (",
    "recv_into",
    "_recv_bytes",
    "acquire",
    "heartbeat_loop",
    "recv (",
    "read (",
    "Queue.get (",
    "_worker (concurrent/futures/thread.py:81)",
)  # an idle pool thread, blocked in work_queue.get
PREFECT_MARKS = ("prefect/", "anyio", "httpx", "httpcore", "websockets", "asyncio", "pydantic")


def kind(frames: list[str]) -> str | None:
    """``None`` for a waiting stack, else what the sample was busy with.

    >>> kind(["run (flows/cli.py:80)", "_find_and_load (<frozen importlib._bootstrap>:1176)", "<module> (prefect/flows.py:1)"])
    'imports: prefect'
    >>> kind(["_worker (concurrent/futures/thread.py:81)"]) is None
    True
    """
    if any(w in frames[-1] for w in WAITING):
        return None
    stack = ";".join(frames)
    if "_find_and_load" in stack:
        return "imports: prefect" if any("prefect/" in f and "<module>" in f for f in frames) else "imports: other"
    if any(m in stack for m in PREFECT_MARKS):
        return "prefect: engine, client, threads"
    return "newsclean and other"


def shares(raw: Path) -> Counter:
    out: Counter = Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if n.isdigit() and (k := kind(stack.split(";"))):
            out[k] += int(n)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("raw", type=Path, help="py-spy record -f raw output of the flow process (no --subprocesses)")
    ap.add_argument("--flow-cpu", type=float, default=None, help="the flow process's CPU seconds in an unprofiled run")
    a = ap.parse_args(argv)
    found = shares(a.raw)
    total = sum(found.values()) or 1
    print(
        f"{total:,} busy samples\n\n| kind | share |"
        + (" CPU s |" if a.flow_cpu else "")
        + "\n|---|---|"
        + ("---|" if a.flow_cpu else "")
    )
    for k in ("prefect: engine, client, threads", "imports: prefect", "imports: other", "newsclean and other"):
        cpu = f" {a.flow_cpu * found[k] / total:.1f} |" if a.flow_cpu else ""
        print(f"| {k} | {100 * found[k] / total:.1f}% |{cpu}")
    prefect = found["prefect: engine, client, threads"] + found["imports: prefect"]
    print(
        f"\nPrefect: {100 * prefect / total:.1f}% of the flow process's busy samples"
        + (f" = {a.flow_cpu * prefect / total:.1f} CPU s" if a.flow_cpu else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
