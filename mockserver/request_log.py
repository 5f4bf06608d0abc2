"""The --verbose request log: one stderr line per request, and INFO lines of every `mockserver.*` logger.

Installed only when verbose, so the default request path pays nothing for it.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, g, request

from .admin.hooks import request_namespace
from .labels import namespace_label

log = logging.getLogger("mockserver.requests")
ROOT_LOGGER = "mockserver"
LOG_FORMAT = "%(asctime)s %(name)s %(message)s"
# A request without a key or token (admin calls, a missing Authorization) shows this instead of a label.
NO_NAMESPACE = "-"


def install(app: Flask) -> None:
    """Log every request of `app` and send `mockserver.*` INFO lines to stderr."""
    configure_logging()
    app.after_request(log_request)


def configure_logging() -> None:
    """`mockserver` and the loggers under it print INFO and above to stderr (once per process)."""
    logger = logging.getLogger(ROOT_LOGGER)
    if not any(getattr(handler, "mockserver_verbose", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.mockserver_verbose = True
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def log_request(response):
    """One line: method, path (never the query string), status, milliseconds, namespace label."""
    req, ctx = request._get_current_object(), g._get_current_object()
    # The namespace the journal records for this request.
    namespace = request_namespace(req, ctx)
    label = namespace_label(namespace) if namespace else NO_NAMESPACE
    started = ctx.get("started")
    elapsed = f"{(time.perf_counter() - started) * 1000:.1f} ms" if started is not None else "- ms"
    log.info("%s %s %d %s %s", req.method, req.path, response.status_code, elapsed, label)
    return response
