# ruff: noqa: E501 -- the operation table keeps one operation per line.
"""The operations of the OpenAPI document: one row per route (path, method, summary, schemas, statuses).

Request schemas are the ones the views validate with; response schemas are named
components of responses.py. `document.py` turns the table into the document.
"""

from __future__ import annotations

from typing import NamedTuple

from marshmallow import Schema

from ..admin import schemas as ad
from ..shoplazza import schemas as lz
from ..shoppex import schemas as sx
from . import queries

SHOPPEX, SHOPLAZZA, ADMIN = "Shoppex", "Shoplazza", "Admin"


class Op(NamedTuple):
    """One operation: `response` is a component name wrapped by `shape` ("data", "page" or "raw"; "empty": no body)."""

    api: str
    method: str
    path: str
    summary: str
    response: str
    errors: tuple[int, ...]
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    status: int = 200
    shape: str = "data"


DX = "/dev/v1"
LZ = "/openapi/{version}"
# Error statuses. Shoppex: 400 unparseable body, 401 auth, 404 no such record,
# 413 body too large, 422 validation or lifecycle refusal. Shoplazza: 400 validation,
# 401 token, 403 scope, 404 order/version, 413 body too large, 500 FailedPrecondition.
SX_ONE = (401, 404)
SX_LIST = (401, 422)
SX_WRITE = (400, 401, 404, 413, 422)
SX_CREATE = (400, 401, 413, 422)
LZ_READ = (401, 403, 404)
LZ_QUERY = (400, 401, 403, 404)
LZ_WRITE = (400, 401, 403, 404, 413)
LZ_RULE = (*LZ_WRITE, 500)
# Admin: 401 only when the server has an admin token; 404 a namespace nobody has used.
AD = (401,)
AD_NS = (401, 404)
AD_BODY = (400, 401, 413, 422)
# A Shoppex POST without a body: 422 is a bad or reused Idempotency-Key.
SX_ACTION = (401, 404, 422)

