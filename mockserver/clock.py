"""Clock: every timestamp the server writes comes from here, so tests can freeze and advance time."""

from __future__ import annotations

import threading
import time


class Clock:
    """Wall-clock time with an optional frozen instant and an offset."""

    def __init__(self, source=time.time):
        self._source = source
        self._lock = threading.Lock()
        self._frozen_at: float | None = None
        self._offset = 0.0

    def now(self) -> int:
        """Current time as whole Unix seconds."""
        return int(self.now_float())

    def now_float(self) -> float:
        """Current time as fractional Unix seconds."""
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return self._source() + self._offset

    @property
    def frozen(self) -> bool:
        """True while the clock is frozen."""
        return self._frozen_at is not None

    def freeze(self, at: float | None = None) -> None:
        """Stop the clock at `at` (default: now)."""
        with self._lock:
            self._frozen_at = float(self.now_float() if at is None else at)

    def unfreeze(self) -> None:
        """Let the clock run again from where it stands."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None

    def advance(self, seconds: float) -> None:
        """Move the clock forward (frozen or running)."""
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._frozen_at = None
            self._offset = 0.0
