"""POST /__admin/shoplazza/orders/{order_id}/simulate: the platform's own transitions, each a lifecycle row.

Also the webhook deliveries each step of a refund lifecycle produces, received for real and
checked with the documented signature algorithm (tests/shoplazza/test_webhooks.py).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from mockserver.shoplazza import lifecycle
from mockserver.shoplazza.simulate import EVENTS
from tests.receiver import Receiver

from .helpers import ORDER_ID, TOKEN, Shoplazza, snapshot
from .test_refunds import PAYPAL, conforms, paid_order, refund
from .test_webhooks import SECRET, make_app, subscribe, verified

# The lifecycles write through the --db file too.
STORAGES = ("memory", "file")
PAYMENT_EVENTS = {"paying": "paying", "authorized": "authorized", "partially_paid": "partially_paid", "payment_failed": "failed"}


def simulate(client, order_id: str, event: str, namespace: str | None = TOKEN, **headers):
    """POST the event for the order of `namespace`."""
    query = {"namespace": namespace} if namespace else {}
    return client.post(f"/__admin/shoplazza/orders/{order_id}/simulate", json={"event": event}, query_string=query, headers=headers)


def admin_error(response, status: int, code: str, field: str) -> str:
    """Assert the admin error envelope naming `field`; return its message."""
    body = response.get_json()
    assert response.status_code == status, body
    assert body["error"]["code"] == code, body
    assert body["error"]["details"][0]["field"] == field, body
    return body["error"]["message"]


def test_every_simulated_event_is_a_lifecycle_row():
    assert set(EVENTS) >= {*PAYMENT_EVENTS, "refund_succeeded", "refund_failed", "buyer_received", "returned"}
    assert all(f"simulate/{event}" in lifecycle.TRANSITIONS for event in EVENTS)


@pytest.mark.parametrize("event", list(PAYMENT_EVENTS))
def test_payment_events_move_an_unpaid_order_which_can_then_be_paid(api, client, event):
    api.order()
    response = simulate(client, ORDER_ID, event)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["data"] == api.order()
    assert (body["data"]["status"], body["data"]["financial_status"]) == ("opened", PAYMENT_EVENTS[event])
    paid = api.pay().get_json()["data"]["order"]
    assert paid["financial_status"] == "paid"


def test_events_that_cannot_happen_are_409_and_change_nothing(api, client, runtime):
    order = paid_order(api)
    before = snapshot(runtime)
    for event in (*PAYMENT_EVENTS, "refund_succeeded", "refund_failed", "buyer_received", "returned"):
        message = admin_error(simulate(client, order["id"], event), 409, "CONFLICT", "event")
        assert event in message and order["id"] in message
    assert snapshot(runtime) == before


def test_bad_simulation_requests_name_what_is_wrong(api, client):
    api.order()
    assert "event" in admin_error(simulate(client, ORDER_ID, "teleported"), 422, "VALIDATION_ERROR", "event")
    admin_error(simulate(client, ORDER_ID, "paying", namespace=None), 422, "VALIDATION_ERROR", "namespace")
    # A token nobody has used yet is seeded first, as the API itself would: its fixture order is there to simulate on.
    assert simulate(client, ORDER_ID, "paying", namespace="nobody-used-this").get_json()["data"]["financial_status"] == "paying"
    assert "404404" in admin_error(simulate(client, "404404", "paying"), 404, "NOT_FOUND", "order_id")


def test_the_admin_token_guards_the_route(storage):
    app = make_app(admin_token="s3cret")
    client = app.test_client()
    Shoplazza(client, "2025-06").order()
    assert simulate(client, ORDER_ID, "paying").status_code == 401
    assert simulate(client, ORDER_ID, "paying", **{"X-Mockserver-Admin-Token": "s3cret"}).status_code == 200
    app.extensions["mockserver"].deliveries.close()


def test_a_gateway_refund_is_pending_until_the_platform_settles_it(api, client):
    order = paid_order(api, {"payment_line": PAYPAL})
    created = conforms("order-refund-record-create", refund(api, order["id"], "5.00"))
    assert api.order(order["id"])["financial_status"] == "refunding"

    def state() -> tuple:
        (record, *_) = api.get(f"orders/{order['id']}/refund").get_json()["data"]["records"]
        (sale, *_) = [s for s in api.get("orders/post_sales").get_json()["data"]["orders"] if s["id"] == created["post_sale_id"]]
        statuses = [t["status"] for t in api.get(f"orders/{order['id']}/transactions").get_json()["data"]["transactions"]]
        return record["refund_status"], record["payment_details"][0]["refund_status"], sale["status"], statuses[1]

    assert state() == ("pending", "pending", "processing", "refunding")
    # One refund at a time.
    assert refund(api, order["id"], "1.00").status_code == 500
    failed = simulate(client, order["id"], "refund_failed").get_json()["data"]
    assert (failed["financial_status"], failed["total_refund_price"]) == ("refund_failed", "0.00")
    assert state() == ("failed", "failed", "pending", "refund_failed")
    # A failed refund takes nothing: the whole amount can be refunded again, and this time it succeeds.
    again = conforms("order-refund-record-create", refund(api, order["id"], order["total_price"]))
    assert api.order(order["id"])["financial_status"] == "refunding"
    done = simulate(client, order["id"], "refund_succeeded").get_json()["data"]
    assert (done["financial_status"], done["total_refund_price"]) == ("refunded", order["total_price"])
    records = api.get(f"orders/{order['id']}/refund").get_json()["data"]["records"]
    assert [(r["id"], r["refund_status"]) for r in records] == [
        (created["refund_record_id"], "failed"),
        (again["refund_record_id"], "finished"),
    ]


def test_a_partial_gateway_refund_succeeds_to_partially_refunded(api, client):
    order = paid_order(api, {"payment_line": PAYPAL})
    refund(api, order["id"], "5.00")
    done = simulate(client, order["id"], "refund_succeeded").get_json()["data"]
    assert (done["financial_status"], done["total_refund_price"]) == ("partially_refunded", "5.00")


def shipped(api, client, fulfillment_status: str) -> str:
    """A paid order loaded with `fulfillment_status` (a shipping state fulfillments reach), through the admin fixtures route."""
    order = {**paid_order(api), "fulfillment_status": fulfillment_status}
    response = client.post("/__admin/fixtures", query_string={"namespace": TOKEN}, json={"records": {"shoplazza.orders": [order]}})
    assert response.status_code == 200, response.get_json()
    return order["id"]


@pytest.mark.parametrize(
    ("start", "events", "end"),
    [
        ("shipped", ["buyer_received"], "finished"),
        ("partially_shipped", ["buyer_received"], "partially_finished"),
        ("finished", ["return_requested", "partially_returned"], "partially_returned"),
        ("shipped", ["return_requested", "returned"], "returned"),
    ],
)
def test_receipt_and_returns_follow_shipping(api, client, start, events, end):
    order_id = shipped(api, client, start)
    for event in events:
        assert simulate(client, order_id, event).status_code == 200
    assert api.order(order_id)["fulfillment_status"] == end


# -- webhooks ------------------------------------------------------------------------


@pytest.fixture
def hooked():
    """An app that really delivers, a receiver subscribed to the refund lifecycle's topics, and a client for 2026-01."""
    app = make_app()
    receiver = Receiver()
    api = Shoplazza(app.test_client(), "2026-01")
    for topic in ("orders/update", "orders/cancelled", "refunds/create"):
        subscribe(api, receiver.at("/" + topic.replace("/", "-")), topic)
    yield api, receiver
    receiver.close()
    app.extensions["mockserver"].deliveries.close()


