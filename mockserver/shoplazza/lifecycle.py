"""The Shoplazza order state machine: which operation each status allows, and the statuses it leads to.

An order carries three statuses (the registry's value sets below). Each operation, named after
the registry command it emulates, is one row: its refusals, checked in order (the first that
applies is the FailedPrecondition the API answers), the moves of each status, and the webhook
topics it fires. Adding an operation (fulfillments, refunds, simulated platform events) is adding
a row; the backend's one change path runs every row the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from .errors import FailedPrecondition

# The registry's value sets (v202506.Order).
STATUSES = ("opened", "placed", "finished", "cancelled")
FINANCIAL_STATUSES = (
    "waiting", "paying", "authorized", "partially_paid", "paid", "cancelled", "failed",
    "refunding", "refund_failed", "refunded", "partially_refunded",
)  # fmt: skip
FULFILLMENT_STATUSES = (
    "initialled", "waiting", "partially_shipped", "shipped", "partially_finished", "finished",
    "cancelled", "returning", "partially_returned", "returned",
)  # fmt: skip

# Not (fully) paid yet: what payment can still complete, and whose price can still change.
UNPAID = frozenset({"waiting", "paying", "authorized", "partially_paid", "failed"})
# Not shipped yet: what cancelling an order cancels.
UNSHIPPED = frozenset({"initialled", "waiting"})
NOT_CANCELLED = frozenset(STATUSES) - {"cancelled"}
# Paid (and not wholly refunded): what can be fulfilled.
FULFILLABLE = frozenset({"paid", "partially_refunded"})
# What a change to an existing fulfillment fires: the fulfillment, then its order.
FULFILLMENT_CHANGED = ("fulfillments/update", "orders/update")
# Paid, and not all of it refunded or being refunded: what a refund may start from.
REFUNDABLE = frozenset({"paid", "partially_refunded", "refund_failed"})
# Shipped (some or all): what a buyer can receive or send back.
SHIPPED = frozenset({"partially_shipped", "shipped", "partially_finished", "finished"})
# No goods with the buyer (none shipped, or all sent back): what an order can be cancelled from.
CANCELLABLE_GOODS = UNSHIPPED | {"returned"}
# A move from any current value.
ANY = "*"


class Refusal(NamedTuple):
    """The operation is refused unless the order's `field` is one of `allowed`; `message` takes the order's fields."""

    field: str
    allowed: frozenset[str]
    message: str


class Transition(NamedTuple):
    """One operation: its refusals (in order), each status's moves {current value or ANY: new value}, its topics."""

    refusals: tuple[Refusal, ...] = ()
    moves: Mapping[str, Mapping[str, str]] = {}
    topics: tuple[str, ...] = ()


def _all(values, to: str) -> dict[str, str]:
    # The same move from each of `values`.
    return dict.fromkeys(values, to)


def _unpaid_refusal(event: str, allowed: frozenset[str]) -> Refusal:
    # A payment event happens only to an order that is not (fully) paid yet, from the given financial statuses.
    return Refusal("financial_status", allowed, f"financial_status: order {{id}} is {{financial_status}}; {event} cannot happen to it")


def _refunding_refusal(event: str) -> Refusal:
    # A refund's outcome needs a refund in progress.
    return Refusal(
        "financial_status",
        frozenset({"refunding"}),
        f"financial_status: order {{id}} is {{financial_status}}, not refunding; {event} cannot happen to it",
    )


def _shipped_refusal(event: str, allowed: frozenset[str]) -> Refusal:
    # Receipt and returns follow shipping.
    return Refusal(
        "fulfillment_status", allowed, f"fulfillment_status: order {{id}} is {{fulfillment_status}}; {event} cannot happen to it"
    )


