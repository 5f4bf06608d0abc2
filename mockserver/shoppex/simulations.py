"""What only the platform or a payment processor does to a Shoppex order, played through the admin API.

`POST /__admin/shoppex/orders/{id}/simulate {"event": ...}`: each event is a row of the
lifecycle table (through the backend's one change path, firing the row's webhook event).
"""

from __future__ import annotations

from .errors import field_error
from .records import order_view
from .views import backend_for

# event -> (lifecycle row, status_details of the move)
SIMULATIONS = {
    "manual_payment_pending": ("await manual payment", "Awaiting manual payment review"),
    "waiting_for_confirmations": ("await confirmations", "Waiting for confirmations"),
    "partial_payment": ("pay part", "Partially paid"),
    "payment_confirmed": ("confirm payment", "Completed"),
    "dispute_opened": ("open dispute", "Dispute opened"),
    "dispute_won": ("win dispute", "Dispute won"),
    "dispute_lost": ("lose dispute", "Dispute lost"),
    "reversed": ("reverse", "Payment reversed"),
}


def simulate(runtime, namespace: str, order_id: str, body: dict) -> dict:
    """Play `body["event"]` on the order (by id or uniqid); the order as GET /orders/{id} then shows it."""
    event = body["event"]
    if event not in SIMULATIONS:
        raise field_error("event", f"Unknown simulated event {event!r}; one of {', '.join(SIMULATIONS)}.")
    row, details = SIMULATIONS[event]
    return order_view(backend_for(runtime, namespace).simulate(order_id, row, details))
