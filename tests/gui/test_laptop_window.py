"""The window a new user meets on a 1280x800 lab laptop: every panel readable, Train/Stop/progress/
status always in view, the keyboard path through the steps, Train refused (with the reason) on data
that cannot be trained on, the skipped files of an unusable folder, and a stall probe that covers
the whole run. Offscreen, with the application's style sheet (it sets the paddings that decide
whether a text fits) and a made-up layer table, so no TensorFlow is needed."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox, QToolButton, QWidget

from core.bundles.evaluate import evaluate_probabilities
from gui.app import MainWindow
from core.engine.requests.train import TrainSummary
from gui.widgets import freeze_slider
from tests.conftest import write_color_dataset
from tests.gui.conftest import close_window
from tests.gui.conftest import fake_training as _fake_training
from tests.gui.test_methods import DEFAULT_BACKBONE, _fake_table

TEXTURES = ("brick", "grass", "gravel", "tissue")


def _make_window(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, size: tuple[int, int]) -> MainWindow:
    monkeypatch.setitem(freeze_slider._TABLES, DEFAULT_BACKBONE, _fake_table(DEFAULT_BACKBONE))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, restore=False)
    win.persist = False
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def laptop(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, styled: Any) -> Any:
    """The window at 1280x800 with four texture-named classes loaded."""
    win = _make_window(qtbot, monkeypatch, tmp_path, (1280, 800))
    data = write_color_dataset(tmp_path / "textures", per_class=4, size=24,
                               classes={name: (40 * i, 90, 160) for i, name in enumerate(TEXTURES)})
    with qtbot.waitSignal(win.data_panel.datasetChanged, timeout=20_000):
        win.data_panel.set_train_dir(data)
    yield win
    close_window(qtbot, win, 60_000)


def _evaluation(names: list[str]) -> dict[str, Any]:
    labels = [i % len(names) for i in range(40)]
    probs = np.full((40, len(names)), 0.1)
    probs[np.arange(40), labels] = 0.9
    probs[3, :] = 0.1
    probs[3, 2] = 0.9  # one grass called gravel
    return evaluate_probabilities(probs, labels, names)


def _summary(names: list[str], method: str = "finetune", accuracy: float = 0.9) -> TrainSummary:
    metrics = {"val_accuracy": accuracy, "val_loss": 0.3, "method": method, "elapsed_s": 3.0,
               "evaluation": _evaluation(names)}
    return TrainSummary(handle=f"h-{method}", class_names=tuple(names), backbone=DEFAULT_BACKBONE, data_dir="/x",
                        metrics=metrics, best_epoch=None, history=[], cancelled=False, stopped_early=False,
                        frozen_layers=10, total_layers=100, image_size=224, elapsed_s=3.0, method=method,
                        method_label={"finetune": "fine-tuning", "svm": "embeddings + SVM",
                                      "logreg": "embeddings + logistic regression"}[method])


def _fully_visible(widget: QWidget, window: MainWindow) -> bool:
    """Shown, inside the window, and not clipped by a scroll area or a splitter."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(QRect(top_left, widget.size()))
    return widget.isVisible() and inside and widget.visibleRegion().boundingRect().size() == widget.size()


def _run_controls(window: MainWindow) -> list[QWidget]:
    t = window.training
    return [t.train_button, t.stop_button, t.progress, t.status]


def _settle(qtbot: Any) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(50)


# -- 1. readable at 1280x800, run controls always in view ---------------------------------------
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_run_controls_stay_in_view_after_a_comparison(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      styled: Any, size: tuple[int, int]) -> None:
    win = _make_window(qtbot, monkeypatch, tmp_path, size)
    try:
        _settle(qtbot)
        for widget in _run_controls(win):
            assert _fully_visible(widget, win), f"{widget.objectName()} is not fully in view before a run"
        names = list(TEXTURES)
        results = {m: _summary(names, m, acc) for m, acc in (("finetune", 0.9), ("svm", 0.95), ("logreg", 0.85))}
        win.training_control.comparing = True
        win.training_control.training_finished(results, False)
        _settle(qtbot)
        assert not win.method.table.isHidden()
        for widget in _run_controls(win):
            assert _fully_visible(widget, win), f"{widget.objectName()} was pushed out of view by the comparison"
    finally:
        win.close()
        win.deleteLater()


