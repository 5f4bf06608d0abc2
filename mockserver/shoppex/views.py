"""Shoppex Developer API routes under /dev/v1: parse, call the model, render `{"data": ...}`."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request

from ..http import json_body, json_response, load
from . import errors
from .models import ShoppexBackend, invoice_view, order_view
from .schemas import CompleteOrderSchema, UpdateOrderSchema, attribution_from

bp = Blueprint("shoppex", __name__, url_prefix="/dev/v1")
bp.errors = errors


@bp.before_request
def authenticate() -> None:
    """Bearer auth: any non-empty key, or only the configured ones; the key is the namespace."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise errors.Unauthorized("Missing or malformed Authorization header; expected 'Bearer <API key>'.")
    allowed = current_app.extensions["mockserver"].settings.api_keys
    if allowed and token not in allowed:
        raise errors.Unauthorized("Invalid API key.")
    g.namespace = token


def backend() -> ShoppexBackend:
    """The Shoppex backend for the calling key's namespace."""
    runtime = current_app.extensions["mockserver"]
    return ShoppexBackend(runtime.store, runtime.clock, g.namespace)


def data(payload, status: int = 200):
    """The documented single-object envelope."""
    return json_response({"data": payload}, status)


@bp.get("/orders/<order_id>")
def get_order(order_id: str):
    """Retrieve an order by internal id or public uniqid."""
    return data(order_view(backend().get_order(order_id)))


@bp.route("/orders/<order_id>", methods=["PATCH", "PUT"])
def update_order(order_id: str):
    """Assign (or clear) affiliate attribution on a pending order; PUT is an alias of PATCH."""
    body = load(UpdateOrderSchema(), json_body())
    field, value = attribution_from(body)
    return data(order_view(backend().update_order(order_id, field, value)))


@bp.post("/orders/<order_id>/complete")
def complete_order(order_id: str):
    """Complete a pending order through the invoice completion pipeline."""
    body = load(CompleteOrderSchema(), json_body())
    return data(order_view(backend().complete_order(order_id, body.get("note"), body.get("suppress_emails"))))


@bp.get("/invoices/<uniqid>")
def get_invoice(uniqid: str):
    """Retrieve an invoice by its public uniqid."""
    return data(invoice_view(backend().get_invoice(uniqid)))
