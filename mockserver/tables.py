"""One kind's documents in one namespace: held in a TinyDB table, indexed by key fields, pageable in any order.

A Table hands out copies of its documents and a write replaces a whole document. TinyDB holds the
documents (one in-memory database per state, one TinyDB table per Table); the id index, revisions
and sorted views here are indexes over them. A write touches only the documents it changes
(InPlaceTable), so it costs the same with ten orders stored or ten thousand.
"""

from __future__ import annotations

import bisect
import itertools
import json
import weakref
from collections.abc import Callable, Iterable, Iterator, MutableMapping

from tinydb import TinyDB
from tinydb import table as tinytable
from tinydb.storages import MemoryStorage

# The position just past every document id, for "after this key" in ascending walks.
_PAST_EVERY_ID = float("inf")


class _ById(MutableMapping):
    """A TinyDB table's stored dict (keyed by str doc id) seen by int doc id and changed in place."""

    __slots__ = ("_raw",)

    def __init__(self, raw: dict):
        self._raw = raw

    def __getitem__(self, doc_id: int) -> dict:
        return self._raw[str(doc_id)]

    def __setitem__(self, doc_id: int, doc: dict) -> None:
        self._raw[str(doc_id)] = doc

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return map(int, self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:
        """Remove every document at once."""
        self._raw.clear()


class InPlaceTable(tinytable.Table):
    """A TinyDB table whose writes change only the documents they touch (TinyDB 4 rebuilds the whole table per write).

    The updater gets a view over the stored dict instead of a converted copy, so insert, update and
    remove cost O(documents changed). An updater that raises part way keeps what it did so far: the
    store's writes change one document each.
    """

    def _update_table(self, updater: Callable[[dict], None]) -> None:
        # The stored dict of this table (created on its first write), changed in place through the view.
        tables = self._storage.read() or {}
        raw = tables.setdefault(self.name, {})
        updater(_ById(raw))
        self._storage.write(tables)
        self.clear_cache()


class _Database(TinyDB):
    """TinyDB whose tables write in place."""

    table_class = InPlaceTable


class Documents:
    """The in-memory TinyDB holding every Table's documents, one TinyDB table per Table under a name of its own."""

    def __init__(self):
        self.db = _Database(storage=MemoryStorage)
        self._names = itertools.count(1)

    def new_table(self, owner: object) -> InPlaceTable:
        """A new empty TinyDB table, dropped from the database once `owner` is gone."""
        name = f"t{next(self._names)}"
        tiny = self.db.table(name)
        weakref.finalize(owner, self.db.drop_table, name).atexit = False
        return tiny


class SharedParts:
    """Nested objects and lists that many stored documents hold alike (a blank address, an order's config), kept once."""

    # Only small parts are worth sharing (a blank address, a config): large ones are rarely equal, and the
    # memo would keep them alive after their documents are gone (a pruned webhook log, for one).
    PART_BYTES = 1024
    # What the memo holds, in bytes of JSON text, before it starts afresh.
    LIMIT_BYTES = 1 << 20

    def __init__(self):
        self._parts: dict[int, object] = {}
        self._bytes = 0

    def share(self, doc: dict) -> dict:
        """`doc`, its nested values replaced by equal ones already stored where there are (documents are never changed in place)."""
        shared = doc
        for key, value in doc.items():
            if isinstance(value, (dict, list)) and value:
                part = self._part(value)
                if part is not value:
                    if shared is doc:
                        shared = dict(doc)
                    shared[key] = part
        return shared

    def _part(self, value):
        # Keyed by a hash of the JSON text (equal text, equal value); a hit is confirmed by comparing the values.
        try:
            text = json.dumps(value, separators=(",", ":"))
        except (TypeError, ValueError):
            return value
        if len(text) > self.PART_BYTES:
            return value
        key = hash(text)
        known = self._parts.get(key)
        if known is not None and known == value:
            return known
        if self._bytes + len(text) > self.LIMIT_BYTES:
            self._parts.clear()
            self._bytes = 0
        self._parts[key] = value
        self._bytes += len(text)
        return value


class Document(dict):
    """A stored document as handed out: a shallow copy carrying its doc_id and revision."""

    __slots__ = ("doc_id", "revision")


class Table:
    """Documents by id in a TinyDB table (oldest first), an index of key values, revisions, and sorted views built on demand."""

    __slots__ = ("__weakref__", "_documents", "_keys", "_parts", "_revision", "_tiny", "index", "next_id", "revisions", "sorted")

    def __init__(self, keys: tuple[str, ...], revision: Callable[[], int], parts: SharedParts, documents: Documents):
        self._tiny = documents.new_table(self)
        self.index: dict[str, int] = {}
        self.revisions: dict[int, int] = {}
        self.next_id = 1
        # order function -> [(order key, doc id), ...] ascending; only for orders a list has asked for.
        self.sorted: dict[Callable, list[tuple]] = {}
        self._keys = keys
        self._revision = revision
        self._parts = parts
        self._documents = documents

    def copy(self) -> Table:
        """A table with the same documents (in a TinyDB table of its own) and its own maps."""
        other = Table(self._keys, self._revision, self._parts, self._documents)
        other._tiny.insert_multiple(tinytable.Document(doc, doc_id=doc_id) for doc_id, doc in self.items())
        other.index = dict(self.index)
        other.revisions = dict(self.revisions)
        other.next_id = self.next_id
        other.sorted = {order: list(entries) for order, entries in self.sorted.items()}
        return other

    def key_values(self, doc: dict) -> Iterable[str]:
        """The values of `doc` that find it (id, uniqid, ...): non-empty strings only."""
        for name in self._keys:
            value = doc.get(name)
            if isinstance(value, str) and value:
                yield value

    # -- reads -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._tiny)

    def tinydb_table(self) -> tinytable.Table:
        """The TinyDB table holding the documents (read it; write only through put and delete)."""
        return self._tiny

    def ids(self) -> Iterator[int]:
        """Every doc id, oldest first."""
        return (doc.doc_id for doc in self._tiny)

    def items(self) -> Iterator[tuple[int, dict]]:
        """(doc id, document) pairs, oldest first: TinyDB's documents, copies of the stored ones."""
        return ((doc.doc_id, doc) for doc in self._tiny)

    def stored(self, doc_id: int) -> dict:
        """The stored document itself (KeyError if there is none): read it, never change it."""
        return self._tiny._read_table()[str(doc_id)]

    def find(self, key: str) -> int | None:
        """The doc id `key` names, if any."""
        return self.index.get(key)

    def document(self, doc_id: int) -> Document:
        """The stored document as a Document (a shallow copy with doc_id and revision)."""
        doc = Document(self._tiny._read_table()[str(doc_id)])
        doc.doc_id = doc_id
        doc.revision = self.revisions[doc_id]
        return doc

    def page(self, order: Callable, limit: int, after=None, descending: bool = True, keep=None) -> tuple[list[Document], bool]:
        """Up to `limit` documents in `order` strictly after the key `after`, those `keep` accepts; and whether more follow."""
        entries = self._sorted(order)
        if descending:
            end = bisect.bisect_left(entries, (after,)) if after is not None else len(entries)
            positions = range(end - 1, -1, -1)
        else:
            start = bisect.bisect_right(entries, (after, _PAST_EVERY_ID)) if after is not None else 0
            positions = range(start, len(entries))
        stored = self._tiny._read_table()
        found: list[Document] = []
        # Walk from the cursor, stopping at the first match past the page (it says "has more").
        for position in positions:
            doc_id = entries[position][1]
            if keep is None or keep(stored[str(doc_id)]):
                if len(found) == limit:
                    return found, True
                found.append(self.document(doc_id))
        return found, False

    def equal(self, order: Callable, key) -> list[tuple]:
        """The (order key, doc id) entries whose key equals `key`, oldest first: a lookup in the sorted view."""
        entries = self._sorted(order)
        return entries[bisect.bisect_left(entries, (key,)) : bisect.bisect_right(entries, (key, _PAST_EVERY_ID))]

    def _sorted(self, order: Callable) -> list[tuple]:
        entries = self.sorted.get(order)
        if entries is None:
            entries = self.sorted[order] = sorted((order(doc), doc_id) for doc_id, doc in self.items())
        return entries

    # -- writes ----------------------------------------------------------------

    def put(self, doc_id: int, doc: dict) -> dict | None:
        """Store `doc` as `doc_id` (new or replacing); returns the document it replaced."""
        old = self._tiny.get(doc_id=doc_id)
        doc = self._parts.share(doc)
        # A new id is inserted; a stored one is replaced where it stands (so the order stays oldest first).
        if old is None:
            self._tiny.insert(tinytable.Document(doc, doc_id=doc_id))
        else:
            self._unindex(doc_id, old)
            self._tiny.update(_replacing_with(doc), doc_ids=[doc_id])
        self.revisions[doc_id] = self._revision()
        self.next_id = max(self.next_id, doc_id + 1)
        for key in self.key_values(doc):
            self.index[key] = doc_id
        for order, entries in self.sorted.items():
            bisect.insort(entries, (order(doc), doc_id))
        return old

    def delete(self, doc_id: int) -> dict | None:
        """Remove a document; returns it (None if there was none)."""
        old = self._tiny.get(doc_id=doc_id)
        if old is not None:
            self._tiny.remove(doc_ids=[doc_id])
            self._unindex(doc_id, old)
            del self.revisions[doc_id]
        return old

    def _unindex(self, doc_id: int, old: dict) -> None:
        # A key the old version carried stops finding it (unless another document took it since).
        for key in self.key_values(old):
            if self.index.get(key) == doc_id:
                del self.index[key]
        for order, entries in self.sorted.items():
            position = bisect.bisect_left(entries, (order(old), doc_id))
            if position < len(entries) and entries[position][1] == doc_id:
                del entries[position]


def _replacing_with(doc: dict) -> Callable[[dict], None]:
    # TinyDB's update changes the stored dict in place: it becomes `doc`, keys and all (the old one was copied by get).
    def replace(stored: dict) -> None:
        stored.clear()
        stored.update(doc)

    return replace
