"""One check per record kind: the fields and types the server's code relies on.

Used wherever records enter the store from outside: fixture directories (start-up and
`mockserver fixtures validate`), `POST /__admin/fixtures` and `PUT /__admin/snapshot`.
A record that passes can be read, listed and acted on without a server error. Only
known kinds are accepted; fields the server does not read are left alone (records stay
open), but a field it reads must have the type the API gives it: Shoppex money is a JSON
number and times are Unix seconds; Shoplazza money is a decimal string ("16.99") and
times are ISO 8601 UTC with `Z` (or "" where a time may be unset).
"""

from __future__ import annotations

import functools

from .value_checks import (
    Check,
    amount,
    boolean,
    count,
    decimal_string,
    http_url,
    integer,
    iso_z,
    iso_z_or_empty,
    json_text,
    list_of,
    nullable,
    obj,
    one_of,
    problems_of,
    record,
    string,
    text,
    unix,
)

REQUIRED, OPTIONAL = True, False
ID = {"id": (REQUIRED, text)}


# -- the kinds --------------------------------------------------------------------------


def _kinds() -> dict[str, dict[str, tuple[bool, Check]]]:
    # Imported here: the enums live next to the code that uses them, which imports the store.
    from .shoplazza.filters import FINANCIAL_STATUSES, FULFILLMENT_STATUSES, STATUSES
    from .shoplazza.webhooks import TOPICS
    from .shoppex.lifecycle import STATUSES as SHOPPEX_STATUSES
    from .shoppex.webhooks import EVENTS
    from .webhooks.delivery import APIS
    from .webhooks.delivery import STATUSES as DELIVERY_STATUSES

    sx_item = record(
        {
            "product_id": (OPTIONAL, nullable(string)),
            "product_title": (OPTIONAL, nullable(string)),
            "quantity": (OPTIONAL, count),
            "unit_price": (OPTIONAL, amount),
            "total": (OPTIONAL, amount),
        }
    )
    sx_variant = record({"id": (REQUIRED, text), "title": (OPTIONAL, nullable(string)), "price": (REQUIRED, amount)})
    sx_money = ("total", "subtotal", "discount", "total_display", "discount_display", "affiliate_discount_amount", "balance_paid_amount")
    invoice = {
        **ID,
        "uniqid": (REQUIRED, text),
        "status": (REQUIRED, one_of(*SHOPPEX_STATUSES)),
        "payment_status": (OPTIONAL, string),
        "type": (OPTIONAL, text),
        "shop_id": (OPTIONAL, string),
        "customer_email": (OPTIONAL, string),
        "currency": (OPTIONAL, text),
        "gateway": (OPTIONAL, nullable(string)),
        "items": (OPTIONAL, list_of(sx_item)),
        **{name: (OPTIONAL, amount) for name in sx_money},
        "checkout_url": (OPTIONAL, nullable(string)),
        "webhook": (OPTIONAL, nullable(http_url)),
        "webhook_secret": (OPTIONAL, text),
        "created_at": (REQUIRED, unix),
        "updated_at": (OPTIONAL, unix),
    }
    lz_money = (
        "total_price", "sub_total", "total_discount", "total_tax", "total_shipping", "code_discount_total",
        "total_refund_price", "total_tip_received", "total_paid", "gift_card_total", "shipping_tax_total",
        "additional_total", "duty_total",
    )  # fmt: skip
    lz_unset_times = ("placed_at", "cancelled_at", "finished_at", "customer_deleted_at")
    shoplazza_order = {
        **ID,
        "number": (REQUIRED, text),
        "status": (REQUIRED, one_of(*STATUSES)),
        "financial_status": (REQUIRED, one_of(*FINANCIAL_STATUSES)),
        "fulfillment_status": (REQUIRED, one_of(*FULFILLMENT_STATUSES)),
        "currency": (REQUIRED, text),
        **{name: (OPTIONAL, decimal_string) for name in lz_money},
        "total_price": (REQUIRED, decimal_string),
        "created_at": (REQUIRED, iso_z),
        "updated_at": (REQUIRED, iso_z),
        **{name: (OPTIONAL, iso_z_or_empty) for name in lz_unset_times},
        "deleted_at": (OPTIONAL, string),
        "tags": (OPTIONAL, string),
        "note": (OPTIONAL, string),
        "buyer_accepts_marketing": (OPTIONAL, boolean),
        "line_items": (REQUIRED, list_of(record({"total_price": (OPTIONAL, decimal_string), "quantity": (OPTIONAL, count)}))),
        "shipping_line": (REQUIRED, obj),
        "primary_market_price": (REQUIRED, obj),
        "additional_prices": (OPTIONAL, list_of(record({"price": (OPTIONAL, decimal_string)}))),
        "payment_line": (OPTIONAL, obj),
        "payment_lines": (OPTIONAL, list_of(obj)),
        "billing_address": (OPTIONAL, nullable(obj)),
        "shipping_address": (OPTIONAL, nullable(obj)),
        "customer": (OPTIONAL, nullable(obj)),
    }
    attempt = record({"attempt": (REQUIRED, count), "at": (REQUIRED, unix)})
    return {
        "shoppex.invoices": invoice,
        "shoppex.products": {
            **ID,
            "title": (REQUIRED, string),
            "price": (REQUIRED, amount),
            "uniqid": (OPTIONAL, text),
            "type": (OPTIONAL, string),
            "currency": (OPTIONAL, text),
            "variants": (OPTIONAL, list_of(sx_variant)),
            "created_at": (OPTIONAL, unix),
            "updated_at": (OPTIONAL, unix),
        },
        "shoppex.coupons": {
            **ID,
            "code": (REQUIRED, text),
            "discount_type": (REQUIRED, one_of("PERCENTAGE", "FIXED")),
            "discount_value": (REQUIRED, amount),
            "product_ids": (OPTIONAL, nullable(list_of(string))),
            "max_uses": (OPTIONAL, nullable(count)),
            "uses": (OPTIONAL, count),
            "created_at": (OPTIONAL, unix),
        },
        "shoppex.affiliate_links": {
            **ID,
            "code": (OPTIONAL, nullable(string)),
            "customer_id": (OPTIONAL, nullable(string)),
            "created_at": (OPTIONAL, unix),
        },
        "shoppex.shops": {**ID, "subdomain": (OPTIONAL, text), "currency": (OPTIONAL, text), "created_at": (OPTIONAL, unix)},
        "shoppex.refunds": {**ID, "order_id": (REQUIRED, text), "amount": (REQUIRED, amount), "reason": (OPTIONAL, nullable(string))},
        "shoppex.webhooks": {
            **ID,
            "url": (REQUIRED, http_url),
            "events": (REQUIRED, list_of(one_of(*EVENTS), min_items=1)),
            "type": (REQUIRED, text),
            "secret": (REQUIRED, text),
            "enabled": (REQUIRED, boolean),
            "created_at": (REQUIRED, unix),
            "updated_at": (REQUIRED, unix),
        },
        "shoppex.idempotency_keys": {
            **ID,
            "fingerprint": (REQUIRED, text),
            "status": (REQUIRED, integer),
            "content_type": (REQUIRED, nullable(string)),
            "body": (REQUIRED, string),
            "created_at": (REQUIRED, unix),
        },
        "shoplazza.orders": shoplazza_order,
        "shoplazza.transactions": {
            **ID,
            "order_id": (REQUIRED, text),
            "status": (OPTIONAL, string),
            "amount": (OPTIONAL, decimal_string),
            "payment_channel": (OPTIONAL, string),
            "created_at": (OPTIONAL, iso_z),
            "test": (OPTIONAL, boolean),
        },
        "shoplazza.shops": {
            **ID,
            "number": (OPTIONAL, text),
            "domain": (OPTIONAL, text),
            **{
                name: (OPTIONAL, count)
                for name in ("last_custom_payment_sequence", "last_order_sequence", "last_order_number", "last_transaction_sequence")
            },
        },
        "shoplazza.webhooks": {
            **ID,
            "address": (REQUIRED, http_url),
            "topic": (REQUIRED, one_of(*TOPICS)),
            "created_at": (REQUIRED, iso_z),
            "updated_at": (REQUIRED, iso_z),
            "format": (OPTIONAL, string),
            "api_version": (REQUIRED, text),
            "position": (REQUIRED, count),
        },
        "webhooks.deliveries": {
            **ID,
            "api": (REQUIRED, one_of(*APIS)),
            "webhook_id": (REQUIRED, nullable(text)),
            "event": (REQUIRED, text),
            "url": (REQUIRED, http_url),
            "body": (REQUIRED, json_text),
            "signing": (REQUIRED, record({"secret": (REQUIRED, string)})),
            "status": (REQUIRED, one_of(*DELIVERY_STATUSES)),
            "attempts": (REQUIRED, list_of(attempt)),
            "created_at": (REQUIRED, unix),
            "updated_at": (REQUIRED, unix),
            "next_attempt_at": (REQUIRED, nullable(unix)),
        },
    }


