"""Building and re-pricing Shoplazza order documents. Plain Python: no Flask.

An order is stored as v202601.Order with line items' ship_quantity kept; shapes.py shows each version.
"""

from __future__ import annotations

import uuid

from ..wire import MONEY_MAX
from .errors import field_error
from .payments import payment_line
from .values import ZERO, money, money_or_zero

# v202601's notification settings (int32, 0 to 2), stored from create and update; 0 when never sent.
NOTIFY_FIELDS = ("order_confirm_notify", "fulfillment_notify", "partial_fulfillment_notify", "order_delivered_notify")

ADDRESS_FIELDS = (
    "first_name", "last_name", "address", "address1", "phone", "city", "zip", "province", "country", "company",
    "latitude", "longitude", "name", "country_code", "province_code", "phone_area_code", "email", "area",
)  # fmt: skip
CUSTOMER_TEMPLATE = {
    "id": "", "email": "", "first_name": "", "last_name": "", "phone": "",
    "created_at": "", "updated_at": "", "order_count": 0, "total_spent": "0.00",
}  # fmt: skip


def blank_address() -> dict:
    """An OrderAddress with every field present and empty."""
    address = dict.fromkeys(ADDRESS_FIELDS, "")
    address["extra_info"] = {"addition": {}, "cpf": "", "tax_text": ""}
    return address


def merge_address(address: dict, changes: dict) -> dict:
    """Merge the given OrderAddress fields into `address`, keeping `name` = first + last name."""
    merged = dict(address) if address else blank_address()
    for key, value in changes.items():
        if key in ADDRESS_FIELDS:
            merged[key] = value
        elif key == "cpf":
            merged.setdefault("extra_info", {"addition": {}, "cpf": "", "tax_text": ""})["cpf"] = value
    if "first_name" in changes or "last_name" in changes:
        merged["name"] = " ".join(part for part in (merged.get("first_name"), merged.get("last_name")) if part)
    return merged


def currency_symbol(code: str) -> dict:
    """A CurrencySymbol for `code` (the mock knows the dollar, euro and pound signs)."""
    sign = {"USD": "$", "EUR": "€", "GBP": "£"}.get(code, "")
    return {"code": code, "val": sign, "left": sign, "right": ""}


def default_config(currency: str, checkout_url: str) -> dict:
    """The order's Config: tax excluded from prices, shipping required, one market in `currency`.

    `checkout_url` is not in the registry's v202506.Config but the seed's Config Object table lists
    it (the seed wins): it repeats the order's checkout_url.
    """
    symbol = currency_symbol(currency)
    market = {
        "primary_market_lang": "en", "market_lang": "en", "market_id": "", "market_currency": currency,
        "market_currency_symbol": dict(symbol), "market_base_id": "", "market_base_currency": currency,
        "market_base_currency_symbol": dict(symbol), "primary_market_id": "", "primary_market_currency": currency,
        "primary_market_currency_symbol": dict(symbol),
        "market_price_setting": {
            "local_currency_enabled": False, "custom_rate_enabled": False, "custom_rate": 1.0, "rate": 1.0, "back_rate": 1.0,
            "actual_rate": 1.0, "base_to_rate": 1.0, "local_to_rate": 1.0, "adjust": 0, "price_round_enabled": False,
        },
        "market_country": "",
    }  # fmt: skip
    return {
        "page_type": "", "requires_shipping": True, "product_tax_included": False, "market_setting": market,
        "checkout_url": checkout_url,
    }  # fmt: skip


def line_item(order_id: str, index: int, param: dict, now: str) -> dict:
    """A LineItem from a CreateOrderLineItemParam; the total is price x quantity unless given."""
    quantity = param["quantity"]
    price = param.get("price")
    total = param.get("total_price")
    if price is None:
        price = total / quantity
    if total is None:
        total = price * quantity
        if total > MONEY_MAX:
            raise field_error(
                f"order.line_items.{index}.quantity", f"price x quantity is more than {MONEY_MAX}, the largest amount the mock takes"
            )
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"shoplazza-order:{order_id}/{index}")),
        "product_id": param.get("product_id", ""), "product_title": param.get("product_title", ""),
        "variant_id": param.get("variant_id", ""), "variant_title": "", "quantity": quantity, "note": "",
        "image": {"src": "", "width": 0, "height": 0, "alt": ""},
        "price": money(price), "compare_at_price": money(price), "total_price": money(total),
        "fulfillment_status": "initialled", "sku": "", "weight": "0", "weight_unit": "kg", "vendor": "",
        "product_url": "", "created_at": now, "updated_at": now, "options": [], "product_slug": "",
        "taxable": True, "requires_shipping": True, "spu": "", "product_tags": "", "refund_quantity_total": 0,
        "ship_quantity": 0, "custom": not param.get("product_id"), "trunk_price": "0.00", "discount_applications": "",
        "tax_price": "0.00", "duty_price": "0.00", "payment_discount_price": "0.00", "custom_properties": {},
    }  # fmt: skip


