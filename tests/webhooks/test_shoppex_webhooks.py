"""Shoppex webhooks delivered for real to a local receiver, verified with an independent signature check."""

import hashlib
import hmac
import json
import socket
import time
from pathlib import Path

import pytest

from mockserver import create_app
from mockserver.config import Settings
from mockserver.labels import namespace_label
from tests.receiver import Receiver, wait_until

AUTH = {"Authorization": "Bearer shx_hooks"}
DOCS = json.loads((Path(__file__).parents[2] / "docs" / "reference" / "shoppex-documented.json").read_text())
PRODUCT_PAYLOAD = DOCS["order_events"]["product_payload"]["product"]


def verify_shoppex(secret: str, headers: dict, raw: bytes) -> None:
    """The documented algorithm, written here independently of the server's signer."""
    delivery, timestamp = headers["X-Shoppex-Delivery"], headers["X-Shoppex-Timestamp"]
    parts = dict(part.split("=", 1) for part in headers["X-Shoppex-Signature-V2"].split(",")[1:])
    assert headers["X-Shoppex-Signature-V2"].startswith("v1,")
    assert parts["t"] == timestamp
    expected_v2 = hmac.new(secret.encode(), f"{delivery}.{timestamp}.".encode() + raw, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["h"], expected_v2)
    assert headers["X-Shoppex-Signature-V2-Algorithm"] == "HMAC-SHA256"
    assert hmac.compare_digest(headers["X-Shoppex-Signature"], hmac.new(secret.encode(), raw, hashlib.sha512).hexdigest())
    assert abs(int(timestamp) - time.time()) < 300


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(webhook_retry_scale=0.001, webhook_timeout=0.5))
    yield app
    app.extensions["mockserver"].deliveries.close()


@pytest.fixture
def client(app):
    return app.test_client()


def subscribe(client, url, events):
    created = client.post("/dev/v1/webhooks", json={"url": url, "events": events}, headers=AUTH)
    assert created.status_code == 201
    hook_id = created.get_json()["data"]["id"]
    return client.get(f"/dev/v1/webhooks/{hook_id}", headers=AUTH).get_json()["data"]


def deliveries(client, **filters):
    return client.get("/__admin/webhooks", query_string=filters).get_json()["deliveries"]


@pytest.mark.parametrize(
    "action, event",
    [
        (("POST", "/dev/v1/orders/inv_complete_1/complete", None), "order:paid"),
        (("PATCH", "/dev/v1/orders/inv_put_1", {"referral_code": "creator123"}), "order:updated"),
        (("POST", "/dev/v1/invoices/22222222-2222-4222-8222-222222222222/void", {}), "order:cancelled"),
        (("POST", "/dev/v1/orders", {"email": "n@example.com", "items": [{"product_id": "prod_3"}]}), "order:created"),
    ],
)
def test_transition_fires_its_event_signed_as_documented(client, receiver, action, event):
    hook = subscribe(client, receiver.url, [event, f"{event}:product"])
    method, path, body = action
    response = client.open(path, method=method, json=body, headers=AUTH)
    assert response.status_code in (200, 201)
    received = receiver.wait_for(2)
    assert {json.loads(r["body"])["event"] for r in received} == {event, f"{event}:product"}
    for request in received:
        headers, raw = request["headers"], request["body"]
        verify_shoppex(hook["secret"], headers, raw)
        payload = json.loads(raw)
        assert set(payload) == {"event", "data", "created_at"}
        assert headers["User-Agent"] == "Shoppex-Webhook/1.0" and headers["X-Shoppex-Event"] == payload["event"]
        order_id = payload["data"]["id"]
        # The :product variant is the same payload plus `products` (the events page's order:paid:product).
        products = payload["data"].pop("products", None)
        assert payload["data"] == client.get(f"/dev/v1/orders/{order_id}", headers=AUTH).get_json()["data"]
        assert (products is not None) == payload["event"].endswith(":product")
        assert products is None or [set(p) for p in products] == [set(PRODUCT_PAYLOAD)] * len(payload["data"]["items"])


