"""What every response looks like on the wire: envelopes, status codes, request ids, no HTML."""

import json

import pytest

from mockserver.config import Settings
from mockserver.shoppex.models import INVOICES

GET_ORDER = "/dev/v1/orders/ord_123"
COMPLETE = "/dev/v1/orders/inv_complete_1/complete"


def assert_shoppex_error(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["doc_url"] == f"https://docs.shoppex.io/api/errors#{code}"
    assert error["message"]
    assert isinstance(error["details"], list)
    return error


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "shx_key_without_scheme"])
def test_missing_or_malformed_authorization_is_401(client, header):
    headers = {"Authorization": header} if header is not None else {}
    assert_shoppex_error(client.get(GET_ORDER, headers=headers), 401, "UNAUTHORIZED")


def test_any_bearer_key_is_accepted_by_default(client):
    assert client.get(GET_ORDER, headers={"Authorization": "Bearer whatever"}).status_code == 200


def test_api_keys_restrict_access(storage):
    from mockserver import create_app

    app = create_app(Settings(db=storage, api_keys=("shx_allowed",)))
    client = app.test_client()
    assert client.get(GET_ORDER, headers={"Authorization": "Bearer shx_allowed"}).status_code == 200
    assert_shoppex_error(client.get(GET_ORDER, headers={"Authorization": "Bearer shx_other"}), 401, "UNAUTHORIZED")


@pytest.mark.parametrize(
    "body, status, code",
    [
        (b"{not json", 400, "BAD_REQUEST"),
        (b'{"note": "\xff\xfe"}', 400, "BAD_REQUEST"),
        (b'{"note": NaN}', 400, "BAD_REQUEST"),
        (b"[1, 2]", 422, "VALIDATION_ERROR"),
        (b'"just a string"', 422, "VALIDATION_ERROR"),
    ],
)
def test_bad_bodies_get_the_envelope_and_change_nothing(client, runtime, auth, body, status, code):
    before = runtime.store.get("shx_test_key", INVOICES, "inv_complete_1")
    response = client.post(COMPLETE, data=body, headers={**auth, "Content-Type": "application/json"})
    assert_shoppex_error(response, status, code)
    assert runtime.store.get("shx_test_key", INVOICES, "inv_complete_1") == before


def test_body_over_the_limit_is_413(storage):
    from mockserver import create_app

    app = create_app(Settings(db=storage, max_body_bytes=1024))
    response = app.test_client().post(
        COMPLETE, data=b'{"note": "' + b"x" * 2048 + b'"}', headers={"Authorization": "Bearer k", "Content-Type": "application/json"}
    )
    assert_shoppex_error(response, 413, "PAYLOAD_TOO_LARGE")


def test_empty_body_is_an_empty_object(client, auth):
    assert client.post(COMPLETE, headers=auth).status_code == 200


def test_unknown_path_is_json_404(client, auth):
    assert_shoppex_error(client.get("/dev/v1/nothing-here", headers=auth), 404, "NOT_FOUND")
    assert_shoppex_error(client.get("/nothing-here", headers=auth), 404, "NOT_FOUND")


def test_wrong_method_is_json_405_with_allow(client, auth):
    response = client.delete(GET_ORDER, headers=auth)
    assert_shoppex_error(response, 405, "METHOD_NOT_ALLOWED")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH", "PUT"}


@pytest.mark.parametrize(
    "method, path, headers",
    [
        ("GET", GET_ORDER, {"Authorization": "Bearer k"}),
        ("GET", GET_ORDER, {}),
        ("GET", "/nowhere", {}),
        ("POST", COMPLETE, {"Authorization": "Bearer k"}),
        ("GET", "/__admin/health", {}),
    ],
)
def test_every_response_has_a_request_id(client, method, path, headers):
    response = client.open(path, method=method, headers=headers)
    assert response.headers["x-request-id"].startswith("req_")


def test_request_ids_are_unique_and_a_callers_id_is_echoed(client, auth):
    ids = {client.get(GET_ORDER, headers=auth).headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5
    echoed = client.get(GET_ORDER, headers={**auth, "X-Request-Id": "trace-42"})
    assert echoed.headers["x-request-id"] == "trace-42"


def test_a_bug_in_a_view_is_a_json_500_not_html(app, client, auth, monkeypatch):
    from mockserver.shoppex import models

    def explode(self, order_id):
        raise RuntimeError("boom")

    monkeypatch.setattr(models.ShoppexBackend, "get_order", explode)
    assert_shoppex_error(client.get(GET_ORDER, headers=auth), 500, "INTERNAL_ERROR")


def test_health(client):
    response = client.get("/__admin/health")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


SESSION = {"product": {"name": "Credits", "quantity": 1}, "amount": 9.99, "currency": "USD", "customer_email": "a@example.com"}


@pytest.mark.parametrize("number", ["1e400", "-1e999"])
def test_a_number_that_overflows_to_infinity_is_refused_even_in_free_form_fields(client, runtime, auth, number):
    # metadata is free-form: without the check, infinity would be stored and sent back as Infinity, which is not JSON.
    body = json.dumps({**SESSION, "metadata": {"tiers": [1, "__N__"]}}).replace('"__N__"', number)
    before = runtime.store.export("shx_test_key")
    response = client.post("/dev/v1/checkout/sessions", data=body, headers={**auth, "Content-Type": "application/json"})
    error = assert_shoppex_error(response, 422, "VALIDATION_ERROR")
    assert error["details"] == [{"field": "metadata.tiers.1", "message": "Number is out of range."}]
    assert runtime.store.export("shx_test_key") == before


def test_a_shoplazza_overflowing_number_names_its_field(client):
    response = client.post("/openapi/2025-06/orders", data=b'{"order": {"note": 1e400}}', headers={"access-token": "t"})
    assert response.status_code == 400
    assert response.get_json() == {"code": "InvalidParameter", "message": "order.note: Number is out of range"}
