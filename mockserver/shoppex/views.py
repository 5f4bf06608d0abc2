"""Shoppex Developer API routes under /dev/v1: parse, call the model, render `{"data": ...}`."""

from __future__ import annotations

import functools

from flask import current_app, g, request

from ..http import document_response, json_response
from ..operations import operation
from . import errors
from .models import ShoppexBackend
from .records import (
    created_order_view,
    invoice_view,
    listed_invoice_view,
    listed_order_view,
    order_view,
    payment_view,
    session_view,
    shop_view,
)
from .schemas import (
    CompleteOrderSchema,
    CreateCheckoutSessionSchema,
    CreateOrderSchema,
    CreatePaymentSchema,
    RecordListQuery,
    RefundSchema,
    UpdateInvoiceSchema,
    UpdateOrderSchema,
    VoidInvoiceSchema,
    attribution_from,
)
from .webhooks import ShoppexWebhooks

REFUNDED = {"message": "Invoice refunded successfully."}
# Error statuses: 400 unparseable body, 401 auth, 404 no such record, 413 body too large,
# 422 validation or lifecycle refusal (for a POST without a body: a bad or reused Idempotency-Key).
ONE = (401, 404)
LIST = (401, 422)
WRITE = (400, 401, 404, 413, 422)
CREATE = (400, 401, 413, 422)
ACTION = (401, 404, 422)


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


def backend_for(runtime, namespace: str) -> ShoppexBackend:
    """The Shoppex backend of one namespace, its events delivered to the namespace's webhooks."""
    hooks = ShoppexWebhooks(runtime.store, runtime.clock, runtime.deliveries, namespace)
    return ShoppexBackend(runtime.store, runtime.clock, namespace, runtime.settings.invoice_ttl, events=hooks.emit)


def backend() -> ShoppexBackend:
    """The Shoppex backend for the calling key's namespace."""
    return backend_for(current_app.extensions["mockserver"], g.namespace)


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


# -- orders -------------------------------------------------------------------


@operation("GET", "/orders", "List orders, newest first", response="ShoppexOrder", errors=LIST, query=RecordListQuery, shape="page")
def list_orders(query: dict):
    """List orders, newest first."""
    return page(backend().list_invoices(query["limit"], query["cursor"], query["status"], query["customerEmail"]), listed_order_view)


@operation(
    "POST",
    "/orders",
    "Create a PENDING order from catalogue products",
    response="ShoppexOrder",
    errors=(*CREATE, 404),
    body=CreateOrderSchema,
    status=201,
)
def create_order(body: dict):
    """Create a PENDING checkout order from catalogue products."""
    return shown(backend().create_order(body), created_order_view, 201)


@operation("GET", "/orders/<id>", "Retrieve an order by id or uniqid", response="ShoppexOrder", errors=ONE)
def get_order(id: str):
    """Retrieve an order by internal id or public uniqid."""
    return shown(backend().get_order(id), order_view)


@operation(
    "PATCH",
    "/orders/<id>",
    "Affiliate attribution on a pending order",
    response="ShoppexOrder",
    errors=WRITE,
    body=UpdateOrderSchema,
)
@operation("PUT", "/orders/<id>", "Alias of PATCH", response="ShoppexOrder", errors=WRITE, body=UpdateOrderSchema)
def update_order(id: str, body: dict):
    """Assign (or clear) affiliate attribution on a pending order; PUT is an alias of PATCH."""
    field, value = attribution_from(body)
    return shown(backend().update_order(id, field, value), order_view)


@operation("POST", "/orders/<id>/complete", "Complete a pending order", response="ShoppexOrder", errors=WRITE, body=CompleteOrderSchema)
def complete_order(id: str, body: dict):
    """Complete a pending order through the invoice completion pipeline."""
    return shown(backend().complete_order(id), order_view)


@operation("POST", "/orders/<id>/fulfill", "Mark an order fulfilled", response="ShoppexOrder", errors=WRITE, body=CompleteOrderSchema)
def fulfill_order(id: str, body: dict):
    """Mark an order fulfilled (COMPLETED, "Fulfilled")."""
    return shown(backend().fulfill_order(id), order_view)


@operation("POST", "/orders/<id>/refund", "Refund a STRIPE or PAYPAL order", response="ShoppexMessage", errors=WRITE, body=RefundSchema)
def refund_order(id: str, body: dict):
    """Refund a STRIPE or PAYPAL order, all of it or `amount`."""
    backend().refund_order(id, body.get("amount"), body.get("reason"))
    return data(REFUNDED)


# -- invoices -----------------------------------------------------------------