# Fields every Shoplazza delivery's signing needs on top of the secret.
SHOPLAZZA_SIGNING = ("shop_domain", "version", "dedup_id")


@functools.cache
def specs() -> dict[str, dict[str, tuple[bool, Check]]]:
    """Every known kind and its field spec (built once)."""
    return _kinds()


def known_kinds() -> list[str]:
    """The kinds records may be loaded as."""
    return sorted(specs())


def check_record(kind: str, doc) -> list[str]:
    """What is wrong with one record of `kind` (empty when nothing is)."""
    spec = specs().get(kind)
    if spec is None:
        return [f'unknown kind "{kind}" (known: {", ".join(known_kinds())})']
    problems = problems_of(doc, spec)
    if kind == "webhooks.deliveries" and not problems and doc["api"] == "shoplazza":
        problems = [f"signing.{name}: is required" for name in SHOPLAZZA_SIGNING if not isinstance(doc["signing"].get(name), str)]
    return problems


def index_fields(kind: str) -> tuple[str, ...]:
    """The fields a kind is looked up by: one index per kind, so each value names one record."""
    from .app import KINDS

    for known in KINDS:
        if known.name == kind:
            return known.keys
    return ("id",)


def check_records(records: dict[str, list]) -> list[tuple[str, int | None, str]]:
    """Every problem of a batch ({kind: [records]}): (kind, index or None, "field: what is wrong").

    Besides each record's own problems: two records of one kind may not share an id (or
    another field the kind is looked up by, such as a uniqid or an order number).
    """
    problems: list[tuple[str, int | None, str]] = []
    for kind, docs in records.items():
        if kind not in specs():
            problems.append((kind, None, check_record(kind, {})[0]))
            continue
        # The id, uniqid, number, ... of a kind share one index: a value may name one record only.
        seen: dict[str, int] = {}
        for index, doc in enumerate(docs):
            found = check_record(kind, doc)
            problems.extend((kind, index, problem) for problem in found)
            if found:
                continue
            for name in index_fields(kind):
                value = doc.get(name)
                if not isinstance(value, str) or not value:
                    continue
                if seen.setdefault(value, index) != index:
                    problems.append((kind, index, f'{name}: "{value}" is already used by record {seen[value]} of {kind}'))
    return problems
