"""Marshmallow schemas for Shoppex request bodies."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ..webhooks.url_field import WebhookUrl
from ..wire import DecimalMoney, NumberMoney, StrictBoolean
from .webhooks import EVENTS

# The six spellings PATCH /orders/{id} accepts for affiliate attribution.
AFFILIATE_CODE_FIELDS = ("affiliate_code", "affiliateCode", "referral_code", "referralCode")
AFFILIATE_ID_FIELDS = ("affiliate_id", "affiliateId")
AFFILIATE_FIELDS = AFFILIATE_CODE_FIELDS + AFFILIATE_ID_FIELDS


def http_url(**kwargs) -> fields.Url:
    """A URL the server may post webhooks to: http or https, any host the webhook target rules allow."""
    return WebhookUrl(**kwargs)


class _Body(Schema):
    class Meta:
        # Like the real API, keys it does not know are ignored rather than refused.
        unknown = EXCLUDE


class CompleteOrderSchema(_Body):
    """POST /orders/{id}/complete and /invoices/{uniqid}/complete."""

    note = fields.String(allow_none=True, validate=validate.Length(max=1024))
    suppress_emails = StrictBoolean(allow_none=True)


def _affiliate_field() -> fields.String:
    return fields.String(allow_none=True, validate=validate.Length(min=1, max=255))


class UpdateOrderSchema(_Body):
    """PATCH/PUT /orders/{id}: affiliate attribution under any of its six names."""

    affiliate_code = _affiliate_field()
    affiliateCode = _affiliate_field()
    referral_code = _affiliate_field()
    referralCode = _affiliate_field()
    affiliate_id = _affiliate_field()
    affiliateId = _affiliate_field()

    @validates_schema
    def one_attribution(self, data: dict, **kwargs) -> None:
        """Exactly one attribution value, however many of its names carry it."""
        given = {name: data[name] for name in AFFILIATE_FIELDS if name in data}
        if not given:
            raise ValidationError(f"Provide one of {', '.join(AFFILIATE_FIELDS)} (a string, or null to clear).", "affiliate_code")
        codes = {v for k, v in given.items() if k in AFFILIATE_CODE_FIELDS}
        ids = {v for k, v in given.items() if k in AFFILIATE_ID_FIELDS}
        if len(codes) > 1 or len(ids) > 1 or (codes and ids):
            names = ", ".join(given)
            raise ValidationError(f"Conflicting attribution values in {names}; send one.", next(iter(given)))


def attribution_from(data: dict) -> tuple[str, str | None]:
    """The (field name, value) pair a validated UpdateOrderSchema body carries."""
    for name in AFFILIATE_FIELDS:
        if name in data:
            return name, data[name]
    raise AssertionError("validated body carries no attribution")


# Bounds that keep every computed total a sane JSON number (and Decimal arithmetic in range).
# Decimals, so that Decimal("0.01") is compared with 0.01 exactly (not with the float 0.01).
MIN_MONEY = Decimal("0.01")
MAX_QUANTITY = 1_000_000
# A refund amount may come as a string: ASCII digits, at most two decimals ("10", "10.5", "10.00", ".50").
DECIMAL_STRING = re.compile(r"[0-9]+(\.[0-9]{1,2})?|\.[0-9]{1,2}")
DECIMAL_STRING_ERRORS = {
    "type": 'Must be a string such as "10.00".',
    "invalid": 'Must be a plain decimal string with at most 2 decimals, such as "10.00".',
}


def _money(**kwargs) -> NumberMoney:
    """Shoppex money sent as a JSON number: 0.01 to MONEY_MAX, at most two decimals."""
    return NumberMoney(minimum=MIN_MONEY, places=2, **kwargs)


GATEWAYS = ("STRIPE", "PAYPAL", "PANDABASE", "MANUAL", "NATIVE_CRYPTO", "WHITE_LABEL")
CRYPTO_GATEWAYS = ("OXAPAY", "CRYPTOMUS", "BITCOIN", "LITECOIN")


def _gateway(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(GATEWAYS, error="Must be one of: {choices}."), **kwargs)


def _crypto_gateway() -> fields.String:
    return fields.String(allow_none=True, validate=validate.OneOf(CRYPTO_GATEWAYS, error="Must be one of: {choices}."))


CUSTOM_FIELD_ENTRY = "Each entry must be an object {name, value}: name a non-empty string, value a string, number, boolean or null."


def _is_custom_field_entry(entry) -> bool:
    return (
        isinstance(entry, dict)
        and set(entry) == {"name", "value"}
        and isinstance(entry["name"], str)
        and entry["name"] != ""
        and (entry["value"] is None or isinstance(entry["value"], (str, int)) or _finite(entry["value"]))
    )


def _finite(value) -> bool:
    return isinstance(value, float) and math.isfinite(value)


def check_custom_fields(value) -> None:
    """custom_fields comes back as null, an object, {"customFields": [...]} or an array of {name, value}: only those go in."""
    if isinstance(value, list):
        entries = value
    elif isinstance(value, dict):
        entries = value.get("customFields", [])
        if not isinstance(entries, list):
            raise ValidationError("customFields must be an array of {name, value}.")
    else:
        raise ValidationError("Must be null, an object, or an array of {name, value}.")
    if not all(_is_custom_field_entry(entry) for entry in entries):
        raise ValidationError(CUSTOM_FIELD_ENTRY)


def _custom_fields() -> fields.Raw:
    return fields.Raw(allow_none=True, validate=check_custom_fields)


class ListQuerySchema(_Body):
    """Query of GET /orders, /invoices, /payments, /products, /coupons."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None)
    status = fields.String(load_default=None)
    customerEmail = fields.String(load_default=None)


