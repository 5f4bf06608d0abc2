# ruff: noqa: E501 -- the operation table keeps one operation per line.
"""The OpenAPI 3.1 document of both emulated APIs and the admin API, built with apispec.

Every operation is one row of OPERATIONS: path, method, summary, request body schema,
query schema, response schema, success status and the error statuses the server really
answers. Request schemas are the ones the views validate with; response schemas are in
responses.py. The documented examples (examples/) are attached to their operations.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import Schema, fields

from .. import __version__
from ..admin import schemas as ad
from ..idempotency import HEADER as IDEMPOTENCY_HEADER
from ..idempotency import MAX_KEY_LENGTH
from ..shoplazza import schemas as lz
from ..shoplazza.views import VERSIONS
from ..shoppex import schemas as sx
from ..shoppex.webhooks import EVENTS as SHOPPEX_EVENTS
from . import queries, responses
from .documented import load_examples

SHOPPEX, SHOPLAZZA, ADMIN = "Shoppex", "Shoplazza", "Admin"
SHOPPEX_SECURITY = [{"shoppexBearer": []}]
SHOPLAZZA_SECURITY = [{"shoplazzaAccessToken": []}]
JSON = "application/json"


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
AD_BODY = (400, 413, 422)
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
    Op(ADMIN, "get", "/__admin/health", "Liveness probe", "AdminHealth", (), shape="raw"),
    Op(ADMIN, "get", "/__admin/openapi.json", "This document", "OpenAPIDocument", (), shape="raw"),
    Op(ADMIN, "get", "/__admin/namespaces", "Namespaces seeded so far", "AdminNamespaces", (), shape="raw"),
    Op(ADMIN, "post", "/__admin/reset", "Back to the seeded state (one namespace or all)", "AdminReset", (), query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "get", "/__admin/clock", "The server's clock", "AdminClock", (), shape="raw"),
    Op(ADMIN, "post", "/__admin/clock", "Freeze, unfreeze or advance the clock", "AdminClock", AD_BODY, ad.ClockSchema, shape="raw"),
    Op(ADMIN, "get", "/__admin/requests", "The request journal", "AdminRequests", (422,), query=ad.MatcherSchema, shape="raw"),
    Op(ADMIN, "delete", "/__admin/requests", "Clear the journal", "AdminCleared", (), shape="raw"),
    Op(ADMIN, "post", "/__admin/requests/count", "Count journal entries matching the body", "AdminCount", AD_BODY, ad.MatcherSchema, shape="raw"),
    Op(ADMIN, "post", "/__admin/faults", "Add a fault rule", "AdminFault", AD_BODY, ad.FaultSchema, status=201, shape="raw"),
    Op(ADMIN, "get", "/__admin/faults", "The active fault rules", "AdminFaults", (), shape="raw"),
    Op(ADMIN, "delete", "/__admin/faults", "Drop fault rules (one namespace's or all)", "AdminCleared", (), query=queries.NamespaceQuery, shape="raw"),
    Op(ADMIN, "get", "/__admin/snapshot", "Export a namespace", "AdminSnapshot", (422,), query=queries.RequiredNamespaceQuery, shape="raw"),
    Op(ADMIN, "put", "/__admin/snapshot", "Restore a namespace", "AdminRestored", AD_BODY, ad.RecordsSchema, query=queries.RequiredNamespaceQuery, shape="raw"),
    Op(ADMIN, "post", "/__admin/fixtures", "Load records into a namespace", "AdminLoaded", AD_BODY, ad.RecordsSchema, query=queries.RequiredNamespaceQuery, shape="raw"),
    Op(ADMIN, "get", "/__admin/webhooks", "Webhook deliveries and their attempts, oldest first", "AdminDeliveries", (), query=queries.AdminDeliveryQuery, shape="raw"),
    Op(ADMIN, "post", "/__admin/webhooks/{delivery_id}/redeliver", "Send a delivery again now", "AdminRedelivered", (404,), shape="raw"),
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
        400: "BAD_REQUEST: the body is not valid JSON",
        404: "NOT_FOUND: no such record",
        413: "PAYLOAD_TOO_LARGE: body over MOCKSERVER_MAX_BODY_BYTES",
        422: "VALIDATION_ERROR: a field or parameter is wrong (named in details)",
    },
}
DESCRIPTION = """\
A local, stateful mock of the Shoppex Developer API (`/dev/v1`, bearer API key) and the
Shoplazza OpenAPI orders area (`/openapi/{version}`, `access-token` header), plus its
`/__admin` control plane. Each API key or access-token is its own namespace, seeded from
the fixtures on first use. A known path called with another method answers 405 in the
API's own error envelope, with an `Allow` header; an unknown path 404."""


def _name_resolver(schema) -> str:
    cls = resolve_schema_cls(schema)
    module = cls.__module__
    base = cls.__name__.removesuffix("Schema")
    if module == sx.__name__:
        return f"shoppex.{base}"
    if module == lz.__name__:
        return f"shoplazza.{base}"
    if module == ad.__name__:
        return f"admin.{base}"
    return base


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _success_schema(op: Op) -> dict:
    if op.shape == "data":
        return {"type": "object", "required": ["data"], "properties": {"data": _ref(op.response)}}
    if op.shape == "page":
        return {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {"data": {"type": "array", "items": _ref(op.response)}, "pagination": _ref("ShoppexPagination")},
        }
    return _ref(op.response)


