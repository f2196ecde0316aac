"""The Explain toggle: Try it's cards and the Results gallery show Grad-CAM overlays computed by
the engine's real job (served in this process: the job, not the pipe, is under test here), a click
opens the larger view, and toggling off puts the plain thumbnails back."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from gui.widgets import explain_view
from gui.widgets.common import read_thumbnail
from gui.widgets.prediction_panel import THUMB, PredictionPanel
from gui.widgets.results_panel import ResultsPanel

HANDLE = "trained:explain-test"


@pytest.fixture(scope="module")
def engine_state(tiny_weights_file: Path) -> Any:
    """An engine state holding a small untrained model under a handle (no training needed: any
    model has a heatmap)."""
    from core.bundles.predict import Predictor
    from core.engine.state import EngineState
    from core.training.model import build_model

    state = EngineState()
    model = build_model("mobilenet_v2_035", 2, weights=str(tiny_weights_file), input_size=64, seed=1)
    state.hold_predictor(HANDLE, Predictor(model, ["left", "right"]))
    return state


@pytest.fixture
def served_here(engine_state: Any, monkeypatch: pytest.MonkeyPatch) -> list:
    """The toggle's requests, run by the engine's own job table on the worker's thread."""
    from core.engine import server

    seen: list = []

    def local(request: Any) -> Any:
        seen.append(request)
        return lambda sink, cancel: server.serve(request, sink, cancel, engine_state)

    monkeypatch.setattr(explain_view, "remote", local)
    return seen


def _images(folder: Path, count: int) -> list[str]:
    rng = np.random.default_rng(0)
    folder.mkdir()
    paths = []
    for index in range(count):
        path = folder / f"photo_{index}.png"
        Image.fromarray(rng.integers(0, 255, (48, 80, 3), dtype=np.uint8)).save(path)
        paths.append(str(path))
    return paths


def test_try_it_cards_show_heatmaps_and_a_larger_view(qtbot: Any, tmp_path: Path, served_here: list) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    panel.set_model(HANDLE, "a test model")
    paths = _images(tmp_path / "drop", 2)
    rows = [(p, [("left", 0.7), ("right", 0.3)], None, None) for p in paths]
    rows.append((str(tmp_path / "gone.png"), [], "file not found", None))  # an unreadable drop: not explained
    panel._show((rows, [read_thumbnail(p, THUMB) for p in paths] + [None]), "")
    thumbs = {card.source: card.findChild(QLabel, "predictionThumb") for card in panel.list.cards()}
    plain = {path: thumb.pixmap().toImage() for path, thumb in thumbs.items()}

    panel.explainer.button.click()
    qtbot.waitUntil(lambda: all(thumbs[p].property("explained") for p in paths), timeout=60_000)
    assert [r.paths for r in served_here] == [tuple(paths)]  # one request, for the readable images only
    for path in paths:
        assert thumbs[path].pixmap().toImage() != plain[path]  # the heatmap over the image
        assert "looked hardest at" in thumbs[path].toolTip()

    qtbot.mouseClick(thumbs[paths[0]], Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    dialog = panel.explainer.dialog
    assert dialog is not None and dialog.isVisible()
    large = dialog.findChild(QLabel, "explainImage").pixmap()
    assert max(large.width(), large.height()) > THUMB  # the larger view
    assert "left" in dialog.findChild(QLabel, "explainCaption").text() or "right" in dialog.findChild(
        QLabel, "explainCaption").text()
    # "Why not the other class?": the larger view explains any of the card's classes, in the engine.
    combo = dialog.class_combo
    predicted = combo.currentText()
    other = next(combo.itemText(i) for i in range(combo.count()) if combo.itemText(i) != predicted)
    assert {combo.itemText(i) for i in range(combo.count())} == {"left", "right"}
    combo.setCurrentText(other)
    qtbot.waitUntil(lambda: f"“{other}”" in dialog.caption.text(), timeout=60_000)
    assert served_here[-1].class_name == other and served_here[-1].paths == (paths[0],)
    dialog.close()

    panel.explainer.button.click()  # off: the plain thumbnails again
    for path in paths:
        assert not thumbs[path].property("explained") and thumbs[path].pixmap().toImage() == plain[path]
    panel.explainer.button.click()  # on again: from the cache, no new request
    assert all(thumbs[p].property("explained") for p in paths) and len(served_here) == 2


def test_results_gallery_has_the_same_toggle(qtbot: Any, tmp_path: Path, served_here: list) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    panel.explain_source = lambda: {"kind": "handle", "handle": HANDLE}
    paths = _images(tmp_path / "val", 3)
    panel.evaluation = {"class_names": ["left", "right"],
                        "hardest": [{"path": p, "true": 0, "predicted": 1, "confidence": 0.9} for p in paths]}
    gallery = panel.open_hardest()
    qtbot.addWidget(gallery)
    qtbot.waitUntil(lambda: gallery.loaded == len(paths), timeout=10_000)
    explainer = gallery.explainer
    assert explainer.button.text() == "Explain" and not explainer.button.isChecked()
    explainer.button.click()
    qtbot.waitUntil(lambda: len(explainer.plain) == len(paths), timeout=60_000)  # every icon swapped
    assert served_here[-1].paths == tuple(paths)
    explainer._open_item(gallery.list.item(1))
    assert explainer.dialog is not None and explainer.dialog.isVisible()
    explainer.dialog.close()
    explainer.button.click()
    assert explainer.plain == {}  # the plain thumbnails are back
