"""POST /orders, /payments and /checkout/sessions; the catalogue and /me."""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest

from mockserver.config import bundled_fixtures_dir
from mockserver.wire import parse_iso
from tests.conftest import load_examples

AUTH = {"Authorization": "Bearer shx_test_key"}
FIXTURES = bundled_fixtures_dir() / "shoppex"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def fixture(kind, name):
    return json.loads((FIXTURES / kind / name).read_text())


PRO = fixture("products", "invoices-get.prod_2.json")
BONUS = fixture("products", "invoices-get.prod_3.json")
SPRING = fixture("coupons", "spring10.json")


def test_create_order_prices_items_and_applies_the_coupon(client):
    gold = PRO["variants"][1]
    payload = {
        "email": "buyer@example.com",
        "coupon_code": SPRING["code"],
        "gateway": "STRIPE",
        "custom_fields": {"source": "test"},
        "items": [{"product_id": PRO["id"], "variant_id": gold["id"], "quantity": 2}, {"product_id": BONUS["id"], "quantity": 1}],
    }
    response = client.post("/dev/v1/orders", json=payload, headers=AUTH)
    assert response.status_code == 201
    order = response.get_json()["data"]
    subtotal = Decimal(str(gold["price"])) * 2 + Decimal(str(BONUS["price"]))
    discount = (subtotal * Decimal(SPRING["discount"]) / 100).quantize(Decimal("0.01"))
    assert Decimal(str(order["subtotal"])) == subtotal
    assert Decimal(str(order["discount"])) == discount
    assert Decimal(str(order["total"])) == subtotal - discount
    assert (order["status"], order["payment_status"], order["flow_type"], order["gateway"]) == ("PENDING", "PENDING", "CHECKOUT", "STRIPE")
    assert order["checkout_url"] == f"https://checkout.shoppex.io/invoice/{order['uniqid']}"
    assert UUID4.match(order["uniqid"]) and re.match(r"^inv_[0-9a-f]+$", order["id"])
    assert [i["variant_title"] for i in order["items"]] == [gold["title"], None]
    # GET shows the order fields of the create answer (the create example also shows some invoice fields).
    shown = client.get(f"/dev/v1/orders/{order['uniqid']}", headers=AUTH).get_json()["data"]
    assert shown == {k: v for k, v in order.items() if k in shown} and set(order) - set(shown) <= INVOICE_FIELDS


@pytest.mark.parametrize(
    "items, coupon, status, code, field",
    [
        ([{"product_id": "prod_missing", "quantity": 1}], None, 404, "PRODUCT_NOT_FOUND", "items.0.product_id"),
        ([{"product_id": "prod_2", "variant_id": "var_missing", "quantity": 1}], None, 422, "VALIDATION_ERROR", "items.0.variant_id"),
        ([{"product_id": "prod_2", "quantity": 0}], None, 422, "VALIDATION_ERROR", "items.0.quantity"),
        ([{"product_id": "prod_2", "quantity": 1}], "NOPE", 404, "COUPON_NOT_FOUND", "coupon_code"),
        ([], None, 422, "VALIDATION_ERROR", "items"),
    ],
)
def test_create_order_refusals_name_the_field_and_store_nothing(client, runtime, items, coupon, status, code, field):
    before = len(runtime.store.all("shx_test_key", "shoppex.invoices"))
    payload = {"email": "buyer@example.com", "items": items, **({"coupon_code": coupon} if coupon else {})}
    response = client.post("/dev/v1/orders", json=payload, headers=AUTH)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and field in [d["field"] for d in error["details"]]
    assert len(runtime.store.all("shx_test_key", "shoppex.invoices")) == before


