"""Shoplazza webhook subscriptions and the order topics they are fired for. Plain Python: no Flask.

A subscription is stored (kind `shoplazza.webhooks`) as the `webhook` object the API
returns plus two private fields: `api_version` (the version it was created under, sent as
X-Shoplazza-Api-Version) and `position` (creation order, for listing and the cursor).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from .. import cursors
from ..webhooks.delivery import Deliveries
from ..wire import iso
from .errors import InvalidParameter, NotFound
from .shapes import order_in
from .values import within

WEBHOOKS = "shoplazza.webhooks"
# Shoplazza documents up to 19 attempts over about 2 days.
RETRIES = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 3600, 7200, 7200, 10800, 14400, 18000, 21600, 21600, 28800)
# What a delivery's `signing` holds: the app's secret and the values of its headers.
SIGNING_FIELDS = ("secret", "shop_domain", "version", "dedup_id")
# The reference's topics, the fulfillment ones and refunds/create (its body is the refund record); products/create and
# app/uninstalled never fire.
ORDER_TOPICS = ("orders/create", "orders/update", "orders/cancelled", "orders/delete")
FULFILLMENT_TOPICS = ("fulfillments/create", "fulfillments/update", "orders/fulfilled", "orders/partially_fulfilled")
TOPICS = (*ORDER_TOPICS, "products/create", "app/uninstalled", *FULFILLMENT_TOPICS, "refunds/create")
PUBLIC_FIELDS = ("id", "address", "topic", "created_at", "updated_at", "format")
TIME_FILTERS = ("created_at", "updated_at")


def webhook_view(doc: dict) -> dict:
    """A subscription as the API shows it (v202506.WebhookParam)."""
    return {name: doc.get(name, "") for name in PUBLIC_FIELDS}


def _matches(doc: dict, query: dict) -> bool:
    if query["address"] is not None and doc["address"] != query["address"]:
        return False
    if query["topics"] is not None and doc["topic"] not in query["topics"]:
        return False
    return within(doc, query["times"])


def _encode_cursor(position: int) -> str:
    return cursors.encode_cursor(["webhooks", position])


def webhook_position(cursor: str) -> int | None:
    """The position a cursor from GET webhooks carries; None for anything but what it writes."""
    # Exactly ["webhooks", integer position] (not a bool either).
    value = cursors.decode_cursor(cursor)
    if not (isinstance(value, list) and len(value) == 2 and value[0] == "webhooks" and type(value[1]) is int):
        return None
    return value[1]


class ShoplazzaWebhooks:
    """The webhook subscriptions of one namespace (access-token), and the deliveries order changes cause."""

    def __init__(self, store, clock, deliveries: Deliveries, namespace: str, *, secret: str, shop_domain: str):
        self.store, self.clock, self.deliveries, self.namespace = store, clock, deliveries, namespace
        self.secret, self.shop_domain = secret, shop_domain

    # -- subscriptions ---------------------------------------------------------

    def create(self, address: str, topic: str, version: str) -> dict:
        """POST webhooks: one topic to one address, remembered with the API version it was created under."""
        now = iso(self.clock.now())
        with self.store.lock:
            self._refuse_duplicate(address, topic)
            position = max((int(d.get("position", 0)) for d in self.store.all(self.namespace, WEBHOOKS)), default=0) + 1
            doc = {
                "id": str(uuid.uuid4()),
                "address": address,
                "topic": topic,
                "created_at": now,
                "updated_at": now,
                "format": "json",
                "api_version": version,
                "position": position,
            }
            return self.store.insert(self.namespace, WEBHOOKS, doc)

    def get(self, webhook_id: str) -> dict:
        """GET webhooks/{id}."""
        doc = self.store.get(self.namespace, WEBHOOKS, webhook_id)
        if doc is None:
            raise NotFound(f"id: webhook {webhook_id} not found")
        return doc

    def list(self, query: dict) -> tuple[list[dict], str, bool]:
        """GET webhooks: oldest first, (webhooks, cursor or "", has_more)."""
        found = sorted(self._matching(query), key=lambda d: int(d["position"]))
        if query["after"] is not None:
            found = [d for d in found if int(d["position"]) > query["after"]]
        chunk = found[: query["page_size"]]
        has_more = len(found) > len(chunk)
        return chunk, _encode_cursor(int(chunk[-1]["position"])) if has_more else "", has_more

    def count(self, query: dict) -> int:
        """GET webhooks/count (address and topic; the time filters apply too)."""
        return len(self._matching(query))

    def update(self, webhook_id: str, changes: dict) -> dict:
        """PUT webhooks/{id}: a new address and/or topic."""
        now = iso(self.clock.now())
        with self.store.lock:
            current = self.get(webhook_id)
            address, topic = changes.get("address", current["address"]), changes.get("topic", current["topic"])
            if (address, topic) != (current["address"], current["topic"]):
                self._refuse_duplicate(address, topic)
            return self.store.modify(self.namespace, WEBHOOKS, webhook_id, lambda d: {**d, **changes, "updated_at": now})

    def delete(self, webhook_id: str) -> None:
        """DELETE webhooks/{id}: no later deliveries (queued ones still go)."""
        if self.store.delete(self.namespace, WEBHOOKS, webhook_id) is None:
            raise NotFound(f"id: webhook {webhook_id} not found")

    def _matching(self, query: dict) -> list[dict]:
        return [d for d in self.store.all(self.namespace, WEBHOOKS) if _matches(d, query)]

    def _refuse_duplicate(self, address: str, topic: str) -> None:
        for doc in self.store.all(self.namespace, WEBHOOKS):
            if doc["address"] == address and doc["topic"] == topic:
                raise InvalidParameter(f"address: a webhook for topic {topic} at {address} already exists (id {doc['id']})")

    # -- firing ----------------------------------------------------------------

    def emit(self, topic: str, subject: dict) -> None:
        """Deliver `topic` with its subject (an order: in the shape of each subscription's API version; a fulfillment or
        refund as it is) to every subscription of that topic.

        One Deduplication-ID per event: every subscription and every retry of it carries the same one.
        """
        hooks = [hook for hook in self.store.all(self.namespace, WEBHOOKS) if hook["topic"] == topic]
        if not hooks:
            return
        dedup_id = str(uuid.uuid4())
        for hook in sorted(hooks, key=lambda d: int(d["position"])):
            signing = {"secret": self.secret, "shop_domain": self.shop_domain, "version": hook["api_version"], "dedup_id": dedup_id}
            payload = order_in(hook["api_version"], subject) if topic.startswith("orders/") else subject
            self.deliveries.enqueue(
                self.namespace, api="shoplazza", event=topic, url=hook["address"], payload=payload, signing=signing, webhook_id=hook["id"]
            )


def signed_headers(secret: str, body: bytes, topic: str, shop_domain: str, version: str, dedup_id: str) -> dict[str, str]:
    """X-Shoplazza-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body, keyed with the app's client secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-Shoplazza-Topic": topic,
        "X-Shoplazza-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shoplazza-Shop-Domain": shop_domain,
        "X-Shoplazza-Api-Version": version,
        "X-Shoplazza-Deduplication-ID": dedup_id,
    }


def sign_delivery(delivery: dict, _timestamp: int) -> dict[str, str]:
    """The headers of one attempt of a Shoplazza delivery (the same on every attempt)."""
    signing = delivery["signing"]
    body = delivery["body"].encode()
    return signed_headers(signing["secret"], body, delivery["event"], signing["shop_domain"], signing["version"], signing["dedup_id"])


def delivery_target(hook: dict, delivery: dict) -> tuple[str, dict]:
    """A subscription's delivery goes to its current address, signed as when it was recorded."""
    return hook["address"], delivery["signing"]
