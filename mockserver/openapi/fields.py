"""Field shorthands for the response schemas of the OpenAPI document (only the document uses them).

Response schemas are open (`additionalProperties: true`: a record may carry more than the
document lists) but strict about what they list: every field the server always returns is
required, so a missing one is a schema mismatch, and each has its wire type.
"""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class Open(Schema):
    """A schema whose objects may carry more fields than it lists."""

    class Meta:
        unknown = INCLUDE  # -> additionalProperties: true


def s(**kw) -> fields.String:
    """A string."""
    return fields.String(**kw)


def ns(**kw) -> fields.String:
    """A string or null."""
    return fields.String(allow_none=True, **kw)


def num(**kw) -> fields.Float:
    """A JSON number."""
    return fields.Float(**kw)


def integer(**kw) -> fields.Integer:
    """A JSON integer."""
    return fields.Integer(**kw)


def anything(**kw) -> fields.Raw:
    """Any JSON value (object, array, null, ...)."""
    return fields.Raw(**kw)


def schema(name: str, module: str, base: type[Schema], attrs: dict) -> type[Schema]:
    """A schema class built at run time, named `name` and placed in `module`."""
    return type(name, (base,), {**attrs, "__module__": module, "__qualname__": name})


def components(namespace: dict, module: str) -> tuple[tuple[str, type[Schema]], ...]:
    """(name, schema class) of every public response schema defined in `module` (its globals: `namespace`), by name."""
    return tuple(
        (name, value)
        for name, value in sorted(namespace.items())
        if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module and not name.startswith("_")
    )
