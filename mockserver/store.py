"""Store: namespaces of documents over shared fixtures, id indexes, one transactional lock, durability.

A namespace that never wrote reads the fixture tables every namespace shares; its first write
to a kind copies that kind's maps (the documents themselves stay shared until replaced). Every
write is an operation (see dbformat.py) applied in memory with its undo and, with a --db file,
persisted when the transaction commits: all of a transaction is kept, or none of it.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from pathlib import Path

from .fixtures import Fixtures
from .http import ClientError
from .labels import namespace_label
from .storage import ChangeLog, StorageFailure
from .tables import Document, Table
from .transactions import TransactionLock

# How many derived values (rendered bodies), and how many bytes of them, are kept; past either they are
# all dropped and derived again (a memo of hot documents, not a second copy of the store).
DERIVED_LIMIT = 10_000
DERIVED_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_NAMESPACES = 10_000
INSUFFICIENT_STORAGE = 507
SERVICE_UNAVAILABLE = 503


class StoreRefusal(ClientError):
    """A write the store cannot take (disk full, I/O error, too many namespaces); each API renders it in its envelope."""


class Namespace:
    """One key's world: when it was seeded, and the kinds it has written (the others are the fixtures)."""

    __slots__ = ("seeded_at", "tables")

    def __init__(self, seeded_at: int):
        self.seeded_at = seeded_at
        self.tables: dict[str, Table] | None = None


