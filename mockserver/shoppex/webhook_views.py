"""Shoppex webhooks API routes under /dev/v1/webhooks."""

from __future__ import annotations

from flask import current_app, g, request

from ..http import json_response, load
from .schemas import CreateWebhookSchema, LogsQuerySchema, UpdateWebhookSchema
from .views import body, bp, data, list_query, page
from .webhooks import EVENTS, ShoppexWebhooks


def webhooks() -> ShoppexWebhooks:
    """The webhook subscriptions of the caller's namespace."""
    runtime = current_app.extensions["mockserver"]
    return ShoppexWebhooks(runtime.store, runtime.clock, runtime.deliveries, g.namespace)


def webhook_view(doc: dict) -> dict:
    """A subscription as GET shows it (the secret included: receivers need it)."""
    return dict(doc)


@bp.get("/webhooks")
def list_webhooks():
    """List webhook subscriptions."""
    q = list_query()
    return page(webhooks().list(q["limit"], q["cursor"]), webhook_view)


@bp.post("/webhooks")
def create_webhook():
    """Subscribe a URL to 1-12 events; answers the new id."""
    spec = body(CreateWebhookSchema())
    return data({"id": webhooks().create(spec["url"], spec["events"], spec["type"])["id"]}, 201)


@bp.get("/webhooks/events")
def list_webhook_events():
    """The events a webhook can subscribe to."""
    return data(list(EVENTS))


@bp.get("/webhooks/logs")
def list_webhook_logs():
    """Every delivery attempt log, page-paginated."""
    q = load(LogsQuerySchema(), request.args.to_dict())
    return json_response(webhooks().logs(q["page"], q["limit"]))


@bp.post("/webhooks/logs/<log_id>/retry")
def retry_webhook_log(log_id: str):
    """Send a logged delivery again."""
    doc = webhooks().retry_log(log_id)
    return data({"id": doc["id"], "message": "Webhook retry queued."})


@bp.get("/webhooks/<webhook_id>")
def get_webhook(webhook_id: str):
    """Retrieve a subscription."""
    return data(webhook_view(webhooks().get(webhook_id)))


@bp.patch("/webhooks/<webhook_id>")
def update_webhook(webhook_id: str):
    """Change url, events, type or enabled."""
    return data(webhook_view(webhooks().update(webhook_id, body(UpdateWebhookSchema()))))


@bp.delete("/webhooks/<webhook_id>")
def delete_webhook(webhook_id: str):
    """Unsubscribe (204)."""
    webhooks().delete(webhook_id)
    return "", 204


@bp.post("/webhooks/<webhook_id>/test")
def test_webhook(webhook_id: str):
    """Send one test delivery now."""
    doc = webhooks().send_test(webhook_id)
    return data({"id": doc["id"], "message": "Test webhook queued."})


@bp.post("/webhooks/<webhook_id>/rotate-secret")
def rotate_webhook_secret(webhook_id: str):
    """Replace the signing secret."""
    doc = webhooks().rotate_secret(webhook_id)
    return data({"id": doc["id"], "secret": doc["secret"]})
