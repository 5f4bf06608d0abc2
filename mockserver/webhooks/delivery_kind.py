"""The schema of a stored delivery (kind `webhooks.deliveries`), for the APIs registered at app creation."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, validates_schema

from ..kinds import Count, JsonText, RecordSchema, http_url, list_of, one_of, record, string, text
from ..wire import UnixTime


class Signing(RecordSchema):
    """What an attempt is signed with: at least the secret."""

    secret = string(required=True)


class Attempt(RecordSchema):
    """One attempt of a delivery."""

    attempt = Count(required=True)
    at = UnixTime(required=True)


def delivery_schema(statuses: tuple[str, ...], signing_fields: dict[str, tuple[str, ...]]) -> type[Schema]:
    """A delivery of one of the APIs in `signing_fields`, whose `signing` holds the fields its API signs with."""

    class Delivery(RecordSchema):
        """webhooks.deliveries: one delivery and its attempts."""

        id = text(required=True)
        api = one_of(*signing_fields, required=True)
        webhook_id = text(required=True, allow_none=True)
        event = text(required=True)
        url = http_url(required=True)
        body = JsonText(required=True)
        signing = record(Signing, required=True)
        status = one_of(*statuses, required=True)
        attempts = list_of(record(Attempt), required=True)
        created_at = UnixTime(required=True)
        updated_at = UnixTime(required=True)
        next_attempt_at = UnixTime(required=True, allow_none=True)

        @validates_schema
        def signed_as_its_api_signs(self, data: dict, **kwargs) -> None:
            """The signing fields of the delivery's API are strings."""
            missing = [name for name in signing_fields[data["api"]] if not isinstance(data["signing"].get(name), str)]
            if missing:
                raise ValidationError({"signing": {name: ["is required"] for name in missing}})

    return Delivery
