"""The Shoppex blueprint with every route of the API, built when the app asks for it (nothing registers at import)."""

from __future__ import annotations

from flask import Blueprint

from ..idempotency import install as install_idempotency
from ..operations import attach, describe
from ..write_requests import install as install_write_transaction
from . import PREFIX, catalog_views, errors, views, webhook_views
from .responses import DOC


def blueprints() -> tuple[Blueprint, ...]:
    """A fresh Shoppex blueprint: bearer auth, write transactions, idempotency, and the operations of views and webhook_views."""
    bp = Blueprint("shoppex", __name__, url_prefix=PREFIX)
    bp.errors = errors
    describe(bp, DOC)
    bp.before_request(views.authenticate)
    # After authenticate, so g.namespace is set when the idempotency hook runs; the write transaction
    # spans the idempotency record, so a response and its record are kept together or not at all.
    install_write_transaction(bp)
    install_idempotency(bp)
    return (attach(bp, views, webhook_views, catalog_views),)
