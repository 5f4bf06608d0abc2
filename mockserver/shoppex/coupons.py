"""Shoppex coupon documents: what POST and PATCH /coupons store, in the documented shape. Plain Python."""

from __future__ import annotations

import secrets

from .catalog import money

# Request field -> coupon field, where the names differ (the docs write discount_value, show discount).
RENAMED = {"discount_value": "discount", "discount_type": "type", "used_count": "used"}
MONEY = ("discount", "min_order_amount", "max_discount")
TIMES = ("valid_from", "valid_until")


def new_coupon(body: dict, shop_id: str, now: int) -> dict:
    """The coupon POST /coupons stores: the 17 documented fields; the code is stored lower-case, as the docs show."""
    coupon = {
        "id": f"cpn_{secrets.token_hex(12)}",
        "uniqid": f"coupon_{secrets.token_hex(6)}",
        "shop_id": shop_id,
        "type": "PERCENTAGE",
        "code": "",
        "discount": 0,
        "used": 0,
        "max_uses": 0,
        "min_order_amount": None,
        "max_discount": None,
        "valid_from": None,
        "valid_until": None,
        "is_active": True,
        "created_at": now,
        "updated_at": now,
        "products_bound": [],
        "products_count": 0,
    }
    coupon.update(changes(body))
    return coupon


def changes(body: dict) -> dict:
    """The coupon fields a validated POST or PATCH body sets."""
    update = {RENAMED.get(key, key): value for key, value in body.items()}
    # Money as JSON numbers, times as Unix seconds, codes lower-case, and the bound products counted.
    for name in MONEY:
        if update.get(name) is not None:
            update[name] = money(update[name])
    for name in TIMES:
        if update.get(name) is not None:
            update[name] = int(update[name].timestamp())
    if "code" in update:
        update["code"] = update["code"].lower()
    if "products_bound" in update:
        update["products_count"] = len(update["products_bound"])
    return update
