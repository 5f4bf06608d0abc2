"""The official SDK drives orders, invoices and payments end to end against a real server."""

import pytest
from shoppexio import ShoppexApiError, ShoppexClient

from tests.e2e.test_sdk import server  # noqa: F401  (module-scoped live server)

ITEM = {"product_id": "prod_2", "variant_id": "var_silver", "quantity": 1}


@pytest.fixture
def sdk(server, request):  # noqa: F811
    return ShoppexClient(api_key=f"shx_breadth_{request.node.name}", base_url=server.url)


def test_list_all_walks_every_page_of_250_orders(sdk):
    seeded = len(sdk.orders.list_all())
    created = {sdk.orders.create({"email": f"buyer{i}@example.com", "items": [ITEM]}).data.id for i in range(250)}
    listed = [order.id for order in sdk.orders.list_all({"limit": 100})]
    assert len(listed) == len(set(listed)) == seeded + 250
    assert created <= set(listed)


def test_order_lifecycle_create_get_complete_fulfill_refund(sdk):
    order = sdk.orders.create({"email": "life@example.com", "gateway": "PAYPAL", "items": [ITEM]}).data
    assert sdk.orders.get(order.uniqid).data.id == order.id
    assert sdk.orders.complete(order.id).data.status == "COMPLETED"
    fulfilled = sdk.orders.fulfill(order.id, {"note": "shipped"}).data
    assert (fulfilled.status, fulfilled["status_details"]) == ("COMPLETED", "Fulfilled")
    refunded = sdk.orders.refund(order.id, {"amount": str(order["total"]), "reason": "test"})
    assert refunded.data.raw == {"message": "Invoice refunded successfully."}
    assert sdk.orders.get(order.id).data.status == "REFUNDED"
    with pytest.raises(ShoppexApiError) as info:
        sdk.orders.refund(order.id, {"amount": "1.00"})
    assert (info.value.status, info.value.code) == (422, "VALIDATION_ERROR")


def test_invoices_and_payments(sdk):
    payment = sdk.payments.create({"title": "Credits", "email": "pay@example.com", "value": 9.99, "currency": "USD"}).data
    assert sdk.payments.get(payment.uniqid).data.status == "PENDING"
    assert payment.uniqid in {p.uniqid for p in sdk.payments.list_all()}
    invoice = sdk.invoices.get(payment.uniqid).data
    assert (invoice["type"], invoice["total"]) == ("PAYMENT", 9.99)
    assert sdk.invoices.complete(payment.uniqid).data["status_details"] == "Completed by Dev API"
    assert sdk.payments.get(payment.uniqid).data.status == "COMPLETED"
    with pytest.raises(ShoppexApiError) as info:
        sdk.payments.complete(payment.uniqid)
    assert info.value.status == 422
    assert len(sdk.invoices.list_all()) == len(sdk.orders.list_all())
