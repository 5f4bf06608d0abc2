"""/__admin/webhooks: every delivery and its attempts, across namespaces, and redelivery."""

from __future__ import annotations

from flask import request

from ..http import json_response
from ..labels import namespace_label
from ..operations import operation
from ..webhooks.delivery import SubscriptionGone
from . import errors
from .namespaces import resolve
from .queries import DeliveryQuery
from .views import AD_NS, runtime


@operation(
    "GET",
    "/webhooks",
    "Webhook deliveries and their attempts, oldest first",
    response="AdminDeliveries",
    errors=AD_NS,
    described_query=DeliveryQuery,
    shape="raw",
)
def list_deliveries():
    """Deliveries, oldest first; filters namespace, event, status, api."""
    rt = runtime()
    namespace = request.args.get("namespace")
    filters = {key: request.args.get(key) for key in ("event", "status", "api")}
    known = rt.store.namespaces()
    # Reading never seeds a namespace: one nobody has used (key or label) is a 404, like every admin call.
    namespaces = [resolve(known, namespace)] if namespace else known
    return json_response({"deliveries": rt.deliveries.find(namespaces, **filters)})


@operation(
    "POST",
    "/webhooks/<delivery_id>/redeliver",
    "Send a delivery again now, to its subscription's current URL",
    response="AdminRedelivered",
    errors=(*AD_NS, 422),
    shape="raw",
)
def redeliver(delivery_id: str):
    """Send a delivery again now, to its subscription's current URL (it keeps its log, with one more attempt).

    A 422 when the subscription was deleted (or a Shoppex one disabled); with sending off
    (--no-webhooks) nothing is sent and the delivery is recorded as `not_sent`.
    """
    rt = runtime()
    for namespace in rt.store.namespaces():
        try:
            doc = rt.deliveries.redeliver(namespace, delivery_id)
        except SubscriptionGone as gone:
            message = f"webhook_id: webhook {gone.delivery['webhook_id']} {gone.reason}; delivery {delivery_id} cannot be sent again."
            raise errors.AdminError(422, message, [{"field": "webhook_id", "message": f"The subscription {gone.reason}."}]) from None
        if doc is not None:
            return json_response({"id": doc["id"], "namespace": namespace_label(namespace), "status": doc["status"]})
    raise errors.AdminError(404, f"No delivery {delivery_id}.")
