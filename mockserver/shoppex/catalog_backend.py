"""The Shoppex catalogue operations for one namespace: products, coupons and customers as state. Plain Python.

What is created, changed and deleted here is what POST /orders prices, discounts and attaches:
both read the same stored records.
"""

from __future__ import annotations

from ..clock import Clock
from ..store import Store
from . import coupons, customers, products
from .catalog import COUPONS, CUSTOMERS, PRODUCTS, coupon_by_code, find_coupon, find_product
from .errors import NotFound, field_error
from .listing import paginate_stored
from .models import SHOPS
from .serials import Serials, split


class CatalogBackend:
    """Products, coupons and customers of one namespace (one API key)."""

    def __init__(self, store: Store, clock: Clock, namespace: str, events=None):
        self.store = store
        self.clock = clock
        self.namespace = namespace
        # Called as events(event_name, product) after each product change (webhooks).
        self.events = events or (lambda event, doc: None)

    def serials(self) -> Serials:
        """The serial pools of this namespace; an upload or claim fires `product:stock` through this catalogue's events."""
        return Serials(self.store, self.clock, self.namespace, self.events)

    # -- products --------------------------------------------------------------

    def list_products(self, limit: int, cursor: str | None, query: str = "") -> dict:
        """GET /products and /products/search: one page, newest first, and the `stats` of every product."""
        result = paginate_stored(self.store, self.namespace, PRODUCTS, limit, cursor, lambda p: products.matches(p, query))
        result["stats"] = products.stats(self.store.all(self.namespace, PRODUCTS))
        return result

    def get_product(self, product_id: str) -> dict:
        """GET /products/{id}: by id or uniqid."""
        return find_product(self.store, self.namespace, product_id, field="id")

    def create_product(self, body: dict) -> dict:
        """POST /products; `serials` fill its pool (its stock)."""
        product = self.store.insert(self.namespace, PRODUCTS, products.new_product(body, self._shop()["id"], self.clock.now()))
        created = self._with_serials(product["id"], body)
        # The created product carries its stock already: one `product:created`, no `product:stock`.
        self.events("product:created", created)
        return created

    def update_product(self, product_id: str, body: dict) -> dict:
        """PATCH /products/{id}: the fields given (`serials` are added to its pool); new orders are priced from the result."""
        product = self.get_product(product_id)
        now = self.clock.now()
        self._modify(PRODUCTS, product["id"], lambda doc: {**doc, **products.changes(body, doc), "updated_at": now})
        updated = self._with_serials(product["id"], body)
        # `product:edited` for every update; `product:stock` too when the product's or a variant's stock moved.
        self.events("product:edited", updated)
        if products.stock_levels(updated) != products.stock_levels(product):
            self.events("product:stock", updated)
        return updated

    def _with_serials(self, product_id: str, body: dict) -> dict:
        # A body's serials go to the product's base pool, which sets its stock (the caller fires the events).
        if "serials" in body:
            Serials(self.store, self.clock, self.namespace).add(
                product_id, None, split(body["serials"]), body.get("remove_duplicates", False)
            )
        return self.get_product(product_id)

    def delete_product(self, product_id: str) -> None:
        """DELETE /products/{id}: new orders can no longer name it; orders already placed keep their priced lines."""
        self.store.delete(self.namespace, PRODUCTS, self.get_product(product_id)["id"])

    # -- coupons ---------------------------------------------------------------

    def list_coupons(self, limit: int, cursor: str | None) -> dict:
        """GET /coupons: one page, newest first."""
        return paginate_stored(self.store, self.namespace, COUPONS, limit, cursor)

    def get_coupon(self, coupon_id: str) -> dict:
        """GET /coupons/{id}: by id or uniqid (codes go through /coupons/code/{code})."""
        coupon = self.store.get(self.namespace, COUPONS, coupon_id)
        if coupon is None or coupon_id not in (coupon.get("id"), coupon.get("uniqid")):
            raise NotFound(f"Coupon {coupon_id} not found.", [{"field": "id", "message": "No such coupon."}], code="COUPON_NOT_FOUND")
        return coupon

    def get_coupon_by_code(self, code: str) -> dict:
        """GET /coupons/code/{code}: as sent, else lower-case (new codes are stored lower-case)."""
        return find_coupon(self.store, self.namespace, code, field="code")

    def create_coupon(self, body: dict) -> dict:
        """POST /coupons: a new code (compared lower-case) whose bound products exist."""
        coupon = coupons.new_coupon(body, self._shop()["id"], self.clock.now())
        with self.store.lock:
            self._check_coupon(coupon, None)
            return self.store.insert(self.namespace, COUPONS, coupon)

    def update_coupon(self, coupon_id: str, body: dict) -> dict:
        """PATCH /coupons/{id}: the fields given; a changed code must still be free."""
        with self.store.lock:
            coupon = self.get_coupon(coupon_id)
            updated = {**coupon, **coupons.changes(body)}
            self._check_coupon(updated, coupon["id"])
            return self._modify(COUPONS, coupon["id"], lambda doc: {**updated, "updated_at": self.clock.now()})

    def delete_coupon(self, coupon_id: str) -> None:
        """DELETE /coupons/{id}: orders can no longer use its code."""
        self.store.delete(self.namespace, COUPONS, self.get_coupon(coupon_id)["id"])

    def _check_coupon(self, coupon: dict, own_id: str | None) -> None:
        # The code names no other record, each bound product exists, a percentage is at most 100.
        taken = coupon_by_code(self.store, self.namespace, coupon["code"]) or self.store.get(self.namespace, COUPONS, coupon["code"])
        if taken is not None and taken["id"] != own_id:
            raise field_error("code", f"A coupon with code {coupon['code']!r} already exists.")
        for index, product_id in enumerate(coupon["products_bound"]):
            find_product(self.store, self.namespace, product_id, field=f"products_bound.{index}")
        if coupon["type"] == "PERCENTAGE" and coupon["discount"] > 100:
            raise field_error("discount_value", "A PERCENTAGE discount is at most 100.")

    # -- customers -------------------------------------------------------------

    def list_customers(self, limit: int, cursor: str | None) -> dict:
        """GET /customers: one page, newest first."""
        return paginate_stored(self.store, self.namespace, CUSTOMERS, limit, cursor)

    def get_customer(self, customer_id: str) -> dict:
        """GET /customers/{id}."""
        customer = self.store.get(self.namespace, CUSTOMERS, customer_id)
        if customer is None or customer.get("id") != customer_id:
            raise NotFound(
                f"Customer {customer_id} not found.", [{"field": "id", "message": "No such customer."}], code="CUSTOMER_NOT_FOUND"
            )
        return customer

    def create_customer(self, body: dict) -> dict:
        """POST /customers: a new email, or with `upsert` the customer holding it, updated."""
        shop = self._shop()
        with self.store.lock:
            existing = self._by_email(body["email"])
            if existing is not None and not body.get("upsert"):
                raise field_error("email", f"A customer with email {body['email']} already exists; send upsert: true to update it.")
            if existing is not None:
                return self._modify(CUSTOMERS, existing["id"], lambda doc: {**doc, **customers.changes(body)})
            customer = customers.new_customer(body, shop["id"], shop.get("currency", "USD"), self.clock.now())
            return self.store.insert(self.namespace, CUSTOMERS, customer)

    def update_customer(self, customer_id: str, body: dict) -> dict:
        """PATCH /customers/{id}: the fields given; a changed email must still be free."""
        with self.store.lock:
            customer = self.get_customer(customer_id)
            other = self._by_email(body["email"]) if "email" in body else None
            if other is not None and other["id"] != customer["id"]:
                raise field_error("email", f"A customer with email {body['email']} already exists.")
            return self._modify(CUSTOMERS, customer["id"], lambda doc: {**doc, **customers.changes(body)})

    def delete_customer(self, customer_id: str) -> None:
        """DELETE /customers/{id}: new orders with the email are no longer attached to it."""
        self.store.delete(self.namespace, CUSTOMERS, self.get_customer(customer_id)["id"])

    def _by_email(self, email: str) -> dict | None:
        doc = self.store.get(self.namespace, CUSTOMERS, email)
        return doc if doc is not None and doc.get("email") == email else None

    # -- machinery -------------------------------------------------------------

    def _modify(self, kind: str, doc_id: str, change) -> dict:
        # Every catalogue change is one store write of the whole record.
        return self.store.modify(self.namespace, kind, doc_id, change)

    def _shop(self) -> dict:
        shops = self.store.all(self.namespace, SHOPS)
        return shops[0] if shops else {"id": "shop_1", "currency": "USD"}
