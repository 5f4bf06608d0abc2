"""The plugin's fixtures, also when the package's pytest11 entry point is not installed."""

from mockserver.pytest_plugin import mockserver, mockserver_server  # noqa: F401
