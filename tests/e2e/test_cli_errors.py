"""User errors through the real CLI: one line on stderr, exit 2, and nothing created."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import REPO, SEEDS

NEWSCLEAN = [sys.executable, "-m", "flows.cli"]


def run_cli(*args, cwd=None, env=None, drop=()):
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", **(env or {})}
    for key in drop:
        env.pop(key, None)
    return subprocess.run(
        [*NEWSCLEAN, "run", *map(str, args), "--quiet"],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        env=env,
        timeout=600,
    )


def one_line_usage_error(proc, expected: str) -> None:
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsclean: ") and expected in lines[0], proc.stderr


def test_missing_input_creates_nothing(tmp_path):
    out = tmp_path / "out"
    one_line_usage_error(run_cli(tmp_path / "nope", "-o", out), "does not exist")
    assert not out.exists()


def test_unsupported_file_given_by_name(tmp_path):
    (tmp_path / "feed.csv").write_text("id,text\n1,hello\n")
    one_line_usage_error(run_cli(tmp_path / "feed.csv", "-o", tmp_path / "out"), "unsupported file type '.csv'")
    assert not (tmp_path / "out").exists()


def test_output_that_is_a_file(tmp_path):
    (tmp_path / "out").write_text("x")
    one_line_usage_error(run_cli(SEEDS, "-o", tmp_path / "out"), "is a file, not a folder")


@pytest.mark.parametrize("where", ["inside", "same"])
def test_output_inside_the_input_is_refused(tmp_path, where):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text((SEEDS / sorted(os.listdir(SEEDS))[0]).read_text())
    out = src / "data" if where == "inside" else src
    one_line_usage_error(run_cli(src, "-o", out), "would read its own output")
    assert sorted(p.name for p in src.iterdir()) == ["a.txt"]


def test_output_that_cannot_be_created(tmp_path):
    one_line_usage_error(run_cli(SEEDS, "-o", "/proc/newsclean-out"), "cannot be created")


@pytest.mark.parametrize(
    "make,expected",
    [
        (lambda p: p.write_bytes("batch_size = 10 # caf\xe9\n".encode("latin-1")), "not UTF-8"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_text("batch_size = [\n"), "not valid TOML"),
    ],
)
def test_bad_configuration_file(tmp_path, make, expected):
    cfg = tmp_path / "newsclean.toml"
    make(cfg)
    one_line_usage_error(run_cli(SEEDS, "-o", tmp_path / "out", "--config", cfg), expected)
    assert not (tmp_path / "out").exists()


def test_a_flat_configuration_file_with_a_usage_error_is_still_one_line(tmp_path):
    """The deprecation warning of a flat file is said only once the run's checks passed."""
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text("batch_size = 10\n")
    one_line_usage_error(run_cli(tmp_path / "missing", "-o", tmp_path / "out", "--config", cfg), "missing")


def test_embed_rules_that_are_not_rules(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("just some text, not TOML rules\n")
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text(f'embed_rules = "{rules}"\n')
    one_line_usage_error(run_cli(SEEDS, "-o", tmp_path / "out", "--config", cfg), "embed_rules")
    assert not (tmp_path / "out").exists()


def test_empty_input_warns_and_exits_0(tmp_path):
    src = tmp_path / "empty"
    src.mkdir()
    proc = run_cli(src, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "newsclean: warning: no input records" in proc.stderr
    assert "run partition" not in proc.stdout and not list((tmp_path / "out").glob("clean/*"))


def test_default_input_works_outside_the_checkout(tmp_path):
    """No input given: the checkout's seeds/, wherever the command runs (exit 0 there)."""
    out = tmp_path / "out"
    proc = run_cli("-o", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    manifest = json.loads(next((out / "runs").glob("*.json")).read_text())
    assert manifest["conservation"]["read"] == 5


@pytest.mark.parametrize("damage", ["append", "truncate", "empty", "zeros", "edit"])
def test_damaged_manifest_stops_the_run_and_deletes_nothing(tmp_path, damage):
    out = tmp_path / "out"
    first = run_cli(SEEDS, "-o", out)
    assert first.returncode == 0, first.stderr[-2000:]
    manifest = next((out / "runs").glob("*.json"))
    data = manifest.read_bytes()
    manifest.write_bytes(
        {
            "append": data + b"x",
            "truncate": data[: len(data) // 2],
            "empty": b"",
            "zeros": b"\0" * len(data),
            "edit": data.replace(b'"clean": 5', b'"clean": 6', 1),
        }[damage]
    )
    published = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    one_line_usage_error(run_cli(SEEDS, "-o", out, "--reprocess"), f"run manifest {manifest} is damaged")
    assert sorted(p.relative_to(out) for p in out.rglob("*.parquet")) == published  # nothing deleted


@pytest.mark.parametrize(
    "line,expected",
    [
        ("batch_size = 2.5", "batch_size must be a whole number"),
        ("near_duplicate_threshold = 1.5", "near_duplicate_threshold is a share between 0 and 1"),
        ('languages = ["en", "english"]', "languages: 'english' is not an ISO 639-1 language code"),
        ('dehyphenate_language = "xx"', "dehyphenate_language: wordfreq has no word list for 'xx'"),
        ("workers = -1", "workers must be positive"),
    ],
)
def test_configuration_values_out_of_range(tmp_path, line, expected):
    cfg = tmp_path / "newsclean.toml"
    cfg.write_text(line + "\n")
    one_line_usage_error(run_cli(SEEDS, "-o", tmp_path / "out", "--config", cfg), expected)
    assert not (tmp_path / "out").exists()
