"""Value checks for records loaded from outside: small functions that say what is wrong with a value, and combinators.

A check returns None when the value is fine, else what is wrong with it. `record_checks` builds one
check per record kind from these.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from urllib.parse import urlsplit

# A check returns None when the value is fine, else what is wrong with it.
Check = Callable[[object], "str | None"]
MAX_INSTANT = 253402300799  # 9999-12-31T23:59:59Z
_ISO_Z = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z")
# [0-9], not \d: \d also matches digits of other scripts.
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
MONEY_MAX = 1_000_000_000  # the largest amount the mock takes (README: Limits)


# -- value checks -----------------------------------------------------------------


def string(value) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def text(value) -> str | None:
    return None if isinstance(value, str) and value else "must be a non-empty string"


def boolean(value) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def obj(value) -> str | None:
    return None if isinstance(value, dict) else "must be an object"


def count(value) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "must be a non-negative integer"


def integer(value) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "must be an integer"


def unix(value) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INSTANT
    return None if ok else "must be Unix seconds (an integer, e.g. 1711956360)"


def amount(value) -> str | None:
    """Shoppex money: a JSON number (not a string), finite and not negative."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= MONEY_MAX
    return None if ok else f"must be a JSON number from 0 to {MONEY_MAX} (Shoppex money, e.g. 19.99)"


def decimal_string(value) -> str | None:
    """Shoplazza money: a decimal string."""
    ok = isinstance(value, str) and _DECIMAL.fullmatch(value) and float(value) <= MONEY_MAX
    return None if ok else f'must be a decimal string from 0 to {MONEY_MAX} (Shoplazza money, e.g. "16.99")'


def iso_z(value) -> str | None:
    """Shoplazza time: ISO 8601 UTC with Z."""
    from .shoplazza.values import parse_iso

    if isinstance(value, str) and _ISO_Z.fullmatch(value):
        try:
            parse_iso(value)
            return None
        except ValueError:
            pass
    return 'must be an ISO 8601 UTC time ending in Z (e.g. "2025-10-31T08:09:22Z")'


def iso_z_or_empty(value) -> str | None:
    return None if value == "" else iso_z(value)


def http_url(value) -> str | None:
    if isinstance(value, str):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            return None
    return "must be an http(s) URL"


def json_text(value) -> str | None:
    if isinstance(value, str):
        try:
            json.loads(value)
            return None
        except ValueError:
            pass
    return "must be a string holding JSON"


def one_of(*values: str) -> Check:
    def check(value) -> str | None:
        return None if value in values else f"must be one of {', '.join(values)}"

    return check


def nullable(check: Check) -> Check:
    def nullable_check(value) -> str | None:
        return None if value is None else check(value)

    return nullable_check


def list_of(check: Check, min_items: int = 0) -> Check:
    def list_check(value) -> str | None:
        if not isinstance(value, list):
            return "must be a list"
        if len(value) < min_items:
            return f"must hold at least {min_items} item(s)"
        for index, item in enumerate(value):
            problem = check(item)
            if problem:
                return f"item {index}: {problem}"
        return None

    return list_check


def record(spec: dict[str, tuple[bool, Check]]) -> Check:
    """A nested object checked field by field (its first problem, named)."""

    def record_check(value) -> str | None:
        problems = problems_of(value, spec)
        return problems[0] if problems else None

    return record_check


def problems_of(doc, spec: dict[str, tuple[bool, Check]]) -> list[str]:
    """Every problem of `doc` against `spec` ({field: (required, check)}), each "field: what is wrong"."""
    if not isinstance(doc, dict):
        return ["must be a JSON object"]
    problems = []
    for name, (required, check) in spec.items():
        if name not in doc:
            if required:
                problems.append(f"{name}: is required")
            continue
        problem = check(doc[name])
        if problem:
            problems.append(f"{name}: {problem}")
    return problems
