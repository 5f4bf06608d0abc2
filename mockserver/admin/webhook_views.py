"""/__admin/webhooks: every delivery and its attempts, across namespaces, and redelivery."""

from __future__ import annotations

from flask import request

from ..http import json_response
from . import errors
from .views import bp, runtime


@bp.get("/webhooks")
def list_deliveries():
    """Deliveries, oldest first; filters namespace, event, status, api."""
    rt = runtime()
    namespace = request.args.get("namespace")
    filters = {key: request.args.get(key) for key in ("event", "status", "api")}
    namespaces = [namespace] if namespace else rt.store.namespaces()
    return json_response({"deliveries": rt.deliveries.find(namespaces, **filters)})


@bp.post("/webhooks/<delivery_id>/redeliver")
def redeliver(delivery_id: str):
    """Send a delivery again now (it keeps its log, with one more attempt)."""
    rt = runtime()
    for namespace in rt.store.namespaces():
        doc = rt.deliveries.redeliver(namespace, delivery_id)
        if doc is not None:
            return json_response({"id": doc["id"], "namespace": namespace, "status": doc["status"]})
    raise errors.AdminError(404, f"No delivery {delivery_id}.")
