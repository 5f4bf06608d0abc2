"""Refund records, refund transactions and post-sale records as Shoplazza shows them. Plain Python: no Flask, no store.

A refund record is stored as v202506.RefundRecord plus `post_sale_id` (the post-sale record
created with it); a post-sale record as v202506.PostSaleOrder plus `order_id` and
`refund_record_id`. The views below drop those private links.
"""

from __future__ import annotations

from decimal import Decimal

from . import payments
from .errors import field_error
from .values import ZERO, money, money_or_zero

PENDING, FINISHED, FAILED = "pending", "finished", "failed"
REFUND_STATUSES = (PENDING, FINISHED, FAILED)
# A post-sale record's status as the registry lists it, by its refund's status.
POST_SALE_STATUSES = ("pending", "processing", "finished")
POST_SALE_STATUS = {PENDING: "processing", FINISHED: "finished", FAILED: "pending"}
# A refund transaction's status (the registry's transaction value set), by its refund's status.
TRANSACTION_STATUS = {PENDING: "refunding", FINISHED: "refunded", FAILED: "refund_failed"}
# Payments the platform refunds at once: the bogus test gateway and custom (manual) payment methods.
INSTANT_CHANNELS = frozenset({payments.BOGUS_LINE["payment_channel"], payments.CUSTOM_CHANNEL})
REFUND_METHOD = "original"

REFUND_FIELDS = (
    "id", "refund_price", "refund_shipping", "refund_shipping_tax", "refund_method", "refund_status", "note",
    "created_at", "updated_at", "refund_line_items", "payment_details", "additional_total", "additional_prices",
    "refund_tip", "order_id",
)  # fmt: skip
POST_SALE_FIELDS = (
    "created_at", "credit_card_number", "currency_code", "customer_name", "discount_code", "financial_status",
    "fulfillment_status", "fulfillments", "id", "line_items", "number", "order_number", "order_total",
    "payment_method", "recipient_name", "sales_platform", "shipping_country", "shipping_email", "shipping_line",
    "shipping_phone", "source", "source_name", "placed_at", "refund_amount", "post_sale_note", "last_referrer_show",
    "last_landing_url", "payment_lines", "main_currency_prices", "delivery_method", "shipping_tax_total",
    "shipping_tax_type", "all_tax_total", "shop_name", "staff_contact", "status",
)  # fmt: skip


def refund_view(doc: dict) -> dict:
    """A refund record as the API shows it (v202506.RefundRecord)."""
    return {name: doc.get(name, "") for name in REFUND_FIELDS}


def post_sale_view(doc: dict) -> dict:
    """A post-sale record as the API shows it (v202506.PostSaleOrder)."""
    return {name: doc.get(name, "") for name in POST_SALE_FIELDS}


def refunded_so_far(records: list[dict]) -> Decimal:
    """What the refunds of an order take from what was paid: every one that has not failed."""
    return sum((money_or_zero(r.get("refund_price")) for r in records if r.get("refund_status") != FAILED), ZERO)


def check_amount(param: dict, order: dict, records: list[dict]) -> Decimal:
    """The refund's total, checked: more than zero and at most what was paid minus what was refunded."""
    total = param["refund_total"]
    if total <= ZERO:
        raise field_error("refund.refund_total", "must be more than 0")
    left = money_or_zero(order.get("total_paid")) - refunded_so_far(records)
    if total > left:
        raise field_error("refund.refund_total", f"{money(total)} is more than the {money(left)} left to refund on order {order['id']}")
    return total


def _payment_line(order: dict, line_id: str, where: str) -> dict:
    # A payment line named by its id or its transaction number.
    for line in order.get("payment_lines") or []:
        if line_id in (line.get("id"), line.get("transaction_no")) and line_id:
            return line
    raise field_error(where, f"order {order['id']} has no payment line {line_id}")