def _request_id_headers(api: str) -> dict:
    headers = {"x-request-id": {"$ref": "#/components/headers/RequestId"}}
    if api == SHOPLAZZA:
        headers["Request-Id"] = {"$ref": "#/components/headers/RequestId"}
    return headers


def _parameters(op: Op) -> list:
    params: list = []
    for name in re.findall(r"{(\w+)}", op.path):
        param = {"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}
        if name == "version":
            param["schema"] = {"type": "string", "enum": list(VERSIONS)}
        elif op.path.startswith(tuple(PATH_EXAMPLES)):
            prefix = next(p for p in PATH_EXAMPLES if op.path.startswith(p))
            param["example"] = PATH_EXAMPLES[prefix]
        params.append(param)
    if op.query is not None:
        params.append({"in": "query", "schema": op.query})
    if op.api == SHOPPEX and op.method in ("post", "put", "patch"):
        params.append("IdempotencyKey")  # a reference to the component
    return params


def _operation(op: Op) -> dict:
    headers = _request_id_headers(op.api)
    success: dict = {"description": "Success", "headers": headers}
    if op.shape == "empty":
        success["description"] = "Success, no body"
    else:
        success["content"] = {JSON: {"schema": _success_schema(op)}}
    operation: dict = {
        "tags": [op.api],
        "summary": op.summary,
        "operationId": f"{op.api.lower()}_{op.method}_{re.sub(r'[^A-Za-z0-9]+', '_', op.path).strip('_')}",
        "responses": {str(op.status): success},
    }
    parameters = _parameters(op)
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {"required": False, "content": {JSON: {"schema": op.body}}}
    for status in op.errors:
        operation["responses"][str(status)] = {
            "description": ERROR_TEXT[op.api][status],
            "headers": headers,
            "content": {JSON: {"schema": _ref(ERROR_SCHEMA[op.api])}},
        }
    if op.api == SHOPPEX:
        operation["security"] = SHOPPEX_SECURITY
    elif op.api == SHOPLAZZA:
        operation["security"] = SHOPLAZZA_SECURITY
    return operation


def _register_field_types(plugin: MarshmallowPlugin) -> None:
    """Teach apispec the Shoplazza custom fields (money strings, tags, strict booleans) and webhook URLs."""
    plugin.map_to_openapi_type(lz.Money, "string", None)
    plugin.map_to_openapi_type(lz.StrictBool, "boolean", None)
    plugin.map_to_openapi_type(ad.Instant, ["number", "string"], None)

    def custom(converter, field, ret, **kwargs) -> dict:
        if isinstance(field, fields.Decimal) and field.parent is not None and type(field.parent) is sx.RefundSchema:
            # Shoppex refund amounts travel as JSON strings ("10.00"); a number is refused.
            for key in ("minimum", "maximum", "type"):
                ret.pop(key, None)
            return {"type": "string", "pattern": r"^[0-9]*[1-9][0-9]*(\.[0-9]{1,2})?$|^0*\.(0[1-9]|[1-9][0-9]?)$", "examples": ["10.00"]}
        schemes = [getattr(v, "schemes", None) for v in field.validators]
        if isinstance(field, fields.Url) and {"http", "https"} in schemes:
            # Webhook receivers: an http or https URL, no top-level domain needed (http://127.0.0.1:9000/hook).
            return {"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://", "examples": ["http://127.0.0.1:9000/hook"]}
        if isinstance(field, lz.Money):
            return {"pattern": r"^\d+(\.\d+)?$", "examples": ["16.99"]}
        if isinstance(field, lz.Tags):
            return {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
        return {}

    plugin.converter.add_attribute_function(custom)


def build_spec() -> APISpec:
    """The apispec APISpec with every operation, component and example."""
    plugin = MarshmallowPlugin(schema_name_resolver=_name_resolver)
    spec = APISpec(
        title="mockserver: Shoppex Developer API and Shoplazza OpenAPI (orders)",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": DESCRIPTION},
        servers=[{"url": "/", "description": "this server"}],
        tags=[{"name": SHOPPEX}, {"name": SHOPLAZZA}, {"name": ADMIN}],
    )
    _register_field_types(plugin)
    spec.components.security_scheme("shoppexBearer", {"type": "http", "scheme": "bearer", "description": "Shoppex API key"})
    spec.components.security_scheme(
        "shoplazzaAccessToken", {"type": "apiKey", "in": "header", "name": "access-token", "description": "Shoplazza access-token"}
    )
    spec.components.header(
        "RequestId", {"description": "Request id (a well-formed X-Request-Id is echoed)", "required": True, "schema": {"type": "string"}}
    )
    spec.components.parameter(
        "IdempotencyKey",
        "header",
        {
            "name": IDEMPOTENCY_HEADER,
            "description": "Replays the first response for 24 h; a different request under the same key is a 422.",
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"\S"},
        },
    )
    for name in dir(responses):
        value = getattr(responses, name)
        mine = isinstance(value, type) and issubclass(value, Schema) and value.__module__ == responses.__name__
        if mine and not name.startswith("_") and name not in spec.components.schemas:
            spec.components.schema(name, schema=value)
    spec.components.schema("OpenAPIDocument", {"type": "object", "required": ["openapi", "paths"], "additionalProperties": True})
    spec.components.schema("ShoppexWebhookEvents", {"type": "array", "items": {"type": "string", "enum": list(SHOPPEX_EVENTS)}})

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec


def build_document(routes: tuple[tuple[str, str], ...] = ()) -> dict:
    """The OpenAPI 3.1 document as a dict, examples attached.

    `routes` are the app's (method, Flask rule) pairs: any under an API prefix that
    OPERATIONS does not describe yet gets a generic entry (tag "Undescribed"), so the
    document never leaves a route out.
    """
    document = build_spec().to_dict()
    add_undescribed(document, routes)
    _plain_query_parameters(document)
    attach_examples(document, load_examples())
    return document


PREFIXES = {DX: SHOPPEX, "/openapi": SHOPLAZZA, "/__admin": ADMIN}
UNDESCRIBED = "Undescribed"


def add_undescribed(document: dict, routes: tuple[tuple[str, str], ...]) -> None:
    """A loose entry for every route the table does not describe yet."""
    for method, rule in routes:
        api = next((name for prefix, name in PREFIXES.items() if rule.startswith(prefix)), None)
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).rstrip("/") or "/"
        shape = re.sub(r"{\w+}", "{}", path)
        described = {re.sub(r"{\w+}", "{}", p) for p, ops in document["paths"].items() if method.lower() in ops}
        if api is None or shape in described:
            continue
        params = [{"in": "path", "name": n, "required": True, "schema": {"type": "string"}} for n in re.findall(r"{(\w+)}", path)]
        operation: dict = {
            "tags": [api, UNDESCRIBED],
            "summary": f"{method} {path} (not described in detail yet)",
            "responses": {"default": {"description": "Any status, JSON", "content": {JSON: {"schema": {"type": "object"}}}}},
        }
        if params:
            operation["parameters"] = params
        if method in ("POST", "PUT", "PATCH"):
            operation["requestBody"] = {"required": False, "content": {JSON: {"schema": {"type": "object"}}}}
        if api != ADMIN:
            operation["security"] = SHOPPEX_SECURITY if api == SHOPPEX else SHOPLAZZA_SECURITY
        document["paths"].setdefault(path, {})[method.lower()] = operation


