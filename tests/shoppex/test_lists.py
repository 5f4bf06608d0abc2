"""Cursor-paginated lists: limits, order, filters, and stability while records are added."""

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


def test_bad_cursor_is_422_naming_cursor(client):
    response = client.get("/dev/v1/orders", query_string={"cursor": "not-ours"}, headers=AUTH)
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "cursor"


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
