"""Property: whatever tree of inputs a run is given (same names in different folders, links,
bad entries, JSONL with blank lines), the records it writes are exactly the records there are,
each once: the set of input_refs out equals the set expected from the tree."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow.dataset as ds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.config import Config
from tests.helpers import SEEDS

PARAGRAPHS = [
    p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n") if len(p) > 80
]
NAMES = ["a", "b", "story", "feed"]
KINDS = ["txt", "jsonl", "md", "fifo", "dangling", "loop", "empty"]

entry = st.tuples(
    st.sampled_from(["x", "y", "x/feeds", "y/feeds"]), st.sampled_from(NAMES), st.sampled_from(KINDS), st.integers(0, 3)
)


def build(root: Path, entries: list[tuple[str, str, str, int]]) -> set[str]:
    """Make the tree; the set of input_refs its records must have."""
    expected: set[str] = set()
    for n, (folder, name, kind, lines) in enumerate(entries):
        d = root / folder
        d.mkdir(parents=True, exist_ok=True)
        text = f"Report {n} from {folder}. " + " ".join(PARAGRAPHS[(n * 3 + i) % len(PARAGRAPHS)] for i in range(2))
        suffix = {"txt": "txt", "jsonl": "jsonl", "md": "md", "empty": "txt"}.get(kind, "txt")
        path = d / f"{name}.{suffix}"
        if path.exists() or path.is_symlink():
            continue
        if kind == "txt":
            path.write_text(text, encoding="utf-8")
        elif kind == "empty":
            path.write_text("", encoding="utf-8")
        elif kind == "md":
            path.write_text(text, encoding="utf-8")
        elif kind == "jsonl":
            rows = [json.dumps({"text": f"Line {i}. {text}"}) for i in range(lines + 1)]
            path.write_text("\n\n".join(rows) + "\n", encoding="utf-8")  # blank lines between records
            expected |= {f"{path}:{2 * i + 1}" for i in range(lines + 1)}
            continue
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dangling":
            path.symlink_to(root / "nowhere" / f"{n}.txt")
        elif kind == "loop":
            path.symlink_to(path)
        expected.add(str(path))
    return expected


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, min_size=1, max_size=8), roots=st.sampled_from(["whole", "x y", "x/feeds y/feeds"]))
def test_the_refs_out_are_exactly_the_refs_in(prefect_server, tmp_path_factory, entries, roots):
    from flows.pipeline import clean_news

    tmp = tmp_path_factory.mktemp("tree")
    try:
        root = (tmp / "in").resolve()
        expected = build(root, entries)
        given = [root / r for r in roots.split()] if roots != "whole" else [root]
        if not all(g.is_dir() for g in given):
            given = [root]
        else:  # only what lies under the folders given (same-named folders given side by side)
            expected = {ref for ref in expected if any(ref.startswith(f"{g}/") for g in given)}
        out = tmp / "out"
        manifest = clean_news([str(g) for g in given], str(out), Config(fail_on_validation_error=False, workers=1))
        refs = []
        for dataset in ("clean", "rejected"):
            if (out / dataset).exists():
                refs += (
                    ds.dataset(str(out / dataset), format="parquet", partitioning="hive")
                    .to_table(columns=["input_ref"])
                    .column("input_ref")
                    .to_pylist()
                )
        assert len(refs) == len(set(refs)) == manifest["conservation"]["read"]  # none twice
        assert set(refs) == expected
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
