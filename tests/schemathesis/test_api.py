"""schemathesis against a live server: every operation of /__admin/openapi.json, generated inputs.

Fails on a server error (5xx other than Shoplazza's documented 500 FailedPrecondition
business refusal) and on any response whose status, content type, headers or body the
document does not describe. Bounded and derandomised: the same examples every run.
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

# Operations left out of the run, each with the reason.
EXCLUDED = {
    # Fault rules make the server answer 4xx/5xx and delay requests on purpose; random
    # rules would turn every later operation's response into a deliberate failure.
    ("POST", "/__admin/faults"),
    # BUG (admin clock): {"frozen_at": 253402300800} (year 10000 or later, or before year 1)
    # or {"advance": 1e300} answers 500 INTERNAL_ERROR (ValueError / OverflowError from
    # datetime.fromtimestamp in clock_state) *after* the clock was changed, so the refused
    # request changes state and every later response that renders a time can fail. Any
    # accepted value also moves the one clock for every namespace for the rest of the run.
    ("POST", "/__admin/clock"),
}

# BUG (Shoppex money overflow): an amount of 1e26 or more (POST /payments `value`,
# POST /checkout/sessions `amount`, or price x quantity as in POST /orders with
# {"items": [{"product_id": "prod_2", "quantity": 10**30}]}) answers 500 INTERNAL_ERROR
# "Internal error in the mock server (InvalidOperation)." (decimal quantize overflow)
# instead of a 422. Until it is fixed, exactly that response is not held against them.
MONEY_OVERFLOW = {("POST", "/dev/v1/payments"), ("POST", "/dev/v1/checkout/sessions"), ("POST", "/dev/v1/orders")}


def known_bug(case, response) -> bool:
    """True for the one response signature of a reported, not yet fixed server bug."""
    if (case.method.upper(), case.path) in MONEY_OVERFLOW and response.status_code == 500:
        return "(InvalidOperation)" in response.text
    return False


@pytest.fixture(scope="session")
def live_api():
    """One real server for the whole run."""
    server = LiveServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def api_schema(live_api):
    """The document the running server serves, loaded by schemathesis."""
    return schemathesis.openapi.from_url(f"{live_api.url}/__admin/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")
for _method, _path in sorted(EXCLUDED):
    schema = schema.exclude(method=_method, path=_path)
# Routes the document lists only generically (tag "Undescribed": any status, any JSON) are
# left out until their rows are written; fuzzing e.g. webhook URLs would also send real requests.
schema = schema.exclude(tag="Undescribed")


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


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_api(case, live_api):
    headers = {"Authorization": f"Bearer {SHOPPEX_KEY}", "access-token": SHOPLAZZA_TOKEN}
    response = case.call(base_url=live_api.url, headers=headers)
    if not known_bug(case, response):
        case.validate_response(response, checks=CHECKS)
