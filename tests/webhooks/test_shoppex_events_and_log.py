"""The documented Shoppex webhook events can be subscribed to, and the delivery log has the documented shape and filters."""

import json
from pathlib import Path

import pytest

from tests.receiver import wait_until
from tests.webhooks.test_shoppex_webhooks import AUTH, subscribe, verify_shoppex

DOCUMENTED = json.loads((Path(__file__).parents[2] / "docs" / "reference" / "shoppex-documented.json").read_text())
EVENTS = DOCUMENTED["webhook_events"]
LOG = DOCUMENTED["webhook_log"]


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def logs(client, **query):
    response = client.get("/dev/v1/webhooks/logs", query_string=query, headers=AUTH)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_there_are_33_documented_events():
    assert len(EVENTS["events"]) == 33 == len(set(EVENTS["events"]))


@pytest.mark.parametrize("event", [*EVENTS["events"], *EVENTS["also_named"]])
def test_every_documented_event_can_be_subscribed_to_and_is_listed(client, event):
    created = client.post("/dev/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": [event]}, headers=AUTH)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert event in client.get("/dev/v1/webhooks/events", headers=AUTH).get_json()["data"]


def test_the_docs_update_example_events_are_accepted(client):
    hook = subscribe(client, "http://127.0.0.1:9/hook", ["order:created"])
    changed = client.patch(f"/dev/v1/webhooks/{hook['id']}", json={"events": ["order:paid", "payment:completed"]}, headers=AUTH)
    assert changed.status_code == 200 and changed.get_json()["data"]["events"] == ["order:paid", "payment:completed"]


def test_an_unknown_event_is_refused_naming_the_field(client):
    refused = client.post("/dev/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["order:nope"]}, headers=AUTH)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"][0]["field"].startswith("events")


def test_a_completed_payment_fires_payment_completed_signed(client, receiver):
    hook = subscribe(client, receiver.url, ["payment:completed"])
    body = {"title": "T", "email": "p@example.com", "value": 3, "currency": "USD"}
    payment = client.post("/dev/v1/payments", json=body, headers=AUTH).get_json()["data"]
    client.post(f"/dev/v1/payments/{payment['uniqid']}/complete", headers=AUTH)
    [request] = receiver.wait_for(1)
    verify_shoppex(hook["secret"], request["headers"], request["body"])
    payload = json.loads(request["body"])
    assert payload["event"] == "payment:completed" and payload["data"]["uniqid"] == payment["uniqid"]


def test_the_log_has_the_documented_fields_and_types(client, receiver):
    hook = subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    receiver.wait_for(1)
    entry = wait_until(lambda: [e for e in logs(client)["data"] if e["status"] == "success"])[0]
    assert set(entry) == set(LOG["example"])
    for field, documented in LOG["example"].items():
        if documented is not None:
            assert isinstance(entry[field], type(documented)), field
    assert entry["webhook_uniqid"] == hook["id"] and entry["event_type"] == "order:paid" and entry["status_code"] == 200
    assert entry["attempt"] == 1 and entry["payload"]["event"] == "order:paid" and entry["delivered_at"] >= entry["created_at"]
    pagination = logs(client)["pagination"]
    assert set(LOG["pagination"]) | set(LOG["pagination_reference_page"]["fields"]) == set(pagination)
    assert pagination["per_page"] == LOG["query"]["per_page"]["default"]


def test_the_log_filters_by_status_event_type_and_webhook(client, receiver):
    paid = subscribe(client, receiver.url, ["order:paid"])
    broken = subscribe(client, "http://127.0.0.1:9/hook", ["order:cancelled"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    client.post("/dev/v1/invoices/22222222-2222-4222-8222-222222222222/void", json={}, headers=AUTH)
    wait_until(lambda: logs(client, status="success")["data"])
    assert [e["event_type"] for e in logs(client, status="success")["data"]] == ["order:paid"]
    assert [e["webhook_uniqid"] for e in logs(client, event_type="order:cancelled")["data"]] == [broken["id"]]
    assert [e["event_type"] for e in logs(client, webhook_uniqid=paid["id"])["data"]] == ["order:paid"]
    assert {e["status"] for e in logs(client)["data"]} <= set(LOG["query"]["status"])


def test_per_page_and_limit_size_the_page(client):
    hook = subscribe(client, "http://127.0.0.1:9/hook", ["order:paid"])
    for _ in range(3):
        client.post(f"/dev/v1/webhooks/{hook['id']}/test", headers=AUTH)
    first, second = logs(client, per_page=2), logs(client, per_page=2, page=2)
    assert (len(first["data"]), len(second["data"])) == (2, 1)
    assert first["pagination"]["has_more"] is True and second["pagination"]["has_more"] is False
    assert len(logs(client, limit=1)["data"]) == 1


@pytest.mark.parametrize(
    "query, field",
    [
        ({"status": "retrying"}, "status"),
        ({"per_page": 101}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"event_type": "order:nope"}, "event_type"),
        ({"per_page": 2, "limit": 3}, "per_page"),
    ],
)
def test_bad_log_parameters_are_refused_naming_them(client, query, field):
    refused = client.get("/dev/v1/webhooks/logs", query_string=query, headers=AUTH)
    assert refused.status_code == 422
    assert field in [d["field"] for d in refused.get_json()["error"]["details"]]


def test_a_test_delivery_sends_the_event_asked_for(client):
    hook = subscribe(client, "http://127.0.0.1:9/hook", ["order:paid"])
    sent = client.post(f"/dev/v1/webhooks/{hook['id']}/test", json={"event": "product:created"}, headers=AUTH)
    assert sent.status_code == 200
    assert [e["event_type"] for e in logs(client)["data"]] == ["product:created"]
    refused = client.post(f"/dev/v1/webhooks/{hook['id']}/test", json={"event": "order:nope"}, headers=AUTH)
    assert refused.status_code == 422 and refused.get_json()["error"]["details"][0]["field"] == "event"
    assert logs(client)["pagination"]["total"] == 1
