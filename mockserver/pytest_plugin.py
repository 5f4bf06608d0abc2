"""pytest plugin: one mock server per test session (per xdist worker), a fresh namespace per test.

Registered as the `pytest11` entry point `mockserver`; without the package installed use
`-p mockserver.pytest_plugin`. Fixtures cost nothing until a test asks for them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from .labels import namespace_label

URL_ENV = "MOCKSERVER_URL"
TOKEN_ENV = "MOCKSERVER_ADMIN_TOKEN"
TOKEN_HEADER = "X-Mockserver-Admin-Token"
ADMIN = "/__admin"
TIMEOUT = 30.0


class AdminError(RuntimeError):
    """An /__admin call answered with an error status."""

    def __init__(self, method: str, url: str, status: int, body: str):
        super().__init__(f"{method} {url} -> {status}: {body[:500]}")
        self.status = status
        self.body = body


def pytest_addoption(parser) -> None:
    """--mockserver-url: use an already running server instead of starting one; --mockserver-admin-token: its token."""
    group = parser.getgroup("mockserver", "mockserver fixtures")
    group.addoption(
        "--mockserver-url",
        default=None,
        help=f"base URL of a running mockserver to use instead of starting one (env: {URL_ENV})",
    )
    group.addoption(
        "--mockserver-admin-token",
        default=None,
        help=f"the server's admin token, sent as {TOKEN_HEADER} on every /__admin call (env: {TOKEN_ENV})",
    )


class MockServer:
    """A running mock server: its base URL and a small JSON client for /__admin."""

    def __init__(self, base_url: str, admin_token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.admin_token = admin_token

    def admin(self, method: str, path: str, payload=None, query: dict | None = None):
        """Call /__admin{path} with a JSON body and query parameters; return the decoded JSON."""
        params = {k: v for k, v in (query or {}).items() if v is not None}
        url = f"{self.base_url}{ADMIN}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None if payload is None else json.dumps(payload).encode()
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.admin_token:
            headers[TOKEN_HEADER] = self.admin_token
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AdminError(method, url, exc.code, exc.read().decode("utf-8", "replace")) from None
        return json.loads(raw) if raw.strip() else {}

    def wait_healthy(self, timeout: float = 15.0) -> None:
        """Poll /__admin/health until it answers, or fail."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.admin("GET", "/health").get("status") == "ok":
                    return
            except (OSError, AdminError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"mockserver at {self.base_url} is not healthy")
            time.sleep(0.05)


