"""Marshmallow schemas for Shoplazza request bodies, after the registry's *Param schemas."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..webhooks.url_field import WebhookUrl
from ..wire import MONEY_MAX, PLAIN_DECIMAL, DecimalMoney, StrictBoolean
from .webhooks import TOPICS

NOTIFY = validate.Range(min=0, max=2)
# The registry types delivery_method as int32: a larger number could not be stored or sent back.
INT32 = validate.Range(min=-(2**31), max=2**31 - 1)


class _Body(Schema):
    class Meta:
        # Like the real API, keys it does not know are ignored rather than refused.
        unknown = EXCLUDE


class Money(DecimalMoney):
    """A money amount sent as a decimal string ("16.99"), blanks around it tolerated; loads as Decimal."""

    default_error_messages = {
        **DecimalMoney.default_error_messages,
        "invalid": 'must be a non-negative decimal string such as "16.99"',
        "range": f"must be at most {MONEY_MAX} (the largest amount the mock takes)",
    }

    def __init__(self, **kwargs):
        super().__init__(pattern=PLAIN_DECIMAL, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value.strip() if isinstance(value, str) else value, attr, data, **kwargs)


class Tags(fields.Field):
    """Order tags: an array of strings (registry) or one comma-separated string; loads as a list."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
            raise ValidationError("must be an array of strings")
        return [tag.strip() for tag in value if tag.strip()]


class StrictBool(StrictBoolean):
    """A JSON true/false; strings and numbers are refused (in Shoplazza's wording)."""

    default_error_messages = {"invalid": "must be a boolean (true or false)"}


def _text(**kwargs) -> fields.String:
    return fields.String(**kwargs)


def _required_text() -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1))


class _AddressParam(_Body):
    """The fields every address parameter has, each optional text."""

    first_name = _text()
    last_name = _text()
    email = _text()
    country = _text()
    country_code = _text()
    province = _text()
    province_code = _text()
    area = _text()
    city = _text()
    address = _text()
    address1 = _text()
    company = _text()
    zip = _text()


class BillingAddressParam(_AddressParam):
    """v202506.BillingAddressParam: every field optional; merged into the order's billing_address."""

    longitude = _text()
    latitude = _text()
    source = _text()
    tags = _text()
    phone = _text()
    phone_area_code = _text()


class PaymentLineParam(_Body):
    """v202506.PaymentLineParam: channel, method and transaction number are required."""

    payment_method = _required_text()
    payment_channel = _required_text()
    transaction_no = _required_text()
    credit_card_number = _text()


class PayOrderSuccessSchema(_Body):
    """POST orders/{order_id}/payment/success."""

    billing_address = fields.Nested(BillingAddressParam, allow_none=True)
    gateway = fields.String(allow_none=True, validate=validate.Length(min=1))
    payment_line = fields.Nested(PaymentLineParam, allow_none=True)
    payment_lines = fields.List(fields.Nested(PaymentLineParam), allow_none=True)


class CreateOrderLineItemParam(_Body):
    """v202601.CreateOrderLineItemParam; the mock needs price or total_price (it has no catalogue)."""

    product_id = _text()
    variant_id = _text()
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**31 - 1))
    price = Money()
    use_discount = StrictBool()
    product_title = _text()
    total_price = Money()

    @validates_schema
    def has_price(self, data: dict, **kwargs) -> None:
        """Without a product catalogue the line's price must come from the request."""
        if "price" not in data and "total_price" not in data:
            raise ValidationError("price or total_price is required", "price")


class CreateOrderShippingAddressParam(_AddressParam):
    """v202601.CreateOrderShippingAddressParam: the address fields, most of them required."""

    last_name = _required_text()
    email = _required_text()
    country_code = _required_text()
    province = _required_text()
    province_code = _required_text()
    city = _required_text()
    address = _required_text()
    zip = _required_text()
    phone_area_code = _text()
    phone = _text()
    cpf = _text()


class CreateOrderShippingLineParam(_Body):
    """v202601.CreateOrderShippingLineParam."""

    shipping_name = _required_text()
    shipping_desc = _text()
    shipping_price = Money(required=True)
    delivery_method = fields.Integer(strict=True, validate=INT32)
    business_info = fields.Dict()


