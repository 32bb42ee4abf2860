"""Batch workers (flows/run/workers.py): per-batch steps in worker processes."""

from __future__ import annotations

import json
import os
import signal

import pytest

from cleaners.embeds import EmbedRuleError
from flows.config import Config
from flows.pipeline import clean_news
from flows.run.workers import held_read, shared_workers
from tests.helpers import SEEDS


def _feed(path, n=12):
    path.mkdir()
    body = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8").split("\n", 3)[3]
    with open(path / "feed.jsonl", "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps(
                    {"id": f"a{i}", "text": f"Report number {i} from the wire desk. " * (i + 3) + body[i * 50 :]}
                )
                + "\n"
            )


def test_a_failing_step_fails_the_run_names_the_cause_and_publishes_nothing(prefect_server, tmp_path):
    _feed(tmp_path / "in")
    rules = tmp_path / "rules.toml"
    rules.write_text("[[rule]]\nname = 'broken'\npattern = '('\n", encoding="utf-8")
    with pytest.raises(EmbedRuleError) as err:  # the step's own exception, raised in a worker process
        clean_news(
            [str(tmp_path / "in")], str(tmp_path / "out"), Config(batch_size=3, workers=2, embed_rules=str(rules))
        )
    assert "rules.toml: rule 'broken'" in str(err.value)
    assert not list((tmp_path / "out").glob("runs/*.json")) and not list((tmp_path / "out").glob("clean/**/*.parquet"))
    # the same workers then run a good configuration: nothing of the failed run is left in them
    manifest = clean_news([str(tmp_path / "in")], str(tmp_path / "out"), Config(batch_size=3, workers=2))
    assert manifest["conservation"]["ok"] and manifest["conservation"]["read"] == 12


def test_a_dead_worker_is_replaced_before_the_next_run(prefect_server, tmp_path):
    _feed(tmp_path / "in")
    pool = shared_workers(2)
    pool.call(0, held_read, "probe", [], Config())  # make sure the worker process is up
    victim = next(iter(pool._pools[0]._processes))
    os.kill(victim, signal.SIGKILL)
    manifest = clean_news([str(tmp_path / "in")], str(tmp_path / "out"), Config(batch_size=3, workers=2))
    assert manifest["conservation"]["ok"] and manifest["conservation"]["read"] == 12
    assert victim not in shared_workers(2)._pools[0]._processes


@pytest.mark.slow  # exhaustive: seconds
def test_workers_freeze_what_they_load_out_of_the_garbage_collectors_scans():
    import gc

    # models, rules and modules loaded at start stay for the worker's life: a full collection
    # would walk them all (~1.6 CPU s of a batch worker, ~1.5 s of a part worker at 100k)
    assert shared_workers(2).call(0, gc.get_freeze_count) > 10_000
    assert shared_workers(2, "parts").call(0, gc.get_freeze_count) > 10_000