def test_top_row_fits_1280_wide_and_no_text_is_cut(qtbot: Any, laptop: MainWindow) -> None:
    _settle(qtbot)
    top = laptop.findChild(QWidget, "topScroll")
    assert not top.horizontalScrollBar().isVisible(), "the steps need a horizontal scroll bar at 1280 px"
    for combo in laptop.findChildren(QComboBox):
        if not combo.isVisible():
            continue
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, combo)
        for index in range(combo.count()):
            text = combo.itemText(index)
            needed = combo.fontMetrics().horizontalAdvance(text)
            assert field.width() >= needed, f"{combo.objectName()}: '{text}' needs {needed} px, has {field.width()}"


def test_the_folder_field_shows_the_start_and_the_name_of_a_long_path(qtbot: Any, laptop: MainWindow) -> None:
    edit = laptop.data_panel.train_edit
    long_path = "/home/a-long-user-name/projects/microscopy-2024/experiment-17/cells"
    laptop.data_panel.set_train_dir(long_path, scan=False)
    _settle(qtbot)
    shown = edit.display_text()
    assert shown != long_path and "…" in shown, "a long path should be elided to fit"
    assert shown.startswith("/home/") and shown.endswith("…/cells"), "the start and the folder's name stay"
    assert edit.fontMetrics().horizontalAdvance(shown) <= edit.width()
    assert edit.toolTip() == long_path and edit.text() == long_path  # the value itself is untouched
    assert edit.width() >= 150
    longer = "/home/a-long-user-name/projects/microscopy-2024/experiment-17/a-very-long-folder-name-for-cells"
    laptop.data_panel.set_train_dir(longer, scan=False)
    _settle(qtbot)
    shown = edit.display_text()  # a name too long to keep whole: elided in the middle, start and end kept
    assert shown.startswith("/home") and shown.endswith("cells") and "…" in shown
    edit.setFocus()
    assert edit.display_text() == longer  # while editing, the whole path


def test_results_tell_grass_from_gravel_and_the_matrix_is_not_a_strip(qtbot: Any, laptop: MainWindow) -> None:
    laptop.training_control.use_trained(_summary(list(TEXTURES)))
    laptop.result_tabs.setCurrentWidget(laptop.results_page)
    _settle(qtbot)
    results = laptop.results
    table = results.table
    for row in range(table.rowCount()):
        name = table.item(row, 0).text()
        needed = table.fontMetrics().horizontalAdvance(name) + 8
        assert table.columnWidth(0) >= needed, f"class column too narrow for '{name}'"
        assert table.item(row, 0).toolTip() == name
    assert table.visibleRegion().boundingRect().width() >= table.columnWidth(0) + 3 * 40
    canvas = results.canvas
    assert canvas.isVisible() and canvas.width() >= 200 and canvas.height() >= 170
    assert min(canvas.width(), canvas.height()) / max(canvas.width(), canvas.height()) > 0.5, "the matrix is a strip"
    assert not laptop.results_page.horizontalScrollBar().isVisible()


# -- 2. the stall probe covers the whole run -------------------------------------------------


