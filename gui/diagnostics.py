"""Responsiveness measurements: the longest event-loop stall and the time to the first window.

A :class:`StallProbe` is a 10 ms QTimer on the GUI thread; the gap between two ticks minus the
interval is how long the event loop could not run. The window runs one over every training run,
from the click on Train until the end-of-run redraws have settled (``stop_later``): the slowest
moments of a run are its first and last event-loop turns, so a probe that stops when the result
arrives misses them. The worst stall is logged, so slow-downs in the field show up in the log file.
"""
from __future__ import annotations

import os
import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer


class StallProbe(QObject):
    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.max_stall_ms = 0.0
        self.ticks = 0
        self.stalls: list[float] = []
        self.worst: list[tuple[float, float]] = []  # (perf_counter at the end of the stall, ms), > 20 ms
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._settled)
        self._on_settled: Callable[[float], None] | None = None

    def start(self, restart: bool = True) -> None:
        """Start measuring afresh; ``restart=False`` keeps a measurement that is already running
        (the window starts the probe at the click, before the controller's own start)."""
        if self.is_active() and not restart and not self._settle.isActive():
            return
        self._settle.stop()
        self._on_settled = None
        self.max_stall_ms, self.ticks, self.stalls, self.worst = 0.0, 0, [], []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._settle.stop()
        self._on_settled = None
        self._timer.stop()
        self._last = None
        return self.max_stall_ms

    def stop_later(self, settle_ms: int, done: Callable[[float], None]) -> None:
        """Keep measuring for ``settle_ms`` (the redraws and results a run's end schedules happen
        then), then stop and call ``done(max_stall_ms)``. ``start`` or ``stop`` meanwhile cancel it."""
        if not self.is_active():
            return
        self._on_settled = done
        self._settle.start(settle_ms)

    def is_settling(self) -> bool:
        return self._settle.isActive()

    def _settled(self) -> None:
        done = self._on_settled
        worst = self.stop()
        if done is not None:
            done(worst)

    def is_active(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            stall = max(0.0, (now - self._last) * 1000 - self.interval_ms)
            self.stalls.append(stall)
            self.max_stall_ms = max(self.max_stall_ms, stall)
            if stall > 20:
                self.worst.append((now, stall))
        self._last = now
        self.ticks += 1

    def percentile(self, q: float) -> float:
        if not self.stalls:
            return 0.0
        ordered = sorted(self.stalls)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def process_age_s() -> float | None:
    """Seconds since this process started (Linux /proc), so time-to-window includes interpreter start."""
    try:
        with open("/proc/self/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 overall: starttime, in clock ticks since boot
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None
