"""Query parameters of GET orders and orders/count: matching, sorting and the cursor (queries.py parses them). Plain Python."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import Decimal

from .. import cursors
from ..wire import parse_iso
from .order_values import exact_hit, fuzzy_hit, keyword_hit
from .values import money_or_zero

TIME_FIELDS = ("created_at", "updated_at", "placed_at")
# Every time a list can be bounded by (`<name>_min`, `<name>_max`); the first three are also sort fields.
FILTER_TIMES = (*TIME_FIELDS, "finished_at", "fulfilled_at", "last_referrer_show_created_at", "source_name_created_at")
# The order field whose being set means the order has the touchpoint a touchpoint time bounds.
TOUCHPOINTS = {"last_referrer_show_created_at": "last_referrer_show", "source_name_created_at": "source_name"}
# OrderQuery fields that shape the answer or qualify another filter rather than select orders by themselves.
NOT_FILTERS = ("keyword_scope_fields", "fuzzy_relation", "admin_hasfilter", "sort_by", "sort_direction", "page_size", "after")
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
    keyword_scope_fields: list[str] = field(default_factory=list)
    location_id: str | None = None
    times: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    # The exact array filters of order_values.EXACT given, by name.
    exact: dict[str, list[str]] = field(default_factory=dict)
    fuzzy_fields: list[str] = field(default_factory=list)
    fuzzy_keywords: list[str] = field(default_factory=list)
    fuzzy_relation: str = "or"
    admin_hasfilter: bool | None = None
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


def _stamps(doc: dict, name: str) -> list[int | None]:
    # The times an order has for a time filter: fulfilled_at is each live fulfillment's creation, a
    # touchpoint time the order's creation when it has that touchpoint (the mock records both on create).
    if name == "fulfilled_at":
        live = [f for f in doc.get("fulfillments") or [] if isinstance(f, dict) and f.get("status") != "cancelled"]
        return [_stamp(f, "created_at") for f in live] or [None]
    if name in TOUCHPOINTS:
        return [_stamp(doc, "created_at") if doc.get(TOUCHPOINTS[name]) else None]
    return [_stamp(doc, name)]


def _in_times(doc: dict, times: dict) -> bool:
    return all(any(_in_range(stamp, low, high) for stamp in _stamps(doc, name)) for name, (low, high) in times.items())


def matches(doc: dict, query: OrderQuery) -> bool:
    """True when the order passes every filter of `query`."""
    checks = (
        not query.ids or doc.get("id") in query.ids,
        not query.status or doc.get("status") in query.status,
        not query.financial_status or doc.get("financial_status") in query.financial_status,
        not query.fulfillment_status or doc.get("fulfillment_status") in query.fulfillment_status,
        query.customer_id is None or (doc.get("customer") or {}).get("id") == query.customer_id,
        query.location_id is None or (doc.get("location_line") or {}).get("location_id") == query.location_id,
        query.keyword is None or keyword_hit(doc, query.keyword, query.keyword_scope_fields),
        _in_range(money_or_zero(doc.get("total_price")), query.total_min, query.total_max),
        all(exact_hit(doc, name, wanted) for name, wanted in query.exact.items()),
        not query.fuzzy_fields or fuzzy_hit(doc, query.fuzzy_fields, query.fuzzy_keywords, query.fuzzy_relation),
    )
    return all(checks) and _in_times(doc, query.times)


def filters_nothing(query: OrderQuery) -> bool:
    """True when every live order matches `query` (no filter given)."""
    for spec in fields(query):
        value = getattr(query, spec.name)
        if spec.name == "times":
            if any(bounds != (None, None) for bounds in value.values()):
                return False
        elif spec.name not in NOT_FILTERS and value not in (None, [], {}):
            return False
    return True


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
