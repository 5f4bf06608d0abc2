"""What the refund, post-sale and risk routes answer, as schemas for the OpenAPI document (v202506 shapes)."""

from __future__ import annotations

import dataclasses

from marshmallow import fields

from ..openapi.fields import Open, components, integer, s, schema
from . import responses
from .refunds import POST_SALE_FIELDS, REFUND_FIELDS
from .responses import shoplazza_success

# The fields of a refund record and of a post-sale record that are not strings.
REFUND_LISTS = ("refund_line_items", "payment_details", "additional_prices")
POST_SALE_OTHERS = (
    "fulfillments",
    "line_items",
    "payment_lines",
    "shipping_line",
    "main_currency_prices",
    "delivery_method",
    "shipping_tax_type",
)


def _strings(*names: str) -> dict:
    return {name: s(required=True) for name in names}


ShoplazzaRefundLineItem = schema(
    "ShoplazzaRefundLineItem",
    __name__,
    Open,
    {
        **_strings("line_item_id", "tax", "discount", "sub_total", "total"),
        "refund_quantity": integer(required=True),
        "delete_quantity": integer(required=True),
        "__doc__": "v202506.RefundLineItem.",
    },
)
ShoplazzaRefundPaymentDetail = schema(
    "ShoplazzaRefundPaymentDetail",
    __name__,
    Open,
    {
        **_strings("id", "payment_line_id", "payment_channel", "payment_method", "refund_price", "refund_status", "finished_at"),
        "__doc__": "v202506.RefundPaymentDetail.",
    },
)
ShoplazzaRefundRecord = schema(
    "ShoplazzaRefundRecord",
    __name__,
    Open,
    {
        **_strings(*(name for name in REFUND_FIELDS if name not in REFUND_LISTS)),
        "refund_line_items": fields.List(fields.Nested(ShoplazzaRefundLineItem), required=True),
        "payment_details": fields.List(fields.Nested(ShoplazzaRefundPaymentDetail), required=True),
        "additional_prices": fields.List(fields.Dict(), required=True),
        "__doc__": "v202506.RefundRecord.",
    },
)
ShoplazzaPostSale = schema(
    "ShoplazzaPostSale",
    __name__,
    Open,
    {
        **_strings(*(name for name in POST_SALE_FIELDS if name not in POST_SALE_OTHERS)),
        **{name: fields.List(fields.Dict(), required=True) for name in POST_SALE_OTHERS[:3]},
        "shipping_line": fields.Dict(required=True),
        "main_currency_prices": fields.Dict(required=True),
        "delivery_method": integer(required=True),
        "shipping_tax_type": integer(required=True),
        "__doc__": "v202506.PostSaleOrder.",
    },
)
ShoplazzaRisk = schema(
    "ShoplazzaRisk",
    __name__,
    Open,
    {
        **_strings("id", "order_id", "level", "created_at", "updated_at"),
        "details": fields.List(fields.String(), required=True),
        "properties": fields.Dict(keys=fields.String(), values=fields.String(), required=True),
        "__doc__": "v202506.OrderRisk.",
    },
)

ShoplazzaRefundCreated = shoplazza_success("ShoplazzaRefundCreated", _strings("refund_record_id", "post_sale_id"))
ShoplazzaOrderRefunds = shoplazza_success(
    "ShoplazzaOrderRefunds",
    {**_strings("order_financial_status", "order_status"), "records": fields.List(fields.Nested(ShoplazzaRefundRecord), required=True)},
)
ShoplazzaRefundRecordList = shoplazza_success(
    "ShoplazzaRefundRecordList",
    {
        "records": fields.List(fields.Nested(ShoplazzaRefundRecord), required=True),
        "cursor": s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)
ShoplazzaPostSaleList = shoplazza_success(
    "ShoplazzaPostSaleList",
    {
        "orders": fields.List(fields.Nested(ShoplazzaPostSale), required=True),
        "cursor": s(required=True),
        "has_more": fields.Boolean(required=True),
    },
)
ShoplazzaRiskEnvelope = shoplazza_success("ShoplazzaRiskEnvelope", {"risk": fields.Nested(ShoplazzaRisk, required=True)})
ShoplazzaRiskAssessments = shoplazza_success(
    "ShoplazzaRiskAssessments",
    {
        "assessments": fields.List(fields.String(), required=True),
        "infos": fields.List(fields.Dict(keys=fields.String(), values=fields.String()), required=True),
    },
)

# The Shoplazza document with these components too.
DOC = dataclasses.replace(responses.DOC, components=responses.DOC.components + components(globals(), __name__))
