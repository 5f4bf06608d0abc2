"""Store: the only code that touches TinyDB. Namespaces, id indexes, one lock, reset, durability."""

from __future__ import annotations

import contextlib
import copy
import itertools
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .fixtures import Fixtures
from .storage import FORMAT_DOC, FORMAT_TABLE, ChangeLog, Database

NAMESPACES_TABLE = "_namespaces"
# How many derived values (rendered bodies) are kept; past it they are all dropped and derived again.
DERIVED_LIMIT = 10_000


class Store:
    """Documents by (namespace, kind), each namespace seeded from the fixtures on first use.

    Every record is stored as the JSON document the emulated API returns. Lookups go
    through an in-memory index (key value -> TinyDB doc id), never a table scan. With a
    database file, every change is on disk (fsync'd change log) before the call returns.
    Every stored version of a document has a revision number no other version ever gets,
    so whatever is derived from a document (its rendered body) can be kept until it changes.
    """

    def __init__(
        self, fixtures: Fixtures, keys: dict[str, tuple[str, ...]], db_path: Path | None = None, now: Callable[[], int] = lambda: 0
    ):
        self._db = Database()
        self._fixtures = fixtures
        self._keys = keys
        self.lock = threading.RLock()
        self._index: dict[tuple[str, str], dict[str, int]] = {}
        # The kinds each namespace holds, so dropping one namespace never walks the others.
        self._kinds: dict[str, set[str]] = {}
        self._revisions: dict[tuple[str, str], dict[int, int]] = {}
        self._next_revision = itertools.count(1).__next__
        self._derived: dict[tuple[Callable, int], object] = {}
        self._seeded: dict[str, int] = {}
        self._now = now
        self._log: ChangeLog | None = None
        self._pending: list[list] | None = None
        with self.lock:
            log = self._load_file(Path(db_path)) if db_path is not None else None
            self._mark_format()
            if log is not None:
                # From here on every change is appended; a new file starts with a snapshot that carries the stamp.
                log.open(self._db.data)
                self._log = log
            self._load_existing()

    # -- setup ---------------------------------------------------------------

    def _load_file(self, path: Path) -> ChangeLog:
        # The snapshot with its log replayed becomes the in-memory data.
        log = ChangeLog(path)
        data = log.load()
        if data:
            self._db.storage.write(data)
        return log

    def _mark_format(self) -> None:
        # A fresh database is stamped so a later start can tell it from a foreign file.
        table = self._db.table(FORMAT_TABLE)
        if not table.all():
            self._put(FORMAT_TABLE, table.insert(dict(FORMAT_DOC)), dict(FORMAT_DOC))

    def _load_existing(self) -> None:
        # Namespaces persisted by an earlier run keep their state; rebuild their indexes once.
        for doc in self._db.table(NAMESPACES_TABLE).all():
            self._seeded[doc["name"]] = doc.get("seeded_at", 0)
        for name in self._db.tables():
            namespace, sep, kind = name.partition("/")
            if sep and namespace in self._seeded:
                self._reindex(namespace, kind)

    @staticmethod
    def _name(namespace: str, kind: str) -> str:
        return f"{namespace}/{kind}"

    def _table(self, namespace: str, kind: str):
        return self._db.table(self._name(namespace, kind), cache_size=0)

    def _keys_of(self, kind: str, doc: dict) -> Iterable[str]:
        for field in self._keys.get(kind, ("id",)):
            value = doc.get(field)
            if isinstance(value, str) and value:
                yield value

    def _reindex(self, namespace: str, kind: str) -> None:
        index = self._indexed(namespace, kind)
        index.clear()
        for doc in self._table(namespace, kind).all():
            self._revisions[(namespace, kind)][doc.doc_id] = self._next_revision()
            for key in self._keys_of(kind, doc):
                index[key] = doc.doc_id

    def _indexed(self, namespace: str, kind: str) -> dict[str, int]:
        # The index of one (namespace, kind), created with its revisions the first time the kind is used.
        index = self._index.get((namespace, kind))
        if index is None:
            index = self._index[(namespace, kind)] = {}
            self._revisions[(namespace, kind)] = {}
            self._kinds.setdefault(namespace, set()).add(kind)
        return index

    # -- durability ------------------------------------------------------------

    def _put(self, table: str, doc_id: int, doc: dict) -> None:
        self._persist(["put", table, doc_id, doc])

    def _persist(self, op: list) -> None:
        # Memory only: nothing to do. A file: append now, or at the end of the batch.
        if self._log is None:
            return
        if self._pending is not None:
            self._pending.append(op)
        else:
            self._log.append([op], self._db.data)

    @contextlib.contextmanager
    def _batch(self):
        """Many changes, one fsync (seeding, reset, restore)."""
        if self._pending is not None:
            yield
            return
        self._pending = []
        try:
            yield
        finally:
            ops, self._pending = self._pending, None
            if ops and self._log is not None:
                self._log.append(ops, self._db.data)

    # -- namespaces ----------------------------------------------------------

    def ensure_namespace(self, namespace: str) -> None:
        """Seed `namespace` from the fixtures unless it already exists."""
        if namespace in self._seeded:
            return
        with self.lock:
            if namespace in self._seeded:
                return
            self._seed(namespace)

    def _seed(self, namespace: str) -> None:
        with self._batch():
            for kind, docs in self._fixtures.records.items():
                for doc in docs:
                    self._insert(namespace, kind, copy.deepcopy(doc))
            # When a namespace was seeded is part of its state (expiry counts from it).
            self._seeded[namespace] = now = self._now()
            table = self._db.table(NAMESPACES_TABLE)
            for doc_id in table.remove(lambda doc: doc["name"] == namespace):
                self._persist(["del", NAMESPACES_TABLE, doc_id])
            record = {"name": namespace, "seeded_at": now}
            self._put(NAMESPACES_TABLE, table.insert(record), record)

    def seeded_at(self, namespace: str) -> int:
        """The clock time `namespace` was (last) seeded from the fixtures."""
        self.ensure_namespace(namespace)
        return self._seeded[namespace]

    def namespaces(self) -> list[str]:
        """Every namespace seeded so far."""
        with self.lock:
            return sorted(self._seeded)

    def reset(self, namespace: str | None = None) -> list[str]:
        """Return one namespace (or all) to the freshly seeded state; returns the names reset."""
        with self.lock, self._batch():
            targets = [namespace] if namespace is not None else list(self._seeded)
            for name in targets:
                self._drop(name)
                self._seed(name)
            return targets

    def _drop(self, namespace: str) -> None:
        for kind in self._kinds.pop(namespace, ()):
            name = self._name(namespace, kind)
            self._db.drop_table(name)
            self._persist(["drop", name])
            del self._index[(namespace, kind)]
            del self._revisions[(namespace, kind)]

    def export(self, namespace: str) -> dict[str, list[dict]]:
        """Every document of a namespace, by kind (a snapshot)."""
        self.ensure_namespace(namespace)
        with self.lock:
            kinds = sorted(self._kinds.get(namespace, ()))
            return {kind: [dict(doc) for doc in self._table(namespace, kind).all()] for kind in kinds}

    def restore(self, namespace: str, records: dict[str, list[dict]]) -> int:
        """Replace a namespace's documents with a snapshot; returns how many were restored."""
        with self.lock, self._batch():
            self.ensure_namespace(namespace)
            self._drop(namespace)
            for kind, docs in records.items():
                self._indexed(namespace, kind)
                for doc in docs:
                    self._insert(namespace, kind, copy.deepcopy(doc))
            return sum(len(docs) for docs in records.values())

    # -- documents -----------------------------------------------------------

    def get(self, namespace: str, kind: str, key: str) -> dict | None:
        """The stored document with id (or other key field) `key`, its `revision` attached; treat it as read-only."""
        self.ensure_namespace(namespace)
        with self.lock:
            doc_id = self._index.get((namespace, kind), {}).get(key)
            if doc_id is None:
                return None
            doc = self._table(namespace, kind).get(doc_id=doc_id)
            doc.revision = self._revisions[(namespace, kind)][doc_id]
            return doc

    def derived(self, doc: dict, derive: Callable[[dict], object]):
        """`derive(doc)`, computed once per stored version of `doc` (a document from get(); others are not kept)."""
        revision = getattr(doc, "revision", None)
        if revision is None:
            return derive(doc)
        key = (derive, revision)
        value = self._derived.get(key)
        if value is None:
            # Old versions' values are never hit again; a full memo is simply emptied.
            if len(self._derived) >= DERIVED_LIMIT:
                self._derived.clear()
            value = self._derived[key] = derive(doc)
        return value

    def all(self, namespace: str, kind: str) -> list[dict]:
        """Every document of a kind, oldest first."""
        self.ensure_namespace(namespace)
        with self.lock:
            return list(self._table(namespace, kind).all())

    def count(self, namespace: str, kind: str) -> int:
        """How many documents of a kind a namespace holds (from the index: no scan)."""
        self.ensure_namespace(namespace)
        with self.lock:
            return len(self._revisions.get((namespace, kind), {}))

    def insert(self, namespace: str, kind: str, doc: dict) -> dict:
        """Store a new document; returns it."""
        self.ensure_namespace(namespace)
        with self.lock:
            self._insert(namespace, kind, doc)
            return doc

    def _insert(self, namespace: str, kind: str, doc: dict) -> None:
        index = self._indexed(namespace, kind)
        doc_id = self._table(namespace, kind).insert(doc)
        self._put(self._name(namespace, kind), doc_id, doc)
        self._revisions[(namespace, kind)][doc_id] = self._next_revision()
        for key in self._keys_of(kind, doc):
            index[key] = doc_id

    def modify(self, namespace: str, kind: str, key: str, change: Callable[[dict], dict]) -> dict | None:
        """Apply `change` to a copy of the document and store its result; None if there is no such document.

        If `change` raises, nothing is written: the stored document stays as it was.
        """
        self.ensure_namespace(namespace)
        with self.lock:
            doc_id = self._index.get((namespace, kind), {}).get(key)
            if doc_id is None:
                return None
            table = self._table(namespace, kind)
            current = dict(table.get(doc_id=doc_id))
            updated = change(copy.deepcopy(current))
            table.update(_replace_with(updated), doc_ids=[doc_id])
            self._put(self._name(namespace, kind), doc_id, updated)
            self._revisions[(namespace, kind)][doc_id] = self._next_revision()
            # A key the new version no longer carries (a replaced uniqid) stops finding it.
            index = self._index[(namespace, kind)]
            for old_key in self._keys_of(kind, current):
                if index.get(old_key) == doc_id:
                    del index[old_key]
            for new_key in self._keys_of(kind, updated):
                index[new_key] = doc_id
            return updated

    def upsert(self, namespace: str, kind: str, doc: dict) -> dict:
        """Insert `doc`, or replace the stored document with the same id."""
        self.ensure_namespace(namespace)
        with self.lock:
            if self.modify(namespace, kind, doc["id"], lambda _old: copy.deepcopy(doc)) is None:
                self._insert(namespace, kind, copy.deepcopy(doc))
            return doc

    def delete(self, namespace: str, kind: str, key: str) -> dict | None:
        """Remove a document; returns it, or None if there was none."""
        self.ensure_namespace(namespace)
        with self.lock:
            index = self._index.get((namespace, kind), {})
            doc_id = index.get(key)
            if doc_id is None:
                return None
            table = self._table(namespace, kind)
            doc = dict(table.get(doc_id=doc_id))
            table.remove(doc_ids=[doc_id])
            self._persist(["del", self._name(namespace, kind), doc_id])
            del self._revisions[(namespace, kind)][doc_id]
            for old_key in self._keys_of(kind, doc):
                index.pop(old_key, None)
            return doc

    def close(self) -> None:
        """Stop writing to the database file."""
        with self.lock:
            if self._log is not None:
                self._log.close()


def _replace_with(new: dict):
    # TinyDB's update() mutates in place; replacing the whole document keeps removed keys removed.
    def transform(doc: dict) -> None:
        doc.clear()
        doc.update(new)

    return transform
