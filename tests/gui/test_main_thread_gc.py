"""Garbage cycles holding Qt objects are collected on the GUI thread, never in a worker thread
(a collection in a scan's QThread destroyed Qt objects there and crashed the process in CI)."""
from __future__ import annotations

import gc
import threading
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from gui.main_thread_gc import collect_on_gui_thread


class _Cyclic(QObject):
    """A Qt object caught in a reference cycle; records the thread that finally destroys it."""

    def __init__(self, record: list[str]) -> None:
        super().__init__()
        self.record = record
        self.me = self  # the cycle: only the cyclic collector can free it

    def __del__(self) -> None:
        self.record.append(threading.current_thread().name)


def _allocate_in_a_worker() -> None:
    def churn() -> None:
        keep = [[index] for index in range(20_000)]  # live containers push generation 0 past its threshold
        del keep

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()


def test_cycles_with_qt_objects_die_on_the_gui_thread(qtbot: Any, qapp: QApplication) -> None:
    collector = collect_on_gui_thread(qapp)
    assert not gc.isenabled() and collector.timer.isActive()
    gc.collect()
    record: list[str] = []
    for _ in range(20):
        _Cyclic(record)
    _allocate_in_a_worker()  # with automatic collection, the worker's allocations would collect them
    assert record == []
    ballast = [[] for _ in range(2 * gc.get_threshold()[0])]  # the GUI thread allocates too: time to collect
    qtbot.waitUntil(lambda: len(record) == 20, timeout=5000)
    del ballast
    assert set(record) == {threading.main_thread().name}


def test_the_collector_is_installed_once(qapp: QApplication) -> None:
    assert collect_on_gui_thread(qapp) is collect_on_gui_thread(qapp)
