"""Robustness tests run against real server processes (see tests/e2e/conftest.py)."""

import pytest

from tests.e2e.conftest import LiveServer, live_server, server  # noqa: F401  (the fixtures, shared)

SMALL_BODY_LIMIT = 4096


@pytest.fixture(scope="session")
def small_server():
    """A server that refuses bodies over SMALL_BODY_LIMIT bytes."""
    live = LiveServer(env={"MOCKSERVER_MAX_BODY_BYTES": str(SMALL_BODY_LIMIT)})
    yield live
    live.stop()
