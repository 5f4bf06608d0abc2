"""Shoplazza webhooks API routes under /openapi/{version}/webhooks, on the Shoplazza blueprint.

Scopes follow the blueprint's rule: reads need read_order, writes write_order.
"""

from __future__ import annotations

from flask import g, request

from ..http import json_body, load
from .schemas import CreateWebhookSchema, UpdateWebhookSchema
from .views import bp, success, webhooks
from .webhooks import parse_webhook_query, webhook_view


@bp.get("/<version>/webhooks")
def list_webhooks():
    """List subscriptions, oldest first: filters address, topic, created/updated_at min/max; cursor paging."""
    found, cursor, has_more = webhooks().list(parse_webhook_query(request.args))
    return success({"webhooks": [webhook_view(doc) for doc in found], "cursor": cursor, "has_more": has_more})


@bp.get("/<version>/webhooks/count")
def count_webhooks():
    """Count the subscriptions the same filters select."""
    return success({"count": webhooks().count(parse_webhook_query(request.args))})


@bp.post("/<version>/webhooks")
def create_webhook():
    """Subscribe an address to a topic; deliveries carry this call's API version."""
    body = load(CreateWebhookSchema(), json_body())["webhook"]
    return success({"webhook": webhook_view(webhooks().create(body["address"], body["topic"], g.shoplazza_version))})


@bp.get("/<version>/webhooks/<webhook_id>")
def get_webhook(webhook_id: str):
    """One subscription."""
    return success({"webhook": webhook_view(webhooks().get(webhook_id))})


@bp.put("/<version>/webhooks/<webhook_id>")
def update_webhook(webhook_id: str):
    """Change a subscription's address and/or topic."""
    changes = load(UpdateWebhookSchema(), json_body())["webhook"]
    return success({"webhook": webhook_view(webhooks().update(webhook_id, changes))})


@bp.delete("/<version>/webhooks/<webhook_id>")
def delete_webhook(webhook_id: str):
    """Unsubscribe."""
    webhooks().delete(webhook_id)
    return success({})
