"""``bench/profile_steps.py``: samples of a py-spy raw profile land in the right step and component."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from profile_steps import component, step_of, tables, tally  # noqa: E402

MAIN = "<module> (bench_steps.py:98);main (bench_steps.py:69)"
RAW = "\n".join(
    [
        f"{MAIN};language_step (flows/steps.py:100);fasttext_distribution (cleaners/language_backends.py:100);"
        "dfs (loss.cc:220) 30",
        f"{MAIN};language_step (flows/steps.py:100);_alpha_count (cleaners/language.py:208) 10",
        f"{MAIN};repair_step (flows/steps.py:50);fix_and_explain (ftfy/__init__.py:400);sre_ucs1_match (libpython3.11.so.1.0) 20",
        f"{MAIN};repair_step (flows/steps.py:50);fix_doubled_words (cleaners/layout.py:333);sre_ucs1_match (libpython3.11.so.1.0) 15",
        f"{MAIN};sentences_step (flows/steps.py:80);_split (cleaners/sentences.py:199);"
        "BlingFire::FALexTools_t<int>::Process_int (libblingfiretokdll.so) 20",
        f"{MAIN};signatures_step (flows/steps.py:129);_words (cleaners/signatures.py:97);unicode_split (libpython3.11.so.1.0) 5",
        f"{MAIN};_jsonable (bench_steps.py:46) 99",  # outside the steps: not counted
        f"{MAIN};warm_up (bench_steps.py:60);embeds_step (flows/steps.py:60);load_rules (cleaners/embeds.py:923) 50",  # nor warm-up
        "garbage line without a count",
    ]
)


def test_components_and_steps(tmp_path):
    raw = tmp_path / "steps.raw"
    raw.write_text(RAW + "\n", encoding="utf-8")
    steps, parts = tally(str(raw))
    assert dict(steps) == {"language": 40, "repair": 35, "sentences": 20, "signatures": 5}
    assert dict(parts["language"]) == {"fastText": 30, "interpreter": 10}
    assert dict(parts["repair"]) == {"ftfy": 20, "regular expressions": 15}  # ftfy's own regexes count as ftfy
    assert dict(parts["sentences"]) == {"blingfire": 20}
    assert dict(parts["signatures"]) == {"str methods": 5}
    text = tables(steps, parts)
    assert "100 samples inside the per-batch steps" in text
    assert "libraries (fastText, blingfire, NumPy, ftfy): 70.0%" in text
    assert "newsclean's own code (its regexes, str methods, memory, interpreter): 30.0%" in text


def test_step_of_and_component_edges():
    assert step_of(["main (bench_steps.py:69)", "helper (x.py:1)"]) is None
    assert component(["main (bench_steps.py:69)", "x (cleaners/a.py:1)", "malloc (libc.so.6)"]) == "memory"
    assert (
        component(
            ["main (bench_steps.py:69)", "x (cleaners/a.py:1)", "PyArray_FromIter (numpy/_core/_multiarray_umath.so)"]
        )
        == "NumPy"
    )
