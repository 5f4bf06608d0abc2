"""One store transaction per write request: everything a POST, PUT, PATCH or DELETE writes is kept, or none of it.

The transaction opens after authentication, once the body is read, and commits after the response
is built (its Idempotency-Key record included); a response of 500 or more undoes it instead. If the commit
cannot be persisted (disk full), the response becomes the API's own error (507 or 503) and
nothing the request did remains, so a retry acts exactly once.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request

from .http import errors_for_path, json_response, raw_body
from .store import StoreRefusal

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def install(blueprint: Blueprint) -> None:
    """Register the hooks on `blueprint`; call after its authentication hook and before the idempotency hooks."""
    blueprint.before_request(_begin)
    blueprint.after_request(_finish)
    blueprint.teardown_request(_abandon)


def _begin() -> None:
    if request.method in WRITE_METHODS:
        # The body is read first: a client that sends it slowly must not hold the store while it does.
        raw_body()
        current_app.extensions["mockserver"].store.begin()
        g.store_transaction = True


def _finish(response: Response) -> Response:
    # Keep what the request wrote unless it failed; a commit that cannot be persisted becomes the error answered.
    if not g.pop("store_transaction", False):
        return response
    try:
        current_app.extensions["mockserver"].store.finish(commit=response.status_code < 500)
    except StoreRefusal as refusal:
        error = errors_for_path(request.path).error_for_status(refusal.status, refusal.message)
        return json_response(error.body(), error.status)
    return response


def _abandon(_exc: BaseException | None) -> None:
    # The response was never finished (an error escaped every handler): undo the request's writes.
    if g.pop("store_transaction", False):
        current_app.extensions["mockserver"].store.finish(commit=False)
