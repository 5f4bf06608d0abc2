"""Products and coupons (from fixtures) and the pricing of new orders. Plain Python."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .errors import NotFound, ValidationError, field_error

PRODUCTS = "shoppex.products"
COUPONS = "shoppex.coupons"
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


def find_coupon(store, namespace: str, code: str, field: str = "coupon_code") -> dict:
    """A coupon by code; COUPON_NOT_FOUND naming `field` otherwise."""
    coupon = store.get(namespace, COUPONS, code)
    if coupon is None or coupon.get("code") != code:
        raise NotFound(f"Coupon {code} not found.", [{"field": field, "message": "No such coupon."}], code="COUPON_NOT_FOUND")
    return coupon


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


def discount_for(coupon: dict | None, subtotal: Decimal, product_ids: set[str]) -> Decimal:
    """What a coupon takes off the subtotal (never more than the subtotal)."""
    if coupon is None:
        return Decimal(0)
    allowed = set(coupon.get("product_ids") or [])
    if allowed and not allowed & product_ids:
        raise field_error("coupon_code", f"Coupon {coupon['code']} does not apply to these products.")
    if coupon.get("max_uses") is not None and coupon.get("uses", 0) >= coupon["max_uses"]:
        raise ValidationError("coupon_code: Coupon has no uses left.", [{"field": "coupon_code", "message": "Coupon has no uses left."}])
    value = decimal(coupon["discount_value"])
    off = subtotal * value / 100 if coupon.get("discount_type") == "PERCENTAGE" else value
    return min(off, subtotal)
