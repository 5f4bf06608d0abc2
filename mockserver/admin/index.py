"""The index (GET /__admin, GET /) and the admin token every other /__admin call needs when one is set."""

from __future__ import annotations

import hmac

from flask import current_app, request

from .. import __version__
from ..http import json_response
from ..openapi import app_routes
from ..operations import operation
from . import PREFIX, errors
from .views import AD, runtime

ADMIN_PREFIX = PREFIX
TOKEN_HEADER = "X-Mockserver-Admin-Token"
TOKEN_ENVIRON_KEY = "HTTP_X_MOCKSERVER_ADMIN_TOKEN"
# Open whatever the token: the Docker HEALTHCHECK, and a document that describes the code, not the state.
OPEN_PATHS = frozenset({f"{ADMIN_PREFIX}/health", f"{ADMIN_PREFIX}/openapi.json"})
OPENAPI_PATH = f"{ADMIN_PREFIX}/openapi.json"


def token_matches(environ: dict, token: str) -> bool:
    """Whether the request carries `token` in X-Mockserver-Admin-Token (compared in constant time)."""
    # WSGI hands header bytes over as latin-1; anything past it cannot match and is replaced.
    given = environ.get(TOKEN_ENVIRON_KEY, "").encode("latin-1", "replace")
    return hmac.compare_digest(given, token.encode("utf-8"))


def check_admin_token(token: str | None, req) -> None:
    """A 401 for an /__admin call without the admin token, when the server has one."""
    if token is None or req.path in OPEN_PATHS or token_matches(req.environ, token):
        return
    problem = "is missing" if TOKEN_ENVIRON_KEY not in req.environ else "does not match the server's admin token"
    message = f"{TOKEN_HEADER}: the header {problem}; this server requires it on every {ADMIN_PREFIX} call."
    raise errors.AdminError(401, message, [{"field": TOKEN_HEADER, "message": f"The header {problem}."}])


def admin_routes() -> list[dict]:
    """Every /__admin route of the app, from its URL map: method and path (parameters as {name})."""
    routes = []
    for method, rule in app_routes(current_app):
        if rule == ADMIN_PREFIX or rule.startswith(ADMIN_PREFIX + "/"):
            routes.append({"method": method, "path": rule.replace("<", "{").replace(">", "}")})
    return sorted(routes, key=lambda route: (route["path"], route["method"]))


def index() -> dict:
    """What the server emulates, where, and how to drive it; the admin routes only to a caller with the token."""
    rt = runtime()
    token = rt.settings.admin_token
    admin = {"base_path": ADMIN_PREFIX, "token_required": token is not None, "token_header": TOKEN_HEADER}
    if token is None or token_matches(request.environ, token):
        admin["routes"] = admin_routes()
    return {
        "name": "mockserver",
        "version": __version__,
        "apis": [api.index_entry() for api in rt.apis],
        "openapi": OPENAPI_PATH,
        "admin": admin,
    }


@operation(
    "GET",
    "",
    "Index: the emulated APIs, the admin routes, this document's URL, the version",
    response="AdminIndex",
    errors=AD,
    shape="raw",
)
def admin_index():
    """The index: emulated APIs, admin routes, the OpenAPI document, the version."""
    return json_response(index())


def root_index():
    """GET /: the same index, for a browser or curl (open; without the token it leaves out the admin routes)."""
    return json_response(index())
