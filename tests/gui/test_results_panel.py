"""The Results panel shows the confusion matrix and opens the right gallery on a click."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt

from core.bundles.evaluate import evaluate_probabilities
from gui.widgets.results_panel import GalleryDialog, ResultsPanel

NAMES = ["ant", "bee", "cat"]


@pytest.fixture
def metrics(tmp_path: Path) -> dict:
    labels = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    predicted = [0, 0, 2, 1, 1, 2, 2, 2, 2, 0]  # bee->cat once, ant->cat once, cat->ant once
    probs = np.full((len(labels), 3), 0.1)
    probs[np.arange(len(labels)), predicted] = 0.8
    paths = []
    for i in range(len(labels)):
        path = tmp_path / f"img_{i}.png"
        Image.new("RGB", (24, 24), (40 * i, 90, 160)).save(path)
        paths.append(str(path))
    return {"method": "svm", "val_accuracy": 0.7,
            "evaluation": evaluate_probabilities(probs, labels, NAMES, paths)}


def _cell_position(panel: ResultsPanel, row: int, col: int) -> QPoint:
    """Qt widget coordinates of the centre of heatmap cell (row, col)."""
    panel.canvas.draw()
    x, y = panel.axes.transData.transform((col, row))  # display pixels, origin bottom-left
    ratio = panel.canvas.device_pixel_ratio
    return QPoint(int(round(x / ratio)), int(round(panel.canvas.height() - y / ratio)))


def test_shows_table_matrix_and_pairs(qtbot, metrics: dict) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.show_metrics(metrics)
    assert "70 %" in panel.summary.text() and "SVM" in panel.summary.text()  # with its interval
    assert panel.table.rowCount() == 3 and panel.table.item(0, 0).text() == "ant"
    image = panel.axes.images[0].get_array()
    assert image.shape == (3, 3)
    texts = [t.get_text() for t in panel.axes.texts]
    assert texts == [str(v) for row in metrics["evaluation"]["confusion_matrix"] for v in row]
    assert panel.pairs.count() == 3 and "ant" in panel.pairs.item(0).text()
    panel.show_metrics(None)
    assert panel.axes is None and panel.table.rowCount() == 0


def test_click_on_a_cell_opens_its_gallery(qtbot, metrics: dict) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_metrics(metrics)
    with qtbot.waitSignal(panel.galleryOpened, timeout=3000) as opened, \
            qtbot.waitSignal(panel.cellClicked) as clicked:
        qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=_cell_position(panel, 1, 2))
    assert clicked.args == [1, 2]
    gallery: GalleryDialog = opened.args[0]
    qtbot.addWidget(gallery)
    assert gallery.list.count() == 1  # the one bee taken for a cat
    assert "true: bee" in gallery.list.item(0).text() and "cat (80%)" in gallery.list.item(0).text()
    assert gallery.list.item(0).data(Qt.ItemDataRole.UserRole).endswith("img_5.png")
    qtbot.waitUntil(lambda: gallery.loaded == 1)
    assert not gallery.list.item(0).icon().isNull()

    with qtbot.waitSignal(panel.galleryOpened) as opened:  # the diagonal: the correct ones
        qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=_cell_position(panel, 2, 2))
    assert opened.args[0].list.count() == 3


def test_an_empty_cell_opens_no_empty_gallery(qtbot, metrics: dict) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_metrics(metrics)
    opened: list = []
    panel.galleryOpened.connect(opened.append)
    qtbot.mouseClick(panel.canvas, Qt.MouseButton.LeftButton, pos=_cell_position(panel, 0, 1))  # no ant called bee
    assert not opened and panel.gallery is None, "an empty cell opened an empty gallery"
    assert panel.empty_cell_note == "No validation image of ant was predicted as bee."


def test_pair_and_hardest_galleries(qtbot, metrics: dict) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.show_metrics(metrics["evaluation"])  # a bare evaluation report (the CLI's) works too
    with qtbot.waitSignal(panel.cellClicked) as clicked:
        panel.pairs.itemActivated.emit(panel.pairs.item(0))
    assert clicked.args == [0, 2]
    gallery = panel.open_hardest()
    qtbot.addWidget(gallery)
    assert gallery.list.count() == 10  # every image, highest loss first: the 3 mistakes lead
    first = [gallery.list.item(i).text().split("\n") for i in range(4)]
    assert all(t[0][6:] != p[11:].split(" (")[0] for t, p in first[:3])
    assert first[3][0][6:] == first[3][1][11:].split(" (")[0]


def test_old_metrics_without_evaluation(qtbot) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.show_metrics({"val_accuracy": 0.9})
    assert "No evaluation" in panel.summary.text() and panel.open_cell(0, 0) is None


def test_a_hidden_matrix_is_built_when_shown_not_at_the_end_of_a_run(qtbot, metrics: dict) -> None:
    """Issue 25: building the matrix (axes, ticks, cell texts) in the end-of-run turn, behind the
    curves' tab, made that turn the longest of the run; it waits for the tab to be shown."""
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.show_metrics(metrics)
    assert panel.table.rowCount() == 3 and panel.figure.axes == [], "built while hidden"
    drawn = []
    panel.canvas.mpl_connect("draw_event", drawn.append)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitUntil(lambda: bool(drawn), timeout=5_000)
    assert len(panel.figure.axes) == 1 and panel.axes.images[0].get_array().shape == (3, 3)
