"""The Shoppex record kinds: name, the fields naming one record, and the fields the server reads.

Shoppex money is a JSON number and times are Unix seconds.
"""

from __future__ import annotations

from ..kinds import Count, Kind, Kinds, RecordSchema, boolean, http_url, list_of, one_of, record, string, text
from ..wire import MONEY_MAX, NumberMoney, UnixTime
from .catalog import COUPONS, CUSTOMERS, PRODUCTS
from .lifecycle import STATUSES
from .models import AFFILIATE_LINKS, INVOICES, REFUNDS, SHOPS
from .serials import SERIALS
from .webhooks import EVENTS, WEBHOOKS

AMOUNT = f"must be a JSON number from 0 to {MONEY_MAX} (Shoppex money, e.g. 19.99)"
MONEY_FIELDS = ("total", "subtotal", "discount", "total_display", "discount_display", "affiliate_discount_amount", "balance_paid_amount")


def amount(**kwargs) -> NumberMoney:
    """Shoppex money: a JSON number (not a string), finite, from 0 to MONEY_MAX, any decimals."""
    return NumberMoney(places=None, error_messages={"invalid": AMOUNT, "range": AMOUNT}, **kwargs)


class Item(RecordSchema):
    """An invoice's line item."""

    product_id = string(allow_none=True)
    product_title = string(allow_none=True)
    quantity = Count()
    unit_price = amount()
    total = amount()


class Invoice(RecordSchema):
    """shoppex.invoices: orders, invoices, payments and checkout sessions are all invoices."""

    id = text(required=True)
    uniqid = text(required=True)
    status = one_of(*STATUSES, required=True)
    payment_status = string()
    type = text()
    shop_id = string()
    customer_email = string()
    currency = text()
    gateway = string(allow_none=True)
    items = list_of(record(Item))
    # The money fields, declared here so problems are listed in the document's order.
    locals().update({name: amount() for name in MONEY_FIELDS})
    checkout_url = string(allow_none=True)
    webhook = http_url(allow_none=True)
    webhook_secret = text()
    created_at = UnixTime(required=True)
    updated_at = UnixTime()


class Variant(RecordSchema):
    """A product's variant."""

    id = text(required=True)
    title = string(allow_none=True)
    price = amount(required=True)


class Product(RecordSchema):
    """shoppex.products."""

    id = text(required=True)
    title = string(required=True)
    price = amount(required=True)
    uniqid = text()
    type = string()
    currency = text()
    stock = Count(signed=True)
    quantity_warning = Count()
    unlisted = boolean()
    private = boolean()
    variants = list_of(record(Variant))
    created_at = UnixTime()
    updated_at = UnixTime()


class Coupon(RecordSchema):
    """shoppex.coupons, in the documented shape."""

    id = text(required=True)
    code = text(required=True)
    uniqid = text()
    type = one_of("PERCENTAGE", "FIXED", required=True)
    discount = amount(required=True)
    products_bound = list_of(string(), allow_none=True)
    max_uses = Count(allow_none=True)
    used = Count()
    min_order_amount = amount(allow_none=True)
    max_discount = amount(allow_none=True)
    valid_from = UnixTime(allow_none=True)
    valid_until = UnixTime(allow_none=True)
    is_active = boolean()
    created_at = UnixTime()


class Customer(RecordSchema):
    """shoppex.customers."""

    id = text(required=True)
    email = text(required=True)
    customer_balance = amount()
    created_at = UnixTime()


class AffiliateLink(RecordSchema):
    """shoppex.affiliate_links."""

    id = text(required=True)
    code = string(allow_none=True)
    customer_id = string(allow_none=True)
    created_at = UnixTime()


class Shop(RecordSchema):
    """shoppex.shops."""

    id = text(required=True)
    subdomain = text()
    currency = text()
    created_at = UnixTime()


class Refund(RecordSchema):
    """shoppex.refunds."""

    id = text(required=True)
    order_id = text(required=True)
    amount = amount(required=True)
    reason = string(allow_none=True)


class Webhook(RecordSchema):
    """shoppex.webhooks: a subscription."""

    id = text(required=True)
    url = http_url(required=True)
    events = list_of(one_of(*EVENTS), min_items=1, required=True)
    type = text(required=True)
    secret = text(required=True)
    enabled = boolean(required=True)
    created_at = UnixTime(required=True)
    updated_at = UnixTime(required=True)


class Serial(RecordSchema):
    """shoppex.serials: one code of a product's (or variant's) pool."""

    id = text(required=True)
    serial = text(required=True)
    product_id = text(required=True)
    variant_id = string(allow_none=True)


KINDS = (
    Kind(INVOICES, ("id", "uniqid"), Invoice),
    Kind(PRODUCTS, ("id", "uniqid"), Product),
    Kind(COUPONS, ("id", "uniqid", "code"), Coupon),
    Kind(AFFILIATE_LINKS, ("id", "code", "customer_id"), AffiliateLink),
    Kind(SHOPS, schema=Shop),
    Kind(REFUNDS, schema=Refund),
    Kind(WEBHOOKS, schema=Webhook),
    Kind(CUSTOMERS, ("id", "email"), Customer),
    Kind(SERIALS, schema=Serial),
)
# The Shoppex kinds' index fields, for a store holding only Shoppex records.
STORE_KEYS = Kinds(KINDS).store_keys()
