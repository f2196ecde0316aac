"""Try it: a prediction for an image unlike any training image says so in plain words, from the
engine's job to the card in the window."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QLabel

from gui.widgets.prediction_panel import UNFAMILIAR_TEXT, PredictionPanel
from tests.conftest import write_color_dataset


def _hints(card: Any) -> list[str]:
    return [label.text() for label in card.findChildren(QLabel) if label.objectName() == "predictionUnfamiliar"]


def test_cards_warn_on_unfamiliar_images_only(qtbot: Any) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    far = {"unfamiliar": True, "distance": 0.71, "distance_limit": 0.12}
    near = {"unfamiliar": False, "distance": 0.05, "distance_limit": 0.12}
    predictions = [("/x/cat.png", [("tissue", 0.88), ("grass", 0.1)], None, far),
                   ("/x/brick.png", [("brick", 0.97)], None, near),
                   ("/x/old-bundle.png", [("brick", 0.6)], None, None),  # a model without calibration
                   ("/x/three-fields.png", [("brick", 0.6)], None)]  # an engine from before the check
    panel._show((predictions, [None] * 4), "")
    cards = {Path(card.source).name: card for card in panel.list.cards()}
    assert _hints(cards["cat.png"]) == [f"⚠ {UNFAMILIAR_TEXT}"]
    assert UNFAMILIAR_TEXT in cards["cat.png"].accessibleName()
    assert "0.71" in cards["cat.png"].findChild(QLabel, "predictionUnfamiliar").toolTip()
    for name in ("brick.png", "old-bundle.png", "three-fields.png"):
        assert _hints(cards[name]) == [] and UNFAMILIAR_TEXT not in cards[name].accessibleName()


def test_the_engine_job_reports_unfamiliar_images(tmp_path: Path) -> None:
    """job_predict (run in the engine process) passes the flag along with each image's top-k."""
    from core.jobs.train import run_training, save_training_result
    from core.config import TrainConfig
    from core.engine import server
    from core.engine.requests.open_bundle import OpenBundleRequest
    from core.engine.requests.predict import PredictRequest

    data = write_color_dataset(tmp_path / "data", per_class=12, classes={"red": (210, 50, 40), "blue": (40, 60, 200)})
    config = TrainConfig(data_dir=str(data), backbone="efficientnet_lite0", image_size=64, batch_size=8,
                         val_split=0.25, seed=1, method="logreg")
    bundle = save_training_result(run_training(config), tmp_path / "bundle")
    yy, xx = np.mgrid[:40, :40]
    board = tmp_path / "checkerboard.png"
    Image.fromarray(np.repeat(((((yy // 5) + (xx // 5)) % 2) * 255).astype(np.uint8)[..., None], 3, -1)).save(board)
    summary = server.serve(OpenBundleRequest(str(bundle)), lambda _event: None, threading.Event())
    familiar = str(next((data / "red").iterdir()))
    rows = server.serve(PredictRequest({"kind": "handle", "handle": summary.handle}, (familiar, str(board)), k=2),
                        lambda _event: None, threading.Event())
    (_, top_red, _, red), (_, _, _, odd) = rows
    assert top_red[0][0] == "red" and red["unfamiliar"] is False
    assert odd["unfamiliar"] is True and odd["distance"] > odd["distance_limit"]
