"""Marshmallow schemas of the query strings the views parse by hand (Shoplazza filters.py and webhooks.py, admin)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..shoplazza.queries import OrderQuerySchema as ShoplazzaOrderQuery
from ..shoplazza.queries import WebhookQuerySchema as ShoplazzaWebhookQuery
from .responses import DELIVERY_STATUSES

__all__ = ["ShoplazzaOrderQuery", "ShoplazzaWebhookQuery"]


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


class AdminDeliveryQuery(Schema):
    """GET /__admin/webhooks: equality filters, each optional."""

    namespace = fields.String(metadata={"description": "One namespace (an API key or access-token); absent means all."})
    event = fields.String(metadata={"example": "order:paid"})
    status = fields.String(metadata={"description": f"One of {', '.join(DELIVERY_STATUSES)} (another value selects nothing)."})
    api = fields.String(metadata={"description": "shoppex or shoplazza (another value selects nothing)."})
