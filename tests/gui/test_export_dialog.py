"""File › Export model… in a real window with the real engine: disabled until a model is in use;
a trained model that is not saved yet is exported from the engine's kept copy, and the dialog says
in plain words how the export compared with the app (n of n images, largest difference)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.engine.requests.train import TrainSummary


def _trained_not_saved(bundle: Path) -> TrainSummary:
    """What the engine reports after a run; its model kept on disk at ``bundle`` (never saved by the user)."""
    config = json.loads((bundle / "config.json").read_text())
    return TrainSummary(handle="trained:99", class_names=tuple(json.loads((bundle / "labels.json").read_text())),
                        backbone="mobilenet_v2_035", data_dir="/data/colors", metrics={}, best_epoch=0,
                        history=[], cancelled=False, stopped_early=False, frozen_layers=0, total_layers=0,
                        image_size=64, elapsed_s=1.0, kept_path=str(bundle), method=config.get("method", "finetune"))


def test_export_from_the_kept_bundle_shows_the_check(qtbot: Any, window: Any, tiny_bundle: Path, tmp_path: Path,
                                                    message_boxes: Any) -> None:
    assert not window.export_action.isEnabled()  # no model in use yet
    window.model_in_use.use_trained(_trained_not_saved(tiny_bundle))
    assert window.export_action.isEnabled() and window.model_in_use.path is None
    window.export_action.trigger()
    dialog = window.model_export.dialog
    assert dialog is not None and dialog.isVisible() and dialog.bundle == str(tiny_bundle)
    formats = [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())]
    assert sorted(formats) == ["onnx", "savedmodel", "tflite", "tflite-int8"]
    assert "Raspberry Pi" in dialog.description.text()  # TFLite first, with what it is for
    dialog.format_combo.setCurrentIndex(formats.index("savedmodel"))  # the quickest to write and check
    assert "TensorFlow Serving" in dialog.description.text()
    out = tmp_path / "exports" / "colors-savedmodel"
    out.parent.mkdir()
    dialog.out_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert not dialog.export_button.isEnabled() and dialog.cancel_button.text() == "Cancel"
    report = done.args[0]
    images = report["images"]
    assert (out / "saved_model").is_dir() and json.loads((out / "export.json").read_text())["agreement"] == 1.0
    text = dialog.result.text()
    assert f"the same top class as the app on {images} of {images} images" in text
    assert "largest probability difference" in text and str(out) in text
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled() and dialog.cancel_button.text() == "Close")
    assert not message_boxes.errors


def test_an_opened_bundle_is_exported_from_its_own_folder_and_refusals_are_plain(
        qtbot: Any, window: Any, tiny_bundle: Path, tmp_path: Path, message_boxes: Any) -> None:
    with qtbot.waitSignal(window.modelOpened, timeout=90_000):
        window.open_model(str(tiny_bundle))
    assert window.export_action.isEnabled()
    dialog = window.model_export.open_dialog()
    assert dialog.bundle == str(tiny_bundle)
    assert Path(dialog.out_edit.text()).name == f"{tiny_bundle.name}-tflite"  # follows the format
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("onnx"))
    assert Path(dialog.out_edit.text()).name == f"{tiny_bundle.name}-onnx"
    dialog.out_edit.setText(str(tiny_bundle))  # the model's own folder: never written over
    with qtbot.waitSignal(window.model_export.worker.busyChanged, timeout=60_000,
                          check_params_cb=lambda busy: not busy):
        dialog.export()
    assert message_boxes.errors and message_boxes.errors[-1][0] == "Could not export the model"
    assert "not an earlier export" in message_boxes.errors[-1][1] and "Traceback" not in message_boxes.errors[-1][1]
    assert (tiny_bundle / "model.keras").is_file()
