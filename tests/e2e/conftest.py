"""A real server process on a free port, started the way a user starts it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest


class LiveServer:
    """A `mockserver serve --port 0` subprocess and the URL it printed."""

    def __init__(self, *args: str, env: dict | None = None):
        command = [sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", *args]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MOCKSERVER_")}
        environment.update(env or {})
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True
        )
        self.banner = self.process.stdout.readline().strip()
        if not self.banner:
            raise RuntimeError(f"server did not start: {self.process.stderr.read()}")
        self.url = self.banner.split(" ")[3]
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 15.0) -> None:
        """Poll the health endpoint until it answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/__admin/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.url} never became healthy")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Send `sig` and wait for the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        finally:
            # Whatever the signal did, nothing of the server may outlive the test.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.stderr = self.process.stderr.read()
            self.process.stdout.close()
            self.process.stderr.close()


@pytest.fixture
def live_server():
    """Start servers on demand; all are stopped after the test."""
    servers: list[LiveServer] = []

    def start(*args: str, env: dict | None = None) -> LiveServer:
        server = LiveServer(*args, env=env)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.stop(signal.SIGKILL)


@pytest.fixture(scope="session")
def server():
    """One server with default settings for the session (per xdist worker): each test uses keys of its own."""
    live = LiveServer()
    yield live
    live.stop()