def test_create_payment_carries_the_webhook_secret_once(client):
    payload = {
        "title": "Top-up",
        "email": "p@example.com",
        "value": 12.5,
        "currency": "eur",
        "quantity": 2,
        "webhook": "http://127.0.0.1:9/hook",
    }
    created = client.post("/dev/v1/payments", json=payload, headers=AUTH).get_json()["data"]
    assert set(created) == {
        "uniqid",
        "url",
        "url_branded",
        "checkout_url",
        "session_id",
        "total",
        "currency",
        "status",
        "created_at",
        "webhook_secret",
    }
    assert (created["total"], created["currency"], created["status"]) == (25, "EUR", "PENDING")
    fetched = client.get(f"/dev/v1/payments/{created['uniqid']}", headers=AUTH).get_json()["data"]
    assert "webhook_secret" not in fetched
    assert fetched == {k: v for k, v in created.items() if k != "webhook_secret"}
    completed = client.post(f"/dev/v1/payments/{created['uniqid']}/complete", headers=AUTH).get_json()["data"]
    assert completed["status"] == "COMPLETED"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"email": "nope"}, "email"),
        ({"value": 0}, "value"),
        ({"currency": "EURO"}, "currency"),
        ({"gateway": "BANK"}, "gateway"),
    ],
)
def test_create_payment_validation(client, change, field):
    payload = {"title": "Top-up", "email": "p@example.com", "value": 1, "currency": "USD", **change}
    response = client.post("/dev/v1/payments", json=payload, headers=AUTH)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]


def test_checkout_session_has_the_documented_fields(client, runtime):
    runtime.clock.freeze(runtime.clock.now())
    payload = {
        "product": {"name": "Pass", "quantity": 3},
        "amount": 4,
        "currency": "USD",
        "customer_email": "s@example.com",
        "success_url": "https://a.example/ok",
    }
    session = client.post("/dev/v1/checkout/sessions", json=payload, headers=AUTH).get_json()["data"]
    documented = {
        "id",
        "url",
        "status",
        "amount",
        "currency",
        "customer_email",
        "success_url",
        "cancel_url",
        "created_at",
        "expires_at",
        "checkout_url",
        "session_id",
    }
    assert set(session) == documented
    assert (session["amount"], session["success_url"], session["id"]) == (12, "https://a.example/ok", session["session_id"])
    # The docs type expires_at as a string: ISO 8601 UTC.
    assert parse_iso(session["expires_at"]) - session["created_at"] == runtime.settings.invoice_ttl
    assert session["expires_at"].endswith("Z")


def test_refund_rules(client, runtime):
    client.post("/dev/v1/orders/ord_123/complete", headers=AUTH)  # a STRIPE order
    total = Decimal(str(runtime.store.get("shx_test_key", "shoppex.invoices", "ord_123")["total"]))
    too_much = client.post("/dev/v1/orders/ord_123/refund", json={"amount": str(total + 1)}, headers=AUTH)
    assert too_much.status_code == 422 and too_much.get_json()["error"]["details"][0]["field"] == "amount"
    not_string = client.post("/dev/v1/orders/ord_123/refund", json={"amount": 1}, headers=AUTH)
    assert not_string.status_code == 422
    part = client.post("/dev/v1/orders/ord_123/refund", json={"amount": "1.00", "reason": "test"}, headers=AUTH)
    assert part.get_json() == {"data": {"message": "Invoice refunded successfully."}}
    assert runtime.store.get("shx_test_key", "shoppex.invoices", "ord_123")["status"] == "COMPLETED"
    rest = client.post("/dev/v1/orders/ord_123/refund", json={"amount": str(total - 1)}, headers=AUTH)
    assert rest.status_code == 200
    assert runtime.store.get("shx_test_key", "shoppex.invoices", "ord_123")["status"] == "REFUNDED"


def test_only_stripe_and_paypal_orders_are_refunded(client):
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=AUTH)  # a PANDABASE order
    response = client.post("/dev/v1/orders/inv_complete_1/refund", json={"amount": "1.00"}, headers=AUTH)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.get_json()["error"]["details"][0]["field"] == "gateway"


def test_catalogue_and_me(client):
    assert client.get(f"/dev/v1/products/{PRO['id']}", headers=AUTH).get_json()["data"] == PRO
    assert client.get("/dev/v1/products/nope", headers=AUTH).get_json()["error"]["code"] == "PRODUCT_NOT_FOUND"
    assert client.get(f"/dev/v1/coupons/code/{SPRING['code']}", headers=AUTH).get_json()["data"] == SPRING
    assert client.get("/dev/v1/coupons/code/NOPE", headers=AUTH).status_code == 404
    listed = client.get("/dev/v1/products/", headers=AUTH).get_json()["data"]
    assert {p["id"] for p in listed} == {json.loads(p.read_text())["id"] for p in (FIXTURES / "products").glob("*.json")}
    shop = fixture("shops", "shop_1.json")
    # The SDK reads the shop's name as `store_name`.
    assert client.get("/dev/v1/me", headers=AUTH).get_json()["data"] == {**shop, "store_name": shop["name"]}


