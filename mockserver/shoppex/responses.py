"""What the Shoppex API answers, as schemas for the OpenAPI document: money a JSON number, times Unix seconds.

Every field the server always returns (for the seeded records and the ones it creates) is
required; fields only some records carry are listed, typed, and optional.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..idempotency import HEADER as IDEMPOTENCY_HEADER
from ..idempotency import MAX_KEY_LENGTH
from ..openapi.fields import Open, anything, components, integer, ns, num, s
from ..operations import ApiDoc
from . import catalog_responses
from .schemas import RefundSchema
from .webhooks import EVENTS


class ShoppexErrorDetail(Open):
    field = s(required=True)
    message = s(required=True)


class ShoppexErrorBody(Schema):
    code = s(required=True, metadata={"example": "VALIDATION_ERROR"})
    message = s(required=True)
    doc_url = s(required=True)
    details = fields.List(fields.Nested(ShoppexErrorDetail), required=True)


class ShoppexError(Schema):
    """`{"error": {"code", "message", "doc_url", "details"}}`."""

    error = fields.Nested(ShoppexErrorBody, required=True)


class ShoppexPagination(Schema):
    next_cursor = ns(required=True)
    has_more = fields.Boolean(required=True)


class ShoppexItem(Open):
    """One order line; a payment's line has no product (`product_id` null)."""

    product_id = ns(required=True)
    product_title = s(required=True)
    product_type = s(required=True)
    variant_title = ns(required=True)
    quantity = integer(required=True)
    unit_price = num(required=True)
    total = num(required=True)
    delivered_items = anything(metadata={"type": ["object", "null"]})


class ShoppexOrder(Open):
    """An order (GET /orders/{id}); invoices add the invoice-only fields."""

    id = s(required=True)
    uniqid = s(required=True)
    shop_id = s(required=True)
    customer_id = ns(required=True)
    customer_email = s(required=True)
    affiliate_link_id = ns()
    affiliate_customer_id = ns()
    affiliate_code = ns()
    affiliate_discount_amount = num()
    currency = s(required=True)
    status = s(required=True, metadata={"example": "PENDING"})
    status_details = ns()
    payment_status = s(required=True)
    gateway = ns(required=True)
    flow_type = ns(required=True)
    provider_reference = ns(required=True)
    provider_reference_type = ns(required=True)
    subtotal = num()
    discount = num()
    total = num(required=True)
    balance_paid_amount = num()
    custom_fields = anything(required=True, metadata={"type": ["object", "array", "null"]})
    checkout_url = ns()
    items = fields.List(fields.Nested(ShoppexItem), required=True)
    created_at = integer(required=True)
    updated_at = integer(required=True)


class ShoppexInvoice(ShoppexOrder):
    type = s()
    subtype = ns()
    origin = ns()
    total_display = num()
    discount_display = num()
    is_developer_invoice = fields.Boolean()
    developer_title = ns()
    void_details = ns()
    product = fields.Dict(allow_none=True)


class ShoppexPayment(Open):
    """The documented payment create response (GET shows the same fields)."""

    uniqid = s(required=True)
    url = ns(required=True)
    url_branded = ns(required=True)
    checkout_url = ns(required=True)
    session_id = ns(required=True)
    total = num(required=True)
    currency = s(required=True)
    status = s(required=True)
    created_at = integer(required=True)
    webhook_secret = s(metadata={"description": "Only in the create response, only with `webhook`."})


class ShoppexCheckoutSession(Open):
    id = s(required=True)
    url = s(required=True)
    status = s(required=True)
    amount = num(required=True)
    currency = s(required=True)
    customer_email = s(required=True)
    success_url = ns(required=True)
    cancel_url = ns(required=True)
    created_at = integer(required=True)
    expires_at = s(required=True, metadata={"format": "date-time"})
    checkout_url = s(required=True)
    session_id = s(required=True)


class ShoppexShop(Open):
    id = s(required=True)
    name = s(required=True)
    subdomain = s(required=True)
    email = s(required=True)
    currency = s(required=True)
    created_at = integer(required=True)
    store_name = s(required=True)


class ShoppexCapabilities(Open):
    """GET /me/capabilities."""

    shop_id = s(required=True)
    auth_type = s(required=True, validate=validate.OneOf(("api_key", "oauth")))
    scopes = fields.List(fields.String(), required=True)


class ShoppexMessage(Open):
    message = s(required=True)


