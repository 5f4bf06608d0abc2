"""Marshmallow schemas for /__admin request bodies and queries."""

from __future__ import annotations

from datetime import datetime

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

MAX_INSTANT = 253402300799  # 9999-12-31T23:59:59Z
MAX_ADVANCE = 100 * 366 * 86400  # a century


class Instant(fields.Field):
    """Unix seconds (a number) or an ISO 8601 string; null allowed."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("Must be Unix seconds or an ISO 8601 time.")
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                pass
        raise ValidationError("Must be Unix seconds or an ISO 8601 time.")


class ClockSchema(Schema):
    """POST /__admin/clock: freeze at a time, let run (null), or advance."""

    class Meta:
        unknown = RAISE

    frozen_at = Instant(allow_none=True, validate=validate.Range(min=0, max=MAX_INSTANT, error="Must be between 1970 and 9999."))
    advance = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=MAX_ADVANCE, error="Must be between 0 and {max} seconds."))

    @validates_schema
    def one_change(self, data: dict, **kwargs) -> None:
        """At least one of frozen_at or advance."""
        if not data:
            raise ValidationError("Send frozen_at (Unix seconds, ISO 8601 or null) or advance (seconds).", "frozen_at")


class MatcherSchema(Schema):
    """A journal matcher, from a query string or a JSON body."""

    class Meta:
        unknown = EXCLUDE

    method = fields.String(load_default=None)
    path = fields.String(load_default=None)
    namespace = fields.String(load_default=None)
    status = fields.Integer(load_default=None)
    since = fields.Float(load_default=None, allow_nan=False)
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1))


class FaultSchema(Schema):
    """POST /__admin/faults: one rule."""

    class Meta:
        unknown = RAISE

    method = fields.String(load_default=None)
    path = fields.String(load_default="*", validate=validate.Length(min=1))
    status = fields.Integer(load_default=None, validate=validate.Range(min=400, max=599))
    error_code = fields.String(load_default=None)
    body = fields.Raw(load_default=None)
    delay_ms = fields.Integer(load_default=0, validate=validate.Range(min=0, max=600_000))
    times = fields.Integer(load_default=None, validate=validate.Range(min=1))
    probability = fields.Float(load_default=1.0, allow_nan=False, validate=validate.Range(min=0, max=1))
    seed = fields.Integer(load_default=None)
    namespace = fields.String(load_default=None)

    @validates_schema
    def does_something(self, data: dict, **kwargs) -> None:
        """A rule must fail the request, delay it, or both."""
        if data.get("status") is None and not data.get("delay_ms"):
            raise ValidationError("A rule needs a status, a delay_ms, or both.", "status")


def _record(doc) -> dict:
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not doc["id"]:
        raise ValidationError('Every record must be an object with a non-empty string "id".')
    return doc


class RecordsSchema(Schema):
    """POST /__admin/fixtures and PUT /__admin/snapshot: records by kind ("shoppex.invoices": [...])."""

    class Meta:
        unknown = EXCLUDE

    records = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[a-z0-9_]+\.[a-z0-9_]+$", error='Kinds look like "shoppex.invoices".')),
        values=fields.List(fields.Raw(validate=_record)),
        required=True,
    )
