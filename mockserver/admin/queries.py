"""The query strings of the admin API, for the document: admin/namespaces.py and the views read them (a namespace by key or label)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from .responses import DELIVERY_STATUSES


class NamespaceQuery(Schema):
    """?namespace=TOKEN: one namespace (an API key or access-token); absent means all."""

    namespace = fields.String()


class RequiredNamespaceQuery(Schema):
    """?namespace=TOKEN, required."""

    namespace = fields.String(required=True, validate=validate.Length(min=1))


class DeliveryQuery(Schema):
    """GET /__admin/webhooks: equality filters, each optional."""

    namespace = fields.String(metadata={"description": "One namespace (an API key or access-token); absent means all."})
    event = fields.String(metadata={"example": "order:paid"})
    status = fields.String(metadata={"description": f"One of {', '.join(DELIVERY_STATUSES)} (another value selects nothing)."})
    api = fields.String(metadata={"description": "shoppex or shoplazza (another value selects nothing)."})