TRANSITIONS = {
    "order-create": Transition(
        moves={"status": {ANY: "opened"}, "financial_status": {ANY: "waiting"}, "fulfillment_status": {ANY: "initialled"}},
        topics=("orders/create",),
    ),
    # Note, tags, marketing consent, addresses: any live order.
    "order-update": Transition(topics=("orders/update",)),
    # An update that re-prices the order (shipping_line, additional_prices): only while unpaid and not cancelled.
    "order-update-price": Transition(
        refusals=(
            Refusal(
                "financial_status",
                UNPAID,
                "shipping_line: the price of order {id} can no longer change (it is {financial_status})",
            ),
            Refusal("status", NOT_CANCELLED, "status: order {id} is cancelled"),
        ),
        topics=("orders/update",),
    ),
    "order-cancel": Transition(
        refusals=(
            Refusal("status", frozenset({"opened", "placed"}), "status: order {id} is {status} and cannot be cancelled"),
            Refusal(
                "fulfillment_status",
                CANCELLABLE_GOODS,
                "fulfillment_status: order {id} is {fulfillment_status} and cannot be cancelled (cancel its fulfillments first)",
            ),
        ),
        # A paid order stays paid (a refund is its own operation).
        moves={
            "status": {ANY: "cancelled"},
            "financial_status": _all(UNPAID, "cancelled"),
            "fulfillment_status": _all(UNSHIPPED, "cancelled"),
        },
        topics=("orders/cancelled", "orders/update"),
    ),
    "order-pay-success": Transition(
        refusals=(
            Refusal("status", NOT_CANCELLED, "status: order {id} is cancelled and cannot be paid"),
            Refusal("financial_status", UNPAID, "financial_status: order {id} is already {financial_status} and cannot be paid again"),
            Refusal("status", frozenset({"opened"}), "status: order {id} is {status} and cannot be paid"),
        ),
        moves={"status": {"opened": "placed"}, "financial_status": _all(UNPAID, "paid"), "fulfillment_status": {"initialled": "waiting"}},
        # No paid topic is documented: a payment is an order update.
        topics=("orders/update",),
    ),
    # Any live order; it keeps its statuses and disappears from every read.
    "order-delete": Transition(topics=("orders/delete",)),
    # Fulfillments: a placed, paid order ships some of its items (partially_shipped) or the last of them (shipped).
    "fulfillment-create": Transition(
        refusals=(
            Refusal("status", NOT_CANCELLED, "status: order {id} is cancelled and cannot be fulfilled"),
            Refusal("financial_status", FULFILLABLE, "financial_status: order {id} is {financial_status} and cannot be fulfilled"),
            Refusal("status", frozenset({"placed"}), "status: order {id} is {status} and cannot be fulfilled"),
        ),
        moves={"fulfillment_status": {ANY: "partially_shipped"}},
        topics=("fulfillments/create", "orders/partially_fulfilled", "orders/update"),
    ),
    "fulfillment-create-all": Transition(
        moves={"fulfillment_status": {ANY: "shipped"}}, topics=("fulfillments/create", "orders/fulfilled", "orders/update")
    ),
    # Tracking details: the statuses stay.
    "fulfillment-update": Transition(topics=FULFILLMENT_CHANGED),
    # Completing a fulfillment: some items finished, or every item shipped and finished (the order is finished).
    "fulfillment-complete": Transition(moves={"fulfillment_status": {ANY: "partially_finished"}}, topics=FULFILLMENT_CHANGED),
    "fulfillment-complete-all": Transition(
        moves={"fulfillment_status": {ANY: "finished"}, "status": {"placed": "finished"}}, topics=FULFILLMENT_CHANGED
    ),
    # Cancelling a fulfillment gives its items back: some still shipped, or none (waiting again).
    "fulfillment-cancel": Transition(moves={"fulfillment_status": {ANY: "partially_shipped"}}, topics=FULFILLMENT_CHANGED),
    "fulfillment-cancel-all": Transition(moves={"fulfillment_status": {ANY: "waiting"}}, topics=FULFILLMENT_CHANGED),
    # While another fulfillment is finished, a create or cancel (not finishing everything) leaves it partially_finished.
    "fulfillment-create-partly-finished": Transition(
        moves={"fulfillment_status": {ANY: "partially_finished"}},
        topics=("fulfillments/create", "orders/partially_fulfilled", "orders/update"),
    ),
    "fulfillment-create-all-partly-finished": Transition(
        moves={"fulfillment_status": {ANY: "partially_finished"}}, topics=("fulfillments/create", "orders/fulfilled", "orders/update")
    ),
    "fulfillment-cancel-partly-finished": Transition(moves={"fulfillment_status": {ANY: "partially_finished"}}, topics=FULFILLMENT_CHANGED),
    # A refund through the API: from a paid order, never while another refund is pending. The refund
    # names the row its order moves by: refund-pending, refund-partial or refund-full.
    "order-refund-record-create": Transition(
        refusals=(
            Refusal(
                "financial_status",
                REFUNDABLE,
                "financial_status: order {id} is {financial_status}; only a paid order can be refunded (and one refund at a time)",
            ),
        ),
    ),
    "refund-pending": Transition(moves={"financial_status": _all(REFUNDABLE, "refunding")}, topics=("orders/update",)),
    "refund-partial": Transition(moves={"financial_status": {ANY: "partially_refunded"}}, topics=("orders/update",)),
    "refund-full": Transition(moves={"financial_status": {ANY: "refunded"}}, topics=("orders/update",)),
    # What only the platform does (POST /__admin/shoplazza/orders/{id}/simulate {"event"}), one row per event.
    "simulate/paying": Transition(
        refusals=(_unpaid_refusal("paying", frozenset({"waiting", "failed"})),),
        moves={"financial_status": _all(("waiting", "failed"), "paying")},
        topics=("orders/update",),
    ),
    "simulate/authorized": Transition(
        refusals=(_unpaid_refusal("authorized", frozenset({"waiting", "paying", "failed"})),),
        moves={"financial_status": _all(("waiting", "paying", "failed"), "authorized")},
        topics=("orders/update",),
    ),
    "simulate/partially_paid": Transition(
        refusals=(_unpaid_refusal("partially_paid", frozenset({"waiting", "paying", "authorized", "failed"})),),
        moves={"financial_status": _all(("waiting", "paying", "authorized", "failed"), "partially_paid")},
        topics=("orders/update",),
    ),
    "simulate/payment_failed": Transition(
        refusals=(_unpaid_refusal("payment_failed", frozenset({"waiting", "paying", "authorized", "partially_paid"})),),
        moves={"financial_status": _all(("waiting", "paying", "authorized", "partially_paid"), "failed")},
        topics=("orders/update",),
    ),
    # A pending refund succeeds: its refund names refund-partial or refund-full.
    "simulate/refund_succeeded": Transition(refusals=(_refunding_refusal("refund_succeeded"),)),
    "simulate/refund_failed": Transition(
        refusals=(_refunding_refusal("refund_failed"),),
        moves={"financial_status": {"refunding": "refund_failed"}},
        topics=("orders/update",),
    ),
    "simulate/buyer_received": Transition(
        refusals=(_shipped_refusal("buyer_received", frozenset({"partially_shipped", "shipped", "partially_finished"})),),
        moves={"fulfillment_status": {"partially_shipped": "partially_finished", "shipped": "finished"}},
        topics=("orders/update",),
    ),
    "simulate/return_requested": Transition(
        refusals=(_shipped_refusal("return_requested", SHIPPED),),
        moves={"fulfillment_status": _all(SHIPPED, "returning")},
        topics=("orders/update",),
    ),
    "simulate/partially_returned": Transition(
        refusals=(_shipped_refusal("partially_returned", frozenset({"returning"})),),
        moves={"fulfillment_status": {"returning": "partially_returned"}},
        topics=("orders/update",),
    ),
    "simulate/returned": Transition(
        refusals=(_shipped_refusal("returned", frozenset({"returning", "partially_returned"})),),
        moves={"fulfillment_status": _all(("returning", "partially_returned"), "returned")},
        topics=("orders/update",),
    ),
    # The buyer received everything shipped, all of it: the order is finished, as when its last fulfillment completes.
    "buyer-received-all": Transition(
        moves={"fulfillment_status": {ANY: "finished"}, "status": {"placed": "finished"}}, topics=("orders/update",)
    ),
}


def check(operation: str, order: dict) -> None:
    """Raise the FailedPrecondition of the first of `operation`'s refusals that `order` meets."""
    for refusal in TRANSITIONS[operation].refusals:
        if order.get(refusal.field) not in refusal.allowed:
            raise FailedPrecondition(refusal.message.format(**order))


def apply(operation: str, order: dict) -> dict:
    """Move `order`'s statuses as `operation`'s row says (it was checked); other fields are the operation's own."""
    for field, moves in TRANSITIONS[operation].moves.items():
        current = order.get(field)
        order[field] = moves.get(current, moves.get(ANY, current))
    return order


def topics(operation: str) -> tuple[str, ...]:
    """The webhook topics `operation` fires, in order, once its change is stored."""
    return TRANSITIONS[operation].topics
