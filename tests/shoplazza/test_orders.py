"""Orders: get (id, number), create with computed totals, list/count filters and cursor, update, delete, cancel."""

from __future__ import annotations

import base64
import copy
import json
import time
from decimal import ROUND_HALF_UP, Decimal

import pytest

from .helpers import NEW_ORDER, ORDER_ID, error_of, snapshot

# The largest amount the mock takes (docs/shoplazza.md), and one cent more.
MONEY_MAX = "1000000000"
MONEY_MAX_PLUS_A_CENT = "1000000000.01"


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def listed(api, **query) -> dict:
    response = api.get("orders", query=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def ids(api, **query) -> list[str]:
    return [order["id"] for order in listed(api, **query)["orders"]]


def count(api, **query) -> int:
    response = api.get("orders/count", query=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]["count"]


# -- get ---------------------------------------------------------------------------


def test_get_by_id_and_by_number(api):
    order = api.order()
    assert order["id"] == ORDER_ID and order["created_at"] == "2025-10-31T07:57:29Z"
    response = api.get(f"orders/number/{order['number']}")
    assert response.status_code == 200
    assert response.get_json()["data"]["order"] == order


def test_unknown_order_and_number_are_404(api):
    assert "order_id" in error_of(api.get("orders/1"), 404, "NotFound")
    assert "number" in error_of(api.get("orders/number/999999"), 404, "NotFound")
    # An id is not a number and a number is not an id.
    error_of(api.get(f"orders/number/{ORDER_ID}"), 404, "NotFound")
    error_of(api.get(f"orders/{api.order()['number']}"), 404, "NotFound")


# -- create ------------------------------------------------------------------------


def test_create_computes_totals_from_the_lines(api, runtime):
    runtime.clock.freeze(1767225600)
    order = api.create()
    body = NEW_ORDER["order"]
    lines = [Decimal(item["price"]) * item["quantity"] if "price" in item else Decimal(item["total_price"]) for item in body["line_items"]]
    sub_total = sum(lines)
    shipping, tax, discount = (Decimal(body["shipping_line"]["shipping_price"]), Decimal(body["tax_total"]), Decimal(body["discount"]))
    assert order["sub_total"] == f"{sub_total:.2f}"
    assert order["total_shipping"] == f"{shipping:.2f}"
    assert order["total_tax"] == f"{tax:.2f}"
    assert order["total_discount"] == f"{discount:.2f}"
    assert order["total_price"] == f"{sub_total + shipping + tax - discount:.2f}"
    assert [line["total_price"] for line in order["line_items"]] == [f"{amount:.2f}" for amount in lines]
    # A unit price derived from total_price rounds half up to the cent: 5.01 / 2 -> 2.51.
    unit = (Decimal(body["line_items"][1]["total_price"]) / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert order["line_items"][1]["price"] == str(unit)
    assert (order["status"], order["financial_status"], order["total_paid"]) == ("opened", "waiting", "0.00")
    assert order["created_at"] == order["updated_at"] == iso(1767225600)
    assert order["currency"] == "GBP" and order["tags"] == "vip,api" and order["note"] == body["note"]
    assert order["shipping_address"]["name"] == "Ada Lovelace" and order["shipping_line"]["name"] == "Royal Mail"
    assert api.order(order["id"]) == order


def test_created_orders_get_new_ids_and_numbers(api):
    first, second = api.create(), api.create()
    assert first["id"] != second["id"] and first["number"] != second["number"]
    assert first["id"].isdigit() and first["number"].isdigit()
    assert int(second["number"]) == int(first["number"]) + 1
    assert api.get(f"orders/number/{second['number']}").get_json()["data"]["order"]["id"] == second["id"]


def _without(path: str) -> dict:
    body = copy.deepcopy(NEW_ORDER)
    *parents, leaf = path.split(".")
    target = body["order"]
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    del target[leaf]
    return body


def _with(path: str, value) -> dict:
    body = copy.deepcopy(NEW_ORDER)
    *parents, leaf = path.split(".")
    target = body["order"]
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(leaf) if leaf.isdigit() else leaf] = value
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "order"),
        ({"order": "x"}, "order"),
        (_without("line_items"), "order.line_items"),
        (_with("line_items", []), "order.line_items"),
        (_without("line_items.0.quantity"), "order.line_items.0.quantity"),
        (_with("line_items.0.quantity", 0), "order.line_items.0.quantity"),
        (_with("line_items.0.quantity", "3"), "order.line_items.0.quantity"),
        (_with("line_items.0.price", "ten"), "order.line_items.0.price"),
        (_with("line_items.0.price", 10.1), "order.line_items.0.price"),
        (_with("line_items.0.price", "-1.00"), "order.line_items.0.price"),
        (_without("line_items.1.total_price"), "order.line_items.1.price"),
        (_without("shipping_address"), "order.shipping_address"),
        (_without("shipping_address.zip"), "order.shipping_address.zip"),
        (_with("shipping_address.email", ""), "order.shipping_address.email"),
        (_without("shipping_line.shipping_price"), "order.shipping_line.shipping_price"),
        (_without("shipping_line.shipping_name"), "order.shipping_line.shipping_name"),
        (_without("tax_total"), "order.tax_total"),
        (_without("currency_code"), "order.currency_code"),
        (_with("tags", [1]), "order.tags"),
        (_with("order_confirm_notify", 3), "order.order_confirm_notify"),
        # delivery_method is an int32 in the registry.
        (_with("shipping_line.delivery_method", 10**12), "order.shipping_line.delivery_method"),
        (_with("shipping_line.delivery_method", 2**31), "order.shipping_line.delivery_method"),
        (_with("shipping_line.delivery_method", -(2**31) - 1), "order.shipping_line.delivery_method"),
        # Money: ASCII digits only (Decimal() reads Arabic-Indic and fullwidth digits), at most MONEY_MAX.
        (_with("line_items.0.price", "\u0661\u0662"), "order.line_items.0.price"),
        (_with("line_items.0.price", "\uff11\uff12"), "order.line_items.0.price"),
        (_with("line_items.0.price", "9" * 400), "order.line_items.0.price"),
        (_with("line_items.0.price", MONEY_MAX_PLUS_A_CENT), "order.line_items.0.price"),
        (_with("line_items.1.total_price", "9" * 30), "order.line_items.1.total_price"),
        (_with("shipping_line.shipping_price", "9" * 400), "order.shipping_line.shipping_price"),
        (_with("tax_total", "9" * 30), "order.tax_total"),
        (_with("discount", "9" * 30), "order.discount"),
        (_with("line_items.0", {"quantity": 2**31 - 1, "price": "9" * 30}), "order.line_items.0.price"),
        # Amounts the mock computes: a line's price x quantity, the order's total.
        (_with("line_items.0", {"quantity": 2**31 - 1, "price": "1.00"}), "order.line_items.0.quantity"),
        (_with("line_items", [{"quantity": 1, "price": MONEY_MAX}, {"quantity": 1, "price": MONEY_MAX}]), "order.line_items"),
    ],
)
def test_create_validation_is_400_naming_the_field(api, runtime, body, field):
    before = snapshot(runtime)
    assert field in error_of(api.post("orders", body), 400, "InvalidParameter")
    assert snapshot(runtime) == before


