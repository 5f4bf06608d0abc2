"""POST orders/{order_id}/payment/success: the four modes, their effects, and every refusal."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from .helpers import ORDER_ID, Shoplazza, documented_payment_line, error_of, example, nonempty, snapshot

# Persistence is under test here: every test also runs on a --db file.
STORAGES = ("memory", "file")

BILLING = {"billing_address": {"first_name": "name"}}
# Seed 004's documented scenarios, in tests/examples/shoplazza/.
TEST_ORDER = "004_payment_success_test_order"
CUSTOM_GATEWAY = "004_payment_success_custom_gateway"
PAYPAL = {"payment_channel": "paypal", "payment_method": "online", "transaction_no": "3240166068620277548"}


def iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def transactions(api: Shoplazza, order_id: str = ORDER_ID, **query) -> list[dict]:
    response = api.get(f"orders/{order_id}/transactions", query=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]["transactions"]


def pay_ok(api: Shoplazza, body: dict, order_id: str = ORDER_ID) -> dict:
    response = api.pay(order_id, body)
    assert response.status_code == 200, response.get_json()
    payload = response.get_json()
    assert payload["code"] == "Success" and isinstance(payload["message"], str)
    return payload["data"]["order"]


def test_paying_moves_the_order_to_paid_and_placed(api, frozen):
    before = api.order()
    assert (before["financial_status"], before["status"], before["placed_at"]) == ("waiting", "opened", "")
    paid = pay_ok(api, BILLING)
    assert paid["financial_status"] == "paid"
    assert paid["status"] == "placed"
    assert paid["total_paid"] == before["total_price"]
    assert paid["placed_at"] == paid["updated_at"] == iso(frozen)
    assert paid["created_at"] == before["created_at"]
    assert paid["payment_lines"] == [*before["payment_lines"], paid["payment_line"]]
    # The registry answers payment/success with a v202506.Order on both versions: the order as 2025-06 shows it.
    assert Shoplazza(api.client, "2025-06").order() == paid


def test_billing_address_fields_are_merged(api):
    before = api.order()["billing_address"]
    changes = {"first_name": "name", "city": "Oakland", "zip": "94607"}
    paid = pay_ok(api, {"billing_address": changes})
    address = paid["billing_address"]
    for key, value in before.items():
        assert address[key] == changes.get(key, value) or key == "name"
    assert address["name"] == f"name {before['last_name']}"


def test_without_billing_address_the_address_stays(api):
    before = api.order()["billing_address"]
    assert pay_ok(api, {})["billing_address"] == before


def test_bogus_gateway_makes_a_test_order(api, frozen):
    documented = documented_payment_line(TEST_ORDER)
    paid = pay_ok(api, example(TEST_ORDER)["request"]["body"])
    assert nonempty(paid["payment_line"]) == documented
    assert paid["payment_line"]["transaction_no"] == f"bg_{ORDER_ID}"
    assert "test_order" in paid["tags"].split(",")
    (txn,) = transactions(api)
    assert txn["test"] is True
    expected = (ORDER_ID, "success", documented["payment_channel"], documented["transaction_no"])
    assert (txn["order_id"], txn["status"], txn["payment_channel"], txn["trade_id"]) == expected
    assert Decimal(txn["amount"]) == Decimal(paid["total_price"])
    assert txn["currency"] == paid["currency"]
    assert txn["created_at"] == iso(frozen)


def test_test_order_tag_is_added_to_existing_tags_once(api):
    api.put(f"orders/{ORDER_ID}", {"order": {"tags": ["vip", "test_order"]}})
    assert pay_ok(api, {})["tags"].split(",") == ["vip", "test_order"]


def _next_custom_number(transaction_no: str) -> str:
    # cpn_<shop number>-<8-digit sequence>: the same shop, the next sequence.
    shop, sequence = transaction_no.rsplit("-", 1)
    return f"{shop}-{int(sequence) + 1:08d}"


def test_custom_gateway_numbers_count_up_per_shop(api):
    documented = documented_payment_line(CUSTOM_GATEWAY)
    first = pay_ok(api, example(CUSTOM_GATEWAY)["request"]["body"])
    assert nonempty(first["payment_line"]) == documented
    assert "test_order" not in first["tags"].split(",")
    # A bogus payment in between does not take a number; the next custom one gets the next.
    pay_ok(api, {}, api.create()["id"])
    second = pay_ok(api, {"gateway": "bank_transfer"}, api.create()["id"])
    assert second["payment_line"]["transaction_no"] == _next_custom_number(documented["transaction_no"])
    assert second["payment_line"]["payment_name"] == "bank_transfer"
    (txn,) = transactions(api)
    assert txn["test"] is False and txn["trade_id"] == documented["transaction_no"] and txn["payment_name"] == documented["payment_name"]


def test_each_token_is_its_own_shop_with_its_own_sequence(client, version):
    documented = documented_payment_line(CUSTOM_GATEWAY)["transaction_no"]
    a, b = Shoplazza(client, version, "token_a"), Shoplazza(client, version, "token_b")
    assert pay_ok(a, {"gateway": "x"})["payment_line"]["transaction_no"] == documented
    assert b.order()["financial_status"] == "waiting"
    assert pay_ok(b, {"gateway": "x"})["payment_line"]["transaction_no"] == documented


def test_gateway_and_payment_line_use_the_stores_method(api):
    paid = pay_ok(api, {**BILLING, "gateway": "customize", "payment_line": PAYPAL})
    assert nonempty(paid["payment_line"]) == {"payment_name": "customize", **PAYPAL}
    (txn,) = transactions(api)
    assert txn["test"] is False and txn["payment_channel"] == "paypal" and txn["trade_id"] == PAYPAL["transaction_no"]


def test_payment_line_only_names_the_payment_after_its_channel(api):
    line = {"payment_channel": "stripe", "payment_method": "credit_card", "transaction_no": "txn_xxx"}
    paid = pay_ok(api, {"payment_line": line})
    assert nonempty(paid["payment_line"]) == {"payment_name": "stripe", **line}
    assert "test_order" not in paid["tags"].split(",")
    assert transactions(api)[0]["test"] is False


def test_credit_card_number_is_kept(api):
    line = {**PAYPAL, "credit_card_number": "411111******1111"}
    paid = pay_ok(api, {"payment_line": line})
    assert paid["payment_line"]["credit_card_number"] == "411111******1111"
    assert transactions(api)[0]["payment_detail"]["card_last_four"] == "1111"


def test_payment_lines_without_payment_line(api):
    lines = [PAYPAL, {"payment_channel": "gift_card", "payment_method": "gift_card", "transaction_no": "gc_1"}]
    paid = pay_ok(api, {"gateway": "Split", "payment_lines": lines})
    assert nonempty(paid["payment_line"]) == {"payment_name": "Split", **PAYPAL}
    assert [line["transaction_no"] for line in paid["payment_lines"]] == ["3240166068620277548", "gc_1"]


def test_transactions_filter_by_status_and_channel(api):
    pay_ok(api, {"payment_line": PAYPAL})
    assert len(transactions(api, status="success")) == 1
    assert transactions(api, status="refunded") == []
    assert len(transactions(api, payment_channel="paypal")) == 1
    assert transactions(api, payment_channel="stripe") == []


def test_unpaid_order_has_no_transactions(api):
    assert transactions(api) == []


def test_paying_a_paid_order_is_refused_and_changes_nothing(api, runtime):
    pay_ok(api, {"gateway": "customize"})
    before = snapshot(runtime)
    message = error_of(api.pay(ORDER_ID, {"gateway": "customize"}), 500, "FailedPrecondition")
    assert "financial_status" in message and "paid" in message
    error_of(api.pay(ORDER_ID, {}), 500, "FailedPrecondition")
    assert snapshot(runtime) == before


def test_paying_a_cancelled_order_is_refused_and_changes_nothing(api, runtime):
    assert api.post(f"orders/{ORDER_ID}/cancel", {"reason": "customer"}).status_code == 200
    before = snapshot(runtime)
    message = error_of(api.pay(ORDER_ID, BILLING), 500, "FailedPrecondition")
    assert "status" in message and "cancelled" in message
    assert snapshot(runtime) == before


def test_paying_a_deleted_order_is_refused_and_changes_nothing(api, runtime):
    assert api.delete(f"orders/{ORDER_ID}").status_code == 200
    before = snapshot(runtime)
    error_of(api.pay(ORDER_ID, {"gateway": "customize"}), 404, "NotFound")
    assert snapshot(runtime) == before


def test_paying_an_unknown_order_is_404(api, runtime):
    before = snapshot(runtime)
    assert "order_id" in error_of(api.pay("999", {}), 404, "NotFound")
    assert snapshot(runtime) == before


@pytest.mark.parametrize("missing", ["payment_channel", "payment_method", "transaction_no"])
def test_payment_line_requires_its_three_fields(api, runtime, missing):
    line = {key: value for key, value in PAYPAL.items() if key != missing}
    before = snapshot(runtime)
    message = error_of(api.pay(ORDER_ID, {"gateway": "customize", "payment_line": line}), 400, "InvalidParameter")
    assert f"payment_line.{missing}" in message
    assert snapshot(runtime) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"gateway": ""}, "gateway"),
        ({"gateway": 7}, "gateway"),
        ({"payment_line": {**PAYPAL, "transaction_no": ""}}, "payment_line.transaction_no"),
        ({"payment_line": "paypal"}, "payment_line"),
        ({"payment_lines": [{"payment_channel": "paypal"}]}, "payment_lines.0.payment_method"),
        ({"billing_address": {"first_name": 5}}, "billing_address.first_name"),
        ({"billing_address": "Main Street"}, "billing_address"),
    ],
)
def test_invalid_bodies_are_400_naming_the_field(api, runtime, body, field):
    before = snapshot(runtime)
    assert field in error_of(api.pay(ORDER_ID, body), 400, "InvalidParameter")
    assert snapshot(runtime) == before


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_400(api, runtime, raw):
    before = snapshot(runtime)
    response = api.client.post(api.path(f"orders/{ORDER_ID}/payment/success"), data=raw, headers={"access-token": api.token})
    error_of(response, 400, "InvalidParameter")
    assert snapshot(runtime) == before
