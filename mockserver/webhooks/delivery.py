"""The delivery log and the background workers that post webhooks, retrying on the platform's schedule.

A delivery is stored (kind `webhooks.deliveries`, in the namespace that caused it) before it
is sent, and every attempt is appended to it, so the log survives a --db restart. Due times
are clock times: with the clock frozen, retries wait until it is advanced.

Each attempt goes to the subscription's current URL, signed with its current secret (a
payment's own `webhook` has no subscription: its URL and secret never change). `close()`
stops sending: attempts in flight finish and are recorded, due ones stay `pending` or
`retrying` in the store, and a later start on the same --db store sends them (`resume()`).

The log is bounded: the body is stored once per delivery (attempts keep their headers),
each attempt keeps at most `response_bytes` of the answer, and a namespace keeps at most
`log_size` deliveries (finished ones are pruned first, oldest first; then the oldest
unfinished). Every attempt is one INFO line on the `mockserver.webhooks` logger.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import json
import logging
import queue
import secrets
import threading
import time

from ..apis import WebhookPolicy
from ..config import WEBHOOK_LOG_SIZE, WEBHOOK_RESPONSE_BYTES
from ..kinds import Kind
from ..labels import namespace_label
from .delivery_kind import delivery_schema
from .targets import TargetRules
from .transport import loggable_url, post, redact

log = logging.getLogger("mockserver.webhooks")
DELIVERIES = "webhooks.deliveries"
# not_sent: logged with sending off (--no-webhooks); pending: an attempt is due; retrying: one failed, another is due.
STATUSES = ("pending", "not_sent", "retrying", "succeeded", "failed")
DUE = ("pending", "retrying")
# Attempts in flight at once: a slow receiver holds one worker, not the others.
WORKERS = 4


def delivery_kind(policies: dict[str, WebhookPolicy]) -> Kind:
    """The kind deliveries are stored as, for the APIs that send them (each delivery's `signing` as its API needs)."""
    return Kind(DELIVERIES, schema=delivery_schema(STATUSES, {api: policy.signing_fields for api, policy in policies.items()}))


class SubscriptionGone(Exception):
    """A delivery cannot be sent again: its subscription was deleted (or, Shoppex, disabled)."""

    def __init__(self, delivery: dict, reason: str):
        super().__init__(f"Delivery {delivery['id']}: webhook {delivery['webhook_id']} {reason}.")
        self.delivery, self.reason = delivery, reason


def public(doc: dict) -> dict:
    """A delivery as the logs show it: the signing secret left out, the body as JSON."""
    shown = {k: v for k, v in doc.items() if k != "signing"}
    shown["body"] = json.loads(doc["body"])
    return shown


def log_attempt(namespace: str, doc: dict, attempt: dict) -> None:
    """One INFO line per attempt: no secret, signature or key (the namespace as its label, the URL without query)."""
    status, error = attempt["response"]["status"], attempt["error"]
    result = str(status) if status is not None else f"error: {error}"
    log.info(
        "webhook %s attempt %d: %s %s -> %s in %.1f ms [namespace %s]",
        doc["id"],
        attempt["attempt"],
        doc["event"],
        loggable_url(attempt["url"]),
        result,
        attempt["duration_ms"],
        namespace_label(namespace),
    )


class Deliveries:
    """Queues deliveries and sends them from a few worker threads, off the request path."""

    def __init__(
        self,
        store,
        clock,
        policies: dict[str, WebhookPolicy],
        *,
        enabled: bool = True,
        retry_scale: float = 1.0,
        timeout: float = 10.0,
        rules: TargetRules | None = None,
        log_size: int = WEBHOOK_LOG_SIZE,
        response_bytes: int = WEBHOOK_RESPONSE_BYTES,
        server_secrets: tuple[str, ...] = (),
    ):
        self.store, self.clock = store, clock
        # Each API's signer, retry schedule and subscription kind, by the `api` a delivery names.
        self.policies = policies
        self.enabled, self.retry_scale, self.timeout = enabled, retry_scale, timeout
        self.rules = rules or TargetRules(port=None)
        self.log_size, self.response_bytes = max(1, log_size), max(0, response_bytes)
        # Secrets of the server itself (the Shoplazza app secret), never kept in a log whatever delivery echoes them.
        self.server_secrets = server_secrets
        self._queue: list[tuple[float, int, str, str]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._ready: queue.SimpleQueue[tuple[str, str] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self.resume()

    @classmethod
    def from_settings(cls, store, clock, settings, policies: dict[str, WebhookPolicy], server_secrets: tuple[str, ...] = ()) -> Deliveries:
        """The deliveries of a server configured by `settings` (its own port and host are never targets);
        `server_secrets` are kept out of the log like each delivery's own secret."""
        return cls(
            store,
            clock,
            policies,
            enabled=settings.webhooks,
            retry_scale=settings.webhook_retry_scale,
            timeout=settings.webhook_timeout,
            rules=TargetRules.for_server(settings.host, settings.port, settings.webhook_allow_private),
            log_size=settings.webhook_log_size,
            response_bytes=settings.webhook_response_bytes,
            server_secrets=server_secrets,
        )

    def listening_on(self, port: int) -> None:
        """Tell the rules the port the server really listens on (when it was started with port 0)."""
        self.rules = dataclasses.replace(self.rules, port=port)

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
        with self.store.lock:
            self._make_room(namespace)
            self.store.insert(namespace, DELIVERIES, doc)
        if self.enabled:
            self._schedule(namespace, doc["id"], self.clock.now_float())
        return doc

    def _make_room(self, namespace: str) -> None:
        # A full log loses its oldest tenth at once (so the scan is rare): finished deliveries first, then unfinished.
        if self.store.count(namespace, DELIVERIES) < self.log_size:
            return
        docs = self.store.all(namespace, DELIVERIES)
        excess = len(docs) + 1 - self.log_size + self.log_size // 10
        finished = [d for d in docs if d.get("status") not in DUE]
        doomed = (finished + [d for d in docs if d.get("status") in DUE])[:excess]
        for doc in doomed:
            self.store.delete(namespace, DELIVERIES, doc["id"])
        given_up = {d["id"] for d in doomed if d.get("status") in DUE}
        if given_up:
            self._unschedule(namespace, given_up)
            label = namespace_label(namespace)
            log.warning("webhook log full (%d deliveries): %d unfinished given up [namespace %s]", self.log_size, len(given_up), label)

    def _unschedule(self, namespace: str, delivery_ids: set[str]) -> None:
        # Deliveries given up leave the queue now rather than when they come due (hours, with a frozen clock never).
        with self._cond:
            self._queue = [item for item in self._queue if not (item[2] == namespace and item[3] in delivery_ids)]
            heapq.heapify(self._queue)

    def redeliver(self, namespace: str, delivery_id: str) -> dict | None:
        """Send a delivery again now (a new attempt on the same log entry); None if there is no such delivery.

        It goes to its subscription's current URL; SubscriptionGone if that was deleted or
        disabled. With sending off nothing is sent: the delivery is recorded as `not_sent`.
        """
        doc = self.store.get(namespace, DELIVERIES, delivery_id)
        if doc is None:
            return None
        if isinstance(target := self._target(namespace, doc), str):
            raise SubscriptionGone(doc, target)
        now = self.clock.now()
        status, due = ("pending", now) if self.enabled else ("not_sent", None)
        doc = self.store.modify(
            namespace, DELIVERIES, delivery_id, lambda d: {**d, "status": status, "next_attempt_at": due, "updated_at": now}
        )
        if self.enabled:
            self._schedule(namespace, delivery_id, self.clock.now_float())
        return doc

    def find(self, namespaces: list[str], **filters) -> list[dict]:
        """Deliveries of some namespaces, oldest first, filtered by equal fields (event, status, webhook_id, api)."""
        found = []
        for namespace in namespaces:
            for doc in self.store.all(namespace, DELIVERIES):
                if all(value is None or doc.get(key) == value for key, value in filters.items()):
                    found.append({**public(doc), "namespace": namespace_label(namespace)})
        return sorted(found, key=lambda d: (d["created_at"], d["id"]))

    def resume(self) -> int:
        """Queue every `pending` or `retrying` delivery the store holds (a --db restart) at its due time; how many.

        Due times are server-clock times: one already past is sent at once. With sending
        off they stay as they are.
        """
        if not self.enabled:
            return 0
        due = []
        for namespace in self.store.namespaces():
            for doc in self.store.all(namespace, DELIVERIES):
                if doc.get("status") in DUE:
                    due.append((namespace, doc["id"], float(doc.get("next_attempt_at") or 0)))
        for namespace, delivery_id, at in due:
            self._schedule(namespace, delivery_id, at)
        return len(due)

    def _target(self, namespace: str, doc: dict) -> tuple[str, dict] | str:
        """Where an attempt goes and how it is signed: (url, signing), or why it cannot go."""
        if doc.get("webhook_id") is None:
            return doc["url"], doc["signing"]
        policy = self.policies[doc["api"]]
        hook = self.store.get(namespace, policy.subscriptions, doc["webhook_id"])
        if hook is None:
            return "was deleted"
        return policy.target(hook, doc)

    # -- sending ---------------------------------------------------------------

    def _schedule(self, namespace: str, delivery_id: str, due: float) -> None:
        with self._cond:
            if self._stopping:
                return  # recorded as pending/retrying: the next start sends it
            if not self._threads:
                self._threads = [threading.Thread(target=self._run, name="webhook-scheduler", daemon=True)]
                self._threads += [threading.Thread(target=self._work, name=f"webhook-{n}", daemon=True) for n in range(WORKERS)]
                for thread in self._threads:
                    thread.start()
            heapq.heappush(self._queue, (due, next(self._seq), namespace, delivery_id))
            self._cond.notify()

    def _run(self) -> None:
        # Hand every due attempt to the workers; a slow receiver holds one worker, not the scheduler.
        while True:
            with self._cond:
                while not self._stopping and not (self._queue and self._queue[0][0] <= self.clock.now_float()):
                    self._cond.wait(0.02)
                if self._stopping:
                    return
                _due, _seq, namespace, delivery_id = heapq.heappop(self._queue)
            self._ready.put((namespace, delivery_id))

    def _work(self) -> None:
        while True:
            item = self._ready.get()
            # Once stopping, a due attempt not started yet stays recorded as pending/retrying.
            if item is None or self._stopping:
                return
            try:
                self._attempt(*item)
            except Exception:  # a worker must survive anything one delivery does
                log.exception("webhook delivery %s failed unexpectedly", item[1])

    def _attempt(self, namespace: str, delivery_id: str) -> None:
        doc = self.store.get(namespace, DELIVERIES, delivery_id)
        if doc is None:
            return
        # Automatic attempts of a deleted subscription still go, to the URL it last had.
        target = self._target(namespace, doc)
        url, signing = (doc["url"], doc["signing"]) if isinstance(target, str) else target
        headers = self.policies[doc["api"]].sign({**doc, "signing": signing}, self.clock.now())
        outcome = post(url, doc["body"].encode(), headers, rules=self.rules, timeout=self.timeout, response_bytes=self.response_bytes)
        # Whatever the receiver (or an error) says back is kept without the signing secret.
        hidden = [signing["secret"], *self.server_secrets]
        outcome["response"]["body"] = redact(outcome["response"]["body"], hidden)
        outcome["error"] = redact(outcome["error"], hidden)
        # The body is stored once, with the delivery; an attempt keeps only its headers.
        attempt = {"attempt": len(doc["attempts"]) + 1, "at": self.clock.now(), "url": url, "request": {"headers": headers}, **outcome}
        status = outcome["response"]["status"]
        ok = status is not None and 200 <= status < 300
        retry_at = self._retry_at(doc["api"], attempt["attempt"], ok)

        def record(d: dict) -> dict:
            d["url"] = url
            d["attempts"] = [*d["attempts"], attempt]
            d["status"] = "succeeded" if ok else ("retrying" if retry_at is not None else "failed")
            d["next_attempt_at"] = int(retry_at) if retry_at is not None else None
            d["updated_at"] = self.clock.now()
            return d

        kept = self.store.modify(namespace, DELIVERIES, delivery_id, record)
        log_attempt(namespace, doc, attempt)
        # A delivery pruned from a full log meanwhile is not retried.
        if retry_at is not None and kept is not None:
            self._schedule(namespace, delivery_id, retry_at)

    def _retry_at(self, api: str, attempt: int, ok: bool) -> float | None:
        # When the next attempt is due (clock time), or None when this one was the last.
        retries = self.policies[api].retries
        if ok or attempt > len(retries):
            return None
        return self.clock.now_float() + retries[attempt - 1] * self.retry_scale

    def close(self, timeout: float | None = None) -> None:
        """Stop sending: attempts in flight finish and are recorded (each within the attempt timeout).

        Due attempts not started stay recorded as `pending`/`retrying`, for `resume()` on the next start.
        """
        with self._cond:
            if self._stopping:
                return
            self._stopping = True
            self._cond.notify_all()
        for _ in self._threads:
            self._ready.put(None)
        deadline = time.monotonic() + (self.timeout + 2 if timeout is None else timeout)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