def test_expiry_voids_unpaid_records_after_the_ttl(client, runtime):
    runtime.clock.freeze(runtime.clock.now())
    order = client.post("/dev/v1/orders", json={"email": "e@example.com", "items": [{"product_id": "prod_3"}]}, headers=AUTH).get_json()[
        "data"
    ]
    runtime.clock.advance(runtime.settings.invoice_ttl - 1)
    assert client.get(f"/dev/v1/orders/{order['id']}", headers=AUTH).get_json()["data"]["status"] == "PENDING"
    runtime.clock.advance(1)
    expired = client.get(f"/dev/v1/orders/{order['id']}", headers=AUTH).get_json()["data"]
    assert (expired["status"], expired["payment_status"]) == ("VOIDED", "VOIDED")
    assert expired["updated_at"] == order["created_at"] + runtime.settings.invoice_ttl
    refused = client.post(f"/dev/v1/orders/{order['id']}/complete", headers=AUTH)
    assert refused.status_code == 422
    listed = client.get("/dev/v1/orders", query_string={"status": "VOIDED"}, headers=AUTH).get_json()["data"]
    assert order["id"] in {d["id"] for d in listed}


def test_seeded_records_expire_a_ttl_after_seeding(client, runtime):
    assert client.get("/dev/v1/orders/ord_123", headers=AUTH).get_json()["data"]["status"] == "PENDING"
    runtime.clock.advance(runtime.settings.invoice_ttl + 1)
    listed = client.get("/dev/v1/orders", query_string={"status": "PENDING"}, headers=AUTH).get_json()["data"]
    assert listed == []


def test_invoice_ttl_is_configurable(storage):
    from mockserver import create_app
    from mockserver.config import Settings

    app = create_app(Settings(db=storage, invoice_ttl=60))
    client, clock = app.test_client(), app.extensions["mockserver"].clock
    client.get("/dev/v1/orders/ord_123", headers=AUTH)
    clock.advance(61)
    assert client.get("/dev/v1/orders/ord_123", headers=AUTH).get_json()["data"]["status"] == "VOIDED"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/dev/v1/payments", {"title": "C", "email": "b@example.com", "value": 1e26, "currency": "USD"}, "value"),
        (
            "/dev/v1/checkout/sessions",
            {"product": {"name": "P"}, "amount": 1e26, "currency": "USD", "customer_email": "b@example.com"},
            "amount",
        ),
        ("/dev/v1/orders", {"email": "b@example.com", "items": [{"product_id": "prod_2", "quantity": 10**30}]}, "items.0.quantity"),
    ],
)
def test_absurd_amounts_are_422_not_500(client, path, body, field):
    response = client.post(path, json=body, headers=AUTH)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]


DOCUMENTED = {e["name"]: e["response"]["body"]["data"] for e in load_examples("shoppex")}
INVOICE_FIELDS = set(DOCUMENTED["003_get_invoice"])
DOCS = json.loads((Path(__file__).parents[2] / "docs" / "reference" / "shoppex-documented.json").read_text())
CREATE = DOCS["create_order"]


def test_the_docs_create_example_answers_every_documented_field(client):
    response = client.post("/dev/v1/orders", json=CREATE["request"], headers=AUTH)
    assert response.status_code == 201
    order, documented = response.get_json()["data"], CREATE["response"]
    assert set(order) == set(documented)
    assert set(order["items"][0]) == set(documented["items"][0])
    # Every field has the documented JSON type, and what the request decides has the documented value.
    for got, want in ((order, documented), (order["items"][0], documented["items"][0])):
        assert all(type(got[k]) is type(want[k]) for k in want if got[k] is not None and want[k] is not None)
    generated = {"id", "uniqid", "checkout_url", "created_at", "updated_at", "customer_id", "coupon_id", "items"}
    unattributed = {k for k in documented if k.startswith("affiliate_")}
    assert {k: order[k] for k in documented.keys() - generated - unattributed} == {
        k: documented[k] for k in documented.keys() - generated - unattributed
    }
    line = {k: v for k, v in documented["items"][0].items() if k not in ("delivery_instructions_label", "delivered_items")}
    assert {k: order["items"][0][k] for k in line} == line
    assert order["coupon_id"] == SPRING["id"]
    invoice = client.get(f"/dev/v1/invoices/{order['uniqid']}", headers=AUTH).get_json()["data"]
    # Orders and invoices are views of one record.
    assert set(invoice) <= INVOICE_FIELDS | set(documented)


