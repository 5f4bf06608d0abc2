"""Money formats and JSON types of Shoppex request bodies: refused with a 422 naming the field, nothing changed.

Money is a JSON number everywhere except refund `amount`, a decimal string; both carry at most two decimals.
"""

import json
from decimal import Decimal

import pytest

from mockserver.shoppex.models import INVOICES, REFUNDS

AUTH = {"Authorization": "Bearer shx_test_key"}
NAMESPACE = "shx_test_key"
PAYMENT = {"title": "Top-up", "email": "p@example.com", "value": 10, "currency": "USD"}
SESSION = {"product": {"name": "Pass", "quantity": 1}, "amount": 10, "currency": "USD", "customer_email": "s@example.com"}
ORDER = {"email": "buyer@example.com", "items": [{"product_id": "prod_3", "quantity": 1}]}


def state(runtime):
    return runtime.store.export(NAMESPACE)


class Raw:
    """A JSON number token sent as written (1e400 parses to inf; the test client cannot send inf)."""

    def __init__(self, token: str):
        self.token = token

    def __repr__(self) -> str:
        return self.token


def encode(body) -> str:
    text = json.dumps(body, default=lambda v: f"@@{v.token}@@")
    return text.replace('"@@', "").replace('@@"', "")


def assert_refused(client, runtime, method, path, body, field):
    client.get("/dev/v1/me", headers=AUTH)  # seed the namespace before taking the "before" picture
    before = state(runtime)
    response = client.open(path, method=method, data=encode(body), content_type="application/json", headers=AUTH)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    # The field itself, or one of its entries ("custom_fields.0").
    assert [d for d in error["details"] if d["field"] == field or d["field"].startswith(f"{field}.")]
    assert state(runtime) == before


# -- refund amount: a plain decimal string -------------------------------------------------


@pytest.fixture
def paid(client):
    """ord_123 (a STRIPE order) completed, ready to refund."""
    assert client.post("/dev/v1/orders/ord_123/complete", headers=AUTH).status_code == 200
    return "/dev/v1/orders/ord_123/refund"


@pytest.mark.parametrize("amount", ["0.01", "10", "10.5", "10.00", ".50", "007.10"])
def test_refund_accepts_a_plain_decimal_string(client, runtime, paid, amount):
    response = client.post(paid, json={"amount": amount}, headers=AUTH)
    assert response.status_code == 200, response.get_json()
    refunds = runtime.store.all(NAMESPACE, REFUNDS)
    assert [Decimal(str(r["amount"])) for r in refunds] == [Decimal(amount)]


@pytest.mark.parametrize(
    "amount",
    [
        "10.001",  # a third decimal is refused, not rounded
        "\uff11\uff10",  # fullwidth digits
        "\u0661\u0660",  # Arabic-Indic digits
        "1_0",
        " 10 ",
        "10\n",
        "+10",
        "-1",
        "1e1",
        "10.",
        "",
        ".",
        "NaN",
        "Infinity",
        "0",
        "0.00",
        "0.001",
        "1000000000.01",
        10,
        10.5,
        True,
        None,
        ["10.00"],
    ],
)
def test_refund_refuses_anything_else_naming_amount(client, runtime, paid, amount):
    assert_refused(client, runtime, "POST", paid, {"amount": amount}, "amount")


# -- payment value and checkout-session amount: a JSON number, two decimals at most ---------------

BAD_NUMBERS = ["10.00", "10", True, None, [10], {"value": 10}, 33.335, 0.001, 0, -1, 1e-9, 10**30, Raw("1e400"), Raw("-1e400")]


@pytest.mark.parametrize("value", BAD_NUMBERS, ids=repr)
def test_payment_value_must_be_a_number_with_two_decimals(client, runtime, value):
    assert_refused(client, runtime, "POST", "/dev/v1/payments", {**PAYMENT, "value": value}, "value")


@pytest.mark.parametrize("amount", BAD_NUMBERS, ids=repr)
def test_session_amount_must_be_a_number_with_two_decimals(client, runtime, amount):
    assert_refused(client, runtime, "POST", "/dev/v1/checkout/sessions", {**SESSION, "amount": amount}, "amount")


