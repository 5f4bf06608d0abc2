"""Fixtures of the Shoplazza tests: every test runs on both API versions' paths."""

from __future__ import annotations

import pytest

from .helpers import DOCUMENTED_NOW, VERSIONS, Shoplazza


@pytest.fixture(params=VERSIONS)
def version(request) -> str:
    """Each Shoplazza test runs on both emulated API versions' paths."""
    return request.param


@pytest.fixture
def api(client, version) -> Shoplazza:
    """A Shoplazza client for `version` with the default token."""
    return Shoplazza(client, version)


@pytest.fixture
def frozen(runtime) -> int:
    """Freeze the clock at the documented payment time."""
    runtime.clock.freeze(DOCUMENTED_NOW)
    return DOCUMENTED_NOW
