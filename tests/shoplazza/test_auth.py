"""access-token, API versions, the envelope on routing errors, and Request-Id on every response."""

from __future__ import annotations

import pytest

from .helpers import NEW_ORDER, ORDER_ID, Shoplazza, error_of, whole_store

ENDPOINTS = [
    ("GET", "orders", None),
    ("GET", "orders/count", None),
    ("POST", "orders", NEW_ORDER),
    ("GET", f"orders/{ORDER_ID}", None),
    ("GET", "orders/number/1001", None),
    ("PUT", f"orders/{ORDER_ID}", {"order": {"note": "x"}}),
    ("DELETE", f"orders/{ORDER_ID}", None),
    ("POST", f"orders/{ORDER_ID}/cancel", {}),
    ("POST", f"orders/{ORDER_ID}/payment/success", {}),
    ("GET", f"orders/{ORDER_ID}/transactions", None),
    ("GET", f"orders/{ORDER_ID}/refund", None),
    ("GET", "orders/refund_records", None),
    ("GET", "orders/refund_records/count", None),
    ("GET", "orders/post_sales", None),
    ("GET", f"orders/{ORDER_ID}/risks", None),
    ("POST", f"orders/{ORDER_ID}/risks", {"risk": {"level": "low"}}),
]
ENDPOINT_IDS = [f"{method} {path}" for method, path, _ in ENDPOINTS]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_every_endpoint_answers_with_any_token(api, method, path, body):
    response = api.call(method, path, body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["code"] == "Success"
    assert response.headers["Request-Id"]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS, ids=ENDPOINT_IDS)
def test_missing_token_is_401_and_changes_nothing(api, runtime, method, path, body):
    api.order()  # the default token's namespace exists, so there is something a stray write could touch
    before = whole_store(runtime)
    assert error_of(api.call(method, path, body, token=None), 401, "Unauthorized") == "access-token: header is missing"
    assert "access-token" in error_of(api.call(method, path, body, token="  "), 401, "Unauthorized")
    # No namespace was seeded for the tokenless calls, and none changed.
    assert whole_store(runtime) == before


# What the app sees for a token that is not ASCII: latin-1 text (werkzeug's server) or "" (granian drops it).
NOT_A_TOKEN = {"latin-1 text": "t\u00f6k\u00e9n", "control character": "tok\u0007en", "empty": ""}


@pytest.mark.parametrize("token", list(NOT_A_TOKEN.values()), ids=list(NOT_A_TOKEN))
def test_a_token_that_is_not_printable_ascii_is_401_saying_so(api, runtime, token):
    before = whole_store(runtime)
    message = error_of(api.get("orders", token=token), 401, "Unauthorized")
    assert message.startswith("access-token:") and "ASCII" in message and "missing" not in message
    assert whole_store(runtime) == before


@pytest.mark.parametrize("other", ["2024-07", "2022-01", "latest"])
def test_another_version_is_404_in_the_envelope(client, other):
    response = client.get(f"/openapi/{other}/orders/{ORDER_ID}", headers={"access-token": "t"})
    assert "version" in error_of(response, 404, "NotFound")


def test_unknown_route_is_404_in_the_envelope(api):
    error_of(api.get("products"), 404, "NotFound")
    error_of(api.client.get("/openapi"), 404, "NotFound")


def test_wrong_method_is_405_in_the_envelope(api):
    error_of(api.call("PATCH", f"orders/{ORDER_ID}", {}), 405, "MethodNotAllowed")
    error_of(api.call("DELETE", "orders"), 405, "MethodNotAllowed")


def test_request_id_on_success_and_errors_matches_x_request_id(api):
    for response in (api.get("orders"), api.get("orders/1"), api.get("orders", token=None)):
        assert response.headers["Request-Id"] == response.headers["x-request-id"]
    first, second = api.get("orders"), api.get("orders")
    assert first.headers["Request-Id"] != second.headers["Request-Id"]


def test_request_id_echoes_a_callers_x_request_id(api):
    response = api.client.get(api.path("orders"), headers={"access-token": "t", "X-Request-Id": "trace-123"})
    assert response.headers["Request-Id"] == "trace-123"


def test_no_request_id_header_outside_openapi(client):
    assert "Request-Id" not in client.get("/__admin/health").headers


def test_success_envelope(api):
    body = api.get(f"orders/{ORDER_ID}").get_json()
    assert set(body) == {"code", "message", "data"}
    assert body["code"] == "Success" and isinstance(body["message"], str) and body["message"]


def test_tokens_are_isolated_namespaces(client, version):
    a, b = Shoplazza(client, version, "token_a"), Shoplazza(client, version, "token_b")
    a.pay(ORDER_ID, {})
    a.create()
    assert a.order()["financial_status"] == "paid"
    assert b.order()["financial_status"] == "waiting"
    assert b.get("orders/count").get_json()["data"]["count"] == 1
