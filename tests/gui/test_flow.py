"""The whole application in a real window, with TensorFlow on worker threads: choose a folder,
pick a tiny backbone, move the freeze slider, train, watch the curves, drop images, save and
open the model; stop mid-run; close mid-run; a bad folder. Tiny images and 1-2 epochs keep it fast."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui.app import MainWindow
from gui.worker import wait_for_all
from tests.conftest import write_color_dataset
from tests.gui.conftest import drop_files

TINY = "mobilenet_v2_035"


def choose_tiny_setup(qtbot: Any, window: MainWindow, data: Path, weights: Path, epochs: int, warmup: int,
                      batch_size: int = 8) -> None:
    with qtbot.waitSignal(window.data_panel.datasetChanged, timeout=20_000):
        window.data_panel.set_train_dir(data)
    assert window.backbone.set_current(TINY)
    window.backbone.set_weights_file(weights)
    window.method.set_method("finetune")  # the window's default is Auto (tests/gui/test_auto_window.py)
    window.training.image_size.setValue(64)
    window.training.epochs.setValue(epochs)
    window.training.warmup.setValue(warmup)
    window.training.batch_size.setValue(batch_size)
    qtbot.waitUntil(lambda: window.freeze.table is not None and window.freeze.backbone_id == TINY, timeout=60_000)


def bars_of(card: Any) -> list[tuple[str, float]]:
    return [(bar.label, bar.probability) for bar in card.bars]


def test_imagenet_top5_before_training(qtbot: Any, window: MainWindow, color_dataset: Path) -> None:
    """Before any training the default backbone's ImageNet classifier answers with five bars."""
    assert window.backbone.current_id() == "efficientnet_lite0"
    image = next((color_dataset / "red").iterdir())
    with qtbot.waitSignal(window.predict.predictionsShown, timeout=90_000):
        drop_files(window.predict.drop_area, [image])
    cards = window.predict.list.cards()
    assert len(cards) == 1
    bars = bars_of(cards[0])
    assert len(bars) == 5
    probabilities = [p for _, p in bars]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(label and 0 <= p <= 1 for label, p in bars)
    assert "ImageNet" in window.predict.source.text()


def test_full_flow(qtbot: Any, window: MainWindow, color_dataset: Path, tiny_weights_file: Path,
                   tmp_path: Path, message_boxes: Any) -> None:
    choose_tiny_setup(qtbot, window, color_dataset, tiny_weights_file, epochs=2, warmup=1)
    slider, label = window.freeze.slider, window.freeze.label
    before = label.text()
    assert before.startswith("Frozen ") and "layers — up to " in before and "parameters" in before
    assert slider.maximum() == len(window.freeze.table.names)
    qtbot.keyClick(slider, Qt.Key.Key_Left)  # previous block boundary
    assert label.text() != before and slider.value() in slider.stops
    frozen = slider.value()

    epochs: list[Any] = []
    window.train_worker.epochEnded.connect(epochs.append)
    with qtbot.waitSignal(window.trainingFinished, timeout=120_000) as blocker:
        qtbot.mouseClick(window.training.train_button, Qt.MouseButton.LeftButton)
        assert window.training.stop_button.isEnabled() and not window.training.train_button.isEnabled()
        assert not window.backbone.combo.isEnabled() and not window.freeze.slider.isEnabled()
    result, cancelled = blocker.args
    assert not cancelled and result is not None
    assert result.frozen_layers == frozen
    assert [e.epoch for e in epochs] == [0, 1]
    curves = window.curves
    assert curves.epochs == [1, 2]  # every epoch reached the curves
    assert len(curves.loss) == len(curves.val_loss) == len(curves.acc) == len(curves.val_acc) == 2
    assert curves.batch_x and curves.batch_x[-1] == pytest.approx(2.0)
    assert curves.phase_marks == [(1.0, "fine-tuning starts")]
    assert curves.draw_count + curves.blit_count >= 2
    assert window.training.train_button.isEnabled() and not window.training.stop_button.isEnabled()
    assert window.backbone.combo.isEnabled() and window.freeze.slider.isEnabled()
    assert "validation accuracy" in window.training.status.text()
    evaluation = window.results.evaluation  # the Results tab shows the run's validation evaluation
    assert evaluation is not None and len(evaluation["confusion_matrix"]) == 3
    assert window.results.summary.text().startswith("Fine-tuned: accuracy")
    assert window.result_tabs.currentWidget() is window.curves  # fine-tuning: the curves stay in view
    # The target is < 50 ms (see benchmarks/gui_responsiveness.py for the real measurement); the
    # bound here is loose so a busy CI machine does not fail it, but it still catches TensorFlow
    # running in the window's process again (320 ms stalls when it did).
    assert window.last_stall_ms is not None and window.last_stall_ms < 250
    print(f"\nlongest event-loop stall during training: {window.last_stall_ms:.1f} ms "
          f"(p99 {window.stall_probe.percentile(99):.1f} ms over {window.stall_probe.ticks} ticks)")

    # Predictions now come from the fine-tuned model: min(5, 3 classes) ranked bars.
    image = sorted((color_dataset / "green").iterdir())[0]
    notes = tmp_path / "readme.txt"
    notes.write_text("not an image")
    with qtbot.waitSignal(window.predict.predictionsShown, timeout=60_000):
        drop_files(window.predict.drop_area, [image, notes])
    card = window.predict.list.cards()[0]
    bars = bars_of(card)
    assert len(bars) == min(5, 3)
    assert [p for _, p in bars] == sorted((p for _, p in bars), reverse=True)
    assert {name for name, _ in bars} == {"red", "green", "blue"}
    assert "readme.txt" in window.predict.message.text()
    assert "fine-tuned" in window.predict.source.text()

    # Save, then open the bundle again; it joins the recent models.
    target = tmp_path / "bundle"
    with qtbot.waitSignal(window.modelSaved, timeout=60_000):
        window.save_model(str(target))
    assert (target / "model.keras").is_file()
    window.results.show_metrics(None)
    with qtbot.waitSignal(window.modelOpened, timeout=60_000):
        window.open_model(str(target))
    assert window.recent_menu.actions()[0].text() == str(target)
    assert window.curves.epochs == [1, 2]  # the bundle's history
    assert window.results.evaluation == evaluation  # and its metrics.json
    with qtbot.waitSignal(window.predict.predictionsShown, timeout=60_000):
        drop_files(window.predict.drop_area, [image])
    assert len(window.predict.list.cards()[0].bars) == 3
    assert not message_boxes.errors


