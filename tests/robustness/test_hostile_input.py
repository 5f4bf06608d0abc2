"""Hostile input against a live server: a 4xx in the emulated API's own envelope, no state change, still serving.

Requests are written byte for byte on raw sockets where a client library would clean them up.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from .conftest import SMALL_BODY_LIMIT
from .helpers import (
    NEW_SHOPLAZZA_ORDER,
    NEW_SHOPPEX_ORDER,
    SHOPLAZZA_ORDER,
    SHOPLAZZA_PAY,
    SHOPPEX_COMPLETE,
    SHOPPEX_ORDER,
    address,
    assert_error,
    assert_healthy,
    assert_json,
    auth,
    build,
    call,
    fresh,
    raw_request,
    read_response,
    snapshot,
)

# Per API: a state-changing call that accepts an empty object, and a create that needs a real body.
TARGETS = {
    "shoppex": {"act": SHOPPEX_COMPLETE, "create": "/dev/v1/orders", "read": SHOPPEX_ORDER, "list": "/dev/v1/orders"},
    "shoplazza": {"act": SHOPLAZZA_PAY, "create": "/openapi/2025-06/orders", "read": SHOPLAZZA_ORDER, "list": "/openapi/2025-06/orders"},
}
BAD_REQUEST = {"shoppex": (400, "BAD_REQUEST"), "shoplazza": (400, "InvalidParameter")}
INVALID_FIELD = {"shoppex": (422, "VALIDATION_ERROR"), "shoplazza": (400, "InvalidParameter")}
TOO_LARGE = {"shoppex": (413, "PAYLOAD_TOO_LARGE"), "shoplazza": (413, "RequestEntityTooLarge")}
NOT_FOUND = {"shoppex": (404, None), "shoplazza": (404, "NotFound")}
APIS = ["shoppex", "shoplazza"]


def refused(server, api: str, method: str, path: str, body: bytes | None, expected: tuple, headers: dict | None = None):
    """Send a raw request in a fresh namespace; assert the error envelope, an unchanged namespace and a live server."""
    token = fresh(api)
    before = snapshot(server, token)
    request = build(method, path, body, {**auth(api, token), **(headers or {})})
    response = raw_request(server, request, method=method)
    status, code = expected
    error = assert_error(api, response, status, code)
    assert snapshot(server, token) == before
    assert_healthy(server)
    return error


# -- size, encoding, structure ------------------------------------------------


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("target", ["act", "create"])
def test_body_over_the_size_limit_is_413(small_server, api, target):
    body = json.dumps({"note": "x" * (SMALL_BODY_LIMIT + 1)}).encode()
    headers = {"Content-Type": "application/json"}
    refused(small_server, api, "POST", TARGETS[api][target], body, TOO_LARGE[api], headers)


@pytest.mark.parametrize("api", APIS)
def test_body_just_under_the_size_limit_is_read(small_server, api):
    token = fresh(api)
    padding = b" " * (SMALL_BODY_LIMIT - 2)
    response = raw_request(small_server, build("POST", TARGETS[api]["act"], b"{" + padding + b"}", auth(api, token)), method="POST")
    assert response.status == 200, response


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("target", ["act", "create"])
@pytest.mark.parametrize(
    "body",
    [b'{"note": "\xff\xfe"}', b'{"note": "caf\xe9"}', b'{"note": "\xc0\xaf"}', b'{"note": "\xed\xa0\x80"}', b"\xfe\xff\x00{\x00}"],
    ids=["ff-fe", "latin1", "overlong", "encoded-surrogate", "utf16-bom"],
)
def test_invalid_utf8_is_400(server, api, target, body):
    error = refused(server, api, "POST", TARGETS[api][target], body, BAD_REQUEST[api])
    assert "UTF-8" in json.dumps(error)


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000, b'{"note":' + b"[" * 100_000 + b"]" * 100_000 + b"}"],
    ids=["arrays", "objects", "inside-a-field"],
)
def test_json_nested_100000_deep_is_400(server, api, body):
    refused(server, api, "POST", TARGETS[api]["act"], body, BAD_REQUEST[api])
    refused(server, api, "POST", TARGETS[api]["create"], body, BAD_REQUEST[api])


def shoppex_payment(value: str) -> bytes:
    return ('{"title": "Credits", "email": "buyer@example.com", "currency": "USD", "value": ' + value + "}").encode()


def shoplazza_order(quantity: str) -> bytes:
    return json.dumps(NEW_SHOPLAZZA_ORDER).replace('"quantity": 3', f'"quantity": {quantity}').encode()


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_overflowing_number_is_refused_naming_the_field_shoppex(server, number):
    error = refused(server, "shoppex", "POST", "/dev/v1/payments", shoppex_payment(number), INVALID_FIELD["shoppex"])
    assert [d["field"] for d in error["details"]] == ["value"]


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_overflowing_number_is_refused_naming_the_field_shoplazza(server, number):
    error = refused(server, "shoplazza", "POST", "/openapi/2025-06/orders", shoplazza_order(number), INVALID_FIELD["shoplazza"])
    assert error["message"].startswith("order.line_items.0.quantity:")


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1" + "0" * 5000])
def test_nan_infinity_and_huge_literals_are_400(server, api, constant):
    body = shoppex_payment(constant) if api == "shoppex" else shoplazza_order(constant)
    path = "/dev/v1/payments" if api == "shoppex" else "/openapi/2025-06/orders"
    refused(server, api, "POST", path, body, BAD_REQUEST[api])
    refused(server, api, "POST", TARGETS[api]["act"], b'{"note": ' + constant.encode() + b"}", BAD_REQUEST[api])


# -- content type and empty bodies --------------------------------------------


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"email=buyer%40example.com&items=prod_3"),
        ("multipart/form-data; boundary=b", b'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n--b--\r\n'),
        ("application/xml", b"<order><email>buyer@example.com</email></order>"),
        (None, b"email=buyer@example.com"),
    ],
    ids=["form", "multipart", "xml", "missing"],
)
def test_body_that_is_not_json_under_any_content_type_is_400(server, api, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    for target in ("act", "create"):
        refused(server, api, "POST", TARGETS[api][target], body, BAD_REQUEST[api], headers)


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", None])
def test_json_body_under_a_wrong_or_missing_content_type_is_read_as_json(server, api, content_type):
    """Documented: the Content-Type of a request is not checked."""
    body = json.dumps(NEW_SHOPPEX_ORDER if api == "shoppex" else NEW_SHOPLAZZA_ORDER).encode()
    headers = {**auth(api, fresh(api)), **({"Content-Type": content_type} if content_type else {})}
    response = raw_request(server, build("POST", TARGETS[api]["create"], body, headers), method="POST")
    assert response.status == (201 if api == "shoppex" else 200), response


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("body", [b"", b"   \r\n\t "], ids=["empty", "whitespace"])
def test_empty_body_on_create_names_the_missing_fields(server, api, body):
    error = refused(server, api, "POST", TARGETS[api]["create"], body, INVALID_FIELD[api], {"Content-Type": "application/json"})
    if api == "shoppex":
        assert {d["field"] for d in error["details"]} >= {"email", "items"}
    else:
        assert error["message"].startswith("order:")


@pytest.mark.parametrize("api", APIS)
def test_create_without_content_length_or_body_is_refused(server, api):
    refused(server, api, "POST", TARGETS[api]["create"], None, INVALID_FIELD[api])


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("body", [b"[]", b'"order"', b"null", b"42"], ids=["array", "string", "null", "number"])
def test_json_that_is_not_an_object_is_refused(server, api, body):
    refused(server, api, "POST", TARGETS[api]["act"], body, INVALID_FIELD[api])


# -- headers, paths, query strings --------------------------------------------


@pytest.mark.parametrize("api", APIS)
def test_a_16_kb_header_is_served_normally(server, api):
    token = fresh(api)
    padding = "p" * 16 * 1024
    response = raw_request(server, build("GET", TARGETS[api]["read"], headers={**auth(api, token), "X-Padding": padding}))
    assert response.status == 200, response
    assert_json(response)
    assert_healthy(server)


# Per API: ids with unicode, NUL, invalid UTF-8 or encoded traversal, and the action that follows an id.
HOSTILE_IDS = {
    "shoppex": [
        "/dev/v1/orders/%E2%98%83",
        "/dev/v1/orders/%F0%9F%92%A5%E2%80%AE",
        "/dev/v1/orders/..%2F..%2F__admin%2Freset",
        "/dev/v1/orders/..%2Finv_complete_1",
        "/dev/v1/orders/inv_complete_1%2F..%2F..%2Fpayments",
        "/dev/v1/orders/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/dev/v1/orders/%00",
        "/dev/v1/orders/%FF%FE",
        "/dev/v1/invoices/..%2F..%2Fme",
        "/dev/v1/payments/%E2%98%83",
    ],
    "shoplazza": [
        "/openapi/2025-06/orders/%E2%98%83",
        "/openapi/2025-06/orders/..%2F..%2F2026-01%2Forders",
        f"/openapi/2025-06/orders/..%2F{SHOPLAZZA_ORDER.rsplit('/', 1)[1]}",
        "/openapi/2025-06/orders/%2E%2E%2F%2E%2E%2F__admin%2Freset",
        "/openapi/2025-06/orders/%00",
        "/openapi/2025-06/orders/%FF%FE",
        "/openapi/2025-06/orders/number/%E2%98%83",
        "/openapi/..%2F2025-06/orders/365154185097449134715",
    ],
}
ACTION_AFTER_ID = {"shoppex": "/complete", "shoplazza": "/payment/success"}


@pytest.mark.parametrize(("api", "path"), [(api, path) for api, paths in HOSTILE_IDS.items() for path in paths])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unicode_and_traversal_in_ids_are_404(server, api, path, method):
    path = path if method == "GET" else path + ACTION_AFTER_ID[api]
    body = b"{}" if method == "POST" else None
    refused(server, api, method, path, body, NOT_FOUND[api])


def ten_thousand_params(last: str = "") -> str:
    return "&".join(f"a{i % 10}=1" for i in range(10_000 - bool(last))) + (f"&{last}" if last else "")


@pytest.mark.parametrize("api", APIS)
def test_ten_thousand_unknown_query_parameters_are_ignored(server, api):
    token = fresh(api)
    plain = raw_request(server, build("GET", TARGETS[api]["list"], headers=auth(api, token)))
    crowded = raw_request(server, build("GET", f"{TARGETS[api]['list']}?{ten_thousand_params()}", headers=auth(api, token)))
    assert (crowded.status, crowded.json) == (plain.status, plain.json) == (200, plain.json)
    assert_healthy(server)


@pytest.mark.parametrize(("api", "bad"), [("shoppex", "limit=0"), ("shoplazza", "page_size=0")])
def test_a_bad_value_among_ten_thousand_parameters_is_named(server, api, bad):
    path = f"{TARGETS[api]['list']}?{ten_thousand_params(bad)}"
    error = refused(server, api, "GET", path, None, INVALID_FIELD[api])
    assert bad.split("=")[0] in json.dumps(error)


@pytest.mark.parametrize("api", APIS)
def test_a_query_string_over_64_kb_is_refused_and_the_server_survives(server, api):
    """granian's HTTP layer answers 414 with an empty body before the app sees the request (no envelope possible)."""
    token = fresh(api)
    before = snapshot(server, token)
    path = TARGETS[api]["list"] + "?" + "&".join(f"p{i}=1" for i in range(10_000))
    response = raw_request(server, build("GET", path, headers=auth(api, token)))
    assert response.status == 414, response
    assert not response.raw.lstrip().startswith(b"<"), response
    assert snapshot(server, token) == before
    assert_healthy(server)


