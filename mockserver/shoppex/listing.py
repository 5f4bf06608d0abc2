"""Cursor pagination for Shoppex lists: newest first, stable while records are added."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .. import cursors
from .errors import field_error


def _position(doc: dict) -> tuple[int, str]:
    # Newest first by creation time; the id breaks ties so every record has one place.
    return (int(doc.get("created_at") or 0), str(doc.get("id")))


def encode_cursor(doc: dict) -> str:
    """An opaque cursor pointing just after `doc`."""
    return cursors.encode_cursor(list(_position(doc)))


def decode_cursor(cursor: str) -> tuple[int, str]:
    """The position a cursor points after; a 422 naming `cursor` if it is not one of ours."""
    position = cursors.decode_cursor(cursor)
    # Exactly what encode_cursor writes: [integer created_at, string id]. Anything else
    # (1e400, NaN, 1.5, true, "1", a nested list) is refused rather than coerced.
    if not (isinstance(position, list) and len(position) == 2 and type(position[0]) is int and type(position[1]) is str):
        raise field_error("cursor", "Not a cursor this API returned.")
    return position[0], position[1]


def paginate(docs: Iterable[dict], limit: int, cursor: str | None, keep: Callable[[dict], bool] = lambda d: True) -> dict:
    """One page of `docs`: `{"data": [...], "pagination": {"next_cursor", "has_more"}}` (sorts them all: small lists only)."""
    after = decode_cursor(cursor) if cursor else None
    ordered = sorted((d for d in docs if keep(d)), key=_position, reverse=True)
    if after is not None:
        ordered = [d for d in ordered if _position(d) < after]
    return _page(ordered[:limit], len(ordered) > limit)


def paginate_stored(store, namespace: str, kind: str, limit: int, cursor: str | None, keep: Callable[[dict], bool] | None = None) -> dict:
    """One page of a stored kind, as paginate() gives it, walking the store's sorted view: costs the page, not the kind."""
    after = decode_cursor(cursor) if cursor else None
    docs, has_more = store.page(namespace, kind, _position, limit, after=after, keep=keep)
    return _page(docs, has_more)


def _page(docs: list[dict], has_more: bool) -> dict:
    return {"data": docs, "pagination": {"next_cursor": encode_cursor(docs[-1]) if has_more else None, "has_more": has_more}}
