"""Shoppex customer documents: what POST and PATCH /customers store, in the documented shape. Plain Python."""

from __future__ import annotations

import secrets

from .catalog import money

# A balance change's description is taken, and shown nowhere: no documented customer field holds it.
UNSHOWN = ("upsert", "customer_balance_description")


def new_customer(body: dict, shop_id: str, currency: str, now: int) -> dict:
    """The customer POST /customers stores: the 19 documented fields."""
    customer = {
        "id": f"cus_{secrets.token_hex(12)}",
        "shop_id": shop_id,
        "email": "",
        "name": None,
        "surname": None,
        "phone": None,
        "phone_country_code": None,
        "country_code": None,
        "street_address": None,
        "additional_address_info": None,
        "city": None,
        "postal_code": None,
        "state": None,
        "affiliate_revenue": 0,
        "affiliate_revenue_currency": currency,
        "affiliate_revenue_percent": 0,
        "customer_balance": 0,
        "customer_balance_currency": currency,
        "created_at": now,
    }
    customer.update(changes(body))
    return customer


def changes(body: dict) -> dict:
    """The customer fields a validated POST or PATCH body sets (country codes upper-case, the balance a number)."""
    update = {key: value for key, value in body.items() if key not in UNSHOWN}
    if update.get("country_code"):
        update["country_code"] = update["country_code"].upper()
    if "customer_balance" in update:
        update["customer_balance"] = money(update["customer_balance"])
    return update