def test_unsubscribed_events_and_other_namespaces_are_not_delivered(client, receiver):
    subscribe(client, receiver.url, ["order:cancelled"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    client.post("/dev/v1/orders/inv_complete_1/complete", headers={"Authorization": "Bearer shx_other"})
    # A delivery is logged before it is sent, so an empty log means nothing was or will be sent.
    assert deliveries(client) == []
    assert client.get("/dev/v1/webhooks/logs", headers=AUTH).get_json()["pagination"]["total"] == 0
    # The same subscription does get the event it asked for (the log is not empty by accident).
    client.post("/dev/v1/invoices/22222222-2222-4222-8222-222222222222/void", json={}, headers=AUTH)
    assert [(d["event"], d["namespace"]) for d in deliveries(client)] == [("order:cancelled", namespace_label("shx_hooks"))]
    assert json.loads(receiver.wait_for(1)[0]["body"])["event"] == "order:cancelled"


def test_expiry_fires_order_cancelled():
    app = create_app(Settings(invoice_ttl=60, webhook_retry_scale=0.001))
    client, receiver = app.test_client(), Receiver()
    try:
        app.extensions["mockserver"].clock.freeze(1_800_000_000)
        hook = subscribe(client, receiver.url, ["order:cancelled", "order:cancelled:product"])
        app.extensions["mockserver"].clock.advance(61)
        expired = client.get("/dev/v1/orders/inv_complete_1", headers=AUTH).get_json()["data"]
        assert (expired["status"], expired["status_details"]) == ("VOIDED", "Expired")
        received = receiver.wait_for(2)
        assert sorted(json.loads(r["body"])["event"] for r in received) == ["order:cancelled", "order:cancelled:product"]
        for request in received:
            payload = json.loads(request["body"])
            assert payload["data"]["id"] == "inv_complete_1" and payload["data"]["status"] == "VOIDED"
            assert payload["created_at"] == 1_800_000_061
        # Reading it again fires nothing more: only the request that expired it does.
        client.get("/dev/v1/orders", headers=AUTH)
        expired_events = [d for d in deliveries(client) if d["body"]["data"]["id"] == "inv_complete_1"]
        assert len(expired_events) == 2 and all(d["webhook_id"] == hook["id"] for d in expired_events)
    finally:
        app.extensions["mockserver"].deliveries.close()
        receiver.close()


def test_the_admin_log_filters_by_namespace(client, receiver):
    other = {"Authorization": "Bearer shx_hooks_other"}
    subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/webhooks", json={"url": receiver.url, "events": ["order:paid"]}, headers=other)
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=other)
    assert {d["namespace"] for d in deliveries(client)} == {namespace_label("shx_hooks"), namespace_label("shx_hooks_other")}
    # A namespace is named by its key or its label; the listing shows only labels.
    for name in ("shx_hooks_other", namespace_label("shx_hooks_other")):
        assert [d["namespace"] for d in deliveries(client, namespace=name)] == [namespace_label("shx_hooks_other")]
    unknown = client.get("/__admin/webhooks?namespace=shx_never_used")
    assert unknown.status_code == 404 and "shx_never_used" not in unknown.get_data(as_text=True)
    # Asking never creates it.
    assert namespace_label("shx_never_used") not in client.get("/__admin/namespaces").get_json()["namespaces"]


def test_payment_webhook_is_signed_with_its_own_secret(client, receiver):
    created = client.post(
        "/dev/v1/payments",
        json={"title": "T", "email": "p@example.com", "value": 3, "currency": "USD", "webhook": receiver.url},
        headers=AUTH,
    ).get_json()["data"]
    client.post(f"/dev/v1/payments/{created['uniqid']}/complete", headers=AUTH)
    received = receiver.wait_for(2)
    # Deliveries go out concurrently; like the real platforms, the mock does not promise their order.
    assert sorted(json.loads(r["body"])["event"] for r in received) == ["order:created", "order:paid"]
    for request in received:
        verify_shoppex(created["webhook_secret"], request["headers"], request["body"])


def test_a_500_then_200_is_retried_once_and_both_attempts_are_logged(client):
    receiver = Receiver(answers=[500])
    try:
        subscribe(client, receiver.url, ["order:paid"])
        client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
        receiver.wait_for(2)
        done = wait_until(lambda: [d for d in deliveries(client, api="shoppex") if d["status"] == "succeeded"])
        attempts = done[0]["attempts"]
        assert [a["response"]["status"] for a in attempts] == [500, 200]
        assert all(a["request"]["headers"]["X-Shoppex-Delivery"] == done[0]["id"] for a in attempts)
        logs = client.get("/dev/v1/webhooks/logs", headers=AUTH).get_json()
        assert logs["pagination"] == {"total": 1, "page": 1, "per_page": 50, "limit": 50, "total_pages": 1, "has_more": False}
        assert logs["data"][0]["attempt"] == 2 and logs["data"][0]["status_code"] == 200
        time.sleep(0.3)
        assert len(receiver.received) == 2
    finally:
        receiver.close()


def test_a_hanging_receiver_times_out_and_the_api_stays_fast(client):
    receiver = Receiver(hang=2.0)
    try:
        subscribe(client, receiver.url, ["order:paid"])
        started = time.perf_counter()
        assert client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH).status_code == 200
        assert time.perf_counter() - started < 0.5
        failed = wait_until(lambda: [d for d in deliveries(client) if d["attempts"] and d["attempts"][0]["error"]])
        assert "timed out" in failed[0]["attempts"][0]["error"]
    finally:
        receiver.close()


