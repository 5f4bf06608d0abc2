"""Shoppex product events: the catalogue's creates, updates and serial pools fire them, signed, to real receivers."""

import json

import pytest

from mockserver.config import bundled_fixtures_dir
from mockserver.shoppex.webhooks import PRODUCT_EVENTS
from tests.webhooks.test_shoppex_webhooks import AUTH, deliveries, subscribe, verify_shoppex

PRO = json.loads((bundled_fixtures_dir() / "shoppex" / "products" / "invoices-get.prod_2.json").read_text())
GOLD = PRO["variants"][1]
NEW_PRODUCT = {"title": "Keys", "price": 3, "type": "SERIALS"}


def product_of(client, product_id):
    """The product as GET /products/{id} shows it."""
    return client.get(f"/dev/v1/products/{product_id}", headers=AUTH).get_json()["data"]


@pytest.mark.parametrize(
    "method, path, body, fired",
    [
        ("POST", "/dev/v1/products", NEW_PRODUCT, {"product:created"}),
        ("POST", "/dev/v1/products", {**NEW_PRODUCT, "serials": "K1\nK2"}, {"product:created"}),
        ("PATCH", "/dev/v1/products/prod_1", {"title": "Renamed"}, {"product:edited"}),
        ("PATCH", "/dev/v1/products/prod_1", {"stock": 7}, {"product:edited", "product:stock"}),
        ("PATCH", "/dev/v1/products/prod_1", {"serials": ["S1", "S2"]}, {"product:edited", "product:stock"}),
        ("POST", "/dev/v1/products/prod_1/serials", {"serials": "S1\nS2"}, {"product:stock"}),
        ("POST", f"/dev/v1/products/{PRO['id']}/variants/{GOLD['id']}/serials", {"serials": ["G1"]}, {"product:stock"}),
    ],
)
def test_a_catalogue_change_fires_its_product_events_signed(client, receiver, method, path, body, fired):
    hook = subscribe(client, receiver.url, list(PRODUCT_EVENTS))
    response = client.open(path, method=method, json=body, headers=AUTH)
    assert response.status_code in (200, 201)
    received = receiver.wait_for(len(fired))
    assert {json.loads(r["body"])["event"] for r in received} == fired
    for request in received:
        verify_shoppex(hook["secret"], request["headers"], request["body"])
        payload = json.loads(request["body"])
        assert set(payload) == {"event", "data", "created_at"} and request["headers"]["X-Shoppex-Event"] == payload["event"]
        # `data` is the product as the API shows it after the change.
        assert payload["data"] == product_of(client, payload["data"]["id"])
    logged = client.get("/dev/v1/webhooks/logs", headers=AUTH).get_json()["data"]
    assert {entry["event_type"] for entry in logged} == fired and {entry["webhook_uniqid"] for entry in logged} == {hook["id"]}


def test_a_claim_fires_product_stock_with_the_stock_left(client, receiver):
    client.post("/dev/v1/products/prod_1/serials", json={"serials": "C1\nC2\nC3"}, headers=AUTH)
    subscribe(client, receiver.url, ["product:stock"])
    assert client.post("/dev/v1/products/prod_1/serials/claim", json={"amount": 2}, headers=AUTH).status_code == 200
    payload = json.loads(receiver.wait_for(1)[0]["body"])
    assert payload["event"] == "product:stock" and payload["data"] == product_of(client, "prod_1")
    assert payload["data"]["stock"] == 1


def test_only_subscribed_product_events_are_delivered(client, receiver):
    subscribe(client, receiver.url, ["product:stock"])
    client.patch("/dev/v1/products/prod_1", json={"title": "Renamed"}, headers=AUTH)
    client.post("/dev/v1/products", json=NEW_PRODUCT, headers=AUTH)
    # An edit that leaves the stock as it was is no stock event.
    client.patch("/dev/v1/products/prod_1", json={"stock": product_of(client, "prod_1")["stock"]}, headers=AUTH)
    assert deliveries(client) == []
    client.patch("/dev/v1/products/prod_1", json={"stock": 3}, headers=AUTH)
    assert [d["event"] for d in deliveries(client)] == ["product:stock"]


def test_an_upload_that_adds_nothing_is_no_stock_event(client):
    path = "/dev/v1/products/prod_1/serials"
    client.post(path, json={"serials": "D1"}, headers=AUTH)
    subscribe(client, "http://127.0.0.1:9/hook", ["product:stock"])
    added = client.post(path, json={"serials": "D1", "remove_duplicates": True}, headers=AUTH).get_json()["data"]
    assert added == {"added_count": 0} and deliveries(client) == []
    client.post(path, json={"serials": "D2", "remove_duplicates": True}, headers=AUTH)
    assert [d["body"]["data"]["stock"] for d in deliveries(client)] == [2]


@pytest.mark.parametrize(
    "method, path, body, status",
    [
        ("POST", "/dev/v1/products", {"price": 3}, 422),
        ("PATCH", "/dev/v1/products/prod_1", {"price": "free"}, 422),
        ("PATCH", "/dev/v1/products/prod_missing", {"title": "X"}, 404),
        ("POST", "/dev/v1/products/prod_1/serials", {"serials": ""}, 422),
        ("POST", "/dev/v1/products/prod_1/serials/claim", {"amount": 501}, 422),
        ("POST", f"/dev/v1/products/{PRO['id']}/variants/var_missing/serials", {"serials": "X"}, 404),
        # Deleting is no documented product event (docs/shoppex-catalog.md): it delivers nothing.
        ("DELETE", "/dev/v1/products/prod_1", None, 204),
    ],
)
def test_a_refused_write_or_a_delete_delivers_nothing(client, method, path, body, status):
    subscribe(client, "http://127.0.0.1:9/hook", list(PRODUCT_EVENTS))
    assert client.open(path, method=method, json=body, headers=AUTH).status_code == status
    assert deliveries(client) == []
    assert client.get("/dev/v1/webhooks/logs", headers=AUTH).get_json()["pagination"]["total"] == 0