@operation("GET", "/invoices", "List invoices, newest first", response="ShoppexInvoice", errors=LIST, query=RecordListQuery, shape="page")
def list_invoices(query: dict):
    """List invoices, newest first."""
    return page(backend().list_invoices(query["limit"], query["cursor"], query["status"], query["customerEmail"]), listed_invoice_view)


@operation("GET", "/invoices/<uniqid>", "Retrieve an invoice by uniqid", response="ShoppexInvoice", errors=ONE)
def get_invoice(uniqid: str):
    """Retrieve an invoice by its public uniqid."""
    return shown(backend().get_invoice(uniqid), invoice_view)


@operation(
    "POST",
    "/invoices/<uniqid>/complete",
    "Complete a pending invoice",
    response="ShoppexInvoice",
    errors=WRITE,
    body=CompleteOrderSchema,
)
def complete_invoice(uniqid: str, body: dict):
    """Complete a pending invoice ("Completed by Dev API")."""
    return shown(backend().complete_invoice(uniqid), invoice_view)


@operation(
    "POST",
    "/invoices/<uniqid>/void",
    "Void an invoice that is not completed",
    response="ShoppexInvoice",
    errors=WRITE,
    body=VoidInvoiceSchema,
)
def void_invoice(uniqid: str, body: dict):
    """Void an invoice that is not completed."""
    return shown(backend().void_invoice(uniqid, body.get("void_details")), invoice_view)


@operation(
    "PATCH",
    "/invoices/<uniqid>",
    "Change a pending invoice's checkout details (gateway, buyer name and address)",
    response="ShoppexInvoice",
    errors=WRITE,
    body=UpdateInvoiceSchema,
)
def update_invoice(uniqid: str, body: dict):
    """Change a pending invoice's gateway, APM method, buyer name or address."""
    return shown(backend().update_invoice(uniqid, body), invoice_view)


# -- payments and checkout sessions ---------------------------------------------


@operation("GET", "/payments", "List payments, newest first", response="ShoppexPayment", errors=LIST, query=RecordListQuery, shape="page")
def list_payments(query: dict):
    """List payments, newest first."""
    return page(
        backend().list_invoices(query["limit"], query["cursor"], query["status"], query["customerEmail"], payments_only=True), payment_view
    )


@operation("POST", "/payments", "Create a payment", response="ShoppexPayment", errors=CREATE, body=CreatePaymentSchema, status=201)
def create_payment(body: dict):
    """Create a payment; with `webhook`, the response carries its `webhook_secret` once."""
    doc = backend().create_payment(body)
    view = payment_view(doc)
    if "webhook_secret" in doc:
        view["webhook_secret"] = doc["webhook_secret"]
    return data(view, 201)


@operation("GET", "/payments/<uniqid>", "Retrieve a payment", response="ShoppexPayment", errors=ONE)
def get_payment(uniqid: str):
    """Retrieve a payment by uniqid."""
    return shown(backend().get_payment(uniqid), payment_view)


@operation(
    "POST",
    "/payments/<uniqid>/complete",
    "Complete a pending payment",
    response="ShoppexPayment",
    errors=WRITE,
    body=CompleteOrderSchema,
)
def complete_payment(uniqid: str, body: dict):
    """Complete a pending payment."""
    return shown(backend().complete_payment(uniqid), payment_view)


@operation(
    "POST",
    "/checkout/sessions",
    "Create a checkout session (alias of POST /payments)",
    response="ShoppexCheckoutSession",
    errors=CREATE,
    body=CreateCheckoutSessionSchema,
    status=201,
)
def create_checkout_session(body: dict):
    """The Stripe-style alias of POST /payments."""
    payment = {
        "title": body["product"]["name"],
        "quantity": body["product"]["quantity"],
        "value": body["amount"],
        "email": body["customer_email"],
        **{k: body.get(k) for k in ("currency", "gateway", "customer_id")},
    }
    extra = {k: body[k] for k in ("success_url", "metadata") if body.get(k)}
    if body.get("cancel_url"):
        payment["cancel_url"] = body["cancel_url"]
    b = backend()
    return data(session_view(b.create_payment(payment, **extra), b.ttl), 201)


# -- catalogue and shop ---------------------------------------------------------


@operation("GET", "/me", "The shop behind the API key", response="ShoppexShop", errors=(401,))
def get_me():
    """The shop behind the API key."""
    return shown(backend().get_shop(), shop_view)


@operation("GET", "/me/capabilities", "What the API key may do", response="ShoppexCapabilities", errors=(401,))
def get_capabilities():
    """The calling key's shop and scopes (every key is a full-access key here)."""
    return data({"shop_id": backend().get_shop()["id"], "auth_type": "api_key", "scopes": ["*"]})
