"""Try it without event-loop stalls (issue 9: every stall under 50 ms).

Measured with benchmarks/gui_responsiveness.py --predict: dropping images right after a run stalled
the window 59-91 ms, twice. Neither stall was the cards: the "Classifying…" line appearing (and
disappearing when the cards came) changed the Try-it panel's minimum height, the bottom row grew
and shrank, and the training curves beside it were resized, which makes matplotlib redraw the whole
figure. These tests pin the causes, not a timing (a shared 2-core machine makes timings flaky).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QWidget

from gui.widgets.common import read_thumbnail
from gui.widgets.prediction_panel import PredictionPanel
from tests.conftest import write_color_dataset

GUESSES = [("red", 0.9), ("green", 0.06), ("blue", 0.04)]


def _predictions(paths: list[str]) -> tuple[list[Any], list[Any]]:
    return [(p, GUESSES, None, {"unfamiliar": False}) for p in paths], [read_thumbnail(p, 88) for p in paths]


def _bottom_row(qtbot: Any) -> tuple[PredictionPanel, QWidget, QSplitter]:
    """The window's bottom row in miniature: something big beside the panel, in a vertical splitter
    under the steps, so a change of the panel's minimum height moves the neighbour's size."""
    panel = PredictionPanel()
    neighbour = QWidget()
    row = QSplitter()
    row.addWidget(neighbour)
    row.addWidget(panel)
    top = QLabel("steps")
    top.setMinimumHeight(200)
    outer = QSplitter(Qt.Orientation.Vertical)
    outer.addWidget(top)
    outer.addWidget(row)
    outer.setStretchFactor(0, 1)
    outer.resize(1280, 200 + panel.minimumSizeHint().height())  # the bottom row at its least, as at 1280x800
    qtbot.addWidget(outer)
    outer.show()
    qtbot.waitExposed(outer)
    return panel, neighbour, outer  # the caller holds the window: qtbot keeps only a weak reference


def test_the_message_line_does_not_resize_the_neighbouring_curves(qtbot: Any, tmp_path: Path) -> None:
    panel, neighbour, _window = _bottom_row(qtbot)
    images = sorted(str(p) for p in write_color_dataset(tmp_path / "data", per_class=1).rglob("*.png"))
    panel.set_model("handle-1", "a test model")
    before = neighbour.size()
    panel._show_message(f"Classifying {len(images)} image(s)…", "info")
    qtbot.wait(50)
    assert neighbour.size() == before, "the message line changed the panel's minimum height"
    with qtbot.waitSignal(panel.predictionsShown, timeout=5_000):
        panel._show(_predictions(images), "")
    qtbot.wait(50)
    assert panel.card_count() == len(images)
    assert neighbour.size() == before, "showing the cards changed the panel's minimum height"
    assert not panel.message.isVisible()


def test_a_long_message_still_shows_in_full(qtbot: Any) -> None:
    panel, _neighbour, _window = _bottom_row(qtbot)
    text = ("“notes.txt” is not an image, so it was skipped. Drop JPEG, PNG, BMP, GIF, WebP or TIFF files. "
            "Classifying 3 image(s)…")
    panel._show_message(text, "warn")
    qtbot.wait(50)
    assert panel.message.isVisible() and panel.message.text() == text
    assert panel.message.height() >= panel.message.heightForWidth(panel.message.width())


def test_many_cards_arrive_in_batches_and_are_announced_once(qtbot: Any, tmp_path: Path) -> None:
    """A dropped folder (up to 200 images) is shown a few cards per event-loop turn, not all in one."""
    from gui.widgets import prediction_cards

    panel = PredictionPanel()
    qtbot.addWidget(panel)
    panel.show()
    root = write_color_dataset(tmp_path / "data", per_class=15, size=24)
    images = sorted(str(p) for p in root.rglob("*.png"))
    assert len(images) > 2 * prediction_cards.CARDS_PER_TURN
    shown: list[int] = []
    panel.predictionsShown.connect(shown.append)
    panel._show(_predictions(images[:2]), "")
    assert shown == [2] and panel.card_count() == 2  # a few images: all at once, as before
    panel._show(_predictions(images), "")
    assert panel.card_count() <= 2 + prediction_cards.CARDS_PER_TURN  # the rest come in later turns
    assert shown == [2]
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    assert shown == [2, len(images)]
    sources = [card.source for card in panel.list.cards()]
    assert sources == images + images[:2]  # newest drop first, each in the order it was dropped
    assert all(not card.findChild(QLabel, "predictionThumb").pixmap().isNull() for card in panel.list.cards())


def test_clear_during_a_batched_show_stops_it(qtbot: Any, tmp_path: Path) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    root = write_color_dataset(tmp_path / "data", per_class=15, size=24)
    images = sorted(str(p) for p in root.rglob("*.png"))
    shown: list[int] = []
    panel.predictionsShown.connect(shown.append)
    panel._show(_predictions(images), "")
    panel.clear()
    qtbot.wait(200)
    QApplication.processEvents()
    assert panel.card_count() == 0 and shown == []
