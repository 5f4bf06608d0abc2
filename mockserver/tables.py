"""One kind's documents in one namespace: ordered by document id, indexed by key fields, pageable in any order.

A Table never changes a stored document in place: a write replaces it. So a copy of a table
(copy-on-write of the shared fixture tables) shares the documents and copies only the maps.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable

# The position just past every document id, for "after this key" in ascending walks.
_PAST_EVERY_ID = float("inf")


class SharedParts:
    """Nested objects and lists that many stored documents hold alike (a blank address, an order's config), kept once."""

    LIMIT = 20_000

    def __init__(self):
        self._parts: dict[int, object] = {}

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
            key = hash(json.dumps(value, separators=(",", ":")))
        except (TypeError, ValueError):
            return value
        known = self._parts.get(key)
        if known is not None and known == value:
            return known
        if len(self._parts) >= self.LIMIT:
            self._parts.clear()
        self._parts[key] = value
        return value


class Document(dict):
    """A stored document as handed out: a shallow copy carrying its doc_id and revision."""

    __slots__ = ("doc_id", "revision")


class Table:
    """Documents by id (oldest first), an index of key values, revisions, and sorted views built on demand."""

    __slots__ = ("_keys", "_parts", "_revision", "docs", "index", "next_id", "revisions", "sorted")

    def __init__(self, keys: tuple[str, ...], revision: Callable[[], int], parts: SharedParts):
        self.docs: dict[int, dict] = {}
        self.index: dict[str, int] = {}
        self.revisions: dict[int, int] = {}
        self.next_id = 1
        # order function -> [(order key, doc id), ...] ascending; only for orders a list has asked for.
        self.sorted: dict[Callable, list[tuple]] = {}
        self._keys = keys
        self._revision = revision
        self._parts = parts

    def copy(self) -> Table:
        """A table with the same documents (shared, never changed in place) and its own maps."""
        other = Table(self._keys, self._revision, self._parts)
        other.docs = dict(self.docs)
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

    def find(self, key: str) -> int | None:
        """The doc id `key` names, if any."""
        return self.index.get(key)

    def document(self, doc_id: int) -> Document:
        """The stored document as a Document (a shallow copy with doc_id and revision)."""
        doc = Document(self.docs[doc_id])
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
        found: list[Document] = []
        # Walk from the cursor, stopping at the first match past the page (it says "has more").
        for position in positions:
            doc_id = entries[position][1]
            if keep is None or keep(self.docs[doc_id]):
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
            entries = self.sorted[order] = sorted((order(doc), doc_id) for doc_id, doc in self.docs.items())
        return entries

    # -- writes ----------------------------------------------------------------

    def put(self, doc_id: int, doc: dict) -> dict | None:
        """Store `doc` as `doc_id` (new or replacing); returns the document it replaced."""
        old = self.docs.get(doc_id)
        if old is not None:
            self._unindex(doc_id, old)
        doc = self.docs[doc_id] = self._parts.share(doc)
        self.revisions[doc_id] = self._revision()
        self.next_id = max(self.next_id, doc_id + 1)
        for key in self.key_values(doc):
            self.index[key] = doc_id
        for order, entries in self.sorted.items():
            bisect.insort(entries, (order(doc), doc_id))
        return old

    def delete(self, doc_id: int) -> dict | None:
        """Remove a document; returns it (None if there was none)."""
        old = self.docs.pop(doc_id, None)
        if old is not None:
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
