"""Marshmallow schemas for /__admin request bodies and queries."""

from __future__ import annotations

from datetime import datetime, timezone

from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from ..kinds import Kinds
from ..wire import MAX_INSTANT

MAX_ADVANCE = 100 * 366 * 86400  # a century


class Instant(fields.Field):
    """Unix seconds (a number) or an ISO 8601 string; null allowed. An ISO time without a zone is UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("Must be Unix seconds or an ISO 8601 time.")
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                pass
            else:
                # Never the server's local time zone: the same string means the same instant everywhere.
                return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()
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
    status = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=400, max=599))
    error_code = fields.String(load_default=None)
    body = fields.Raw(load_default=None)
    delay_ms = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=600_000))
    # strict: 1.5 is refused, not truncated to 1.
    times = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1))
    probability = fields.Float(load_default=1.0, allow_nan=False, validate=validate.Range(min=0, max=1))
    seed = fields.Integer(load_default=None, strict=True)
    namespace = fields.String(load_default=None)

    @validates_schema
    def does_something(self, data: dict, **kwargs) -> None:
        """A rule must fail the request, delay it, or both."""
        if data.get("status") is None and not data.get("delay_ms"):
            raise ValidationError("A rule needs a status, a delay_ms, or both.", "status")


class RecordsSchema(Schema):
    """POST /__admin/fixtures and PUT /__admin/snapshot: records by kind ("shoppex.invoices": [...]).

    Here the shape, and that every kind is one of `kinds`; each record is checked against
    its kind's schema by mockserver.kinds (the same check fixture files pass).
    """

    class Meta:
        unknown = EXCLUDE

    records = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Dict()),
        required=True,
        metadata={"description": "Records by kind; each record is checked against its kind (fields the server reads, their types)."},
    )

    def __init__(self, kinds: Kinds | None = None, **kwargs):
        super().__init__(**kwargs)
        self.kinds = kinds

    @validates("records")
    def known_kinds(self, records: dict, **kwargs) -> None:
        """Every kind is one the server declares."""
        unknown = [name for name in records if self.kinds is not None and name not in self.kinds.by_name]
        if unknown:
            message = f"Unknown kind; known: {', '.join(self.kinds.names())}."
            raise ValidationError({name: {"key": [message]} for name in unknown})


class SimulateSchema(Schema):
    """POST /__admin/<api>/orders/<id>/simulate: the event to play; anything else goes to the API as it is."""

    class Meta:
        unknown = INCLUDE

    event = fields.String(required=True, validate=validate.Length(min=1), metadata={"example": "dispute_opened"})