@pytest.mark.parametrize("value, quantity", [(0.01, 1), (33.33, 3), (0.1, 3), (19.99, 7), (1_000_000_000, 1)])
def test_payment_lines_are_consistent(client, value, quantity):
    created = client.post("/dev/v1/payments", json={**PAYMENT, "value": value, "quantity": quantity}, headers=AUTH)
    assert created.status_code == 201, created.get_json()
    invoice = client.get(f"/dev/v1/invoices/{created.get_json()['data']['uniqid']}", headers=AUTH).get_json()["data"]
    (line,) = invoice["items"]
    unit, total = Decimal(str(line["unit_price"])), Decimal(str(line["total"]))
    assert unit == Decimal(str(value))
    assert total == unit * quantity == Decimal(str(invoice["total"])) == Decimal(str(created.get_json()["data"]["total"]))


# -- booleans are JSON booleans -----------------------------------------------------------------


@pytest.mark.parametrize("flag", [0, 1, "true", "false", "yes", 1.0])
@pytest.mark.parametrize(
    "path", ["/dev/v1/orders/inv_complete_1/complete", "/dev/v1/invoices/cccccccc-cccc-4ccc-8ccc-cccccccccccc/complete"]
)
def test_suppress_emails_must_be_a_boolean(client, runtime, path, flag):
    assert_refused(client, runtime, "POST", path, {"suppress_emails": flag}, "suppress_emails")


@pytest.mark.parametrize("flag", [0, 1, "true", None])
@pytest.mark.parametrize("path, body", [("/dev/v1/payments", PAYMENT), ("/dev/v1/checkout/sessions", SESSION)])
def test_white_label_must_be_a_boolean(client, runtime, path, body, flag):
    assert_refused(client, runtime, "POST", path, {**body, "white_label": flag}, "white_label")


@pytest.mark.parametrize("flag", [True, False])
def test_booleans_are_accepted(client, flag):
    assert client.post("/dev/v1/payments", json={**PAYMENT, "white_label": flag}, headers=AUTH).status_code == 201
    response = client.post("/dev/v1/orders/inv_complete_1/complete", json={"suppress_emails": flag}, headers=AUTH)
    assert response.status_code == 200


# -- custom_fields: only the documented shapes ------------------------------------------------------

GOOD_CUSTOM_FIELDS = [
    None,
    {"source": "affiliate", "campaign": "spring_launch"},
    {"customFields": []},
    {"customFields": [{"name": "Discord", "value": "buyer#1"}]},
    [],
    [{"name": "Discord", "value": "buyer#1"}, {"name": "Seats", "value": 3}, {"name": "Gift", "value": None}],
]
BAD_CUSTOM_FIELDS = [
    [1, 2],
    ["a"],
    "source=affiliate",
    5,
    True,
    [{"name": "Discord"}],
    [{"value": "x"}],
    [{"name": "", "value": "x"}],
    [{"name": 1, "value": "x"}],
    [{"name": "Discord", "value": "x", "extra": 1}],
    [{"name": "Discord", "value": {"nested": 1}}],
    [{"name": "Discord", "value": ["x"]}],
    {"customFields": [1]},
    {"customFields": "x"},
    {"customFields": None},
]


@pytest.mark.parametrize("custom_fields", GOOD_CUSTOM_FIELDS, ids=repr)
def test_order_custom_fields_in_a_documented_shape_come_back_as_sent(client, custom_fields):
    created = client.post("/dev/v1/orders", json={**ORDER, "custom_fields": custom_fields}, headers=AUTH)
    assert created.status_code == 201, created.get_json()
    fetched = client.get(f"/dev/v1/orders/{created.get_json()['data']['id']}", headers=AUTH).get_json()["data"]
    assert fetched["custom_fields"] == custom_fields


@pytest.mark.parametrize("custom_fields", BAD_CUSTOM_FIELDS, ids=repr)
def test_order_custom_fields_in_another_shape_are_refused(client, runtime, custom_fields):
    assert_refused(client, runtime, "POST", "/dev/v1/orders", {**ORDER, "custom_fields": custom_fields}, "custom_fields")


@pytest.mark.parametrize("custom_fields", [[1, 2], [{}], [{"name": "Discord"}], {"customFields": []}])
def test_payment_custom_fields_are_an_array_of_name_value_pairs(client, runtime, custom_fields):
    assert_refused(client, runtime, "POST", "/dev/v1/payments", {**PAYMENT, "custom_fields": custom_fields}, "custom_fields")


def test_payment_custom_fields_come_back_on_the_invoice(client, runtime):
    entries = [{"name": "Discord", "value": "buyer#1"}]
    created = client.post("/dev/v1/payments", json={**PAYMENT, "custom_fields": entries}, headers=AUTH).get_json()["data"]
    assert runtime.store.get(NAMESPACE, INVOICES, created["uniqid"])["custom_fields"] == entries