def _bigger_dataset(tmp_path: Path) -> Path:
    return write_color_dataset(tmp_path / "bigger", per_class=40, size=40)


def test_stop_mid_run(qtbot: Any, window: MainWindow, tmp_path: Path, tiny_weights_file: Path,
                      message_boxes: Any) -> None:
    choose_tiny_setup(qtbot, window, _bigger_dataset(tmp_path), tiny_weights_file, epochs=30, warmup=1,
                      batch_size=4)
    batches: list[Any] = []
    window.train_worker.batchesEnded.connect(batches.extend)
    qtbot.mouseClick(window.training.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(batches) >= 3, timeout=120_000)
    with qtbot.waitSignal(window.trainingFinished, timeout=60_000) as blocker:
        stopped_at = len(batches)
        clicked = time.perf_counter()
        qtbot.mouseClick(window.training.stop_button, Qt.MouseButton.LeftButton)
    took = time.perf_counter() - clicked
    assert blocker.args[1] is True  # cancelled
    per_epoch = batches[0].batches
    # Batches still in flight when Stop was clicked (up to 50 ms of them wait in the throttle) arrive
    # afterwards; the engine itself stops after the batch it is running.
    assert len(batches) - stopped_at <= 8, "training went on after Stop"
    assert len(batches) < 2 * per_epoch + 3  # nowhere near the 30 epochs asked for
    assert took < 30
    assert "Stopped" in window.training.progress.format()
    assert window.training.train_button.isEnabled()
    assert not message_boxes.errors


def test_close_mid_run_stops_cleanly(qtbot: Any, tmp_path: Path, tiny_weights_file: Path,
                                    message_boxes: Any) -> None:
    win = MainWindow(restore=False)
    qtbot.addWidget(win)
    win.show()
    choose_tiny_setup(qtbot, win, _bigger_dataset(tmp_path), tiny_weights_file, epochs=30, warmup=1, batch_size=4)
    batches: list[Any] = []
    win.train_worker.batchesEnded.connect(batches.extend)
    win.start_training()
    qtbot.waitUntil(lambda: len(batches) >= 2, timeout=120_000)

    message_boxes.answer = message_boxes.answer.__class__.No  # "keep training"
    win.close()
    assert win.isVisible() and win.is_training()
    message_boxes.answer = message_boxes.answer.__class__.Yes
    started = time.perf_counter()
    win.close()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=60_000)
    assert len(message_boxes.questions) == 2
    assert win.is_idle() and not win.is_training()
    assert wait_for_all(10_000)
    print(f"\nclosed {time.perf_counter() - started:.2f} s after confirming")
    assert not message_boxes.errors


def test_training_a_bad_folder_shows_a_message(qtbot: Any, window: MainWindow, tmp_path: Path,
                                               message_boxes: Any) -> None:
    with qtbot.waitSignal(window.data_panel.scanFailed, timeout=10_000):
        window.data_panel.set_train_dir(tmp_path / "missing")
    assert "does not exist" in message_boxes.errors[-1][1]
    one_class = write_color_dataset(tmp_path / "one", per_class=3, classes={"only": (1, 2, 3)})
    window.data_panel.set_train_dir(one_class)
    with qtbot.waitSignal(window.trainingFailed, timeout=120_000) as blocker:
        window.start_training()
    assert "at least two classes" in blocker.args[0]
    assert message_boxes.errors[-1][0] == "Training failed"
    assert "Traceback" not in message_boxes.errors[-1][1]
    # The inputs are unlocked again; Train stays refused while the folder has one class (issue 9).
    assert window.backbone.combo.isEnabled() and not window.training.stop_button.isEnabled()
    qtbot.waitUntil(lambda: window.data_panel.result is not None, timeout=10_000)
    assert not window.training.train_button.isEnabled() and "two classes" in window.training.train_button.toolTip()
