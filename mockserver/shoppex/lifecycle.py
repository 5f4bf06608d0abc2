"""The Shoppex order/invoice state machine: which action each status allows, and what it leads to.

No formal state machine is published; this follows the documented value sets and guides:
complete only from PENDING or PENDING_PAYMENT, void only when not completed, refund only
what was paid, and unpaid invoices expire (VOIDED) after a time to live.
"""

from __future__ import annotations

from .errors import ValidationError

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

# action -> statuses it may start from
ALLOWED = {
    "complete": UNPAID,
    "attribute": UNPAID,
    "fulfill": OPEN | {"COMPLETED"},
    "void": OPEN,
    "refund": frozenset({"COMPLETED"}),
    "expire": UNPAID,
}

# action -> (status, payment_status) it leaves the record in
RESULT = {
    "complete": ("COMPLETED", "COMPLETED"),
    "fulfill": ("COMPLETED", "COMPLETED"),
    "void": ("VOIDED", "VOIDED"),
    "expire": ("VOIDED", "VOIDED"),
    "refund": ("REFUNDED", "COMPLETED"),
}

REFUSALS = {
    "complete": "Invoice already COMPLETED, or status is not completable.",
    "attribute": "Affiliate attribution can only change on a pending order; this one is {status}.",
    "fulfill": "Order cannot be fulfilled in status {status}.",
    "void": "Only invoices that are not completed can be voided; this one is {status}.",
    "refund": "Only completed orders can be refunded; this one is {status}.",
}


def check(action: str, status: str, field: str = "status") -> None:
    """Raise the documented 422 if `action` is forbidden in `status`."""
    if status not in ALLOWED[action]:
        message = REFUSALS[action].format(status=status)
        raise ValidationError(message, [{"field": field, "message": f"status is {status}"}])


def apply(action: str, doc: dict, now: int, status_details: str | None = None) -> dict:
    """Move `doc` through `action` (already checked) and stamp `updated_at`."""
    doc["status"], doc["payment_status"] = RESULT[action]
    if status_details is not None:
        doc["status_details"] = status_details
    doc["updated_at"] = now
    return doc