def shipping_line(param: dict, line_id: str) -> dict:
    """The order's ShippingLine (its price lives in the order's total_shipping)."""
    return {
        "id": line_id,
        "name": param["shipping_name"],
        "desc": param.get("shipping_desc", ""),
        "delivery_method": param.get("delivery_method", 0),
    }


def reprice(doc: dict, cause: str) -> dict:
    """Recompute sub_total and total_price from the lines, shipping, tax, fees and discount.

    A sum beyond MONEY_MAX is an InvalidParameter naming `cause`, the request field that raised it.
    """
    sub_total = sum((money_or_zero(line.get("total_price")) for line in doc.get("line_items", [])), ZERO)
    additional = sum((money_or_zero(fee.get("price")) for fee in doc.get("additional_prices", [])), ZERO)
    total = sub_total + money_or_zero(doc.get("total_shipping")) + money_or_zero(doc.get("total_tax")) + additional
    total -= money_or_zero(doc.get("total_discount"))
    if max(sub_total, additional, total) > MONEY_MAX:
        raise field_error(cause, f"the order's total would be more than {MONEY_MAX}, the largest amount the mock takes")
    doc["sub_total"] = money(sub_total)
    doc["additional_total"] = money(additional)
    doc["total_price"] = money(max(total, ZERO))
    doc["primary_market_price"]["total_price"] = doc["total_price"]
    return doc


def new_order(order_id: str, number: str, param: dict, now: str, checkout_host: str) -> dict:
    """A fresh order from a CreateOrderParam; its three statuses are left for the lifecycle's order-create row."""
    currency = param["currency_code"]
    address = merge_address(blank_address(), param["shipping_address"])
    lines = [line_item(order_id, i, item, now) for i, item in enumerate(param["line_items"])]
    customer = dict(CUSTOMER_TEMPLATE, email=address["email"], first_name=address["first_name"], last_name=address["last_name"])
    customer["phone"] = address["phone"]
    checkout_url = f"https://{checkout_host}/checkout/{order_id}"
    doc = {
        "id": order_id, "created_at": now, "updated_at": now, "note": param.get("note", ""), "number": number,
        "total_price": "0.00", "sub_total": "0.00", "currency": currency, "financial_status": "",
        "status": "", "cancelled_at": "", "cancel_reason": "", "payment_method": "",
        "fulfillment_status": "", "customer_deleted_at": "", "deleted_at": "", "placed_at": "",
        "tags": ",".join(param.get("tags", [])), "buyer_accepts_marketing": False, "code_discount_total": "0.00",
        "customer_note": "", "total_discount": money(param.get("discount", ZERO)), "total_tax": money(param["tax_total"]),
        "total_shipping": money(param["shipping_line"]["shipping_price"]), "line_items": lines, "payment_line": payment_line(),
        "shipping_line": shipping_line(param["shipping_line"], f"{order_id}-shipping"),
        "billing_address": blank_address(), "shipping_address": address, "fulfillments": [], "customer": customer,
        "refer_info": "", "sales_platform": "openapi", "total_refund_price": "0.00",
        "primary_market_price": {"compare_at_price": "0.00", "price": "0.00", "total_price": "0.00", "actual_rate": "1"},
        "total_tip_received": "0.00", "discount_applications": "", "refund_status": "", "email_status": "",
        "recovery_status": "", "total_paid": "0.00", "payment_lines": [], "gift_card_total": "0.00",
        "logistics_code": "", "shipping_tax_total": "0.00",
        "location_line": {"id": "", "location_id": "", "location_name": ""},
        "additional_total": "0.00", "additional_prices": [], "config": default_config(currency, checkout_url),
        "checkout_url": checkout_url, "duty_total": "0.00",
        **{name: param.get(name, 0) for name in NOTIFY_FIELDS}, "finished_at": "",
        "device": "", "order_type": "", "source": "", "source_name": "openapi", "last_landing_url": "",
        "last_referrer_show": "", "browser_ip": "",
    }  # fmt: skip
    return reprice(doc, "order.line_items")


def add_tag(tags: str, tag: str) -> str:
    """The comma-separated `tags` with `tag` added once."""
    current = [t.strip() for t in tags.split(",") if t.strip()] if tags else []
    if tag not in current:
        current.append(tag)
    return ",".join(current)


def additional_price(param: dict) -> dict:
    """An AdditionalPrice from an UpdateAdditionalPrice."""
    return {"name": param["name"], "price": money(param["price"]), "biz_id": param.get("biz_id", ""), "fee_title": param["fee_title"]}