def test_the_largest_amount_is_accepted(api):
    body = _with("line_items", [{"quantity": 1, "price": MONEY_MAX}])
    body["order"].update(tax_total="0", discount="0", shipping_line={"shipping_name": "Pickup", "shipping_price": "0"})
    order = api.create(body)
    assert order["total_price"] == order["sub_total"] == f"{Decimal(MONEY_MAX):.2f}"


def test_refused_creates_take_no_id_or_number(api):
    first = api.create()
    for refused in (
        _with("line_items.0", {"quantity": 2**31 - 1, "price": "1.00"}),
        _with("line_items", [{"quantity": 1, "price": MONEY_MAX}, {"quantity": 1, "price": MONEY_MAX}]),
        _with("line_items.0.price", "9" * 400),
    ):
        error_of(api.post("orders", refused), 400, "InvalidParameter")
    second = api.create()
    assert int(second["number"]) == int(first["number"]) + 1
    # Ids end in 11 digits of the shop's sequence.
    assert int(second["id"][-11:]) == int(first["id"][-11:]) + 1


# -- list and count ----------------------------------------------------------------


def test_list_envelope_and_default_page_size(api):
    for _ in range(11):
        api.create()
    data = listed(api)
    assert set(data) == {"orders", "cursor", "has_more"}
    assert len(data["orders"]) == 10 and data["has_more"] is True and data["cursor"]
    assert count(api) == 12


