"""Every order the server returns conforms to the registry's v202506.Order, nested objects included.

The registry copy lives in tests/schemas/ (data from Shoplazza's official CLI, MIT).
Every object with a registry schema (the order, payment_line and payment_lines[],
shipping_line, billing and shipping address, line_items[], customer, config, ...) must
carry every field of it, each of its type, and nothing else; SEED_FIELDS adds what seed
004's tables list beyond the registry. Orders are checked seeded, created, updated, paid
in each mode, cancelled and listed; transactions against v202506.Transaction.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from .helpers import NEW_ORDER, ORDER_ID

REGISTRY = json.loads((Path(__file__).parent.parent / "schemas" / "shoplazza-openapi-orders.json").read_text())
SCHEMAS = REGISTRY["schemas"]
ORDER = "v202506.Order"
PAYPAL = {"payment_channel": "paypal", "payment_method": "online", "transaction_no": "3240166068620277548"}
# The registry's integer formats (an integer without one is taken as int64).
INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1), "int64": (-(2**63), 2**63 - 1)}
PAY_BODIES = {
    "test": {},
    "custom": {"gateway": "customize"},
    "existing": {"gateway": "customize", "payment_line": PAYPAL},
    "channel": {"payment_line": {**PAYPAL, "credit_card_number": "4111"}},
}


# Seed 004's Config Object table lists checkout_url, which the registry's v202506.Config lacks;
# the seed is the primary source.
SEED_FIELDS = {"v202506.Config": [{"name": "checkout_url", "type": "string"}]}


def _fields(schema: str) -> dict[str, dict]:
    return {f["name"]: f for f in [*SCHEMAS[schema].get("fields", []), *SEED_FIELDS.get(schema, [])]}


def _check_value(value, spec: dict, where: str, problems: list[str]) -> None:
    kind = spec["type"]
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "integer":
        low, high = INTEGER_RANGES[spec.get("format", "int64")]
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind == "array":
        ok = isinstance(value, list)
        if ok:
            for i, item in enumerate(value):
                _check_value(item, spec["items"], f"{where}[{i}]", problems)
    elif kind == "object":
        ok = isinstance(value, dict)
        if ok and "schema" in spec and spec["schema"] != "google.protobuf.Struct":
            check_object(value, spec["schema"], where, problems)
        elif ok and "items" in spec:  # a map: every value is an item
            for key, item in value.items():
                _check_value(item, spec["items"], f"{where}.{key}", problems)
    else:
        ok = False
    if not ok:
        problems.append(f"{where}: {value!r} is not {kind} ({spec.get('format', '')})")


def check_object(value: dict, schema: str, where: str, problems: list[str]) -> None:
    """Collect every field of `value` that is missing, that the registry does not declare, or that it types differently."""
    declared = _fields(schema)
    problems += [f"{where}.{name}: missing" for name in declared if name not in value]
    for key, item in value.items():
        if key not in declared:
            problems.append(f"{where}.{key}: not a field of {schema}")
        else:
            _check_value(item, declared[key], f"{where}.{key}", problems)


def assert_order(order: dict) -> None:
    """The order carries every v202506.Order field, each of its registry type, and so do its nested objects.

    The one exception: an order never paid (no payment_lines) has `payment_line: {}`.
    """
    problems: list[str] = []
    if order.get("payment_line") == {} and order.get("payment_lines") == []:
        order = {**order, "payment_line": dict.fromkeys(_fields("v202506.PaymentLine"), "")}
    check_object(order, ORDER, "order", problems)
    assert not problems, "\n".join(problems)


def _without(obj: dict, key: str) -> dict:
    return {k: v for k, v in obj.items() if k != key}


def test_the_checker_catches_missing_nested_fields(api):
    order = api.order()
    paid = api.pay(ORDER_ID, PAY_BODIES["existing"]).get_json()["data"]["order"]
    assert_order(order)
    assert_order(paid)
    broken = [
        {**paid, "payment_line": _without(paid["payment_line"], "trans_channel")},
        {**paid, "payment_line": {}},
        {**paid, "payment_lines": [_without(paid["payment_lines"][0], "id")]},
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
            assert_order(bad)


def test_the_checker_catches_wrong_types(api):
    order = api.order()
    for field, bad in (("total_price", 41.7), ("buyer_accepts_marketing", "false"), ("line_items", {}), ("unknown", "")):
        broken = {**order, field: bad}
        with pytest.raises(AssertionError):
            assert_order(broken)
    broken = {**order, "line_items": [{**order["line_items"][0], "quantity": "2"}]}
    with pytest.raises(AssertionError):
        assert_order(broken)
    # Integer formats: int32 and uint32 bounds.
    for field, nested, bad in (("shipping_line", "delivery_method", 2**31), ("shipping_line", "delivery_method", 10**12)):
        with pytest.raises(AssertionError):
            assert_order({**order, field: {**order[field], nested: bad}})
    with pytest.raises(AssertionError):
        assert_order({**order, "line_items": [{**order["line_items"][0], "quantity": 2**32}]})
    with pytest.raises(AssertionError):
        assert_order({**order, "line_items": [{**order["line_items"][0], "quantity": -1}]})
    with pytest.raises(AssertionError):
        assert_order({k: v for k, v in order.items() if k != "duty_total"})


def test_seeded_order_conforms(api):
    order = api.order()
    assert order["id"] == ORDER_ID
    assert_order(order)


def test_delivery_method_at_the_int32_bounds_conforms(api):
    for bound in (2**31 - 1, -(2**31)):
        body = copy.deepcopy(NEW_ORDER)
        body["order"]["shipping_line"]["delivery_method"] = bound
        created = api.create(body)
        assert created["shipping_line"]["delivery_method"] == bound
        assert_order(created)


def test_created_and_updated_orders_conform(api):
    created = api.create()
    assert_order(created)
    body = {"order": {"note": "n", "tags": ["a"], "shipping_line": {"shipping_name": "DHL", "shipping_price": "9"}}}
    response = api.put(f"orders/{created['id']}", body)
    assert response.status_code == 200
    assert_order(response.get_json()["data"]["order"])


@pytest.mark.parametrize("mode", list(PAY_BODIES))
def test_paid_orders_conform(api, mode):
    for order_id in (ORDER_ID, api.create()["id"]):
        response = api.pay(order_id, {"billing_address": {"first_name": "name", "source": "web", "tags": "x"}, **PAY_BODIES[mode]})
        assert response.status_code == 200, response.get_json()
        assert_order(response.get_json()["data"]["order"])
        assert_order(api.order(order_id))


@pytest.mark.parametrize("mode", list(PAY_BODIES))
def test_payment_lines_carry_every_registry_field_in_its_order(api, mode):
    """A paid order's lines carry all of v202506.PaymentLine; what the request does not set is ""."""
    registry = [f["name"] for f in SCHEMAS["v202506.PaymentLine"]["fields"]]
    body = {**PAY_BODIES[mode], "payment_lines": [PAYPAL]} if mode != "test" else {}
    paid = api.pay(ORDER_ID, body).get_json()["data"]["order"]
    for line in [paid["payment_line"], *paid["payment_lines"]]:
        assert list(line) == registry
        assert line["id"] == line["trans_channel"] == line["trans_method"] == line["merchant_email"] == ""


def test_cancelled_orders_conform(api):
    for order_id in (ORDER_ID, api.create()["id"]):
        response = api.post(f"orders/{order_id}/cancel", {"reason": "fraud"})
        assert response.status_code == 200
        assert_order(response.get_json()["data"]["order"])


def test_listed_orders_conform(api):
    api.create()
    api.pay(ORDER_ID, {})
    orders = api.get("orders").get_json()["data"]["orders"]
    assert len(orders) == 2
    for order in orders:
        assert_order(order)


def _transaction_problems(txn: dict) -> list[str]:
    problems: list[str] = []
    check_object(txn, "v202506.Transaction", "transaction", problems)
    return problems


def test_transactions_conform(api):
    api.pay(ORDER_ID, PAY_BODIES["channel"])
    (txn,) = api.get(f"orders/{ORDER_ID}/transactions").get_json()["data"]["transactions"]
    assert not _transaction_problems(txn)
    assert _transaction_problems({**txn, "payment_detail": _without(txn["payment_detail"], "card_month")})
