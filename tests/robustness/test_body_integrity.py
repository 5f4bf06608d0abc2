"""Bodies that lie about themselves: cut short, chunked past the limit, duplicate keys, lone surrogates.

Same rules as test_hostile_input: a 4xx in the emulated API's envelope, no state change, the server still answering.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from .conftest import SMALL_BODY_LIMIT
from .helpers import (
    SHOPLAZZA_ORDER,
    SHOPLAZZA_PAY,
    SHOPPEX_COMPLETE,
    address,
    assert_error,
    assert_healthy,
    auth,
    build,
    call,
    fresh,
    raw_request,
    read_response,
    snapshot,
)
from .test_hostile_input import APIS, BAD_REQUEST, TARGETS, TOO_LARGE, refused

# -- duplicate keys -----------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "path", "body", "key"),
    [
        ("shoppex", SHOPPEX_COMPLETE, b'{"note": "a", "note": "b"}', "note"),
        (
            "shoppex",
            "/dev/v1/orders",
            b'{"email": "a@example.com", "items": [{"product_id": "prod_3"}], "email": "b@example.com"}',
            "email",
        ),
        ("shoppex", "/dev/v1/orders/inv_put_1", b'{"referral_code": "creator123", "referral_code": "nope"}', "referral_code"),
        ("shoplazza", f"{SHOPLAZZA_ORDER}/cancel", b'{"reason": "a", "reason": "b"}', "reason"),
        ("shoplazza", SHOPLAZZA_PAY, b'{"gateway": "one", "gateway": "two"}', "gateway"),
    ],
)
def test_duplicate_keys_are_400_naming_the_key(server, api, path, body, key):
    """Last-wins would silently pick one of two values; the client should hear which key it sent twice."""
    method = "PUT" if path.endswith("inv_put_1") else "POST"
    error = refused(server, api, method, path, body, BAD_REQUEST[api])
    assert key in json.dumps(error)


# -- lone UTF-16 surrogates ---------------------------------------------------


@pytest.mark.parametrize(
    ("api", "method", "path", "body"),
    [
        ("shoppex", "POST", "/dev/v1/payments", b'{"title": "\\ud800", "email": "a@example.com", "value": 1, "currency": "USD"}'),
        ("shoppex", "POST", SHOPPEX_COMPLETE, b'{"note": "\\udfff"}'),
        ("shoplazza", "PUT", SHOPLAZZA_ORDER, b'{"order": {"note": "\\ud800x"}}'),
        ("shoplazza", "POST", f"{SHOPLAZZA_ORDER}/cancel", b'{"reason": "\\udc00"}'),
    ],
)
def test_lone_surrogate_escapes_are_400(server, api, method, path, body):
    """A \\ud800 escape is valid JSON syntax but no Unicode text: storing it makes every later read of the record fail."""
    refused(server, api, method, path, body, BAD_REQUEST[api])
    # The journal (which keeps the refused body) still renders.
    assert call(server, "GET", "/__admin/requests?limit=5").status == 200


# -- bodies shorter than their Content-Length ---------------------------------


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("sent", [b"", b"{}", b'{"note": "cut'])
def test_body_cut_short_by_the_client_is_refused_and_changes_nothing(server, api, sent):
    """The client promised 100 bytes, sent fewer and half-closed: the server must not act on a partial request."""
    token = fresh(api)
    before = snapshot(server, token)
    request = build("POST", TARGETS[api]["act"], sent, {**auth(api, token), "Content-Type": "application/json"}, content_length=100)
    with socket.create_connection(address(server), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        response = read_response(sock, "POST")
    assert_error(api, response, 400)
    assert snapshot(server, token) == before
    assert_healthy(server)


@pytest.mark.parametrize("api", APIS)
def test_body_cut_short_by_a_vanished_client_changes_nothing(server, api):
    token = fresh(api)
    before = snapshot(server, token)
    with socket.create_connection(address(server), timeout=10) as sock:
        sock.sendall(build("POST", TARGETS[api]["act"], b"{}", auth(api, token), content_length=100))
        time.sleep(0.2)
    time.sleep(0.5)
    assert snapshot(server, token) == before
    assert_healthy(server)


# -- chunked bodies over the size limit ---------------------------------------


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("target", ["act", "create"])
def test_chunked_body_over_the_size_limit_is_413(small_server, api, target):
    """Without Content-Length the limit must still hold (here: 5 KiB of whitespace around {} on a 4 KiB limit)."""
    token = fresh(api)
    before = snapshot(small_server, token)
    head = build("POST", TARGETS[api][target], None, {**auth(api, token), "Transfer-Encoding": "chunked"})
    chunks = b"".join(b"400\r\n" + b" " * 1024 + b"\r\n" for _ in range(SMALL_BODY_LIMIT // 1024 + 1))
    response = raw_request(small_server, head + chunks + b"2\r\n{}\r\n0\r\n\r\n", method="POST")
    assert_error(api, response, *TOO_LARGE[api])
    assert snapshot(small_server, token) == before
    assert_healthy(small_server)
