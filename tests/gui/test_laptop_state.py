"""The window on a lab's laptop keeps the user's state in view (issue 25): a fresh start fits a
1280x800 or 1366x768 screen, Try it follows the model in use, Continue does not silently replace
the user's settings, a crash points to Continue, the status line and the curves move together and
the ETA waits for a measured epoch. Offscreen, with the real style sheet and a made-up layer table."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings, QSignalBlocker, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gui import window_layout
from gui.app import MainWindow
from gui.widgets import freeze_slider
from tests.gui.conftest import close_window
from tests.gui.test_methods import DEFAULT_BACKBONE, _fake_table


def _fully_visible(widget: QWidget, window: MainWindow) -> bool:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    inside = window.rect().contains(QRect(top_left, widget.size()))
    return widget.isVisible() and inside and widget.visibleRegion().boundingRect().size() == widget.size()


def _settle(qtbot: Any) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(50)


def _fresh_window(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> MainWindow:
    monkeypatch.setitem(freeze_slider._TABLES, DEFAULT_BACKBONE, _fake_table(DEFAULT_BACKBONE))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)  # nothing saved yet
    win = MainWindow(settings=settings, restore=True)
    win.persist = False
    win.show()
    qtbot.waitExposed(win)
    _settle(qtbot)
    return win


# -- 1. a fresh start fits the laptop's screen -------------------------------------------------
@pytest.mark.parametrize("screen", [QRect(0, 0, 1280, 800 - 32), QRect(0, 27, 1366, 768 - 27 - 40)])
def test_a_fresh_start_fits_the_available_screen(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 styled: Any, screen: QRect) -> None:
    monkeypatch.setattr(window_layout, "available_geometry", lambda _window: QRect(screen))
    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        frame = win.frameGeometry()
        assert screen.contains(frame), f"the window {frame} does not fit the screen {screen}"
        t = win.training
        for widget in (t.train_button, t.stop_button, t.progress, t.status, win.predict.drop_area.open_button,
                       win.predict.drop_area.folder_button, win.statusBar()):
            assert _fully_visible(widget, win), f"{widget.objectName() or widget} is out of view"
        splitter = win.splitter  # the divider between the steps and the bottom area moves both ways
        top = splitter.sizes()[0]
        for target in (top - 60, top):  # up, and back down
            splitter.moveSplitter(target, 1)
            assert abs(splitter.sizes()[0] - target) <= 2, f"the divider did not move to {target}: {splitter.sizes()}"
    finally:
        win.close()
        win.deleteLater()


# -- 2. Try it follows the model in use --------------------------------------------------------
def test_try_it_clears_the_previous_models_cards_and_names_the_new_model(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    from tests.gui.test_laptop_window import _summary

    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        predict = win.predict
        astronaut = [(str(tmp_path / "astronaut.png"), [("tissue", 0.99), ("brick", 0.01)], None)]
        predict._show((astronaut, [None]), "")
        assert predict.card_count() == 1
        win.model_in_use.use_trained(_summary([f"digit{i}" for i in range(10)]))
        _settle(qtbot)
        assert predict.card_count() == 0, "the previous model's cards stay under the new model's heading"
        assert "digit0" in predict.source.text() and "cleared" in predict.message.text()
        predict._show((astronaut, [None]), "", predict._generation)  # the new model's own prediction
        assert predict.card_count() == 1
        win.model_in_use.mark_saved(str(tmp_path / "digits-model"))  # the same model, saved: the cards stay
        assert predict.card_count() == 1
        stale = predict._generation  # a prediction asked of this model, answered after the next change
        win.model_in_use.use_trained(_summary(["cat", "dog", "fox", "owl"], "svm"))
        predict._show((astronaut, [None]), "", stale)
        _settle(qtbot)
        assert predict.card_count() == 0, "a late answer of the previous model must not appear"
    finally:
        win.close()
        win.deleteLater()


# -- 3. Runs › Continue asks before replacing the user's settings ---------------------------------
def test_continue_asks_before_replacing_the_data_folder_and_learning_rate(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                                          tmp_path: Path, message_boxes: Any) -> None:
    from types import SimpleNamespace

    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        win.method.set_method("finetune")
        digits = str(tmp_path / "digits")
        win.data_panel.set_train_dir(digits, scan=False)
        win.training.learning_rate.setValue(0.015)
        sample = str(tmp_path / "sample")
        record = SimpleNamespace(id="7", status="stopped", error=None, epochs=4, epochs_done=2, history=[],
                                 config={**win.train_config_kwargs(), "data_dir": sample, "learning_rate": 0.001,
                                         "epochs": 4})
        started: list[str] = []
        monkeypatch.setattr(win.training_control, "continue_run", lambda run_id, *_: started.append(run_id) or True)
        message_boxes.answer = QMessageBox.StandardButton.No
        win.runs.continue_run(record)
        assert len(message_boxes.questions) == 1, "Continue must ask before replacing the settings on screen"
        question = message_boxes.questions[0]
        assert "data folder" in question and digits in question and sample in question
        assert "learning rate 0.015 → 0.001" in question
        assert not started and win.data_panel.train_dir() == digits
        assert win.training.learning_rate.value() == pytest.approx(0.015)
        message_boxes.answer = QMessageBox.StandardButton.Yes
        win.runs.continue_run(record)
        assert started == ["7"] and win.data_panel.train_dir() == sample
        assert win.training.learning_rate.value() == pytest.approx(0.001)
        assert "learning rate 0.015 → 0.001" in win.training.status.text(), "the status says what changed"
    finally:
        close_window(qtbot, win, 20_000)


# -- 4. an engine crash during a run points to Continue --------------------------------------------
def test_an_engine_crash_during_a_run_points_to_continue(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                         message_boxes: Any) -> None:
    from gui.worker import ENGINE_DIED

    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        win.training_control.training_failed(f"{ENGINE_DIED} (exit code -9).", "")
        for text in (win.training.status.text(), message_boxes.errors[-1][1]):
            assert "Runs tab" in text and "Continue" in text, text
    finally:
        win.close()
        win.deleteLater()


# -- 5. the status line and the curves in step; an ETA that waits for a measured epoch ---------------
def test_eta_waits_for_a_measured_epoch_and_the_curves_keep_step_with_the_status(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from gui import training_progress

    now = [0.0]
    monkeypatch.setattr(training_progress, "_clock", lambda: now[0], raising=False)
    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        control, curves, bar = win.training_control, win.curves, win.training.progress
        control.reset_estimate()
        control.epochs_total = 5
        curves.reset(5, 4, running=True)
        _settle(qtbot)

        def phase(name: str, first: int, epochs: int) -> None:
            control.on_phase(SimpleNamespace(name=name, first_epoch=first, epochs=epochs, learning_rate=1e-3,
                                             trainable_params=1000))

        def epoch(index: int, at: float) -> str:
            now[0] = at
            control.on_batches([SimpleNamespace(epoch=index, batch=b, batches=4, loss=1.0, accuracy=0.5)
                                for b in range(4)])
            drawn = curves.blit_count + curves.draw_count
            control.on_epoch(SimpleNamespace(epoch=index, epochs=5, loss=1.0, val_loss=1.1, accuracy=0.5,
                                             val_accuracy=0.5, eta_s=at / (index + 1) * (4 - index)))
            assert f"Epoch {index + 1} of 5" in win.training.status.text()
            assert curves.epochs[-1] == index + 1 and curves.blit_count + curves.draw_count > drawn, \
                "the status announces an epoch the curves have not drawn"
            control.on_batches([SimpleNamespace(epoch=index + 1, batch=0, batches=4, loss=1.0, accuracy=0.5)])
            return bar.format()

        phase("warmup", 0, 2)
        assert "left" not in epoch(0, 40.0), "no estimate from an epoch that carried the cached-feature pass"
        assert "left" not in epoch(1, 41.0), "warm-up epochs on cached features say nothing of fine-tuning's"
        phase("finetune", 2, 3)
        assert "left" not in epoch(2, 50.0), "the first fine-tuning epoch carries the model's setup"
        assert "about 6 s left" in epoch(3, 56.0)  # one measured epoch of 6 s, one to go
    finally:
        win.close()
        win.deleteLater()


# -- 6. toggles and focus show their state; Tab leaves the tables ----------------------------------
def test_the_explain_toggle_and_the_focused_freeze_slider_look_different(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, styled: Any) -> None:
    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        win.activateWindow()
        toggle = win.predict.explainer.button
        with QSignalBlocker(toggle):
            toggle.setChecked(False)
            _settle(qtbot)
            off = toggle.grab().toImage()
            toggle.setChecked(True)
            _settle(qtbot)
            on = toggle.grab().toImage()
            toggle.setChecked(False)
        assert off != on, "the Explain toggle looks the same on and off"
        win.method.set_method("finetune")  # under Auto the slider is off (Auto chooses)
        slider = win.freeze.slider
        assert slider.isEnabled()
        win.training.train_button.setFocus(Qt.FocusReason.TabFocusReason)
        _settle(qtbot)
        plain = slider.grab().toImage()
        slider.setFocus(Qt.FocusReason.TabFocusReason)
        _settle(qtbot)
        assert slider.hasFocus()
        assert slider.grab().toImage() != plain, "focus on the freeze slider must be visible"
    finally:
        win.close()
        win.deleteLater()


def test_tab_leaves_the_runs_table_and_every_other_table(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QTableWidgetItem

    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        win.activateWindow()
        win.result_tabs.setCurrentWidget(win.runs.tab)
        table = win.runs.tab.table
        table.setSortingEnabled(False)
        table.setRowCount(3)
        for row in range(3):
            for col in range(table.columnCount()):
                table.setItem(row, col, QTableWidgetItem(f"{row}.{col}"))
        table.setFocus(Qt.FocusReason.TabFocusReason)
        table.setCurrentCell(0, 0)
        _settle(qtbot)
        assert table.hasFocus()
        qtbot.keyClick(table, Qt.Key.Key_Tab)
        assert not table.hasFocus(), "Tab stays inside the Runs table"
        stuck = [view.objectName() for view in win.findChildren(QAbstractItemView) if view.tabKeyNavigation()]
        assert not stuck, f"Tab moves between cells in {stuck}"
    finally:
        win.close()
        win.deleteLater()


def test_tab_reaches_check_my_data_first_and_find_before_train(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    win = _fresh_window(qtbot, monkeypatch, tmp_path)
    try:
        win.method.set_method("finetune")  # Find… applies to fine-tuning
        check = win.data_panel.findChild(QWidget, "checkDataButton")
        t = win.training
        for widget in (check, t.find_rate_button):
            widget.setEnabled(True)  # (on once a folder is scanned; only the order is tested here)
        chain, widget = [], check
        for _ in range(200):
            widget = widget.nextInFocusChain()
            if widget is check:
                break
            chain.append(widget)
        assert chain[0] is win.data_panel.train_edit, "Check my data comes right before the folder field"
        assert chain.index(t.learning_rate) < chain.index(t.find_rate_button) < chain.index(t.train_button)
    finally:
        win.close()
        win.deleteLater()
