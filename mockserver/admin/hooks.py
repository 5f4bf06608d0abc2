"""Request hooks of the control plane: fault injection before, the journal after, every emulated-API request."""

from __future__ import annotations

import time

from flask import current_app, g, request
from werkzeug.exceptions import HTTPException

from ..http import ClientError, errors_for_path, json_response, raw_body
from .journal import MAX_BODY_CHARS

ADMIN_PREFIX = "/__admin"


def caller_namespace() -> str | None:
    """The namespace a request names (its bearer key or access-token), even before authentication."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("access-token") or None


def inject_fault():
    """Delay and/or fail the request if a fault rule fires for it."""
    g.started = time.perf_counter()
    if request.path.startswith(ADMIN_PREFIX):
        return None
    rule = current_app.extensions["mockserver"].faults.take(request.method, request.path, caller_namespace())
    if rule is None:
        return None
    # A delay only holds this request's thread; the others keep being served.
    if rule.delay_ms:
        time.sleep(rule.delay_ms / 1000)
    if rule.status is None:
        return None
    if rule.body is not None:
        return json_response(rule.body, rule.status)
    error = errors_for_path(request.path).error_for_status(rule.status, f"Injected fault (rule {rule.id}).")
    if rule.error_code:
        error.code = rule.error_code
    return json_response(error.body(), rule.status)


def record_request(response):
    """Add the finished request to the journal (admin calls are not journaled)."""
    if request.path.startswith(ADMIN_PREFIX):
        return response
    runtime = current_app.extensions["mockserver"]
    req = request._get_current_object()
    try:
        body = raw_body()[:MAX_BODY_CHARS]
    except (HTTPException, ClientError):  # a body over the limit, or cut short, was refused and is not kept
        body = b""
    runtime.journal.record(
        {
            "time": runtime.clock.now_float(),
            "method": req.method,
            "path": req.path,
            "query": req.environ.get("QUERY_STRING", ""),
            "headers": list(req.headers.items()),
            "body": body,
            "status": response.status_code,
            "response": response.get_data()[:MAX_BODY_CHARS] if not response.direct_passthrough else b"",
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 3),
            "namespace": g.get("namespace") or caller_namespace(),
            "request_id": g.get("request_id"),
        }
    )
    return response