def test_cursor_walks_every_order_once(api, runtime):
    for _ in range(6):
        runtime.clock.advance(60)
        api.create()
    seen, cursor = [], None
    while True:
        data = listed(api, page_size=4, **({"cursor": cursor} if cursor else {}))
        seen += [order["id"] for order in data["orders"]]
        if not data["has_more"]:
            assert data["cursor"] == ""
            break
        cursor = data["cursor"]
    assert len(seen) == len(set(seen)) == 7
    created = [api.order(order_id)["created_at"] for order_id in seen]
    assert created == sorted(created, reverse=True)


def test_sort_by_and_direction(api, runtime):
    cheap = api.create(_with("line_items", [{"quantity": 1, "price": "1.00"}]))
    runtime.clock.advance(60)
    dear = api.create(_with("line_items", [{"quantity": 1, "price": "500.00"}]))
    asc = ids(api, sort_by="total_price", sort_direction="asc")
    assert asc.index(cheap["id"]) < asc.index(ORDER_ID) < asc.index(dear["id"])
    assert ids(api, sort_by="total_price", sort_direction="desc") == asc[::-1]
    assert ids(api, sort_by="created_at", sort_direction="asc") == [ORDER_ID, cheap["id"], dear["id"]]
    assert ids(api, sort_by="number", sort_direction="desc")[0] == dear["id"]


def test_filters(api, runtime):
    runtime.clock.freeze(1767225600)  # 2026-01-01T00:00:00Z
    a = api.create()
    runtime.clock.advance(3600)
    b = api.create()
    api.pay(b["id"], {"gateway": "x"})
    api.post(f"orders/{a['id']}/cancel", {})
    assert sorted(ids(api, ids=[a["id"], b["id"]])) == sorted([a["id"], b["id"]])
    assert ids(api, **{"ids[]": [ORDER_ID]}) == [ORDER_ID]
    assert ids(api, status="placed") == [b["id"]]
    assert sorted(ids(api, status=["placed", "cancelled"])) == sorted([a["id"], b["id"]])
    assert ids(api, financial_status="waiting") == [ORDER_ID]
    assert ids(api, fulfillment_status="cancelled") == [a["id"]]
    assert ids(api, customer_id=api.order()["customer"]["id"]) == [ORDER_ID]
    assert ids(api, created_at_min="2026-01-01T00:30:00Z") == [b["id"]]
    assert ids(api, created_at_max="2025-12-31T23:59:59Z") == [ORDER_ID]
    assert sorted(ids(api, created_at_min="2026-01-01T00:00:00Z", created_at_max="2026-01-01T01:00:00Z")) == sorted([a["id"], b["id"]])
    assert ids(api, updated_at_min="2026-01-01T00:30:00Z", sort_by="created_at") == [b["id"], a["id"]]
    assert ids(api, placed_at_min="2020-01-01T00:00:00Z") == [b["id"]]
    total = Decimal(api.order()["total_price"])
    assert ORDER_ID in ids(api, total_min=str(total), total_max=str(total))
    assert ORDER_ID not in ids(api, total_min=str(total + 1))
    assert ORDER_ID not in ids(api, total_max=str(total - 1))
    assert count(api, status="placed") == 1 and count(api, financial_status=["waiting", "paid"]) == 2