# -- a slow body --------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
def test_slow_body_does_not_block_other_requests(server, api):
    token = fresh(api)
    body = b'{"note": "sent one byte at a time"}'
    head = build("POST", TARGETS[api]["act"], headers={**auth(api, token), "Content-Type": "application/json"}, content_length=len(body))
    pause = 3.0 / len(body)  # about three seconds in all
    answered: list[float] = []
    with socket.create_connection(address(server), timeout=20) as slow:
        slow.sendall(head)

        def others():
            other = fresh(api)
            while not done.is_set() and len(answered) < 200:
                started = time.monotonic()
                response = call(server, "GET", TARGETS[api]["read"], headers=auth(api, other), timeout=5)
                assert response.status == 200, response
                answered.append(time.monotonic() - started)
                time.sleep(0.1)

        done = threading.Event()
        failures: list[BaseException] = []
        thread = threading.Thread(target=lambda: _capture(others, failures))
        thread.start()
        try:
            for byte in body:
                slow.sendall(bytes([byte]))
                time.sleep(pause)
        finally:
            done.set()
            thread.join(10)
        response = read_response(slow, "POST")
    assert not failures, failures
    assert response.status == 200, response
    assert len(answered) >= 10 and max(answered) < 1.0, answered
    # The slow request acted once it was complete.
    order = call(server, "GET", TARGETS[api]["read"], headers=auth(api, token)).json["data"]
    assert order["status"] == "COMPLETED" if api == "shoppex" else order["order"]["financial_status"] == "paid"
    assert_healthy(server)


def _capture(target, failures: list) -> None:
    try:
        target()
    except BaseException as exc:  # reported by the main thread
        failures.append(exc)
