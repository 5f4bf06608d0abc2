"""schemathesis against live servers: every operation of /__admin/openapi.json, generated inputs.

Fails on a server error (5xx other than Shoplazza's documented 500 FailedPrecondition
business refusal) and on any response whose status, content type, headers or body the
document does not describe. Bounded and derandomised: the same examples every run.

Two sessions, each with a server of its own: the operations that change the whole server
(fault rules, the one clock) run against a separate server, so they cannot disturb the rest.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..e2e.conftest import LiveServer

SHOPPEX_KEY = "schemathesis-shoppex"
SHOPLAZZA_TOKEN = "schemathesis-shoplazza"
MAX_EXAMPLES = 15

# Operations that change the whole server, each with the reason; they get a server of their own.
SERVER_WIDE = {
    # Fault rules make the server answer 4xx/5xx and delay requests on purpose; random
    # rules would turn every later operation's response into a deliberate failure.
    ("POST", "/__admin/faults"),
    # The clock is one for every namespace: a fuzzed value would move it (and with it expiry
    # and idempotency windows) under every later operation of the run.
    ("POST", "/__admin/clock"),
}


def _live_server():
    """A real server, webhooks off: fuzzed subscriptions get deliveries logged, never sent.

    A short journal keeps GET /__admin/requests (every entry, validated) from growing with the run.
    """
    server = LiveServer(env={"MOCKSERVER_WEBHOOKS": "0", "MOCKSERVER_JOURNAL_SIZE": "200"})
    yield server
    server.stop()


live_api = pytest.fixture(scope="module", name="live_api")(_live_server)
server_wide_api = pytest.fixture(scope="module", name="server_wide_api")(_live_server)


@pytest.fixture(scope="module")
def api_schema(live_api):
    """The document the running server serves, loaded by schemathesis."""
    return schemathesis.openapi.from_url(f"{live_api.url}/__admin/openapi.json")


@pytest.fixture(scope="module")
def server_wide_schema(server_wide_api):
    """The same document, from the server the server-wide operations run against."""
    return schemathesis.openapi.from_url(f"{server_wide_api.url}/__admin/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")
for _method, _path in sorted(SERVER_WIDE):
    schema = schema.exclude(method=_method, path=_path)
server_wide = schemathesis.pytest.from_fixture("server_wide_schema").include(
    lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in SERVER_WIDE
)


@schemathesis.check
def no_unexpected_server_error(ctx, response, case) -> None:
    """No 5xx, except the documented Shoplazza 500 FailedPrecondition (a business rule said no)."""
    if response.status_code < 500:
        return
    body = response.json() if "json" in (response.headers.get("content-type") or [""])[0] else None
    documented = (
        case.path.startswith("/openapi/")
        and response.status_code == 500
        and isinstance(body, dict)
        and body.get("code") == "FailedPrecondition"
    )
    if not documented:
        raise AssertionError(f"server error {response.status_code}: {response.text[:500]}")


CHECKS = [
    no_unexpected_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


HEADERS = {"Authorization": f"Bearer {SHOPPEX_KEY}", "access-token": SHOPLAZZA_TOKEN}
SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@SETTINGS
def test_api(case, live_api):
    response = case.call(base_url=live_api.url, headers=HEADERS)
    case.validate_response(response, checks=CHECKS)


@server_wide.parametrize()
@SETTINGS
def test_server_wide_operations(case, server_wide_api):
    """POST /__admin/faults and POST /__admin/clock, on a server no other operation uses."""
    response = case.call(base_url=server_wide_api.url, headers=HEADERS)
    case.validate_response(response, checks=CHECKS)
