"""Each API version's shape of an order: a stored order shown as v202506.Order (2025-06) or v202601.Order (2026-01).

An order is stored once, as the superset: every v202601.Order field (the four `*_notify`
fields after duty_total, browser_ip last) and line items carrying v202506's ship_quantity.
Showing it for a version drops what that version does not declare and fills what an older
stored order lacks. Plain Python: no Flask.
"""

from __future__ import annotations

from .orders import NOTIFY_FIELDS
from .payments import payment_line

# v202601.Order's fields that v202506.Order lacks, with the value an order that never set them shows.
V202601_DEFAULTS = {**dict.fromkeys(NOTIFY_FIELDS, 0), "browser_ip": ""}
# v202506.LineItem's field that v202601.OrderLineItem lacks.
V202506_LINE_ONLY = ("ship_quantity",)
# v202601.OrderFulfillment's field that v202506.Fulfillment lacks (an empty list when not stored).
V202601_FULFILLMENT_ONLY = "tracking_items"


def _common(doc: dict) -> dict:
    # Both versions: payment_line carries every PaymentLine field, empty before payment.
    shown = dict(doc)
    shown["payment_line"] = payment_line(**(doc.get("payment_line") or {}))
    return shown


def order_2025_06(doc: dict) -> dict:
    """The stored order as v202506.Order."""
    shown = _common(doc)
    for name in V202601_DEFAULTS:
        shown.pop(name, None)
    shown["fulfillments"] = [{k: v for k, v in f.items() if k != V202601_FULFILLMENT_ONLY} for f in doc.get("fulfillments", [])]
    return shown


def order_2026_01(doc: dict) -> dict:
    """The stored order as v202601.Order: notify fields and browser_ip, line items without ship_quantity."""
    shown = {}
    for name, value in _common(doc).items():
        shown[name] = value
        # An order stored before 2026-01's fields existed gets them where v202601.Order puts them.
        if name == "duty_total":
            shown.update({field: doc.get(field, V202601_DEFAULTS[field]) for field in NOTIFY_FIELDS})
    shown.setdefault("browser_ip", doc.get("browser_ip", ""))
    shown["line_items"] = [{k: v for k, v in line.items() if k not in V202506_LINE_ONLY} for line in doc.get("line_items", [])]
    shown["fulfillments"] = [{**f, V202601_FULFILLMENT_ONLY: f.get(V202601_FULFILLMENT_ONLY, [])} for f in doc.get("fulfillments", [])]
    return shown


V202506, V202601 = "2025-06", "2026-01"
SHAPES = {V202506: order_2025_06, V202601: order_2026_01}


def order_in(version: str, doc: dict) -> dict:
    """The stored order as `version` shows it (a version the mock does not emulate, e.g. a fixture's, as 2025-06)."""
    return SHAPES.get(version, order_2025_06)(doc)
