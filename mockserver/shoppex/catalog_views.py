"""Shoppex catalogue routes under /dev/v1: products, coupons and customers (parse, call the catalogue, render)."""

from __future__ import annotations

from flask import current_app, g

from ..http import json_response
from ..operations import operation
from . import products
from .catalog_backend import CatalogBackend
from .catalog_schemas import (
    AddSerialsSchema,
    CatalogListQuery,
    ClaimSerialsSchema,
    CouponBody,
    CreateCouponSchema,
    CreateCustomerSchema,
    CreateProductSchema,
    CustomerBody,
    CustomerQuery,
    ProductBody,
    ProductQuery,
    ProductSearchQuery,
    SerialsQuery,
)
from .serials import Serials, split
from .views import as_stored, data, page, shown
from .webhooks import ShoppexWebhooks

# Error statuses: 400 unparseable body, 401 auth, 404 no such record (or a product a body names), 413 body too large, 422 validation.
ONE = (401, 404)
# A GET whose query string is validated too.
ONE_QUERY = (401, 404, 422)
LIST = (401, 422)
CREATE = (400, 401, 404, 413, 422)
WRITE = (400, 401, 404, 413, 422)


def catalog_for(runtime, namespace: str) -> CatalogBackend:
    """The catalogue of one namespace, its product events delivered to the namespace's webhooks."""
    hooks = ShoppexWebhooks(runtime.store, runtime.clock, runtime.deliveries, namespace)
    return CatalogBackend(runtime.store, runtime.clock, namespace, events=hooks.emit_product)


def catalog() -> CatalogBackend:
    """The catalogue of the calling key's namespace."""
    return catalog_for(current_app.extensions["mockserver"], g.namespace)


def product_page(result: dict, include_variants: bool = True):
    """A product list: the list envelope plus `stats`."""
    shown_products = [products.shown(doc, include_variants) for doc in result["data"]]
    return json_response({"data": shown_products, "pagination": result["pagination"], "stats": result["stats"]})


# -- products -------------------------------------------------------------------


@operation(
    "GET",
    "/products",
    "List products",
    response="ShoppexProductPage",
    errors=LIST,
    query=CatalogListQuery,
    shape="raw",
    strict_slashes=False,
)
def list_products(query: dict):
    """List products, newest first, with the shop's product stats."""
    return product_page(catalog().list_products(query["limit"], query["cursor"]))


@operation("GET", "/products/search", "Search products", response="ShoppexProductPage", errors=LIST, query=ProductSearchQuery, shape="raw")
def search_products(query: dict):
    """Products whose title, description or slug contain `q` (any case), or whose id or uniqid it is."""
    return product_page(catalog().list_products(query["limit"], query["cursor"], query["q"]), query["include_variants"])


@operation("GET", "/products/<id>", "Retrieve a product", response="ShoppexProduct", errors=ONE_QUERY, query=ProductQuery)
def get_product(id: str, query: dict):
    """Retrieve a product with its variants and prices."""
    product = catalog().get_product(id)
    return shown(product) if query["include_variants"] else data(products.shown(product, False))


@operation(
    "POST",
    "/products",
    "Create a product",
    response="ShoppexProduct",
    errors=CREATE,
    body=CreateProductSchema,
    status=201,
    strict_slashes=False,
)
def create_product(body: dict):
    """Create a product; POST /orders can price it at once."""
    return data(catalog().create_product(body), 201)


@operation("PATCH", "/products/<id>", "Update a product", response="ShoppexProduct", errors=WRITE, body=ProductBody)
def update_product(id: str, body: dict):
    """Change the fields given; new orders are priced from the result."""
    return shown(catalog().update_product(id, body))


@operation("DELETE", "/products/<id>", "Delete a product", errors=ONE, status=204, shape="empty")
def delete_product(id: str):
    """Delete a product (204); orders already placed keep their lines."""
    catalog().delete_product(id)
    return "", 204


# -- coupons --------------------------------------------------------------------


@operation(
    "GET", "/coupons", "List coupons", response="ShoppexCoupon", errors=LIST, query=CatalogListQuery, shape="page", strict_slashes=False
)
def list_coupons(query: dict):
    """List coupons, newest first."""
    return page(catalog().list_coupons(query["limit"], query["cursor"]), as_stored)


@operation("GET", "/coupons/code/<code>", "Retrieve a coupon by code", response="ShoppexCoupon", errors=ONE)
def get_coupon_by_code(code: str):
    """Retrieve a coupon by its code."""
    return shown(catalog().get_coupon_by_code(code))


@operation("GET", "/coupons/<id>", "Retrieve a coupon by id or uniqid", response="ShoppexCoupon", errors=ONE)
def get_coupon(id: str):
    """Retrieve a coupon by id (cpn_...) or uniqid."""
    return shown(catalog().get_coupon(id))


