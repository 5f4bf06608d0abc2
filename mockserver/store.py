"""Store: namespaces of documents over shared fixtures, id indexes, one transactional lock, durability.

A namespace that never wrote reads the fixture tables every namespace shares; its first write
to a kind copies that kind's table. TinyDB holds the documents (see tables.py). Every
write is an operation (see dbformat.py) applied in memory with its undo and, with a --db file,
persisted when the transaction commits: all of a transaction is kept, or none of it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from .fixtures import Fixtures
from .http import ClientError
from .labels import namespace_label
from .state import State, undo_all
from .storage import ChangeLog, StorageFailure
from .tables import Document
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
        self._now = now
        self._max_namespaces = max_namespaces
        self._state = State(fixtures, keys)
        self._derived: dict[tuple[Callable, int], object] = {}
        self._derived_bytes = 0
        self._ops: list[list] = []
        self._undo: list[Callable[[], None]] = []
        self._log: ChangeLog | None = None
        self.lock = TransactionLock(self._commit, self._rollback)
        if db_path is not None:
            self._open(ChangeLog(Path(db_path)))

    def _open(self, log: ChangeLog) -> None:
        # The snapshot with the log's transactions replayed becomes the in-memory state.
        loaded = log.load()
        self._state.load(loaded.snapshot)
        for transaction in loaded.transactions:
            for op in transaction:
                self._state.apply(op)
        log.open(loaded, self._state.snapshot)
        self._log = log

    # -- transactions --------------------------------------------------------

    def begin(self) -> None:
        """Open a transaction spanning several calls (one request); end it with finish()."""
        self.lock.acquire()

    def finish(self, commit: bool) -> None:
        """End the transaction begin() opened: keep its writes (StoreRefusal if they cannot be persisted) or undo them."""
        self.lock.release(commit)

    def _write(self, op: list) -> None:
        # Applied now (so later reads in the transaction see it), persisted at commit, undone on failure.
        if op[0] in ("put", "del") and not self._state.owns(op[1], op[2]):
            copied, undo = self._state.copy_kind(op[1], op[2])
            self._undo.append(undo)
            self._ops.append(copied)
        self._undo.append(self._state.apply(op))
        self._ops.append(op)

    def _commit(self) -> None:
        ops, undo = self._ops, self._undo
        self._ops, self._undo = [], []
        if not ops or self._log is None:
            return
        try:
            self._log.append(ops, self._state.snapshot)
        except StorageFailure as failure:
            undo_all(undo)
            status = INSUFFICIENT_STORAGE if failure.no_room else SERVICE_UNAVAILABLE
            raise StoreRefusal(status, str(failure)) from failure
        except BaseException:
            # Anything else (a document JSON cannot hold): not on disk, so not in memory either.
            undo_all(undo)
            raise

    def _rollback(self) -> None:
        undo = self._undo
        self._ops, self._undo = [], []
        undo_all(undo)

    # -- namespaces ----------------------------------------------------------

    def ensure_namespace(self, namespace: str) -> None:
        """Seed `namespace` from the fixtures unless it already exists (StoreRefusal past the namespace cap)."""
        if namespace in self._state.namespaces:
            return
        with self.lock:
            if namespace in self._state.namespaces:
                return
            if len(self._state.namespaces) >= self._max_namespaces:
                message = (
                    f"Too many keys: the mock server holds {self._max_namespaces} namespaces (MOCKSERVER_MAX_NAMESPACES) and "
                    f"cannot start one for {namespace_label(namespace)}; reuse keys or raise the limit."
                )
                raise StoreRefusal(INSUFFICIENT_STORAGE, message)
            # When a namespace was seeded is part of its state (expiry counts from it).
            self._write(["seed", namespace, self._now()])

    def seeded_at(self, namespace: str) -> int:
        """The clock time `namespace` was (last) seeded from the fixtures."""
        space = self._state.namespaces.get(namespace)
        if space is not None:
            return space.seeded_at
        with self.lock:
            self.ensure_namespace(namespace)
            return self._state.namespaces[namespace].seeded_at

    def namespaces(self) -> list[str]:
        """Every namespace seeded so far."""
        with self.lock:
            return sorted(self._state.namespaces)

    def reset(self, namespace: str | None = None) -> list[str]:
        """Return one namespace (or all) to the freshly seeded state; returns the names reset."""
        with self.lock:
            if namespace is not None:
                self.ensure_namespace(namespace)
            targets = [namespace] if namespace is not None else list(self._state.namespaces)
            now = self._now()
            for name in targets:
                self._write(["seed", name, now])
            return targets

    def forget_namespaces(self) -> None:
        """Drop every namespace, as in a new store: each key is seeded afresh on its next use (a --db file starts empty)."""
        with self.lock:
            self._state.namespaces.clear()
            self._derived.clear()
            self._derived_bytes = 0
            if self._log is not None:
                # The files go too: a new change log over an empty snapshot, as for a new --db path.
                old, self._log = self._log, None
                old.close()
                for path in (old.path, old.log_path):
                    path.unlink(missing_ok=True)
                self._open(ChangeLog(old.path))

    def export(self, namespace: str) -> dict[str, list[dict]]:
        """Every document of a namespace, by kind (a snapshot)."""
        with self.lock:
            self.ensure_namespace(namespace)
            kinds = self._state.kinds(namespace)
            return {kind: [dict(doc) for _doc_id, doc in self._state.read_table(namespace, kind).items()] for kind in kinds}

    def restore(self, namespace: str, records: dict[str, list[dict]]) -> int:
        """Replace a namespace's documents with a snapshot (kinds it leaves out are empty); returns how many were restored."""
        with self.lock:
            self.ensure_namespace(namespace)
            self._write(["seed", namespace, self._state.namespaces[namespace].seeded_at])
            for kind in sorted(set(self._state.seed_tables) | set(records)):
                pairs = [[doc_id, copy.deepcopy(doc)] for doc_id, doc in enumerate(records.get(kind, []), 1)]
                self._write(["kind", namespace, kind, pairs])
            return sum(len(docs) for docs in records.values())

    # -- documents -----------------------------------------------------------

    def get(self, namespace: str, kind: str, key: str) -> Document | None:
        """The stored document with id (or other key field) `key`, its `revision` attached; treat it as read-only."""
        self.ensure_namespace(namespace)
        with self.lock:
            table, doc_id = self._locate(namespace, kind, key)
            return None if doc_id is None else table.document(doc_id)

    def _locate(self, namespace: str, kind: str, key: str):
        # The kind's table and the document id of `key` in it (None if absent); call with the lock held.
        table = self._state.read_table(namespace, kind)
        return table, table.find(key)

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
            table = self._state.read_table(namespace, kind)
            return [table.document(doc_id) for doc_id in table.ids()]

    def page(
        self, namespace: str, kind: str, order: Callable[[dict], tuple], limit: int, after=None, descending: bool = True, keep=None
    ) -> tuple[list[Document], bool]:
        """Up to `limit` documents by `order` (newest first unless `descending` is False), strictly after the key `after`,
        those `keep` accepts; and whether more follow. Costs the documents walked, not the documents stored.

        `order` must be one function per ordering (its sorted view is kept and updated by every write); `keep` must not write.
        """
        self.ensure_namespace(namespace)
        with self.lock:
            return self._state.read_table(namespace, kind).page(order, limit, after, descending, keep)

    def matching(self, namespace: str, kind: str, order: Callable[[dict], object], key) -> list[Document]:
        """The documents whose `order(doc)` equals `key`, oldest first; costs the documents found, not the kind."""
        self.ensure_namespace(namespace)
        with self.lock:
            table = self._state.read_table(namespace, kind)
            return [table.document(doc_id) for _key, doc_id in table.equal(order, key)]

    def count_matching(self, namespace: str, kind: str, order: Callable[[dict], object], key) -> int:
        """How many documents have `order(doc)` equal to `key`, without reading them."""
        self.ensure_namespace(namespace)
        with self.lock:
            return len(self._state.read_table(namespace, kind).equal(order, key))

    def count(self, namespace: str, kind: str) -> int:
        """How many documents of a kind a namespace holds (from the index: no scan)."""
        self.ensure_namespace(namespace)
        with self.lock:
            return len(self._state.read_table(namespace, kind))

    def insert(self, namespace: str, kind: str, doc: dict) -> dict:
        """Store a new document; returns it."""
        self.ensure_namespace(namespace)
        with self.lock:
            doc_id = self._state.read_table(namespace, kind).next_id
            self._write(["put", namespace, kind, doc_id, dict(doc)])
            return doc

    def modify(self, namespace: str, kind: str, key: str, change: Callable[[dict], dict]) -> dict | None:
        """Apply `change` to a copy of the document and store its result; None if there is no such document.

        If `change` raises, nothing is written: the stored document stays as it was.
        """
        self.ensure_namespace(namespace)
        with self.lock:
            table, doc_id = self._locate(namespace, kind, key)
            if doc_id is None:
                return None
            updated = change(copy.deepcopy(table.stored(doc_id)))
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
            table, doc_id = self._locate(namespace, kind, key)
            if doc_id is None:
                return None
            doc = dict(table.stored(doc_id))
            self._write(["del", namespace, kind, doc_id])
            return doc

    def close(self) -> None:
        """Stop writing to the database file."""
        with self.lock:
            if self._log is not None:
                self._log.close()
