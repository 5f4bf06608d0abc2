"""Marshmallow schemas of what the server answers, for the OpenAPI document only.

Loose enough to be true (records carry many fields: `additionalProperties: true`, and
only what every record has is required) but typed: Shoppex money is a number and times
are Unix seconds; Shoplazza money, ids and times are strings.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class _Open(Schema):
    class Meta:
        unknown = INCLUDE  # -> additionalProperties: true


def _s(**kw) -> fields.String:
    return fields.String(**kw)


def _ns(**kw) -> fields.String:
    return fields.String(allow_none=True, **kw)


def _num(**kw) -> fields.Float:
    return fields.Float(**kw)


def _int(**kw) -> fields.Integer:
    return fields.Integer(**kw)


# -- Shoppex -------------------------------------------------------------------


class ShoppexErrorDetail(_Open):
    field = _s(required=True)
    message = _s(required=True)


class ShoppexErrorBody(Schema):
    code = _s(required=True, metadata={"example": "VALIDATION_ERROR"})
    message = _s(required=True)
    doc_url = _s(required=True)
    details = fields.List(fields.Nested(ShoppexErrorDetail), required=True)


class ShoppexError(Schema):
    """`{"error": {"code", "message", "doc_url", "details"}}`."""

    error = fields.Nested(ShoppexErrorBody, required=True)


class ShoppexPagination(Schema):
    next_cursor = _ns(required=True)
    has_more = fields.Boolean(required=True)


class ShoppexItem(_Open):
    product_id = _ns()
    product_title = _ns()
    quantity = _int()
    unit_price = _num()
    total = _num()


class ShoppexOrder(_Open):
    """An order (GET /orders/{id}); invoices add the invoice-only fields."""

    id = _s(required=True)
    uniqid = _s(required=True)
    shop_id = _s(required=True)
    customer_id = _ns()
    customer_email = _s(required=True)
    affiliate_link_id = _ns()
    affiliate_customer_id = _ns()
    affiliate_code = _ns()
    affiliate_discount_amount = _num()
    currency = _s(required=True)
    status = _s(required=True, metadata={"example": "PENDING"})
    status_details = _ns()
    payment_status = _s(required=True)
    gateway = _ns()
    flow_type = _ns()
    provider_reference = _ns()
    provider_reference_type = _ns()
    subtotal = _num()
    discount = _num()
    total = _num(required=True)
    balance_paid_amount = _num()
    custom_fields = fields.Raw(metadata={"type": ["object", "array", "null"]})
    checkout_url = _ns()
    items = fields.List(fields.Nested(ShoppexItem), required=True)
    created_at = _int(required=True)
    updated_at = _int(required=True)


class ShoppexInvoice(ShoppexOrder):
    type = _s()
    subtype = _ns()
    origin = _ns()
    total_display = _num()
    discount_display = _num()
    is_developer_invoice = fields.Boolean()
    developer_title = _ns()
    void_details = _ns()
    product = fields.Dict(allow_none=True)


class ShoppexPayment(_Open):
    """The documented payment create response; seeded invoices of type PAYMENT may lack the links."""

    uniqid = _s(required=True)
    url = _ns(required=True)
    url_branded = _ns(required=True)
    checkout_url = _ns(required=True)
    session_id = _ns(required=True)
    total = _num(required=True)
    currency = _s(required=True)
    status = _s(required=True)
    created_at = _int(required=True)
    webhook_secret = _s(metadata={"description": "Only in the create response, only with `webhook`."})


class ShoppexCheckoutSession(_Open):
    id = _s(required=True)
    url = _s(required=True)
    status = _s(required=True)
    amount = _num(required=True)
    currency = _s(required=True)
    customer_email = _s(required=True)
    success_url = _ns(required=True)
    cancel_url = _ns(required=True)
    created_at = _int(required=True)
    expires_at = _int(required=True)
    checkout_url = _s(required=True)
    session_id = _s(required=True)


class ShoppexVariant(_Open):
    id = _s()
    title = _ns()
    price = _num()


class ShoppexProduct(_Open):
    id = _s(required=True)
    uniqid = _s()
    shop_id = _s()
    title = _s()
    type = _s()
    price = _num()
    currency = _s()
    stock = _int()
    variants = fields.List(fields.Nested(ShoppexVariant))
    created_at = _int()
    updated_at = _int()


class ShoppexCoupon(_Open):
    id = _s(required=True)
    code = _s(required=True)
    shop_id = _s()
    discount_type = _s(metadata={"example": "PERCENTAGE"})
    discount_value = _num()
    product_ids = fields.List(fields.String())
    max_uses = _int(allow_none=True)
    uses = _int()
    created_at = _int()


class ShoppexShop(_Open):
    id = _s(required=True)
    name = _s()
    subdomain = _s()
    email = _s()
    currency = _s()
    created_at = _int()


class ShoppexMessage(_Open):
    message = _s(required=True)


class ShoppexWebhook(_Open):
    """A webhook subscription (GET /webhooks/{id}); the signing secret is shown: receivers need it."""

    id = _s(required=True, metadata={"example": "wh_0123456789abcdef01234567"})
    url = _s(required=True)
    events = fields.List(fields.String(), required=True)
    type = _s(required=True, metadata={"enum": ["paylix", "zapier"]})
    secret = _s(required=True)
    enabled = fields.Boolean(required=True)
    created_at = _int(required=True)
    updated_at = _int(required=True)


class ShoppexWebhookId(_Open):
    id = _s(required=True)


class ShoppexWebhookQueued(_Open):
    """A queued delivery: its log id (a `dlv_` id) and a message."""

    id = _s(required=True)
    message = _s(required=True)


class ShoppexWebhookSecret(_Open):
    id = _s(required=True)
    secret = _s(required=True)


class ShoppexPagePagination(Schema):
    """Page pagination (GET /webhooks/logs)."""

    total = _int(required=True)
    page = _int(required=True)
    limit = _int(required=True)
    total_pages = _int(required=True)
    has_more = fields.Boolean(required=True)


# -- Shoplazza -----------------------------------------------------------------

# Top-level v202506.Order fields that are always strings (money, ids, times, statuses).
SHOPLAZZA_ORDER_STRINGS = (
    "id", "number", "created_at", "updated_at", "placed_at", "cancelled_at", "finished_at", "deleted_at",
    "customer_deleted_at", "note", "currency", "status", "financial_status", "fulfillment_status",
    "cancel_reason", "payment_method", "tags", "total_price", "sub_total", "total_discount", "total_tax",
    "total_shipping", "code_discount_total", "customer_note", "total_refund_price", "total_tip_received",
    "total_paid", "gift_card_total", "shipping_tax_total", "additional_total", "duty_total", "refund_status",
    "email_status", "recovery_status", "checkout_url", "source", "source_name", "order_type", "device",
)  # fmt: skip
SHOPLAZZA_ORDER_OBJECTS = ("payment_line", "shipping_line", "billing_address", "shipping_address", "customer", "config")
SHOPLAZZA_ORDER_LISTS = ("line_items", "payment_lines", "fulfillments", "additional_prices")


def _order_fields() -> dict:
    out: dict = {name: _s() for name in SHOPLAZZA_ORDER_STRINGS}
    out["id"] = _s(required=True, metadata={"example": "365154185097449134715"})
    out.update({name: fields.Dict() for name in SHOPLAZZA_ORDER_OBJECTS})
    out.update({name: fields.List(fields.Dict()) for name in SHOPLAZZA_ORDER_LISTS})
    out["buyer_accepts_marketing"] = fields.Boolean()
    return out


def _schema(name: str, base: type[Schema], attrs: dict) -> type[Schema]:
    """A schema class built at run time, named and placed in this module."""
    return type(name, (base,), {**attrs, "__module__": __name__, "__qualname__": name})


ShoplazzaOrder = _schema("ShoplazzaOrder", _Open, {**_order_fields(), "__doc__": "v202506.Order (loosely)."})


class ShoplazzaTransaction(_Open):
    id = _s(required=True)
    order_id = _s(required=True)
    status = _s()
    amount = _s()
    currency = _s()
    payment_channel = _s()
    payment_name = _s()
    trade_id = _s()
    created_at = _s()
    test = fields.Boolean()
    payment_detail = fields.Dict()


class ShoplazzaError(Schema):
    """`{"code", "message"}`."""

    code = _s(required=True, metadata={"example": "InvalidParameter"})
    message = _s(required=True)


def shoplazza_success(name: str, data: type[Schema] | dict) -> type[Schema]:
    """`{"code": "Success", "message", "data": <data>}` as a schema class called `name`."""
    data_schema = data if isinstance(data, type) else _schema(f"{name}Data", Schema, data)
    attrs = {
        "code": _s(required=True, metadata={"enum": ["Success"]}),
        "message": _s(required=True),
        "data": fields.Nested(data_schema, required=True),
    }
    return _schema(name, Schema, attrs)


ShoplazzaOrderEnvelope = shoplazza_success("ShoplazzaOrderEnvelope", {"order": fields.Nested(ShoplazzaOrder, required=True)})
ShoplazzaOrderList = shoplazza_success(
    "ShoplazzaOrderList",
    {
        "orders": fields.List(fields.Nested(ShoplazzaOrder), required=True),
        "cursor": _s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)
ShoplazzaCount = shoplazza_success("ShoplazzaCount", {"count": _int(required=True)})
ShoplazzaTransactions = shoplazza_success(
    "ShoplazzaTransactions", {"transactions": fields.List(fields.Nested(ShoplazzaTransaction), required=True)}
)
ShoplazzaEmpty = shoplazza_success("ShoplazzaEmpty", _schema("ShoplazzaEmptyData", _Open, {}))


class ShoplazzaWebhook(Schema):
    """v202506.WebhookParam: every field a string."""

    id = _s(required=True)
    address = _s(required=True)
    topic = _s(required=True)
    created_at = _s(required=True)
    updated_at = _s(required=True)
    format = _s(required=True)


ShoplazzaWebhookEnvelope = shoplazza_success("ShoplazzaWebhookEnvelope", {"webhook": fields.Nested(ShoplazzaWebhook, required=True)})
ShoplazzaWebhookList = shoplazza_success(
    "ShoplazzaWebhookList",
    {
        "webhooks": fields.List(fields.Nested(ShoplazzaWebhook), required=True),
        "cursor": _s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)


# -- admin ---------------------------------------------------------------------


class AdminHealth(Schema):
    status = _s(required=True, metadata={"enum": ["ok"]})


class AdminErrorBody(Schema):
    code = _s(required=True)
    message = _s(required=True)
    details = fields.List(fields.Dict(), required=True)


class AdminError(Schema):
    """`{"error": {"code", "message", "details"}}`."""

    error = fields.Nested(AdminErrorBody, required=True)


def _admin(name: str, attrs: dict) -> type[Schema]:
    return _schema(name, _Open, attrs)


AdminNamespaces = _admin("AdminNamespaces", {"namespaces": fields.List(fields.String(), required=True)})
AdminReset = _admin("AdminReset", {"reset": fields.List(fields.String(), required=True)})
AdminClock = _admin(
    "AdminClock",
    {
        "now": _num(required=True),
        "iso": _s(required=True),
        "frozen": fields.Boolean(required=True),
        "frozen_at": _num(required=True, allow_none=True),
    },
)
AdminRequests = _admin("AdminRequests", {"requests": fields.List(fields.Dict(), required=True)})
AdminCount = _admin("AdminCount", {"count": _int(required=True)})
AdminCleared = _admin("AdminCleared", {"cleared": _int(required=True)})
AdminFault = _admin("AdminFault", {"fault": fields.Dict(required=True)})
AdminFaults = _admin("AdminFaults", {"faults": fields.List(fields.Dict(), required=True)})
AdminSnapshot = _admin("AdminSnapshot", {"namespace": _s(required=True), "records": fields.Dict(required=True)})
AdminRestored = _admin("AdminRestored", {"namespace": _s(required=True), "restored": _int(required=True)})
AdminLoaded = _admin("AdminLoaded", {"namespace": _s(required=True), "loaded": _int(required=True)})


# -- webhook deliveries (Shoppex GET /webhooks/logs and GET /__admin/webhooks) ----------

DELIVERY_STATUSES = ("pending", "not_sent", "retrying", "succeeded", "failed")


class WebhookAttemptRequest(_Open):
    headers = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    body = fields.Raw(required=True, metadata={"description": "The JSON body sent."})


class WebhookAttemptResponse(_Open):
    status = _int(required=True, allow_none=True, metadata={"description": "null when no response came (see error)."})
    body = _ns(required=True)


class WebhookAttempt(_Open):
    """One attempt: what was sent and what came back (or the connection error)."""

    attempt = _int(required=True)
    at = _int(required=True)
    request = fields.Nested(WebhookAttemptRequest, required=True)
    response = fields.Nested(WebhookAttemptResponse, required=True)
    duration_ms = _num(required=True)
    error = _ns(required=True)


class WebhookDelivery(_Open):
    """A delivery and its attempts, the signing secret left out; `not_sent` when MOCKSERVER_WEBHOOKS=0."""

    id = _s(required=True, metadata={"example": "dlv_0123456789abcdef01234567"})
    namespace = _s(required=True)
    api = _s(required=True, metadata={"enum": ["shoppex", "shoplazza"]})
    webhook_id = _ns(required=True, metadata={"description": "null for a Shoppex payment's own `webhook` URL."})
    event = _s(required=True)
    url = _s(required=True)
    body = fields.Raw(required=True, metadata={"description": "The JSON body delivered."})
    status = _s(required=True, metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = fields.List(fields.Nested(WebhookAttempt), required=True)
    created_at = _int(required=True)
    updated_at = _int(required=True)
    next_attempt_at = _int(required=True, allow_none=True)


class ShoppexWebhookLogs(Schema):
    """GET /webhooks/logs: `{"data": [...], "pagination": {"total", "page", "limit", "total_pages", "has_more"}}`."""

    data = fields.List(fields.Nested(WebhookDelivery), required=True)
    pagination = fields.Nested(ShoppexPagePagination, required=True)


AdminDeliveries = _admin("AdminDeliveries", {"deliveries": fields.List(fields.Nested(WebhookDelivery), required=True)})
AdminRedelivered = _admin(
    "AdminRedelivered",
    {"id": _s(required=True), "namespace": _s(required=True), "status": _s(required=True, metadata={"enum": list(DELIVERY_STATUSES)})},
)
