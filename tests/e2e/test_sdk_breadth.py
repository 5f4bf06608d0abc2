"""The official SDK drives orders, invoices and payments end to end against a real server.

What the SDK (shoppexio) offers: orders create, list_all, get, complete, fulfill, refund (and update);
invoices list_all, get, complete; payments create, list_all, get, complete. Invoices have no create (they
come from orders and payments) and neither invoices nor payments have fulfill or refund: those run through
`orders`, which takes any record by id or uniqid, on records the SDK created.
"""

from collections import Counter
from decimal import Decimal

import pytest
from shoppexio import ShoppexApiError, ShoppexClient

ITEM = {"product_id": "prod_2", "variant_id": "var_silver", "quantity": 1}
REFUNDED = {"message": "Invoice refunded successfully."}


@pytest.fixture
def sdk(server, request):
    return ShoppexClient(api_key=f"shx_breadth_{request.node.name}", base_url=server.url)


def refund_in_two_parts(sdk, key, total):
    """Refund 0.01 (the record stays COMPLETED), then the rest (it becomes REFUNDED)."""
    first = Decimal("0.01")
    assert sdk.orders.refund(key, {"amount": str(first), "reason": "partial"}).data.raw == REFUNDED
    assert sdk.orders.get(key).data.status == "COMPLETED"
    assert sdk.orders.refund(key, {"amount": str(Decimal(str(total)) - first)}).data.raw == REFUNDED
    with pytest.raises(ShoppexApiError) as info:
        sdk.orders.refund(key, {"amount": "0.01"})
    # A refunded order cannot be refunded again: a business-rule refusal.
    assert (info.value.status, info.value.code) == (400, "BAD_REQUEST")


def test_list_all_walks_every_page_of_250_orders(sdk):
    seeded = {order.id for order in sdk.orders.list_all()}
    created = {sdk.orders.create({"email": f"buyer{i}@example.com", "items": [ITEM]}).data.id for i in range(250)}
    assert len(created) == 250 and not created & seeded
    expected = Counter(seeded | created)
    # The default page size (50) and the largest (100): every order exactly once, whatever the page size.
    assert Counter(order.id for order in sdk.orders.list_all()) == expected
    assert Counter(order.id for order in sdk.orders.list_all({"limit": 100})) == expected
    assert Counter(invoice.id for invoice in sdk.invoices.list_all()) == expected


def test_order_create_list_all_get_complete_fulfill_refund(sdk):
    order = sdk.orders.create({"email": "life@example.com", "gateway": "PAYPAL", "items": [ITEM]}).data
    assert order.id in {o.id for o in sdk.orders.list_all({"status": "PENDING"})}
    assert sdk.orders.get(order.uniqid).data.id == order.id
    assert sdk.orders.complete(order.id).data.status == "COMPLETED"
    fulfilled = sdk.orders.fulfill(order.id, {"note": "shipped"}).data
    assert (fulfilled.status, fulfilled["status_details"]) == ("COMPLETED", "Fulfilled")
    refund_in_two_parts(sdk, order.id, order["total"])
    assert sdk.orders.get(order.id).data.status == "REFUNDED"


def test_invoice_list_all_get_complete_then_fulfill_refund(sdk):
    # There is no invoice-create: an order created through the SDK is the invoice.
    created = sdk.orders.create({"email": "inv@example.com", "gateway": "STRIPE", "items": [ITEM]}).data
    assert created.uniqid in {i.uniqid for i in sdk.invoices.list_all()}
    invoice = sdk.invoices.get(created.uniqid).data
    assert (invoice.id, invoice["type"], invoice.status) == (created.id, "PRODUCT", "PENDING")
    completed = sdk.invoices.complete(created.uniqid, {"note": "paid elsewhere"}).data
    assert (completed.status, completed["status_details"]) == ("COMPLETED", "Completed by Dev API")
    assert sdk.orders.fulfill(created.uniqid, {}).data["status_details"] == "Fulfilled"
    refund_in_two_parts(sdk, created.uniqid, invoice["total"])
    assert sdk.invoices.get(created.uniqid).data.status == "REFUNDED"
    with pytest.raises(ShoppexApiError) as info:
        sdk.invoices.complete(created.uniqid)
    assert (info.value.status, info.value.code) == (422, "VALIDATION_ERROR")


def test_payment_create_list_all_get_complete_then_fulfill_refund(sdk):
    payload = {"title": "Credits", "email": "pay@example.com", "value": 9.99, "quantity": 2, "currency": "USD", "gateway": "STRIPE"}
    payment = sdk.payments.create(payload).data
    assert (payment.status, payment["total"]) == ("PENDING", 19.98)
    assert payment.uniqid in {p.uniqid for p in sdk.payments.list_all()}
    assert sdk.payments.get(payment.uniqid).data.status == "PENDING"
    completed = sdk.payments.complete(payment.uniqid, {"note": "settled"}).data
    assert (completed.uniqid, completed.status) == (payment.uniqid, "COMPLETED")
    assert sdk.payments.get(payment.uniqid).data.status == "COMPLETED"
    with pytest.raises(ShoppexApiError) as info:
        sdk.payments.complete(payment.uniqid)
    assert (info.value.status, info.value.code) == (422, "VALIDATION_ERROR")
    assert sdk.orders.fulfill(payment.uniqid, {"note": "credited"}).data["status_details"] == "Fulfilled"
    refund_in_two_parts(sdk, payment.uniqid, payment["total"])
    assert sdk.payments.get(payment.uniqid).data.status == "REFUNDED"
    invoice = sdk.invoices.get(payment.uniqid).data
    assert (invoice["type"], invoice.status, invoice["total"]) == ("PAYMENT", "REFUNDED", 19.98)


def test_payments_and_invoices_list_the_same_records_as_orders(sdk):
    payment = sdk.payments.create({"title": "Credits", "email": "pay@example.com", "value": 5, "currency": "USD"}).data
    orders = {o.uniqid for o in sdk.orders.list_all()}
    assert {i.uniqid for i in sdk.invoices.list_all()} == orders
    assert {p.uniqid for p in sdk.payments.list_all()} == {payment.uniqid} and payment.uniqid in orders
