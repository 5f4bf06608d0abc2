"""The Shoplazza blueprints: every route of the API, and its simulation route (built when the app asks; nothing at import)."""

from __future__ import annotations

from flask import Blueprint

from ..admin import errors as admin_errors
from ..operations import attach, describe
from ..write_requests import install as install_write_transaction
from . import PREFIX, aftersale_views, errors, fulfillment_views, simulate, views, webhook_views
from .aftersale_responses import DOC


def blueprints() -> tuple[Blueprint, ...]:
    """Fresh Shoplazza blueprints: the API (version check, token auth, write transactions, orders, webhooks, fulfillments,
    refunds, post-sales, risks) and its simulation route."""
    bp = Blueprint("shoplazza", __name__, url_prefix=PREFIX)
    bp.errors = errors
    describe(bp, DOC)
    bp.url_value_preprocessor(views.check_version)
    bp.before_request(views.authenticate)
    # After authenticate: everything a write request stores is kept together, or none of it.
    install_write_transaction(bp)
    return (attach(bp, views, webhook_views, fulfillment_views, aftersale_views), simulation())


def simulation() -> Blueprint:
    """A fresh blueprint for POST /__admin/shoplazza/orders/{order_id}/simulate: the admin path, token and error body."""
    bp = Blueprint("shoplazza_admin", __name__, url_prefix=simulate.PREFIX)
    bp.errors = admin_errors
    describe(bp, simulate.DOC)
    install_write_transaction(bp)
    return attach(bp, simulate)
