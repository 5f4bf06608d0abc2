"""Shoppex records and their rules. Plain Python: no Flask.

Orders, invoices, payments and checkout sessions are views of one record, stored once
(kind `shoppex.invoices`) as the document the API returns; `records.py` holds the views.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from decimal import Decimal

from ..clock import Clock
from ..store import Store
from . import lifecycle
from .catalog import (
    COUPONS,
    PRODUCTS,
    count_use,
    customer_for,
    decimal,
    discount_for,
    find_coupon,
    find_product,
    money,
    price_line,
    product_keys,
)
from .errors import BadRequest, NotFound, ValidationError, field_error
from .listing import paginate_stored
from .records import invoice_document, payment_fields
from .schemas import AFFILIATE_ID_FIELDS
from .webhooks import event_for

INVOICES = "shoppex.invoices"
AFFILIATE_LINKS = "shoppex.affiliate_links"
SHOPS = "shoppex.shops"
REFUNDS = "shoppex.refunds"
DEFAULT_TTL = 24 * 60 * 60
# The errors page documents no ORDER_NOT_FOUND: an unknown order is the generic NOT_FOUND.
ORDER_NOT_FOUND = "NOT_FOUND"
NOUNS = {ORDER_NOT_FOUND: "Order", "INVOICE_NOT_FOUND": "Invoice", "PAYMENT_NOT_FOUND": "Payment"}
REFUNDABLE_GATEWAYS = frozenset({"STRIPE", "PAYPAL"})


class ShoppexBackend:
    """The Shoppex operations for one namespace (one API key)."""

    def __init__(self, store: Store, clock: Clock, namespace: str, ttl: int = DEFAULT_TTL, events=None):
        self.store = store
        self.clock = clock
        self.namespace = namespace
        self.ttl = ttl
        # Called as events(event_name, document) after each committed change (webhooks).
        self.events = events or (lambda event, doc: None)

    # -- lookups -------------------------------------------------------------

    def get_order(self, order_id: str) -> dict:
        """GET /orders/{id}: by internal id or public uniqid."""
        return self._current(order_id, ORDER_NOT_FOUND, "Order")

    def get_invoice(self, uniqid: str) -> dict:
        """GET /invoices/{uniqid}: by public uniqid."""
        doc = self._current(uniqid, "INVOICE_NOT_FOUND", "Invoice")
        if doc.get("uniqid") != uniqid:
            raise NotFound(f"Invoice {uniqid} not found.", code="INVOICE_NOT_FOUND")
        return doc

    def get_payment(self, uniqid: str) -> dict:
        """GET /payments/{uniqid}: a PAYMENT invoice by uniqid."""
        doc = self.store.get(self.namespace, INVOICES, uniqid)
        if doc is None or doc.get("type") != "PAYMENT" or doc.get("uniqid") != uniqid:
            raise NotFound(f"Payment {uniqid} not found.", code="PAYMENT_NOT_FOUND")
        return self._current(uniqid, "PAYMENT_NOT_FOUND", "Payment")

    def list_invoices(self, limit: int, cursor: str | None, status: str | None, email: str | None, payments_only: bool = False) -> dict:
        """GET /orders, /invoices, /payments: one page, newest first, expired records voided first.

        The filters see each record as expiry would leave it; only the records shown are then expired
        (and their events fired), so a page costs the records walked, not every stored one.
        """

        def keep(stored: dict) -> bool:
            doc = self._expire(dict(stored)) if self._due(stored) else stored
            return (
                (not payments_only or doc.get("type") == "PAYMENT")
                and (status is None or doc.get("status") == status.upper())
                and (email is None or str(doc.get("customer_email", "")).lower() == email.lower())
            )

        result = paginate_stored(self.store, self.namespace, INVOICES, limit, cursor, keep)
        result["data"] = [self._up_to_date(doc) for doc in result["data"]]
        return result

    def get_shop(self) -> dict:
        """GET /me: the shop behind the key (the first shop fixture)."""
        shops = self.store.all(self.namespace, SHOPS)
        if not shops:
            raise NotFound("No shop is configured for this key.", code="NOT_FOUND")
        return shops[0]

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

    # -- creation ------------------------------------------------------------

    def create_order(self, body: dict) -> dict:
        """POST /orders: price the items, apply the coupon, store a PENDING order."""
        items = [self._order_line(item, i) for i, item in enumerate(body["items"])]
        subtotal = sum((decimal(line["total"]) for line in items), Decimal(0))
        # Under the store lock, so two orders cannot both take a coupon's last use; the order keeps its `coupon_id`.
        with self.store.lock:
            coupon = find_coupon(self.store, self.namespace, body["coupon_code"]) if body.get("coupon_code") else None
            discount = discount_for(coupon, subtotal, product_keys(self.store, self.namespace, items), self.clock.now())
            doc = invoice_document(
                shop_id=self._shop_id(),
                email=body["email"],
                items=items,
                subtotal=subtotal,
                discount=discount,
                now=self.clock.now(),
                currency=self._currency(items),
                gateway=body.get("gateway"),
                custom_fields=body.get("custom_fields"),
                # The create example answers developer_title null with a title given: that is for developer invoices (payments).
                title=body.get("title"),
                coupon_id=coupon["id"] if coupon else None,
                customer_id=customer_for(self.store, self.namespace, body["email"]),
            )
            if coupon is not None:
                self.store.modify(self.namespace, COUPONS, coupon["id"], count_use)
            self.store.insert(self.namespace, INVOICES, doc)
        self.events("order:created", doc)
        return doc

    def _order_line(self, item: dict, index: int) -> dict:
        # One priced item, with the buyer's delivery instructions and the product's label for them.
        product = find_product(self.store, self.namespace, item["product_id"], f"items.{index}.product_id")
        line = price_line(product, item.get("variant_id"), item["quantity"], index)
        delivered = line.pop("delivered_items")
        line["delivery_instructions"] = item.get("delivery_instructions")
        line["delivery_instructions_label"] = product.get("delivery_instructions_label")
        return {**line, "delivered_items": delivered}

    def create_payment(self, body: dict, **extra) -> dict:
        """POST /payments (and checkout sessions): a PENDING invoice of type PAYMENT with checkout links."""
        quantity = body.get("quantity", 1)
        unit = decimal(body["value"])
        line = {
            "product_id": None,
            "product_title": body["title"],
            "product_type": "CUSTOM",
            "variant_title": None,
            "quantity": quantity,
            "unit_price": money(unit),
            "total": money(unit * quantity),
            "delivered_items": None,
        }
        doc = invoice_document(
            shop_id=self._shop_id(),
            email=body["email"],
            items=[line],
            subtotal=unit * quantity,
            discount=Decimal(0),
            now=self.clock.now(),
            type="PAYMENT",
            currency=body["currency"].upper(),
            gateway=body.get("gateway"),
            customer_id=body.get("customer_id"),
            custom_fields=body.get("custom_fields"),
            is_developer_invoice=True,
            developer_title=body["title"],
            title=body["title"],
            **{k: body[k] for k in ("return_url", "cancel_url", "webhook") if body.get(k)},
            **extra,
        )
        doc["product"] = None
        doc.update(payment_fields(doc, self._shop_subdomain()))
        if body.get("webhook"):
            doc["webhook_secret"] = f"whsec_{secrets.token_hex(24)}"
        return self._created(doc)

    # -- transitions ---------------------------------------------------------

    def update_order(self, order_id: str, field: str, value: str | None) -> dict:
        """PATCH /orders/{id}: set (or with null, clear) the affiliate attribution of a pending order."""
        link = self.find_affiliate_link(field, value) if value is not None else None

        def attribute(doc: dict, now: int) -> None:
            doc["affiliate_link_id"] = link["id"] if link else None
            doc["affiliate_customer_id"] = link.get("customer_id") if link else None
            doc["affiliate_code"] = link.get("code") if link else None

        return self._change(order_id, "attribute", ORDER_NOT_FOUND, edit=attribute, field=field)

    def update_invoice(self, uniqid: str, changes: dict) -> dict:
        """PATCH /invoices/{uniqid}: the checkout details of a pending invoice."""
        self.get_invoice(uniqid)
        return self._change(uniqid, "edit checkout", "INVOICE_NOT_FOUND", edit=lambda doc, now: doc.update(changes))

    def complete_order(self, order_id: str) -> dict:
        """POST /orders/{id}/complete: PENDING or PENDING_PAYMENT becomes COMPLETED."""
        return self._change(order_id, "complete", ORDER_NOT_FOUND, details="Completed")

    def complete_invoice(self, uniqid: str) -> dict:
        """POST /invoices/{uniqid}/complete."""
        self.get_invoice(uniqid)
        return self._change(uniqid, "complete", "INVOICE_NOT_FOUND", details="Completed by Dev API")

    def complete_payment(self, uniqid: str) -> dict:
        """POST /payments/{uniqid}/complete."""
        self.get_payment(uniqid)
        return self._change(uniqid, "complete", "PAYMENT_NOT_FOUND", details="Completed by Dev API")

    def fulfill_order(self, order_id: str) -> dict:
        """POST /orders/{id}/fulfill: the order is COMPLETED and marked Fulfilled."""
        return self._change(order_id, "fulfill", ORDER_NOT_FOUND, details="Fulfilled")

    def void_invoice(self, uniqid: str, void_details: str | None) -> dict:
        """POST /invoices/{uniqid}/void: a not-completed invoice becomes VOIDED."""
        self.get_invoice(uniqid)

        def void(doc: dict, now: int) -> None:
            doc["void_details"] = void_details or "Voided by Dev API"

        return self._change(uniqid, "void", "INVOICE_NOT_FOUND", edit=void, details="Voided")

    def refund_order(self, order_id: str, amount: Decimal | None, reason: str | None) -> dict:
        """POST /orders/{id}/refund: STRIPE and PAYPAL orders, at most what was paid; all of it makes REFUNDED."""

        def refund(doc: dict, now: int) -> str:
            if doc.get("gateway") not in REFUNDABLE_GATEWAYS:
                raise field_error(
                    "gateway", f"Only STRIPE and PAYPAL orders can be refunded server-side; this one is {doc.get('gateway')}."
                )
            # Read under the change's hold of the store lock: racing partial refunds cannot together exceed what was paid.
            refunded = self._refunded(doc["id"])
            remaining = decimal(doc.get("total") or 0) - refunded
            wanted = remaining if amount is None else amount
            if wanted > remaining:
                raise field_error("amount", f"At most {money(remaining)} can still be refunded.")
            self.store.insert(
                self.namespace,
                REFUNDS,
                {"id": f"{doc['id']}:{now}:{refunded}", "order_id": doc["id"], "amount": money(wanted), "reason": reason},
            )
            return "refund" if wanted == remaining else "partial refund"

        return self._change(order_id, "refund", ORDER_NOT_FOUND, edit=refund, details="Refunded")

    def simulate(self, order_id: str, row: str, details: str) -> dict:
        """What the platform or a processor does to an order (admin simulation): the lifecycle `row`, with its event."""
        return self._change(order_id, row, ORDER_NOT_FOUND, details=details)

    # -- machinery -----------------------------------------------------------

    def _created(self, doc: dict) -> dict:
        self.store.insert(self.namespace, INVOICES, doc)
        self.events("order:created", doc)
        return doc

    def _change(self, key: str, operation: str, not_found: str, edit=None, details: str | None = None, field: str = "status") -> dict:
        """The one way a stored record changes: expiry first, then `operation` as the lifecycle allows, then its event.

        `edit(doc, now)` sets the operation's own fields; it may name the row the record moves by
        (a partial refund), else `operation`'s row is used. `details` is the status_details of the move.
        """
        now = self.clock.now()
        noun = NOUNS[not_found]
        before = {}

        def change(doc: dict) -> dict:
            before["status"] = doc.get("status")
            # Expiry is applied first, inside the same locked change, so a stale record cannot be acted on.
            self._expire(doc)
            if operation == "expire":
                return doc
            # The lifecycle table allows or refuses; a refusal because the record expired says so, and when.
            try:
                lifecycle.check(operation, doc.get("status"), field)
            except (ValidationError, BadRequest) as refused:
                if doc.get("status_details") == "Expired":
                    refused.message = self._expired_message(doc, f"{noun} {key}")
                raise
            # The operation's own fields, then the move its row leads to.
            before["row"] = (edit(doc, now) if edit else None) or operation
            return lifecycle.apply(before["row"], doc, now, details)

        doc = self.store.modify(self.namespace, INVOICES, key, change)
        if doc is None:
            raise NotFound(f"{noun} {key} not found.", code=not_found)
        # Every request's operation fires its event; expiry only when this change is the one that expired it.
        # The row names its event, or the status reached does.
        if operation != "expire" or before["status"] != doc.get("status"):
            event = lifecycle.TRANSITIONS[before.get("row", operation)].event
            self.events(event or event_for(before["status"], doc.get("status")), doc)
        return doc

    def _expired_message(self, doc: dict, name: str) -> str:
        # The deadline counts from created_at, or from the seeding of the namespace when that came later.
        deadline = datetime.fromtimestamp(self._deadline(doc), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        start = "created_at" if int(doc.get("created_at") or 0) >= self.store.seeded_at(self.namespace) else "namespace seeded"
        return f"{name} is {doc.get('status')}: it expired unpaid at {deadline} ({start} + invoice TTL of {self.ttl} s)."

    def _current(self, key: str, not_found: str, noun: str) -> dict:
        doc = self.store.get(self.namespace, INVOICES, key)
        if doc is None:
            raise NotFound(f"{noun} {key} not found.", code=not_found)
        return self._up_to_date(doc, not_found)

    def _up_to_date(self, doc: dict, not_found: str = ORDER_NOT_FOUND) -> dict:
        # A record past its deadline is expired (written, with its event) when it is read; others are not written.
        return self._change(doc["id"], "expire", not_found) if self._due(doc) else doc

    def _deadline(self, doc: dict) -> int:
        # A seeded record counts as created when its namespace was seeded.
        return max(int(doc.get("created_at") or 0), self.store.seeded_at(self.namespace)) + self.ttl

    def _due(self, doc: dict) -> bool:
        # Whether the clock has passed the deadline of a record that can still expire.
        return lifecycle.allows("expire", doc.get("status")) and self.clock.now() >= self._deadline(doc)

    def _expire(self, doc: dict) -> dict:
        # Expiry in place, when due: VOIDED as of the deadline, not of the request that noticed it.
        if self._due(doc):
            doc["void_details"] = "Expired"
            lifecycle.apply("expire", doc, self._deadline(doc), "Expired")
        return doc

    def _refunded(self, order_id: str) -> Decimal:
        # What the order's refunds add up to so far.
        refunds = self.store.all(self.namespace, REFUNDS)
        return sum((decimal(r["amount"]) for r in refunds if r["order_id"] == order_id), Decimal(0))

    def _shop_id(self) -> str:
        shops = self.store.all(self.namespace, SHOPS)
        return shops[0]["id"] if shops else "shop_1"

    def _shop_subdomain(self) -> str:
        shops = self.store.all(self.namespace, SHOPS)
        return shops[0].get("subdomain", "shop") if shops else "shop"

    def _currency(self, items: list[dict]) -> str:
        product = self.store.get(self.namespace, PRODUCTS, items[0]["product_id"]) if items else None
        return (product or {}).get("currency", "USD")
