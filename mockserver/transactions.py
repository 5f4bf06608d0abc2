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

    def __enter__(self) -> TransactionLock:
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                if exc_type is None:
                    self._commit()
                else:
                    self._rollback()
        finally:
            self._lock.release()

    def held(self) -> bool:
        """True when the calling thread holds the lock (its writes belong to an open transaction)."""
        return self._lock._is_owned()
