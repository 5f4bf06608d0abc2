"""The command-line tests that need a running server start it the way the end-to-end tests do."""

from tests.e2e.conftest import live_server  # noqa: F401  (the fixture, shared)
