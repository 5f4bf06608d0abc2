"""Shoplazza fulfillments: building them from a request, the order's progress they make, their views per version.

Plain Python: no Flask. A fulfillment is stored (kind `shoplazza.fulfillments`) as v202506.Fulfillment
plus one private field, `position` (its place among its order's fulfillments, for listing and the
cursor). Its line_items are the order's v202506.LineItem with `ship_quantity` the quantity this
fulfillment ships and `fulfillment_status` the fulfillment's status.
"""

from __future__ import annotations

import copy
import uuid

from .. import cursors
from .errors import FailedPrecondition, field_error

FULFILLMENTS = "shoplazza.fulfillments"
# v202506.Fulfillment (and v202601.FulfillmentSummary), in the registry's order.
FIELDS = (
    "id", "order_id", "status", "created_at", "updated_at", "tracking_company", "tracking_number",
    "tracking_company_code", "line_items", "tracking_url", "phone_number",
)  # fmt: skip
TRACKING_FIELDS = ("tracking_number", "tracking_company", "tracking_company_code", "tracking_url")
EDITABLE = (*TRACKING_FIELDS, "phone_number")
# A fulfillment's statuses: created shipped, completed finished, or cancelled.
SHIPPED, FINISHED, CANCELLED = "shipped", "finished", "cancelled"
# Which fulfillment statuses each fulfillment operation takes (complete of a finished one answers it unchanged), and
# how its refusal names it.
ALLOWED = {
    "update": ((SHIPPED, FINISHED), "updated"),
    "complete": ((SHIPPED, FINISHED), "completed"),
    "cancel": ((SHIPPED,), "cancelled"),
}
# (operation, the order's progress after it, every item shipped) -> the lifecycle row that moves the order: its
# fulfillment_status is always that progress, and a create that ships the last items fires orders/fulfilled.
ROWS = {
    ("create", "partially_shipped", False): "fulfillment-create",
    ("create", "partially_finished", False): "fulfillment-create-partly-finished",
    ("create", "shipped", True): "fulfillment-create-all",
    ("create", "partially_finished", True): "fulfillment-create-all-partly-finished",
    ("complete", "partially_finished", False): "fulfillment-complete",
    ("complete", "partially_finished", True): "fulfillment-complete",
    ("complete", "finished", True): "fulfillment-complete-all",
    ("cancel", "waiting", False): "fulfillment-cancel-all",
    ("cancel", "partially_shipped", False): "fulfillment-cancel",
    ("cancel", "partially_finished", False): "fulfillment-cancel-partly-finished",
}


def _order_of(fulfillment: dict) -> str:
    # The store's view of fulfillments by order, for finding an order's fulfillments without a scan.
    return str(fulfillment.get("order_id") or "")


def by_order(store, namespace: str, order_id: str) -> list[dict]:
    """An order's fulfillments, oldest first (a lookup by order, not a scan)."""
    found = store.matching(namespace, FULFILLMENTS, _order_of, order_id)
    return sorted(found, key=lambda doc: int(doc.get("position", 0)))


def public(doc: dict) -> dict:
    """v202506.Fulfillment (= v202601.FulfillmentSummary): the stored record without its position."""
    return {name: copy.deepcopy(doc.get(name, "")) for name in FIELDS}


def detailed(doc: dict) -> dict:
    """v202601.Fulfillment: the summary plus tracking_items (one per tracking number set)."""
    item = {name: doc.get(name, "") for name in TRACKING_FIELDS}
    return {**public(doc), "tracking_items": [item] if item["tracking_number"] else []}


def view(doc: dict, version: str, detail: bool = False) -> dict:
    """A fulfillment as `version` answers it: 2026-01's get adds tracking_items; everything else is the summary."""
    return detailed(doc) if detail and version >= "2026-01" else public(doc)


def check_allowed(operation: str, fulfillment: dict) -> None:
    """Refuse `operation` on a fulfillment whose status does not take it (FailedPrecondition naming the status)."""
    statuses, done = ALLOWED[operation]
    if fulfillment.get("status") not in statuses:
        raise FailedPrecondition(f"status: fulfillment {fulfillment['id']} is {fulfillment.get('status')} and cannot be {done}")


def row_for(operation: str, order: dict) -> str:
    """The lifecycle row `operation` (create, complete, cancel) moves the order by, from the progress it made."""
    lines = order["line_items"]
    every_item = all(int(line.get("ship_quantity", 0)) >= int(line["quantity"]) for line in lines)
    return ROWS[(operation, progress(lines, order.get("fulfillments", [])), every_item)]