class Store:
    """Documents by (namespace, kind), each namespace starting as the fixtures on first use.

    Every record is stored as the JSON document the emulated API returns. Lookups go through
    an index (key value -> doc id), never a scan; lists walk a sorted view and stop after a page.
    Every stored version of a document has a revision number no other version ever gets, so
    whatever is derived from a document (its rendered body) can be kept until it changes.
    """

    def __init__(
        self,
        fixtures: Fixtures,
        keys: dict[str, tuple[str, ...]],
        db_path: Path | None = None,
        now: Callable[[], int] = lambda: 0,
        max_namespaces: int = DEFAULT_MAX_NAMESPACES,
    ):
        self._keys = keys
        self._now = now
        self._max_namespaces = max_namespaces
        self._next_revision = itertools.count(1).__next__
        self._seed_tables = {kind: self._table_of(kind, enumerate(docs, 1)) for kind, docs in fixtures.records.items()}
        self._empty_tables: dict[str, Table] = {}
        self._namespaces: dict[str, Namespace] = {}
        self._derived: dict[tuple[Callable, int], object] = {}
        self._derived_bytes = 0
        self._ops: list[list] = []
        self._undo: list[Callable[[], None]] = []
        self._log: ChangeLog | None = None
        self.lock = TransactionLock(self._commit, self._rollback)
        if db_path is not None:
            self._open(ChangeLog(Path(db_path)))

    # -- setup ---------------------------------------------------------------

    def _open(self, log: ChangeLog) -> None:
        # The snapshot with the log's transactions replayed becomes the in-memory state.
        loaded = log.load()
        for name, state in loaded.snapshot["namespaces"].items():
            self._namespaces[name] = space = Namespace(state["seeded_at"])
            for kind, pairs in state["kinds"].items():
                self._own(space)[kind] = self._table_of(kind, pairs)
        for transaction in loaded.transactions:
            for op in transaction:
                self._apply(op)
        log.open(loaded, self._snapshot)
        self._log = log

    def _table_of(self, kind: str, pairs) -> Table:
        table = Table(self._keys.get(kind, ("id",)), self._next_revision)
        for doc_id, doc in pairs:
            table.put(doc_id, doc)
        return table

    @staticmethod
    def _own(space: Namespace) -> dict[str, Table]:
        if space.tables is None:
            space.tables = {}
        return space.tables

    def _snapshot(self) -> dict:
        # The whole state as a version 2 snapshot: per namespace its seeding time and the kinds it wrote.
        namespaces = {
            name: {
                "seeded_at": space.seeded_at,
                "kinds": {kind: [[doc_id, doc] for doc_id, doc in table.docs.items()] for kind, table in (space.tables or {}).items()},
            }
            for name, space in self._namespaces.items()
        }
        return {"format": "mockserver-db", "version": 2, "namespaces": namespaces}

    # -- transactions --------------------------------------------------------

    def begin(self) -> None:
        """Open a transaction spanning several calls (one request); end it with finish()."""
        self.lock.__enter__()

    def finish(self, commit: bool) -> None:
        """End the transaction begin() opened: keep its writes (StoreRefusal if they cannot be persisted) or undo them."""
        failure = None if commit else RuntimeError("transaction abandoned")
        self.lock.__exit__(type(failure) if failure else None, failure, None)

    def _write(self, op: list) -> None:
        # Applied now (so later reads in the transaction see it), persisted at commit, undone on failure.
        if op[0] in ("put", "del"):
            self._copy_on_write(op[1], op[2])
        self._undo.append(self._apply(op))
        self._ops.append(op)

    def _copy_on_write(self, namespace: str, kind: str) -> None:
        # A namespace's first write to a kind copies the shared table (its documents stay shared); the
        # log records the documents copied, so a restart does not depend on the fixtures being the same.
        space = self._namespaces[namespace]
        if space.tables is not None and kind in space.tables:
            return
        shared = self._shared_table(kind)
        self._undo.append(self._set_table(space, kind, shared.copy()))
        self._ops.append(["kind", namespace, kind, [[doc_id, doc] for doc_id, doc in shared.docs.items()]])

    def _commit(self) -> None:
        ops, undo = self._ops, self._undo
        self._ops, self._undo = [], []
        if not ops or self._log is None:
            return
        try:
            self._log.append(ops, self._snapshot)
        except StorageFailure as failure:
            _undo_all(undo)
            status = INSUFFICIENT_STORAGE if failure.no_room else SERVICE_UNAVAILABLE
            raise StoreRefusal(status, str(failure)) from failure

    def _rollback(self) -> None:
        undo = self._undo
        self._ops, self._undo = [], []
        _undo_all(undo)

    # -- operations (live and replayed) ----------------------------------------

    def _apply(self, op: list) -> Callable[[], None]:
        """Apply one operation to the in-memory state; returns what undoes it."""
        name, namespace = op[0], op[1]
        if name == "seed":
            return self._apply_seed(namespace, op[2])
        space = self._namespaces.get(namespace)
        if space is None:
            self._namespaces[namespace] = space = Namespace(0)
        if name == "kind":
            return self._set_table(space, op[2], self._table_of(op[2], op[3]))
        table = self._own(space).get(op[2])
        undo_copy = None
        if table is None:
            undo_copy = self._set_table(space, op[2], self._shared_table(op[2]).copy())
            table = space.tables[op[2]]
        undo = _apply_to_table(table, op)
        return undo if undo_copy is None else _both(undo, undo_copy)

    def _apply_seed(self, namespace: str, seeded_at: int) -> Callable[[], None]:
        old = self._namespaces.get(namespace)
        self._namespaces[namespace] = Namespace(seeded_at)

        def undo() -> None:
            if old is None:
                self._namespaces.pop(namespace, None)
            else:
                self._namespaces[namespace] = old

        return undo

    def _set_table(self, space: Namespace, kind: str, table: Table) -> Callable[[], None]:
        tables = self._own(space)
        old = tables.get(kind)
        tables[kind] = table

        def undo() -> None:
            if old is None:
                tables.pop(kind, None)
            else:
                tables[kind] = old

        return undo

    # -- namespaces ----------------------------------------------------------

    def ensure_namespace(self, namespace: str) -> None:
        """Seed `namespace` from the fixtures unless it already exists (StoreRefusal past the namespace cap)."""
        if namespace in self._namespaces:
            return
        with self.lock:
            if namespace in self._namespaces:
                return
            if len(self._namespaces) >= self._max_namespaces:
                message = (
                    f"Too many keys: the mock server holds {self._max_namespaces} namespaces (MOCKSERVER_MAX_NAMESPACES) and "
                    f"cannot start one for {namespace_label(namespace)}; reuse keys or raise the limit."
                )
                raise StoreRefusal(INSUFFICIENT_STORAGE, message)
            # When a namespace was seeded is part of its state (expiry counts from it).
            self._write(["seed", namespace, self._now()])

    def seeded_at(self, namespace: str) -> int:
        """The clock time `namespace` was (last) seeded from the fixtures."""
        space = self._namespaces.get(namespace)
        if space is not None:
            return space.seeded_at
        with self.lock:
            self.ensure_namespace(namespace)
            return self._namespaces[namespace].seeded_at

    def namespaces(self) -> list[str]:
        """Every namespace seeded so far."""
        with self.lock:
            return sorted(self._namespaces)

    def reset(self, namespace: str | None = None) -> list[str]:
        """Return one namespace (or all) to the freshly seeded state; returns the names reset."""
        with self.lock:
            if namespace is not None:
                self.ensure_namespace(namespace)
            targets = [namespace] if namespace is not None else list(self._namespaces)
            now = self._now()
            for name in targets:
                self._write(["seed", name, now])
            return targets

    def export(self, namespace: str) -> dict[str, list[dict]]:
        """Every document of a namespace, by kind (a snapshot)."""
        with self.lock:
            self.ensure_namespace(namespace)
            own = self._namespaces[namespace].tables or {}
            kinds = sorted(set(self._seed_tables) | set(own))
            return {kind: [dict(doc) for doc in self._read_table(namespace, kind).docs.values()] for kind in kinds}

    def restore(self, namespace: str, records: dict[str, list[dict]]) -> int:
        """Replace a namespace's documents with a snapshot (kinds it leaves out are empty); returns how many were restored."""
        with self.lock:
            self.ensure_namespace(namespace)
            self._write(["seed", namespace, self._namespaces[namespace].seeded_at])
            for kind in sorted(set(self._seed_tables) | set(records)):
                pairs = [[doc_id, copy.deepcopy(doc)] for doc_id, doc in enumerate(records.get(kind, []), 1)]
                self._write(["kind", namespace, kind, pairs])
            return sum(len(docs) for docs in records.values())

    # -- documents -----------------------------------------------------------

    def _shared_table(self, kind: str) -> Table:
        # The fixtures' table of a kind (an empty one for kinds the fixtures do not seed).
        table = self._seed_tables.get(kind)
        if table is None:
            table = self._empty_tables.get(kind)
            if table is None:
                table = self._empty_tables[kind] = self._table_of(kind, ())
        return table

    def _read_table(self, namespace: str, kind: str) -> Table:
        space = self._namespaces.get(namespace)
        own = space.tables.get(kind) if space is not None and space.tables else None
        return own if own is not None else self._shared_table(kind)

    def get(self, namespace: str, kind: str, key: str) -> Document | None:
        """The stored document with id (or other key field) `key`, its `revision` attached; treat it as read-only."""
        self.ensure_namespace(namespace)
        with self.lock:
            table = self._read_table(namespace, kind)
            doc_id = table.find(key)
            return None if doc_id is None else table.document(doc_id)

    def derived(self, doc: dict, derive: Callable[[dict], object]):
        """`derive(doc)`, computed once per stored version of `doc` (a document from get(); others are not kept)."""
        revision = getattr(doc, "revision", None)
        if revision is None:
            return derive(doc)
        key = (derive, revision)
        value = self._derived.get(key)
        if value is None:
            value = derive(doc)
            size = len(value) if isinstance(value, (bytes, str)) else 0
            # Old versions' values are never hit again; a full memo is simply emptied.
            if len(self._derived) >= DERIVED_LIMIT or self._derived_bytes + size > DERIVED_BYTES:
                self._derived.clear()
                self._derived_bytes = 0
            self._derived[key] = value
            self._derived_bytes += size
        return value

    def all(self, namespace: str, kind: str) -> list[Document]:
        """Every document of a kind, oldest first."""
        self.ensure_namespace(namespace)
        with self.lock:
            table = self._read_table(namespace, kind)
            return [table.document(doc_id) for doc_id in table.docs]

    def page(
        self, namespace: str, kind: str, order: Callable[[dict], tuple], limit: int, after=None, descending: bool = True, keep=None
    ) -> tuple[list[Document], bool]:
        """Up to `limit` documents by `order` (newest first unless `descending` is False), strictly after the key `after`,
        those `keep` accepts; and whether more follow. Costs the documents walked, not the documents stored.

        `order` must be one function per ordering (its sorted view is kept and updated by every write); `keep` must not write.
        """
        self.ensure_namespace(namespace)
        with self.lock:
            return self._read_table(namespace, kind).page(order, limit, after, descending, keep)

    def matching(self, namespace: str, kind: str, order: Callable[[dict], object], key) -> list[Document]:
        """The documents whose `order(doc)` equals `key`, oldest first; costs the documents found, not the kind."""
        self.ensure_namespace(namespace)
        with self.lock:
            table = self._read_table(namespace, kind)
            return [table.document(doc_id) for _key, doc_id in table.equal(order, key)]

    def count_matching(self, namespace: str, kind: str, order: Callable[[dict], object], key) -> int:
        """How many documents have `order(doc)` equal to `key`, without reading them."""
        self.ensure_namespace(namespace)
        with self.lock:
            return len(self._read_table(namespace, kind).equal(order, key))

    def insert(self, namespace: str, kind: str, doc: dict) -> dict:
        """Store a new document; returns it."""
        self.ensure_namespace(namespace)
        with self.lock:
            doc_id = self._read_table(namespace, kind).next_id
            self._write(["put", namespace, kind, doc_id, dict(doc)])
            return doc

    def modify(self, namespace: str, kind: str, key: str, change: Callable[[dict], dict]) -> dict | None:
        """Apply `change` to a copy of the document and store its result; None if there is no such document.

        If `change` raises, nothing is written: the stored document stays as it was.
        """
        self.ensure_namespace(namespace)
        with self.lock:
            table = self._read_table(namespace, kind)
            doc_id = table.find(key)
            if doc_id is None:
                return None
            updated = change(copy.deepcopy(table.docs[doc_id]))
            self._write(["put", namespace, kind, doc_id, updated])
            return updated

    def upsert(self, namespace: str, kind: str, doc: dict) -> dict:
        """Insert `doc`, or replace the stored document with the same id."""
        self.ensure_namespace(namespace)
        with self.lock:
            if self.modify(namespace, kind, doc["id"], lambda _old: copy.deepcopy(doc)) is None:
                self.insert(namespace, kind, copy.deepcopy(doc))
            return doc

    def delete(self, namespace: str, kind: str, key: str) -> dict | None:
        """Remove a document; returns it, or None if there was none."""
        self.ensure_namespace(namespace)
        with self.lock:
            table = self._read_table(namespace, kind)
            doc_id = table.find(key)
            if doc_id is None:
                return None
            doc = dict(table.docs[doc_id])
            self._write(["del", namespace, kind, doc_id])
            return doc

    def close(self) -> None:
        """Stop writing to the database file."""
        with self.lock:
            if self._log is not None:
                self._log.close()


def _apply_to_table(table: Table, op: list) -> Callable[[], None]:
    # "put" and "del" on a namespace's own table; the undo puts back what was there.
    doc_id = op[3]
    old = table.put(doc_id, op[4]) if op[0] == "put" else table.delete(doc_id)

    def undo() -> None:
        if old is None:
            table.delete(doc_id)
        else:
            table.put(doc_id, old)

    return undo


def _both(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    def undo() -> None:
        first()
        second()

    return undo


def _undo_all(undo: list[Callable[[], None]]) -> None:
    for step in reversed(undo):
        step()
