"""Shoppex Developer API routes under /dev/v1: parse, call the model, render `{"data": ...}`."""

from __future__ import annotations

import functools

from flask import Blueprint, current_app, g, request

from ..http import document_response, json_body, json_response, load
from ..idempotency import install as install_idempotency
from ..write_requests import install as install_write_transaction
from . import errors
from .catalog import COUPONS, PRODUCTS
from .models import ShoppexBackend
from .records import invoice_view, order_view, payment_view, session_view
from .schemas import (
    CompleteOrderSchema,
    CreateCheckoutSessionSchema,
    CreateOrderSchema,
    CreatePaymentSchema,
    ListQuerySchema,
    RefundSchema,
    UpdateOrderSchema,
    VoidInvoiceSchema,
    attribution_from,
)
from .webhooks import ShoppexWebhooks

bp = Blueprint("shoppex", __name__, url_prefix="/dev/v1")
bp.errors = errors
REFUNDED = {"message": "Invoice refunded successfully."}


@bp.before_request
def authenticate() -> None:
    """Bearer auth: any non-empty key, or only the configured ones; the key is the namespace."""
    scheme, _, token = request.environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise errors.Unauthorized("Missing or malformed Authorization header; expected 'Bearer <API key>'.")
    allowed = current_app.extensions["mockserver"].settings.api_keys
    if allowed and token not in allowed:
        raise errors.Unauthorized("Invalid API key.")
    g.namespace = token


# After authenticate, so g.namespace is set when the idempotency hook runs; the write transaction
# spans the idempotency record, so a response and its record are kept together or not at all.
install_write_transaction(bp)
install_idempotency(bp)


def backend() -> ShoppexBackend:
    """The Shoppex backend for the calling key's namespace."""
    runtime = current_app.extensions["mockserver"]
    hooks = ShoppexWebhooks(runtime.store, runtime.clock, runtime.deliveries, g.namespace)
    return ShoppexBackend(runtime.store, runtime.clock, g.namespace, runtime.settings.invoice_ttl, events=hooks.emit)


def data(payload, status: int = 200):
    """The documented single-object envelope."""
    return json_response({"data": payload}, status)


def as_stored(doc: dict) -> dict:
    """The view of catalogue and shop records: the stored document itself."""
    return doc


@functools.cache
def enveloped(view):
    """`view` wrapped in the single-object envelope (one function per view, so it can key the rendered-body memo)."""
    return lambda doc: {"data": view(doc)}


def shown(doc: dict, view=as_stored, status: int = 200):
    """A stored record through `view` in the single-object envelope, serialised once per version of the record."""
    return document_response(current_app.extensions["mockserver"].store, doc, enveloped(view), status)


def page(result: dict, view):
    """The documented list envelope, each record through its view."""
    return json_response({"data": [view(doc) for doc in result["data"]], "pagination": result["pagination"]})


def list_query() -> dict:
    """limit / cursor / status / customerEmail, validated (422 naming the parameter)."""
    return load(ListQuerySchema(), request.args.to_dict())


def body(schema) -> dict:
    """The JSON body, validated by `schema`."""
    return load(schema, json_body())


# -- orders -------------------------------------------------------------------


@bp.get("/orders")
def list_orders():
    """List orders, newest first."""
    q = list_query()
    return page(backend().list_invoices(q["limit"], q["cursor"], q["status"], q["customerEmail"]), order_view)


@bp.post("/orders")
def create_order():
    """Create a PENDING checkout order from catalogue products."""
    return shown(backend().create_order(body(CreateOrderSchema())), order_view, 201)


@bp.get("/orders/<order_id>")
def get_order(order_id: str):
    """Retrieve an order by internal id or public uniqid."""
    return shown(backend().get_order(order_id), order_view)


@bp.route("/orders/<order_id>", methods=["PATCH", "PUT"])
def update_order(order_id: str):
    """Assign (or clear) affiliate attribution on a pending order; PUT is an alias of PATCH."""
    field, value = attribution_from(body(UpdateOrderSchema()))
    return shown(backend().update_order(order_id, field, value), order_view)


@bp.post("/orders/<order_id>/complete")
def complete_order(order_id: str):
    """Complete a pending order through the invoice completion pipeline."""
    body(CompleteOrderSchema())
    return shown(backend().complete_order(order_id), order_view)


