"""The request journal: a bounded ring buffer of what clients sent and what they got back."""

from __future__ import annotations

import fnmatch
import itertools
import json
import threading
from collections import deque
from urllib.parse import parse_qs

from werkzeug.datastructures import EnvironHeaders

REDACTED_HEADERS = frozenset({"authorization", "access-token", "cookie", "x-shoplazza-hmac-sha256"})
MAX_BODY_CHARS = 64 * 1024


def redact(headers) -> dict:
    """Request headers with secrets masked (the scheme and the last 4 characters stay)."""
    shown = {}
    for name, value in headers.items():
        if name.lower() in REDACTED_HEADERS:
            scheme, _, secret = value.rpartition(" ")
            value = f"{scheme + ' ' if scheme else ''}***{secret[-4:] if len(secret) > 8 else ''}"
        shown[name] = value
    return shown


def decode_body(raw: bytes):
    """A body as JSON when it parses, else as (truncated) text."""
    text = raw[:MAX_BODY_CHARS].decode("utf-8", errors="replace")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def matches(entry: dict, matcher: dict) -> bool:
    """Whether a journal entry matches {method, path (glob), namespace, since, status}."""
    if matcher.get("method") and entry["method"] != str(matcher["method"]).upper():
        return False
    if matcher.get("path") and not fnmatch.fnmatchcase(entry["path"], matcher["path"]):
        return False
    if matcher.get("namespace") and entry["namespace"] != matcher["namespace"]:
        return False
    if matcher.get("status") is not None and entry["status"] != int(matcher["status"]):
        return False
    return not (matcher.get("since") is not None and entry["time"] < float(matcher["since"]))


class Journal:
    """Thread-safe ring buffer of request entries; the oldest fall off at `size`."""

    def __init__(self, size: int):
        self._entries: deque[dict] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, entry: dict) -> None:
        """Append one finished request; raw bodies and headers are decoded only when someone reads them."""
        with self._lock:
            entry["id"] = next(self._ids)
            self._entries.append(entry)

    def find(self, matcher: dict, limit: int | None = None) -> list[dict]:
        """Matching entries, oldest first (the newest `limit` of them), decoded for display."""
        with self._lock:
            found = [e for e in self._entries if matches(e, matcher)]
        return [_shown(e) for e in (found[-limit:] if limit else found)]

    def count(self, matcher: dict) -> int:
        """How many entries match."""
        with self._lock:
            return sum(1 for e in self._entries if matches(e, matcher))

    def clear(self, matcher: dict | None = None) -> int:
        """Forget every entry (or those matching `matcher`, e.g. {"namespace": KEY}); returns how many went."""
        with self._lock:
            count = len(self._entries)
            if matcher:
                self._entries = deque((e for e in self._entries if not matches(e, matcher)), maxlen=self._entries.maxlen)
            else:
                self._entries.clear()
            return count - len(self._entries)


def _shown(entry: dict) -> dict:
    # Recording keeps raw bytes and the environ's header keys (cheap on the hot path); reading decodes them.
    return {
        **entry,
        "query": parse_qs(entry["query"], keep_blank_values=True),
        "headers": redact(dict(EnvironHeaders(dict(sorted(entry["headers"]))).items())),
        "body": decode_body(entry["body"]),
        "response": decode_body(entry["response"]),
    }
