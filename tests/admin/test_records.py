"""Records loaded at run time (POST /__admin/fixtures, PUT /__admin/snapshot) pass their kind's check first."""

import copy
import json
from pathlib import Path

import pytest

from mockserver import create_app
from mockserver.config import Settings
from tests.receiver import Receiver, wait_until

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

ROOT = Path(__file__).resolve().parents[2]
A = {"Authorization": "Bearer shx_a"}
LZ = {"access-token": "shx_a"}
INVOICE = json.loads((ROOT / "fixtures/shoppex/invoices/orders-complete.inv_complete_1.json").read_text())
LZ_ORDER = json.loads((ROOT / "fixtures/shoplazza/orders/payment-success.365154185097449134715.json").read_text())


def refused(response, *fields):
    """A 422 in the admin envelope whose details name each of `fields` (kind, index and field)."""
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and "nothing was loaded" in error["message"]
    named = [detail["field"] for detail in error["details"]]
    for field in fields:
        assert field in named, (field, named)
    return error


def snapshot(client, namespace="shx_a"):
    return client.get(f"/__admin/snapshot?namespace={namespace}").get_json()


@pytest.mark.parametrize(
    "kind, record, field",
    [
        ("webhooks.deliveries", {"id": "a"}, "records.webhooks.deliveries.0.body"),
        ("shoppex.webhooks", {"id": "h1"}, "records.shoppex.webhooks.0.events"),
        ("shoplazza.orders", {"id": "1"}, "records.shoplazza.orders.0.status"),
        ("shoppex.invoices", {**INVOICE, "id": "inv_x", "uniqid": "u-x", "created_at": "x"}, "records.shoppex.invoices.0.created_at"),
        ("shoplazza.orders", {**LZ_ORDER, "total_price": 5}, "records.shoplazza.orders.0.total_price"),
        ("shoppex.invoices", {**INVOICE, "id": "inv_x", "uniqid": "u-x", "total": "19.99"}, "records.shoppex.invoices.0.total"),
    ],
)
@pytest.mark.parametrize("how", ["fixtures", "snapshot"])
def test_records_the_server_cannot_serve_are_refused_and_nothing_is_loaded(client, kind, record, field, how):
    before = snapshot(client)
    good = {**INVOICE, "id": "inv_good", "uniqid": "u-good"}
    records = {"shoppex.invoices": [good], kind: [record]} if kind != "shoppex.invoices" else {kind: [good, record]}
    if how == "fixtures":
        response = client.post("/__admin/fixtures?namespace=shx_a", json={"records": records})
    else:
        response = client.put("/__admin/snapshot?namespace=shx_a", json={"records": records})
    index = "1" if kind == "shoppex.invoices" else "0"
    refused(response, field.replace(".0.", f".{index}."))
    assert snapshot(client) == before


def test_what_used_to_answer_500_after_a_bad_load_now_cannot_be_loaded(client):
    # Each of these loads once made a later request answer 500 (KeyError or ValueError in the server).
    refused(client.put("/__admin/snapshot?namespace=shx_a", json={"records": {"webhooks.deliveries": [{"id": "a"}]}}))
    assert client.get("/__admin/webhooks").status_code == 200
    refused(client.post("/__admin/fixtures?namespace=shx_a", json={"records": {"shoppex.webhooks": [{"id": "h1"}]}}))
    assert client.post("/dev/v1/orders/inv_complete_1/complete", headers=A).status_code == 200
    refused(client.post("/__admin/fixtures?namespace=shx_a", json={"records": {"shoplazza.orders": [{"id": "1"}]}}))
    assert client.post("/openapi/2025-06/orders/1/payment/success", json={}, headers=LZ).status_code == 404
    bad_time = {**INVOICE, "id": "inv_t", "uniqid": "u-t", "created_at": "x"}
    refused(client.post("/__admin/fixtures?namespace=shx_a", json={"records": {"shoppex.invoices": [bad_time]}}))
    assert client.get("/dev/v1/invoices/u-t", headers=A).status_code == 404


