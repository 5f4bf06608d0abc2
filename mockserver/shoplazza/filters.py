"""Query parameters of GET orders and orders/count: matching, sorting and the cursor (queries.py parses them). Plain Python."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .. import cursors
from .values import money_or_zero, parse_iso

TIME_FIELDS = ("created_at", "updated_at", "placed_at")
SORT_FIELDS = ("created_at", "updated_at", "placed_at", "total_price", "number")
DEFAULT_SORT = ("created_at", "desc")
PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX = 10, 250
# Surrounding ASCII blanks are tolerated; re.ASCII keeps \s from matching other spaces.
ASCII_INTEGER = re.compile(r"\s*([0-9]+)\s*", re.ASCII)
ASCII_DECIMAL = re.compile(r"\s*-?[0-9]{1,30}(\.[0-9]{1,30})?\s*", re.ASCII)


@dataclass
class OrderQuery:
    """The filters, sort and page of a list or count request."""

    ids: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    financial_status: list[str] = field(default_factory=list)
    fulfillment_status: list[str] = field(default_factory=list)
    customer_id: str | None = None
    keyword: str | None = None
    times: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    total_min: Decimal | None = None
    total_max: Decimal | None = None
    sort_by: str = DEFAULT_SORT[0]
    sort_direction: str = DEFAULT_SORT[1]
    page_size: int = PAGE_SIZE_DEFAULT
    after: tuple | None = None


def _stamp(doc: dict, name: str) -> int | None:
    try:
        return parse_iso(doc.get(name) or "")
    except ValueError:
        return None


def _in_range(value, low, high) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _keyword_hit(doc: dict, keyword: str) -> bool:
    needle = keyword.lower()
    shipping, customer = doc.get("shipping_address") or {}, doc.get("customer") or {}
    haystack = (doc.get("id"), doc.get("number"), customer.get("email"), shipping.get("email"), shipping.get("name"), shipping.get("phone"))
    return any(needle in (value or "").lower() for value in haystack)


def matches(doc: dict, query: OrderQuery) -> bool:
    """True when the order passes every filter of `query`."""
    checks = (
        not query.ids or doc.get("id") in query.ids,
        not query.status or doc.get("status") in query.status,
        not query.financial_status or doc.get("financial_status") in query.financial_status,
        not query.fulfillment_status or doc.get("fulfillment_status") in query.fulfillment_status,
        query.customer_id is None or (doc.get("customer") or {}).get("id") == query.customer_id,
        query.keyword is None or _keyword_hit(doc, query.keyword),
        _in_range(money_or_zero(doc.get("total_price")), query.total_min, query.total_max),
    )
    if not all(checks):
        return False
    return all(_in_range(_stamp(doc, name), low, high) for name, (low, high) in query.times.items())


def filters_nothing(query: OrderQuery) -> bool:
    """True when every live order matches `query` (no filter given)."""
    lists = (query.ids, query.status, query.financial_status, query.fulfillment_status)
    singles = (query.customer_id, query.keyword, query.total_min, query.total_max)
    return not any(lists) and all(v is None for v in singles) and all(r == (None, None) for r in query.times.values())


def sort_key(doc: dict, sort_by: str) -> tuple[str, int, str]:
    """A total order on orders: the sort field as a decimal string, then the id (numerically)."""
    if sort_by in TIME_FIELDS:
        stamp = _stamp(doc, sort_by)
        primary = Decimal(-1 if stamp is None else stamp)
    elif sort_by == "total_price":
        primary = money_or_zero(doc.get("total_price"))
    else:
        number = str(doc.get("number") or "")
        primary = Decimal(number) if ASCII_INTEGER.fullmatch(number) else Decimal(-1)
    order_id = str(doc.get("id") or "")
    return (str(primary), len(order_id), order_id)


def _comparable(key: tuple) -> tuple:
    return (Decimal(key[0]), key[1], key[2])


def _order_by(sort_by: str):
    def order(doc: dict) -> tuple:
        return _comparable(sort_key(doc, sort_by))

    return order


# One order function per sort field: the store keeps a sorted view per function and walks it for a page.
ORDERS_BY = {name: _order_by(name) for name in SORT_FIELDS}


def page_stored(store, namespace: str, kind: str, query: OrderQuery, keep) -> tuple[list[dict], str, bool]:
    """One page of a stored kind in the query's order after its cursor, as page() gives it; costs the orders walked."""
    after = _comparable(query.after) if query.after is not None else None
    descending = query.sort_direction == "desc"
    docs, has_more = store.page(namespace, kind, ORDERS_BY[query.sort_by], query.page_size, after=after, descending=descending, keep=keep)
    cursor = order_cursor(query.sort_by, query.sort_direction, sort_key(docs[-1], query.sort_by)) if has_more else ""
    return docs, cursor, has_more


def order_cursor(sort_by: str, direction: str, key: tuple) -> str:
    """An opaque cursor carrying the sort and the last order's position."""
    return cursors.encode_cursor([sort_by, direction, list(key)])


def order_position(cursor: str) -> tuple[str, str, tuple] | None:
    """The (sort_by, direction, position) a cursor from order_cursor carries; None for anything else.

    A cursor is client input: anything but [sort field, direction, [decimal string, int, str]] as
    order_cursor writes it (a forged "NaN" or Infinity, a wrong type, a deep nest) is refused.
    """
    value = cursors.decode_cursor(cursor)
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[2], list) and len(value[2]) == 3):
        return None
    sort_by, direction, (primary, length, order_id) = value
    if sort_by not in SORT_FIELDS or direction not in ("asc", "desc"):
        return None
    if not (isinstance(primary, str) and ASCII_DECIMAL.fullmatch(primary) and primary == primary.strip()):
        return None
    if not (isinstance(length, int) and not isinstance(length, bool) and isinstance(order_id, str) and length == len(order_id)):
        return None
    return sort_by, direction, (primary, length, order_id)
