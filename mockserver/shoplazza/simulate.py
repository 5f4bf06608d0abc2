"""POST /__admin/shoplazza/orders/{order_id}/simulate: the order transitions only the platform makes, for tests.

Shoplazza registers this route itself, on its own blueprint under the admin path (the admin
package names no API): the admin token, the admin error body and `?namespace=` apply as on
every admin route. The answer shows the order as 2025-06 (the documented version) does.
Each event is a `simulate/<event>` row of the lifecycle table, run through
the backend's one change path, so it fires the same signed webhooks a real change would.
"""

from __future__ import annotations

import dataclasses

from flask import g
from marshmallow import Schema, fields, validate

from ..admin import errors as admin_errors
from ..admin.responses import DOC as ADMIN_DOC
from ..admin.views import namespace_arg
from ..http import json_response
from ..openapi.fields import components, s
from ..operations import operation
from .aftersales import AfterSalesBackend
from .errors import FailedPrecondition, NotFound
from .lifecycle import TRANSITIONS
from .responses import ShoplazzaOrder
from .shapes import V202506, order_in
from .views import backend

PREFIX = "/__admin/shoplazza"
ROW = "simulate/"
# Every event the lifecycle table has a row for, in the table's order.
EVENTS = tuple(name.removeprefix(ROW) for name in TRANSITIONS if name.startswith(ROW))


class SimulateSchema(Schema):
    """`{"event": ..., "namespace"?: ...}`."""

    event = fields.String(required=True, validate=validate.OneOf(EVENTS, error="must be one of: {choices}"))
    namespace = fields.String()


class ShoplazzaSimulated(Schema):
    """The event applied and the order as the API now shows it."""

    event = s(required=True)
    order = fields.Nested(ShoplazzaOrder, required=True)


DOC = dataclasses.replace(
    ADMIN_DOC,
    error_text={**ADMIN_DOC.error_text, 409: "CONFLICT: the event cannot happen to the order in its current statuses"},
    components=components(globals(), __name__),
    extra_components={},
)


@operation(
    "POST",
    "/orders/<order_id>/simulate",
    "Apply a platform-side event to a Shoplazza order (payment, refund outcome, receipt, return)",
    response="ShoplazzaSimulated",
    errors=(400, 401, 404, 409, 413, 422),
    body=SimulateSchema,
    shape="raw",
)
def simulate(order_id: str, body: dict):
    """Run the event's lifecycle row on the order of the ?namespace= token; its webhooks fire."""
    g.namespace = namespace_arg(required=True, body=body.get("namespace"))
    try:
        order = backend(AfterSalesBackend).simulate(order_id, body["event"])
    except NotFound as exc:
        raise admin_errors.AdminError(404, exc.message, [{"field": "order_id", "message": "No such order."}]) from None
    except FailedPrecondition as exc:
        raise admin_errors.AdminError(409, exc.message, [{"field": "event", "message": "Not possible in the order's statuses."}]) from None
    # The admin API has no version: the order is shown as the documented version (2025-06) shows it.
    return json_response({"event": body["event"], "order": order_in(V202506, order)})
