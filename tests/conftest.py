"""Shared fixtures: one Prefect test server per session, one run of the flow on seeds/."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def cli_env(**extra) -> dict:
    """The environment for running the real ``newsclean`` CLI in a subprocess: analytics off,
    Prefect's temporary server (no ``PREFECT_API_URL``), plus ``extra``."""
    import os

    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", **extra}
    env.pop("PREFECT_API_URL", None)
    return env


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary Prefect server shared by the whole session (it takes 8-15 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        from prefect.settings import PREFECT_API_URL

        yield PREFECT_API_URL.value()


@pytest.fixture(scope="session")
def seeds_run(prefect_server, tmp_path_factory):
    """The flow run once on seeds/: (output folder, manifest)."""
    from flows.config import Config
    from flows.pipeline import clean_news

    out = tmp_path_factory.mktemp("seeds-run")
    manifest = clean_news([str(SEEDS)], str(out), Config())
    return out, manifest


def read_dataset(path: Path):
    import pyarrow.dataset as ds

    return ds.dataset(str(path), format="parquet").to_table()
