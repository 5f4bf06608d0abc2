"""Idempotency-Key for Shoppex writes: record the first response, replay it for the same request.

A POST/PUT/PATCH with the header is handled once per (namespace, key) for 24 hours of
clock time; a repeat with the same method, path, query and body gets the recorded status
and body back (header `Idempotent-Replayed: true`) without running the view. Concurrent
requests with one key are serialised by a per-key lock held until the first one's teardown.
"""

from __future__ import annotations

import hashlib
import threading

from flask import Blueprint, Response, current_app, g, request

from .http import ClientError, raw_body
from .kinds import Count, Kind, RecordSchema, string, text
from .wire import UnixTime

KIND = "shoppex.idempotency_keys"


class IdempotencyRecord(RecordSchema):
    """shoppex.idempotency_keys: the first response to a key, replayed for the same request."""

    id = text(required=True)
    fingerprint = text(required=True)
    status = Count(signed=True, required=True)
    content_type = string(required=True, allow_none=True)
    body = string(required=True)
    created_at = UnixTime(required=True)


IDEMPOTENCY_KIND = Kind(KIND, schema=IdempotencyRecord)
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
TTL_SECONDS = 24 * 60 * 60
MAX_KEY_LENGTH = 255
_LOCKS_EXTENSION = "mockserver.idempotency_locks"


class KeyLocks:
    """One lock per (namespace, key), dropped as soon as nobody holds or waits on it."""

    def __init__(self):
        self._guard = threading.Lock()
        self._entries: dict[tuple[str, str], list] = {}

    def acquire(self, name: tuple[str, str]) -> None:
        """Block until this thread holds the lock for `name`."""
        # Count ourselves in under the guard, then wait outside it so other keys stay free.
        with self._guard:
            entry = self._entries.setdefault(name, [threading.Lock(), 0])
            entry[1] += 1
        entry[0].acquire()

    def release(self, name: tuple[str, str]) -> None:
        """Release the lock for `name`; forget it when no one else wants it."""
        with self._guard:
            entry = self._entries[name]
            entry[1] -= 1
            if entry[1] == 0:
                del self._entries[name]
            entry[0].release()

    def __len__(self) -> int:
        return len(self._entries)


def install(blueprint: Blueprint) -> None:
    """Register the hooks on `blueprint`; call after its authentication hook is registered."""
    blueprint.before_request(_before)
    blueprint.after_request(_after)
    blueprint.teardown_request(_teardown)


def locks_of(app) -> KeyLocks:
    """The lock table of one app (created on first use)."""
    return app.extensions.setdefault(_LOCKS_EXTENSION, KeyLocks())


def fingerprint() -> str:
    """A hash of what makes two requests the same: method, path, query and raw body."""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.query_string):
        digest.update(part + b"\n")
    digest.update(raw_body())
    return digest.hexdigest()


def header_error(message: str) -> ClientError:
    """A 422 about the Idempotency-Key header, rendered in the envelope of the API the path belongs to."""
    return ClientError(422, f"{HEADER}: {message}", [{"field": HEADER, "message": message}])


def _before():
    # Only writes carrying the header take part (reads stop at the method, before any header lookup).
    if request.method not in WRITE_METHODS:
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise header_error(f"Must be 1 to {MAX_KEY_LENGTH} characters.")
    # Hash the body before taking the lock (reading it may fail with 413).
    signature = fingerprint()
    name = (g.namespace, key)
    locks_of(current_app).acquire(name)
    g.idempotency_lock = name
    # A live record decides: replay it, or refuse a different request under the same key.
    runtime = current_app.extensions["mockserver"]
    record = runtime.store.get(g.namespace, KIND, key)
    if record is not None and runtime.clock.now() - record["created_at"] < TTL_SECONDS:
        if record["fingerprint"] != signature:
            raise header_error("This key was already used for a different request.")
        return _replay(record)
    # Otherwise this request acts; after_request records its response.
    g.idempotency_pending = (key, signature)
    return None


def _replay(record: dict) -> Response:
    response = Response(record["body"], status=record["status"], content_type=record["content_type"])
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _after(response: Response) -> Response:
    # Record the acting request's response unless it is a server error the client may retry.
    pending = g.pop("idempotency_pending", None)
    if pending is None or response.status_code >= 500:
        return response
    key, signature = pending
    runtime = current_app.extensions["mockserver"]
    doc = {
        "id": key,
        "fingerprint": signature,
        "status": response.status_code,
        "content_type": response.content_type,
        "body": response.get_data(as_text=True),
        "created_at": runtime.clock.now(),
    }
    # An expired record of the same key is overwritten in place, so the store holds one per key.
    if runtime.store.modify(g.namespace, KIND, key, lambda _old: doc) is None:
        runtime.store.insert(g.namespace, KIND, doc)
    return response


def _teardown(_exc: BaseException | None) -> None:
    # Always runs, even when the view or after_request raised: release what _before took.
    name = g.pop("idempotency_lock", None)
    if name is not None:
        locks_of(current_app).release(name)
