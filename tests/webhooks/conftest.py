"""Fixtures of the webhook tests."""

from __future__ import annotations

import pytest

from mockserver import create_app
from mockserver.config import Settings


@pytest.fixture
def make_app():
    """Build apps from settings (fast retries by default); their deliveries are closed after the test."""
    apps = []

    def make(**settings):
        app = create_app(Settings(**{"webhook_retry_scale": 0.001, "webhook_timeout": 0.5, **settings}))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["mockserver"].deliveries.close()
