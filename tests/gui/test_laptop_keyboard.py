"""Tab goes through the whole window and back to where it started (issue 25): every enabled,
visible button is reached, no control keeps the focus (a table used to keep it for 19 presses), and
Shift+Tab walks the same way back. Real key presses on the focused widget, so a widget that handles
Tab itself (a table, a text box) is tested as the user meets it."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from gui.app import MainWindow
from tests.gui.test_laptop_window import laptop  # noqa: F401 - the fixture: 1280x800, four classes loaded

PRESS_LIMIT = 300  # far more than the window's controls: a walk that needs more is stuck


def _press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QWidget | None:
    focused = QApplication.focusWidget()
    QTest.keyClick(focused, key, modifier)
    QApplication.processEvents()
    return QApplication.focusWidget()


def _walk(start: QWidget, backwards: bool) -> list[QWidget]:
    """The widgets the focus visits from ``start`` until it is back there (the start last)."""
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    visited: list[QWidget] = []
    for _ in range(PRESS_LIMIT):
        widget = _press(key, modifier)
        assert widget is not None, f"the focus left the window after {[_name(w) for w in visited[-3:]]}"
        visited.append(widget)
        if widget is start:
            return visited
    counts: dict[str, int] = {}
    for widget in visited:
        counts[_name(widget)] = counts.get(_name(widget), 0) + 1
    stuck = max(counts, key=counts.get)
    pytest.fail(f"Tab never came back to {_name(start)} in {PRESS_LIMIT} presses; most visited: {stuck}")


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return f"{widget.objectName() or type(widget).__name__}{f' ({text})' if text else ''}"


def _reachable_buttons(window: MainWindow) -> list[QAbstractButton]:
    return [b for b in window.findChildren(QAbstractButton)
            if b.isVisible() and b.isEnabled() and b.focusPolicy() & Qt.FocusPolicy.TabFocus and b.window() is window]


def _in_reading_order(forward: list[QWidget], *widgets: QWidget) -> None:
    where = [forward.index(w) for w in widgets]
    assert where == sorted(where), f"Tab visits {[_name(w) for w in widgets]} out of reading order"


def test_tab_goes_through_the_whole_window_and_back(qtbot: Any, laptop: MainWindow) -> None:  # noqa: F811
    laptop.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is laptop, timeout=5_000)
    start = laptop.data_panel.train_edit
    tabs = laptop.result_tabs
    for index in range(tabs.count()):  # each result tab's own buttons (the Runs tab's: Refresh, Delete…)
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        start.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(start.hasFocus, timeout=5_000)
        forward = _walk(start, backwards=False)
        missed = [_name(b) for b in _reachable_buttons(laptop) if b not in forward]
        assert not missed, f"with the {tabs.tabText(index)} tab open, Tab never reaches: {missed}"
    d, m, p, t = laptop.data_panel, laptop.method, laptop.predict, laptop.training
    groups = laptop.panels.groups.combo
    _in_reading_order(forward, d.split_spin, groups, laptop.backbone.combo, m.combo, m.compare_button, m.budget,
                      t.batch_size, t.train_button, p.explainer.button, p.clear_button, p.drop_area.open_button)
    backward = _walk(start, backwards=True)
    assert backward[:-1] == list(reversed(forward[:-1])), "Shift+Tab does not walk Tab's way back"
