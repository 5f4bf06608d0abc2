"""schemathesis against the app, in process: every operation of /__admin/openapi.json, generated inputs.

Fails on a server error (5xx other than Shoplazza's documented 500 FailedPrecondition
business refusal) and on any response whose status, content type, headers or body the
document does not describe. Bounded and derandomised: the same examples every run.

Two sessions, each with an app of its own: the operations that change the whole server
(fault rules, the one clock) run against a separate app, so they cannot disturb the rest.
The calls go through the WSGI app (no sockets): the same routes, hooks and error handlers as a
served process, at a fraction of the cost; serving itself is tested in tests/e2e.
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

from mockserver import create_app
from mockserver.config import Settings

SHOPPEX_KEY = "schemathesis-shoppex"
SHOPLAZZA_TOKEN = "schemathesis-shoplazza"
MAX_EXAMPLES = 10

# Operations that change the whole server, each with the reason; they get an app of their own.
SERVER_WIDE = {
    # Fault rules make the server answer 4xx/5xx and delay requests on purpose; random
    # rules would turn every later operation's response into a deliberate failure.
    ("POST", "/__admin/faults"),
    # The clock is one for every namespace: a fuzzed value would move it (and with it expiry
    # and idempotency windows) under every later operation of the run.
    ("POST", "/__admin/clock"),
}


def _app():
    """An app with webhooks off: fuzzed subscriptions get deliveries logged, never sent.

    A short journal keeps GET /__admin/requests (every entry, validated) from growing with the run.
    """
    app = create_app(Settings(webhooks=False, journal_size=200))
    yield app
    runtime = app.extensions["mockserver"]
    runtime.deliveries.close()
    runtime.store.close()


live_app = pytest.fixture(scope="module", name="live_app")(_app)
server_wide_app = pytest.fixture(scope="module", name="server_wide_app")(_app)


@pytest.fixture(scope="module")
def api_schema(live_app):
    """The document the app serves, loaded by schemathesis."""
    return schemathesis.openapi.from_wsgi("/__admin/openapi.json", live_app)


@pytest.fixture(scope="module")
def server_wide_schema(server_wide_app):
    """The same document, from the app the server-wide operations run against."""
    return schemathesis.openapi.from_wsgi("/__admin/openapi.json", server_wide_app)


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


# One test per API, so the workers share the run (each test is one pytest item, however many operations it has).
shoppex = schema.include(path_regex=r"^/dev/v1/")
shoplazza = schema.include(path_regex=r"^/openapi/")
admin = schema.exclude(path_regex=r"^/(dev/v1|openapi)/")


def check(case) -> None:
    """Call the operation with both APIs' credentials and run every check on the answer."""
    response = case.call(headers=HEADERS)
    case.validate_response(response, checks=CHECKS)


@shoppex.parametrize()
@SETTINGS
def test_shoppex_api(case):
    check(case)


@shoplazza.parametrize()
@SETTINGS
def test_shoplazza_api(case):
    check(case)


@admin.parametrize()
@SETTINGS
def test_admin_api(case):
    check(case)


@server_wide.parametrize()
@SETTINGS
def test_server_wide_operations(case):
    """POST /__admin/faults and POST /__admin/clock, on an app no other operation uses."""
    check(case)
