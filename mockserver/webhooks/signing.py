"""How each platform signs a webhook delivery, exactly as documented."""

from __future__ import annotations

import base64
import hashlib
import hmac


def shoppex_headers(secret: str, delivery_id: str, timestamp: int, event: str, body: bytes) -> dict[str, str]:
    """Shoppex: V2 = hex HMAC-SHA256 of "<delivery>.<timestamp>.<raw body>"; legacy = hex HMAC-SHA512 of the raw body."""
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


def shoplazza_headers(secret: str, body: bytes, topic: str, shop_domain: str, version: str, dedup_id: str) -> dict[str, str]:
    """Shoplazza: X-Shoplazza-Hmac-Sha256 = base64 HMAC-SHA256 of the raw body, keyed with the app's client secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-Shoplazza-Topic": topic,
        "X-Shoplazza-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shoplazza-Shop-Domain": shop_domain,
        "X-Shoplazza-Api-Version": version,
        "X-Shoplazza-Deduplication-ID": dedup_id,
    }