class ShoppexWebhook(Open):
    """A webhook subscription (GET /webhooks/{id}); the signing secret is shown: receivers need it."""

    id = s(required=True, metadata={"example": "wh_0123456789abcdef01234567"})
    url = s(required=True)
    events = fields.List(fields.String(), required=True)
    type = s(required=True, metadata={"enum": ["paylix", "zapier"]})
    secret = s(required=True)
    enabled = fields.Boolean(required=True)
    created_at = integer(required=True)
    updated_at = integer(required=True)


class ShoppexWebhookId(Open):
    id = s(required=True)


class ShoppexWebhookQueued(Open):
    """A queued delivery: its log id (a `dlv_` id) and a message."""

    id = s(required=True)
    message = s(required=True)


class ShoppexWebhookSecret(Open):
    id = s(required=True)
    secret = s(required=True)


class ShoppexPagePagination(Schema):
    """Page pagination (GET /webhooks/logs): the size under both names the docs use."""

    total = integer(required=True)
    page = integer(required=True)
    per_page = integer(required=True)
    limit = integer(required=True)
    total_pages = integer(required=True)
    has_more = fields.Boolean(required=True)


class ShoppexWebhookLog(Schema):
    """One delivery as the Shoppex log shows it (docs: get-webhook-delivery-logs)."""

    id = s(required=True)
    uniqid = s(required=True)
    webhook_uniqid = ns(required=True)
    event_type = s(required=True, validate=validate.OneOf(EVENTS))
    url = s(required=True)
    payload = anything(required=True)
    request_headers = fields.Dict(required=True, allow_none=True)
    response = anything(required=True)
    response_headers = fields.Dict(required=True, allow_none=True)
    status = s(required=True, validate=validate.OneOf(("pending", "success", "failed")))
    status_code = integer(required=True, allow_none=True)
    attempt = integer(required=True)
    duration_ms = integer(required=True, allow_none=True)
    error_message = ns(required=True)
    created_at = integer(required=True)
    delivered_at = integer(required=True, allow_none=True)


class ShoppexWebhookLogs(Schema):
    """GET /webhooks/logs: `{"data": [...], "pagination": {"total", "page", "per_page", "limit", "total_pages", "has_more"}}`."""

    data = fields.List(fields.Nested(ShoppexWebhookLog), required=True)
    pagination = fields.Nested(ShoppexPagePagination, required=True)


# -- how the OpenAPI document shows the Shoppex API ----------------------------------


def field_properties(field) -> dict:
    """Refund amounts travel as JSON strings ("10.00"); a number is refused."""
    if isinstance(field, fields.Decimal) and field.parent is not None and type(field.parent) is RefundSchema:
        pattern = r"^[0-9]*[1-9][0-9]*(\.[0-9]{1,2})?$|^0*\.(0[1-9]|[1-9][0-9]?)$"
        return {"type": "string", "pattern": pattern, "examples": ["10.00"], "minimum": None, "maximum": None}
    return {}


DOC = ApiDoc(
    tag="Shoppex",
    error_schema="ShoppexError",
    error_text={
        400: "BAD_REQUEST: the body is not valid JSON, or a business rule (the record's status) refuses the operation",
        401: "UNAUTHORIZED: missing, malformed or unknown API key",
        404: "*_NOT_FOUND: no such record (details name the body field when it came from the body)",
        413: "PAYLOAD_TOO_LARGE: body over MOCKSERVER_MAX_BODY_BYTES",
        422: "VALIDATION_ERROR: a field is wrong, the record's status forbids completion, or the Idempotency-Key is bad or reused",
    },
    components=components(globals(), __name__) + components(vars(catalog_responses), catalog_responses.__name__),
    pagination="ShoppexPagination",
    extra_components={"ShoppexWebhookEvents": {"type": "array", "items": {"type": "string", "enum": list(EVENTS)}}},
    security=({"shoppexBearer": []},),
    security_schemes={"shoppexBearer": {"type": "http", "scheme": "bearer", "description": "Shoppex API key"}},
    write_parameters={
        "IdempotencyKey": {
            "in": "header",
            "name": IDEMPOTENCY_HEADER,
            "description": "Replays the first response for 24 h; a different request under the same key is a 422.",
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"\S"},
        }
    },
    # Seeded ids, so a path parameter has a value that exists (the examples add their own).
    path_examples={
        "/dev/v1/orders/{order_id}": "ord_123",
        "/dev/v1/invoices/{uniqid}": "22222222-2222-4222-8222-222222222222",
        "/dev/v1/products/{product_id}": "prod_2",
        "/dev/v1/coupons/code/{code}": "SPRING10",
        "/dev/v1/products/{id}": "prod_2",
        "/dev/v1/coupons/{id}": "cpn_spring10",
        "/dev/v1/customers/{id}": "cus_1",
    },
    field_properties=field_properties,
)
