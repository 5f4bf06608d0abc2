"""The store's in-memory state: namespaces over shared fixture tables, changed only by operations, each with its undo.

The operations are those of the change log (dbformat.py), so a live write and its replay at
start change the state the same way. A namespace that never wrote owns no table: it reads the
fixture tables every namespace shares. Its first write to a kind copies that kind's table
(a new TinyDB table holding the same documents, and the maps).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from . import dbformat
from .fixtures import Fixtures
from .tables import Documents, SharedParts, Table

Undo = Callable[[], None]


class Namespace:
    """One key's world: when it was seeded, and the kinds it has written (the others are the fixtures)."""

    __slots__ = ("seeded_at", "tables")

    def __init__(self, seeded_at: int):
        self.seeded_at = seeded_at
        self.tables: dict[str, Table] | None = None

    def own(self) -> dict[str, Table]:
        """The tables this namespace has written (created empty on first use)."""
        if self.tables is None:
            self.tables = {}
        return self.tables


class State:
    """Every namespace, the shared fixture tables, and the operations that change them."""

    def __init__(self, fixtures: Fixtures, keys: dict[str, tuple[str, ...]]):
        self._keys = keys
        self._next_revision = itertools.count(1).__next__
        self._parts = SharedParts()
        self._documents = Documents()
        self.namespaces: dict[str, Namespace] = {}
        self.seed_tables = {kind: self.table_of(kind, enumerate(docs, 1)) for kind, docs in fixtures.records.items()}
        self._empty_tables: dict[str, Table] = {}

    def table_of(self, kind: str, pairs) -> Table:
        """A table of `kind` holding (doc id, document) pairs."""
        table = Table(self._keys.get(kind, ("id",)), self._next_revision, self._parts, self._documents)
        for doc_id, doc in pairs:
            table.put(doc_id, doc)
        return table

    # -- reading -------------------------------------------------------------

    def shared_table(self, kind: str) -> Table:
        """The fixtures' table of a kind (an empty one for kinds the fixtures do not seed)."""
        table = self.seed_tables.get(kind)
        if table is None:
            table = self._empty_tables.get(kind)
            if table is None:
                table = self._empty_tables[kind] = self.table_of(kind, ())
        return table

    def read_table(self, namespace: str, kind: str) -> Table:
        """The table a namespace reads for a kind: its own, or the shared one."""
        space = self.namespaces.get(namespace)
        own = space.tables.get(kind) if space is not None and space.tables else None
        return own if own is not None else self.shared_table(kind)

    def owns(self, namespace: str, kind: str) -> bool:
        """True once the namespace has its own table of `kind`."""
        space = self.namespaces.get(namespace)
        return space is not None and space.tables is not None and kind in space.tables

    def kinds(self, namespace: str) -> list[str]:
        """Every kind a namespace holds: the fixtures' and those it wrote."""
        space = self.namespaces.get(namespace)
        return sorted(set(self.seed_tables) | set((space.tables or {}) if space else ()))

    # -- loading and saving ----------------------------------------------------

    def load(self, snapshot: dict) -> None:
        """Take the namespaces of a (checked) version 2 snapshot."""
        for name, saved in snapshot["namespaces"].items():
            self.namespaces[name] = space = Namespace(saved["seeded_at"])
            for kind, pairs in saved["kinds"].items():
                space.own()[kind] = self.table_of(kind, pairs)

    def snapshot(self) -> dict:
        """The whole state as a version 2 snapshot: per namespace its seeding time and the kinds it wrote."""
        snapshot = dbformat.empty_snapshot()
        for name, space in self.namespaces.items():
            kinds = {kind: [[doc_id, doc] for doc_id, doc in table.items()] for kind, table in (space.tables or {}).items()}
            snapshot["namespaces"][name] = {"seeded_at": space.seeded_at, "kinds": kinds}
        return snapshot

    # -- operations ------------------------------------------------------------

    def copy_kind(self, namespace: str, kind: str) -> tuple[list, Undo]:
        """A namespace's first write to a kind: its own copy of the shared table; returns the logged operation and its undo.

        The operation carries the documents copied, so a restart does not depend on the fixtures being the same.
        """
        shared = self.shared_table(kind)
        undo = self._set_table(self.namespaces[namespace], kind, shared.copy())
        return ["kind", namespace, kind, [[doc_id, doc] for doc_id, doc in shared.items()]], undo

    def apply(self, op: list) -> Undo:
        """Apply one operation; returns what undoes it."""
        name, namespace = op[0], op[1]
        if name == "seed":
            return self._seed(namespace, op[2])
        space = self.namespaces.get(namespace)
        if space is None:
            self.namespaces[namespace] = space = Namespace(0)
        if name == "kind":
            return self._set_table(space, op[2], self.table_of(op[2], op[3]))
        undo_copy = None
        if op[2] not in space.own():
            undo_copy = self._set_table(space, op[2], self.shared_table(op[2]).copy())
        undo = _change_table(space.tables[op[2]], op)
        return undo if undo_copy is None else _both(undo, undo_copy)

    def _seed(self, namespace: str, seeded_at: int) -> Undo:
        old = self.namespaces.get(namespace)
        self.namespaces[namespace] = Namespace(seeded_at)

        def undo() -> None:
            if old is None:
                self.namespaces.pop(namespace, None)
            else:
                self.namespaces[namespace] = old

        return undo

    @staticmethod
    def _set_table(space: Namespace, kind: str, table: Table) -> Undo:
        tables = space.own()
        old = tables.get(kind)
        tables[kind] = table

        def undo() -> None:
            if old is None:
                tables.pop(kind, None)
            else:
                tables[kind] = old

        return undo


def _change_table(table: Table, op: list) -> Undo:
    # "put" and "del" on a namespace's own table; the undo puts back what was there.
    doc_id = op[3]
    old = table.put(doc_id, op[4]) if op[0] == "put" else table.delete(doc_id)

    def undo() -> None:
        if old is None:
            table.delete(doc_id)
        else:
            table.put(doc_id, old)

    return undo


def _both(first: Undo, second: Undo) -> Undo:
    def undo() -> None:
        first()
        second()

    return undo


def undo_all(undo: list[Undo]) -> None:
    """Undo a transaction's operations, last first."""
    for step in reversed(undo):
        step()