def test_lists_show_subtotal_and_discount_as_the_list_example_does(client):
    listed = {o["id"]: o for o in client.get("/dev/v1/orders", headers=AUTH).get_json()["data"]}
    example = DOCS["list_orders"]["item"]
    assert {k: listed[example["id"]][k] for k in example} == example
    invoices = client.get("/dev/v1/invoices", headers=AUTH).get_json()["data"]
    assert all(isinstance(i["subtotal"], (int, float)) and isinstance(i["discount"], (int, float)) for i in invoices)


def test_delivery_instructions_must_be_a_string(client):
    item = {"product_id": PRO["id"], "delivery_instructions": 5}
    response = client.post("/dev/v1/orders", json={"email": "buyer@example.com", "items": [item]}, headers=AUTH)
    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["items.0.delivery_instructions"]


def add_coupon(runtime, code, max_uses):
    coupon = {**SPRING, "id": f"cpn_{code.lower()}", "uniqid": f"coupon_{code.lower()}", "code": code, "max_uses": max_uses, "used": 0}
    runtime.store.insert("shx_test_key", "shoppex.coupons", coupon)
    return coupon


def coupon_order(code):
    return {"email": "buyer@example.com", "coupon_code": code, "items": [{"product_id": BONUS["id"]}]}


def test_orders_count_coupon_uses_and_an_exhausted_coupon_is_refused(client, runtime):
    uses = client.get(f"/dev/v1/coupons/code/{SPRING['code']}", headers=AUTH).get_json()["data"]["used"]
    assert client.post("/dev/v1/orders", json=coupon_order(SPRING["code"]), headers=AUTH).status_code == 201
    assert client.get(f"/dev/v1/coupons/code/{SPRING['code']}", headers=AUTH).get_json()["data"]["used"] == uses + 1

    coupon = add_coupon(runtime, "TWICE", max_uses=2)
    for _ in range(2):
        assert client.post("/dev/v1/orders", json=coupon_order(coupon["code"]), headers=AUTH).status_code == 201
    before = runtime.store.export("shx_test_key")
    refused = client.post("/dev/v1/orders", json=coupon_order(coupon["code"]), headers=AUTH)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert (error["code"], [d["field"] for d in error["details"]]) == ("VALIDATION_ERROR", ["coupon_code"])
    assert runtime.store.export("shx_test_key") == before
    assert client.get(f"/dev/v1/coupons/code/{coupon['code']}", headers=AUTH).get_json()["data"]["used"] == 2


def test_racing_orders_never_take_more_uses_than_a_coupon_has(app, runtime):
    coupon = add_coupon(runtime, "FIVE", max_uses=5)

    def order(_):
        return app.test_client().post("/dev/v1/orders", json=coupon_order(coupon["code"]), headers=AUTH).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(order, range(24)))
    assert sorted(statuses) == [201] * 5 + [422] * 19
    assert runtime.store.get("shx_test_key", "shoppex.coupons", coupon["code"])["used"] == 5


def test_racing_partial_refunds_never_exceed_what_was_paid(app, runtime):
    client = app.test_client()
    client.post("/dev/v1/orders/ord_123/complete", headers=AUTH)  # a STRIPE order
    total = Decimal(str(runtime.store.get("shx_test_key", "shoppex.invoices", "ord_123")["total"]))
    part = Decimal("5.00")

    def refund(_):
        return app.test_client().post("/dev/v1/orders/ord_123/refund", json={"amount": str(part)}, headers=AUTH).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(refund, range(16)))
    fits = int(total // part)
    assert sorted(statuses) == [200] * fits + [422] * (16 - fits)
    refunds = runtime.store.all("shx_test_key", "shoppex.refunds")
    assert sum(Decimal(str(r["amount"])) for r in refunds) == part * fits <= total


@pytest.mark.parametrize("webhook", ["ftp://127.0.0.1/hook", "file:///etc/passwd", "not a url"])
def test_a_payment_webhook_must_be_an_http_url(client, runtime, webhook):
    before = runtime.store.export("shx_test_key")
    payload = {"title": "Top-up", "email": "p@example.com", "value": 12.5, "currency": "EUR", "webhook": webhook}
    response = client.post("/dev/v1/payments", json=payload, headers=AUTH)
    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["webhook"]
    assert runtime.store.export("shx_test_key") == before