def received(receiver: Receiver, count: int) -> list[tuple[str, dict]]:
    """(topic, body) of the first `count` deliveries, each checked against its signature and topic header."""
    found = receiver.wait_for(count)
    assert len(found) == count, [r["headers"]["X-Shoplazza-Topic"] for r in found]
    for request in found:
        assert verified(SECRET, request["headers"], request["body"])
        assert request["path"] == "/" + request["headers"]["X-Shoplazza-Topic"].replace("/", "-")
    return [(r["headers"]["X-Shoplazza-Topic"], json.loads(r["body"])) for r in found]


def test_each_refund_step_delivers_its_signed_events(hooked):
    api, receiver = hooked
    order = paid_order(api)
    received(receiver, 1)  # the payment's orders/update
    first = refund(api, order["id"], "10.00").get_json()["data"]
    step = dict(received(receiver, 3)[1:])
    assert step["orders/update"]["financial_status"] == "partially_refunded"
    assert step["refunds/create"] == api.get(f"orders/{order['id']}/refund").get_json()["data"]["records"][0]
    assert step["refunds/create"]["id"] == first["refund_record_id"]
    refund(api, order["id"], str(float(order["total_price"]) - 10))
    step = dict(received(receiver, 5)[3:])
    assert step["orders/update"] == api.order(order["id"])
    assert step["orders/update"]["financial_status"] == "refunded"
    assert step["refunds/create"]["refund_status"] == "finished"


def test_pay_then_cancel_delivers_cancelled_and_update_with_the_payment_kept(hooked):
    api, receiver = hooked
    order = paid_order(api)
    received(receiver, 1)  # the payment's orders/update
    api.post(f"orders/{order['id']}/cancel", {})
    steps = sorted(received(receiver, 3)[1:], key=lambda step: step[0])
    assert [(t, b["status"], b["financial_status"]) for t, b in steps] == [
        ("orders/cancelled", "cancelled", "paid"),
        ("orders/update", "cancelled", "paid"),
    ]


def test_simulated_events_deliver_the_order_after_the_change(hooked):
    api, receiver = hooked
    order = api.create()
    client = api.client
    assert simulate(client, order["id"], "payment_failed").status_code == 200
    ((topic, body),) = received(receiver, 1)
    assert (topic, body["financial_status"]) == ("orders/update", "failed")
    assert body == api.order(order["id"])


def test_refused_refunds_and_events_deliver_nothing(hooked):
    api, receiver = hooked
    order = api.create()
    assert refund(api, order["id"], "1.00").status_code == 500
    assert simulate(api.client, order["id"], "refund_failed").status_code == 409
    assert simulate(api.client, order["id"], "paying").status_code == 200
    ((_, body),) = received(receiver, 1)
    assert body["financial_status"] == "paying"


def test_every_financial_status_is_reachable_through_the_api_and_the_simulation_route(api, client):
    seen = set()

    def note(order: dict) -> None:
        seen.add(order["financial_status"])

    # Unpaid, each payment event, then paid and cancelled.
    for event in PAYMENT_EVENTS:
        order = api.create()
        note(order)
        note(simulate(client, order["id"], event).get_json()["data"])
    note(api.post(f"orders/{api.create()['id']}/cancel", {}).get_json()["data"]["order"])
    # A gateway refund: pending, failed, then partial and full.
    order = paid_order(api, {"payment_line": PAYPAL})
    note(order)
    refund(api, order["id"], "1.00")
    note(api.order(order["id"]))
    note(simulate(client, order["id"], "refund_failed").get_json()["data"])
    refund(api, order["id"], "1.00")
    note(simulate(client, order["id"], "refund_succeeded").get_json()["data"])
    refund(api, order["id"], str(Decimal(order["total_price"]) - 1))
    note(simulate(client, order["id"], "refund_succeeded").get_json()["data"])
    assert seen == set(lifecycle.FINANCIAL_STATUSES)
