"""Shoplazza money as decimal strings ("16.99"): rendered with two decimals, read back from stored orders.

Times and the money bound are mockserver.wire's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..wire import MONEY_MAX, PLAIN_DECIMAL, parse_iso

CENT = Decimal("0.01")
ZERO = Decimal("0")
_MONEY_BOUND = f"must be at most {MONEY_MAX} (the largest amount the mock takes)"


def money(value: Decimal) -> str:
    """Render an amount the way Shoplazza does: two decimals, as a string; ValueError beyond MONEY_MAX."""
    if not value.is_finite() or abs(value) > MONEY_MAX:
        raise ValueError(_MONEY_BOUND)
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def money_or_zero(text: str | None) -> Decimal:
    """A stored money string as Decimal (any size: it was stored, not sent); empty or malformed counts as zero."""
    text = text or "0"
    if not isinstance(text, str) or not PLAIN_DECIMAL.fullmatch(text.strip()):
        return ZERO
    return Decimal(text.strip())


def within(doc: dict, times: dict[str, int]) -> bool:
    """Whether `doc`'s times fall within inclusive bounds such as {"created_at_min": <Unix seconds>}."""
    for name, bound in times.items():
        field, side = name.rsplit("_", 1)
        stamp = parse_iso(doc[field])
        if (side == "min" and stamp < bound) or (side == "max" and stamp > bound):
            return False
    return True