def test_a_refused_connection_is_logged_and_retried(client):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subscribe(client, f"http://127.0.0.1:{port}/hook", ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    retried = wait_until(lambda: [d for d in deliveries(client) if len(d["attempts"]) >= 2])
    assert all(a["response"]["status"] is None and a["error"] for a in retried[0]["attempts"])


def test_retries_follow_the_frozen_clock(client, app):
    receiver = Receiver(answers=[503])
    try:
        clock = app.extensions["mockserver"].clock
        clock.freeze()
        subscribe(client, receiver.url, ["order:paid"])
        client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
        receiver.wait_for(1)
        time.sleep(0.4)  # the scaled 2-minute retry (0.12 s) is due only in clock time
        assert len(receiver.received) == 1
        clock.advance(1)
        receiver.wait_for(2)
    finally:
        receiver.close()


def test_no_webhooks_logs_without_sending(receiver):
    app = create_app(Settings(webhooks=False))
    client = app.test_client()
    subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    time.sleep(0.3)
    assert receiver.received == []
    assert [d["status"] for d in deliveries(client)] == ["not_sent"]


def test_no_webhooks_redeliver_and_retry_send_nothing_and_record_not_sent(receiver):
    app = create_app(Settings(webhooks=False))
    client = app.test_client()
    subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    (delivery,) = deliveries(client)
    redelivered = client.post(f"/__admin/webhooks/{delivery['id']}/redeliver")
    assert redelivered.get_json() == {"id": delivery["id"], "namespace": namespace_label("shx_hooks"), "status": "not_sent"}
    assert client.post(f"/dev/v1/webhooks/logs/{delivery['id']}/retry", headers=AUTH).status_code == 200
    time.sleep(0.3)
    assert receiver.received == []
    (after,) = deliveries(client)
    assert (after["status"], after["attempts"], after["next_attempt_at"]) == ("not_sent", [], None)


def test_a_retry_goes_to_the_subscriptions_current_url_signed_with_its_current_secret(client, receiver):
    hook = subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    delivery = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])[0]
    moved = Receiver()
    try:
        client.patch(f"/dev/v1/webhooks/{hook['id']}", json={"url": moved.url}, headers=AUTH)
        secret = client.post(f"/dev/v1/webhooks/{hook['id']}/rotate-secret", headers=AUTH).get_json()["data"]["secret"]
        assert client.post(f"/dev/v1/webhooks/logs/{delivery['id']}/retry", headers=AUTH).status_code == 200
        request = moved.wait_for(1)[0]
        verify_shoppex(secret, request["headers"], request["body"])
        assert request["headers"]["X-Shoppex-Delivery"] == delivery["id"]
        done = wait_until(lambda: [d for d in deliveries(client) if len(d["attempts"]) == 2 and d["status"] == "succeeded"])[0]
        assert [a["url"] for a in done["attempts"]] == [receiver.url, moved.url] and done["url"] == moved.url
        assert len(receiver.received) == 1
    finally:
        moved.close()