@bp.post("/orders/<order_id>/fulfill")
def fulfill_order(order_id: str):
    """Mark an order fulfilled (COMPLETED, "Fulfilled")."""
    body(CompleteOrderSchema())
    return shown(backend().fulfill_order(order_id), order_view)


@bp.post("/orders/<order_id>/refund")
def refund_order(order_id: str):
    """Refund a STRIPE or PAYPAL order, all of it or `amount`."""
    refund = body(RefundSchema())
    backend().refund_order(order_id, refund.get("amount"), refund.get("reason"))
    return data(REFUNDED)


# -- invoices -----------------------------------------------------------------


@bp.get("/invoices")
def list_invoices():
    """List invoices, newest first."""
    q = list_query()
    return page(backend().list_invoices(q["limit"], q["cursor"], q["status"], q["customerEmail"]), invoice_view)


@bp.get("/invoices/<uniqid>")
def get_invoice(uniqid: str):
    """Retrieve an invoice by its public uniqid."""
    return shown(backend().get_invoice(uniqid), invoice_view)


@bp.post("/invoices/<uniqid>/complete")
def complete_invoice(uniqid: str):
    """Complete a pending invoice ("Completed by Dev API")."""
    body(CompleteOrderSchema())
    return shown(backend().complete_invoice(uniqid), invoice_view)


@bp.post("/invoices/<uniqid>/void")
def void_invoice(uniqid: str):
    """Void an invoice that is not completed."""
    void = body(VoidInvoiceSchema())
    return shown(backend().void_invoice(uniqid, void.get("void_details")), invoice_view)


# -- payments and checkout sessions ---------------------------------------------


@bp.get("/payments")
def list_payments():
    """List payments, newest first."""
    q = list_query()
    return page(backend().list_invoices(q["limit"], q["cursor"], q["status"], q["customerEmail"], payments_only=True), payment_view)


@bp.post("/payments")
def create_payment():
    """Create a payment; with `webhook`, the response carries its `webhook_secret` once."""
    payment = body(CreatePaymentSchema())
    doc = backend().create_payment(payment)
    view = payment_view(doc)
    if "webhook_secret" in doc:
        view["webhook_secret"] = doc["webhook_secret"]
    return data(view, 201)


@bp.get("/payments/<uniqid>")
def get_payment(uniqid: str):
    """Retrieve a payment by uniqid."""
    return shown(backend().get_payment(uniqid), payment_view)


@bp.post("/payments/<uniqid>/complete")
def complete_payment(uniqid: str):
    """Complete a pending payment."""
    body(CompleteOrderSchema())
    return shown(backend().complete_payment(uniqid), payment_view)


@bp.post("/checkout/sessions")
def create_checkout_session():
    """The Stripe-style alias of POST /payments."""
    session = body(CreateCheckoutSessionSchema())
    payment = {
        "title": session["product"]["name"],
        "quantity": session["product"]["quantity"],
        "value": session["amount"],
        "email": session["customer_email"],
        **{k: session.get(k) for k in ("currency", "gateway", "customer_id")},
    }
    extra = {k: session[k] for k in ("success_url", "metadata") if session.get(k)}
    if session.get("cancel_url"):
        payment["cancel_url"] = session["cancel_url"]
    b = backend()
    return data(session_view(b.create_payment(payment, **extra), b.ttl), 201)


# -- catalogue and shop ---------------------------------------------------------


@bp.get("/products", strict_slashes=False)
def list_products():
    """List products."""
    q = list_query()
    return page(backend().list_catalog(PRODUCTS, q["limit"], q["cursor"]), dict)


@bp.get("/products/<product_id>")
def get_product(product_id: str):
    """Retrieve a product with its variants and prices."""
    return shown(backend().get_product(product_id))


@bp.get("/coupons", strict_slashes=False)
def list_coupons():
    """List coupons."""
    q = list_query()
    return page(backend().list_catalog(COUPONS, q["limit"], q["cursor"]), dict)


@bp.get("/coupons/code/<code>")
def get_coupon_by_code(code: str):
    """Retrieve a coupon by its code."""
    return shown(backend().get_coupon_by_code(code))


@bp.get("/me")
def get_me():
    """The shop behind the API key."""
    return shown(backend().get_shop())
