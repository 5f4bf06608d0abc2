"""Fixtures of the Shoplazza tests: the documented API version, both where versioning is under test."""

from __future__ import annotations

import pytest

from .helpers import DOCUMENTED_NOW, VERSIONS, Shoplazza


def pytest_generate_tests(metafunc):
    """`version`: both emulated versions for a test marked `versions`, else the documented one (the first)."""
    if "version" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("versions") is not None
        metafunc.parametrize("version", VERSIONS if both else VERSIONS[:1])


@pytest.fixture
def api(client, version) -> Shoplazza:
    """A Shoplazza client for `version` with the default token."""
    return Shoplazza(client, version)


@pytest.fixture
def frozen(runtime) -> int:
    """Freeze the clock at the documented payment time."""
    runtime.clock.freeze(DOCUMENTED_NOW)
    return DOCUMENTED_NOW