def test_unknown_parameters_are_ignored(api):
    api.create()
    assert ids(api, colour="blue", foo="") == ids(api)
    assert count(api, colour="blue") == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "251"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"status": "open"}, "status"),
        ({"financial_status": "settled"}, "financial_status"),
        ({"fulfillment_status": "lost"}, "fulfillment_status"),
        ({"created_at_min": "yesterday"}, "created_at_min"),
        ({"updated_at_max": "2025-13-01T00:00:00Z"}, "updated_at_max"),
        ({"total_min": "cheap"}, "total_min"),
        ({"total_min": "\uff11\uff10"}, "total_min"),
        ({"total_max": "1e999999"}, "total_max"),
        ({"created_at_min": "\uff12\uff10\uff12\uff15-10-31T07:57:29Z"}, "created_at_min"),
        ({"sort_by": "colour"}, "sort_by"),
        ({"sort_direction": "sideways"}, "sort_direction"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_list_parameters_are_400(api, query, field):
    assert field in error_of(api.get("orders", query=query), 400, "InvalidParameter")
    if field not in ("page_size", "cursor"):
        assert field in error_of(api.get("orders/count", query=query), 400, "InvalidParameter")


def test_page_size_bounds_are_accepted(api):
    assert len(listed(api, page_size=1)["orders"]) == 1
    assert len(listed(api, page_size=250)["orders"]) == 1


# Superscript, circled, fullwidth and Arabic-Indic digits: str.isdigit() takes them all; int() refused
# the first two (a 500) and silently read the others. Only ASCII [0-9] is a digit.
NON_ASCII_DIGITS = ["\u00b2", "\u2460", "\uff11", "\u0661", "1\u0660"]


@pytest.mark.parametrize("path", ["orders", "orders/count"])
@pytest.mark.parametrize("value", [*NON_ASCII_DIGITS, "9" * 5000, "1.5", "-1", "+5", "0x10"])
def test_page_size_takes_only_ascii_digits(api, path, value):
    assert error_of(api.get(path, query={"page_size": value}), 400, "InvalidParameter").startswith("page_size:")


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


FORGED_CURSORS = {
    "nan": _cursor(["created_at", "desc", ["NaN", 1, "x"]]),
    "infinity": _cursor(["created_at", "desc", ["Infinity", 1, "x"]]),
    "exponent": _cursor(["total_price", "asc", ["1e999999", 1, "x"]]),
    "fullwidth digit": _cursor(["number", "desc", ["\uff11", 1, "x"]]),
    "number for the position": _cursor(["created_at", "desc", [5, 1, "x"]]),
    "float length": _cursor(["created_at", "desc", ["5", 1.5, "x"]]),
    "infinite length": _cursor(["created_at", "desc", ["5", float("inf"), "x"]]),
    "boolean length": _cursor(["created_at", "desc", ["5", True, "x"]]),
    "length that is not the id's": _cursor(["created_at", "desc", ["5", 7, "x"]]),
    "object position": _cursor(["created_at", "desc", {"0": "5"}]),
    "short position": _cursor(["created_at", "desc", ["5", 1]]),
    "object": _cursor({"sort_by": "created_at"}),
    "unknown sort": _cursor(["colour", "desc", ["5", 1, "x"]]),
    "deep nesting": base64.urlsafe_b64encode(b"[" * 100_000).decode(),
    "not utf-8": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
}


@pytest.mark.parametrize("path", ["orders", "orders/count"])
@pytest.mark.parametrize("cursor", list(FORGED_CURSORS.values()), ids=list(FORGED_CURSORS))
def test_a_forged_cursor_is_400_naming_cursor(api, path, cursor):
    api.create()
    assert error_of(api.get(path, query={"cursor": cursor}), 400, "InvalidParameter").startswith("cursor:")


# -- update ------------------------------------------------------------------------


def test_update_note_tags_marketing_and_addresses(api, runtime):
    runtime.clock.freeze(1767225600)
    before = api.order()
    body = {
        "order": {
            "note": "ring twice",
            "tags": ["vip", "gift"],
            "buyer_accepts_marketing": True,
            "shipping_address": {"city": "Oakland", "first_name": "Janet"},
            "billing_address": {"zip": "94607"},
        }
    }
    response = api.put(f"orders/{ORDER_ID}", body)
    assert response.status_code == 200, response.get_json()
    order = response.get_json()["data"]["order"]
    assert (order["note"], order["tags"], order["buyer_accepts_marketing"]) == ("ring twice", "vip,gift", True)
    assert order["shipping_address"] == {**before["shipping_address"], "city": "Oakland", "first_name": "Janet", "name": "Janet Doe"}
    assert order["billing_address"] == {**before["billing_address"], "zip": "94607"}
    assert order["updated_at"] == iso(1767225600) and order["created_at"] == before["created_at"]
    assert order["total_price"] == before["total_price"]
    assert api.order() == order


SAME_VALUES = {
    "nothing": lambda order: {},
    "the same note": lambda order: {"note": order["note"]},
    "the same tags": lambda order: {"tags": order["tags"]},
    "the same city": lambda order: {"shipping_address": {"city": order["shipping_address"]["city"]}},
}


@pytest.mark.parametrize("change", list(SAME_VALUES.values()), ids=list(SAME_VALUES))
def test_an_update_that_changes_nothing_keeps_updated_at(api, runtime, change):
    runtime.clock.freeze(1767225600)
    order = api.order()
    before = snapshot(runtime)
    response = api.put(f"orders/{ORDER_ID}", {"order": change(order)})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["order"] == order
    assert snapshot(runtime) == before


def test_update_shipping_line_reprices_an_unpaid_order(api):
    before = api.order()
    body = {"order": {"shipping_line": {"shipping_name": "Express", "shipping_desc": "1-2 days", "shipping_price": "12.00"}}}
    order = api.put(f"orders/{ORDER_ID}", body).get_json()["data"]["order"]
    assert order["shipping_line"]["name"] == "Express" and order["shipping_line"]["desc"] == "1-2 days"
    assert order["total_shipping"] == "12.00"
    delta = Decimal("12.00") - Decimal(before["total_shipping"])
    assert Decimal(order["total_price"]) == Decimal(before["total_price"]) + delta


def test_update_additional_prices(api):
    before = api.order()
    fee = {"name": "gift_wrap", "price": "3.50", "fee_title": "Gift wrapping"}
    order = api.put(f"orders/{ORDER_ID}", {"order": {"additional_prices": [fee]}}).get_json()["data"]["order"]
    assert order["additional_total"] == "3.50"
    assert order["additional_prices"] == [{**fee, "biz_id": ""}]
    assert Decimal(order["total_price"]) == Decimal(before["total_price"]) + Decimal("3.50")
    order = api.put(f"orders/{ORDER_ID}", {"order": {"clear_additional_prices": True}}).get_json()["data"]["order"]
    assert order["additional_prices"] == [] and order["total_price"] == before["total_price"]


def test_repricing_a_paid_order_is_refused(api, runtime):
    api.pay(ORDER_ID, {})
    before = snapshot(runtime)
    body = {"order": {"shipping_line": {"shipping_name": "Express", "shipping_price": "12.00"}}}
    assert "shipping_line" in error_of(api.put(f"orders/{ORDER_ID}", body), 500, "FailedPrecondition")
    assert snapshot(runtime) == before
    assert api.put(f"orders/{ORDER_ID}", {"order": {"note": "still editable"}}).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "order"),
        ({"order": {"buyer_accepts_marketing": "yes"}}, "order.buyer_accepts_marketing"),
        ({"order": {"note": 5}}, "order.note"),
        ({"order": {"tags": {"a": 1}}}, "order.tags"),
        ({"order": {"shipping_line": {"shipping_name": "X"}}}, "order.shipping_line.shipping_price"),
        ({"order": {"shipping_address": {"city": 1}}}, "order.shipping_address.city"),
        ({"order": {"additional_prices": [{"name": "x", "price": "1"}]}}, "order.additional_prices.0.fee_title"),
        (
            {"order": {"shipping_line": {"shipping_name": "X", "shipping_price": "1", "delivery_method": 10**12}}},
            "order.shipping_line.delivery_method",
        ),
    ],
)
def test_update_validation_is_400(api, runtime, body, field):
    before = snapshot(runtime)
    assert field in error_of(api.put(f"orders/{ORDER_ID}", body), 400, "InvalidParameter")
    assert snapshot(runtime) == before


