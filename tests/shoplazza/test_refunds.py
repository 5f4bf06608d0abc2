"""Shoplazza refunds and post-sales on both versions: the registry's paths and shapes, the cap, the lifecycle, refusals.

Every answer is checked against the registry's response schema of its command (tests/schemas/,
Shoplazza's own registry); the statuses are the registry's value sets.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from mockserver import create_app
from mockserver.config import Settings

from .conformance import COMMANDS, assert_conforms
from .helpers import ORDER_ID, TOKEN, Shoplazza, error_of, snapshot
from .test_order_schema import assert_order

# Every test on both API versions: each answers in its own version's registry shape.
pytestmark = pytest.mark.versions

# Every refund write goes through the --db file too.
STORAGES = ("memory", "file")
REFUND_COMMANDS = (
    "order-refund-record-create", "order-refund-record", "order-refund-records", "order-refund-record-count",
    "order-post-sales", "order-post-sale-delete",
)  # fmt: skip
PAYPAL = {"payment_channel": "paypal", "payment_method": "online", "transaction_no": "PAYPAL-1"}


def registry_call(api: Shoplazza, command_id: str, values: dict, body=None, query=None):
    """Call a registry command at its own method and path, on the client's version."""
    http = COMMANDS[command_id]["http"]
    path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], http["path"]).removeprefix("/openapi/2026-01/")
    return api.call(http["method"], path, body, query=query)


def conforms(command_id: str, response) -> dict:
    """Assert a 200 Success whose data carries every field of the command's registry response schema, typed; return data."""
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["code"] == "Success", body
    # The version the request was made on is in its path: /openapi/{version}/...
    assert_conforms(body, command_id, response.request.path.split("/")[2])
    return body["data"]


def refund(api: Shoplazza, order_id: str, total: str, **more):
    """POST orders/{order_id}/refund with refund_total and any other fields."""
    return api.post(f"orders/{order_id}/refund", {"refund": {"refund_total": total, **more}})