def refund_payments(param: dict, order: dict, total: Decimal) -> list[tuple[dict, Decimal]]:
    """(payment line, amount) for each refund payment; without refund_payments, the whole total on the primary line."""
    given = param.get("refund_payments")
    if not given:
        return [(order.get("payment_line") or {}, total)]
    found = [
        (_payment_line(order, p["payment_line_id"], f"refund.refund_payments.{i}.payment_line_id"), p["refund_price"])
        for i, p in enumerate(given)
    ]
    if sum((amount for _line, amount in found), ZERO) != total:
        raise field_error("refund.refund_payments", f"the refund prices must add up to refund_total {money(total)}")
    return found


def refund_lines(param: dict, order: dict) -> list[dict]:
    """The v202506.RefundLineItem of each refunded line, checked against what is left of the order's line."""
    lines = {line["id"]: line for line in order.get("line_items", [])}
    refunded = []
    for i, item in enumerate(param.get("refund_line_items") or []):
        where = f"refund.refund_line_items.{i}"
        line = lines.get(item["line_item_id"])
        if line is None:
            raise field_error(f"{where}.line_item_id", f"order {order['id']} has no line item {item['line_item_id']}")
        left = int(line.get("quantity", 0)) - int(line.get("refund_quantity_total", 0))
        quantity = item.get("quantity", left)
        if not 1 <= quantity <= left:
            raise field_error(f"{where}.quantity", f"must be from 1 to {left}, the quantity of line {line['id']} not yet refunded")
        amount = money(money_or_zero(line.get("price")) * quantity)
        refunded.append(
            {
                "line_item_id": line["id"],
                "refund_quantity": quantity,
                "tax": "0.00",
                "discount": "0.00",
                "sub_total": amount,
                "total": amount,
                "delete_quantity": 0,
            }
        )
    return refunded


def instant(payment_lines: list[dict]) -> bool:
    """True when every payment refunded is one the platform refunds at once (test gateway, custom method)."""
    return all(line.get("payment_channel") in INSTANT_CHANNELS for line in payment_lines)


def refund_record(
    record_id: str, post_sale_id: str, order: dict, param: dict, details: list[dict], lines: list[dict], status: str, now: str
) -> dict:
    """A new refund record (v202506.RefundRecord) with its private link to its post-sale record."""
    fees = [
        {"name": fee["name"], "price": money(fee["price"]), "biz_id": "", "fee_title": fee["name"]}
        for fee in param.get("refund_additional_prices") or []
    ]
    additional = param.get("refund_additional_total", sum((money_or_zero(fee["price"]) for fee in fees), ZERO))
    return {
        "id": record_id, "refund_price": money(param["refund_total"]),
        "refund_shipping": money(param.get("refund_shipping_total", ZERO)), "refund_shipping_tax": "0.00",
        "refund_method": REFUND_METHOD, "refund_status": status, "note": param.get("note", ""), "created_at": now,
        "updated_at": now, "refund_line_items": lines, "payment_details": details, "additional_total": money(additional),
        "additional_prices": fees, "refund_tip": money(param.get("refund_tip", ZERO)), "order_id": order["id"],
        "post_sale_id": post_sale_id,
    }  # fmt: skip


def payment_detail(transaction_id: str, line: dict, amount: Decimal, status: str, now: str) -> dict:
    """One v202506.RefundPaymentDetail: the refund of `amount` on one payment line (its id is the transaction's)."""
    return {
        "id": transaction_id, "payment_line_id": line.get("id") or line.get("transaction_no", ""),
        "payment_channel": line.get("payment_channel", ""), "payment_method": line.get("payment_method", ""),
        "refund_price": money(amount), "refund_status": status, "finished_at": now if status == FINISHED else "",
    }  # fmt: skip


