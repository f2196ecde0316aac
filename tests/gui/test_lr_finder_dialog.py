"""The learning-rate finder in the window: "Find…" beside the field, the dialog running a real sweep
in the engine process, the plot, "Use this rate" setting the field, and Cancel."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.operations.lr_find import LrFinderDialog, open_lr_finder
from gui.widgets.training_settings import TrainingSettings
from tests.conftest import write_color_dataset

TINY = "mobilenet_v2_035"


@pytest.fixture
def settings(qtbot: Any) -> TrainingSettings:
    panel = TrainingSettings()
    qtbot.addWidget(panel)
    return panel


def _kwargs(data: Path, weights: Path) -> dict[str, Any]:
    return {"data_dir": str(data), "val_dir": None, "val_split": 0.2, "backbone": TINY, "weights": str(weights),
            "freeze": 120, "epochs": 10, "warmup_epochs": 2, "batch_size": 8, "learning_rate": 1e-3,
            "augment": {"flip": True, "rotation": False, "zoom": False, "contrast": False},
            "early_stopping_patience": 0, "image_size": 32, "seed": 5, "method": "svm", "use_cache": True}


def test_find_button_sits_beside_the_learning_rate(qtbot: Any, settings: TrainingSettings) -> None:
    assert settings.find_rate_button.parentWidget() is settings.learning_rate.parentWidget()
    with qtbot.waitSignal(settings.findLearningRateRequested, timeout=1000):
        qtbot.mouseClick(settings.find_rate_button, Qt.MouseButton.LeftButton)
    settings.set_running(True)
    assert not settings.find_rate_button.isEnabled()


def test_sweep_in_the_engine_and_use_this_rate(qtbot: Any, settings: TrainingSettings, tmp_path: Path,
                                               tiny_weights_file: Path) -> None:
    data = write_color_dataset(tmp_path / "colors", per_class=6, size=32)
    dialog = open_lr_finder(settings, _kwargs(data, tiny_weights_file), settings.learning_rate, steps=30)
    assert isinstance(dialog, LrFinderDialog)
    assert dialog.config["method"] == "finetune" and "freeze" not in dialog.config  # the head's rate
    assert not dialog.use_button.isEnabled()
    qtbot.waitUntil(dialog.use_button.isEnabled, timeout=120_000)
    result = dialog.result
    rates = [lr for lr, _ in result["points"]]
    assert min(rates) <= result["suggested_lr"] <= max(rates)
    assert dialog.axes.get_xscale() == "log" and len(dialog.axes.lines) >= 2  # the curve and the mark
    assert "Suggested learning rate" in dialog.status.text()
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert settings.learning_rate.value() == pytest.approx(float(f"{result['suggested_lr']:.2g}"), rel=1e-9)
    assert dialog.use_button.text() == f"Use {settings.learning_rate.value():g}"
    assert not dialog.isVisible()


def test_cancel_stops_the_sweep_and_leaves_the_field(qtbot: Any, settings: TrainingSettings, tmp_path: Path,
                                                    tiny_weights_file: Path) -> None:
    data = write_color_dataset(tmp_path / "colors", per_class=6, size=32)
    settings.learning_rate.setValue(0.005)
    dialog = open_lr_finder(settings, _kwargs(data, tiny_weights_file), settings.learning_rate)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.worker.is_busy(), timeout=10_000)
    assert dialog.result is None and settings.learning_rate.value() == 0.005


def test_no_folder_is_a_plain_message(settings: TrainingSettings, message_boxes: Any) -> None:
    assert open_lr_finder(settings, {"data_dir": None}, settings.learning_rate) is None
    assert message_boxes.errors and message_boxes.errors[0][0] == "No training folder"
