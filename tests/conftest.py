"""Shared fixtures: an app per test, on every storage (memory and --db file)."""

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


@pytest.fixture(params=["memory", "file"])
def storage(request, tmp_path) -> Path | None:
    """Every test that uses the app runs once in memory and once with a --db file."""
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
