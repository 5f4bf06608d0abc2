"""Shared fixtures: an app per test, in memory; and also on a --db file in the modules about persistence.

A module that sets `STORAGES = ("memory", "file")` runs every app test on both storages: the
store's own tests, the documented examples and the lifecycles (every operation's write goes
through the file there). Everywhere else the storage is not what is under test, so memory only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockserver import create_app
from mockserver.config import Settings

EXAMPLES = Path(__file__).parent / "examples"


def load_examples(api: str) -> list[dict]:
    """The documented request/response pairs of one API, from tests/examples/<api>/."""
    return [dict(json.loads(path.read_text()), name=path.stem) for path in sorted((EXAMPLES / api).glob("*.json"))]


STORAGES = ("memory",)


def pytest_generate_tests(metafunc):
    """Parametrize `storage` over the module's STORAGES (memory only unless the module asks for both)."""
    if "storage" in metafunc.fixturenames:
        metafunc.parametrize("storage", getattr(metafunc.module, "STORAGES", STORAGES), indirect=True)


@pytest.fixture
def storage(request, tmp_path) -> Path | None:
    """The --db path of the storage under test, or None for memory."""
    return tmp_path / "db.json" if request.param == "file" else None


@pytest.fixture
def settings(storage) -> Settings:
    """Default settings with the storage under test."""
    return Settings(db=storage)


@pytest.fixture
def app(settings):
    """A freshly seeded app."""
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["mockserver"].store.close()


@pytest.fixture
def client(app):
    """Flask test client."""
    return app.test_client()


@pytest.fixture
def runtime(app):
    """The app's settings, store and clock."""
    return app.extensions["mockserver"]


@pytest.fixture
def auth() -> dict:
    """Shoppex bearer headers for the default test key."""
    return {"Authorization": "Bearer shx_test_key"}
