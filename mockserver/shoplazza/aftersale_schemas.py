"""Request bodies and query strings of refunds, post-sales and risks, after the registry's v202506 *Param schemas."""

from __future__ import annotations

from marshmallow import ValidationError, fields, post_load, validate

from ..wire import StrictBoolean
from .aftersales import page_position
from .filters import ASCII_INTEGER
from .queries import Choice, Cursor, Query, Time, Values
from .refunds import POST_SALE_STATUSES, REFUND_STATUSES
from .schemas import INT32, Money, _Body, _required_text, _text

RISK_LEVELS = ("low", "medium", "high")
REFUND_SORT = ("created_at", "updated_at")
DIRECTIONS = ("asc", "desc")


class CreateRefundRecordLineItemParam(_Body):
    """v202506.CreateRefundRecordLineItemParam."""

    line_item_id = _required_text()
    refund_item_type = fields.String(validate=validate.OneOf(("auto", "shipped", "waiting_ship")))
    quantity = fields.Integer(strict=True, validate=INT32)
    return_inventory = StrictBoolean()


class CreateRefundRecordPaymentParam(_Body):
    """v202506.CreateRefundRecordPaymentParam."""

    payment_line_id = _required_text()
    refund_price = Money(required=True)


class CreateRefundRecordAdditionalPriceParam(_Body):
    """v202506.CreateRefundRecordAdditionalPriceParam."""

    name = _required_text()
    price = Money(required=True)


class CreateOrderRefundRecordParam(_Body):
    """v202506.CreateOrderRefundRecordParam: refund_total is required."""

    refund_total = Money(required=True)
    refund_shipping_total = Money()
    refund_tip = Money()
    refund_additional_total = Money()
    refund_product_total = Money()
    refund_line_items = fields.List(fields.Nested(CreateRefundRecordLineItemParam))
    refund_payments = fields.List(fields.Nested(CreateRefundRecordPaymentParam))
    refund_additional_prices = fields.List(fields.Nested(CreateRefundRecordAdditionalPriceParam))
    note = _text()


class CreateRefundSchema(_Body):
    """POST orders/{order_id}/refund: `{"refund": {...}}`."""

    refund = fields.Nested(CreateOrderRefundRecordParam, required=True)


class Properties(fields.Dict):
    """A risk's custom properties: an object of strings."""

    def __init__(self, **kwargs):
        super().__init__(keys=fields.String(), values=fields.String(), **kwargs)


def _details(**kwargs) -> fields.List:
    # At least one detail reason, each a string.
    return fields.List(fields.String(), validate=validate.Length(min=1, error="must hold at least one reason"), **kwargs)


def _level(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(RISK_LEVELS, error="must be one of: {choices}"), **kwargs)


class CreateOrderRiskParam(_Body):
    """v202506.CreateOrderRiskParam: level (low, medium, high) is required."""

    level = _level(required=True)
    details = _details()
    properties = Properties()


class CreateRiskSchema(_Body):
    """POST orders/{order_id}/risks: `{"risk": {...}}`."""

    risk = fields.Nested(CreateOrderRiskParam, required=True)


class UpdateOrderRiskParam(_Body):
    """v202506.UpdateOrderRiskParam: any of level, details, properties."""

    level = _level()
    details = _details()
    properties = Properties()


class UpdateRiskSchema(_Body):
    """PUT orders/{order_id}/risks/{id}: `{"risk": {...}}`."""

    risk = fields.Nested(UpdateOrderRiskParam, required=True)


class Bounded(fields.Integer):
    """`page_size`: ASCII digits from 1 to `maximum` (the registry's bounds of that list)."""

    def __init__(self, default: int, maximum: int, **kwargs):
        super().__init__(load_default=default, validate=validate.Range(min=1, max=maximum), **kwargs)
        self.maximum = maximum

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        match = ASCII_INTEGER.fullmatch(value)
        if not match or len(match.group(1).lstrip("0")) > 4 or not 1 <= int(match.group(1)) <= self.maximum:
            raise ValidationError(f"must be an integer from 1 to {self.maximum}")
        return int(match.group(1))


def _times(data: dict, names: tuple[str, ...], low: str, high: str) -> dict:
    # {field: (lower bound or None, upper bound or None)} in Unix seconds.
    return {name: (data.pop(f"{name}_{low}", None), data.pop(f"{name}_{high}", None)) for name in names}


class RefundCountQuerySchema(Query):
    """GET orders/refund_records/count: the list's filters (arrays repeat the key)."""

    order_ids = Values(validate=validate.Length(max=10, error="at most {max} ids"))
    refund_order_ids = Values(validate=validate.Length(max=20, error="at most {max} ids"))
    refund_statuses = Values(REFUND_STATUSES)
    created_at_start = Time("created_at")
    created_at_end = Time("created_at")
    updated_at_start = Time("updated_at")
    updated_at_end = Time("updated_at")

    @post_load
    def refund_query(self, data: dict, **kwargs) -> dict:
        """The filters AfterSalesBackend.list_refunds and count_refunds take."""
        data["times"] = _times(data, REFUND_SORT, "start", "end")
        cursor = data.pop("cursor", None)
        if cursor is not None:
            data["sort_by"], data["sort_direction"], data["after"] = cursor
        return data


class RefundQuerySchema(RefundCountQuerySchema):
    """GET orders/refund_records: filters, sort (created_at or updated_at, newest first by default), cursor."""

    page_size = Bounded(10, 100)
    sort_by = Choice(REFUND_SORT, load_default="created_at")
    sort_direction = Choice(DIRECTIONS, lower=True, error="must be asc or desc", load_default="desc")
    cursor = Cursor(page_position("refund_records", REFUND_SORT))


class PostSaleQuerySchema(Query):
    """GET orders/post_sales: status, created_at bounds, page_size (default 20), cursor; newest first."""

    status = Choice(POST_SALE_STATUSES)
    created_at_min = Time("created_at")
    created_at_max = Time("created_at")
    page_size = Bounded(20, 250)
    cursor = Cursor(page_position("post_sales", ("created_at",)))

    @post_load
    def post_sale_query(self, data: dict, **kwargs) -> dict:
        """The filters AfterSalesBackend.list_post_sales takes."""
        data["times"] = _times(data, ("created_at",), "min", "max")
        data["sort_by"], data["sort_direction"] = "created_at", "desc"
        cursor = data.pop("cursor", None)
        if cursor is not None:
            data["sort_by"], data["sort_direction"], data["after"] = cursor
        return data
