"""Shoppex webhook subscriptions and the events order transitions fire. Plain Python: no Flask."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ..webhooks.delivery import Deliveries, SubscriptionGone
from .catalog import PRODUCTS
from .delivery_logs import log_page
from .errors import NotFound, field_error
from .listing import paginate_stored
from .records import order_view

WEBHOOKS = "shoppex.webhooks"
# Shoppex documents retries after 2, 4, 8 and 16 minutes.
RETRIES = (120, 240, 480, 960)
ORDER_EVENTS = ("order:created", "order:updated", "order:partial", "order:paid", "order:cancelled", "order:disputed")
SUBSCRIPTION_EVENTS = (
    "subscription:trial:started",
    "subscription:trial:ended",
    "subscription:created",
    "subscription:updated",
    "subscription:renewed",
    "subscription:cancelled",
    "subscription:upcoming",
)
PRODUCT_EVENTS = ("product:created", "product:edited", "product:stock", "product:dynamic")
OTHER_EVENTS = (*PRODUCT_EVENTS, "query:created", "query:replied", "feedback:received")
# The 33 events of the create-a-webhook enum: each order and subscription event also has a `:product` variant.
DOCUMENTED_EVENTS = (
    *ORDER_EVENTS,
    *(f"{event}:product" for event in ORDER_EVENTS),
    *OTHER_EVENTS,
    *SUBSCRIPTION_EVENTS,
    *(f"{event}:product" for event in SUBSCRIPTION_EVENTS),
)
# Also named by the docs outside that enum: the events page (manual payment review) and the
# update-webhook example (a payment completed); both can be subscribed to as well.
EVENTS = (*DOCUMENTED_EVENTS, "order:manual_payment_pending", "payment:completed")


def _listening_to(event: str):
    # The store keeps a view of subscriptions by "listens to `event`", so an event finds its hooks without a scan.
    def listens(hook: dict) -> bool:
        return event in hook["events"] or f"{event}:product" in hook["events"]

    return listens


# One view per event that fires by itself (a `:product` variant goes with its base event).
LISTENING = {event: _listening_to(event) for event in EVENTS if not event.endswith(":product")}


def event_for(before: str | None, after: str | None) -> str:
    """The event a status change fires: paid on reaching COMPLETED, cancelled on VOIDED, else updated."""
    if after != before and after == "COMPLETED":
        return "order:paid"
    if after != before and after == "VOIDED":
        return "order:cancelled"
    return "order:updated"


class ShoppexWebhooks:
    """Webhook subscriptions of one namespace, and the deliveries their events cause."""

    def __init__(self, store, clock, deliveries: Deliveries, namespace: str):
        self.store, self.clock, self.deliveries, self.namespace = store, clock, deliveries, namespace

    def create(self, url: str, events: list[str], kind: str = "paylix") -> dict:
        """POST /webhooks."""
        now = self.clock.now()
        doc = {"id": f"wh_{secrets.token_hex(12)}", "url": url, "events": events, "type": kind, "secret": _secret(), "enabled": True}
        return self.store.insert(self.namespace, WEBHOOKS, {**doc, "created_at": now, "updated_at": now})

    def get(self, webhook_id: str) -> dict:
        """GET /webhooks/{id}."""
        doc = self.store.get(self.namespace, WEBHOOKS, webhook_id)
        if doc is None:
            raise NotFound(f"Webhook {webhook_id} not found.", code="NOT_FOUND")
        return doc

    def list(self, limit: int, cursor: str | None) -> dict:
        """GET /webhooks: newest first."""
        return paginate_stored(self.store, self.namespace, WEBHOOKS, limit, cursor)

    def update(self, webhook_id: str, changes: dict) -> dict:
        """PATCH /webhooks/{id}."""
        self.get(webhook_id)
        now = self.clock.now()
        return self.store.modify(self.namespace, WEBHOOKS, webhook_id, lambda d: {**d, **changes, "updated_at": now})

    def delete(self, webhook_id: str) -> None:
        """DELETE /webhooks/{id}."""
        if self.store.delete(self.namespace, WEBHOOKS, webhook_id) is None:
            raise NotFound(f"Webhook {webhook_id} not found.", code="NOT_FOUND")

    def rotate_secret(self, webhook_id: str) -> dict:
        """POST /webhooks/{id}/rotate-secret: later deliveries are signed with the new secret."""
        return self.update(webhook_id, {"secret": _secret()})

    def send_test(self, webhook_id: str, event: str | None = None) -> dict:
        """POST /webhooks/{id}/test: one delivery of `event` (default: the webhook's first) with a sample order."""
        hook = self.get(webhook_id)
        sample = self.store.all(self.namespace, "shoppex.invoices")
        data = order_view(sample[0]) if sample else {}
        return self._deliver(hook, event or hook["events"][0], data)

    def emit(self, event: str, doc: dict) -> None:
        """Deliver `event` for an order (and, for a paid payment, `payment:completed`) to its subscribers."""
        self._emit(event, doc)
        if event == "order:paid" and doc.get("type") == "PAYMENT":
            self._emit("payment:completed", doc)

    def emit_product(self, event: str, product: dict) -> None:
        """Deliver a product event to its subscribers; `data` is the product as GET /products/{id} shows it."""
        for hook in self.store.matching(self.namespace, WEBHOOKS, LISTENING[event], True):
            # Product events have no `:product` variant: only hooks naming the event itself get it.
            if hook.get("enabled", True) and event in hook["events"]:
                self._deliver(hook, event, product)

    def _emit(self, event: str, doc: dict) -> None:
        # Every subscribed, enabled webhook gets the event (and its :product variant for product orders).
        data = order_view(doc)
        for hook in self.store.matching(self.namespace, WEBHOOKS, LISTENING[event], True):
            if not hook.get("enabled", True):
                continue
            if event in hook["events"]:
                self._deliver(hook, event, data)
            if doc.get("type", "PRODUCT") == "PRODUCT" and f"{event}:product" in hook["events"]:
                self._deliver(hook, f"{event}:product", {**data, "products": self._products(doc)})
        # A payment's own webhook URL gets the order events only.
        if doc.get("webhook") and doc.get("webhook_secret") and event.startswith("order:"):
            payload = {"event": event, "data": data, "created_at": self.clock.now()}
            self.deliveries.enqueue(
                self.namespace, api="shoppex", event=event, url=doc["webhook"], payload=payload, signing={"secret": doc["webhook_secret"]}
            )

    def _products(self, doc: dict) -> list[dict]:
        # The `:product` variants' `products`: each catalogue product the order's items name, once, as the events page shows it.
        ids = dict.fromkeys(item.get("product_id") for item in doc.get("items") or [] if item.get("product_id"))
        found = (self.store.get(self.namespace, PRODUCTS, product_id) for product_id in ids)
        return [product_payload(product) for product in found if product is not None]

    def _deliver(self, hook: dict, event: str, data: dict) -> dict:
        payload = {"event": event, "data": data, "created_at": self.clock.now()}
        return self.deliveries.enqueue(
            self.namespace,
            api="shoppex",
            event=event,
            url=hook["url"],
            payload=payload,
            signing={"secret": hook["secret"]},
            webhook_id=hook["id"],
        )

    def logs(self, query: dict) -> dict:
        """GET /webhooks/logs: the documented log view, filtered and page-paginated."""
        return log_page(self.deliveries.find([self.namespace], api="shoppex"), query)

    def retry_log(self, log_id: str) -> dict:
        """POST /webhooks/logs/{id}/retry: to the webhook's current URL; a 422 if the webhook is gone or disabled."""
        found = self.deliveries.find([self.namespace], api="shoppex", id=log_id)
        try:
            doc = self.deliveries.redeliver(self.namespace, log_id) if found else None
        except SubscriptionGone as gone:
            raise field_error("webhook_id", f"Webhook {gone.delivery['webhook_id']} {gone.reason}; its logs cannot be retried.") from None
        if doc is None:
            raise NotFound(f"Webhook log {log_id} not found.", code="NOT_FOUND")
        return doc


def product_payload(product: dict) -> dict:
    """A catalogue product as a `:product` event carries it."""
    shown = {"uniqid": product.get("uniqid", product["id"]), "title": product.get("title"), "description": product.get("description")}
    price = product.get("price")
    return {**shown, "price": price, "price_display": price, "currency": product.get("currency"), "type": product.get("type")}


def _secret() -> str:
    return f"whsec_{secrets.token_hex(24)}"


def signed_headers(secret: str, delivery_id: str, timestamp: int, event: str, body: bytes) -> dict[str, str]:
    """V2 = hex HMAC-SHA256 of "<delivery>.<timestamp>.<raw body>"; legacy = hex HMAC-SHA512 of the raw body."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    v2 = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    legacy = hmac.new(secret.encode(), body, hashlib.sha512).hexdigest()
    return {
        "Content-Type": "application/json",
        "User-Agent": "Shoppex-Webhook/1.0",
        "X-Shoppex-Event": event,
        "X-Shoppex-Delivery": delivery_id,
        "X-Shoppex-Timestamp": str(timestamp),
        "X-Shoppex-Signature-V2": f"v1,t={timestamp},h={v2}",
        "X-Shoppex-Signature-V2-Algorithm": "HMAC-SHA256",
        "X-Shoppex-Signature": legacy,
    }


def sign_delivery(delivery: dict, timestamp: int) -> dict[str, str]:
    """The headers of one attempt of a Shoppex delivery."""
    body = delivery["body"].encode()
    return signed_headers(delivery["signing"]["secret"], delivery["id"], timestamp, delivery["event"], body)


def delivery_target(hook: dict, delivery: dict) -> tuple[str, dict] | str:
    """A subscription's delivery goes to its current URL with its current secret; not while it is disabled."""
    if not hook.get("enabled", True):
        return "is disabled"
    return hook["url"], {**delivery["signing"], "secret": hook["secret"]}
