"""The Shoplazza blueprint: every route of the API (built when the app asks; nothing at import)."""

from __future__ import annotations

from flask import Blueprint

from ..operations import attach, describe
from ..write_requests import install as install_write_transaction
from . import PREFIX, aftersale_views, errors, fulfillment_views, views, webhook_views
from .aftersale_responses import DOC


def blueprints() -> tuple[Blueprint, ...]:
    """A fresh Shoplazza blueprint: version check, token auth, write transactions; orders, webhooks, fulfillments,
    refunds, post-sales and risks."""
    bp = Blueprint("shoplazza", __name__, url_prefix=PREFIX)
    bp.errors = errors
    describe(bp, DOC)
    bp.url_value_preprocessor(views.check_version)
    bp.before_request(views.authenticate)
    # After authenticate: everything a write request stores is kept together, or none of it.
    install_write_transaction(bp)
    return (attach(bp, views, webhook_views, fulfillment_views, aftersale_views),)
