"""What the Shoplazza API answers, as schemas for the OpenAPI document: money and times are strings.

An order always carries every top-level field of its version's schema (v202506.Order on 2025-06,
v202601.Order on 2026-01), and each line item every field of its version's: the fields both
versions share are required, so a response missing one does not match the document.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..openapi.fields import Open, components, integer, s, schema
from ..operations import ApiDoc
from . import PREFIX, VERSIONS
from .schemas import Money, StrictBool, Tags

# v202506.Order top-level fields, by wire type: strings (money as "16.99", times as ISO 8601 Z or ""), ...
ORDER_STRINGS = (
    "id", "number", "created_at", "updated_at", "placed_at", "cancelled_at", "finished_at", "deleted_at",
    "customer_deleted_at", "note", "currency", "status", "financial_status", "fulfillment_status",
    "cancel_reason", "payment_method", "tags", "total_price", "sub_total", "total_discount", "total_tax",
    "total_shipping", "code_discount_total", "customer_note", "total_refund_price", "total_tip_received",
    "total_paid", "gift_card_total", "shipping_tax_total", "additional_total", "duty_total", "refund_status",
    "email_status", "recovery_status", "checkout_url", "source", "source_name", "order_type", "device",
    "refer_info", "sales_platform", "discount_applications", "logistics_code", "last_landing_url", "last_referrer_show",
)  # fmt: skip
# ... objects (payment_line carries every PaymentLine field, empty until the order is paid) ...
ORDER_OBJECTS = ("payment_line", "billing_address", "shipping_address", "location_line", "config")
# ... and lists.
ORDER_LISTS = ("fulfillments", "payment_lines", "additional_prices")
LINE_ITEM_STRINGS = (
    "id", "product_id", "product_title", "variant_id", "variant_title", "note", "price", "compare_at_price",
    "total_price", "fulfillment_status", "sku", "weight", "weight_unit", "vendor", "product_url", "created_at",
    "updated_at", "product_slug", "spu", "product_tags", "trunk_price", "discount_applications", "tax_price",
    "duty_price", "payment_discount_price",
)  # fmt: skip
LINE_ITEM_INTEGERS = ("quantity", "refund_quantity_total")
# v202601.Order's own fields (2026-01 only): the notification settings, int32 0 to 2.
ORDER_NOTIFY = ("order_confirm_notify", "fulfillment_notify", "partial_fulfillment_notify", "order_delivered_notify")
LINE_ITEM_BOOLEANS = ("taxable", "requires_shipping", "custom")


def _strings(names: tuple[str, ...]) -> dict:
    return {name: s(required=True) for name in names}


ShoplazzaLineItem = schema(
    "ShoplazzaLineItem",
    __name__,
    Open,
    {
        **_strings(LINE_ITEM_STRINGS),
        **{name: integer(required=True) for name in LINE_ITEM_INTEGERS},
        "ship_quantity": integer(metadata={"description": "2025-06 only (v202506.LineItem)."}),
        **{name: fields.Boolean(required=True) for name in LINE_ITEM_BOOLEANS},
        "image": fields.Dict(required=True),
        "options": fields.List(fields.Raw(), required=True),
        "custom_properties": fields.Dict(required=True),
        "__doc__": "v202506.LineItem (2025-06) or v202601.OrderLineItem (2026-01).",
    },
)


class ShoplazzaShippingLine(Open):
    id = s(required=True)
    name = s(required=True)
    desc = s(required=True)
    delivery_method = fields.Raw(required=True, metadata={"type": ["integer", "string"]})


class ShoplazzaMarketPrice(Open):
    compare_at_price = s(required=True)
    price = s(required=True)
    total_price = s(required=True)
    actual_rate = s(required=True)


class ShoplazzaCustomer(Open):
    id = s(required=True)
    email = s(required=True)
    first_name = s(required=True)
    last_name = s(required=True)
    phone = s(required=True)
    created_at = s(required=True)
    updated_at = s(required=True)
    order_count = integer(required=True)
    total_spent = s(required=True)


ShoplazzaOrder = schema(
    "ShoplazzaOrder",
    __name__,
    Open,
    {
        **_strings(ORDER_STRINGS),
        "id": s(required=True, metadata={"example": "365154185097449134715"}),
        **{name: fields.Dict(required=True) for name in ORDER_OBJECTS},
        **{name: fields.List(fields.Dict(), required=True) for name in ORDER_LISTS},
        "line_items": fields.List(fields.Nested(ShoplazzaLineItem), required=True),
        "shipping_line": fields.Nested(ShoplazzaShippingLine, required=True),
        "primary_market_price": fields.Nested(ShoplazzaMarketPrice, required=True),
        "customer": fields.Nested(ShoplazzaCustomer, required=True),
        "buyer_accepts_marketing": fields.Boolean(required=True),
        **{name: integer(metadata={"description": "2026-01 only (v202601.Order); 0 when never set."}) for name in ORDER_NOTIFY},
        "browser_ip": s(metadata={"description": "2026-01 only (v202601.Order)."}),
        "__doc__": "v202506.Order (2025-06) or v202601.Order (2026-01): every top-level field of the version, always.",
    },
)


class ShoplazzaTransaction(Open):
    id = s(required=True)
    order_id = s(required=True)
    status = s(required=True)
    amount = s(required=True)
    currency = s(required=True)
    payment_channel = s(required=True)
    payment_name = s(required=True)
    trade_id = s(required=True)
    message = s(required=True)
    error_code = s(required=True)
    created_at = s(required=True)
    test = fields.Boolean(required=True)
    payment_detail = fields.Dict(required=True)


class ShoplazzaError(Schema):
    """`{"code", "message"}`."""

    code = s(required=True, metadata={"example": "InvalidParameter"})
    message = s(required=True)


def shoplazza_success(name: str, data: type[Schema] | dict) -> type[Schema]:
    """`{"code": "Success", "message", "data": <data>}` as a schema class called `name`."""
    data_schema = data if isinstance(data, type) else schema(f"{name}Data", __name__, Schema, data)
    attrs = {
        "code": s(required=True, metadata={"enum": ["Success"]}),
        "message": s(required=True),
        "data": fields.Nested(data_schema, required=True),
    }
    return schema(name, __name__, Schema, attrs)


ShoplazzaOrderEnvelope = shoplazza_success("ShoplazzaOrderEnvelope", {"order": fields.Nested(ShoplazzaOrder, required=True)})
ShoplazzaOrderList = shoplazza_success(
    "ShoplazzaOrderList",
    {
        "orders": fields.List(fields.Nested(ShoplazzaOrder), required=True),
        "cursor": s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)
ShoplazzaCount = shoplazza_success("ShoplazzaCount", {"count": integer(required=True)})
ShoplazzaTransactions = shoplazza_success(
    "ShoplazzaTransactions", {"transactions": fields.List(fields.Nested(ShoplazzaTransaction), required=True)}
)
ShoplazzaEmpty = shoplazza_success("ShoplazzaEmpty", schema("ShoplazzaEmptyData", __name__, Open, {}))


class ShoplazzaWebhook(Schema):
    """v202506.WebhookParam: every field a string."""

    id = s(required=True)
    address = s(required=True)
    topic = s(required=True)
    created_at = s(required=True)
    updated_at = s(required=True)
    format = s(required=True)


ShoplazzaWebhookEnvelope = shoplazza_success("ShoplazzaWebhookEnvelope", {"webhook": fields.Nested(ShoplazzaWebhook, required=True)})
ShoplazzaWebhookList = shoplazza_success(
    "ShoplazzaWebhookList",
    {
        "webhooks": fields.List(fields.Nested(ShoplazzaWebhook), required=True),
        "cursor": s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)

# v202506.Fulfillment (= v202601.FulfillmentSummary); v202601.Fulfillment adds tracking_items.
FULFILLMENT_STRINGS = (
    "id", "order_id", "status", "created_at", "updated_at", "tracking_company", "tracking_number",
    "tracking_company_code", "tracking_url", "phone_number",
)  # fmt: skip
ShoplazzaFulfillment = schema(
    "ShoplazzaFulfillment",
    __name__,
    Open,
    {
        **_strings(FULFILLMENT_STRINGS),
        "line_items": fields.List(fields.Nested(ShoplazzaLineItem), required=True),
        "tracking_items": fields.List(fields.Dict(), metadata={"description": "2026-01's get only (v202601.TrackingItem)."}),
        "__doc__": "v202506.Fulfillment / v202601.FulfillmentSummary; 2026-01's get adds tracking_items.",
    },
)
ShoplazzaFulfillmentEnvelope = shoplazza_success(
    "ShoplazzaFulfillmentEnvelope", {"fulfillment": fields.Nested(ShoplazzaFulfillment, required=True)}
)
ShoplazzaFulfillmentList = shoplazza_success(
    "ShoplazzaFulfillmentList",
    {
        "fulfillments": fields.List(fields.Nested(ShoplazzaFulfillment), required=True),
        "cursor": s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)


# -- how the OpenAPI document shows the Shoplazza API --------------------------------


def field_properties(field) -> dict:
    """Money travels as a decimal string; tags as a list or one comma-separated string."""
    if isinstance(field, Money):
        return {"pattern": r"^\d+(\.\d+)?$", "examples": ["16.99"]}
    if isinstance(field, Tags):
        return {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
    return {}


DOC = ApiDoc(
    tag="Shoplazza",
    error_schema="ShoplazzaError",
    error_text={
        400: "InvalidParameter: bad query parameter or body field (the message names it)",
        401: "Unauthorized: no access-token, or one that was not declared",
        403: "Forbidden: the token lacks the scope (read_order / write_order)",
        404: "NotFound: no such order or order number, deleted order, unknown API version",
        413: "RequestEntityTooLarge: body over MOCKSERVER_MAX_BODY_BYTES",
        500: "FailedPrecondition: a business rule refuses it (paying a paid order, cancelling a cancelled one)",
    },
    components=components(globals(), __name__),
    security=({"shoplazzaAccessToken": []},),
    security_schemes={
        "shoplazzaAccessToken": {"type": "apiKey", "in": "header", "name": "access-token", "description": "Shoplazza access-token"}
    },
    headers=("Request-Id",),
    path_parameters={"version": {"type": "string", "enum": list(VERSIONS)}},
    path_examples={
        f"{PREFIX}/{{version}}/orders/{{order_id}}": "365154185097449134715",
        f"{PREFIX}/{{version}}/orders/number/{{number}}": "1001",
    },
    field_types={Money: ("string", None), StrictBool: ("boolean", None)},
    field_properties=field_properties,
)
