"""Marshmallow schemas for Shoppex request bodies."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

# The six spellings PATCH /orders/{id} accepts for affiliate attribution.
AFFILIATE_CODE_FIELDS = ("affiliate_code", "affiliateCode", "referral_code", "referralCode")
AFFILIATE_ID_FIELDS = ("affiliate_id", "affiliateId")
AFFILIATE_FIELDS = AFFILIATE_CODE_FIELDS + AFFILIATE_ID_FIELDS


class _Body(Schema):
    class Meta:
        # Like the real API, keys it does not know are ignored rather than refused.
        unknown = EXCLUDE


class CompleteOrderSchema(_Body):
    """POST /orders/{id}/complete and /invoices/{uniqid}/complete."""

    note = fields.String(allow_none=True, validate=validate.Length(max=1024))
    suppress_emails = fields.Boolean(allow_none=True)


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