OPERATIONS: tuple[Op, ...] = (
    Op(SHOPPEX, "get", f"{DX}/orders", "List orders, newest first", "ShoppexOrder", SX_LIST, query=sx.ListQuerySchema, shape="page"),
    Op(SHOPPEX, "post", f"{DX}/orders", "Create a PENDING order from catalogue products", "ShoppexOrder", (*SX_CREATE, 404), sx.CreateOrderSchema, status=201),
    Op(SHOPPEX, "get", f"{DX}/orders/{{id}}", "Retrieve an order by id or uniqid", "ShoppexOrder", SX_ONE),
    Op(SHOPPEX, "patch", f"{DX}/orders/{{id}}", "Affiliate attribution on a pending order", "ShoppexOrder", SX_WRITE, sx.UpdateOrderSchema),
    Op(SHOPPEX, "put", f"{DX}/orders/{{id}}", "Alias of PATCH", "ShoppexOrder", SX_WRITE, sx.UpdateOrderSchema),
    Op(SHOPPEX, "post", f"{DX}/orders/{{id}}/complete", "Complete a pending order", "ShoppexOrder", SX_WRITE, sx.CompleteOrderSchema),
    Op(SHOPPEX, "post", f"{DX}/orders/{{id}}/fulfill", "Mark an order fulfilled", "ShoppexOrder", SX_WRITE, sx.CompleteOrderSchema),
    Op(SHOPPEX, "post", f"{DX}/orders/{{id}}/refund", "Refund a STRIPE or PAYPAL order", "ShoppexMessage", SX_WRITE, sx.RefundSchema),
    Op(SHOPPEX, "get", f"{DX}/invoices", "List invoices, newest first", "ShoppexInvoice", SX_LIST, query=sx.ListQuerySchema, shape="page"),
    Op(SHOPPEX, "get", f"{DX}/invoices/{{uniqid}}", "Retrieve an invoice by uniqid", "ShoppexInvoice", SX_ONE),
    Op(SHOPPEX, "post", f"{DX}/invoices/{{uniqid}}/complete", "Complete a pending invoice", "ShoppexInvoice", SX_WRITE, sx.CompleteOrderSchema),
    Op(SHOPPEX, "post", f"{DX}/invoices/{{uniqid}}/void", "Void an invoice that is not completed", "ShoppexInvoice", SX_WRITE, sx.VoidInvoiceSchema),
    Op(SHOPPEX, "get", f"{DX}/payments", "List payments, newest first", "ShoppexPayment", SX_LIST, query=sx.ListQuerySchema, shape="page"),
    Op(SHOPPEX, "post", f"{DX}/payments", "Create a payment", "ShoppexPayment", SX_CREATE, sx.CreatePaymentSchema, status=201),
    Op(SHOPPEX, "get", f"{DX}/payments/{{uniqid}}", "Retrieve a payment", "ShoppexPayment", SX_ONE),
    Op(SHOPPEX, "post", f"{DX}/payments/{{uniqid}}/complete", "Complete a pending payment", "ShoppexPayment", SX_WRITE, sx.CompleteOrderSchema),
    Op(SHOPPEX, "post", f"{DX}/checkout/sessions", "Create a checkout session (alias of POST /payments)", "ShoppexCheckoutSession", SX_CREATE, sx.CreateCheckoutSessionSchema, status=201),
    Op(SHOPPEX, "get", f"{DX}/products", "List products", "ShoppexProduct", SX_LIST, query=sx.ListQuerySchema, shape="page"),
    Op(SHOPPEX, "get", f"{DX}/products/{{id}}", "Retrieve a product", "ShoppexProduct", SX_ONE),
    Op(SHOPPEX, "get", f"{DX}/coupons", "List coupons", "ShoppexCoupon", SX_LIST, query=sx.ListQuerySchema, shape="page"),
    Op(SHOPPEX, "get", f"{DX}/coupons/code/{{code}}", "Retrieve a coupon by code", "ShoppexCoupon", SX_ONE),
    Op(SHOPPEX, "get", f"{DX}/me", "The shop behind the API key", "ShoppexShop", (401,)),
    Op(SHOPPEX, "get", f"{DX}/webhooks", "List webhook subscriptions, newest first", "ShoppexWebhook", SX_LIST, query=sx.ListQuerySchema, shape="page"),
    Op(SHOPPEX, "post", f"{DX}/webhooks", "Subscribe a URL to 1-12 events; answers the new id", "ShoppexWebhookId", SX_CREATE, sx.CreateWebhookSchema, status=201),
    Op(SHOPPEX, "get", f"{DX}/webhooks/events", "The events a webhook can subscribe to", "ShoppexWebhookEvents", (401,)),
    Op(SHOPPEX, "get", f"{DX}/webhooks/logs", "Delivery logs, newest first, page-paginated", "ShoppexWebhookLogs", SX_LIST, query=sx.LogsQuerySchema, shape="raw"),
    Op(SHOPPEX, "post", f"{DX}/webhooks/logs/{{log_id}}/retry", "Send a logged delivery again", "ShoppexWebhookQueued", SX_ACTION),
    Op(SHOPPEX, "get", f"{DX}/webhooks/{{webhook_id}}", "Retrieve a webhook subscription", "ShoppexWebhook", SX_ONE),
    Op(SHOPPEX, "patch", f"{DX}/webhooks/{{webhook_id}}", "Change url, events, type or enabled", "ShoppexWebhook", SX_WRITE, sx.UpdateWebhookSchema),
    Op(SHOPPEX, "delete", f"{DX}/webhooks/{{webhook_id}}", "Unsubscribe", "", SX_ONE, status=204, shape="empty"),
    Op(SHOPPEX, "post", f"{DX}/webhooks/{{webhook_id}}/test", "Send one test delivery of the first event", "ShoppexWebhookQueued", SX_ACTION),
    Op(SHOPPEX, "post", f"{DX}/webhooks/{{webhook_id}}/rotate-secret", "Replace the signing secret", "ShoppexWebhookSecret", SX_ACTION),
    Op(SHOPLAZZA, "get", f"{LZ}/orders", "List orders (filters, sort, cursor)", "ShoplazzaOrderList", LZ_QUERY, query=queries.ShoplazzaOrderQuery, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/orders/count", "Count orders", "ShoplazzaCount", LZ_QUERY, query=queries.ShoplazzaOrderQuery, shape="raw"),
    Op(SHOPLAZZA, "post", f"{LZ}/orders", "Create an unpaid order", "ShoplazzaOrderEnvelope", LZ_WRITE, lz.CreateOrderSchema, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/orders/{{order_id}}", "Get an order", "ShoplazzaOrderEnvelope", LZ_READ, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/orders/number/{{number}}", "Get an order by number", "ShoplazzaOrderEnvelope", LZ_READ, shape="raw"),
    Op(SHOPLAZZA, "put", f"{LZ}/orders/{{order_id}}", "Update an order", "ShoplazzaOrderEnvelope", LZ_RULE, lz.UpdateOrderSchema, shape="raw"),
    Op(SHOPLAZZA, "delete", f"{LZ}/orders/{{order_id}}", "Delete an order (soft)", "ShoplazzaEmpty", LZ_READ, shape="raw"),
    Op(SHOPLAZZA, "post", f"{LZ}/orders/{{order_id}}/cancel", "Cancel an order", "ShoplazzaOrderEnvelope", LZ_RULE, lz.CancelOrderSchema, shape="raw"),
    Op(SHOPLAZZA, "post", f"{LZ}/orders/{{order_id}}/payment/success", "Mark an order paid", "ShoplazzaOrderEnvelope", LZ_RULE, lz.PayOrderSuccessSchema, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/orders/{{order_id}}/transactions", "List an order's transactions", "ShoplazzaTransactions", LZ_QUERY, query=queries.ShoplazzaTransactionQuery, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/webhooks", "List webhook subscriptions, oldest first (filters, cursor)", "ShoplazzaWebhookList", LZ_QUERY, query=queries.ShoplazzaWebhookQuery, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/webhooks/count", "Count webhook subscriptions", "ShoplazzaCount", LZ_QUERY, query=queries.ShoplazzaWebhookQuery, shape="raw"),
    Op(SHOPLAZZA, "post", f"{LZ}/webhooks", "Subscribe an address to a topic (deliveries carry this version)", "ShoplazzaWebhookEnvelope", LZ_WRITE, lz.CreateWebhookSchema, shape="raw"),
    Op(SHOPLAZZA, "get", f"{LZ}/webhooks/{{webhook_id}}", "Get a webhook subscription", "ShoplazzaWebhookEnvelope", LZ_READ, shape="raw"),
    Op(SHOPLAZZA, "put", f"{LZ}/webhooks/{{webhook_id}}", "Change a subscription's address and/or topic", "ShoplazzaWebhookEnvelope", LZ_WRITE, lz.UpdateWebhookSchema, shape="raw"),
    Op(SHOPLAZZA, "delete", f"{LZ}/webhooks/{{webhook_id}}", "Unsubscribe", "ShoplazzaEmpty", LZ_READ, shape="raw"),
    Op(ADMIN, "get", "/__admin", "Index: the emulated APIs, the admin routes, this document's URL, the version", "AdminIndex", AD, shape="raw"),
    Op(ADMIN, "get", "/__admin/health", "Liveness probe (open even with an admin token)", "AdminHealth", (), shape="raw"),
    Op(ADMIN, "get", "/__admin/openapi.json", "This document (open even with an admin token)", "OpenAPIDocument", (), shape="raw"),
    Op(ADMIN, "get", "/__admin/namespaces", "Namespaces seeded so far, by label", "AdminNamespaces", AD, shape="raw"),
    Op(ADMIN, "post", "/__admin/reset", "Back to the seeded state (one namespace; or all, and the clock back to real time)", "AdminReset", AD_NS, query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "get", "/__admin/clock", "The server's clock", "AdminClock", AD, shape="raw"),
    Op(ADMIN, "post", "/__admin/clock", "Freeze, unfreeze or advance the clock", "AdminClock", AD_BODY, ad.ClockSchema, shape="raw"),
    Op(ADMIN, "delete", "/__admin/clock", "Back to real time: not frozen, no offset", "AdminClock", AD, shape="raw"),
    Op(ADMIN, "get", "/__admin/requests", "The request journal", "AdminRequests", (*AD_NS, 422), query=ad.MatcherSchema, shape="raw"),
    Op(ADMIN, "delete", "/__admin/requests", "Clear the journal (one namespace's entries or all)", "AdminCleared", AD_NS, query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "post", "/__admin/requests/count", "Count journal entries matching the body (400: ?namespace= and the body's differ)", "AdminCount", (*AD_BODY, 404), ad.MatcherSchema, query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "post", "/__admin/faults", "Add a fault rule (400: ?namespace= and the body's differ)", "AdminFault", (*AD_BODY, 404), ad.FaultSchema, query=queries.NamespaceQuery, status=201, shape="raw"),
    Op(ADMIN, "get", "/__admin/faults", "The active fault rules (those limited to ?namespace=, or all)", "AdminFaults", AD_NS, query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "delete", "/__admin/faults", "Drop fault rules (one namespace's or all)", "AdminCleared", AD_NS, query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "get", "/__admin/snapshot", "Export a namespace", "AdminSnapshot", (*AD_NS, 422), query=queries.RequiredNamespaceQuery, shape="raw"),
    Op(ADMIN, "put", "/__admin/snapshot", "Restore a namespace (created if new)", "AdminRestored", (*AD_BODY, 404), ad.RecordsSchema, query=queries.RequiredNamespaceQuery, shape="raw"),
    Op(ADMIN, "post", "/__admin/fixtures", "Load records into a namespace (created if new)", "AdminLoaded", (*AD_BODY, 404), ad.RecordsSchema, query=queries.RequiredNamespaceQuery, shape="raw"),
    Op(ADMIN, "get", "/__admin/webhooks", "Webhook deliveries and their attempts, oldest first", "AdminDeliveries", AD_NS, query=queries.AdminDeliveryQuery, shape="raw"),
    Op(ADMIN, "post", "/__admin/webhooks/{delivery_id}/redeliver", "Send a delivery again now, to its subscription's current URL", "AdminRedelivered", (*AD_NS, 422), shape="raw"),
)  # fmt: skip

# Seeded ids, so a path parameter has a value that exists (the examples add their own).
PATH_EXAMPLES = {
    f"{DX}/orders/{{id}}": "ord_123",
    f"{DX}/invoices/{{uniqid}}": "22222222-2222-4222-8222-222222222222",
    f"{DX}/products/{{id}}": "prod_2",
    f"{DX}/coupons/code/{{code}}": "SPRING10",
    f"{LZ}/orders/{{order_id}}": "365154185097449134715",
    f"{LZ}/orders/number/{{number}}": "1001",
}
ERROR_SCHEMA = {SHOPPEX: "ShoppexError", SHOPLAZZA: "ShoplazzaError", ADMIN: "AdminError"}
ERROR_TEXT = {
    SHOPPEX: {
        400: "BAD_REQUEST: the body is not valid JSON",
        401: "UNAUTHORIZED: missing, malformed or unknown API key",
        404: "*_NOT_FOUND: no such record (details name the body field when it came from the body)",
        413: "PAYLOAD_TOO_LARGE: body over MOCKSERVER_MAX_BODY_BYTES",
        422: "VALIDATION_ERROR: a field is wrong, the record's status forbids the operation, or the Idempotency-Key is bad or reused",
    },
    SHOPLAZZA: {
        400: "InvalidParameter: bad query parameter or body field (the message names it)",
        401: "Unauthorized: no access-token, or one that was not declared",
        403: "Forbidden: the token lacks the scope (read_order / write_order)",
        404: "NotFound: no such order or order number, deleted order, unknown API version",
        413: "RequestEntityTooLarge: body over MOCKSERVER_MAX_BODY_BYTES",
        500: "FailedPrecondition: a business rule refuses it (paying a paid order, cancelling a cancelled one)",
    },
    ADMIN: {
        400: "BAD_REQUEST: the body is not valid JSON, or ?namespace= and the body name different namespaces",
        401: "UNAUTHORIZED: the server has an admin token and X-Mockserver-Admin-Token is missing or wrong",
        404: "NOT_FOUND: no such record, or a namespace (key or label) nobody has used",
        413: "PAYLOAD_TOO_LARGE: body over MOCKSERVER_MAX_BODY_BYTES",
        422: "VALIDATION_ERROR: a field or parameter is wrong, or a record fails its kind's check (named in details)",
    },
}
