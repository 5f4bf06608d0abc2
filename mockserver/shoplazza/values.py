"""Shoplazza wire values: money as decimal strings ("16.99"), times as ISO 8601 with `Z`."""

from __future__ import annotations

import calendar
import re
import time
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
# The largest amount the mock takes or computes (a price, a line's price x quantity, an order's
# total), as on the Shoppex side. Far beyond it, Decimal's 28-digit context overflows (a 500).
MONEY_MAX = Decimal("1000000000")
# [0-9], not \d: \d also matches Arabic-Indic or fullwidth digits, which Decimal() reads as numbers.
_MONEY = re.compile(r"[0-9]+(\.[0-9]+)?")
_MONEY_SHAPE = 'must be a non-negative decimal string such as "16.99"'
_MONEY_BOUND = f"must be at most {MONEY_MAX} (the largest amount the mock takes)"
# [0-9], not \d (re.ASCII): \d also matches fullwidth and Arabic-Indic digits, which int() reads.
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})", re.ASCII)


def _decimal(text) -> Decimal:
    if not isinstance(text, str) or not _MONEY.fullmatch(text.strip()):
        raise ValueError(_MONEY_SHAPE)
    return Decimal(text.strip())


def parse_money(text: str) -> Decimal:
    """A non-negative decimal string of ASCII digits, at most MONEY_MAX, as Decimal; ValueError otherwise (never float)."""
    value = _decimal(text)
    if value > MONEY_MAX:
        raise ValueError(_MONEY_BOUND)
    return value


def money(value: Decimal) -> str:
    """Render an amount the way Shoplazza does: two decimals, as a string; ValueError beyond MONEY_MAX."""
    if not value.is_finite() or abs(value) > MONEY_MAX:
        raise ValueError(_MONEY_BOUND)
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def money_or_zero(text: str | None) -> Decimal:
    """A stored money string as Decimal (any size: it was stored, not sent); empty or malformed counts as zero."""
    try:
        return _decimal(text or "0")
    except ValueError:
        return ZERO


def iso(seconds: int) -> str:
    """Unix seconds as ISO 8601 UTC with `Z`, e.g. 2025-10-31T08:09:22Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def parse_iso(text: str) -> int:
    """ISO 8601 (`Z` or an offset) as Unix seconds; ValueError when it is not one."""
    match = _ISO.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError("must be an ISO 8601 time such as 2018-11-02T12:30:10Z")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError("must be an ISO 8601 time such as 2018-11-02T12:30:10Z")
    try:
        seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
        time.strptime(f"{year:04d}-{month:02d}-{day:02d}", "%Y-%m-%d")
    except (ValueError, OverflowError):
        raise ValueError("must be an ISO 8601 time such as 2018-11-02T12:30:10Z") from None
    zone = match.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds
