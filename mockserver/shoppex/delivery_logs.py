"""The delivery log as Shoppex shows it (GET /webhooks/logs): one entry per delivery, its last attempt's outcome.

The admin API (/__admin/webhooks) keeps showing the full delivery with every attempt; this
is only the documented Shoppex-facing view of the same records.
"""

from __future__ import annotations

import json
import math

# The log's own statuses onto the documented three: an attempt still due (first, or a retry
# after a failure) is `pending`; a delivery that gave up is `failed`.
STATUSES = {"pending": "pending", "not_sent": "pending", "retrying": "pending", "succeeded": "success", "failed": "failed"}


def _json_or_text(text: str | None):
    # The receiver's answer as JSON when it is JSON, else the text itself (None when nothing came back).
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def log_view(doc: dict) -> dict:
    """One delivery (as `Deliveries.find` gives it: the body parsed) in the documented log shape."""
    last = doc["attempts"][-1] if doc["attempts"] else {}
    response = last.get("response") or {}
    status = STATUSES[doc["status"]]
    return {
        "id": doc["id"],
        "uniqid": doc["id"],
        "webhook_uniqid": doc.get("webhook_id"),
        "event_type": doc["event"],
        "url": last.get("url", doc["url"]),
        "payload": doc["body"],
        "request_headers": (last.get("request") or {}).get("headers"),
        "response": _json_or_text(response.get("body")),
        "response_headers": None,
        "status": status,
        "status_code": response.get("status"),
        "attempt": len(doc["attempts"]),
        "duration_ms": round(last["duration_ms"]) if "duration_ms" in last else None,
        "error_message": last.get("error"),
        "created_at": doc["created_at"],
        "delivered_at": int(last["at"]) if status == "success" else None,
    }


def log_page(deliveries: list[dict], query: dict) -> dict:
    """GET /webhooks/logs: newest first, filtered by status, event_type and webhook_uniqid, page-paginated."""
    # Filter on the documented values, newest first.
    wanted = {k: query[k] for k in ("status", "event_type", "webhook_uniqid") if query.get(k) is not None}
    views = [v for v in map(log_view, reversed(deliveries)) if all(v[k] == value for k, value in wanted.items())]
    # One page; the pagination names its size both ways the docs do (per_page and limit).
    page, size = query["page"], query["per_page"]
    pages = max(1, math.ceil(len(views) / size))
    pagination = {"total": len(views), "page": page, "per_page": size, "limit": size, "total_pages": pages, "has_more": page < pages}
    return {"data": views[(page - 1) * size : page * size], "pagination": pagination}
