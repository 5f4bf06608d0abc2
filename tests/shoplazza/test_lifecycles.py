"""Shoplazza orders driven through whole lifecycles end to end, on both versions and both storages.

Each step goes through the API at its registry path; after it, the order's three statuses are
what the lifecycle table (mockserver/shoplazza/lifecycle.py, docs/shoplazza.md) says, every answer
conforms to its version's registry schema, and the step's webhook deliveries are its topics in
order, each carrying the resource after the change in the subscription's version, validly signed.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from mockserver.config import Settings
from mockserver.shoplazza.webhooks import TOPICS
from mockserver.webhooks.delivery import DELIVERIES
from tests.receiver import Receiver

from .conformance import COMMANDS, assert_conforms
from .helpers import NEW_ORDER, TOKEN, Shoplazza, error_of
from .test_webhooks import SECRET, SETTINGS, settled, verified

pytestmark = pytest.mark.versions

# Every write of every chain goes through the --db file too.
STORAGES = ("memory", "file")


@pytest.fixture
def settings(storage) -> Settings:
    """The storage under test, with an app secret and fast webhook retries."""
    return Settings(db=storage, **SETTINGS)


class Chain:
    """One order driven step by step, each step checked: answer, statuses, webhook deliveries."""

    def __init__(self, api: Shoplazza, runtime, receiver: Receiver):
        self.api, self.runtime, self.receiver = api, runtime, receiver
        self.order_id = ""
        self.seen = 0
        # One subscription per topic, each at its own path, in this client's version.
        for topic in TOPICS:
            address = receiver.at("/" + topic.replace("/", "-"))
            response = api.post("webhooks", {"webhook": {"address": address, "topic": topic}})
            assert response.status_code == 200, response.get_json()

    def call(self, command: str, body=None, **ids) -> dict:
        """Call a registry command at its method and path on this version; assert it conforms; return its data."""
        http = COMMANDS[command]["http"]
        values = {"order_id": self.order_id, **ids}
        path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], http["path"]).removeprefix("/openapi/2026-01/")
        response = self.api.call(http["method"], path, body)
        assert response.status_code == 200, (command, response.get_json())
        assert_conforms(response.get_json(), command, self.api.version)
        return response.get_json()["data"]

    def order(self) -> dict:
        """The order as order-detail answers it (conforming)."""
        return self.call("order-detail")["order"]

    def step(self, command: str, body, statuses: tuple[str, str, str], topics: list[str], **ids) -> dict:
        """Run one step; assert the order's statuses and the deliveries it recorded; return the answer's data."""
        data = self.call(command, body, **ids)
        if command == "order-create":
            self.order_id = data["order"]["id"]
        self.check(command, statuses, topics, data)
        return data

    def platform(self, event: str, statuses: tuple[str, str, str], topics: list[str]) -> None:
        """Play what only the platform does (the admin simulate route); assert statuses and deliveries as a step."""
        path = f"/__admin/shoplazza/orders/{self.order_id}/simulate"
        response = self.api.client.post(path, json={"event": event}, query_string={"namespace": TOKEN})
        assert response.status_code == 200, response.get_json()
        self.check(event, statuses, topics, {})

    def check(self, step: str, statuses: tuple[str, str, str], topics: list[str], data: dict) -> None:
        """After a step: the order's statuses, and the deliveries it recorded carrying the resources after it."""
        order = self.order()
        assert (order["status"], order["financial_status"], order["fulfillment_status"]) == statuses, step
        # The deliveries this step recorded, in the order they were recorded.
        log = [dict(d) for d in self.runtime.store.all(TOKEN, DELIVERIES)][self.seen :]
        self.seen += len(log)
        assert [d["event"] for d in log] == topics, step
        for delivery in log:
            assert json.loads(delivery["body"]) == self.subject(delivery["event"], order, data)

    def subject(self, topic: str, order: dict, data: dict) -> dict:
        """What a topic carries after the step: the fulfillment answered, the newest refund record, or the order."""
        if topic.startswith("fulfillments/"):
            return data["fulfillment"]
        if topic == "refunds/create":
            return self.call("order-refund-record")["records"][-1]
        return order

    def delivered(self) -> None:
        """Every recorded delivery arrived at its topic's path, signed with the app secret, in this version."""
        settled(self.api.client)
        assert len(self.receiver.received) == self.seen
        for request in self.receiver.received:
            assert verified(SECRET, request["headers"], request["body"])
            assert request["headers"]["X-Shoplazza-Api-Version"] == self.api.version
            assert request["path"] == "/" + request["headers"]["X-Shoplazza-Topic"].replace("/", "-")


@pytest.fixture
def chain(client, runtime, receiver, version) -> Chain:
    """A chain on this version, subscribed to every topic."""
    return Chain(Shoplazza(client, version), runtime, receiver)


def refund(total: str) -> dict:
    """A refund body of `total`."""
    return {"refund": {"refund_total": total}}


def test_create_pay_partially_fulfil_fulfil_partially_refund_refund(chain):
    created = chain.step("order-create", NEW_ORDER, ("opened", "waiting", "initialled"), ["orders/create"])["order"]
    mugs, stickers = (line["id"] for line in created["line_items"])
    paid = chain.step("order-pay-success", {}, ("placed", "paid", "waiting"), ["orders/update"])["order"]
    total = Decimal(paid["total_price"])
    first = {"fulfillment": {"line_items": [{"id": mugs, "ship_quantity": 1}]}}
    chain.step(
        "fulfillment-create",
        first,
        ("placed", "paid", "partially_shipped"),
        ["fulfillments/create", "orders/partially_fulfilled", "orders/update"],
    )
    rest = {"fulfillment": {"line_items": [{"id": mugs}, {"id": stickers}]}}
    chain.step("fulfillment-create", rest, ("placed", "paid", "shipped"), ["fulfillments/create", "orders/fulfilled", "orders/update"])
    # Shipped goods keep the order from being cancelled; nothing is recorded or delivered.
    message = error_of(chain.api.post(f"orders/{chain.order_id}/cancel", {"reason": "late"}), 500, "FailedPrecondition")
    assert message.startswith("fulfillment_status:")
    chain.step("order-detail", None, ("placed", "paid", "shipped"), [])
    # Refunds move the money only: the goods stay shipped.
    made = [
        chain.step(
            "order-refund-record-create", refund("10.00"), ("placed", "partially_refunded", "shipped"), ["orders/update", "refunds/create"]
        )
    ]
    # More than what is left is refused, naming refund_total; nothing is recorded or delivered.
    too_much = chain.api.post(f"orders/{chain.order_id}/refund", refund(str(total)))
    assert error_of(too_much, 400, "InvalidParameter").startswith("refund.refund_total:")
    made.append(
        chain.step(
            "order-refund-record-create", refund(str(total - 10)), ("placed", "refunded", "shipped"), ["orders/update", "refunds/create"]
        )
    )
    assert_totals_line_up(chain, total, [Decimal("10.00"), total - 10], made)
    chain.delivered()


def assert_totals_line_up(chain: Chain, paid: Decimal, refunded: list[Decimal], made: list[dict]) -> None:
    """What was refunded adds up everywhere: the order's total, its transactions, its refund records and post-sales."""
    order = chain.order()
    assert Decimal(order["total_refund_price"]) == sum(refunded) == paid
    transactions = chain.call("order-transactions")["transactions"]
    assert [(t["status"], Decimal(t["amount"])) for t in transactions] == [("success", paid)] + [("refunded", r) for r in refunded]
    records = chain.call("order-refund-record")
    assert records["order_financial_status"] == "refunded"
    assert [(r["id"], Decimal(r["refund_price"])) for r in records["records"]] == [
        (m["refund_record_id"], r) for m, r in zip(made, refunded, strict=True)
    ]
    # Each refund's post-sale record, of its amount.
    sales = chain.call("order-post-sales")["orders"]
    assert sorted(s["id"] for s in sales) == sorted(m["post_sale_id"] for m in made)
    assert sorted(Decimal(s["refund_amount"]) for s in sales) == sorted(refunded)
    # Nothing is left to refund.
    assert "refunded" in error_of(chain.api.post(f"orders/{chain.order_id}/refund", refund("0.01")), 500, "FailedPrecondition")


def test_create_then_cancel(chain):
    chain.step("order-create", NEW_ORDER, ("opened", "waiting", "initialled"), ["orders/create"])
    cancelled = ("cancelled", "cancelled", "cancelled")
    chain.step("order-cancel", {"reason": "changed mind"}, cancelled, ["orders/cancelled", "orders/update"])
    # A cancelled order can no longer be paid; nothing is delivered.
    error_of(chain.api.pay(chain.order_id), 500, "FailedPrecondition")
    chain.step("order-detail", None, cancelled, [])
    chain.delivered()


def test_create_pay_then_cancel_keeps_the_money_until_refunded(chain):
    chain.step("order-create", NEW_ORDER, ("opened", "waiting", "initialled"), ["orders/create"])
    total = chain.step("order-pay-success", {}, ("placed", "paid", "waiting"), ["orders/update"])["order"]["total_price"]
    chain.step("order-cancel", {"reason": "out of stock"}, ("cancelled", "paid", "cancelled"), ["orders/cancelled", "orders/update"])
    # The cancelled, paid order is refunded in full; it stays cancelled.
    chain.step("order-refund-record-create", refund(total), ("cancelled", "refunded", "cancelled"), ["orders/update", "refunds/create"])
    chain.delivered()


PAYPAL = {"payment_line": {"payment_channel": "paypal", "payment_method": "online", "transaction_no": "PAYPAL-1"}, "gateway": "PayPal"}


def test_pay_by_gateway_fulfil_complete_then_a_pending_refund_succeeds(chain):
    created = chain.step("order-create", NEW_ORDER, ("opened", "waiting", "initialled"), ["orders/create"])["order"]
    total = chain.step("order-pay-success", PAYPAL, ("placed", "paid", "waiting"), ["orders/update"])["order"]["total_price"]
    everything = {"fulfillment": {"line_items": [{"id": line["id"]} for line in created["line_items"]]}}
    shipped = chain.step(
        "fulfillment-create", everything, ("placed", "paid", "shipped"), ["fulfillments/create", "orders/fulfilled", "orders/update"]
    )
    # Completing the only fulfillment finishes the order.
    finished = ("finished", "paid", "finished")
    chain.step(
        "fulfillment-complete", None, finished, ["fulfillments/update", "orders/update"], fulfillment_id=shipped["fulfillment"]["id"]
    )
    # A gateway refund is pending until the gateway answers; a second one waits for it.
    chain.step("order-refund-record-create", refund(total), ("finished", "refunding", "finished"), ["orders/update", "refunds/create"])
    error_of(chain.api.post(f"orders/{chain.order_id}/refund", refund("0.01")), 500, "FailedPrecondition")
    chain.platform("refund_succeeded", ("finished", "refunded", "finished"), ["orders/update"])
    assert chain.order()["total_refund_price"] == total
    assert [t["status"] for t in chain.call("order-transactions")["transactions"]] == ["success", "refunded"]
    chain.delivered()


def test_pay_ship_in_two_the_buyer_receives_each_and_the_order_finishes(chain):
    created = chain.step("order-create", NEW_ORDER, ("opened", "waiting", "initialled"), ["orders/create"])["order"]
    mugs, stickers = (line["id"] for line in created["line_items"])
    chain.step("order-pay-success", {}, ("placed", "paid", "waiting"), ["orders/update"])
    first = {"fulfillment": {"line_items": [{"id": mugs, "ship_quantity": 1}]}}
    topics = ["fulfillments/create", "orders/partially_fulfilled", "orders/update"]
    chain.step("fulfillment-create", first, ("placed", "paid", "partially_shipped"), topics)
    # The buyer's receipt finishes the shipped fulfillment, as completing it would.
    chain.platform("buyer_received", ("placed", "paid", "partially_finished"), ["orders/update"])
    assert [f["status"] for f in chain.call("fulfillments")["fulfillments"]] == ["finished"]
    # Shipping the rest keeps what was received.
    rest = {"fulfillment": {"line_items": [{"id": mugs}, {"id": stickers}]}}
    topics = ["fulfillments/create", "orders/fulfilled", "orders/update"]
    chain.step("fulfillment-create", rest, ("placed", "paid", "partially_finished"), topics)
    # Receipt of everything shipped finishes the order, as completing its last fulfillment does.
    chain.platform("buyer_received", ("finished", "paid", "finished"), ["orders/update"])
    assert [f["status"] for f in chain.call("fulfillments")["fulfillments"]] == ["finished", "finished"]
    assert chain.order()["finished_at"]
    chain.delivered()