def test_unknown_kinds_and_duplicate_ids_are_refused(client):
    response = client.post("/__admin/fixtures?namespace=shx_a", json={"records": {"foo.bar": [{"id": "x"}]}})
    assert response.status_code == 422 and "foo.bar" in json.dumps(response.get_json()["error"]["details"])
    twice = {"shoppex.invoices": [{**INVOICE, "id": "inv_d", "uniqid": "u-1"}, {**INVOICE, "id": "inv_d", "uniqid": "u-2"}]}
    error = refused(client.post("/__admin/fixtures?namespace=shx_a", json={"records": twice}), "records.shoppex.invoices.1.id")
    assert "already used by record 0" in error["details"][0]["message"]
    same_uniqid = {"shoppex.invoices": [{**INVOICE, "id": "inv_1"}, {**INVOICE, "id": "inv_2"}]}
    refused(client.put("/__admin/snapshot?namespace=shx_a", json={"records": same_uniqid}), "records.shoppex.invoices.1.uniqid")
    # A run-time load is added to what is stored: a uniqid (or order number) of another stored record is refused.
    steal = {"shoppex.invoices": [{**INVOICE, "id": "inv_new"}]}
    error = refused(client.post("/__admin/fixtures?namespace=shx_a", json={"records": steal}), "records.shoppex.invoices.0.uniqid")
    assert "inv_complete_1" in error["details"][0]["message"]
    number = {"shoplazza.orders": [{**LZ_ORDER, "id": "2"}]}
    refused(client.post("/__admin/fixtures?namespace=shx_a", json={"records": number}), "records.shoplazza.orders.0.number")
    # Replacing a record by its id keeps working.
    renamed = {"shoppex.invoices": [{**INVOICE, "customer_email": "new@example.com"}]}
    assert client.post("/__admin/fixtures?namespace=shx_a", json={"records": renamed}).status_code == 200
    assert client.get("/dev/v1/orders/inv_complete_1", headers=A).get_json()["data"]["customer_email"] == "new@example.com"


def test_minimal_records_of_each_kind_are_served_without_error(client):
    invoice = {"id": "inv_min", "uniqid": "u-min", "status": "PENDING", "created_at": 1711956000}
    order = {k: LZ_ORDER[k] for k in ("currency", "total_price", "created_at", "updated_at", "shipping_line", "primary_market_price")}
    order.update(id="9", number="9009", status="opened", financial_status="waiting", fulfillment_status="initialled", line_items=[])
    hook = {"id": "h1", "url": "http://127.0.0.1:9/hook", "events": ["order:paid"], "type": "paylix", "secret": "s", "enabled": True}
    hook.update(created_at=1, updated_at=1)
    records = {"shoppex.invoices": [invoice], "shoplazza.orders": [order], "shoppex.webhooks": [hook]}
    assert client.post("/__admin/fixtures?namespace=shx_a", json={"records": records}).get_json()["loaded"] == 3
    for method, path, headers in [
        ("GET", "/dev/v1/invoices/u-min", A),
        ("GET", "/dev/v1/orders", A),
        ("POST", "/dev/v1/orders/inv_min/complete", A),
        ("POST", "/dev/v1/orders/inv_min/refund", A),
        ("GET", "/dev/v1/webhooks", A),
        ("POST", "/dev/v1/webhooks/h1/test", A),
        ("GET", "/openapi/2025-06/orders?sort_by=placed_at", LZ),
        ("PUT", "/openapi/2025-06/orders/9", LZ),
        ("POST", "/openapi/2025-06/orders/9/payment/success", LZ),
        ("POST", "/openapi/2025-06/orders/9/cancel", LZ),
        ("GET", "/__admin/webhooks", {}),
    ]:
        body = {"order": {"shipping_line": {"shipping_name": "x", "shipping_price": "1.00"}}} if method == "PUT" else {}
        response = client.open(path, method=method, json=body, headers=headers)
        assert response.status_code < 500, (method, path, response.get_json())


def test_a_snapshot_of_a_busy_namespace_passes_the_check_and_round_trips(tmp_path):
    receiver = Receiver(answers=[500])
    app = create_app(Settings(webhook_retry_scale=0.0001, webhook_timeout=2))
    client = app.test_client()
    try:
        client.post("/dev/v1/webhooks", json={"url": receiver.url, "events": ["order:paid", "order:created"]}, headers=A)
        client.post("/openapi/2025-06/webhooks", json={"webhook": {"address": receiver.url, "topic": "orders/update"}}, headers=LZ)
        client.post("/dev/v1/orders/ord_123/complete", headers={**A, "Idempotency-Key": "k1"})
        client.post("/dev/v1/orders/ord_123/refund", json={"amount": "1.00"}, headers=A)
        client.post("/dev/v1/payments", json={"title": "T", "email": "p@example.com", "value": 3, "currency": "USD"}, headers=A)
        client.post("/openapi/2025-06/orders/365154185097449134715/payment/success", json={}, headers=LZ)
        wait_until(lambda: all(d["status"] == "succeeded" for d in client.get("/__admin/webhooks").get_json()["deliveries"]))
        records = snapshot(client)["records"]
        assert {"webhooks.deliveries", "shoppex.idempotency_keys", "shoppex.refunds", "shoplazza.transactions"} <= set(records)
        restored = client.put("/__admin/snapshot?namespace=shx_copy", json={"records": copy.deepcopy(records)})
        assert restored.status_code == 200, restored.get_json()
        assert snapshot(client, "shx_copy")["records"] == records
    finally:
        app.extensions["mockserver"].deliveries.close()
        receiver.close()
