"""Errors that can only happen during a run, through the real CLI: one ``newsclean:`` line,
the traceback in a file, no staging and no processes left behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REPO, SEEDS, cli_env

NEWSCLEAN = [sys.executable, "-m", "flows.cli", "run"]


def newsclean_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def session_processes(sid: int) -> list[str]:
    """Processes still in session ``sid`` (the CLI and everything it started)."""
    rows = subprocess.run(["ps", "-eo", "pid=,sid=,args="], capture_output=True, text=True).stdout.splitlines()
    return [r for r in rows if r.split()[1] == str(sid)]


def wait_until_gone(sid: int, seconds: float = 15) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := session_processes(sid)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """3,000 generated news documents: a run long enough to stop in the middle."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate_corpus.py"), "--docs", "3000", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    (out / "_corpus.json").unlink()
    return out


def test_unanswered_prefect_api_is_one_line_and_creates_nothing(tmp_path):
    proc = subprocess.run(
        [*NEWSCLEAN, str(SEEDS), "-o", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**cli_env(), "PREFECT_API_URL": "http://127.0.0.1:9/api"},
        timeout=120,
    )
    assert proc.returncode == 2
    lines = newsclean_lines(proc.stderr)
    assert (
        len(lines) == 1
        and lines[0].startswith("newsclean: the Prefect server at PREFECT_API_URL=")
        and "does not answer" in lines[0]
    ), proc.stderr
    assert not (tmp_path / "out").exists()


def test_temporary_server_that_does_not_start_is_retried_then_one_line(tmp_path):
    proc = subprocess.Popen(
        [*NEWSCLEAN, str(SEEDS), "-o", str(tmp_path / "out"), "-q"],
        cwd=REPO,
        text=True,
        env=cli_env(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1
    lines = newsclean_lines(stderr)
    assert (
        len(lines) == 1
        and "did not start within 1 s (2 attempts)" in lines[0]
        and "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in lines[0]
    ), stderr
    assert wait_until_gone(proc.pid) == []  # neither server attempt outlives the CLI
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_stopped_run_leaves_no_processes_and_the_rerun_reads_everything(corpus, tmp_path, sig):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*NEWSCLEAN, str(corpus), "-o", str(out), "-q", "--workers", "2", "--batch-size", "200"],
        cwd=REPO,
        text=True,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while not list(out.glob(".staging/*/batches/*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.2)  # stop it once batches are being staged: server, workers and flow all running
    assert proc.poll() is None, proc.communicate()[1][-2000:]
    before = session_processes(proc.pid)
    assert len(before) >= 3, before  # the CLI, its temporary server and its workers
    os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=60)
    assert wait_until_gone(proc.pid) == [], f"left behind after {sig.name}"
    assert not list(out.glob("runs/*.json"))  # nothing committed
    if sig == signal.SIGTERM:
        assert proc.returncode == 143
        lines = newsclean_lines(stderr)
        assert len(lines) == 1 and lines[0].startswith("newsclean: stopped (SIGTERM)"), stderr
        assert not any((out / ".staging").iterdir())  # a stopped run removes its staging
    rerun = subprocess.run(
        [*NEWSCLEAN, str(corpus), "-o", str(out), "-q"],
        cwd=REPO,
        text=True,
        env=cli_env(),
        capture_output=True,
        timeout=900,
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    manifest = json.loads(next(out.glob("runs/*.json")).read_text())
    assert manifest["conservation"]["read"] == 3000


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs (needs root; skipped elsewhere)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if (
        shutil.which("mount") is None
        or os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_is_one_line_and_leaves_no_staging(corpus, small_disk):
    out = small_disk / "out"
    proc = subprocess.run(
        [*NEWSCLEAN, str(corpus), "-o", str(out), "-q"],
        cwd=REPO,
        text=True,
        env=cli_env(),
        capture_output=True,
        timeout=900,
    )
    assert proc.returncode == 1
    lines = newsclean_lines(proc.stderr)
    assert (
        len(lines) == 1
        and lines[0].startswith("newsclean: no space left on the device of ")
        and "traceback in " in lines[0]
    ), proc.stderr
    log = Path(lines[0].rsplit("traceback in ", 1)[1])
    assert log.parent == out / "logs" and "No space left on device" in log.read_text()
    assert not any((out / ".staging").iterdir())
    assert not list(out.glob("runs/*.json"))


def test_prefect_logs_go_to_the_log_file_and_to_the_terminal_with_v(tmp_path):
    env = cli_env(PREFECT_LOGGING_LEVEL="INFO")  # the suite runs at WARNING
    quiet = subprocess.run(
        [*NEWSCLEAN, str(SEEDS), "-o", str(tmp_path / "q"), "-q"],
        cwd=REPO,
        text=True,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert quiet.stderr == ""  # no Prefect lines on a quiet terminal
    log = next((tmp_path / "q" / "logs").glob("newsclean-*.log")).read_text()
    assert "Beginning flow run" in log and "Finished in state Completed" in log
    verbose = subprocess.run(
        [*NEWSCLEAN, str(SEEDS), "-o", str(tmp_path / "v"), "-v"],
        cwd=REPO,
        text=True,
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert verbose.returncode == 0 and "Beginning flow run" in verbose.stderr
