"""Record kinds: each kind of stored record declared once, with the fields it is looked up by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marshmallow import Schema


@dataclass(frozen=True)
class Kind:
    """A kind of stored record: its name ("shoppex.invoices"), the fields naming one record, the schema records pass."""

    name: str
    keys: tuple[str, ...] = ("id",)
    schema: type[Schema] | None = None


def store_keys(kinds: Iterable[Kind]) -> dict[str, tuple[str, ...]]:
    """The store's index fields by kind name."""
    return {kind.name: kind.keys for kind in kinds}
