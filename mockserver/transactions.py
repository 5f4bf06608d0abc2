"""All-or-nothing store writes: a re-entrant lock whose outermost hold is one transaction.

Every write under the lock is applied in memory at once (later reads under the same hold see it)
and remembered with its undo. Leaving the outermost hold commits: the transaction is persisted
(when there is a --db file) and kept; if persisting fails, or the hold ends with an exception,
every write of the transaction is undone, so nothing of it is ever visible.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class TransactionLock:
    """The store's one lock; the outermost `with` is a transaction (commit on normal exit, undo on an exception)."""

    def __init__(self, commit: Callable[[], None], rollback: Callable[[], None]):
        self._lock = threading.RLock()
        self._depth = 0
        self._commit = commit
        self._rollback = rollback

    def acquire(self) -> None:
        """Take the lock (re-entrant); the first hold opens the transaction."""
        self._lock.acquire()
        self._depth += 1

    def release(self, commit: bool = True) -> None:
        """Give one hold back; the last one commits (commit=True) or undoes the transaction."""
        self._depth -= 1
        try:
            if self._depth == 0:
                (self._commit if commit else self._rollback)()
        finally:
            self._lock.release()

    def __enter__(self) -> TransactionLock:
        self.acquire()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.release(commit=exc_type is None)
