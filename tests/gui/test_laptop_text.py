"""No text of the window is cut on a lab's laptop (issue 25): a fresh start at 1280x800 and at
1366x768 puts the whole window on the screen, and in every result tab no visible label, button,
check box, tab or progress text is clipped, no two laid-out widgets overlap, and no chart text
sticks out of its canvas or runs into its neighbour (tests/gui/text_fit.py walks every visible
widget, so a later change, or a translation, that cuts a text fails here without naming it).

The window holds what a user has after a session: four classes loaded, a trained model in use
(Results drawn), recorded runs with and without epochs selected in the Runs tab, and a long
progress text. ``language`` is the translation loaded (English: none); another language joins
the parameters once its .qm file is in resources/i18n/."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QRect, QRectF, QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from gui import window_layout
from gui.app import MainWindow
from gui.widgets import freeze_slider
from tests.conftest import write_color_dataset
from tests.gui.conftest import close_window
from tests.gui.test_methods import DEFAULT_BACKBONE, _fake_table
from tests.gui.text_fit import canvas_problems, clipped_texts, overlapping_widgets

SCREENS = {"1280x800": QRect(0, 0, 1280, 800 - 32), "1366x768": QRect(0, 27, 1366, 768 - 27 - 40)}
LANGUAGES = ["en", "zh_CN"]
LONG_HINT = ("The run store was damaged: it was kept as /home/user/.local/share/finetune-studio/runs.damaged-1.sqlite "
             "and a fresh store was started at /home/user/.local/share/finetune-studio/runs.sqlite, so earlier "
             "runs are not listed.")
LONG_PROGRESS = "Caching frozen-layer features (training images)… 12/40"


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Any:
    """The window's translation for this test (none for English), removed afterwards."""
    if request.param == "en":
        yield request.param
        return
    from gui import language as window_language

    assert window_language.install_language(request.param) == request.param  # the app's and Qt's translators
    yield request.param
    window_language.remove_translators()


def _settle(qtbot: Any, ms: int = 50) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(ms)


def _record_runs(data: Path) -> None:
    """One fine-tuning run with three epochs, and two embedding runs without any (one point each)."""
    from core.runs.store import RunStore
    from tests.gui.test_runs_tab import _config, _record

    store = RunStore()
    _record(store, _config(data), [0.5, 0.8, 0.9])
    for method in ("svm", "logreg"):
        run = store.create(_config(data, method=method), data_dir=str(data), versions={}, pid=None)
        store.update(run.id, status="completed", metrics={"val_accuracy": 0.8})


def _select_runs_without_epochs(window: MainWindow) -> None:
    tab = window.runs.tab
    model = tab.table.selectionModel()
    model.clearSelection()
    for row in range(tab.table.rowCount()):
        if tab.table.item(row, 4).text().startswith("0/"):
            model.select(tab.table.model().index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


@pytest.mark.parametrize("screen_name", list(SCREENS))
def test_a_fresh_start_shows_every_text_whole(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              styled: Any, language: str, screen_name: str) -> None:
    from tests.gui.test_laptop_window import TEXTURES, _summary

    screen = SCREENS[screen_name]
    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path / "home"))
    monkeypatch.setattr(window_layout, "available_geometry", lambda _window: QRect(screen))
    monkeypatch.setitem(freeze_slider._TABLES, DEFAULT_BACKBONE, _fake_table(DEFAULT_BACKBONE))
    data = write_color_dataset(tmp_path / "textures", per_class=4, size=24,
                               classes={name: (40 * i, 90, 160) for i, name in enumerate(TEXTURES)})
    _record_runs(data)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)  # nothing saved yet
    win = MainWindow(settings=settings, restore=True)
    win.persist = False
    win.show()
    qtbot.waitExposed(win)
    try:
        assert screen.contains(win.frameGeometry()), f"the window {win.frameGeometry()} is not inside {screen}"
        with qtbot.waitSignal(win.data_panel.datasetChanged, timeout=20_000):
            win.data_panel.set_train_dir(data)
        win.model_in_use.use_trained(_summary(list(TEXTURES)))
        win.training.progress.setFormat(LONG_PROGRESS)
        problems: list[str] = []
        tabs = win.result_tabs
        for index in range(tabs.count()):
            if tabs.widget(index) is win.runs.tab:
                with qtbot.waitSignal(win.runs.tab.runsShown, timeout=10_000):
                    tabs.setCurrentIndex(index)
                _select_runs_without_epochs(win)
                win.runs.tab.hint.setText(LONG_HINT)  # the longest the hint says: it must not cover the charts
                _settle(qtbot)
                table = win.runs.tab.table
                shown_rows = table.viewport().height() / max(1, table.rowHeight(0))
                assert shown_rows >= 3, f"the Runs table shows {shown_rows:.1f} rows"
            else:
                tabs.setCurrentIndex(index)
            _settle(qtbot)
            found = clipped_texts(win) + overlapping_widgets(win) + canvas_problems(win)
            problems += [f"[{tabs.tabText(index)}] {problem}" for problem in found]
        assert not problems, "\n".join(dict.fromkeys(problems))
        bar = win.training.progress
        assert bar.text() != LONG_PROGRESS and bar.text().startswith("Caching") and bar.text().endswith("…")
        assert bar.toolTip() == LONG_PROGRESS, "a shortened progress text carries the whole text as its tooltip"
    finally:
        close_window(qtbot, win, 20_000)


