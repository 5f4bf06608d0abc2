"""The delivery log and the background worker that posts webhooks, retrying on the platform's schedule.

A delivery is stored (kind `webhooks.deliveries`, in the namespace that caused it) before it
is sent, and every attempt is appended to it, so the log survives a --db restart. Due times
are clock times: with the clock frozen, retries wait until it is advanced.
"""

from __future__ import annotations

import heapq
import itertools
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from .signing import shoplazza_headers, shoppex_headers

DELIVERIES = "webhooks.deliveries"
STORE_KEYS = {DELIVERIES: ("id",)}
# Shoppex documents retries after 2, 4, 8 and 16 minutes.
SHOPPEX_RETRIES = (120, 240, 480, 960)
# Shoplazza documents up to 19 attempts over about 2 days.
SHOPLAZZA_RETRIES = (10, 30, 60, 120, 300, 600, 900, 1800, 3600, 3600, 7200, 7200, 10800, 14400, 18000, 21600, 21600, 28800)
MAX_RESPONSE_CHARS = 16 * 1024
APIS = ("shoppex", "shoplazza")
# not_sent: logged with sending off (--no-webhooks); pending: an attempt is due; retrying: one failed, another is due.
STATUSES = ("pending", "not_sent", "retrying", "succeeded", "failed")
# Deliveries go straight to the registered URL, never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def public(doc: dict) -> dict:
    """A delivery as the logs show it: the signing secret left out, the body as JSON."""
    shown = {k: v for k, v in doc.items() if k != "signing"}
    shown["body"] = json.loads(doc["body"])
    return shown


def sign(doc: dict, timestamp: int) -> dict[str, str]:
    """The headers of one attempt, signed as the delivery's platform signs."""
    body, signing = doc["body"].encode(), doc["signing"]
    if doc["api"] == "shoppex":
        return shoppex_headers(signing["secret"], doc["id"], timestamp, doc["event"], body)
    return shoplazza_headers(signing["secret"], body, doc["event"], signing["shop_domain"], signing["version"], signing["dedup_id"])


class Deliveries:
    """Queues deliveries and sends them from a small thread pool, off the request path."""

    def __init__(self, store, clock, *, enabled: bool = True, retry_scale: float = 1.0, timeout: float = 10.0):
        self.store, self.clock = store, clock
        self.enabled, self.retry_scale, self.timeout = enabled, retry_scale, timeout
        self._queue: list[tuple[float, int, str, str]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._stopping = False

    # -- recording -----------------------------------------------------------

    def enqueue(
        self, namespace: str, *, api: str, event: str, url: str, payload: dict, signing: dict, webhook_id: str | None = None
    ) -> dict:
        """Record a delivery and, unless sending is off, queue its first attempt now."""
        now = self.clock.now()
        doc = {
            "id": f"dlv_{secrets.token_hex(12)}",
            "api": api,
            "webhook_id": webhook_id,
            "event": event,
            "url": url,
            "body": json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
            "signing": signing,
            "status": "pending" if self.enabled else "not_sent",
            "attempts": [],
            "created_at": now,
            "updated_at": now,
            "next_attempt_at": now if self.enabled else None,
        }
        self.store.insert(namespace, DELIVERIES, doc)
        if self.enabled:
            self._schedule(namespace, doc["id"], self.clock.now_float())
        return doc

    def redeliver(self, namespace: str, delivery_id: str) -> dict | None:
        """Send a delivery again now (a new attempt on the same log entry)."""
        now = self.clock.now()
        doc = self.store.modify(
            namespace, DELIVERIES, delivery_id, lambda d: {**d, "status": "pending", "next_attempt_at": now, "updated_at": now}
        )
        if doc is not None:
            self._schedule(namespace, delivery_id, self.clock.now_float(), force=True)
        return doc

    def find(self, namespaces: list[str], **filters) -> list[dict]:
        """Deliveries of some namespaces, oldest first, filtered by equal fields (event, status, webhook_id, api)."""
        found = []
        for namespace in namespaces:
            for doc in self.store.all(namespace, DELIVERIES):
                if all(value is None or doc.get(key) == value for key, value in filters.items()):
                    found.append({**public(doc), "namespace": namespace})
        return sorted(found, key=lambda d: (d["created_at"], d["id"]))

    # -- sending ---------------------------------------------------------------

    def _schedule(self, namespace: str, delivery_id: str, due: float, force: bool = False) -> None:
        if not (self.enabled or force):
            return
        with self._cond:
            if self._thread is None:
                self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook")
                self._thread = threading.Thread(target=self._run, name="webhook-scheduler", daemon=True)
                self._thread.start()
            heapq.heappush(self._queue, (due, next(self._seq), namespace, delivery_id))
            self._cond.notify()

    def _run(self) -> None:
        # Hand every due attempt to the pool; a slow receiver holds one pool thread, not the scheduler.
        while True:
            with self._cond:
                while not self._stopping and not (self._queue and self._queue[0][0] <= self.clock.now_float()):
                    self._cond.wait(0.02)
                if self._stopping:
                    return
                _due, _seq, namespace, delivery_id = heapq.heappop(self._queue)
            self._pool.submit(self._attempt, namespace, delivery_id)

    def _attempt(self, namespace: str, delivery_id: str) -> None:
        doc = self.store.get(namespace, DELIVERIES, delivery_id)
        if doc is None:
            return
        headers = sign(doc, self.clock.now())
        outcome = self._post(doc["url"], doc["body"].encode(), headers)
        attempt = {
            "attempt": len(doc["attempts"]) + 1,
            "at": self.clock.now(),
            "request": {"headers": headers, "body": json.loads(doc["body"])},
            **outcome,
        }
        retries = SHOPPEX_RETRIES if doc["api"] == "shoppex" else SHOPLAZZA_RETRIES
        ok = outcome["response"]["status"] is not None and 200 <= outcome["response"]["status"] < 300
        retry_at = (
            None if ok or attempt["attempt"] > len(retries) else self.clock.now_float() + retries[attempt["attempt"] - 1] * self.retry_scale
        )

        def record(d: dict) -> dict:
            d["attempts"] = [*d["attempts"], attempt]
            d["status"] = "succeeded" if ok else ("retrying" if retry_at is not None else "failed")
            d["next_attempt_at"] = int(retry_at) if retry_at is not None else None
            d["updated_at"] = self.clock.now()
            return d

        self.store.modify(namespace, DELIVERIES, delivery_id, record)
        if retry_at is not None:
            self._schedule(namespace, delivery_id, retry_at)

    def _post(self, url: str, body: bytes, headers: dict) -> dict:
        started = time.perf_counter()
        status, text, error = None, None, None
        try:
            with _OPENER.open(urllib.request.Request(url, data=body, headers=headers, method="POST"), timeout=self.timeout) as response:
                status, text = response.status, response.read(MAX_RESPONSE_CHARS).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read(MAX_RESPONSE_CHARS).decode("utf-8", "replace")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = str(getattr(exc, "reason", exc)) or type(exc).__name__
        duration = round((time.perf_counter() - started) * 1000, 3)
        return {"response": {"status": status, "body": text}, "duration_ms": duration, "error": error}

    def close(self, timeout: float = 10.0) -> None:
        """Stop scheduling; attempts already in flight finish and are recorded."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._pool.shutdown(wait=True)
