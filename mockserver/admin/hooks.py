"""Request hooks of the control plane: fault injection before, the journal after, every emulated-API request.

Both run on every request, so each takes the request and `g` once and touches nothing it does not need.
"""

from __future__ import annotations

import os
import time

from werkzeug.exceptions import HTTPException

from ..http import ClientError, errors_for_path, json_response, raw_body
from ..labels import namespace_label
from .index import check_admin_token
from .journal import new_entry

ADMIN_PREFIX = "/__admin"
# The index (GET /) belongs to the admin API: never journaled or faulted either.
INDEX_PATH = "/"
# Methods whose requests carry no body unless they say so with Content-Length or Transfer-Encoding.
BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEADER_PREFIXES = ("HTTP_", "CONTENT_")
# granian copies the process environment into every request's environ; set aside, only the request's keys remain.
PROCESS_KEYS = frozenset(key for key in os.environ if not key.startswith(HEADER_PREFIXES))


def caller_namespace(environ: dict) -> str | None:
    """The namespace a request names (its bearer key or access-token), even before authentication."""
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return environ.get("HTTP_ACCESS_TOKEN") or None


def guard_request(runtime, req):
    """Before every request: an admin call must carry the admin token (when set); an API request may be faulted."""
    if req.path.startswith(ADMIN_PREFIX):
        check_admin_token(runtime.settings.admin_token, req)
        return None
    return inject_fault(runtime, req)


def inject_fault(runtime, req):
    """Delay and/or fail the request if a fault rule fires for it."""
    faults = runtime.faults
    # No rules (the usual case): nothing to match.
    if not faults.active or is_admin_path(req.path):
        return None
    rule = faults.take(req.method, req.path, caller_namespace(req.environ))
    if rule is None:
        return None
    # A delay only holds this request's thread; the others keep being served.
    if rule.delay_ms:
        time.sleep(rule.delay_ms / 1000)
    if rule.status is None:
        return None
    if rule.body is not None:
        return json_response(rule.body, rule.status)
    error = errors_for_path(req.path).error_for_status(rule.status, f"Injected fault (rule {rule.id}).")
    if rule.error_code:
        error.code = rule.error_code
    return json_response(error.body(), rule.status)


def is_admin_path(path: str) -> bool:
    """Whether `path` belongs to the admin API (the index included)."""
    return path.startswith(ADMIN_PREFIX) or path == INDEX_PATH


def record_request(runtime, req, ctx, response) -> None:
    """Add the finished request to the journal (admin calls are not journaled); decoding waits for a reader."""
    path = req.path
    if is_admin_path(path):
        return
    environ = req.environ
    namespace = request_namespace(req, ctx)
    request = {
        "time": runtime.clock.now_float(),
        "method": req.method,
        "path": path,
        "query": environ.get("QUERY_STRING", ""),
        "headers": [(key, environ[key]) for key in environ.keys() - PROCESS_KEYS if key.startswith(HEADER_PREFIXES)],
        "status": response.status_code,
        # A request refused before the app's first hook ran (an unknown API version) has no start time.
        "duration_ms": round((time.perf_counter() - ctx.get("started", time.perf_counter())) * 1000, 3),
        "namespace": namespace_label(namespace) if namespace else None,
        "request_id": ctx.get("request_id"),
    }
    response_body = response.get_data() if not response.direct_passthrough else b""
    runtime.journal.record(new_entry(request, _body_of(req, ctx), response_body))


def request_namespace(req, ctx) -> str | None:
    """The namespace of a finished request: the one a view resolved, else the one the request names."""
    return ctx.get("namespace") or caller_namespace(req.environ)


def _body_of(req, ctx) -> bytes:
    # A body already read is reused; a GET that announces none has none (no read from the server's input).
    cached = ctx.get("raw_body")
    if cached is not None:
        return cached
    environ = req.environ
    if req.method in BODILESS_METHODS and not environ.get("CONTENT_LENGTH") and "HTTP_TRANSFER_ENCODING" not in environ:
        return b""
    try:
        return raw_body()
    except (HTTPException, ClientError):  # a body over the limit, or cut short, was refused and is not kept
        return b""
