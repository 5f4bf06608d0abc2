"""Marshmallow schemas for the Shoppex catalogue: products, coupons and customers (bodies and query strings)."""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from ..wire import NumberMoney, StrictBoolean
from .schemas import GATEWAYS, ListQuerySchema

# Upper-case tokens such as SERIALS, DYNAMIC or SINGLE: the docs list the first option of each only.
TOKEN = validate.Regexp(r"^[A-Z][A-Z_]*$", error="Must be an upper-case token such as SERIALS or DYNAMIC.")
NOT_EMULATED = "Not emulated: this list is always newest first by created_at, unfiltered; filter or sort on your side."
# camelCase spellings the docs list next to the snake_case ones, and a few other documented aliases.
ALIASES = {"crypto_confirmations_needed": "crypto_confirmations", "serials_remove_duplicates": "remove_duplicates"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _codes(value) -> None:
    # A string of codes, one per line, or a list of strings; at least one code.
    if isinstance(value, list) and all(isinstance(code, str) for code in value):
        codes = [code for code in value if code.strip()]
    elif isinstance(value, str):
        codes = [code for code in value.splitlines() if code.strip()]
    else:
        raise ValidationError("Must be a string with one serial per line, or a list of strings.")
    if not codes:
        raise ValidationError("At least one serial.")


class _Body(Schema):
    class Meta:
        # Like the real API, keys it does not know are ignored rather than refused.
        unknown = EXCLUDE

    @pre_load
    def snake_case(self, data, **kwargs):
        """Documented camelCase keys (cryptoConfirmationsNeeded, ...) load as their snake_case names; snake_case wins."""
        if not isinstance(data, dict):
            return data
        renamed = dict(data)
        for key, value in data.items():
            name = ALIASES.get(_snake(key), _snake(key))
            if name != key and name in self.fields and name not in data:
                renamed.setdefault(name, value)
                renamed.pop(key)
        return renamed


class NotEmulated(fields.String):
    """A documented list parameter the mock refuses (a 422 naming it) rather than ignores."""

    def _deserialize(self, value, attr, data, **kwargs):
        raise ValidationError(NOT_EMULATED)


class CatalogListQuery(ListQuerySchema):
    """Query of GET /products, /coupons, /customers: cursor pagination; `filters` and `sorts` are refused."""

    class Meta:
        unknown = EXCLUDE
        # Order filters, which these lists do not document.
        exclude = ("status", "customerEmail")

    filters = NotEmulated()
    sorts = NotEmulated()


class ProductQuery(Schema):
    """Query of GET /products/{id}."""

    class Meta:
        unknown = EXCLUDE

    include_variants = fields.Boolean(load_default=True)


class ProductSearchQuery(CatalogListQuery):
    """Query of GET /products/search: `q` matches title, description, slug, id and uniqid."""

    q = fields.String(load_default="")
    include_variants = fields.Boolean(load_default=True)


def _money(**kwargs) -> NumberMoney:
    return NumberMoney(minimum=Decimal(0), places=2, **kwargs)


def _count(**kwargs) -> fields.Integer:
    return fields.Integer(strict=True, **kwargs)


def _text(**kwargs) -> fields.String:
    return fields.String(**kwargs)


class ProductBody(_Body):
    """The writable product fields of PATCH /products/{id} (all optional)."""

    title = _text(validate=validate.Length(min=1, max=255))
    price = _money()
    type = _text(validate=TOKEN)
    subtype = _text(allow_none=True, validate=TOKEN)
    cost = _money(allow_none=True)
    description = _text()
    currency = _text(validate=validate.Regexp(r"^[A-Za-z]{3}$", error="Must be a 3-letter currency code."))
    gateways = fields.List(_text(validate=validate.OneOf(GATEWAYS, error="Must be one of: {choices}.")))
    serials = fields.Raw(validate=_codes)
    remove_duplicates = StrictBoolean()
    service_text = _text()
    stock = _count(validate=validate.Range(min=-1))
    dynamic_webhook = fields.Url(allow_none=True, require_tld=False)
    stock_delimiter = _text(validate=validate.Length(min=1, max=16))
    quantity_min = _count(validate=validate.Range(min=1))
    quantity_max = _count(validate=validate.Range(min=-1))
    delivery_text = _text()
    custom_fields = fields.List(fields.Dict())
    delivery_instructions = fields.Dict(allow_none=True)
    crypto_confirmations = _count(validate=validate.Range(min=0))
    max_risk_level = _count(validate=validate.Range(min=0, max=100))
    unlisted = StrictBoolean()
    private = StrictBoolean()
    block_vpn_proxies = StrictBoolean()
    sort_priority = _count()
    on_hold = StrictBoolean()
    terms_of_service = _text(allow_none=True)
    warranty_days = _count(validate=validate.Range(min=0))
    warranty_text = _text(allow_none=True)
    volume_discounts = fields.List(fields.Dict())
    recurring_interval = _text(allow_none=True, validate=validate.OneOf(("DAY", "WEEK", "MONTH", "YEAR")))
    recurring_interval_count = _count(allow_none=True, validate=validate.Range(min=1))


class CreateProductSchema(ProductBody):
    """POST /products: `title`, `price` and `type` are required."""

    title = _text(required=True, validate=validate.Length(min=1, max=255))
    price = _money(required=True)
    type = _text(required=True, validate=TOKEN)


def _iso_time(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(format="iso", allow_none=True, **kwargs)


class CouponBody(_Body):
    """The writable coupon fields of PATCH /coupons/{id} (all optional)."""

    code = _text(validate=validate.Length(min=1, max=64))
    discount_value = NumberMoney(minimum=Decimal("0.01"), places=2)
    discount_type = _text(validate=validate.OneOf(("PERCENTAGE", "FIXED"), error="Must be one of: {choices}."))
    max_uses = _count(validate=validate.Range(min=0))
    products_bound = fields.List(_text(validate=validate.Length(min=1)))
    min_order_amount = _money(allow_none=True)
    max_discount = _money(allow_none=True)
    valid_from = _iso_time()
    valid_until = _iso_time()
    used_count = _count(validate=validate.Range(min=0))
    is_active = StrictBoolean()


class CreateCouponSchema(CouponBody):
    """POST /coupons: `code` and `discount_value` are required; `discount_type` defaults to PERCENTAGE."""

    code = _text(required=True, validate=validate.Length(min=1, max=64))
    discount_value = NumberMoney(required=True, minimum=Decimal("0.01"), places=2)
    discount_type = _text(load_default="PERCENTAGE", validate=validate.OneOf(("PERCENTAGE", "FIXED"), error="Must be one of: {choices}."))

    class Meta(_Body.Meta):
        # Only an update sets the use count.
        exclude = ("used_count",)


def _nullable_text(**kwargs) -> fields.String:
    return fields.String(allow_none=True, **kwargs)


class CustomerBody(_Body):
    """The writable customer fields of PATCH /customers/{id} (all optional)."""

    email = fields.Email()
    name = _text(validate=validate.Length(min=1))
    surname = _text(validate=validate.Length(min=1))
    phone = _nullable_text()
    phone_country_code = _nullable_text()
    country_code = _nullable_text(validate=validate.Regexp(r"^[A-Za-z]{2}$", error="Must be a 2-letter country code."))
    street_address = _nullable_text()
    additional_address_info = _nullable_text()
    city = _nullable_text()
    postal_code = _nullable_text()
    state = _nullable_text()
    customer_balance = _money()
    customer_balance_description = _text(validate=validate.Length(max=255))


class CreateCustomerSchema(CustomerBody):
    """POST /customers: `email` is required; `upsert` updates the customer with that email instead of refusing it."""

    email = fields.Email(required=True)
    upsert = StrictBoolean(load_default=False)

    class Meta(_Body.Meta):
        # Only an update sets the balance.
        exclude = ("customer_balance", "customer_balance_description")


class CustomerQuery(Schema):
    """Query of GET /customers/{id}."""

    class Meta:
        unknown = EXCLUDE

    include_affiliate = fields.Boolean()


class SerialsQuery(Schema):
    """Query of GET /products/{id}/serials (and a variant's): page pagination."""

    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class AddSerialsSchema(_Body):
    """POST /products/{id}/serials (and a variant's): `serials` one per line (or a list); `remove_duplicates`."""

    serials = fields.Raw(required=True, validate=_codes)
    remove_duplicates = StrictBoolean(load_default=False)


class ClaimSerialsSchema(_Body):
    """POST /products/{id}/serials/claim."""

    amount = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=500))
