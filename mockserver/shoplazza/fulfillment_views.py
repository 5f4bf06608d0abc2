"""Shoplazza fulfillment routes under /openapi/{version}/orders/{order_id}/fulfillments, on the Shoplazza blueprint.

Scopes follow the blueprint's rule: reads need read_order, writes write_order. Each answer is in
the shape of the calling version (fulfillments.view).
"""

from __future__ import annotations

from flask import g

from ..operations import operation
from . import fulfillments
from .fulfillment_models import FulfillmentBackend
from .fulfillment_schemas import CreateFulfillmentSchema, FulfillmentCountQuerySchema, FulfillmentQuerySchema, UpdateFulfillmentSchema
from .views import QUERY, READ, RULE, backend, cursor_page, success

BASE = "/<version>/orders/<order_id>/fulfillments"


def fulfillment_backend() -> FulfillmentBackend:
    """The backend with the fulfillment operations, for the calling token's namespace."""
    return backend(FulfillmentBackend)


def shown(doc: dict, detail: bool = False):
    """One fulfillment in the success envelope, in the calling version's shape."""
    return success({"fulfillment": fulfillments.view(doc, g.shoplazza_version, detail)})


@operation(
    "GET",
    BASE,
    "List an order's fulfillments, oldest first (time filters, cursor)",
    response="ShoplazzaFulfillmentList",
    errors=QUERY,
    query=FulfillmentQuerySchema,
    shape="raw",
)
def list_order_fulfillments(order_id: str, query: dict):
    """List an order's fulfillments, oldest first."""
    page = fulfillment_backend().list_fulfillments(order_id, query)
    return cursor_page("fulfillments", page, lambda doc: fulfillments.view(doc, g.shoplazza_version))


@operation(
    "GET",
    f"{BASE}/count",
    "Count an order's fulfillments",
    response="ShoplazzaCount",
    errors=QUERY,
    query=FulfillmentCountQuerySchema,
    shape="raw",
)
def count_order_fulfillments(order_id: str, query: dict):
    """Count the fulfillments the same time filters select."""
    return success({"count": fulfillment_backend().count_fulfillments(order_id, query)})


@operation(
    "POST",
    BASE,
    "Fulfil line items of a paid order",
    response="ShoplazzaFulfillmentEnvelope",
    errors=RULE,
    body=CreateFulfillmentSchema,
    shape="raw",
)
def create_fulfillment(order_id: str, body: dict):
    """Ship the requested quantities (ship_quantity 0 or absent: all that remains)."""
    return shown(fulfillment_backend().create_fulfillment(order_id, body["fulfillment"]))


@operation(
    "GET",
    f"{BASE}/<fulfillment_id>",
    "Get a fulfillment (2026-01 adds tracking_items)",
    response="ShoplazzaFulfillmentEnvelope",
    errors=READ,
    shape="raw",
)
def get_fulfillment(order_id: str, fulfillment_id: str):
    """One fulfillment of the order."""
    return shown(fulfillment_backend().get_fulfillment(order_id, fulfillment_id), detail=True)


@operation(
    "PUT",
    f"{BASE}/<fulfillment_id>",
    "Update a fulfillment's tracking details",
    response="ShoplazzaFulfillmentEnvelope",
    errors=RULE,
    body=UpdateFulfillmentSchema,
    shape="raw",
)
def update_fulfillment(order_id: str, fulfillment_id: str, body: dict):
    """Change tracking number, company, code, URL or phone number."""
    return shown(fulfillment_backend().update_fulfillment(order_id, fulfillment_id, body["fulfillment"]))


@operation(
    "POST",
    f"{BASE}/<fulfillment_id>/complete",
    "Complete a fulfillment",
    response="ShoplazzaFulfillmentEnvelope",
    errors=RULE,
    shape="raw",
)
def complete_fulfillment(order_id: str, fulfillment_id: str):
    """Mark a fulfillment finished (a finished one is answered as it is)."""
    return shown(fulfillment_backend().complete_fulfillment(order_id, fulfillment_id))


@operation(
    "POST",
    f"{BASE}/<fulfillment_id>/cancel",
    "Cancel a fulfillment",
    response="ShoplazzaFulfillmentEnvelope",
    errors=RULE,
    shape="raw",
)
def cancel_fulfillment(order_id: str, fulfillment_id: str):
    """Cancel a shipped fulfillment; its quantities are unfulfilled again."""
    return shown(fulfillment_backend().cancel_fulfillment(order_id, fulfillment_id))
