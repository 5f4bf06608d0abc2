"""What the Shoppex catalogue endpoints answer (products, coupons, customers), as schemas for the OpenAPI document.

Every field the docs show is listed and required, with its documented JSON type: money a JSON
number, times Unix seconds.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from ..openapi.fields import Open, anything, integer, ns, num, s, schema


def _nullable_number() -> fields.Float:
    return num(required=True, allow_none=True)


def _nullable_integer() -> fields.Integer:
    return integer(required=True, allow_none=True)


def _strings() -> fields.List:
    return fields.List(fields.String(), required=True)


def _flag() -> fields.Boolean:
    return fields.Boolean(required=True)


class ShoppexVariant(Open):
    """A product's variant (search-products)."""

    id = s(required=True)
    uniqid = s(required=True)
    title = ns(required=True)
    description = ns(required=True)
    price = num(required=True)
    price_display = num(required=True)
    stock = integer(required=True)
    is_default = _flag()
    sort_order = integer(required=True)


# The 57 documented product fields (get-product), by JSON type.
_PRODUCT_STRINGS = ("id", "uniqid", "shop_id", "slug", "type", "title", "currency", "description", "stock_delimiter")
_PRODUCT_TEXTS = ("delivery_text", "service_text", "affiliate_customer_discount_mode")
_PRODUCT_NULLABLE_STRINGS = (
    "subtype",
    "dynamic_webhook",
    "terms_of_service",
    "warranty_text",
    "watermark_text",
    "redirect_link",
    "youtube_link",
    "image_id",
    "image_url",
    "file_id",
    "recurring_interval",
    "license_period",
    "category_id",
)
_PRODUCT_NUMBERS = ("price", "price_display", "discount_percent", "affiliate_revenue_percent")
_PRODUCT_NULLABLE_NUMBERS = ("cost", "cost_display", "affiliate_customer_discount_percent")
_PRODUCT_INTEGERS = (
    "quantity_min",
    "quantity_max",
    "quantity_warning",
    "stock",
    "sort_priority",
    "crypto_confirmations",
    "max_risk_level",
    "warranty_days",
    "created_at",
    "updated_at",
)
_PRODUCT_NULLABLE_INTEGERS = ("delivery_time", "recurring_interval_count", "trial_period")
_PRODUCT_FLAGS = ("pay_what_you_want", "unlisted", "private", "on_hold", "block_vpn_proxies", "watermark_enabled", "licensing_enabled")

ShoppexProduct = schema(
    "ShoppexProduct",
    __name__,
    Open,
    {
        **{name: s(required=True) for name in _PRODUCT_STRINGS + _PRODUCT_TEXTS},
        **{name: ns(required=True) for name in _PRODUCT_NULLABLE_STRINGS},
        **{name: num(required=True) for name in _PRODUCT_NUMBERS},
        **{name: _nullable_number() for name in _PRODUCT_NULLABLE_NUMBERS},
        **{name: integer(required=True) for name in _PRODUCT_INTEGERS},
        **{name: _nullable_integer() for name in _PRODUCT_NULLABLE_INTEGERS},
        **{name: _flag() for name in _PRODUCT_FLAGS},
        "gateways": _strings(),
        "custom_fields": fields.List(anything(), required=True),
        "volume_discounts": fields.List(anything(), required=True),
        "delivery_instructions": anything(required=True, metadata={"type": ["object", "null"]}),
        "variants": fields.List(fields.Nested(ShoppexVariant), required=True),
    },
)


class ShoppexProductStats(Schema):
    """The `stats` next to a product list's pagination."""

    total = integer(required=True)
    published = integer(required=True)
    low_stock = integer(required=True)
    out_of_stock = integer(required=True)


class ShoppexCoupon(Open):
    """A coupon: the 17 documented fields (list-coupons, create-coupon)."""

    id = s(required=True)
    uniqid = s(required=True)
    shop_id = s(required=True)
    type = s(required=True, metadata={"enum": ["PERCENTAGE", "FIXED"]})
    code = s(required=True)
    discount = num(required=True)
    used = integer(required=True)
    max_uses = _nullable_integer()
    min_order_amount = _nullable_number()
    max_discount = _nullable_number()
    valid_from = _nullable_integer()
    valid_until = _nullable_integer()
    is_active = _flag()
    created_at = integer(required=True)
    updated_at = integer(required=True)
    products_bound = _strings()
    products_count = integer(required=True)


_CUSTOMER_NULLABLE_STRINGS = (
    "name",
    "surname",
    "phone",
    "phone_country_code",
    "country_code",
    "street_address",
    "additional_address_info",
    "city",
    "postal_code",
    "state",
)

ShoppexCustomer = schema(
    "ShoppexCustomer",
    __name__,
    Open,
    {
        "id": s(required=True),
        "shop_id": s(required=True),
        "email": s(required=True),
        **{name: ns(required=True) for name in _CUSTOMER_NULLABLE_STRINGS},
        "affiliate_revenue": num(required=True),
        "affiliate_revenue_currency": s(required=True),
        "affiliate_revenue_percent": num(required=True),
        "customer_balance": num(required=True),
        "customer_balance_currency": s(required=True),
        "created_at": integer(required=True),
    },
)


class ShoppexProductPage(Schema):
    """GET /products and /products/search: the list envelope plus the shop's product `stats`."""

    data = fields.List(fields.Nested(ShoppexProduct), required=True)
    pagination = fields.Nested("ShoppexPagination", required=True)
    stats = fields.Nested(ShoppexProductStats, required=True)


class ShoppexSerial(Open):
    """A serial of a product's (or variant's) pool; `created_at` is ISO 8601, as documented."""

    id = s(required=True)
    serial = s(required=True)
    variant_id = ns(required=True)
    variant_title = ns(required=True)
    created_at = s(required=True, metadata={"format": "date-time"})


class ShoppexSerialPage(Schema):
    """GET /products/{id}/serials: a page of serials with page pagination."""

    data = fields.List(fields.Nested(ShoppexSerial), required=True)
    pagination = fields.Nested("ShoppexPagePagination", required=True)


class ShoppexSerialsAdded(Open):
    added_count = integer(required=True)


class ShoppexSerialsClaimed(Open):
    claimed_count = integer(required=True)
    remaining_stock = integer(required=True)
    serials = fields.List(fields.Nested(ShoppexSerial), required=True)
