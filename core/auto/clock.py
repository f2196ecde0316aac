"""The budget's clock: how much time is left, and a stop token that fires at a deadline or on Stop.

Why a token rather than checks between candidates: a fine-tuning fold can take minutes; the
trainer and the feature extraction already poll a threading.Event between batches, so the same
Event, set by a watcher thread when the deadline passes, ends a fold within one batch.
"""
from __future__ import annotations

import threading
import time


class Clock:
    def __init__(self, budget_s: float, cancel: threading.Event | None = None) -> None:
        self.budget_s = float(budget_s)
        self.user = cancel if cancel is not None else threading.Event()
        self.stop = threading.Event()  # what the work polls: the user's Stop or the current deadline
        self._started = time.perf_counter()
        self._deadline: float | None = None  # seconds since the start
        self._closed = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="auto-clock", daemon=True)
        self._watcher.start()

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def left(self) -> float:
        return self.budget_s - self.elapsed()

    @property
    def cancelled(self) -> bool:
        return self.user.is_set()

    def until(self, deadline_s: float) -> None:
        """Arm the stop token for ``deadline_s`` seconds after the start (re-arming clears a
        deadline that already fired, unless the user pressed Stop)."""
        self._deadline = deadline_s
        if not self.user.is_set():
            self.stop.clear()

    def _watch(self) -> None:
        while not self._closed.wait(0.1):
            deadline = self._deadline
            if self.user.is_set() or (deadline is not None and self.elapsed() >= deadline):
                self.stop.set()

    def close(self) -> None:
        self._closed.set()
