"""Request bodies and query strings of the fulfillment commands, after the registry's v202506.*FulfillmentParam schemas."""

from __future__ import annotations

from marshmallow import fields, post_load, validate

from .fulfillments import cursor_position
from .queries import Cursor, PageSize, Query, Time
from .schemas import INT32, StrictBool, _Body

TIME_FILTERS = ("created_at_min", "created_at_max", "updated_at_min", "updated_at_max")


def _text(**kwargs) -> fields.String:
    return fields.String(**kwargs)


class FulfillmentLineItemParam(_Body):
    """v202506.FulfillmentLineItemParam: the order line's id; ship_quantity 0 or absent ships all that remains."""

    id = fields.String(required=True, validate=validate.Length(min=1))
    ship_quantity = fields.Integer(strict=True, validate=validate.Range(min=0, max=INT32.max))


class _TrackingParam(_Body):
    """The tracking details a fulfillment takes on create and on update, each optional text."""

    tracking_number = _text()
    tracking_company = _text()
    tracking_company_code = _text()
    tracking_url = _text()
    phone_number = _text()


class CreateFulfillmentParam(_TrackingParam):
    """v202506.CreateFulfillmentParam: at least one line item; tracking details optional."""

    line_items = fields.List(fields.Nested(FulfillmentLineItemParam), required=True, validate=validate.Length(min=1))


class CreateFulfillmentSchema(_Body):
    """POST orders/{order_id}/fulfillments: `{"fulfillment": {...}}`."""

    fulfillment = fields.Nested(CreateFulfillmentParam, required=True)


class UpdateFulfillmentParam(_TrackingParam):
    """v202506.UpdateFulfillmentParam: every field optional; a tracking_number given is not empty."""

    tracking_number = _text(validate=validate.Length(min=1))
    send_email = StrictBool()


class UpdateFulfillmentSchema(_Body):
    """PUT orders/{order_id}/fulfillments/{fulfillment_id}: `{"fulfillment": {...}}`."""

    fulfillment = fields.Nested(UpdateFulfillmentParam, required=True)


class FulfillmentCountQuerySchema(Query):
    """GET fulfillments/count: created_at and updated_at bounds (ISO 8601)."""

    created_at_min = Time("created_at")
    created_at_max = Time("created_at")
    updated_at_min = Time("updated_at")
    updated_at_max = Time("updated_at")

    @post_load
    def fulfillment_query(self, data: dict, **kwargs) -> dict:
        """The filters FulfillmentBackend lists and counts by."""
        times = {name: data[name] for name in TIME_FILTERS if name in data}
        return {"times": times, "page_size": data.get("page_size"), "after": data.get("cursor")}


class FulfillmentQuerySchema(FulfillmentCountQuerySchema):
    """GET fulfillments: the count's filters plus page_size (1-250, default 10) and cursor."""

    page_size = PageSize()
    cursor = Cursor(cursor_position)
