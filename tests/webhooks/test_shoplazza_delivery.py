"""Shoplazza deliveries to receivers that hang or refuse connections, and redelivery after a subscription changed."""

import base64
import hashlib
import hmac
import json
import socket
import time

import pytest

from mockserver import create_app
from mockserver.config import Settings
from tests.receiver import Receiver, wait_until

TOKEN = {"access-token": "shx_lz_hooks"}
SECRET = "delivery-test-secret"
ORDER = "/openapi/2025-06/orders/365154185097449134715"


@pytest.fixture
def app():
    app = create_app(Settings(webhook_retry_scale=0.001, webhook_timeout=0.5, shoplazza_app_secret=SECRET))
    yield app
    app.extensions["mockserver"].deliveries.close()


@pytest.fixture
def client(app):
    return app.test_client()


def subscribe(client, address, topic="orders/update"):
    created = client.post("/openapi/2025-06/webhooks", json={"webhook": {"address": address, "topic": topic}}, headers=TOKEN)
    assert created.status_code == 200, created.get_json()
    return created.get_json()["data"]["webhook"]


def deliveries(client):
    return client.get("/__admin/webhooks", query_string={"api": "shoplazza"}).get_json()["deliveries"]


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


def signed_by_the_app_secret(request) -> bool:
    expected = base64.b64encode(hmac.new(SECRET.encode(), request["body"], hashlib.sha256).digest()).decode()
    return hmac.compare_digest(request["headers"]["X-Shoplazza-Hmac-Sha256"], expected)


def test_a_hanging_receiver_times_out_is_retried_and_the_api_stays_fast(client):
    receiver = Receiver(hang=2.0)
    try:
        subscribe(client, receiver.url)
        started = time.perf_counter()
        response = client.post(f"{ORDER}/cancel", json={}, headers=TOKEN)
        assert response.status_code == 200 and time.perf_counter() - started < 0.5
        timed_out = wait_until(lambda: [d for d in deliveries(client) if len(d["attempts"]) >= 2])[0]
        first = timed_out["attempts"][0]
        assert "timed out" in first["error"] and first["response"]["status"] is None
        assert first["duration_ms"] < 1500  # the 0.5 s timeout, not the receiver's 2 s
        assert timed_out["event"] == "orders/update" and signed_by_the_app_secret(receiver.received[0])
    finally:
        receiver.close()


def test_a_refused_connection_is_logged_and_retried_on_the_shoplazza_schedule(client, app):
    clock = app.extensions["mockserver"].clock
    clock.freeze(1_800_000_000)
    subscribe(client, refused_url())
    client.post(f"{ORDER}/cancel", json={}, headers=TOKEN)
    first = wait_until(lambda: [d for d in deliveries(client) if d["attempts"]])[0]
    assert first["status"] == "retrying" and first["attempts"][0]["error"]
    # The first Shoplazza retry is 10 s later (x 0.001): due in clock time, so it waits for the frozen clock.
    assert first["next_attempt_at"] == 1_800_000_000
    time.sleep(0.2)
    assert len(deliveries(client)[0]["attempts"]) == 1
    clock.advance(1)
    retried = wait_until(lambda: [d for d in deliveries(client) if len(d["attempts"]) >= 2])[0]
    assert all(a["response"]["status"] is None and a["error"] for a in retried["attempts"])


def test_redelivery_goes_to_the_subscriptions_current_address_and_not_after_it_is_deleted(client):
    old, new = Receiver(), Receiver()
    try:
        hook = subscribe(client, old.url)
        client.post(f"{ORDER}/cancel", json={}, headers=TOKEN)
        delivery = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])[0]
        client.put(f"/openapi/2025-06/webhooks/{hook['id']}", json={"webhook": {"address": new.url}}, headers=TOKEN)
        assert client.post(f"/__admin/webhooks/{delivery['id']}/redeliver").status_code == 200
        request = new.wait_for(1)[0]
        assert signed_by_the_app_secret(request)
        assert json.loads(request["body"])["id"] == "365154185097449134715"
        assert request["headers"]["X-Shoplazza-Deduplication-Id"] == old.received[0]["headers"]["X-Shoplazza-Deduplication-Id"]
        client.delete(f"/openapi/2025-06/webhooks/{hook['id']}", headers=TOKEN)
        refused = client.post(f"/__admin/webhooks/{delivery['id']}/redeliver")
        assert refused.status_code == 422 and refused.get_json()["error"]["details"][0]["field"] == "webhook_id"
        assert (len(old.received), len(new.received)) == (1, 1)
    finally:
        old.close()
        new.close()
