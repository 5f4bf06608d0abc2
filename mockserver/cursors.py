"""The one cursor codec: a position (a JSON list) as an opaque URL-safe string, and back.

Each list checks the shape of what it decoded: a cursor is client input, and anything but
what that list wrote (a forged NaN, a wrong type, a deep nest) is refused by the caller.
"""

from __future__ import annotations

import base64
import json


def encode_cursor(position: list) -> str:
    """An opaque cursor carrying `position` (JSON-serialisable)."""
    raw = json.dumps(position, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str):
    """The position `cursor` carries, or None when it is not base64 of JSON (the caller checks its shape)."""
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, RecursionError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
