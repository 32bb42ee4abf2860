"""Shared fixtures: one Prefect test server per session, one run of the flow on seeds/.

Tests that start Prefect (this server, or the real CLI under ``tests/e2e/``) and exhaustive
checks carry the ``slow`` marker: ``./dev test -m "not slow"`` runs the rest.
"""

from __future__ import annotations

import pytest

from tests.helpers import SEEDS

PREFECT_FIXTURES = {"prefect_server", "seeds_run"}


def pytest_collection_modifyitems(config, items):
    """Mark as slow every test that starts Prefect: the end-to-end folder, and any test using
    the shared Prefect server."""
    for item in items:
        if "/tests/e2e/" in str(item.path) or PREFECT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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
