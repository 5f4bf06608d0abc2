"""Wire values every API shares: one marshmallow field per wire format, and the bounds they check.

Shoppex sends money as a JSON number and times as Unix seconds; Shoplazza sends money as a
decimal string ("16.99") and times as ISO 8601 with `Z`. Request schemas, record kinds and
query schemas all use these fields, so a value is judged the same way wherever it enters.
"""

from __future__ import annotations

import calendar
import re
import time
from decimal import Decimal

from marshmallow import fields

# The largest amount the mock takes or computes (README: Limits). Far beyond it, Decimal's
# 28-digit context overflows.
MONEY_MAX = Decimal(1_000_000_000)
MAX_INSTANT = 253402300799  # 9999-12-31T23:59:59Z
# [0-9], not \d: \d also matches fullwidth and Arabic-Indic digits, which Decimal() and int() read.
DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")
# Digits before any point ("0.50", never ".50"): how Shoplazza writes money, and what its stored amounts are read as.
PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
ISO_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})")
# What the API itself writes: UTC with `Z`, a `T` between date and time, nothing around it.
ISO_Z = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z")
ISO_EXAMPLE = "must be an ISO 8601 time such as 2018-11-02T12:30:10Z"
ISO_Z_EXAMPLE = 'must be an ISO 8601 UTC time ending in Z (e.g. "2025-10-31T08:09:22Z")'


class _Money:
    """What both money fields share: the bounds and decimals an amount is checked against, named by error key.

    Error keys: `invalid` (not the wire type), `range` (outside [minimum, MONEY_MAX]) and
    `places` (too many decimals); a schema may give its own message for any of them.
    """

    default_error_messages = {"range": "Must be between {minimum} and {maximum}.", "places": "At most {places} decimals."}

    def checked(self, amount: Decimal) -> Decimal:
        """`amount` if it lies in [minimum, MONEY_MAX] and has at most `places` decimals (None: any)."""
        if not amount.is_finite() or not self.minimum <= amount <= MONEY_MAX:
            raise self.make_error("range", minimum=self.minimum, maximum=MONEY_MAX)
        if self.decimals is not None and amount != amount.quantize(Decimal(1).scaleb(-self.decimals)):
            # Refused rather than rounded: 33.335 x 3 has no consistent unit price and total.
            raise self.make_error("places", places=self.decimals)
        return amount


class NumberMoney(_Money, fields.Float):
    """Money sent as a JSON number (Shoppex: 9.99); loads as an exact Decimal (0.1 stays 0.1).

    A string, a boolean, NaN or infinity is refused; so is an amount outside [minimum, MONEY_MAX]
    or with more than `places` decimals.
    """

    default_error_messages = {**_Money.default_error_messages, "invalid": "Must be a JSON number such as 9.99."}

    def __init__(self, *, minimum: Decimal = Decimal(0), places: int | None = 2, **kwargs):
        metadata = {"minimum": float(minimum), "maximum": float(MONEY_MAX), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)
        self.minimum, self.decimals = minimum, places

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return self.checked(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


class DecimalMoney(_Money, fields.Decimal):
    """Money sent as a decimal string (Shoplazza: "16.99"); loads as Decimal, never a float (a Decimal field to documents).

    Refuses numbers, signs, exponents, blanks, "1_0" and non-ASCII digits, all of which Decimal()
    itself would take; and amounts outside [minimum, MONEY_MAX] or with more than `places` decimals.
    """

    default_error_messages = {**_Money.default_error_messages, "invalid": 'Must be a decimal string such as "16.99".'}
    # `type` (not a string at all) says the same as `invalid` unless a schema tells them apart.

    def __init__(self, *, minimum: Decimal = Decimal(0), places: int | None = None, pattern: re.Pattern = DECIMAL, **kwargs):
        metadata = {"pattern": pattern.pattern, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)
        self.minimum, self.decimals, self.pattern = minimum, places, pattern

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("type" if "type" in self.error_messages else "invalid")
        if not self.pattern.fullmatch(value):
            raise self.make_error("invalid")
        return self.checked(Decimal(value))


class StrictBoolean(fields.Boolean):
    """A JSON true or false. marshmallow's Boolean would also take 0, 1 and "yes"."""

    default_error_messages = {"invalid": "Must be a boolean (true or false)."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class UnixTime(fields.Integer):
    """A time as Unix seconds (Shoppex): a JSON integer from 0 to 9999-12-31."""

    default_error_messages = {"invalid": "Must be Unix seconds (an integer, e.g. 1711956360)."}

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INSTANT:
            raise self.make_error("invalid")
        return value


class IsoTime(fields.Field):
    """A time as ISO 8601 (Shoplazza); loads as Unix seconds.

    `utc_only`: only `Z` is accepted (what the API itself writes); otherwise an offset is too.
    `allow_empty`: "" stands for a time not yet set (placed_at of an unplaced order) and loads as None.
    """

    default_error_messages = {"invalid": ISO_Z_EXAMPLE, "offset": ISO_EXAMPLE}

    def __init__(self, *, utc_only: bool = True, allow_empty: bool = False, **kwargs):
        super().__init__(metadata={"format": "date-time", **kwargs.pop("metadata", {})}, **kwargs)
        self.utc_only, self.allow_empty = utc_only, allow_empty

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "" and self.allow_empty:
            return None
        try:
            seconds = parse_iso(value)
        except ValueError:
            seconds = None
        if seconds is None or (self.utc_only and not ISO_Z.fullmatch(value)):
            raise self.make_error("invalid" if self.utc_only else "offset")
        return seconds


def iso(seconds: int) -> str:
    """Unix seconds as ISO 8601 UTC with `Z`, e.g. 2025-10-31T08:09:22Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def parse_iso(text: str) -> int:
    """ISO 8601 (`Z` or an offset, surrounding blanks tolerated) as Unix seconds; ValueError when it is not one."""
    match = ISO_TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(ISO_EXAMPLE)
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(ISO_EXAMPLE)
    try:
        # strptime refuses 2025-02-30, which timegm would roll over into March.
        time.strptime(f"{year:04d}-{month:02d}-{day:02d}", "%Y-%m-%d")
        seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    except (ValueError, OverflowError):
        raise ValueError(ISO_EXAMPLE) from None
    zone = match.group(8)
    if zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds
