"""Every response conforms to the registry schema of its command and version (tests/shoplazza/conformance.py).

Orders are checked seeded, created, updated, paid in each mode, cancelled, listed and found by
number, on both versions (v202506.* on 2025-06, v202601.* on 2026-01, as the registry names
them per command); transactions, deletes, counts and webhooks against theirs. The checker
itself is checked to catch missing, undeclared and mistyped fields, nested ones included.
"""

from __future__ import annotations

import copy
import re

import pytest

from .conformance import COMMANDS, SCHEMAS, assert_conforms
from .helpers import NEW_ORDER, ORDER_ID

# Every test on both API versions: the shapes under test differ by version.
pytestmark = pytest.mark.versions

PAYPAL = {"payment_channel": "paypal", "payment_method": "online", "transaction_no": "3240166068620277548"}
PAY_BODIES = {
    "test": {},
    "custom": {"gateway": "customize"},
    "existing": {"gateway": "customize", "payment_line": PAYPAL},
    "channel": {"payment_line": {**PAYPAL, "credit_card_number": "4111"}},
}


def _envelope(order: dict) -> dict:
    return {"code": "Success", "message": "Success", "data": {"order": order}}


def assert_order(order: dict, version: str, command: str = "order-detail") -> None:
    """The order conforms to the order object of `command`'s response schema under `version`."""
    assert_conforms(_envelope(order), command, version)


def _without(obj: dict, key: str) -> dict:
    return {k: v for k, v in obj.items() if k != key}


def _ok(response) -> dict:
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_checker_catches_missing_nested_fields(api, version):
    order = api.order()
    paid = api.pay(ORDER_ID, PAY_BODIES["existing"]).get_json()["data"]["order"]
    assert_order(order, version)
    assert_order(paid, version, "order-pay-success")
    broken = [
        {**order, "payment_line": {}},
        {**order, "payment_line": _without(order["payment_line"], "trans_channel")},
        {**order, "payment_lines": [{}]},
        {**order, "shipping_line": _without(order["shipping_line"], "desc")},
        {**order, "billing_address": _without(order["billing_address"], "area")},
        {**order, "shipping_address": _without(order["shipping_address"], "extra_info")},
        {**order, "line_items": [_without(order["line_items"][0], "sku")]},
        {**order, "config": _without(order["config"], "checkout_url")},
        {**order, "customer": _without(order["customer"], "total_spent")},
    ]
    for bad in broken:
        with pytest.raises(AssertionError):
            assert_order(bad, version)
    with pytest.raises(AssertionError):
        assert_order({**paid, "payment_lines": [_without(paid["payment_lines"][0], "id")]}, version, "order-pay-success")


def test_the_checker_catches_wrong_types_and_formats(api, version):
    order = api.order()
    bad_fields = (
        ("total_price", 41.7), ("total_price", "41,70"), ("total_price", ""), ("created_at", "2025-10-31 07:57:29"),
        ("placed_at", 1761897449), ("buyer_accepts_marketing", "false"), ("line_items", {}), ("unknown", ""),
    )  # fmt: skip
    for field, bad in bad_fields:
        with pytest.raises(AssertionError):
            assert_order({**order, field: bad}, version)
    line = order["line_items"][0]
    # Integer formats: int32 and uint32 bounds; money nested in a line item.
    for changed in ({"quantity": "2"}, {"quantity": 2**32}, {"quantity": -1}, {"price": 16.99}):
        with pytest.raises(AssertionError):
            assert_order({**order, "line_items": [{**line, **changed}]}, version)
    for bad in (2**31, 10**12):
        with pytest.raises(AssertionError):
            assert_order({**order, "shipping_line": {**order["shipping_line"], "delivery_method": bad}}, version)
    with pytest.raises(AssertionError):
        assert_order(_without(order, "duty_total"), version)
    with pytest.raises(AssertionError):
        assert_conforms({"code": "Success", "data": {"order": order}}, "order-detail", version)


def test_each_version_has_its_own_order_shape(api, version):
    """2026-01 adds browser_ip and the four *_notify int32 fields and drops ship_quantity; 2025-06 the reverse."""
    order = api.order()
    new_fields = ("order_confirm_notify", "fulfillment_notify", "partial_fulfillment_notify", "order_delivered_notify", "browser_ip")
    if version == "2026-01":
        assert all(name in order for name in new_fields)
        assert "ship_quantity" not in order["line_items"][0]
        with pytest.raises(AssertionError):
            assert_order(_without(order, "browser_ip"), version)
    else:
        assert not any(name in order for name in new_fields)
        assert "ship_quantity" in order["line_items"][0]
        with pytest.raises(AssertionError):
            assert_order({**order, "browser_ip": ""}, version)


def test_seeded_order_conforms_on_every_read(api, version):
    assert_conforms(_ok(api.get(f"orders/{ORDER_ID}")), "order-detail", version)
    assert_conforms(_ok(api.get("orders/number/1001")), "order-by-number", version)
    assert_conforms(_ok(api.get("orders")), "orders", version)
    assert_conforms(_ok(api.get("orders/count")), "order-count", version)


def test_delivery_method_at_the_int32_bounds_conforms(api, version):
    for bound in (2**31 - 1, -(2**31)):
        body = copy.deepcopy(NEW_ORDER)
        body["order"]["shipping_line"]["delivery_method"] = bound
        response = _ok(api.post("orders", body))
        assert response["data"]["order"]["shipping_line"]["delivery_method"] == bound
        assert_conforms(response, "order-create", version)


def test_created_updated_and_deleted_orders_conform(api, version):
    created = _ok(api.post("orders", copy.deepcopy(NEW_ORDER)))
    assert_conforms(created, "order-create", version)
    order_id = created["data"]["order"]["id"]
    body = {"order": {"note": "n", "tags": ["a"], "shipping_line": {"shipping_name": "DHL", "shipping_price": "9"}}}
    assert_conforms(_ok(api.put(f"orders/{order_id}", body)), "order-update", version)
    assert_conforms(_ok(api.delete(f"orders/{order_id}")), "order-delete", version)


@pytest.mark.parametrize("mode", list(PAY_BODIES))
def test_paid_orders_conform(api, version, mode):
    for order_id in (ORDER_ID, api.create()["id"]):
        response = api.pay(order_id, {"billing_address": {"first_name": "name", "source": "web", "tags": "x"}, **PAY_BODIES[mode]})
        assert_conforms(_ok(response), "order-pay-success", version)
        assert_conforms(_ok(api.get(f"orders/{order_id}")), "order-detail", version)
        assert_conforms(_ok(api.get(f"orders/{order_id}/transactions")), "order-transactions", version)


@pytest.mark.parametrize("mode", list(PAY_BODIES))
def test_payment_lines_carry_every_registry_field_in_its_order(api, mode):
    """A paid order's lines carry all of v202506.PaymentLine; what the request does not set is ""."""
    registry = [f["name"] for f in SCHEMAS["v202506.PaymentLine"]["fields"]]
    body = {**PAY_BODIES[mode], "payment_lines": [PAYPAL]} if mode != "test" else {}
    paid = api.pay(ORDER_ID, body).get_json()["data"]["order"]
    for line in [paid["payment_line"], *paid["payment_lines"]]:
        assert list(line) == registry
        assert line["id"] == line["trans_channel"] == line["trans_method"] == line["merchant_email"] == ""


def test_an_unpaid_orders_payment_line_carries_every_field_empty(api):
    registry = [f["name"] for f in SCHEMAS["v202506.PaymentLine"]["fields"]]
    for order in (api.order(), api.create()):
        assert order["payment_line"] == dict.fromkeys(registry, "")
        assert list(order["payment_line"]) == registry


def test_cancelled_orders_conform(api, version):
    for order_id in (ORDER_ID, api.create()["id"]):
        assert_conforms(_ok(api.post(f"orders/{order_id}/cancel", {"reason": "fraud"})), "order-cancel", version)


def test_listed_orders_conform(api, version):
    api.create()
    api.pay(ORDER_ID, {})
    listed = _ok(api.get("orders"))
    assert len(listed["data"]["orders"]) == 2
    assert_conforms(listed, "orders", version)
    assert_conforms(_ok(api.get("orders", query={"page_size": 1})), "orders", version)


def test_transactions_conform_and_the_checker_sees_nested_gaps(api, version):
    api.pay(ORDER_ID, PAY_BODIES["channel"])
    listed = _ok(api.get(f"orders/{ORDER_ID}/transactions"))
    assert_conforms(listed, "order-transactions", version)
    (txn,) = listed["data"]["transactions"]
    broken = {**txn, "payment_detail": _without(txn["payment_detail"], "card_month")}
    with pytest.raises(AssertionError):
        assert_conforms({**listed, "data": {"transactions": [broken]}}, "order-transactions", version)


def test_webhook_answers_conform(api, version):
    created = _ok(api.post("webhooks", {"webhook": {"address": "https://example.com/hook", "topic": "orders/create"}}))
    assert_conforms(created, "webhook-create", version)
    hook_id = created["data"]["webhook"]["id"]
    assert_conforms(_ok(api.get(f"webhooks/{hook_id}")), "webhook-detail", version)
    assert_conforms(_ok(api.get("webhooks")), "webhooks", version)
    assert_conforms(_ok(api.get("webhooks/count")), "webhook-count", version)
    moved = {"webhook": {"address": "https://example.com/moved"}}
    assert_conforms(_ok(api.put(f"webhooks/{hook_id}", moved)), "webhook-update", version)
    assert_conforms(_ok(api.delete(f"webhooks/{hook_id}")), "webhook-delete", version)


# The registry commands whose answers the tests above check with assert_conforms; a command the
# server emulates must be listed here (and checked) - add yours when you emulate one.
CHECKED_COMMANDS = {
    "orders", "order-count", "order-create", "order-detail", "order-by-number", "order-update", "order-delete",
    "order-cancel", "order-pay-success", "order-transactions",
    "fulfillment-create", "fulfillments", "fulfillment-count", "fulfillment-detail", "fulfillment-update",
    "fulfillment-complete", "fulfillment-cancel",
    "order-refund-record-create", "order-refund-record", "order-refund-records", "order-refund-record-count",
    "order-post-sales", "order-post-sale-delete",
    "order-risk-assessments", "order-risk-create", "order-risk-detail", "order-risk-update", "order-risk-delete",
    "webhooks", "webhook-count", "webhook-create", "webhook-detail", "webhook-update", "webhook-delete",
}  # fmt: skip
PARAMETER = re.compile(r"<[^>]*>|\{[^}]*\}")


def _emulated(app, command: dict) -> bool:
    # A route of the app serves the command's method and path (with its parameters in the same places).
    path = PARAMETER.sub("<>", command["http"]["path"].replace("/2026-01/", "/{version}/"))
    return any(PARAMETER.sub("<>", rule.rule) == path and command["http"]["method"] in rule.methods for rule in app.url_map.iter_rules())


def test_every_emulated_registry_command_is_checked_for_conformance(app):
    emulated = {command_id for command_id, command in COMMANDS.items() if _emulated(app, command)}
    assert emulated >= CHECKED_COMMANDS
    assert emulated == CHECKED_COMMANDS, f"emulated but not checked with assert_conforms: {sorted(emulated - CHECKED_COMMANDS)}"