def test_update_beyond_the_largest_total_is_400_and_changes_nothing(api, runtime):
    before = snapshot(runtime)
    fees = [{"name": f"fee{i}", "price": MONEY_MAX, "fee_title": "Fee"} for i in range(2)]
    assert "order.additional_prices" in error_of(
        api.put(f"orders/{ORDER_ID}", {"order": {"additional_prices": fees}}), 400, "InvalidParameter"
    )
    assert snapshot(runtime) == before


def test_update_unknown_order_is_404(api):
    error_of(api.put("orders/1", {"order": {"note": "x"}}), 404, "NotFound")


# -- delete ------------------------------------------------------------------------


def test_delete_hides_the_order_everywhere(api, runtime):
    number = api.order()["number"]
    response = api.delete(f"orders/{ORDER_ID}")
    assert response.status_code == 200
    assert response.get_json() == {"code": "Success", "message": response.get_json()["message"], "data": {}}
    error_of(api.get(f"orders/{ORDER_ID}"), 404, "NotFound")
    error_of(api.get(f"orders/number/{number}"), 404, "NotFound")
    error_of(api.get(f"orders/{ORDER_ID}/transactions"), 404, "NotFound")
    assert ids(api) == [] and count(api) == 0
    before = snapshot(runtime)
    error_of(api.delete(f"orders/{ORDER_ID}"), 404, "NotFound")
    error_of(api.put(f"orders/{ORDER_ID}", {"order": {"note": "x"}}), 404, "NotFound")
    error_of(api.post(f"orders/{ORDER_ID}/cancel", {}), 404, "NotFound")
    assert snapshot(runtime) == before


