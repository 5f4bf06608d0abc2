"""create_app(settings): the composition root, wiring settings, store, clock, the registered APIs, errors and request ids.

The only module that names the API packages: everything API-specific reaches the core
through each package's registration (`API`, a mockserver.apis.Api).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException

from .admin import routes as admin_routes
from .admin.faults import Faults
from .admin.hooks import guard_request, record_request
from .admin.journal import Journal
from .apis import Api
from .clock import Clock
from .config import Settings
from .fixtures import load_fixtures
from .http import ApiError, ClientError, errors_for_path, json_response, new_request_id
from .idempotency import IDEMPOTENCY_KIND
from .kinds import Kinds
from .request_log import install as install_request_log
from .routing import CompiledOnceRule
from .shoplazza.api import API as SHOPLAZZA
from .shoppex.api import API as SHOPPEX
from .store import Store
from .webhooks.delivery import Deliveries, delivery_kind

log = logging.getLogger("mockserver")
# The emulated APIs. Paths outside every API answer in the first one's envelope (Shoppex, the API most clients call first).
APIS = (SHOPPEX, SHOPLAZZA)
# Each API's webhook signer, retry schedule and subscription kind, by API name.
WEBHOOK_POLICIES = {api.name: api.webhooks for api in APIS}
# Every kind of stored record, declared once: the APIs' own, then the core's.
KINDS = Kinds((*(kind for api in APIS for kind in api.kinds), IDEMPOTENCY_KIND, delivery_kind(WEBHOOK_POLICIES)))
# Each API's routes, asked for when an app is created (the admin API's last).
BLUEPRINTS = (*(api.blueprints for api in APIS), admin_routes.blueprints)
DEFAULT_ERRORS = APIS[0].errors
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# (path prefix, header) for every API whose request id header is not x-request-id.
REQUEST_ID_HEADERS = tuple((api.prefix, api.request_id_header) for api in APIS if api.request_id_header)


class MockFlask(Flask):
    """Flask that resolves each hook and view once (none is a coroutine, and the check costs on every call),
    and compiles each rule's URL builder once per process."""

    url_rule_class = CompiledOnceRule

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._synced: dict = {}

    def ensure_sync(self, func):
        """The callable Flask should call for `func` (cached per function)."""
        try:
            return self._synced[func]
        except KeyError:
            self._synced[func] = synced = super().ensure_sync(func)
            return synced


@dataclass
class Runtime:
    """What the views need: settings, the store and the clock; the journal and faults for the admin API."""

    settings: Settings
    store: Store
    clock: Clock
    journal: Journal
    faults: Faults
    deliveries: Deliveries
    apis: tuple[Api, ...]
    kinds: Kinds


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app: one blueprint per emulated API plus the admin API."""
    settings = settings or Settings.from_env()
    app = MockFlask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False

    # State: fixtures seed each namespace of one store; one clock for every timestamp.
    clock = Clock()
    fixtures = load_fixtures(settings.fixtures, KINDS)
    store = Store(fixtures, KINDS.store_keys(), settings.db, now=clock.now, max_namespaces=settings.max_namespaces)
    journal = Journal(settings.journal_size)
    app.extensions["mockserver"] = Runtime(settings, store, clock, journal, Faults(), _deliveries(store, clock, settings), APIS, KINDS)

    for blueprints in BLUEPRINTS:
        for blueprint in blueprints():
            app.register_blueprint(blueprint)
    app.extensions["mockserver.default_errors"] = DEFAULT_ERRORS
    app.before_request(_before_every_request)
    app.after_request(_after_every_request)
    # --verbose: a log line per request (registered only then, so the default path pays nothing).
    if settings.verbose:
        install_request_log(app)
    app.register_error_handler(Exception, _render_error)
    return app


def renew_app(app: Flask) -> None:
    """Put an app back to how create_app left it: no namespaces (a --db file starts empty), real time,
    nothing journalled, faulted or delivered. Cheaper than building it again (no route compiling)."""
    runtime = app.extensions["mockserver"]
    # Deliveries first: attempts in flight finish before the store they write to is emptied.
    runtime.deliveries.close()
    runtime.store.forget_namespaces()
    runtime.clock.reset()
    runtime.journal = Journal(runtime.settings.journal_size)
    runtime.faults = Faults()
    runtime.deliveries = _deliveries(runtime.store, runtime.clock, runtime.settings)


def _deliveries(store: Store, clock: Clock, settings: Settings) -> Deliveries:
    # The Shoplazza app secret signs deliveries; like every secret it never reaches the delivery log.
    return Deliveries.from_settings(store, clock, settings, WEBHOOK_POLICIES, (settings.shoplazza_app_secret,))


def _before_every_request():
    # One hook each side (Flask pays a per-hook cost); the request and g are looked up once.
    req, ctx = request._get_current_object(), g._get_current_object()
    ctx.started = time.perf_counter()
    # Echo a caller's well-formed X-Request-Id so logs line up; otherwise mint one.
    incoming = req.environ.get("HTTP_X_REQUEST_ID")
    ctx.request_id = incoming if incoming and SAFE_REQUEST_ID.match(incoming) else new_request_id()
    return guard_request(current_app.extensions["mockserver"], req)


def _after_every_request(response):
    req, ctx = request._get_current_object(), g._get_current_object()
    request_id = ctx.request_id = ctx.get("request_id") or new_request_id()
    record_request(current_app.extensions["mockserver"], req, ctx, response)
    response.headers["x-request-id"] = request_id
    # An API that names its request id differently (Shoplazza: Request-Id) gets that header too, errors included.
    path = req.path
    for prefix, header in REQUEST_ID_HEADERS:
        if path == prefix or path.startswith(prefix + "/"):
            response.headers[header] = request_id
    return response


def _render_error(exc: Exception):
    """Every error, whoever raised it, in the envelope of the API the path belongs to."""
    errors = errors_for_path(request.path)
    if isinstance(exc, ApiError):
        error = exc
    elif isinstance(exc, ClientError):
        error = errors.error_for_status(exc.status, exc.message, exc.details)
    elif isinstance(exc, HTTPException):
        error = errors.error_for_status(exc.code or 500, _describe(exc))
    else:
        log.exception("unhandled error on %s %s", request.method, request.path)
        error = errors.error_for_status(500, f"Internal error in the mock server ({type(exc).__name__}).")
    response = json_response(error.body(), error.status)
    if isinstance(exc, HTTPException) and exc.code == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def _describe(exc: HTTPException) -> str:
    if exc.code == 404:
        return f"No route for {request.method} {request.path}."
    if exc.code == 405:
        allowed = ", ".join(sorted(exc.valid_methods or []))
        return f"{request.method} is not allowed on {request.path}; allowed: {allowed}."
    if exc.code == 413:
        return "Request body is larger than the server accepts."
    return exc.description or exc.name