@operation(
    "POST",
    "/coupons",
    "Create a coupon",
    response="ShoppexCoupon",
    errors=CREATE,
    body=CreateCouponSchema,
    status=201,
    strict_slashes=False,
)
def create_coupon(body: dict):
    """Create a coupon; POST /orders accepts its code at once."""
    return data(catalog().create_coupon(body), 201)


@operation("PATCH", "/coupons/<id>", "Update a coupon", response="ShoppexCoupon", errors=WRITE, body=CouponBody)
def update_coupon(id: str, body: dict):
    """Change the fields given."""
    return shown(catalog().update_coupon(id, body))


@operation("DELETE", "/coupons/<id>", "Delete a coupon", errors=ONE, status=204, shape="empty")
def delete_coupon(id: str):
    """Delete a coupon (204); POST /orders then refuses its code."""
    catalog().delete_coupon(id)
    return "", 204


# -- customers ------------------------------------------------------------------


@operation(
    "GET",
    "/customers",
    "List customers",
    response="ShoppexCustomer",
    errors=LIST,
    query=CatalogListQuery,
    shape="page",
    strict_slashes=False,
)
def list_customers(query: dict):
    """List customers, newest first."""
    return page(catalog().list_customers(query["limit"], query["cursor"]), as_stored)


@operation("GET", "/customers/<id>", "Retrieve a customer", response="ShoppexCustomer", errors=ONE_QUERY, query=CustomerQuery)
def get_customer(id: str, query: dict):
    """Retrieve a customer (the affiliate fields are always shown)."""
    return shown(catalog().get_customer(id))


@operation(
    "POST",
    "/customers",
    "Create (or with upsert, update) a customer",
    response="ShoppexCustomer",
    errors=CREATE,
    body=CreateCustomerSchema,
    strict_slashes=False,
)
def create_customer(body: dict):
    """Create a customer (200, as documented); with `upsert`, the customer with that email is updated instead."""
    return data(catalog().create_customer(body))


@operation("PATCH", "/customers/<id>", "Update a customer", response="ShoppexCustomer", errors=WRITE, body=CustomerBody)
def update_customer(id: str, body: dict):
    """Change the fields given."""
    return shown(catalog().update_customer(id, body))


@operation("DELETE", "/customers/<id>", "Delete a customer", errors=ONE, status=204, shape="empty")
def delete_customer(id: str):
    """Delete a customer (204)."""
    catalog().delete_customer(id)
    return "", 204


# -- serials --------------------------------------------------------------------


def serials() -> Serials:
    """The serial pools of the calling key's namespace, their stock changes delivered as `product:stock`."""
    return catalog().serials()


@operation(
    "GET",
    "/products/<id>/serials",
    "List a product's serials",
    response="ShoppexSerialPage",
    errors=ONE_QUERY,
    query=SerialsQuery,
    shape="raw",
)
def list_product_serials(id: str, query: dict):
    """The serials of a product without variants, oldest first, page by page."""
    return json_response(serials().page(id, None, query["page"], query["limit"]))


@operation(
    "POST", "/products/<id>/serials", "Add serials to a product", response="ShoppexSerialsAdded", errors=WRITE, body=AddSerialsSchema
)
def add_product_serials(id: str, body: dict):
    """Upload serials (one per line) to a product without variants; its stock follows."""
    return data({"added_count": serials().add(id, None, split(body["serials"]), body["remove_duplicates"])})


@operation("POST", "/products/<id>/serials/claim", "Claim serials", response="ShoppexSerialsClaimed", errors=WRITE, body=ClaimSerialsSchema)
def claim_product_serials(id: str, body: dict):
    """Take `amount` serials out of the pool, oldest first, and answer them with the stock left."""
    return data(serials().claim(id, body["amount"]))


@operation(
    "GET",
    "/products/<id>/variants/<variantId>/serials",
    "List a variant's serials",
    response="ShoppexSerialPage",
    errors=ONE_QUERY,
    query=SerialsQuery,
    shape="raw",
)
def list_variant_serials(id: str, variantId: str, query: dict):
    """The serials of one variant, oldest first, page by page."""
    return json_response(serials().page(id, variantId, query["page"], query["limit"]))


@operation(
    "POST",
    "/products/<id>/variants/<variantId>/serials",
    "Add serials to a variant",
    response="ShoppexSerialsAdded",
    errors=WRITE,
    body=AddSerialsSchema,
)
def add_variant_serials(id: str, variantId: str, body: dict):
    """Upload serials (one per line) to one variant; its stock follows."""
    return data({"added_count": serials().add(id, variantId, split(body["serials"]), body["remove_duplicates"])})
