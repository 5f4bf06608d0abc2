"""What the webhook tests share: subscribing through each API, paying, reading the delivery log."""

from __future__ import annotations

import socket

SHOPPEX_KEY = "shx_hooks_bounds_key"
AUTH = {"Authorization": f"Bearer {SHOPPEX_KEY}"}
TOKEN = {"access-token": "lz_hooks_bounds_token"}
SHOPLAZZA_ORDER = "/openapi/2025-06/orders/365154185097449134715"
COMPLETABLE_ORDER = "/dev/v1/orders/inv_complete_1/complete"


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def subscribe_shoppex(client, url: str, events=("order:paid",)):
    """POST /dev/v1/webhooks; the response."""
    return client.post("/dev/v1/webhooks", json={"url": url, "events": list(events)}, headers=AUTH)


def subscribe_shoplazza(client, address: str, topic: str = "orders/update"):
    """POST /openapi/2025-06/webhooks; the response."""
    return client.post("/openapi/2025-06/webhooks", json={"webhook": {"address": address, "topic": topic}}, headers=TOKEN)


def create_payment(client, webhook: str):
    """POST /dev/v1/payments with a `webhook` URL; the response."""
    body = {"title": "T", "email": "p@example.com", "value": 3, "currency": "USD", "webhook": webhook}
    return client.post("/dev/v1/payments", json=body, headers=AUTH)


def deliveries(client, **filters) -> list[dict]:
    """GET /__admin/webhooks."""
    return client.get("/__admin/webhooks", query_string=filters).get_json()["deliveries"]
