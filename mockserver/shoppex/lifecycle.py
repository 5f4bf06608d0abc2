"""The Shoppex order/invoice state machine: which operation each status allows, and what it leads to.

No formal state machine is published; this follows the documented value sets and guides:
complete only from PENDING or PENDING_PAYMENT, void only when not completed, refund only
what was paid, and unpaid invoices expire (VOIDED) after a time to live.
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import BadRequest, ValidationError

STATUSES = (
    "PENDING",
    "PENDING_PAYMENT",
    "WAITING_FOR_CONFIRMATIONS",
    "PARTIAL",
    "COMPLETED",
    "VOIDED",
    "CUSTOMER_DISPUTE_ONGOING",
    "REVERSED",
    "REFUNDED",
)
UNPAID = frozenset({"PENDING", "PENDING_PAYMENT"})
OPEN = UNPAID | {"WAITING_FOR_CONFIRMATIONS", "PARTIAL"}
PAID = frozenset({"COMPLETED"})


class Transition(NamedTuple):
    """One operation: the statuses it may start from, the (status, payment_status) it leads to, and its refusal."""

    starts: frozenset[str]
    # None: the operation keeps status, payment_status and status_details as they are.
    leads_to: tuple[str, str] | None
    # None for what no request asks for (expiry), so nothing refuses it.
    refusal: str | None = None
    # The webhook event the move fires; None: by the status it reaches (webhooks.event_for).
    event: str | None = None


NOT_REFUNDABLE = "Only completed orders can be refunded; this one is {status}."
NOT_SIMULATABLE = "This event cannot happen to an order in status {status}."
DISPUTED = frozenset({"CUSTOMER_DISPUTE_ONGOING"})
PAYABLE_IN_PART = frozenset({"PENDING", "WAITING_FOR_CONFIRMATIONS", "PARTIAL"})
TRANSITIONS = {
    "complete": Transition(UNPAID, ("COMPLETED", "COMPLETED"), "Invoice already COMPLETED, or status is not completable."),
    "attribute": Transition(UNPAID, None, "Affiliate attribution can only change on a pending order; this one is {status}."),
    "fulfill": Transition(OPEN | PAID, ("COMPLETED", "COMPLETED"), "Order cannot be fulfilled in status {status}."),
    "void": Transition(OPEN, ("VOIDED", "VOIDED"), "Only invoices that are not completed can be voided; this one is {status}."),
    # A refund of everything still paid ends the order; a partial one leaves it as it is.
    "refund": Transition(PAID, ("REFUNDED", "COMPLETED"), NOT_REFUNDABLE),
    "partial refund": Transition(PAID, None, NOT_REFUNDABLE),
    # Made by time, not by a request: an unpaid record past its deadline.
    "expire": Transition(UNPAID, ("VOIDED", "VOIDED")),
    # What only the platform or a payment processor does (POST /__admin/shoppex/orders/{id}/simulate).
    # A customer submits a manual payment for review; a crypto payment is seen, unconfirmed; part is paid.
    "await manual payment": Transition(
        frozenset({"PENDING"}), ("PENDING_PAYMENT", "PENDING"), NOT_SIMULATABLE, "order:manual_payment_pending"
    ),
    "await confirmations": Transition(frozenset({"PENDING", "PARTIAL"}), ("WAITING_FOR_CONFIRMATIONS", "PENDING"), NOT_SIMULATABLE),
    "pay part": Transition(PAYABLE_IN_PART, ("PARTIAL", "PENDING"), NOT_SIMULATABLE, "order:partial"),
    # The confirmations arrive, or the rest is paid: the order is paid (order:paid, by its status).
    "confirm payment": Transition(frozenset({"WAITING_FOR_CONFIRMATIONS", "PARTIAL"}), ("COMPLETED", "COMPLETED"), NOT_SIMULATABLE),
    # A paid order's customer disputes it; the dispute is won (paid again) or lost (reversed); a chargeback reverses it outright.
    "open dispute": Transition(PAID, ("CUSTOMER_DISPUTE_ONGOING", "COMPLETED"), NOT_SIMULATABLE, "order:disputed"),
    "win dispute": Transition(DISPUTED, ("COMPLETED", "COMPLETED"), NOT_SIMULATABLE, "order:updated"),
    "lose dispute": Transition(DISPUTED, ("REVERSED", "COMPLETED"), NOT_SIMULATABLE, "order:updated"),
    "reverse": Transition(PAID, ("REVERSED", "COMPLETED"), NOT_SIMULATABLE, "order:updated"),
    # PATCH /invoices/{uniqid}: the buyer's checkout details (gateway, name, address) change while unpaid.
    "edit checkout": Transition(UNPAID, None, "Only a pending invoice's checkout details can change; this one is {status}."),
}


# The errors page gives a business-rule refusal 400; the manual-payment-completion guide, closest to
# completion, documents its refusal as 422 VALIDATION_ERROR ("Invoice already COMPLETED, ...").
REFUSED_AS_INVALID = frozenset({"complete"})


def allows(operation: str, status: str | None) -> bool:
    """Whether `operation` may start from `status`."""
    return status in TRANSITIONS[operation].starts


def check(operation: str, status: str | None, field: str = "status") -> None:
    """Raise the documented refusal if `operation` is forbidden in `status`: a 400 business-rule error, completion's 422."""
    if not allows(operation, status):
        message = TRANSITIONS[operation].refusal.format(status=status)
        details = [{"field": field, "message": f"status is {status}"}]
        raise (ValidationError if operation in REFUSED_AS_INVALID else BadRequest)(message, details)


def apply(operation: str, doc: dict, now: int, status_details: str | None = None) -> dict:
    """Move `doc` through `operation` (already checked) and stamp `updated_at`; details go with a status move."""
    leads_to = TRANSITIONS[operation].leads_to
    if leads_to is not None:
        doc["status"], doc["payment_status"] = leads_to
        if status_details is not None:
            doc["status_details"] = status_details
    doc["updated_at"] = now
    return doc
