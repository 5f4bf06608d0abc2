"""Record kinds: each kind of stored record declared once, and the check every record entering the store passes.

A kind has a name ("shoppex.invoices"), the fields that name one record (the store indexes
them) and a marshmallow schema of the fields the server reads. Fixture directories
(start-up and `mockserver fixtures validate`), `POST /__admin/fixtures` and
`PUT /__admin/snapshot` all check records here. Records stay open: fields no schema names
are kept as they are; a field the server reads must have its wire type.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from .http import flatten_messages
from .wire import StrictBoolean

NON_EMPTY = "must be a non-empty string"


@dataclass(frozen=True)
class Kind:
    """A kind of stored record: its name, the fields naming one record, the schema of the fields the server reads."""

    name: str
    keys: tuple[str, ...] = ("id",)
    schema: type[Schema] | None = None

    @cached_property
    def _loader(self) -> Schema | None:
        return self.schema() if self.schema is not None else None

    def problems(self, doc) -> list[str]:
        """What is wrong with one record of this kind, each "field: what is wrong" (empty when nothing is)."""
        if not isinstance(doc, dict):
            return ["must be a JSON object"]
        if self._loader is None:
            return []
        try:
            self._loader.load(doc)
        except ValidationError as exc:
            return [f"{field}: {_phrase(message)}" for field, message in flatten_messages(exc.messages)]
        return []


def _phrase(message: str) -> str:
    # Problems read as "created_at: must be ..." whatever field wrote them.
    return message[:1].lower() + message[1:].rstrip(".")


class Kinds:
    """The kinds records may be stored as, by name."""

    def __init__(self, kinds: Iterable[Kind]):
        self.by_name = {kind.name: kind for kind in kinds}

    def names(self) -> list[str]:
        """Every kind's name, sorted."""
        return sorted(self.by_name)

    def store_keys(self) -> dict[str, tuple[str, ...]]:
        """The fields each kind is indexed by."""
        return {name: kind.keys for name, kind in self.by_name.items()}

    def keys(self, name: str) -> tuple[str, ...]:
        """The fields naming one record of a kind: one index per kind, so each value names one record."""
        kind = self.by_name.get(name)
        return kind.keys if kind is not None else ("id",)

    def unknown(self, name: str) -> str:
        """The problem of a kind nobody declared."""
        return f'unknown kind "{name}" (known: {", ".join(self.names())})'

    def check_record(self, name: str, doc) -> list[str]:
        """What is wrong with one record of kind `name` (empty when nothing is)."""
        kind = self.by_name.get(name)
        return [self.unknown(name)] if kind is None else kind.problems(doc)

    def check_records(self, records: dict[str, list]) -> list[tuple[str, int | None, str]]:
        """Every problem of a batch ({kind: [records]}): (kind, index or None, "field: what is wrong").

        Besides each record's own problems: two records of one kind may not share an id (or
        another field the kind is looked up by, such as a uniqid or an order number).
        """
        problems: list[tuple[str, int | None, str]] = []
        for name, docs in records.items():
            if name not in self.by_name:
                problems.append((name, None, self.unknown(name)))
                continue
            problems.extend(self._batch_problems(name, docs))
        return problems

    def _batch_problems(self, name: str, docs: list) -> list[tuple[str, int, str]]:
        # The id, uniqid, number, ... of a kind share one index: a value may name one record only.
        problems, seen = [], {}
        for index, doc in enumerate(docs):
            found = self.check_record(name, doc)
            problems.extend((name, index, problem) for problem in found)
            if found:
                continue
            for key, value in key_values(self.keys(name), doc):
                if seen.setdefault(value, index) != index:
                    problems.append((name, index, f'{key}: "{value}" is already used by record {seen[value]} of {name}'))
        return problems


def key_values(keys: tuple[str, ...], doc: dict) -> list[tuple[str, str]]:
    """The (field, value) pairs naming `doc` in the store: its non-empty string key fields."""
    return [(key, doc[key]) for key in keys if isinstance(doc.get(key), str) and doc[key]]


# -- the fields records are declared with ----------------------------------------------


class RecordSchema(Schema):
    """A stored record: the fields the server reads are checked, every other one is kept (records stay open)."""

    class Meta:
        unknown = INCLUDE

    error_messages = {"type": "must be an object"}

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        """Every field says "is required" when missing, and what it must be when null."""
        messages = field_obj.error_messages
        field_obj.error_messages = {**messages, "required": "is required", "null": messages.get("invalid", "must not be null")}


class JsonText(fields.String):
    """A string holding JSON (a delivery's body, as sent)."""

    default_error_messages = {"invalid": "must be a string holding JSON"}

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            json.loads(value) if isinstance(value, str) else None
        except ValueError:
            raise self.make_error("invalid") from None
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return value


class Count(fields.Integer):
    """A JSON integer (never a boolean), not negative unless `signed`."""

    def __init__(self, *, signed: bool = False, **kwargs):
        message = "must be an integer" if signed else "must be a non-negative integer"
        super().__init__(strict=True, error_messages={"invalid": message}, **kwargs)
        self.signed = signed

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int) or (value < 0 and not self.signed):
            raise self.make_error("invalid")
        return value


def text(**kwargs) -> fields.Field:
    """A non-empty string."""
    return fields.String(validate=validate.Length(min=1, error=NON_EMPTY), error_messages={"invalid": NON_EMPTY}, **kwargs)


def string(**kwargs) -> fields.Field:
    """Any string."""
    return fields.String(error_messages={"invalid": "must be a string"}, **kwargs)


def boolean(**kwargs) -> fields.Field:
    """true or false."""
    return StrictBoolean(**kwargs)


def obj(**kwargs) -> fields.Field:
    """Any JSON object."""
    return fields.Dict(error_messages={"invalid": "must be an object"}, **kwargs)


def one_of(*values: str, **kwargs) -> fields.Field:
    """One of a few strings."""
    error = f"must be one of {', '.join(values)}"
    return fields.Raw(validate=validate.OneOf(values, error=error), error_messages={"invalid": error}, **kwargs)


def list_of(item: fields.Field, min_items: int = 0, **kwargs) -> fields.Field:
    """A list whose every item passes `item`."""
    at_least = validate.Length(min=min_items, error="must hold at least {min} item(s)") if min_items else None
    return fields.List(item, validate=at_least, error_messages={"invalid": "must be a list"}, **kwargs)


def record(schema: type[Schema], **kwargs) -> fields.Field:
    """A nested object checked field by field."""
    return fields.Nested(schema, error_messages={"type": "must be an object"}, **kwargs)


def http_url(**kwargs) -> fields.Field:
    """An http(s) URL (any host)."""
    error = "must be an http(s) URL"
    return fields.Url(require_tld=False, schemes={"http", "https"}, error_messages={"invalid": error}, **kwargs)