def paid_order(api: Shoplazza, body=None) -> dict:
    """A new order paid in full (the bogus test gateway unless `body` says otherwise)."""
    order = api.create()
    response = api.pay(order["id"], body or {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]["order"]


def test_every_refund_and_post_sale_command_answers_at_its_registry_path_in_its_registry_shape(api):
    order = paid_order(api)
    line = order["line_items"][0]
    body = {"refund": {"refund_total": "5.00", "refund_line_items": [{"line_item_id": line["id"], "quantity": 1}], "note": "dented"}}
    created = conforms("order-refund-record-create", registry_call(api, "order-refund-record-create", {"order_id": order["id"]}, body))
    by_order = conforms("order-refund-record", registry_call(api, "order-refund-record", {"order_id": order["id"]}))
    assert [r["id"] for r in by_order["records"]] == [created["refund_record_id"]]
    listed = conforms("order-refund-records", registry_call(api, "order-refund-records", {}))
    assert [r["id"] for r in listed["records"]] == [created["refund_record_id"]]
    assert conforms("order-refund-record-count", registry_call(api, "order-refund-record-count", {}))["count"] == 1
    sales = conforms("order-post-sales", registry_call(api, "order-post-sales", {}))
    assert [s["id"] for s in sales["orders"]] == [created["post_sale_id"]]
    conforms("order-post-sale-delete", registry_call(api, "order-post-sale-delete", {"post_sale_id": created["post_sale_id"]}))
    assert api.get("orders/post_sales").get_json()["data"]["orders"] == []


def test_create_pay_partially_refund_then_refund_in_full_capped_at_what_was_paid(api, runtime):
    order = paid_order(api)
    total = Decimal(order["total_price"])
    first = conforms("order-refund-record-create", refund(api, order["id"], "10.00"))
    after_first = api.order(order["id"])
    assert (after_first["financial_status"], after_first["total_refund_price"]) == ("partially_refunded", "10.00")
    assert_order(after_first, api.version)
    # More than what is left is refused, naming refund_total and what is left; nothing changes.
    before = snapshot(runtime)
    message = error_of(refund(api, order["id"], str(total)), 400, "InvalidParameter")
    assert message.startswith("refund.refund_total:") and str(total - 10) in message
    assert snapshot(runtime) == before
    second = conforms("order-refund-record-create", refund(api, order["id"], str(total - 10)))
    refunded = api.order(order["id"])
    assert (refunded["financial_status"], refunded["total_refund_price"], refunded["status"]) == ("refunded", str(total), "placed")
    # Each refund is a transaction of its amount; the payment stays a success.
    transactions = api.get(f"orders/{order['id']}/transactions").get_json()["data"]["transactions"]
    assert [(t["status"], t["amount"]) for t in transactions] == [
        ("success", str(total)),
        ("refunded", "10.00"),
        ("refunded", str(total - 10)),
    ]
    records = conforms("order-refund-record", api.get(f"orders/{order['id']}/refund"))
    assert records["order_financial_status"] == "refunded"
    assert [r["id"] for r in records["records"]] == [first["refund_record_id"], second["refund_record_id"]]
    assert {r["payment_details"][0]["id"] for r in records["records"]} == {t["id"] for t in transactions[1:]}
    # Nothing is left to refund: the order is no longer refundable.
    assert "refunded" in error_of(refund(api, order["id"], "0.01"), 500, "FailedPrecondition")


def test_refunded_line_items_count_their_quantities_and_show_in_the_post_sale_record(api):
    order = paid_order(api)
    line = order["line_items"][0]
    body = {"refund_line_items": [{"line_item_id": line["id"], "quantity": 2}], "note": "broken"}
    created = conforms("order-refund-record-create", refund(api, order["id"], "20.20", **body))
    assert api.order(order["id"])["line_items"][0]["refund_quantity_total"] == 2
    record = api.get(f"orders/{order['id']}/refund").get_json()["data"]["records"][0]
    assert record["refund_line_items"][0]["refund_quantity"] == 2
    (sale,) = api.get("orders/post_sales").get_json()["data"]["orders"]
    assert (sale["id"], sale["order_number"], sale["refund_amount"], sale["post_sale_note"]) == (
        created["post_sale_id"],
        order["number"],
        "20.20",
        "broken",
    )
    assert sale["line_items"][0]["refund_quantity"] == 2
    # Only one of the line's three is left.
    too_many = {"refund_line_items": [{"line_item_id": line["id"], "quantity": 2}]}
    assert error_of(refund(api, order["id"], "1.00", **too_many), 400, "InvalidParameter").startswith(
        "refund.refund_line_items.0.quantity:"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"refund": {}}, "refund.refund_total"),
        ({}, "refund"),
        ({"refund": {"refund_total": 5}}, "refund.refund_total"),
        ({"refund": {"refund_total": "0"}}, "refund.refund_total"),
        ({"refund": {"refund_total": "1.00", "refund_payments": [{"refund_price": "1.00"}]}}, "refund.refund_payments.0.payment_line_id"),
        (
            {"refund": {"refund_total": "1.00", "refund_payments": [{"payment_line_id": "nope", "refund_price": "1.00"}]}},
            "refund.refund_payments.0.payment_line_id",
        ),
        ({"refund": {"refund_total": "1.00", "refund_line_items": [{"quantity": 1}]}}, "refund.refund_line_items.0.line_item_id"),
        ({"refund": {"refund_total": "1.00", "refund_line_items": [{"line_item_id": "nope"}]}}, "refund.refund_line_items.0.line_item_id"),
        (
            {"refund": {"refund_total": "1.00", "refund_line_items": [{"line_item_id": "x", "refund_item_type": "lost"}]}},
            "refund.refund_line_items.0.refund_item_type",
        ),
        ({"refund": {"refund_total": "1.00", "refund_additional_prices": [{"name": "fee"}]}}, "refund.refund_additional_prices.0.price"),
    ],
)
def test_bad_refunds_are_400_naming_the_field_and_change_nothing(api, runtime, body, field):
    order = paid_order(api)
    before = snapshot(runtime)
    assert error_of(api.post(f"orders/{order['id']}/refund", body), 400, "InvalidParameter").startswith(field)
    assert snapshot(runtime) == before


