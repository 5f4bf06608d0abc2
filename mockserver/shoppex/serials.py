"""Shoppex product serials: a pool of codes per product (or per variant), their upload, listing and claiming. Plain Python.

A serial is stored with the product it belongs to (`product_id`); responses show the documented
fields only. Uploading or claiming sets the product's (or the variant's) `stock` to what is left.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timezone

from .catalog import PRODUCTS, find_product
from .errors import NotFound, field_error

SERIALS = "shoppex.serials"
SHOWN = ("id", "serial", "variant_id", "variant_title", "created_at")


def serial_view(doc: dict) -> dict:
    """A serial as the API shows it (created_at in ISO 8601 with milliseconds, as documented)."""
    return {key: doc.get(key) for key in SHOWN}


def split(serials) -> list[str]:
    """The codes of an upload: a list, or one string with a code per line; blank lines dropped."""
    codes = serials if isinstance(serials, list) else str(serials).splitlines()
    return [code.strip() for code in codes if code.strip()]


class Serials:
    """The serial pools of one namespace."""

    def __init__(self, store, clock, namespace: str, events=None):
        self.store = store
        self.clock = clock
        self.namespace = namespace
        # Called as events("product:stock", product) when an upload or claim changes a pool's size.
        self.events = events or (lambda event, doc: None)

    def pool(self, product_id: str, variant_id: str | None) -> tuple[dict, dict | None, list[dict]]:
        """The product, its variant (or None) and the serials in that pool, oldest first."""
        product = find_product(self.store, self.namespace, product_id, field="id")
        variant = self._variant(product, variant_id)
        serials = [
            doc
            for doc in self.store.all(self.namespace, SERIALS)
            if doc["product_id"] == product["id"] and doc.get("variant_id") == (variant or {}).get("id")
        ]
        return product, variant, serials

    def page(self, product_id: str, variant_id: str | None, page: int, limit: int) -> dict:
        """One page of a pool with the documented page pagination."""
        _product, _variant, serials = self.pool(product_id, variant_id)
        shown = serials[(page - 1) * limit : page * limit]
        total_pages = math.ceil(len(serials) / limit)
        pagination = {"total": len(serials), "page": page, "limit": limit, "total_pages": total_pages, "has_more": page < total_pages}
        return {"data": [serial_view(doc) for doc in shown], "pagination": pagination}

    def add(self, product_id: str, variant_id: str | None, codes: list[str], remove_duplicates: bool) -> int:
        """Upload codes to a pool (dropping ones already there or repeated, when asked); how many were added."""
        with self.store.lock:
            product, variant, serials = self.pool(product_id, variant_id)
            if remove_duplicates:
                known = {doc["serial"] for doc in serials}
                codes = [code for code in dict.fromkeys(codes) if code not in known]
            created_at = self._now()
            for code in codes:
                doc = {"id": f"serial_{secrets.token_hex(12)}", "serial": code, "variant_id": None, "variant_title": None}
                if variant is not None:
                    doc.update(variant_id=variant["id"], variant_title=variant.get("title"))
                self.store.insert(self.namespace, SERIALS, {**doc, "created_at": created_at, "product_id": product["id"]})
            self._set_stock(product, variant, len(serials) + len(codes))
            return len(codes)

    def claim(self, product_id: str, amount: int) -> dict:
        """Take `amount` serials out of a product's base pool, oldest first; a 422 naming `amount` if there are fewer."""
        with self.store.lock:
            product, variant, serials = self.pool(product_id, None)
            if amount > len(serials):
                raise field_error("amount", f"Only {len(serials)} serials are available.")
            claimed = serials[:amount]
            for doc in claimed:
                self.store.delete(self.namespace, SERIALS, doc["id"])
            remaining = len(serials) - amount
            self._set_stock(product, variant, remaining)
            return {"claimed_count": amount, "remaining_stock": remaining, "serials": [serial_view(doc) for doc in claimed]}

    def _variant(self, product: dict, variant_id: str | None) -> dict | None:
        # The variant a variant route names; the base routes are for products without variants.
        variants = product.get("variants") or []
        if variant_id is None:
            if variants:
                raise field_error("id", f"Product {product['id']} tracks serials per variant; use /variants/{{variantId}}/serials.")
            return None
        variant = next((v for v in variants if variant_id in (v.get("id"), v.get("uniqid"))), None)
        if variant is None:
            raise NotFound(f"Product {product['id']} has no variant {variant_id}.", [{"field": "variantId", "message": "No such variant."}])
        return variant

    def _set_stock(self, product: dict, variant: dict | None, stock: int) -> None:
        # The pool's size is the stock of what it belongs to.
        def change(doc: dict) -> dict:
            if variant is None:
                return {**doc, "stock": stock}
            return {**doc, "variants": [{**v, "stock": stock} if v.get("id") == variant["id"] else v for v in doc["variants"]]}

        before = product if variant is None else variant
        changed = self.store.modify(self.namespace, PRODUCTS, product["id"], change)
        # Only a pool whose size changed moves the stock, and only then is `product:stock` fired.
        if before.get("stock") != stock:
            self.events("product:stock", changed)

    def _now(self) -> str:
        # Serials show their creation time in ISO 8601 with milliseconds, as the docs do.
        return datetime.fromtimestamp(self.clock.now(), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
