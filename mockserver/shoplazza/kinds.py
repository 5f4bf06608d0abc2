"""The Shoplazza record kinds: name, the fields naming one record, and the fields the server reads.

Shoplazza money is a decimal string ("16.99") and times are ISO 8601 UTC with `Z` (or ""
where a time may be unset).
"""

from __future__ import annotations

from ..kinds import Count, Kind, RecordSchema, boolean, http_url, list_of, obj, one_of, record, string, text
from ..wire import MONEY_MAX, PLAIN_DECIMAL, DecimalMoney, IsoTime
from .aftersales import POST_SALES, REFUNDS
from .fulfillments import CANCELLED, FINISHED, FULFILLMENTS, SHIPPED
from .lifecycle import FINANCIAL_STATUSES, FULFILLMENT_STATUSES, STATUSES
from .models import ORDERS, SHOPS, TRANSACTIONS
from .orders import NOTIFY_FIELDS
from .refunds import POST_SALE_STATUSES, REFUND_STATUSES
from .risks import RISKS
from .webhooks import TOPICS, WEBHOOKS

PRICE = f'must be a decimal string from 0 to {MONEY_MAX} (Shoplazza money, e.g. "16.99")'
MONEY_FIELDS = (
    "total_price", "sub_total", "total_discount", "total_tax", "total_shipping", "code_discount_total",
    "total_refund_price", "total_tip_received", "total_paid", "gift_card_total", "shipping_tax_total",
    "additional_total", "duty_total",
)  # fmt: skip
UNSET_TIMES = ("placed_at", "cancelled_at", "finished_at", "customer_deleted_at")
SEQUENCES = ("last_custom_payment_sequence", "last_order_sequence", "last_order_number", "last_transaction_sequence")


def price(**kwargs) -> DecimalMoney:
    """Shoplazza money: a decimal string ("0.50", as the API writes it) from 0 to MONEY_MAX."""
    return DecimalMoney(pattern=PLAIN_DECIMAL, error_messages={"invalid": PRICE, "range": PRICE}, **kwargs)


class LineItem(RecordSchema):
    """An order's line item."""

    total_price = price()
    quantity = Count()


class AdditionalPrice(RecordSchema):
    """One of an order's additional prices."""

    price = price()


class Order(RecordSchema):
    """shoplazza.orders: stored as the `order` object the API returns."""

    id = text(required=True)
    number = text(required=True)
    status = one_of(*STATUSES, required=True)
    financial_status = one_of(*FINANCIAL_STATUSES, required=True)
    fulfillment_status = one_of(*FULFILLMENT_STATUSES, required=True)
    currency = text(required=True)
    # The money fields (total_price is required), in the document's order.
    locals().update({name: price(required=name == "total_price") for name in MONEY_FIELDS})
    created_at = IsoTime(required=True)
    updated_at = IsoTime(required=True)
    locals().update({name: IsoTime(allow_empty=True) for name in UNSET_TIMES})
    deleted_at = string()
    tags = string()
    note = string()
    buyer_accepts_marketing = boolean()
    line_items = list_of(record(LineItem), required=True)
    shipping_line = obj(required=True)
    primary_market_price = obj(required=True)
    additional_prices = list_of(record(AdditionalPrice))
    payment_line = obj()
    payment_lines = list_of(obj())
    billing_address = obj(allow_none=True)
    shipping_address = obj(allow_none=True)
    customer = obj(allow_none=True)
    # v202601.Order's notification settings and browser IP (shown on 2026-01 only).
    locals().update({name: Count() for name in NOTIFY_FIELDS})
    browser_ip = string()


class Transaction(RecordSchema):
    """shoplazza.transactions: stored as v202506.Transaction."""

    id = text(required=True)
    order_id = text(required=True)
    status = string()
    amount = price()
    payment_channel = string()
    created_at = IsoTime()
    test = boolean()


class Shop(RecordSchema):
    """shoplazza.shops: the shop number and the sequences new ids count up from."""

    id = text(required=True)
    number = text()
    domain = text()
    locals().update({name: Count() for name in SEQUENCES})


class Webhook(RecordSchema):
    """shoplazza.webhooks: the `webhook` object plus api_version and position."""

    id = text(required=True)
    address = http_url(required=True)
    topic = one_of(*TOPICS, required=True)
    created_at = IsoTime(required=True)
    updated_at = IsoTime(required=True)
    format = string()
    api_version = text(required=True)
    position = Count(required=True)


class FulfillmentLine(RecordSchema):
    """A fulfillment's line item: the order's line, ship_quantity what this fulfillment ships."""

    id = text(required=True)
    quantity = Count()
    ship_quantity = Count(required=True)


class Fulfillment(RecordSchema):
    """shoplazza.fulfillments: stored as v202506.Fulfillment plus its position among its order's fulfillments."""

    id = text(required=True)
    order_id = text(required=True)
    status = one_of(SHIPPED, FINISHED, CANCELLED, required=True)
    created_at = IsoTime(required=True)
    updated_at = IsoTime(required=True)
    line_items = list_of(record(FulfillmentLine), required=True)
    position = Count(required=True)


class RefundRecord(RecordSchema):
    """shoplazza.refunds: v202506.RefundRecord plus post_sale_id (its post-sale record)."""

    id = text(required=True)
    order_id = text(required=True)
    refund_price = price(required=True)
    refund_status = one_of(*REFUND_STATUSES, required=True)
    created_at = IsoTime(required=True)
    updated_at = IsoTime(required=True)
    refund_line_items = list_of(obj())
    payment_details = list_of(obj())
    post_sale_id = string()


class PostSale(RecordSchema):
    """shoplazza.post_sales: v202506.PostSaleOrder plus order_id and refund_record_id."""

    id = text(required=True)
    order_id = text(required=True)
    status = one_of(*POST_SALE_STATUSES, required=True)
    created_at = IsoTime(required=True)
    refund_amount = price()
    refund_record_id = string()


class Risk(RecordSchema):
    """shoplazza.risks: stored as v202506.OrderRisk."""

    id = text(required=True)
    order_id = text(required=True)
    level = one_of("low", "medium", "high", required=True)
    details = list_of(string())
    properties = obj()
    created_at = IsoTime(required=True)
    updated_at = IsoTime(required=True)


KINDS = (
    Kind(ORDERS, ("id", "number"), Order),
    Kind(TRANSACTIONS, schema=Transaction),
    Kind(SHOPS, schema=Shop),
    Kind(WEBHOOKS, schema=Webhook),
    Kind(FULFILLMENTS, schema=Fulfillment),
    Kind(REFUNDS, schema=RefundRecord),
    Kind(POST_SALES, schema=PostSale),
    Kind(RISKS, schema=Risk),
)
