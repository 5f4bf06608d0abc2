"""The documents new Shoppex records are stored as, and the views each endpoint shows of them."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from ..wire import iso
from .catalog import decimal, money

CHECKOUT_URL = "https://checkout.shoppex.io/invoice/{uniqid}"
BRANDED_URL = "https://{shop}.shoppex.io/invoice/{uniqid}"

# Fields only GET /invoices/{uniqid} shows (seed 003); the order views (seeds 000-002) never carry them.
INVOICE_ONLY_FIELDS = frozenset(
    {"type", "subtype", "origin", "total_display", "discount_display", "is_developer_invoice", "developer_title", "product", "void_details"}
)
# Payment-only fields: the invoice and order views leave them out.
PAYMENT_ONLY_FIELDS = frozenset(
    {"url", "url_branded", "session_id", "title", "return_url", "cancel_url", "success_url", "webhook", "webhook_secret", "metadata"}
)
PAYMENT_FIELDS = ("uniqid", "url", "url_branded", "checkout_url", "session_id", "total", "currency", "status", "created_at")
# What the docs' POST /orders example shows beyond the GET /orders/{id} examples.
CREATED_ORDER_FIELDS = ("total_display", "discount_display", "is_developer_invoice", "developer_title")


def new_ids() -> tuple[str, str]:
    """A fresh internal id (`inv_<hex>`) and public uniqid (UUID v4), the documented formats."""
    return f"inv_{secrets.token_hex(12)}", str(uuid.uuid4())


def order_view(doc: dict) -> dict:
    """The record as the /orders endpoints show it."""
    return {k: v for k, v in doc.items() if k not in INVOICE_ONLY_FIELDS and k not in PAYMENT_ONLY_FIELDS}


def shop_view(doc: dict) -> dict:
    """The shop as GET /me shows it: its name also as `store_name`, the field the official SDKs read."""
    return {**doc, "store_name": doc.get("store_name", doc.get("name"))}


def created_order_view(doc: dict) -> dict:
    """The record as POST /orders answers it: the order view plus the create example's invoice fields."""
    return {**order_view(doc), **{k: doc.get(k) for k in CREATED_ORDER_FIELDS}}


def with_totals(view: dict) -> dict:
    """A listed record with `subtotal` and `discount` (the list examples show them), from its items when not stored."""
    if "subtotal" not in view and isinstance(view.get("items"), list):
        subtotal = sum((decimal(item.get("total") or 0) for item in view["items"]), decimal(0))
        view["subtotal"] = money(subtotal)
        view["discount"] = money(max(subtotal - decimal(view.get("total") or 0), decimal(0)))
    return view


def listed_order_view(doc: dict) -> dict:
    """An order as GET /orders lists it."""
    return with_totals(order_view(doc))


def listed_invoice_view(doc: dict) -> dict:
    """An invoice as GET /invoices lists it."""
    return with_totals(invoice_view(doc))


def invoice_view(doc: dict) -> dict:
    """The record as the /invoices endpoints show it."""
    return {k: v for k, v in doc.items() if k not in PAYMENT_ONLY_FIELDS}


def payment_view(doc: dict) -> dict:
    """The record as the /payments endpoints show it (the documented create response)."""
    return {k: doc.get(k) for k in PAYMENT_FIELDS}


def session_view(doc: dict, ttl: int) -> dict:
    """The record as POST /checkout/sessions shows it."""
    view = {
        "id": doc["session_id"],
        "url": doc["url"],
        "status": doc["status"],
        "amount": doc["total"],
        "currency": doc["currency"],
        "customer_email": doc["customer_email"],
        "success_url": doc.get("success_url"),
        "cancel_url": doc.get("cancel_url"),
        "created_at": doc["created_at"],
        # The docs type it as a string (and nested times may be ISO 8601): the deadline in ISO 8601 UTC.
        "expires_at": iso(doc["created_at"] + ttl),
    }
    return {**view, "checkout_url": doc["checkout_url"], "session_id": doc["session_id"]}


def invoice_document(*, shop_id: str, email: str, items: list[dict], subtotal: Decimal, discount: Decimal, now: int, **fields) -> dict:
    """A new PENDING invoice (the record behind an order, a payment or a checkout session)."""
    internal_id, uniqid = new_ids()
    total = subtotal - discount
    doc = {
        "id": internal_id,
        "uniqid": uniqid,
        "type": fields.pop("type", "PRODUCT"),
        "subtype": None,
        "origin": "API",
        "shop_id": shop_id,
        "customer_id": fields.pop("customer_id", None),
        "customer_email": email,
        "affiliate_link_id": None,
        "affiliate_customer_id": None,
        "affiliate_code": None,
        "affiliate_discount_amount": 0,
        "currency": fields.pop("currency", "USD"),
        "total": money(total),
        "total_display": money(total),
        "subtotal": money(subtotal),
        "discount": money(discount),
        "discount_display": money(discount),
        "tax": 0,
        "tax_percentage": 0,
        "balance_paid_amount": 0,
        "coupon_id": fields.pop("coupon_id", None),
        "subscription_id": None,
        "custom_fields": fields.pop("custom_fields", None),
        "is_developer_invoice": fields.pop("is_developer_invoice", False),
        "developer_title": fields.pop("developer_title", None),
        "status": "PENDING",
        # The create example shows null until something happens to the record.
        "status_details": None,
        "payment_status": "PENDING",
        "gateway": fields.pop("gateway", None),
        "flow_type": "CHECKOUT",
        "provider_reference": None,
        "provider_reference_type": None,
        "checkout_url": CHECKOUT_URL.format(uniqid=uniqid),
        "product": {"uniqid": items[0]["product_id"], "title": items[0]["product_title"]} if items else None,
        "items": items,
        "created_at": now,
        "updated_at": now,
    }
    doc.update(fields)
    return doc


def payment_fields(doc: dict, shop: str) -> dict:
    """The checkout links a payment or session carries next to its invoice fields."""
    return {
        "url": doc["checkout_url"],
        "url_branded": BRANDED_URL.format(shop=shop, uniqid=doc["uniqid"]),
        "session_id": f"cs_{secrets.token_hex(12)}",
    }
