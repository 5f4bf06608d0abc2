"""Shoplazza OpenAPI routes under /openapi/{version}: parse, call the model, render the envelope.

Success: `{"code": "Success", "message": ..., "data": {...}}`; errors come from errors.py.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, request

from ..http import document_response, json_body, json_response, load
from ..write_requests import install as install_write_transaction
from . import errors
from .auth import check_access, scope_for
from .filters import parse_order_query
from .models import ShoplazzaBackend
from .schemas import CancelOrderSchema, CreateOrderSchema, PayOrderSuccessSchema, UpdateOrderSchema
from .webhooks import ShoplazzaWebhooks

VERSIONS = ("2025-06", "2026-01")
PREFIX = "/openapi"

bp = Blueprint("shoplazza", __name__, url_prefix=PREFIX)
bp.errors = errors


@bp.url_value_preprocessor
def check_version(endpoint, values) -> None:
    """Only the emulated API versions exist; another version is a 404 in the envelope."""
    version = (values or {}).pop("version", None)
    if version not in VERSIONS:
        raise errors.NotFound(f"version: API version {version} is not available; use {' or '.join(VERSIONS)}")
    g.shoplazza_version = version


@bp.before_request
def authenticate() -> None:
    """access-token auth: any non-empty token, or only the declared ones with their scopes; the token is the namespace."""
    raw = request.headers.get("access-token")
    if raw is None:
        raise errors.Unauthorized("access-token: header is missing")
    token = raw.strip()
    # HTTP header values are ASCII. granian hands the app a value that is not as "" and the
    # werkzeug server as latin-1 text: either way the token cannot be one the caller meant.
    if not token or not (token.isascii() and token.isprintable()):
        raise errors.Unauthorized("access-token: must be a non-empty token of printable ASCII characters")
    needed = scope_for(request.method)
    refusal = check_access(current_app.extensions["mockserver"].settings.shoplazza_tokens, token, needed)
    if refusal == "unknown":
        raise errors.Unauthorized("access-token: token is not valid for this store")
    if refusal == "scope":
        raise errors.Forbidden(f"access-token: token lacks the {needed} scope this call requires")
    g.namespace = token


# After authenticate: everything a write request stores is kept together, or none of it.
install_write_transaction(bp)


def webhooks() -> ShoplazzaWebhooks:
    """The webhook subscriptions of the calling token's namespace, signed with the app secret."""
    runtime = current_app.extensions["mockserver"]
    settings = runtime.settings
    return ShoplazzaWebhooks(
        runtime.store,
        runtime.clock,
        runtime.deliveries,
        g.namespace,
        secret=settings.shoplazza_app_secret,
        shop_domain=settings.shoplazza_shop_domain,
    )


def backend() -> ShoplazzaBackend:
    """The Shoplazza backend for the calling token's namespace; committed order changes fire webhooks."""
    runtime = current_app.extensions["mockserver"]
    return ShoplazzaBackend(runtime.store, runtime.clock, g.namespace, events=webhooks().emit)


def success(data: dict, message: str = "Success"):
    """The success envelope."""
    return json_response({"code": "Success", "message": message, "data": data})


def order_envelope(doc: dict) -> dict:
    """One order in the success envelope."""
    return {"code": "Success", "message": "Success", "data": {"order": doc}}


def shown_order(doc: dict):
    """One order in the success envelope, serialised once per stored version of it."""
    return document_response(current_app.extensions["mockserver"].store, doc, order_envelope)


@bp.get("/<version>/orders")
def list_orders():
    """List orders with filters, sort and cursor paging."""
    orders, cursor, has_more = backend().list_orders(parse_order_query(request.args))
    return success({"orders": orders, "cursor": cursor, "has_more": has_more})


@bp.get("/<version>/orders/count")
def count_orders():
    """Count the orders the same filters select."""
    return success({"count": backend().count_orders(parse_order_query(request.args))})


@bp.post("/<version>/orders")
def create_order():
    """Create an unpaid order."""
    body = load(CreateOrderSchema(), json_body())
    return shown_order(backend().create_order(body["order"]))


@bp.get("/<version>/orders/<order_id>")
def get_order(order_id: str):
    """Get one order by id."""
    return shown_order(backend().get_order(order_id))


@bp.get("/<version>/orders/number/<number>")
def get_order_by_number(number: str):
    """Get one order by its number."""
    return shown_order(backend().get_order_by_number(number))


@bp.put("/<version>/orders/<order_id>")
def update_order(order_id: str):
    """Update note, tags, marketing consent, addresses, shipping line or fees."""
    body = load(UpdateOrderSchema(), json_body())
    return shown_order(backend().update_order(order_id, body["order"]))


@bp.delete("/<version>/orders/<order_id>")
def delete_order(order_id: str):
    """Delete an order."""
    backend().delete_order(order_id)
    return success({})


@bp.post("/<version>/orders/<order_id>/cancel")
def cancel_order(order_id: str):
    """Cancel an opened or placed order."""
    body = load(CancelOrderSchema(), json_body())
    return shown_order(backend().cancel_order(order_id, body.get("reason")))


@bp.post("/<version>/orders/<order_id>/payment/success")
def pay_order_success(order_id: str):
    """Mark an order paid (bogus test gateway, custom gateway, gateway + payment_line, or payment_line)."""
    body = load(PayOrderSuccessSchema(), json_body())
    return shown_order(backend().pay_order_success(order_id, body))


@bp.get("/<version>/orders/<order_id>/transactions")
def list_transactions(order_id: str):
    """List an order's transactions, optionally by status or payment_channel."""
    args = request.args
    found = backend().list_transactions(order_id, args.get("status") or None, args.get("payment_channel") or None)
    return success({"transactions": found})
