"""The event loop's gaps and, per gap, the GUI thread's own CPU time in it.

Why both: the window's promise (no stall over 50 ms) is about the work it does on its thread. On a
shared, loaded machine the wall-clock gaps also hold the time the thread waited for a core: an idle
window beside two niced busy processes showed gaps of 35-63 ms with no work at all (load ~12 on 2
cores). The CPU time of the GUI thread in a gap is its own work (the window's code, Qt's layout and
painting), whatever the load; the stall tests assert on it and print the wall-clock gaps beside it.
It counts all the thread's work between two ticks (10 ms apart), not only what delayed a tick, so
it errs on the strict side.
"""
from __future__ import annotations

import time

from gui.diagnostics import StallProbe


class BusyProbe(StallProbe):
    """A StallProbe that also keeps, per gap between ticks, the GUI thread's CPU time in it."""

    def start(self, restart: bool = True) -> None:
        self.busy_ms: list[float] = []
        self._cpu = time.thread_time()
        super().start(restart)

    def _tick(self) -> None:
        now = time.thread_time()
        self.busy_ms.append(max(0.0, (now - self._cpu) * 1000 - 0.5))  # the tick itself: well under 0.5 ms
        self._cpu = now
        super()._tick()