class _ThreadedServer:
    """The app under the werkzeug server, in a daemon thread of this process, on a free port."""

    def __init__(self, admin_token: str | None = None):
        # Imported here, not for a cycle: the plugin loads in every pytest run and costs nothing until used.
        from werkzeug.serving import WSGIRequestHandler, make_server

        from .app import create_app

        class QuietHandler(WSGIRequestHandler):
            def log_request(self, *args, **kwargs) -> None:
                pass

        self.app = create_app(_thread_settings(admin_token))
        self.http = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        # The app was built before the port was chosen: its webhooks must never target it.
        self.app.extensions["mockserver"].deliveries.listening_on(self.http.server_port)
        self.thread = threading.Thread(target=self.http.serve_forever, name="mockserver", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving, wait for the thread, close the webhook deliveries and the store."""
        self.http.shutdown()
        self.thread.join(10)
        self.http.server_close()
        runtime = self.app.extensions["mockserver"]
        runtime.deliveries.close()
        runtime.store.close()


def _thread_settings(admin_token: str | None = None):
    """In memory, any key: only fixture directory, TTL and body limit come from MOCKSERVER_* variables; the admin token if given."""
    from .config import Settings  # imported when used, like the app above

    env = Settings.from_env()
    return Settings(
        host="127.0.0.1",
        port=0,
        fixtures=env.fixtures,
        invoice_ttl=env.invoice_ttl,
        max_body_bytes=env.max_body_bytes,
        admin_token=admin_token,
    )


@pytest.fixture(scope="session")
def mockserver_server(request):
    """One mock server for the session: started in a thread, or the one --mockserver-url names."""
    url = request.config.getoption("mockserver_url", None) or os.environ.get(URL_ENV)
    token = request.config.getoption("mockserver_admin_token", None) or os.environ.get(TOKEN_ENV) or None
    if url:
        server = MockServer(url, token)
        server.wait_healthy()
        yield server
        return
    threaded = _ThreadedServer(token)
    try:
        server = MockServer(threaded.url, token)
        server.wait_healthy()
        yield server
    finally:
        threaded.stop()


def _unix(t) -> int | str:
    """A freeze instant as the admin API takes it: unix seconds or an ISO 8601 string."""
    if isinstance(t, dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=dt.timezone.utc)
        return int(t.timestamp())
    if isinstance(t, (int, float)):
        return int(t)
    return str(t)


class MockNamespace:
    """One test's isolated world on the server: its token, URLs, clock, journal, faults and data."""

    def __init__(self, server: MockServer, token: str):
        self.server = server
        self.base_url = server.base_url
        self.token = token
        self._touched_clock = False
        self._added_faults = False
        self._created = False

    @property
    def label(self) -> str:
        """How the admin API shows this namespace (journal entries, listings, fault rules)."""
        return namespace_label(self.token)

    def _named(self) -> str:
        # The admin API refuses a namespace nobody has used: loading no records creates it, once.
        if not self._created:
            self.server.admin("POST", "/fixtures", {"records": {}}, query={"namespace": self.token})
            self._created = True
        return self.token

    @property
    def shoppex_headers(self) -> dict:
        """Headers for the Shoppex API in this namespace."""
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def shoplazza_headers(self) -> dict:
        """Headers for the Shoplazza API in this namespace."""
        return {"access-token": self.token}

    def url(self, path: str) -> str:
        """Absolute URL of `path` on the server."""
        return self.base_url + path

    def clock(self) -> dict:
        """The server clock: {"now", "frozen", "frozen_at"}."""
        return self.server.admin("GET", "/clock")

    def freeze(self, t=None) -> dict:
        """Freeze the clock at `t` (unix seconds, ISO 8601 string or datetime; default: now)."""
        self._touched_clock = True
        at = self.clock()["now"] if t is None else _unix(t)
        return self.server.admin("POST", "/clock", {"frozen_at": at})

    def advance(self, seconds: float) -> dict:
        """Move the clock forward by `seconds` (frozen or running)."""
        self._touched_clock = True
        return self.server.admin("POST", "/clock", {"advance": seconds})

    def unfreeze(self) -> dict:
        """Let the clock run again from where it stands (any offset stays; real_time() drops it)."""
        return self.server.admin("POST", "/clock", {"frozen_at": None})

    def real_time(self) -> dict:
        """Put the clock back on real time: not frozen, no offset."""
        return self.server.admin("DELETE", "/clock")

    def requests(self, **matcher) -> list[dict]:
        """This namespace's journal entries, oldest first (method, path glob, since, limit)."""
        return self.server.admin("GET", "/requests", query={**matcher, "namespace": self._named()})["requests"]

    def count(self, **matcher) -> int:
        """How many journalled requests of this namespace match (method, path glob, since)."""
        body = {**matcher, "namespace": self._named()}
        return self.server.admin("POST", "/requests/count", body)["count"]

    def fault(self, **rule) -> dict:
        """Add a fault rule scoped to this namespace (method, path, status, error_code, body, delay_ms, times, ...)."""
        self._added_faults = True
        return self.server.admin("POST", "/faults", {**rule, "namespace": self._named()})["fault"]

    def clear_faults(self) -> None:
        """Remove this namespace's fault rules."""
        self.server.admin("DELETE", "/faults", query={"namespace": self._named()})

    def seed(self, records: dict) -> int:
        """Load records ({"shoppex.invoices": [doc, ...], ...}) into this namespace; return how many."""
        loaded = self.server.admin("POST", "/fixtures", {"records": records}, query={"namespace": self.token})["loaded"]
        self._created = True
        return loaded

    def reset(self) -> None:
        """Put this namespace back to its freshly seeded state."""
        self.server.admin("POST", "/reset", query={"namespace": self._named()})

    def snapshot(self) -> dict:
        """This namespace exported as JSON."""
        return self.server.admin("GET", "/snapshot", query={"namespace": self._named()})

    def restore(self, snapshot: dict) -> None:
        """Replace this namespace with a snapshot taken by `snapshot()`."""
        self.server.admin("PUT", "/snapshot", snapshot, query={"namespace": self.token})
        self._created = True

    def close(self) -> None:
        """Undo what the test did to shared state: real time again, no fault rules."""
        if self._touched_clock:
            self.real_time()
        if self._added_faults:
            self.clear_faults()


def new_token() -> str:
    """A token no other test uses: a Shoppex API key and a Shoplazza access-token at once."""
    return f"shx_test_{uuid.uuid4().hex}"


@pytest.fixture
def mockserver(mockserver_server):
    """A fresh namespace on the session's server and a client for its admin operations."""
    namespace = MockNamespace(mockserver_server, new_token())
    yield namespace
    namespace.close()