# -- cancel ------------------------------------------------------------------------


def test_cancel_an_unpaid_order(api, runtime):
    runtime.clock.freeze(1767225600)
    response = api.post(f"orders/{ORDER_ID}/cancel", {"reason": "customer changed their mind"})
    assert response.status_code == 200
    order = response.get_json()["data"]["order"]
    assert (order["status"], order["financial_status"], order["fulfillment_status"]) == ("cancelled", "cancelled", "cancelled")
    assert order["cancelled_at"] == order["updated_at"] == iso(1767225600)
    assert order["cancel_reason"] == "customer changed their mind"


def test_cancel_a_paid_order_keeps_its_payment(api):
    api.pay(ORDER_ID, {"gateway": "x"})
    order = api.post(f"orders/{ORDER_ID}/cancel").get_json()["data"]["order"]
    assert (order["status"], order["financial_status"], order["cancel_reason"]) == ("cancelled", "paid", "")


def test_cancelling_twice_is_refused_and_changes_nothing(api, runtime):
    api.post(f"orders/{ORDER_ID}/cancel", {"reason": "r"})
    before = snapshot(runtime)
    assert "status" in error_of(api.post(f"orders/{ORDER_ID}/cancel", {"reason": "again"}), 500, "FailedPrecondition")
    assert snapshot(runtime) == before


def test_cancel_validation_and_unknown_order(api, runtime):
    before = snapshot(runtime)
    assert "reason" in error_of(api.post(f"orders/{ORDER_ID}/cancel", {"reason": 5}), 400, "InvalidParameter")
    error_of(api.post("orders/1/cancel", {}), 404, "NotFound")
    assert snapshot(runtime) == before
