"""Marshmallow schemas of the query strings the views parse by hand (Shoplazza filters.py and webhooks.py, admin)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..shoplazza.filters import FINANCIAL_STATUSES, FULFILLMENT_STATUSES, PAGE_SIZE_MAX, SORT_FIELDS, STATUSES
from ..shoplazza.webhooks import PAGE_SIZE_MAX as WEBHOOK_PAGE_SIZE_MAX
from ..shoplazza.webhooks import TOPICS as WEBHOOK_TOPICS
from .responses import DELIVERY_STATUSES

AMOUNT = r"^\d+(\.\d+)?$"


def _time(name: str) -> fields.String:
    return fields.String(metadata={"format": "date-time", "description": f"Inclusive bound on {name} (ISO 8601)."})


class ShoplazzaOrderQuery(Schema):
    """GET orders and orders/count; array filters repeat the key (`?status=opened&status=placed`)."""

    cursor = fields.String(metadata={"description": "Opaque; from the previous page's data.cursor."})
    page_size = fields.Integer(validate=validate.Range(min=1, max=PAGE_SIZE_MAX), metadata={"default": 10})
    ids = fields.List(fields.String())
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)))
    financial_status = fields.List(fields.String(validate=validate.OneOf(FINANCIAL_STATUSES)))
    fulfillment_status = fields.List(fields.String(validate=validate.OneOf(FULFILLMENT_STATUSES)))
    customer_id = fields.String()
    keyword = fields.String()
    total_min = fields.String(validate=validate.Regexp(AMOUNT))
    total_max = fields.String(validate=validate.Regexp(AMOUNT))
    sort_by = fields.String(validate=validate.OneOf(SORT_FIELDS), metadata={"default": "created_at"})
    sort_direction = fields.String(validate=validate.OneOf(("asc", "desc")), metadata={"default": "desc"})
    created_at_min = _time("created_at")
    created_at_max = _time("created_at")
    updated_at_min = _time("updated_at")
    updated_at_max = _time("updated_at")
    placed_at_min = _time("placed_at")
    placed_at_max = _time("placed_at")


class ShoplazzaTransactionQuery(Schema):
    """GET orders/{order_id}/transactions."""

    status = fields.String()
    payment_channel = fields.String()


class NamespaceQuery(Schema):
    """?namespace=TOKEN: one namespace (an API key or access-token); absent means all."""

    namespace = fields.String()


class RequiredNamespaceQuery(Schema):
    """?namespace=TOKEN, required."""

    namespace = fields.String(required=True, validate=validate.Length(min=1))


class ShoplazzaWebhookQuery(Schema):
    """GET webhooks and webhooks/count (parsed by hand in shoplazza/webhooks.py)."""

    address = fields.String(metadata={"description": "Only subscriptions to exactly this address."})
    topic = fields.String(
        metadata={"description": f"One topic or a comma-separated list of: {', '.join(WEBHOOK_TOPICS)}.", "example": "orders/create"}
    )
    created_at_min = _time("created_at")
    created_at_max = _time("created_at")
    updated_at_min = _time("updated_at")
    updated_at_max = _time("updated_at")
    page_size = fields.Integer(validate=validate.Range(min=1, max=WEBHOOK_PAGE_SIZE_MAX), metadata={"default": 10})
    cursor = fields.String(metadata={"description": "Opaque; from the previous page's data.cursor."})


class AdminDeliveryQuery(Schema):
    """GET /__admin/webhooks: equality filters, each optional."""

    namespace = fields.String(metadata={"description": "One namespace (an API key or access-token); absent means all."})
    event = fields.String(metadata={"example": "order:paid"})
    status = fields.String(metadata={"description": f"One of {', '.join(DELIVERY_STATUSES)} (another value selects nothing)."})
    api = fields.String(metadata={"description": "shoppex or shoplazza (another value selects nothing)."})