class CreateOrderParam(_Body):
    """v202601.CreateOrderParam."""

    line_items = fields.List(fields.Nested(CreateOrderLineItemParam), required=True, validate=validate.Length(min=1))
    shipping_address = fields.Nested(CreateOrderShippingAddressParam, required=True)
    shipping_line = fields.Nested(CreateOrderShippingLineParam, required=True)
    tax_total = Money(required=True)
    currency_code = fields.String(required=True, validate=validate.Length(min=1))
    tags = Tags()
    discount = Money()
    note = _text()
    payment_line = _text()
    config = _text()
    discount_application = fields.Dict()
    order_confirm_notify = fields.Integer(strict=True, validate=NOTIFY)
    fulfillment_notify = fields.Integer(strict=True, validate=NOTIFY)
    partial_fulfillment_notify = fields.Integer(strict=True, validate=NOTIFY)
    order_delivered_notify = fields.Integer(strict=True, validate=NOTIFY)


class CreateOrderSchema(_Body):
    """POST orders: `{"order": {...}}`."""

    order = fields.Nested(CreateOrderParam, required=True)


class UpdateOrderShippingAddressParam(_AddressParam):
    """v202601.UpdateOrderShippingAddressParam: every field optional, merged into the address."""

    phone = _text()
    phone_area_code = _text()


class UpdateOrderShippingLineParam(_Body):
    """v202601.UpdateOrderShippingLineParam."""

    shipping_name = _required_text()
    shipping_desc = _text()
    shipping_price = Money(required=True)
    delivery_method = fields.Integer(strict=True, validate=INT32)
    extra_info = _text()


class UpdateAdditionalPrice(_Body):
    """v202601.UpdateAdditionalPrice."""

    name = _required_text()
    price = Money(required=True)
    biz_id = _text()
    fee_title = _required_text()


class UpdateOrderParam(_Body):
    """v202601.UpdateOrderParam (plus billing_address, which the mock also merges)."""

    note = _text()
    tags = Tags()
    buyer_accepts_marketing = StrictBool()
    shipping_address = fields.Nested(UpdateOrderShippingAddressParam)
    billing_address = fields.Nested(BillingAddressParam)
    shipping_line = fields.Nested(UpdateOrderShippingLineParam)
    additional_prices = fields.List(fields.Nested(UpdateAdditionalPrice))
    clear_additional_prices = StrictBool()
    order_confirm_notify = fields.Integer(strict=True, validate=NOTIFY)
    fulfillment_notify = fields.Integer(strict=True, validate=NOTIFY)
    partial_fulfillment_notify = fields.Integer(strict=True, validate=NOTIFY)
    order_delivered_notify = fields.Integer(strict=True, validate=NOTIFY)


class UpdateOrderSchema(_Body):
    """PUT orders/{order_id}: `{"order": {...}}`."""

    order = fields.Nested(UpdateOrderParam, required=True)


class CancelOrderSchema(_Body):
    """POST orders/{order_id}/cancel."""

    reason = fields.String(allow_none=True)


def _address(required: bool) -> fields.Url:
    # A receiver is usually local (http://127.0.0.1:9000/hook): no top-level domain needed; never this server itself.
    return WebhookUrl(required=required, validate=validate.Length(min=1))


def _topic(required: bool) -> fields.String:
    return fields.String(required=required, validate=validate.OneOf(TOPICS, error="must be one of: {choices}"))


class CreateWebhookParam(_Body):
    """v202506.CreateWebhookParam: address (an http or https URL) and topic are required."""

    address = _address(required=True)
    topic = _topic(required=True)


class CreateWebhookSchema(_Body):
    """POST webhooks: `{"webhook": {"address", "topic"}}`."""

    webhook = fields.Nested(CreateWebhookParam, required=True)


class UpdateWebhookParam(_Body):
    """v202506.UpdateWebhookParam: address and/or topic."""

    address = _address(required=False)
    topic = _topic(required=False)


class UpdateWebhookSchema(_Body):
    """PUT webhooks/{id}: `{"webhook": {"address"?, "topic"?}}`."""

    webhook = fields.Nested(UpdateWebhookParam, required=True)