def test_the_stall_probe_covers_the_click_and_the_end_of_run_redraw(qtbot: Any, laptop: MainWindow,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    _fake_training(monkeypatch, _summary(list(TEXTURES)), release)
    laptop.method.set_method("finetune")  # the fake job stands for a TrainRequest; the default is Auto
    reset = laptop.curves.reset

    def slow_reset(*args: Any, **kwargs: Any) -> None:  # stands for a slow click handler
        reset(*args, **kwargs)
        time.sleep(0.07)

    monkeypatch.setattr(laptop.curves, "reset", slow_reset)
    laptop.start_training()
    assert laptop.stall_probe.is_active()
    qtbot.wait(100)
    release.set()
    with qtbot.waitSignal(laptop.trainingFinished, timeout=10_000):
        pass
    assert laptop.stall_probe.is_active(), "the probe must keep measuring through the end-of-run redraw"
    qtbot.waitUntil(lambda: not laptop.stall_probe.is_active(), timeout=5_000)
    assert laptop.last_stall_ms is not None and laptop.last_stall_ms >= 55, "the click's stall was missed"


def test_end_of_run_draws_no_hidden_matrix_and_no_full_curve_redraw(qtbot: Any, laptop: MainWindow,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The two slowest things at the end of a run were a full redraw of the curves (to refit the loss
    axis) and drawing the confusion matrix in the hidden Results tab."""
    release = threading.Event()
    _fake_training(monkeypatch, _summary(list(TEXTURES)), release)
    laptop.method.set_method("finetune")  # the fake job stands for a TrainRequest; the default is Auto
    laptop.start_training()
    curves = laptop.curves
    from types import SimpleNamespace

    curves.add_batches([SimpleNamespace(epoch=0, batch=b, batches=4, loss=1.3 - 0.1 * b) for b in range(4)])
    curves.add_epoch(SimpleNamespace(epoch=0, epochs=laptop.training.epochs.value(), loss=1.1, val_loss=1.2,
                                     accuracy=0.6, val_accuracy=0.5))
    qtbot.wait(400)
    drawn = curves.draw_count
    matrix_draws: list[Any] = []
    laptop.results.canvas.mpl_connect("draw_event", matrix_draws.append)
    release.set()
    with qtbot.waitSignal(laptop.trainingFinished, timeout=10_000):
        pass
    qtbot.wait(600)  # the curves' redraw timer and any deferred drawing have run
    qtbot.waitUntil(lambda: not laptop.stall_probe.is_active(), timeout=5_000)
    assert curves.draw_count == drawn, "the losses fit the planned axis: no full redraw needed"
    assert laptop.result_tabs.currentWidget() is laptop.curves and not matrix_draws
    laptop.result_tabs.setCurrentWidget(laptop.results_page)
    qtbot.waitUntil(lambda: bool(matrix_draws), timeout=5_000)


# -- 3. keyboard -------------------------------------------------------------------------------
def test_focused_train_button_shows_a_focus_mark(qtbot: Any, laptop: MainWindow) -> None:
    button = laptop.training.train_button
    button.clearFocus()
    _settle(qtbot)
    plain = button.grab().toImage()
    button.setFocus(Qt.FocusReason.TabFocusReason)
    _settle(qtbot)
    assert button.hasFocus()
    focused = button.grab().toImage()
    assert plain != focused, "focus must be visible on the Train button"


def _tab_chain(start: QWidget, limit: int = 200) -> list[QWidget]:
    chain, widget = [], start
    for _ in range(limit):
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
    return chain


def test_tab_order_follows_the_visual_order(qtbot: Any, laptop: MainWindow) -> None:
    laptop.method.set_method("finetune")  # the epoch fields are off (chosen by Auto) under the default
    chain = _tab_chain(laptop.data_panel.train_edit)
    t, m = laptop.training, laptop.method
    position = {id(w): i for i, w in enumerate(chain)}
    for widget in (m.combo, m.compare_button, t.epochs, t.train_button, t.stop_button):
        assert id(widget) in position or not widget.isEnabled(), widget.objectName()
    assert position[id(m.combo)] < position[id(m.compare_button)] < position[id(t.epochs)] < position[id(t.train_button)]
    assert position[id(laptop.backbone.combo)] < position[id(m.combo)]


def test_focus_moves_to_stop_when_train_is_clicked(qtbot: Any, laptop: MainWindow,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    _fake_training(monkeypatch, _summary(list(TEXTURES)), release)
    laptop.method.set_method("finetune")  # the fake job stands for a TrainRequest; the default is Auto
    button = laptop.training.train_button
    laptop.activateWindow()
    button.setFocus()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()
    assert QApplication.focusWidget() is laptop.training.stop_button
    release.set()
    with qtbot.waitSignal(laptop.trainingFinished, timeout=10_000):
        pass
    assert QApplication.focusWidget() is button  # and back to Train when the run is over


def test_clear_buttons_and_the_class_table_header_have_accessible_names(qtbot: Any, laptop: MainWindow) -> None:
    panel = laptop.data_panel
    for edit in (panel.train_edit, panel.val_edit):
        buttons = edit.findChildren(QToolButton)
        assert buttons, "the clear button exists"
        assert all(b.accessibleName() for b in buttons), f"{edit.objectName()}: clear button has no name"
    assert panel.table.horizontalHeader().accessibleName()
    assert laptop.results.table.horizontalHeader().accessibleName()


# -- 4. data that cannot be trained on ----------------------------------------------------------
def test_train_is_refused_with_the_reason_on_untrainable_data(qtbot: Any, laptop: MainWindow,
                                                              tmp_path: Path) -> None:
    t = laptop.training
    assert t.train_button.isEnabled() and laptop.method.compare_button.isEnabled()
    one_class = write_color_dataset(tmp_path / "one", per_class=3, size=16, classes={"only": (1, 2, 3)})
    with qtbot.waitSignal(laptop.data_panel.datasetChanged, timeout=10_000):
        laptop.data_panel.set_train_dir(one_class)
    assert not t.train_button.isEnabled() and not laptop.method.compare_button.isEnabled()
    assert "two classes" in t.status.text() and "two classes" in t.train_button.toolTip()
    laptop.start_training()  # Ctrl+Enter goes here too
    assert not laptop.is_training()

    lonely = write_color_dataset(tmp_path / "lonely", per_class=3, size=16, classes={"a": (200, 0, 0)})
    write_color_dataset(lonely, per_class=1, size=16, classes={"b": (0, 0, 200)})
    with qtbot.waitSignal(laptop.data_panel.datasetChanged, timeout=10_000):
        laptop.data_panel.set_train_dir(lonely)
    assert not t.train_button.isEnabled()
    assert "'b'" in t.status.text() and "1 image" in t.status.text()

    good = write_color_dataset(tmp_path / "good", per_class=2, size=16)
    with qtbot.waitSignal(laptop.data_panel.datasetChanged, timeout=10_000):
        laptop.data_panel.set_train_dir(good)
    assert t.train_button.isEnabled() and laptop.method.compare_button.isEnabled()
    assert "Ready to train" in t.status.text()


# -- 5. a folder with no usable images lists what was skipped and why --------------------------
def test_no_usable_images_shows_the_skipped_files_with_reasons(qtbot: Any, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               message_boxes: Any) -> None:
    import core.data.scan
    from gui.widgets.data_panel import DataPanel

    root = tmp_path / "fake"
    (root / "cats").mkdir(parents=True)
    (root / "cats" / "a.jpg").write_text("just text")
    (root / "dogs").mkdir()
    (root / "dogs" / "b.jpg").write_text("more text")

    def scan_folder(folder: Any, expected_classes: Any = None) -> Any:
        error = core.data.scan.EmptyFolderError(f"No usable images were found in '{folder}' (2 files skipped).")
        error.skipped = (core.data.scan.SkippedFile(root / "cats" / "a.jpg", "not a picture: a text file named .jpg"),
                         core.data.scan.SkippedFile(root / "dogs" / "b.jpg", "not a picture: a text file named .jpg"))
        raise error

    monkeypatch.setattr(core.data.scan, "scan_folder", scan_folder)
    panel = DataPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.scanFailed, timeout=10_000):
        panel.set_train_dir(root)
    assert "No usable images" in panel.summary.text()
    assert not panel.skipped_box.isHidden() and panel.skipped_box.is_expanded()
    rows = [panel.skipped_list.item(i).text() for i in range(panel.skipped_list.count())]
    assert rows == ["a.jpg — not a picture: a text file named .jpg", "b.jpg — not a picture: a text file named .jpg"]
    assert "2 files skipped" in panel.skipped_box.button.text()
