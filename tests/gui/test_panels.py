"""Panels on their own, without TensorFlow: data scanning, the freeze slider's snapping and
label, the learning-rate box, and the polite message for dropped non-images."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from core.backbones import Boundary
from core.engine.requests.layer_table import LayerTableSummary
from gui.widgets import freeze_slider
from gui.widgets.data_panel import DataPanel
from gui.widgets.freeze_slider import FreezePanel
from gui.widgets.prediction_panel import PredictionPanel
from gui.widgets.training_settings import LearningRateSpinBox
from tests.conftest import write_color_dataset
from tests.gui.conftest import drop_files


def test_data_panel_lists_classes_counts_and_thumbnails(qtbot: Any, color_dataset: Path) -> None:
    panel = DataPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.datasetChanged, timeout=10_000) as blocker:
        panel.set_train_dir(color_dataset)
    result = blocker.args[0]
    assert result.class_names == ("blue", "green", "red")
    assert panel.table.rowCount() == 3
    assert [panel.table.item(r, 1).text() for r in range(3)] == ["blue", "green", "red"]
    assert panel.table.item(0, 2).text() == "12"
    assert not panel.table.item(0, 0).icon().isNull()  # a thumbnail per class
    assert "3 classes · 36 images" in panel.summary.text()
    assert panel.warning.isHidden() and panel.skipped_box.isHidden()


def test_imbalance_warning_and_skipped_files(qtbot: Any, tmp_path: Path) -> None:
    root = write_color_dataset(tmp_path / "data", per_class=2, classes={"rare": (200, 0, 0)})
    write_color_dataset(root, per_class=12, classes={"common": (0, 0, 200)})
    (root / "common" / "notes.txt").write_text("not an image")
    (root / "rare" / "broken.png").write_bytes(b"\x89PNG but not really")
    panel = DataPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.datasetChanged, timeout=10_000):
        panel.set_train_dir(root)
    assert not panel.warning.isHidden()
    assert "imbalanced" in panel.warning.text() and "'rare' only 2" in panel.warning.text()
    assert not panel.skipped_box.isHidden()
    reasons = [panel.skipped_list.item(i).text() for i in range(panel.skipped_list.count())]
    assert any(r.startswith("notes.txt — not an image file type") for r in reasons)
    assert any(r.startswith("broken.png") for r in reasons)


def test_bad_folder_shows_a_message(qtbot: Any, tmp_path: Path, message_boxes: Any) -> None:
    panel = DataPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.scanFailed, timeout=10_000):
        panel.set_train_dir(tmp_path / "does-not-exist")
    assert message_boxes.errors and "does not exist" in message_boxes.errors[-1][1]
    assert panel.result is None and "does not exist" in panel.summary.text()
    (tmp_path / "empty").mkdir()
    with qtbot.waitSignal(panel.scanFailed, timeout=10_000):
        panel.set_train_dir(tmp_path / "empty")
    assert "no class folders" in message_boxes.errors[-1][1]


def test_a_folder_can_be_dropped_on_the_data_panel(qtbot: Any, color_dataset: Path) -> None:
    panel = DataPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.datasetChanged, timeout=10_000):
        drop_files(panel, [color_dataset])
    assert panel.train_dir() == str(color_dataset)


def _fake_table(n: int, ends: list[int], default: int) -> LayerTableSummary:
    """What the engine sends for a backbone, made up so this test needs no TensorFlow."""
    return LayerTableSummary(
        backbone_id="fake", names=[f"layer{i}" for i in range(n)],
        boundaries=[Boundary(e, f"layer{e - 1}", f"stage{i // 2}", i % 2 == 1) for i, e in enumerate(ends)],
        default_point=default, descriptions=[f"Frozen {i} / {n} layers" for i in range(n + 1)], scratch_params=10**6)


def _panel_with_fake_table(qtbot: Any, monkeypatch: Any) -> FreezePanel:
    monkeypatch.setitem(freeze_slider._TABLES, "fake", _fake_table(100, [10, 25, 40, 60, 80], 60))
    panel = FreezePanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_backbone("fake")
    return panel


def test_freeze_slider_snaps_to_block_boundaries(qtbot: Any, monkeypatch: Any) -> None:
    panel = _panel_with_fake_table(qtbot, monkeypatch)
    slider = panel.slider
    assert (slider.minimum(), slider.maximum()) == (0, 100)
    assert slider.value() == 60 and panel.label.text() == "Frozen 60 / 100 layers"
    assert slider.stops == [0, 10, 25, 40, 60, 80, 100]
    qtbot.keyClick(slider, Qt.Key.Key_Left)  # one step left lands on the previous boundary
    assert slider.value() == 40 and panel.label.text() == "Frozen 40 / 100 layers"
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert slider.value() == 60
    slider.setSliderDown(True)  # dragging: nearest boundary
    slider.setSliderPosition(33)
    assert slider.value() == 40
    slider.setSliderPosition(30)
    assert slider.value() == 25
    slider.setSliderDown(False)
    panel.fine_check.setChecked(True)  # fine-grained: any layer
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert slider.value() == 26 and panel.freeze_point() == 26
    panel.reset_to_default()
    assert slider.value() == 60


def test_freeze_slider_with_shift_does_not_snap(qtbot: Any, monkeypatch: Any) -> None:
    panel = _panel_with_fake_table(qtbot, monkeypatch)
    monkeypatch.setattr(freeze_slider.QApplication, "keyboardModifiers",
                        staticmethod(lambda: Qt.KeyboardModifier.ShiftModifier))
    panel.slider.setValue(57)
    assert panel.slider.value() == 57


def test_freeze_slider_is_disabled_from_scratch(qtbot: Any, monkeypatch: Any) -> None:
    panel = _panel_with_fake_table(qtbot, monkeypatch)
    panel.set_pretrained(False)
    assert not panel.slider.isEnabled() and panel.freeze_point() is None
    assert panel.label.text().startswith("Training from scratch")


def test_learning_rate_box_reads_and_steps_naturally(qtbot: Any) -> None:
    box = LearningRateSpinBox()
    qtbot.addWidget(box)
    assert box.text() == "0.001"
    box.stepBy(1)
    assert abs(box.value() - 0.002) < 1e-12
    box.stepBy(-3)
    assert abs(box.value() - 0.0002) < 1e-12
    assert box.valueFromText("3e-5") == 3e-5


def test_dropping_a_non_image_gives_a_polite_inline_message(qtbot: Any, tmp_path: Path,
                                                           message_boxes: Any) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_imagenet_backbone("efficientnet_lite0", "EfficientNet-Lite0")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    drop_files(panel.drop_area, [notes])
    assert panel.message.isVisible()
    assert "“notes.txt” is not an image" in panel.message.text()
    assert not panel.worker.is_busy() and not message_boxes.errors