NOT_EMULATED = "Not emulated: the docs name this parameter but not its format; "


class RecordListQuery(ListQuerySchema):
    """GET /orders, /invoices, /payments: the documented `filters` and `sorts` are refused (422 naming them), never ignored."""

    filters = fields.Raw(validate=lambda value: _refuse(NOT_EMULATED + "filter with status and customerEmail."))
    sorts = fields.Raw(validate=lambda value: _refuse(NOT_EMULATED + "lists are newest first."))


def _refuse(message: str) -> bool:
    raise ValidationError(message)


class OrderItemSchema(_Body):
    """One item of POST /orders."""

    product_id = fields.String(required=True, validate=validate.Length(min=1))
    variant_id = fields.String(allow_none=True)
    quantity = fields.Integer(
        strict=True, load_default=1, validate=validate.Range(min=1, max=MAX_QUANTITY, error="Must be between 1 and {max}.")
    )
    # Kept on the item, as the create and list examples show it.
    delivery_instructions = fields.String(allow_none=True)


class CreateOrderSchema(_Body):
    """POST /orders."""

    email = fields.Email(required=True)
    coupon_code = fields.String(allow_none=True)
    gateway = _gateway(allow_none=True)
    title = fields.String(allow_none=True, validate=validate.Length(max=128))
    custom_fields = _custom_fields()
    items = fields.List(fields.Nested(OrderItemSchema), required=True, validate=validate.Length(min=1, error="At least one item."))


class FraudShieldSchema(_Body):
    """fraud_shield of POST /payments."""

    ip = fields.String()
    user_agent = fields.String()
    user_language = fields.String()


class CreatePaymentSchema(_Body):
    """POST /payments."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=128))
    email = fields.Email(required=True)
    value = _money(required=True)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z]{3}$", error="Must be a 3-letter currency code."))
    quantity = fields.Integer(
        strict=True, load_default=1, validate=validate.Range(min=1, max=MAX_QUANTITY, error="Must be between 1 and {max}.")
    )
    gateway = _gateway(allow_none=True)
    crypto_gateway = _crypto_gateway()
    gateways = fields.List(_gateway())
    confirmations = fields.Integer(strict=True, validate=validate.Range(min=1))
    webhook = http_url(allow_none=True)
    return_url = fields.Url(allow_none=True, require_tld=False)
    cancel_url = fields.Url(allow_none=True, require_tld=False)
    white_label = StrictBoolean()
    # Documented as an array of objects; the entries are the {name, value} pairs orders show.
    custom_fields = fields.List(fields.Dict(), allow_none=True, validate=check_custom_fields)
    customer_id = fields.String(allow_none=True)
    fraud_shield = fields.Nested(FraudShieldSchema)


class SessionProductSchema(_Body):
    """product of POST /checkout/sessions."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    quantity = fields.Integer(
        strict=True, load_default=1, validate=validate.Range(min=1, max=MAX_QUANTITY, error="Must be between 1 and {max}.")
    )


