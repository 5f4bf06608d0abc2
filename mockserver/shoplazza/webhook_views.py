"""Shoplazza webhooks API routes under /openapi/{version}/webhooks, on the Shoplazza blueprint.

Scopes follow the blueprint's rule: reads need read_order, writes write_order.
"""

from __future__ import annotations

from flask import g

from ..operations import operation
from .queries import WebhookQuerySchema
from .schemas import CreateWebhookSchema, UpdateWebhookSchema
from .views import QUERY, READ, WRITE, cursor_page, success, webhooks
from .webhooks import webhook_view


@operation(
    "GET",
    "/<version>/webhooks",
    "List webhook subscriptions, oldest first (filters, cursor)",
    response="ShoplazzaWebhookList",
    errors=QUERY,
    query=WebhookQuerySchema,
    shape="raw",
)
def list_webhooks(query: dict):
    """List subscriptions, oldest first: filters address, topic, created/updated_at min/max; cursor paging."""
    return cursor_page("webhooks", webhooks().list(query), webhook_view)


@operation(
    "GET",
    "/<version>/webhooks/count",
    "Count webhook subscriptions",
    response="ShoplazzaCount",
    errors=QUERY,
    query=WebhookQuerySchema,
    shape="raw",
)
def count_webhooks(query: dict):
    """Count the subscriptions the same filters select."""
    return success({"count": webhooks().count(query)})


@operation(
    "POST",
    "/<version>/webhooks",
    "Subscribe an address to a topic (deliveries carry this version)",
    response="ShoplazzaWebhookEnvelope",
    errors=WRITE,
    body=CreateWebhookSchema,
    shape="raw",
)
def create_webhook(body: dict):
    """Subscribe an address to a topic; deliveries carry this call's API version."""
    spec = body["webhook"]
    return success({"webhook": webhook_view(webhooks().create(spec["address"], spec["topic"], g.shoplazza_version))})


@operation(
    "GET",
    "/<version>/webhooks/<webhook_id>",
    "Get a webhook subscription",
    response="ShoplazzaWebhookEnvelope",
    errors=READ,
    shape="raw",
)
def get_webhook(webhook_id: str):
    """One subscription."""
    return success({"webhook": webhook_view(webhooks().get(webhook_id))})


@operation(
    "PUT",
    "/<version>/webhooks/<webhook_id>",
    "Change a subscription's address and/or topic",
    response="ShoplazzaWebhookEnvelope",
    errors=WRITE,
    body=UpdateWebhookSchema,
    shape="raw",
)
def update_webhook(webhook_id: str, body: dict):
    """Change a subscription's address and/or topic."""
    return success({"webhook": webhook_view(webhooks().update(webhook_id, body["webhook"]))})


@operation("DELETE", "/<version>/webhooks/<webhook_id>", "Unsubscribe", response="ShoplazzaEmpty", errors=READ, shape="raw")
def delete_webhook(webhook_id: str):
    """Unsubscribe."""
    webhooks().delete(webhook_id)
    return success({})