# -- quantities ------------------------------------------------------------------------------------


def plan(order: dict, requested: list[dict]) -> list[tuple[dict, int]]:
    """(order line, quantity) for each requested line: ship_quantity 0 or absent ships all that remains.

    InvalidParameter naming the request field: an unknown or repeated line, a line with nothing
    left to ship, more than remains.
    """
    lines = {line["id"]: line for line in order["line_items"]}
    chosen, seen = [], set()
    for index, item in enumerate(requested):
        where = f"fulfillment.line_items.{index}"
        line = lines.get(item["id"])
        # The line must be the order's, named once.
        if line is None:
            raise field_error(f"{where}.id", f"order {order['id']} has no line item {item['id']}")
        if item["id"] in seen:
            raise field_error(f"{where}.id", f"line item {item['id']} is listed more than once")
        seen.add(item["id"])
        # At most what is not shipped yet.
        remaining = int(line["quantity"]) - int(line.get("ship_quantity", 0))
        if remaining <= 0:
            raise field_error(f"{where}.id", f"line item {item['id']} has no unfulfilled quantity left")
        quantity = item.get("ship_quantity") or remaining
        if quantity > remaining:
            raise field_error(f"{where}.ship_quantity", f"{quantity} is more than the {remaining} of line item {item['id']} unfulfilled")
        chosen.append((line, quantity))
    return chosen


def new_fulfillment(order: dict, chosen: list[tuple[dict, int]], param: dict, position: int, now: str) -> dict:
    """A shipped fulfillment of `chosen` with the request's tracking fields."""
    doc = {
        "id": str(uuid.uuid4()),
        "order_id": order["id"],
        "status": SHIPPED,
        "created_at": now,
        "updated_at": now,
        **{name: param.get(name, "") for name in EDITABLE},
        "line_items": [{**copy.deepcopy(line), "ship_quantity": quantity, "fulfillment_status": SHIPPED} for line, quantity in chosen],
    }
    return {**public(doc), "position": position}


def with_status(fulfillment: dict, status: str, now: str) -> dict:
    """The fulfillment (and its lines) in `status`."""
    lines = [{**line, "fulfillment_status": status} for line in fulfillment["line_items"]]
    return {**fulfillment, "status": status, "line_items": lines, "updated_at": now}


# -- the order's side --------------------------------------------------------------------------------


def progress(lines: list[dict], fulfillments: list[dict]) -> str:
    """waiting, partially_shipped, shipped, partially_finished or finished, from the lines' quantities and fulfillments."""
    total = sum(int(line["quantity"]) for line in lines)
    shipped = sum(int(line.get("ship_quantity", 0)) for line in lines)
    finished = sum(int(item["ship_quantity"]) for f in fulfillments if f["status"] == FINISHED for item in f["line_items"])
    return _progress(total, shipped, finished)


def _progress(total: int, shipped: int, finished: int) -> str:
    if shipped == 0:
        return "waiting"
    if finished >= total:
        return "finished"
    if finished:
        return "partially_finished"
    return "shipped" if shipped >= total else "partially_shipped"


def refresh_order(order: dict, fulfillments: list[dict]) -> None:
    """Put `fulfillments` (the order's, oldest first) on the order: its fulfillments[], each line's ship_quantity and status."""
    live = [f for f in fulfillments if f["status"] != CANCELLED]
    for line in order["line_items"]:
        shipped = sum(int(i["ship_quantity"]) for f in live for i in f["line_items"] if i["id"] == line["id"])
        finished = sum(int(i["ship_quantity"]) for f in live if f["status"] == FINISHED for i in f["line_items"] if i["id"] == line["id"])
        line["ship_quantity"] = shipped
        line["fulfillment_status"] = _progress(int(line["quantity"]), shipped, finished)
    order["fulfillments"] = [public(f) for f in fulfillments]


# -- listing -------------------------------------------------------------------------------------------


def encode_cursor(position: int) -> str:
    """The cursor of a fulfillments page ending at `position`."""
    return cursors.encode_cursor(["fulfillments", position])


def cursor_position(cursor: str) -> int | None:
    """The position a cursor from encode_cursor carries; None for anything else."""
    value = cursors.decode_cursor(cursor)
    if not (isinstance(value, list) and len(value) == 2 and value[0] == "fulfillments" and type(value[1]) is int):
        return None
    return value[1]