class CreateCheckoutSessionSchema(_Body):
    """POST /checkout/sessions, the Stripe-style alias of POST /payments."""

    product = fields.Nested(SessionProductSchema, required=True)
    amount = _money(required=True)
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z]{3}$", error="Must be a 3-letter currency code."))
    customer_email = fields.Email(required=True)
    success_url = fields.Url(allow_none=True, require_tld=False)
    cancel_url = fields.Url(allow_none=True, require_tld=False)
    metadata = fields.Dict(allow_none=True)
    gateway = _gateway(allow_none=True)
    gateways = fields.List(_gateway())
    crypto_gateway = _crypto_gateway()
    white_label = StrictBoolean()
    confirmations = fields.Integer(strict=True, validate=validate.Range(min=1))
    customer_id = fields.String(allow_none=True)


class RefundSchema(_Body):
    """POST /orders/{id}/refund: `amount` is a decimal string such as "10.00"."""

    amount = DecimalMoney(minimum=MIN_MONEY, places=2, pattern=DECIMAL_STRING, error_messages=DECIMAL_STRING_ERRORS)
    reason = fields.String(allow_none=True, validate=validate.Length(max=1024))


class VoidInvoiceSchema(_Body):
    """POST /invoices/{uniqid}/void."""

    void_details = fields.String(allow_none=True, validate=validate.Length(max=1024))


def _events_field(**kwargs) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf(EVENTS, error="Unknown event; see GET /dev/v1/webhooks/events.")),
        validate=validate.Length(min=1, max=12, error="Between 1 and 12 events."),
        **kwargs,
    )


class CreateWebhookSchema(_Body):
    """POST /webhooks."""

    url = http_url(required=True)
    events = _events_field(required=True)
    type = fields.String(load_default="paylix", validate=validate.OneOf(("paylix", "zapier")))


class UpdateWebhookSchema(_Body):
    """PATCH /webhooks/{id}."""

    url = http_url()
    events = _events_field()
    type = fields.String(validate=validate.OneOf(("paylix", "zapier")))
    enabled = fields.Boolean()


class TestWebhookSchema(_Body):
    """POST /webhooks/{id}/test: which event to send (default: the webhook's first)."""

    event = fields.String(validate=validate.OneOf(EVENTS, error="Unknown event; see GET /dev/v1/webhooks/events."))


class LogsQuerySchema(_Body):
    """GET /webhooks/logs: page pagination."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    # The reference page names the size `per_page` (default 50); the resource page's example `limit`.
    per_page = fields.Integer(validate=validate.Range(min=1, max=100))
    limit = fields.Integer(validate=validate.Range(min=1, max=100))
    status = fields.String(validate=validate.OneOf(("pending", "success", "failed")))
    event_type = fields.String(validate=validate.OneOf(EVENTS))
    webhook_uniqid = fields.String()

    @validates_schema
    def one_size(self, data: dict, **kwargs) -> None:
        """`per_page` and `limit` are one parameter: both may be given only with the same value."""
        if "per_page" in data and "limit" in data and data["per_page"] != data["limit"]:
            raise ValidationError("per_page and limit are the same parameter; give one.", field_name="per_page")

    @post_load
    def size(self, data: dict, **kwargs) -> dict:
        """The page size under `per_page`, 50 when neither spelling is given."""
        data["per_page"] = data.pop("limit", None) or data.get("per_page") or 50
        return data


class UpdateInvoiceSchema(_Body):
    """PATCH /invoices/{uniqid}: the documented camelCase body, loaded as the invoice's snake_case fields."""

    gateway = _gateway()
    apm_method = fields.String(data_key="apmMethod", validate=validate.Length(min=1, max=64))
    name = fields.String(validate=validate.Length(max=128))
    surname = fields.String(validate=validate.Length(max=128))
    address_line_1 = fields.String(data_key="addressLine1", validate=validate.Length(max=256))
    address_city = fields.String(data_key="addressCity", validate=validate.Length(max=128))
    address_country = fields.String(data_key="addressCountry", validate=validate.Length(equal=2, error="A 2-letter country code."))
    address_postal_code = fields.String(data_key="addressPostalCode", validate=validate.Length(max=32))

    @validates_schema
    def something(self, data: dict, **kwargs) -> None:
        """At least one documented field."""
        if not data:
            raise ValidationError("Send at least one of gateway, apmMethod, name, surname, addressLine1, addressCity, ...", "body")
