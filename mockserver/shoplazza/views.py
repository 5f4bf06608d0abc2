"""Shoplazza OpenAPI routes under /openapi/{version}: parse, call the model, render the envelope.

Success: `{"code": "Success", "message": ..., "data": {...}}`; errors come from errors.py.
"""

from __future__ import annotations

from flask import current_app, g, request

from ..http import document_response, json_response
from ..operations import operation
from . import VERSIONS, errors
from .auth import check_access, scope_for
from .filters import OrderQuery
from .models import ShoplazzaBackend
from .queries import OrderQuerySchema, TransactionQuerySchema
from .schemas import CancelOrderSchema, CreateOrderSchema, PayOrderSuccessSchema, UpdateOrderSchema
from .shapes import SHAPES, V202506, order_in
from .webhooks import ShoplazzaWebhooks

# Error statuses: 400 validation, 401 token, 403 scope, 404 order/version, 413 body too large, 500 FailedPrecondition.
READ = (401, 403, 404)
QUERY = (400, 401, 403, 404)
WRITE = (400, 401, 403, 404, 413)
RULE = (*WRITE, 500)


def check_version(endpoint, values) -> None:
    """Only the emulated API versions exist; another version is a 404 in the envelope."""
    version = (values or {}).pop("version", None)
    if version not in VERSIONS:
        raise errors.NotFound(f"version: API version {version} is not available; use {' or '.join(VERSIONS)}")
    g.shoplazza_version = version


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


def webhooks_for(runtime, namespace: str) -> ShoplazzaWebhooks:
    """The webhook subscriptions of one namespace, signed with the app secret."""
    settings = runtime.settings
    return ShoplazzaWebhooks(
        runtime.store,
        runtime.clock,
        runtime.deliveries,
        namespace,
        secret=settings.shoplazza_app_secret,
        shop_domain=settings.shoplazza_shop_domain,
    )


def webhooks() -> ShoplazzaWebhooks:
    """The webhook subscriptions of the calling token's namespace."""
    return webhooks_for(current_app.extensions["mockserver"], g.namespace)


def backend_for(runtime, namespace: str, kind: type[ShoplazzaBackend] = ShoplazzaBackend) -> ShoplazzaBackend:
    """The Shoplazza backend (or one of its `kind`s) of one namespace; committed order changes fire its webhooks."""
    return kind(runtime.store, runtime.clock, namespace, events=webhooks_for(runtime, namespace).emit)


def backend(kind: type[ShoplazzaBackend] = ShoplazzaBackend) -> ShoplazzaBackend:
    """The Shoplazza backend (or one of its `kind`s) for the calling token's namespace."""
    return backend_for(current_app.extensions["mockserver"], g.namespace, kind)


def success(data: dict, message: str = "Success"):
    """The success envelope."""
    return json_response({"code": "Success", "message": message, "data": data})


def cursor_page(name: str, page: tuple[list[dict], str, bool], view):
    """A cursor-paged list in the success envelope: `name` (each document through `view`), `cursor`, `has_more`."""
    found, cursor, has_more = page
    return success({name: [view(doc) for doc in found], "cursor": cursor, "has_more": has_more})


def _order_envelope(shape):
    def envelope(doc: dict) -> dict:
        return {"code": "Success", "message": "Success", "data": {"order": shape(doc)}}

    return envelope


# One renderer per API version (stable functions, so each keys the store's memo of serialised orders).
ORDER_ENVELOPES = {version: _order_envelope(shape) for version, shape in SHAPES.items()}


def shown(doc: dict) -> dict:
    """The stored order in the calling API version's shape."""
    return order_in(g.shoplazza_version, doc)


def shown_order(doc: dict, version: str | None = None):
    """One order in the success envelope, in `version`'s shape (else the calling version's), serialised once per stored version of it."""
    return document_response(current_app.extensions["mockserver"].store, doc, ORDER_ENVELOPES[version or g.shoplazza_version])


@operation(
    "GET",
    "/<version>/orders",
    "List orders (filters, sort, cursor)",
    response="ShoplazzaOrderList",
    errors=QUERY,
    query=OrderQuerySchema,
    shape="raw",
)
def list_orders(query: OrderQuery):
    """List orders with filters, sort and cursor paging."""
    return cursor_page("orders", backend().list_orders(query), shown)


@operation("GET", "/<version>/orders/count", "Count orders", response="ShoplazzaCount", errors=QUERY, query=OrderQuerySchema, shape="raw")
def count_orders(query: OrderQuery):
    """Count the orders the same filters select."""
    return success({"count": backend().count_orders(query)})


@operation(
    "POST",
    "/<version>/orders",
    "Create an unpaid order",
    response="ShoplazzaOrderEnvelope",
    errors=WRITE,
    body=CreateOrderSchema,
    shape="raw",
)
def create_order(body: dict):
    """Create an unpaid order."""
    return shown_order(backend().create_order(body["order"]))


@operation("GET", "/<version>/orders/<order_id>", "Get an order", response="ShoplazzaOrderEnvelope", errors=READ, shape="raw")
def get_order(order_id: str):
    """Get one order by id."""
    return shown_order(backend().get_order(order_id))


@operation(
    "GET", "/<version>/orders/number/<number>", "Get an order by number", response="ShoplazzaOrderEnvelope", errors=READ, shape="raw"
)
def get_order_by_number(number: str):
    """Get one order by its number."""
    return shown_order(backend().get_order_by_number(number))


@operation(
    "PUT",
    "/<version>/orders/<order_id>",
    "Update an order",
    response="ShoplazzaOrderEnvelope",
    errors=RULE,
    body=UpdateOrderSchema,
    shape="raw",
)
def update_order(order_id: str, body: dict):
    """Update note, tags, marketing consent, addresses, shipping line or fees."""
    return shown_order(backend().update_order(order_id, body["order"]))


@operation("DELETE", "/<version>/orders/<order_id>", "Delete an order (soft)", response="ShoplazzaEmpty", errors=READ, shape="raw")
def delete_order(order_id: str):
    """Delete an order."""
    backend().delete_order(order_id)
    return success({})


@operation(
    "POST",
    "/<version>/orders/<order_id>/cancel",
    "Cancel an order",
    response="ShoplazzaOrderEnvelope",
    errors=RULE,
    body=CancelOrderSchema,
    shape="raw",
)
def cancel_order(order_id: str, body: dict):
    """Cancel an opened or placed order."""
    # The registry answers cancel with v202506.CancelOrderResponse (a v202506.Order) on every version.
    return shown_order(backend().cancel_order(order_id, body.get("reason")), V202506)


@operation(
    "POST",
    "/<version>/orders/<order_id>/payment/success",
    "Mark an order paid",
    response="ShoplazzaOrderEnvelope",
    errors=RULE,
    body=PayOrderSuccessSchema,
    shape="raw",
)
def pay_order_success(order_id: str, body: dict):
    """Mark an order paid (bogus test gateway, custom gateway, gateway + payment_line, or payment_line)."""
    # The registry answers payment/success with v202506.PayOrderSuccessResponse (a v202506.Order) on every version.
    return shown_order(backend().pay_order_success(order_id, body), V202506)


@operation(
    "GET",
    "/<version>/orders/<order_id>/transactions",
    "List an order's transactions",
    response="ShoplazzaTransactions",
    errors=QUERY,
    query=TransactionQuerySchema,
    shape="raw",
)
def list_transactions(order_id: str, query: dict):
    """List an order's transactions, optionally by status or payment_channel."""
    found = backend().list_transactions(order_id, query.get("status"), query.get("payment_channel"))
    return success({"transactions": found})