def test_refund_payments_must_name_the_order_s_payment_lines_and_add_up(api):
    order = paid_order(api, {"payment_line": PAYPAL, "gateway": "PayPal"})
    wrong_sum = {"refund_payments": [{"payment_line_id": PAYPAL["transaction_no"], "refund_price": "2.00"}]}
    assert error_of(refund(api, order["id"], "3.00", **wrong_sum), 400, "InvalidParameter").startswith("refund.refund_payments:")
    right = {"refund_payments": [{"payment_line_id": PAYPAL["transaction_no"], "refund_price": "3.00"}]}
    created = conforms("order-refund-record-create", refund(api, order["id"], "3.00", **right))
    (record,) = api.get(f"orders/{order['id']}/refund").get_json()["data"]["records"]
    assert record["id"] == created["refund_record_id"]
    assert (record["payment_details"][0]["payment_line_id"], record["payment_details"][0]["payment_channel"]) == (
        PAYPAL["transaction_no"],
        "paypal",
    )


def test_unpaid_missing_and_cancelled_unpaid_orders_cannot_be_refunded(api, runtime):
    before = snapshot(runtime)
    assert error_of(refund(api, ORDER_ID, "1.00"), 500, "FailedPrecondition").startswith("financial_status:")
    assert error_of(refund(api, "404404", "1.00"), 404, "NotFound").startswith("order_id:")
    assert error_of(api.get("orders/404404/refund"), 404, "NotFound").startswith("order_id:")
    assert api.post(f"orders/{ORDER_ID}/cancel", {}).status_code == 200
    changed = snapshot(runtime)
    assert error_of(refund(api, ORDER_ID, "1.00"), 500, "FailedPrecondition").startswith("financial_status:")
    assert snapshot(runtime) == changed != before


def test_pay_then_cancel_keeps_the_payment_until_it_is_refunded(api):
    order = paid_order(api)
    cancelled = api.post(f"orders/{order['id']}/cancel", {"reason": "customer"}).get_json()["data"]["order"]
    assert (cancelled["status"], cancelled["financial_status"]) == ("cancelled", "paid")
    conforms("order-refund-record-create", refund(api, order["id"], order["total_price"]))
    refunded = api.order(order["id"])
    assert (refunded["status"], refunded["financial_status"], refunded["total_refund_price"]) == (
        "cancelled",
        "refunded",
        order["total_price"],
    )


def test_refund_records_filter_sort_page_and_count(api, runtime, frozen):
    orders = [paid_order(api) for _ in range(3)]
    ids = []
    for i, order in enumerate(orders):
        runtime.clock.freeze(frozen + i)
        ids.append(refund(api, order["id"], "1.00").get_json()["data"]["refund_record_id"])

    def listed(**query) -> list[str]:
        return [r["id"] for r in conforms("order-refund-records", api.get("orders/refund_records", query=query))["records"]]

    def count(**query) -> int:
        return conforms("order-refund-record-count", api.get("orders/refund_records/count", query=query))["count"]

    assert listed() == ids[::-1]
    assert listed(sort_direction="asc") == ids
    assert listed(order_ids=[orders[0]["id"], orders[2]["id"]]) == [ids[2], ids[0]]
    assert listed(refund_order_ids=[ids[1]]) == [ids[1]]
    assert count(refund_statuses=["finished"]) == 3 and count(refund_statuses=["pending", "failed"]) == 0
    assert count(created_at_start="2025-10-31T08:09:23Z") == 2
    assert count(order_ids=[orders[1]["id"]], updated_at_end="2025-10-31T08:09:22Z") == 0
    # Pages of one, each cursor leading to the next, "" on the last.
    seen, cursor = [], None
    while cursor != "":
        data = conforms(
            "order-refund-records", api.get("orders/refund_records", query={"page_size": 1, **({"cursor": cursor} if cursor else {})})
        )
        seen += [r["id"] for r in data["records"]]
        cursor = data["cursor"]
        assert data["has_more"] == (cursor != "")
    assert seen == ids[::-1]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("orders/refund_records", {"page_size": "101"}, "page_size"),
        ("orders/refund_records", {"page_size": "0"}, "page_size"),
        ("orders/refund_records", {"sort_by": "amount"}, "sort_by"),
        ("orders/refund_records", {"cursor": "nope"}, "cursor"),
        ("orders/refund_records/count", {"refund_statuses": "done"}, "refund_statuses"),
        ("orders/refund_records/count", {"order_ids": [str(i) for i in range(11)]}, "order_ids"),
        ("orders/refund_records/count", {"created_at_start": "yesterday"}, "created_at_start"),
        ("orders/post_sales", {"status": "done"}, "status"),
        ("orders/post_sales", {"page_size": "x"}, "page_size"),
    ],
)
def test_bad_list_parameters_are_400_naming_them(api, path, query, field):
    assert error_of(api.get(path, query=query), 400, "InvalidParameter").startswith(field)


