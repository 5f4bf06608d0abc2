"""The response schemas of the OpenAPI document, one module per API (marshmallow, for the document only).

Open (`additionalProperties: true`) but exact about what they list: every field the server
always returns is required and typed (Shoppex money numbers and Unix-second times;
Shoplazza strings), so a response missing one is a schema mismatch.
"""

from __future__ import annotations

from collections.abc import Iterator

from marshmallow import Schema

from . import admin_responses, shoplazza_responses, shoppex_responses
from .admin_responses import DELIVERY_STATUSES

MODULES = (shoppex_responses, shoplazza_responses, admin_responses)
__all__ = ["DELIVERY_STATUSES", "MODULES", "components"]


def components() -> Iterator[tuple[str, type[Schema]]]:
    """(name, schema class) of every response schema, each defined in one of MODULES."""
    for module in MODULES:
        for name in sorted(vars(module)):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__ and not name.startswith("_"):
                yield name, value