@pytest.mark.parametrize("change", ["delete", "disable"])
def test_a_delivery_of_a_deleted_or_disabled_subscription_cannot_be_sent_again(client, receiver, change):
    hook = subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    delivery = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])[0]
    if change == "delete":
        client.delete(f"/dev/v1/webhooks/{hook['id']}", headers=AUTH)
    else:
        client.patch(f"/dev/v1/webhooks/{hook['id']}", json={"enabled": False}, headers=AUTH)
    retried = client.post(f"/dev/v1/webhooks/logs/{delivery['id']}/retry", headers=AUTH)
    assert retried.status_code == 422
    error = retried.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "webhook_id" and error["doc_url"]
    redelivered = client.post(f"/__admin/webhooks/{delivery['id']}/redeliver")
    assert redelivered.status_code == 422
    assert redelivered.get_json()["error"]["details"] == [
        {"field": "webhook_id", "message": f"The subscription {'was deleted' if change == 'delete' else 'is disabled'}."}
    ]
    time.sleep(0.2)
    assert len(receiver.received) == 1 and deliveries(client)[0]["attempts"] == delivery["attempts"]


def test_the_shoppex_retry_endpoint_only_retries_shoppex_logs(client, receiver):
    shoplazza = {"access-token": "shx_hooks"}
    client.post("/openapi/2025-06/webhooks", json={"webhook": {"address": receiver.url, "topic": "orders/update"}}, headers=shoplazza)
    client.post("/openapi/2025-06/orders/365154185097449134715/cancel", json={}, headers=shoplazza)
    (delivery,) = deliveries(client, api="shoplazza")
    retried = client.post(f"/dev/v1/webhooks/logs/{delivery['id']}/retry", headers=AUTH)
    assert retried.status_code == 404
    assert client.post(f"/__admin/webhooks/{delivery['id']}/redeliver").status_code == 200


def test_redeliver_and_retry_log_send_again(client, receiver):
    subscribe(client, receiver.url, ["order:paid"])
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)
    receiver.wait_for(1)
    delivery = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])[0]
    assert client.post(f"/__admin/webhooks/{delivery['id']}/redeliver").status_code == 200
    receiver.wait_for(2)
    assert client.post(f"/dev/v1/webhooks/logs/{delivery['id']}/retry", headers=AUTH).status_code == 200
    received = receiver.wait_for(3)
    assert len({r["headers"]["X-Shoppex-Delivery"] for r in received}) == 1


def test_subscriptions_api(client, receiver):
    hook = subscribe(client, receiver.url, ["order:paid"])
    assert client.get("/dev/v1/webhooks", headers=AUTH).get_json()["data"][0]["id"] == hook["id"]
    patched = client.patch(f"/dev/v1/webhooks/{hook['id']}", json={"events": ["order:created"]}, headers=AUTH).get_json()["data"]
    assert patched["events"] == ["order:created"]
    rotated = client.post(f"/dev/v1/webhooks/{hook['id']}/rotate-secret", headers=AUTH).get_json()["data"]
    assert rotated["secret"] != hook["secret"]
    assert client.post(f"/dev/v1/webhooks/{hook['id']}/test", headers=AUTH).status_code == 200
    verify_shoppex(rotated["secret"], receiver.wait_for(1)[0]["headers"], receiver.received[0]["body"])
    assert client.delete(f"/dev/v1/webhooks/{hook['id']}", headers=AUTH).status_code == 204
    assert client.get(f"/dev/v1/webhooks/{hook['id']}", headers=AUTH).get_json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "not a url", "events": ["order:paid"]}, "url"),
        ({"url": "http://127.0.0.1:1/x", "events": []}, "events"),
        ({"url": "http://127.0.0.1:1/x", "events": ["order:exploded"]}, "events.0"),
        ({"url": "http://127.0.0.1:1/x", "events": ["order:paid"] * 13}, "events"),
        ({"events": ["order:paid"]}, "url"),
    ],
)
def test_create_validates_url_and_events(client, body, field):
    response = client.post("/dev/v1/webhooks", json=body, headers=AUTH)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]