def test_post_sales_filter_by_status_and_delete(api):
    order = paid_order(api)
    first = refund(api, order["id"], "1.00").get_json()["data"]
    second = refund(api, order["id"], "2.00").get_json()["data"]
    sales = conforms("order-post-sales", api.get("orders/post_sales"))["orders"]
    assert [s["id"] for s in sales] == [second["post_sale_id"], first["post_sale_id"]]
    assert [s["number"] for s in sales] == [f"{order['number']}-2", f"{order['number']}-1"]
    assert len(api.get("orders/post_sales", query={"status": "finished"}).get_json()["data"]["orders"]) == 2
    assert api.get("orders/post_sales", query={"status": "processing"}).get_json()["data"]["orders"] == []
    assert api.delete(f"orders/post_sales/{first['post_sale_id']}").status_code == 200
    assert error_of(api.delete(f"orders/post_sales/{first['post_sale_id']}"), 404, "NotFound").startswith("post_sale_id:")
    # The refund record stays.
    assert len(api.get(f"orders/{order['id']}/refund").get_json()["data"]["records"]) == 2


def test_refunds_belong_to_the_token(client, version):
    mine, theirs = Shoplazza(client, version), Shoplazza(client, version, "someone-else")
    order = paid_order(mine)
    refund(mine, order["id"], "1.00")
    assert theirs.get("orders/refund_records/count").get_json()["data"]["count"] == 0
    assert theirs.get("orders/post_sales").get_json()["data"]["orders"] == []
    assert mine.get("orders/refund_records/count").get_json()["data"]["count"] == 1
    assert TOKEN != "someone-else"


def test_refunds_post_sales_and_risks_survive_a_restart_on_file_storage(tmp_path, version):
    settings = Settings(db=tmp_path / "db.json")
    first = create_app(settings)
    api = Shoplazza(first.test_client(), version)
    order = paid_order(api)
    created = refund(api, order["id"], "1.00").get_json()["data"]
    risk = api.post(f"orders/{order['id']}/risks", {"risk": {"level": "low"}}).get_json()["data"]["risk"]
    before = (api.get(f"orders/{order['id']}/refund").get_json(), api.get("orders/post_sales").get_json(), risk)
    first.extensions["mockserver"].store.close()
    second = create_app(settings)
    api = Shoplazza(second.test_client(), version)
    after = (
        api.get(f"orders/{order['id']}/refund").get_json(),
        api.get("orders/post_sales").get_json(),
        api.get(f"orders/{order['id']}/risks/{risk['id']}").get_json()["data"]["risk"],
    )
    assert after == before and after[0]["data"]["records"][0]["id"] == created["refund_record_id"]
    second.extensions["mockserver"].store.close()
