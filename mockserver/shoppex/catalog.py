"""Products and coupons (from fixtures) and the pricing of new orders. Plain Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .errors import NotFound, field_error

PRODUCTS = "shoppex.products"
COUPONS = "shoppex.coupons"
CUSTOMERS = "shoppex.customers"
CENT = Decimal("0.01")


def money(value: Decimal) -> int | float:
    """A Shoppex money value: a JSON number with at most two decimals (10, 19.99)."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral() else float(rounded)


def decimal(value) -> Decimal:
    """A stored number as an exact Decimal."""
    return Decimal(str(value))


def find_product(store, namespace: str, product_id: str, field: str = "product_id") -> dict:
    """A product by id or uniqid; PRODUCT_NOT_FOUND naming `field` otherwise."""
    product = store.get(namespace, PRODUCTS, product_id)
    if product is None:
        raise NotFound(f"Product {product_id} not found.", [{"field": field, "message": "No such product."}], code="PRODUCT_NOT_FOUND")
    return product


def coupon_by_code(store, namespace: str, code: str) -> dict | None:
    """The coupon whose code is `code` as sent, lower-case (how the API stores new codes) or upper-case; None if none is."""
    for candidate in dict.fromkeys((code, code.lower(), code.upper())):
        coupon = store.get(namespace, COUPONS, candidate)
        if coupon is not None and coupon.get("code") == candidate:
            return coupon
    return None


def find_coupon(store, namespace: str, code: str, field: str = "coupon_code") -> dict:
    """A coupon by code (see coupon_by_code); COUPON_NOT_FOUND naming `field` otherwise."""
    coupon = coupon_by_code(store, namespace, code)
    if coupon is None:
        raise NotFound(f"Coupon {code} not found.", [{"field": field, "message": "No such coupon."}], code="COUPON_NOT_FOUND")
    return coupon


def customer_for(store, namespace: str, email: str) -> str | None:
    """The id of the shop's customer with this email (exactly as stored), or None: POST /orders attaches it."""
    customer = store.get(namespace, CUSTOMERS, email)
    return customer["id"] if customer is not None and customer.get("email") == email else None


def price_line(product: dict, variant_id: str | None, quantity: int, index: int) -> dict:
    """One order item as the API shows it, priced from the product or its variant."""
    variant = None
    if variant_id is not None:
        variant = next((v for v in product.get("variants", []) if v.get("id") == variant_id), None)
        if variant is None:
            raise field_error(f"items.{index}.variant_id", f"Product {product['id']} has no variant {variant_id}.")
    elif product.get("variants"):
        variant = product["variants"][0]
    unit = decimal(variant["price"] if variant else product["price"])
    return {
        "product_id": product["id"],
        "product_title": product["title"],
        "product_type": product.get("type", "DIGITAL"),
        "variant_title": variant.get("title") if variant else None,
        "quantity": quantity,
        "unit_price": money(unit),
        "total": money(unit * quantity),
        "delivered_items": None,
    }


def product_keys(store, namespace: str, items: list[dict]) -> set[str]:
    """The ids and uniqids of an order's products: a coupon's products_bound may name either."""
    products = (store.get(namespace, PRODUCTS, item["product_id"]) or {} for item in items)
    return {key for product in products for key in (product.get("id"), product.get("uniqid")) if key}


def count_use(coupon: dict) -> dict:
    """The coupon with one more use counted."""
    return {**coupon, "used": int(coupon.get("used") or 0) + 1}


def discount_for(coupon: dict | None, subtotal: Decimal, product_keys: set[str], now: int) -> Decimal:
    """What a coupon takes off the subtotal: its documented limits checked, never more than max_discount or the subtotal."""
    if coupon is None:
        return Decimal(0)
    # Each documented limit the coupon carries, in the order a buyer would meet them.
    refusal = _coupon_refusal(coupon, subtotal, product_keys, now)
    if refusal:
        raise field_error("coupon_code", refusal)
    value = decimal(coupon["discount"])
    off = subtotal * value / 100 if coupon.get("type") == "PERCENTAGE" else value
    if coupon.get("max_discount") is not None:
        off = min(off, decimal(coupon["max_discount"]))
    return min(off, subtotal)


def _coupon_refusal(coupon: dict, subtotal: Decimal, product_keys: set[str], now: int) -> str | None:
    # Why the coupon cannot be used on this order, or None when it can.
    bound = set(coupon.get("products_bound") or [])
    if coupon.get("is_active") is False:
        return f"Coupon {coupon['code']} is not active."
    if coupon.get("valid_from") is not None and now < coupon["valid_from"]:
        return f"Coupon {coupon['code']} is not valid yet."
    if coupon.get("valid_until") is not None and now > coupon["valid_until"]:
        return f"Coupon {coupon['code']} has expired."
    if bound and not bound & product_keys:
        return f"Coupon {coupon['code']} does not apply to these products."
    # max_uses 0 (the create default) or null means no limit.
    if coupon.get("max_uses") and int(coupon.get("used") or 0) >= coupon["max_uses"]:
        return "Coupon has no uses left."
    if coupon.get("min_order_amount") is not None and subtotal < decimal(coupon["min_order_amount"]):
        return f"Coupon {coupon['code']} needs an order of at least {coupon['min_order_amount']}."
    return None