def refund_transaction(transaction_id: str, order: dict, line: dict, amount: Decimal, status: str, now: str) -> dict:
    """The v202506.Transaction recording the refund of `amount` on one payment line."""
    test = line.get("payment_channel") == payments.BOGUS_LINE["payment_channel"]
    doc = payments.transaction(transaction_id, order, {**payments.payment_line(), **line}, test, now)
    doc.update(amount=money(amount), status=TRANSACTION_STATUS[status])
    return doc


def _post_sale_line(line: dict, refunded: dict) -> dict:
    # A v202506.PostSaleOrderLineItem: the order's line and what this refund takes of it.
    same = ("compare_at_price", "fulfillment_status", "id", "image", "note", "price", "product_id", "product_title",
            "requires_shipping", "sku", "spu", "taxable", "variant_id", "variant_title", "vendor", "weight", "weight_unit")  # fmt: skip
    shown = {name: line.get(name, "") for name in same}
    tags = [t.strip() for t in str(line.get("product_tags") or "").split(",") if t.strip()]
    shown.update(
        options=line.get("options") or [], product_handle=line.get("product_slug", ""), product_tags=tags, properties="",
        quantity=int(line.get("quantity", 0)), refund_discount="0.00", refund_price=refunded["sub_total"],
        refund_quantity=refunded["refund_quantity"], refund_tax="0.00", refund_total=refunded["total"],
        total=line.get("total_price", "0.00"), vendor_url="", oversold_quantity=0,
        main_currency_prices={"compare_at_price": line.get("compare_at_price", "0.00"), "price": line.get("price", "0.00"),
                              "total_price": line.get("total_price", "0.00"), "actual_rate": "1"},
        fulfillments=[],
    )  # fmt: skip
    return shown


def post_sale(post_sale_id: str, number: str, order: dict, record: dict, now: str) -> dict:
    """The post-sale record (v202506.PostSaleOrder) of a refund, from the order as it was refunded."""
    address = order.get("shipping_address") or {}
    line = order.get("payment_line") or {}
    lines = {item["id"]: item for item in order.get("line_items", [])}
    shipping = order.get("shipping_line") or {}
    delivery = shipping.get("delivery_method") if isinstance(shipping.get("delivery_method"), int) else 0
    return {
        "created_at": now, "credit_card_number": line.get("credit_card_number", ""), "currency_code": order.get("currency", ""),
        "customer_name": address.get("name", ""), "discount_code": "", "financial_status": order.get("financial_status", ""),
        "fulfillment_status": order.get("fulfillment_status", ""), "fulfillments": [], "id": post_sale_id,
        "line_items": [_post_sale_line(lines[r["line_item_id"]], r) for r in record["refund_line_items"]],
        "number": number, "order_number": order.get("number", ""), "order_total": order.get("total_price", "0.00"),
        "payment_method": order.get("payment_method", ""), "recipient_name": address.get("name", ""),
        "sales_platform": order.get("sales_platform", ""), "shipping_country": address.get("country", ""),
        "shipping_email": address.get("email", ""),
        "shipping_line": {**{k: shipping.get(k, "") for k in ("id", "name", "desc")}, "delivery_method": delivery},
        "shipping_phone": address.get("phone", ""), "source": order.get("source", ""), "source_name": order.get("source_name", ""),
        "placed_at": order.get("placed_at", ""), "refund_amount": record["refund_price"], "post_sale_note": record["note"],
        "last_referrer_show": order.get("last_referrer_show", ""), "last_landing_url": order.get("last_landing_url", ""),
        "payment_lines": order.get("payment_lines") or [], "main_currency_prices": dict(order.get("primary_market_price") or {}),
        "delivery_method": delivery, "shipping_tax_total": order.get("shipping_tax_total", "0.00"), "shipping_tax_type": 0,
        "all_tax_total": order.get("total_tax", "0.00"), "shop_name": "", "staff_contact": "",
        "status": POST_SALE_STATUS[record["refund_status"]], "order_id": order["id"], "refund_record_id": record["id"],
    }  # fmt: skip
