"""Shoppex product documents: what POST and PATCH /products store, list `stats`, search. Plain Python."""

from __future__ import annotations

import re
import secrets

from .catalog import money

# The documented product, field by field (get-product), with the values a new product starts with.
DEFAULTS = {
    "slug": "",
    "type": "SERIALS",
    "subtype": None,
    "title": "",
    "currency": "USD",
    "price": 0,
    "price_display": 0,
    "cost": None,
    "cost_display": None,
    "discount_percent": 0,
    "pay_what_you_want": False,
    "description": "",
    "gateways": [],
    "custom_fields": [],
    "delivery_instructions": None,
    "volume_discounts": [],
    "quantity_min": 1,
    "quantity_max": -1,
    "quantity_warning": 0,
    "stock": -1,
    "stock_delimiter": "\n",
    "unlisted": False,
    "private": False,
    "on_hold": False,
    "sort_priority": 0,
    "crypto_confirmations": 1,
    "max_risk_level": 0,
    "block_vpn_proxies": False,
    "delivery_text": "",
    "delivery_time": None,
    "service_text": "",
    "dynamic_webhook": None,
    "terms_of_service": None,
    "warranty_days": 0,
    "warranty_text": None,
    "watermark_enabled": True,
    "watermark_text": None,
    "redirect_link": None,
    "youtube_link": None,
    "image_id": None,
    "image_url": None,
    "file_id": None,
    "recurring_interval": None,
    "recurring_interval_count": None,
    "trial_period": None,
    "licensing_enabled": False,
    "license_period": None,
    "affiliate_revenue_percent": 0,
    "affiliate_customer_discount_mode": "USE_STORE_DEFAULT",
    "affiliate_customer_discount_percent": None,
    "category_id": None,
    "variants": [],
}
# Request fields that are not product fields: how they show on the product is set by `changes`.
DERIVED = ("serials", "remove_duplicates", "price", "cost")


def new_product(body: dict, shop_id: str, now: int) -> dict:
    """The product POST /products stores: every documented field, the body's values over the defaults."""
    product = {"id": f"prod_{secrets.token_hex(12)}", "uniqid": f"prod_{secrets.token_hex(6)}", "shop_id": shop_id, **DEFAULTS}
    product.update(changes(body, product))
    product["created_at"] = product["updated_at"] = now
    return product


def changes(body: dict, product: dict) -> dict:
    """The product fields a validated POST or PATCH body sets (prices shown twice; serials go to the product's pool)."""
    update = {key: value for key, value in body.items() if key not in DERIVED}
    # Money goes in as Decimal and is shown as a number; the _display twin follows it.
    for name in ("price", "cost"):
        if name in body:
            update[name] = update[f"{name}_display"] = None if body[name] is None else money(body[name])
    if "title" in body and not product.get("slug"):
        update["slug"] = slug(body["title"])
    return update


def slug(title: str) -> str:
    """The URL slug of a title ("Starter Pack" -> "starter-pack")."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "product"


def shown(product: dict, include_variants: bool) -> dict:
    """The product as a response shows it; `include_variants=false` leaves its variants out (an empty list)."""
    return product if include_variants else {**product, "variants": []}


def stock_levels(product: dict) -> tuple:
    """The product's stock and each variant's, to tell whether a change moved any of them."""
    return (product.get("stock"), *((v.get("id"), v.get("stock")) for v in product.get("variants") or []))


def matches(product: dict, query: str) -> bool:
    """Whether a search for `query` finds the product: a part of its title, description or slug (any case), or its id or uniqid."""
    wanted = query.strip().lower()
    if not wanted or query.strip() in (product.get("id"), product.get("uniqid")):
        return True
    return any(wanted in str(product.get(name) or "").lower() for name in ("title", "description", "slug"))


def stats(products: list[dict]) -> dict:
    """The `stats` of a product list: every product of the shop, published, low on stock, out of stock."""
    return {
        "total": len(products),
        "published": sum(1 for p in products if not p.get("unlisted") and not p.get("private")),
        "low_stock": sum(1 for p in products if 0 < _stock(p) <= int(p.get("quantity_warning") or 0)),
        "out_of_stock": sum(1 for p in products if _stock(p) == 0),
    }


def _stock(product: dict) -> int:
    # What can still be sold: -1 is unlimited; a product with variants has what its variants have.
    variants = product.get("variants") or []
    if not variants:
        return int(product.get("stock", -1))
    stocks = [int(v.get("stock", -1)) for v in variants]
    return -1 if -1 in stocks else sum(stocks)
