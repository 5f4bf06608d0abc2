"""The official SDK's catalogue methods end to end against a real server: every method of products, coupons and customers.

products: list, list_all, get, create, update, delete; coupons: list, list_all, get, get_by_code, create, update,
delete; customers: list, list_all, get, create, update, delete. Only `base_url` is set.
"""

import json
from pathlib import Path

import pytest
from shoppexio import ShoppexApiError, ShoppexClient

FIELDS = Path(__file__).resolve().parents[2] / "docs" / "shoppex-fields"


def documented(name):
    return json.loads((FIELDS / f"{name}.json").read_text())


@pytest.fixture
def sdk(server, request):
    return ShoppexClient(api_key=f"shx_catalog_{request.node.name}", base_url=server.url)


def refused(call, *args):
    """The ShoppexApiError a call raises."""
    with pytest.raises(ShoppexApiError) as info:
        call(*args)
    return info.value


def test_products_list_list_all_get_create_update_delete(sdk):
    seeded = sdk.products.list({"limit": 1})
    assert len(seeded.data) == 1 and seeded.pagination.has_more and "stats" in seeded.raw
    product = sdk.products.create({"title": "SDK Pack", "price": 12.5, "type": "SERIALS"}, idempotency_key="create-sdk-pack").data
    assert set(product.raw) == set(documented("products")["fields"])
    assert product.id in {p.id for p in sdk.products.list_all({"limit": 2})}
    assert sdk.products.get(product.uniqid).data.raw == product.raw
    updated = sdk.products.update(product.id, {"price": 15, "description": "Updated"}).data
    assert (updated["price"], updated["description"]) == (15, "Updated")
    order = sdk.orders.create({"email": "sdk.catalog@example.com", "items": [{"product_id": product.id, "quantity": 2}]}).data
    assert order["total"] == 30
    sdk.products.delete(product.id)
    error = refused(sdk.products.get, product.id)
    assert (error.status, error.code) == (404, "PRODUCT_NOT_FOUND")


def test_coupons_list_list_all_get_get_by_code_create_update_delete(sdk):
    example = documented("coupons")["example"]
    # The SDK README's own example: a coupon by id.
    assert sdk.coupons.get(example["id"]).data.raw == example
    assert sdk.coupons.get_by_code(example["code"]).data.raw == example
    assert example["id"] in {c.id for c in sdk.coupons.list().data}
    coupon = sdk.coupons.create({"code": "SDK25", "discount_value": 25, "discount_type": "FIXED"}).data
    assert (coupon.code, coupon["type"], coupon["discount"]) == ("sdk25", "FIXED", 25)
    assert coupon.id in {c.id for c in sdk.coupons.list_all({"limit": 1})}
    assert sdk.coupons.update(coupon.id, {"discount_value": 2}).data["discount"] == 2
    order = sdk.orders.create({"email": "sdk.coupon@example.com", "coupon_code": "SDK25", "items": [{"product_id": "prod_3"}]}).data
    assert order["discount"] == 2
    sdk.coupons.delete(coupon.id)
    assert refused(sdk.coupons.get, coupon.id).code == "COUPON_NOT_FOUND"
    error = refused(sdk.orders.create, {"email": "sdk.coupon@example.com", "coupon_code": "SDK25", "items": [{"product_id": "prod_3"}]})
    assert (error.status, error.code, error.details[0]["field"]) == (404, "COUPON_NOT_FOUND", "coupon_code")


def test_customers_list_list_all_get_create_update_delete(sdk):
    customer = sdk.customers.create({"email": "sdk.customer@example.com", "name": "SDK"}).data
    assert customer.email == "sdk.customer@example.com" and set(customer.raw) == set(documented("customers")["fields"])
    assert customer.id in {c.id for c in sdk.customers.list().data}
    assert customer.id in {c.id for c in sdk.customers.list_all({"limit": 1})}
    assert sdk.customers.get(customer.id).data.raw == customer.raw
    assert sdk.customers.update(customer.id, {"city": "Berlin"}).data["city"] == "Berlin"
    order = sdk.orders.create({"email": customer.email, "items": [{"product_id": "prod_3"}]}).data
    assert order["customer_id"] == customer.id
    sdk.customers.delete(customer.id)
    error = refused(sdk.customers.get, customer.id)
    assert (error.status, error.code) == (404, "CUSTOMER_NOT_FOUND")
    assert refused(sdk.customers.list, {"sorts": "created_at"}).details[0]["field"] == "sorts"
