"""Where the per-batch steps spend their CPU: a native py-spy profile of ``bench_steps.py``,
by step and by component (the libraries newsclean calls, and its own code).

    python bench/profile_steps.py --docs 6000                 # profile, then print the tables
    python bench/profile_steps.py --raw bench/out/steps.raw   # only the tables, from a saved profile

Needs py-spy (``.venv/bin/pip install py-spy``) and, for ``--native``, permission to trace
(root, or ``ptrace_scope`` 0).  Each sample is put in one component, the first that fits:

* a library's code: **fastText** (``fasttext_pybind``), **blingfire**, **NumPy**, **ftfy**
  (pure Python: any sample with an ftfy frame among its last Python frames);
* what newsclean's own code costs in CPython: **regular expressions** (``_sre``), **str
  methods** (``unicode_*``, ``PyUnicode_*`` in libpython), **memory** (malloc/free, object
  allocation and deallocation, the cyclic garbage collector), and **interpreter** (the sample's
  innermost frame is a line of Python: bytecode, calls, attribute and dict work);
* **other**: anything else (the JSON the benchmark writes for its golden check, imports).

The split is approximate (a C function called from a library's Python lands in the library's
component only for ftfy), but the library components are a floor: what the steps cost even if
newsclean's own code cost nothing.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIBRARIES = ("fastText", "blingfire", "NumPy", "ftfy")
OWN = ("regular expressions", "str methods", "memory", "interpreter")
_FASTTEXT_SOURCES = ("densematrix.cc", "quantmatrix.cc", "productquantizer.cc", "dictionary.cc", "loss.cc", "model.cc")
_NATIVE = re.compile(r"^(?P<name>.*?) \((?P<where>[^()]*)\)$")


def component(frames: list[str]) -> str:
    """The component of one sample, from its frames (outermost first, py-spy's raw format).

    >>> component(["main (bench_steps.py:69)", "fasttext_distribution (cleaners/language_backends.py:100)",
    ...            "0x7f (fasttext_pybind.cpython-311-x86_64-linux-gnu.so)"])
    'fastText'
    >>> component(["main (bench_steps.py:69)", "_fix (cleaners/layout.py:3)", "sre_ucs1_match (libpython3.11.so.1.0)"])
    'regular expressions'
    >>> component(["main (bench_steps.py:69)", "_may_have_doubles (cleaners/layout.py:322)"])
    'interpreter'
    """
    python = [f for f in frames if ".py:" in f]
    if any("/ftfy/" in f or "(ftfy/" in f for f in python[-6:]):
        return "ftfy"
    m = _NATIVE.match(frames[-1])
    name, where = (m.group("name"), m.group("where")) if m else (frames[-1], "")
    if ".py:" in where or where.endswith(".py"):
        return "interpreter" if "bench_steps.py" not in where else "other"
    last_py = max((i for i, f in enumerate(frames) if ".py:" in f), default=-1)
    native = " ".join(frames[last_py + 1 :]).lower()  # the C/C++ frames under the innermost Python line
    if "fasttext" in native or any(src in native for src in _FASTTEXT_SOURCES):
        return "fastText"
    if "blingfire" in native:
        return "blingfire"
    if "multiarray" in native or "umath" in native or "numpy" in native:
        return "NumPy"
    lib = where.rsplit("/", 1)[-1].lower()
    if "_json" in lib or "json" in where:
        return "other"
    low = name.lower()
    if low.startswith("sre") or "_sre" in lib:
        return "regular expressions"
    if "libc.so" in lib or "malloc" in low or "free" in low or "dealloc" in low or "gc_" in low or "alloc" in low:
        return "memory"
    if "unicode" in low or low.startswith("pyunicode") or "_pybytes" in low or low.startswith("bytes"):
        return "str methods"
    if "libpython" in lib:
        return "interpreter"
    return "other"


def step_of(frames: list[str]) -> str | None:
    """The per-batch step a sample is in (``repair_step`` -> ``repair``), or None (outside
    the steps, or in ``bench_steps.warm_up``: loading models and compiling rules)."""
    if any(f.startswith("warm_up (") for f in frames):
        return None
    for f in frames:
        name = f.split(" (", 1)[0]
        if name.endswith("_step"):
            return name[: -len("_step")]
    return None


def tally(raw: str) -> tuple[collections.Counter, dict[str, collections.Counter]]:
    """Samples per step and per (step, component) from a py-spy ``--format raw`` file."""
    steps: collections.Counter = collections.Counter()
    parts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in Path(raw).read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        frames = stack.split(";")
        step = step_of(frames)
        if step is None:
            continue
        steps[step] += int(n)
        parts[step][component(frames)] += int(n)
    return steps, parts


def tables(steps: collections.Counter, parts: dict[str, collections.Counter]) -> str:
    total = sum(steps.values())
    if not total:
        return "no samples inside a step"
    cols = [*LIBRARIES, *OWN, "other"]
    lines = [
        f"{total:,} samples inside the per-batch steps; share of each step's samples, %\n",
        "| step | share of steps | " + " | ".join(cols) + " |",
        "|---|---|" + "---|" * len(cols),
    ]
    everything: collections.Counter = collections.Counter()
    for step, n in steps.most_common():
        everything.update(parts[step])
        lines.append(
            f"| {step} | {100 * n / total:.1f} | " + " | ".join(f"{100 * parts[step][c] / n:.1f}" for c in cols) + " |"
        )
    lines.append("| **all steps** | 100 | " + " | ".join(f"**{100 * everything[c] / total:.1f}**" for c in cols) + " |")
    libs = sum(everything[c] for c in LIBRARIES)
    own = sum(everything[c] for c in OWN)
    lines.append(
        f"\nlibraries (fastText, blingfire, NumPy, ftfy): {100 * libs / total:.1f}% · newsclean's own code "
        f"(its regexes, str methods, memory, interpreter): {100 * own / total:.1f}% · other: "
        f"{100 * (total - libs - own) / total:.1f}%"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="bench/out/corpus-10k")
    ap.add_argument("--docs", type=int, default=6000)
    ap.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    ap.add_argument("--raw", help="tabulate this saved py-spy raw profile instead of profiling")
    ap.add_argument("--save", help="keep the raw profile here")
    args = ap.parse_args(argv)
    raw = args.raw
    if raw is None:
        raw = args.save or str(Path(tempfile.mkdtemp(prefix="newsclean-prof-")) / "steps.raw")
        pyspy = Path(sys.executable).with_name("py-spy")
        if not pyspy.exists():
            raise SystemExit(f"py-spy is not installed beside {sys.executable}: pip install py-spy")
        cmd = [
            str(pyspy),
            "record",
            "--native",
            "-r",
            str(args.rate),
            "--format",
            "raw",
            "-o",
            raw,
            "--",
            sys.executable,
            str(REPO / "bench" / "bench_steps.py"),
            "--corpus",
            args.corpus,
            "--docs",
            str(args.docs),
        ]
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"py-spy failed ({done.returncode}): {done.stderr.strip()[-800:]}")
        print(done.stdout.split("\n\n")[1] if "\n\n" in done.stdout else done.stdout)  # bench_steps' own table
    print(tables(*tally(raw)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
