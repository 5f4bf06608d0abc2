"""Shoppex webhooks API routes under /dev/v1/webhooks."""

from __future__ import annotations

from flask import current_app, g

from ..http import json_response
from ..operations import operation
from .schemas import CreateWebhookSchema, ListQuerySchema, LogsQuerySchema, TestWebhookSchema, UpdateWebhookSchema
from .views import ACTION, CREATE, LIST, ONE, WRITE, data, page
from .webhooks import EVENTS, ShoppexWebhooks


def webhooks() -> ShoppexWebhooks:
    """The webhook subscriptions of the caller's namespace."""
    runtime = current_app.extensions["mockserver"]
    return ShoppexWebhooks(runtime.store, runtime.clock, runtime.deliveries, g.namespace)


def webhook_view(doc: dict) -> dict:
    """A subscription as GET shows it (the secret included: receivers need it)."""
    return dict(doc)


@operation(
    "GET",
    "/webhooks",
    "List webhook subscriptions, newest first",
    response="ShoppexWebhook",
    errors=LIST,
    query=ListQuerySchema,
    shape="page",
)
def list_webhooks(query: dict):
    """List webhook subscriptions."""
    return page(webhooks().list(query["limit"], query["cursor"]), webhook_view)


@operation(
    "POST",
    "/webhooks",
    "Subscribe a URL to 1-12 events; answers the new id",
    response="ShoppexWebhookId",
    errors=CREATE,
    body=CreateWebhookSchema,
    status=201,
)
def create_webhook(body: dict):
    """Subscribe a URL to 1-12 events; answers the new id."""
    return data({"id": webhooks().create(body["url"], body["events"], body["type"])["id"]}, 201)


@operation("GET", "/webhooks/events", "The events a webhook can subscribe to", response="ShoppexWebhookEvents", errors=(401,))
def list_webhook_events():
    """The events a webhook can subscribe to."""
    return data(list(EVENTS))


@operation(
    "GET",
    "/webhooks/logs",
    "Delivery logs, newest first, page-paginated",
    response="ShoppexWebhookLogs",
    errors=LIST,
    query=LogsQuerySchema,
    shape="raw",
)
def list_webhook_logs(query: dict):
    """Every delivery attempt log, page-paginated."""
    return json_response(webhooks().logs(query))


@operation("POST", "/webhooks/logs/<log_id>/retry", "Send a logged delivery again", response="ShoppexWebhookQueued", errors=ACTION)
def retry_webhook_log(log_id: str):
    """Send a logged delivery again."""
    doc = webhooks().retry_log(log_id)
    return data({"id": doc["id"], "message": "Webhook retry queued."})


@operation("GET", "/webhooks/<webhook_id>", "Retrieve a webhook subscription", response="ShoppexWebhook", errors=ONE)
def get_webhook(webhook_id: str):
    """Retrieve a subscription."""
    return data(webhook_view(webhooks().get(webhook_id)))


@operation(
    "PATCH",
    "/webhooks/<webhook_id>",
    "Change url, events, type or enabled",
    response="ShoppexWebhook",
    errors=WRITE,
    body=UpdateWebhookSchema,
)
def update_webhook(webhook_id: str, body: dict):
    """Change url, events, type or enabled."""
    return data(webhook_view(webhooks().update(webhook_id, body)))


@operation("DELETE", "/webhooks/<webhook_id>", "Unsubscribe", errors=ONE, status=204, shape="empty")
def delete_webhook(webhook_id: str):
    """Unsubscribe (204)."""
    webhooks().delete(webhook_id)
    return "", 204


@operation(
    "POST",
    "/webhooks/<webhook_id>/test",
    "Send one test delivery of `event` (default: the webhook's first)",
    response="ShoppexWebhookQueued",
    errors=(*ACTION, 400, 413),
    body=TestWebhookSchema,
)
def test_webhook(webhook_id: str, body: dict):
    """Send one test delivery now."""
    doc = webhooks().send_test(webhook_id, body.get("event"))
    return data({"id": doc["id"], "message": "Test webhook queued."})


@operation("POST", "/webhooks/<webhook_id>/rotate-secret", "Replace the signing secret", response="ShoppexWebhookSecret", errors=ACTION)
def rotate_webhook_secret(webhook_id: str):
    """Replace the signing secret."""
    doc = webhooks().rotate_secret(webhook_id)
    return data({"id": doc["id"], "secret": doc["secret"]})
