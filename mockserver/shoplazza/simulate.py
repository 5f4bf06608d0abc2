"""What only the platform does to a Shoplazza order, played through the admin API's simulate route.

`POST /__admin/shoplazza/orders/{order_id}/simulate?namespace=<token> {"event": ...}`: the core's
generic route hands the call to `simulate`, which Shoplazza registers. Each event is a
`simulate/<event>` row of the lifecycle table, run through the backend's one change path, so it
fires the same signed webhooks a real change would. The answer shows the order as 2025-06 (the
documented version) does; the admin API has no version.
"""

from __future__ import annotations

from ..admin.errors import AdminError
from .aftersales import AfterSalesBackend
from .errors import FailedPrecondition, NotFound
from .lifecycle import TRANSITIONS
from .shapes import V202506, order_in
from .views import backend_for

ROW = "simulate/"
# Every event the lifecycle table has a row for, in the table's order.
EVENTS = tuple(name.removeprefix(ROW) for name in TRANSITIONS if name.startswith(ROW))


def simulate(runtime, namespace: str, order_id: str, body: dict) -> dict:
    """Run the event's lifecycle row on the order; its webhooks fire. Refusals in the admin error body."""
    event = body["event"]
    if event not in EVENTS:
        raise AdminError(422, f"Unknown event {event!r}.", [{"field": "event", "message": f"must be one of: {', '.join(EVENTS)}"}])
    try:
        order = backend_for(runtime, namespace, AfterSalesBackend).simulate(order_id, event)
    except NotFound as exc:
        raise AdminError(404, exc.message, [{"field": "order_id", "message": "No such order."}]) from None
    except FailedPrecondition as exc:
        raise AdminError(409, exc.message, [{"field": "event", "message": "Not possible in the order's statuses."}]) from None
    return order_in(V202506, order)