def _plain_query_parameters(document: dict) -> None:
    """A query parameter is absent or a string, never JSON null: drop the null apispec adds for load_default=None."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                if param.get("in") == "query" and isinstance(schema.get("type"), list):
                    schema["type"] = [t for t in schema["type"] if t != "null"]
                    schema["type"] = schema["type"][0] if len(schema["type"]) == 1 else schema["type"]
                    if schema.get("default", 0) is None:
                        del schema["default"]


def _template_regex(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$")


def find_operation(document: dict, method: str, path: str) -> tuple[str, dict] | None:
    """The (template, operation) a concrete request (method, path) belongs to."""
    # Literal segments beat parameters: try templates with fewer parameters first.
    for template in sorted(document["paths"], key=lambda t: t.count("{")):
        operation = document["paths"][template].get(method.lower())
        if operation is not None and _template_regex(template).match(path):
            return template, operation
    return None


def attach_examples(document: dict, examples: list[dict]) -> None:
    """Put each documented example on its operation: request body, path parameters, response."""
    for example in examples:
        request, response, name = example["request"], example["response"], example["name"]
        found = find_operation(document, request["method"], request["path"])
        if found is None:
            raise LookupError(f"example {name}: no operation for {request['method']} {request['path']}")
        template, operation = found
        summary = example.get("source", name)
        note = {"description": example["note"]} if example.get("note") else {}
        values = re.match(_template_regex(template).pattern.replace("[^/]+", "([^/]+)"), request["path"]).groups()
        for param, value in zip(re.findall(r"{(\w+)}", template), values, strict=True):
            for spec in operation.get("parameters", []):
                if spec.get("in") == "path" and spec.get("name") == param:
                    # `example` and `examples` exclude each other: the seeded id becomes one of the examples.
                    if "example" in spec:
                        spec["examples"] = {"seeded": {"summary": "a seeded record", "value": spec.pop("example")}}
                    spec.setdefault("examples", {})[name] = {"summary": summary, "value": value}
        if "body" in request and "requestBody" in operation:
            media = operation["requestBody"]["content"][JSON]
            media.setdefault("examples", {})[name] = {"summary": summary, "value": request["body"]}
        media = operation["responses"][str(response["status"])]["content"][JSON]
        media.setdefault("examples", {})[name] = {"summary": summary, **note, "value": response["body"]}
