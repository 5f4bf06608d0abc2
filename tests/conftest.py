"""Shared fixtures: one app per settings for the session, put back to new after every test.

Building an app costs more than most tests (it compiles every route and shares out the
fixtures), so each xdist worker keeps one app per distinct Settings and, after each test,
renews it: no namespaces (each key is seeded afresh on first use), an empty --db file, the
clock on real time, an empty journal, no fault rules, no webhook deliveries. To every test
it is a freshly created app.

A module that sets `STORAGES = ("memory", "file")` runs every app test on both storages: the
store's own tests, the documented examples and the lifecycles (every operation's write goes
through the file there). Everywhere else the storage is not what is under test, so memory only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from mockserver import create_app
from mockserver.app import renew_app
from mockserver.config import Settings
from tests.receiver import Receiver

EXAMPLES = Path(__file__).parent / "examples"


def load_examples(api: str) -> list[dict]:
    """The documented request/response pairs of one API, from tests/examples/<api>/."""
    return [dict(json.loads(path.read_text()), name=path.stem) for path in sorted((EXAMPLES / api).glob("*.json"))]


STORAGES = ("memory",)


def pytest_generate_tests(metafunc):
    """Parametrize `storage` over the module's STORAGES (memory only unless the module asks for both)."""
    if "storage" in metafunc.fixturenames:
        metafunc.parametrize("storage", getattr(metafunc.module, "STORAGES", STORAGES), indirect=True)


def new_app(settings: Settings) -> Flask:
    """A freshly seeded app for `settings`, in testing mode."""
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def close(app: Flask) -> None:
    """Stop an app's webhook deliveries and close its store."""
    runtime = app.extensions["mockserver"]
    runtime.deliveries.close()
    runtime.store.close()


@pytest.fixture(scope="session")
def shared_apps():
    """The session's apps, one per distinct Settings; closed at the end."""
    apps: dict[Settings, Flask] = {}
    yield apps
    for app in apps.values():
        close(app)


@pytest.fixture
def shared_app(shared_apps):
    """`shared_app(settings)`: the session's app for `settings`, renewed after the test."""
    used: list[Settings] = []

    def get(settings: Settings) -> Flask:
        if settings not in shared_apps:
            shared_apps[settings] = new_app(settings)
        used.append(settings)
        return shared_apps[settings]

    yield get
    # Renewed after the test, so the next one finds it as new; one that cannot be renewed is built again.
    for settings in dict.fromkeys(used):
        try:
            renew_app(shared_apps[settings])
        except Exception:
            close(shared_apps.pop(settings))
            raise


@pytest.fixture(scope="session")
def session_db(tmp_path_factory) -> Path:
    """The --db path of the session's file-storage app (emptied after every test)."""
    return tmp_path_factory.mktemp("storage") / "db.json"


@pytest.fixture
def storage(request, session_db) -> Path | None:
    """The --db path of the storage under test, or None for memory (a test wanting a file of its own uses tmp_path)."""
    return session_db if request.param == "file" else None


@pytest.fixture
def settings(storage) -> Settings:
    """Default settings with the storage under test."""
    return Settings(db=storage)


@pytest.fixture
def app(settings, shared_app):
    """An app as freshly created for `settings`: the session's one, renewed after the test."""
    return shared_app(settings)


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


@pytest.fixture
def receiver():
    """A real local webhook receiver, closed after the test."""
    receiver = Receiver()
    yield receiver
    receiver.close()
