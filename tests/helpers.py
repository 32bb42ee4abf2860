"""Paths and helpers the tests share: the repository, the seeds, the CLI's environment, reading a dataset."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def cli_env(**extra) -> dict:
    """The environment for running the real ``newsclean`` CLI in a subprocess: analytics off,
    Prefect's temporary server (no ``PREFECT_API_URL``), plus ``extra``."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1", **extra}
    env.pop("PREFECT_API_URL", None)
    return env


def read_dataset(path: Path):
    """One output dataset (a folder of Parquet parts) as an Arrow table."""
    import pyarrow.dataset as ds

    return ds.dataset(str(path), format="parquet").to_table()