def test_a_percentage_past_the_end_of_its_bar_is_dark(qtbot: Any) -> None:
    """The top guess's percentage is white on its dark fill; the part of it beyond the fill's end,
    on the pale track, must be dark (it was white there: unreadable)."""
    from gui.widgets.prediction_cards import ProbabilityBar

    width = 300
    probe = ProbabilityBar(1, "tissue", 0.5)
    qtbot.addWidget(probe)
    probe.resize(width, 20)
    text_width = probe.fontMetrics().horizontalAdvance(probe.percent_text())
    # a probability whose fill ends in the middle of the right-aligned percentage
    probability = (width - 8.5 - text_width / 2) / (width - 1)
    bar = ProbabilityBar(1, "tissue", probability)
    qtbot.addWidget(bar)
    bar.resize(width, 20)
    image = bar.grab().toImage()
    fill_end = int(QRectF(0.5, 0, (width - 1) * probability, 20).right()) + 2
    dark = [x for x in range(fill_end, width - 6) for y in range(4, 16)
            if QColor(image.pixel(x, y)).lightness() < 110]
    assert dark, "the percentage's part on the pale track is not drawn dark"
    light_on_fill = [x for x in range(fill_end - text_width // 2, fill_end - 3) for y in range(4, 16)
                     if QColor(image.pixel(x, y)).lightness() > 200]
    assert light_on_fill, "the percentage's part on the dark fill is drawn white"


def test_the_walk_finds_each_kind_of_cut_text(qtbot: Any, styled: Any) -> None:
    """The measure itself: a cut button, check box, label, wrapped label, tab and progress text are
    each reported; the same texts with room, and a shortened text with its tooltip, are not."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton, QTabWidget, QVBoxLayout, QWidget

    sentence = "Keep images of the same slide, animal or plate together"
    root = QWidget()
    qtbot.addWidget(root)
    box = QVBoxLayout(root)
    wrapped = QLabel(sentence)
    wrapped.setWordWrap(True)
    tabs = QTabWidget()
    tabs.setUsesScrollButtons(False)
    for index in range(4):
        tabs.addTab(QWidget(), f"Training curves {index}")
    widgets = [QPushButton(sentence), QCheckBox(sentence), QLabel(sentence), wrapped, QProgressBar()]
    widgets[-1].setRange(0, 1)
    widgets[-1].setValue(0)
    widgets[-1].setFormat(sentence)
    for widget in [*widgets, tabs]:
        box.addWidget(widget)
    root.show()
    qtbot.waitExposed(root)
    assert clipped_texts(root) == []
    for widget in widgets[:3]:
        widget.setFixedWidth(120)
    wrapped.setFixedSize(120, wrapped.fontMetrics().height())
    widgets[-1].setFixedWidth(120)
    tabs.setFixedWidth(200)
    root.adjustSize()
    _settle(qtbot)
    found = "\n".join(clipped_texts(root))
    for kind in ("QPushButton", "QCheckBox", "QLabel: text", "wrapped text", "progress text", "tab 'Training"):
        assert kind in found, f"a cut {kind} was not reported:\n{found}"
    widgets[2].setText("Keep images of the same…")
    widgets[2].setToolTip(sentence)
    assert "QLabel: text" not in "\n".join(clipped_texts(root)), "a shortened text with its tooltip is fine"
