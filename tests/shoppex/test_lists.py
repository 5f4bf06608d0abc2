"""Cursor-paginated lists: limits, order, filters, and stability while records are added."""

import base64

import pytest

from mockserver.shoppex.models import INVOICES

AUTH = {"Authorization": "Bearer shx_test_key"}


def add_orders(runtime, count, start=1_000, email="list@example.com", status="COMPLETED"):
    for i in range(count):
        runtime.store.insert(
            "shx_test_key",
            INVOICES,
            {"id": f"inv_list_{start + i}", "uniqid": f"u-{start + i}", "customer_email": email, "status": status, "created_at": start + i},
        )


def walk(client, path, **params):
    ids, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        body = client.get(path, query_string=query, headers=AUTH).get_json()
        ids += [item["id"] for item in body["data"]]
        if not body["pagination"]["has_more"]:
            assert body["pagination"]["next_cursor"] is None
            return ids
        cursor = body["pagination"]["next_cursor"]


@pytest.mark.parametrize("path", ["/dev/v1/orders", "/dev/v1/invoices"])
def test_default_limit_is_50_and_pages_walk_everything_newest_first(client, runtime, path):
    add_orders(runtime, 120)
    first = client.get(path, headers=AUTH).get_json()
    assert len(first["data"]) == 50 and first["pagination"]["has_more"] is True
    ids = walk(client, path, limit=7)
    everything = runtime.store.all("shx_test_key", INVOICES)
    assert len(ids) == len(set(ids)) == len(everything)
    created = {d["id"]: d.get("created_at", 0) for d in everything}
    assert [created[i] for i in ids] == sorted(created.values(), reverse=True)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
def test_limit_out_of_range_is_422_naming_limit(client, limit):
    response = client.get("/dev/v1/orders", query_string={"limit": limit}, headers=AUTH)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "limit"


def cursor_of(text):
    """A cursor in the API's encoding (unpadded urlsafe base64 of JSON) holding `text`."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


LIST_PATHS = ["/dev/v1/orders", "/dev/v1/invoices", "/dev/v1/payments", "/dev/v1/products", "/dev/v1/coupons"]
BAD_CURSORS = {
    "not-base64-json": "not-ours",
    "overflowing-number": cursor_of('[1e400,"x"]'),
    "nan": cursor_of('[NaN,"x"]'),
    "infinity": cursor_of('[-Infinity,"x"]'),
    "fraction": cursor_of('[1.5,"x"]'),
    "boolean": cursor_of('[true,"x"]'),
    "string-time": cursor_of('["1","x"]'),
    "numeric-id": cursor_of("[1,2]"),
    "null-id": cursor_of("[1,null]"),
    "too-short": cursor_of("[1]"),
    "too-long": cursor_of('[1,"x",3]'),
    "object": cursor_of('{"created_at":1,"id":"x"}'),
    "deeply-nested": cursor_of("[" * 100_000 + "]" * 100_000),
    "huge-digits": cursor_of(f'[{"9" * 5000},"x"]'),
    "not-utf8": base64.urlsafe_b64encode(b'[1,"\xff"]').decode(),
}


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
def test_bad_cursor_is_422_naming_cursor(client, path, cursor):
    response = client.get(path, query_string={"cursor": cursor}, headers=AUTH)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in error["details"]] == ["cursor"]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_a_returned_cursor_is_accepted_on_every_list(client, runtime, path):
    add_orders(runtime, 3)
    client.post("/dev/v1/payments", json={"title": "T", "email": "p@example.com", "value": 1, "currency": "USD"}, headers=AUTH)
    client.post("/dev/v1/payments", json={"title": "T", "email": "p@example.com", "value": 2, "currency": "USD"}, headers=AUTH)
    first = client.get(path, query_string={"limit": 1}, headers=AUTH).get_json()
    assert first["pagination"]["has_more"] is True
    second = client.get(path, query_string={"limit": 1, "cursor": first["pagination"]["next_cursor"]}, headers=AUTH)
    assert second.status_code == 200 and second.get_json()["data"] != first["data"]


def test_pages_are_stable_while_records_are_added(client, runtime):
    add_orders(runtime, 30)
    first = client.get("/dev/v1/orders", query_string={"limit": 10}, headers=AUTH).get_json()
    add_orders(runtime, 5, start=5_000)  # newer than everything: must not shift later pages
    rest = walk(client, "/dev/v1/orders", limit=10, cursor=first["pagination"]["next_cursor"])
    seen = [d["id"] for d in first["data"]] + rest
    assert len(seen) == len(set(seen))
    assert not {f"inv_list_{5_000 + i}" for i in range(5)} & set(seen)


def test_filters_by_status_and_customer_email(client, runtime):
    add_orders(runtime, 3, email="Filter@Example.com", status="VOIDED")
    add_orders(runtime, 2, start=2_000, email="other@example.com", status="VOIDED")
    by_email = client.get("/dev/v1/orders", query_string={"customerEmail": "filter@example.com"}, headers=AUTH).get_json()["data"]
    assert {d["id"] for d in by_email} == {f"inv_list_{1_000 + i}" for i in range(3)}
    by_status = client.get("/dev/v1/orders", query_string={"status": "VOIDED", "limit": 100}, headers=AUTH).get_json()["data"]
    assert len(by_status) == 5 and all(d["status"] == "VOIDED" for d in by_status)


def test_payments_list_only_payments(client):
    client.post("/dev/v1/payments", json={"title": "Top-up", "email": "p@example.com", "value": 5, "currency": "USD"}, headers=AUTH)
    body = client.get("/dev/v1/payments", headers=AUTH).get_json()
    assert len(body["data"]) == 1 and body["data"][0]["total"] == 5


@pytest.mark.parametrize("path", ["/dev/v1/orders", "/dev/v1/invoices", "/dev/v1/payments"])
@pytest.mark.parametrize("parameter", ["filters", "sorts"])
def test_filters_and_sorts_are_refused_naming_them_not_ignored(client, path, parameter):
    refused = client.get(path, query_string={parameter: "status:COMPLETED"}, headers=AUTH)
    assert refused.status_code == 422
    assert [d["field"] for d in refused.get_json()["error"]["details"]] == [parameter]
