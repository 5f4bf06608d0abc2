"""Shoppex records and their rules. Plain Python: no Flask.

Orders and invoices are two views of one record, stored once (kind `shoppex.invoices`)
as the document the API returns: the invoice view is the whole document, the order
view leaves out the invoice-only fields.
"""

from __future__ import annotations

from ..clock import Clock
from ..store import Store
from .errors import NotFound, field_error, not_completable
from .schemas import AFFILIATE_ID_FIELDS

INVOICES = "shoppex.invoices"
AFFILIATE_LINKS = "shoppex.affiliate_links"
STORE_KEYS = {
    INVOICES: ("id", "uniqid"),
    AFFILIATE_LINKS: ("id", "code", "customer_id"),
}

# Fields only GET /invoices/{uniqid} shows (seed 003); the order views (seeds 000-002) never carry them.
INVOICE_ONLY_FIELDS = frozenset(
    {"type", "subtype", "origin", "total_display", "discount_display", "is_developer_invoice", "developer_title", "product", "void_details"}
)
COMPLETABLE = frozenset({"PENDING", "PENDING_PAYMENT"})
ATTRIBUTABLE = frozenset({"PENDING", "PENDING_PAYMENT"})


def order_view(doc: dict) -> dict:
    """The record as GET /orders/{id} shows it."""
    return {key: value for key, value in doc.items() if key not in INVOICE_ONLY_FIELDS}


def invoice_view(doc: dict) -> dict:
    """The record as GET /invoices/{uniqid} shows it."""
    return doc


class ShoppexBackend:
    """The Shoppex operations for one namespace (one API key)."""

    def __init__(self, store: Store, clock: Clock, namespace: str):
        self.store = store
        self.clock = clock
        self.namespace = namespace

    # -- lookups -------------------------------------------------------------

    def get_order(self, order_id: str) -> dict:
        """GET /orders/{id}: by internal id or public uniqid."""
        doc = self.store.get(self.namespace, INVOICES, order_id)
        if doc is None:
            raise NotFound(f"Order {order_id} not found.", code="ORDER_NOT_FOUND")
        return doc

    def get_invoice(self, uniqid: str) -> dict:
        """GET /invoices/{uniqid}: by public uniqid."""
        doc = self.store.get(self.namespace, INVOICES, uniqid)
        if doc is None or doc.get("uniqid") != uniqid:
            raise NotFound(f"Invoice {uniqid} not found.", code="INVOICE_NOT_FOUND")
        return doc

    def find_affiliate_link(self, field: str, value: str) -> dict:
        """The affiliate link a code (or, for affiliate_id, a link or affiliate customer id) names."""
        link = self.store.get(self.namespace, AFFILIATE_LINKS, value)
        if field in AFFILIATE_ID_FIELDS:
            matches = link is not None and value in (link.get("id"), link.get("customer_id"))
        else:
            matches = link is not None and link.get("code") == value
        if not matches:
            raise field_error(field, f"No affiliate link matches {value!r}.")
        return link

    # -- transitions ---------------------------------------------------------

    def update_order(self, order_id: str, field: str, value: str | None) -> dict:
        """PATCH /orders/{id}: set (or with null, clear) the affiliate attribution of a pending order."""
        link = self.find_affiliate_link(field, value) if value is not None else None
        now = self.clock.now()

        def attribute(doc: dict) -> dict:
            if doc.get("status") not in ATTRIBUTABLE:
                raise field_error(field, f"Affiliate attribution can only change on a pending order; this one is {doc.get('status')}.")
            doc["affiliate_link_id"] = link["id"] if link else None
            doc["affiliate_customer_id"] = link.get("customer_id") if link else None
            doc["affiliate_code"] = link.get("code") if link else None
            doc["updated_at"] = now
            return doc

        return self._modify(order_id, attribute)

    def complete_order(self, order_id: str, note: str | None = None, suppress_emails: bool | None = None) -> dict:
        """POST /orders/{id}/complete: PENDING or PENDING_PAYMENT becomes COMPLETED."""
        return self._complete(order_id, "Completed")

    def _complete(self, order_id: str, status_details: str) -> dict:
        now = self.clock.now()

        def complete(doc: dict) -> dict:
            if doc.get("status") not in COMPLETABLE:
                raise not_completable(str(doc.get("status")))
            doc["status"] = "COMPLETED"
            doc["payment_status"] = "COMPLETED"
            doc["status_details"] = status_details
            doc["updated_at"] = now
            return doc

        return self._modify(order_id, complete)

    def _modify(self, order_id: str, change) -> dict:
        doc = self.store.modify(self.namespace, INVOICES, order_id, change)
        if doc is None:
            raise NotFound(f"Order {order_id} not found.", code="ORDER_NOT_FOUND")
        return doc
