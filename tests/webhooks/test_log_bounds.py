"""The delivery log stays bounded: one body per delivery, capped response bodies, a capped number of deliveries."""

from __future__ import annotations

import gc
import logging
import tracemalloc

from tests.receiver import Receiver, wait_until
from tests.webhooks.helpers import AUTH, COMPLETABLE_ORDER, deliveries, free_port, subscribe_shoppex

NEW_ORDER = {"email": "n@example.com", "items": [{"product_id": "prod_3"}]}
BOTH_EVENTS = ("order:created", "order:created:product")


def create_orders(client, count: int) -> list[str]:
    """POST /dev/v1/orders `count` times; the new order ids, oldest first."""
    ids = []
    for _ in range(count):
        response = client.post("/dev/v1/orders", json=NEW_ORDER, headers=AUTH)
        assert response.status_code == 201
        ids.append(response.get_json()["data"]["id"])
    return ids


def test_a_namespace_keeps_at_most_log_size_deliveries_the_newest(make_app):
    client = make_app(webhooks=False, webhook_log_size=10).test_client()
    for _ in range(3):
        subscribe_shoppex(client, f"http://127.0.0.1:{free_port()}/hook", BOTH_EVENTS)
    ids = create_orders(client, 12)
    kept = deliveries(client)
    assert kept and len(kept) <= 10
    # The newest order's six deliveries are all there; the oldest orders' are gone.
    kept_orders = [d["body"]["data"]["id"] for d in kept]
    assert kept_orders.count(ids[-1]) == 6 and ids[0] not in kept_orders
    assert client.get("/dev/v1/webhooks/logs", headers=AUTH).get_json()["pagination"]["total"] == len(kept)


def test_finished_deliveries_are_pruned_before_unfinished_ones(make_app):
    receiver = Receiver()
    try:
        app = make_app(webhook_log_size=4)
        app.extensions["mockserver"].clock.freeze()  # the retry of the refused delivery never comes due
        client = app.test_client()
        subscribe_shoppex(client, f"http://127.0.0.1:{free_port()}/hook", ["order:paid"])
        client.post(COMPLETABLE_ORDER, headers=AUTH)
        (waiting,) = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "retrying"])
        subscribe_shoppex(client, receiver.url, ["order:created"])
        for count in range(1, 7):
            create_orders(client, 1)
            wait_until(lambda n=count: len([d for d in deliveries(client) if d["status"] == "succeeded"]) >= min(n, 3))
        kept = deliveries(client)
        assert len(kept) <= 4 and waiting["id"] in {d["id"] for d in kept}
        assert len(receiver.received) == 6
    finally:
        receiver.close()


def test_unfinished_deliveries_are_bounded_too_and_giving_up_is_logged(make_app, caplog):
    app = make_app(webhook_log_size=5)
    app.extensions["mockserver"].clock.freeze()
    client = app.test_client()
    subscribe_shoppex(client, f"http://127.0.0.1:{free_port()}/hook", BOTH_EVENTS)
    with caplog.at_level(logging.WARNING, logger="mockserver.webhooks"):
        ids = create_orders(client, 6)
    kept = deliveries(client)
    assert kept and len(kept) <= 5 and ids[-1] in [d["body"]["data"]["id"] for d in kept]
    assert any("unfinished given up" in r.getMessage() for r in caplog.records)
    # The retries of those given up are not kept waiting either (with the clock frozen they would never come due).
    assert len(app.extensions["mockserver"].deliveries._queue) <= 5


def test_the_body_is_kept_once_per_delivery_and_responses_are_capped(make_app):
    receiver = Receiver(answers=[500], reply=b"x" * 5000)
    try:
        client = make_app(webhook_response_bytes=100).test_client()
        subscribe_shoppex(client, receiver.url)
        client.post(COMPLETABLE_ORDER, headers=AUTH)
        (done,) = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])
        assert done["body"]["event"] == "order:paid" and len(done["attempts"]) == 2
        for attempt in done["attempts"]:
            assert "body" not in attempt["request"]
            assert attempt["response"]["body"] == "x" * 100 and attempt["response"]["truncated"] is True
    finally:
        receiver.close()


def test_a_short_response_is_kept_whole(make_app):
    receiver = Receiver(reply=b'{"ok": true}')
    try:
        client = make_app().test_client()
        subscribe_shoppex(client, receiver.url)
        client.post(COMPLETABLE_ORDER, headers=AUTH)
        (done,) = wait_until(lambda: [d for d in deliveries(client) if d["status"] == "succeeded"])
        assert done["attempts"][0]["response"] == {"status": 200, "body": '{"ok": true}', "truncated": False}
    finally:
        receiver.close()


def test_memory_stays_bounded_with_many_deliveries_to_a_closed_port(make_app):
    app = make_app(webhook_log_size=40)
    client = app.test_client()
    for _ in range(5):
        subscribe_shoppex(client, f"http://127.0.0.1:{free_port()}/hook", BOTH_EVENTS)
    create_orders(client, 5)  # the log is full from here on
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        create_orders(client, 30)  # 300 more deliveries, each retried against the closed port
        wait_until(lambda: all(d["status"] == "failed" for d in deliveries(client)), timeout=30)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(deliveries(client)) <= 40
    # Unbounded, these 300 deliveries of five attempts each took about 10 MB; 40 of them stay under a fifth of that
    # (about 0.5 MB on a quiet machine; attempts still in flight on a loaded one hold a little more).
    assert grown < 2_000_000, grown
