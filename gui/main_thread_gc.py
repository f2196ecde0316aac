"""Python's cyclic garbage collector runs on the GUI thread only, never in a worker thread.

Why: the collector runs in whichever thread happens to allocate when a threshold is crossed. If
that is a worker thread (a folder scan, thumbnails, the engine client's pipe reader), it destroys
whatever Qt objects sit in unreachable reference cycles from that thread, and Qt crashes: seen in
CI as a segmentation fault in a scan's QThread while "Garbage-collecting". pyqtgraph solves the
same problem the same way: automatic collection is switched off for the window's process, and a
timer on the GUI thread collects, generation by generation, whenever the usual thresholds say so.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_INTERVAL_MS = 250


class MainThreadCollector(QObject):
    """Collects when ``gc.get_count()`` passes ``gc.get_threshold()``, as automatic collection
    would, but always from the GUI thread's event loop."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> int:
        """Collect the generation the thresholds call for; the number of objects found unreachable."""
        young, middle, old = gc.get_count()
        if young <= self.threshold[0]:
            return 0
        generation = 0
        if middle > self.threshold[1]:
            generation = 1
            if old > self.threshold[2]:
                generation = 2
        return gc.collect(generation)


def collect_on_gui_thread(app: QCoreApplication) -> MainThreadCollector:
    """Install the collector for ``app`` once (idempotent: the window and the tests both call it)."""
    existing = app.findChild(MainThreadCollector)
    return existing if existing is not None else MainThreadCollector(app)


def freeze_startup_objects() -> None:
    """Move everything alive once the window is up (modules, matplotlib, the widgets' wrappers:
    hundreds of thousands of objects) out of the collector's sight (``gc.freeze``).

    Why: a full collection walks every tracked object; with them it took 110-180 ms on the GUI thread
    during a run on a loaded machine (benchmarks/gui_responsiveness.py, issue 25), a visible stall.
    They live as long as the window anyway. The young generations are collected first (cheap), so
    little garbage is frozen with them; a full collection is not, as it would be the stall itself."""
    gc.collect(1)
    gc.freeze()
