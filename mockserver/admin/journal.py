"""The request journal: a bounded ring buffer of what clients sent and what they got back.

Bounded twice: at most `size` entries, and each entry keeps at most MAX_HEADER_VALUE bytes of a
header value, MAX_HEADER_BYTES of headers in all, MAX_URL_PART of path and of query string, and
MAX_BODY_BYTES of the request body and of the response body; what is cut is marked. Secrets are
masked before anything is kept (mockserver.admin.redact), and namespaces are kept as labels.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import threading
from collections import deque
from urllib.parse import parse_qs

from werkzeug.datastructures import EnvironHeaders

from .redact import is_credential_header, masked_header, masked_text

MAX_HEADER_VALUE = 1024
MAX_HEADER_BYTES = 8 * 1024
MAX_URL_PART = 4 * 1024
MAX_BODY_BYTES = 32 * 1024
# Deeper JSON is shown as its text: it renders anywhere, however the server's recursion limit is set.
MAX_SHOWN_DEPTH = 64
DROPPED_HEADERS = "HTTP_X_MOCKSERVER_DROPPED_HEADERS"
MARK = "…[truncated "
# Any str to bytes and back unchanged (a server may hand over more than latin-1).
LOSSLESS = ("utf-8", "surrogatepass")


def cut(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters with the cut marked."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}{MARK}{len(text) - limit} bytes]"


def kept_headers(items: list) -> tuple[list[tuple[str, str]], bool]:
    """Request headers (environ key, value) as kept, credentials masked, values and their total capped; and whether any was cut."""
    kept, budget, truncated = [], MAX_HEADER_BYTES, False
    for index, (key, value) in enumerate(items):
        if is_credential_header(key):
            value = masked_header(value)
        # Cutting is the rare case: most headers are short.
        if len(key) > MAX_HEADER_VALUE or len(value) > MAX_HEADER_VALUE:
            key, value, truncated = cut(key, MAX_HEADER_VALUE), cut(value, MAX_HEADER_VALUE), True
        budget -= len(key) + len(value)
        if budget < 0:
            kept.append((DROPPED_HEADERS, f"{len(items) - index} more headers not kept"))
            return kept, True
        kept.append((key, value))
    return kept, truncated


def kept_body(raw: bytes) -> tuple[bytes, int]:
    """A body as kept (secret fields masked, capped) and how many bytes were cut off."""
    masked = masked_text(raw)
    return masked[:MAX_BODY_BYTES], max(0, len(masked) - MAX_BODY_BYTES)


def new_entry(request: dict, body: bytes, response: bytes) -> dict:
    """A journal entry from what a request named (method, path, query, headers, ...) and the two bodies, as kept."""
    path, query = request["path"], masked_text(request["query"].encode(*LOSSLESS)).decode(*LOSSLESS)
    headers, headers_cut = kept_headers(request["headers"])
    body, body_dropped = kept_body(body)
    response, response_dropped = kept_body(response)
    truncated = headers_cut or bool(body_dropped or response_dropped) or max(len(path), len(query)) > MAX_URL_PART
    return {
        **request,
        "path": cut(path, MAX_URL_PART),
        "query": cut(query, MAX_URL_PART),
        "headers": headers,
        "body": body,
        "body_dropped": body_dropped,
        "response": response,
        "response_dropped": response_dropped,
        "truncated": truncated,
    }


def shown_body(raw: bytes, dropped: int = 0):
    """A kept body for display: JSON when it parses (and is not too deep), else text; a cut body is text, marked."""
    text = raw.decode("utf-8", errors="replace")
    if dropped:
        return f"{text}{MARK}{dropped} bytes]"
    if not text:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return text
    return value if depth_within(value, MAX_SHOWN_DEPTH) else text


def depth_within(value, limit: int) -> bool:
    """Whether nested lists and objects go no deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def matches(entry: dict, matcher: dict) -> bool:
    """Whether a journal entry matches {method, path (glob), namespace (label), since, status}."""
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
        """Append one finished request (already capped and masked); it is decoded only when someone reads it."""
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

    def namespaces(self) -> set[str]:
        """The labels of the namespaces the kept entries name."""
        with self._lock:
            return {e["namespace"] for e in self._entries if e["namespace"]}

    def clear(self, matcher: dict | None = None) -> int:
        """Forget every entry (or those matching `matcher`, e.g. {"namespace": LABEL}); returns how many went."""
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
        "id": entry["id"],
        "time": entry["time"],
        "method": entry["method"],
        "path": entry["path"],
        "query": parse_qs(entry["query"], keep_blank_values=True),
        "headers": dict(EnvironHeaders(dict(sorted(entry["headers"]))).items()),
        "body": shown_body(entry["body"], entry["body_dropped"]),
        "status": entry["status"],
        "response": shown_body(entry["response"], entry["response_dropped"]),
        "duration_ms": entry["duration_ms"],
        "namespace": entry["namespace"],
        "request_id": entry["request_id"],
        "truncated": entry["truncated"],
    }
