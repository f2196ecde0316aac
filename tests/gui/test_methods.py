"""The method choice, the Results tab, the cache setting and the weights folder in the real window.

The first tests use a made-up layer table (no TensorFlow); the svm run and the comparison go
through the engine with the tiny MobileNetV2 x0.35 at 64 px, so they take seconds.
"""
from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from core.backbones import Boundary, get_backbone
from core.engine.requests.layer_table import LayerTableSummary
from core.engine.requests.status import WeightsDirsRequest
from gui import training_control
from gui.app import MainWindow
from gui.errors import user_message
from gui.widgets import freeze_slider
from gui.widgets.freeze_slider import NOT_CACHEABLE
from gui.worker import EngineClient, Worker, remote
from tests.gui.test_flow import TINY, choose_tiny_setup

DEFAULT_BACKBONE = "efficientnet_lite0"


def _fake_table(backbone_id: str) -> LayerTableSummary:
    """100 layers, block ends at 10/25/40/60/80, the feature cache can split only at block ends."""
    n, ends = 100, [10, 25, 40, 60, 80]
    per_layer = [1000] * n
    return LayerTableSummary(
        backbone_id=backbone_id, names=[f"layer{i}" for i in range(n)],
        boundaries=[Boundary(e, f"layer{e - 1}", f"stage{i // 2}", i % 2 == 1) for i, e in enumerate(ends)],
        default_point=60, descriptions=[f"Frozen {i} / {n} layers" for i in range(n + 1)], scratch_params=10**6,
        trainable_params=[sum(per_layer[i:]) for i in range(n + 1)], total_params=120_000, feature_dim=1280,
        cacheable=[*ends, n])


@pytest.fixture
def fake_window(qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """A window whose default backbone has the made-up layer table (its slider works at once)."""
    monkeypatch.setitem(freeze_slider._TABLES, DEFAULT_BACKBONE, _fake_table(DEFAULT_BACKBONE))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, restore=False)
    win.persist = False
    win.show()
    qtbot.waitExposed(win)
    assert win.freeze.table is not None
    win.method.set_method("finetune")  # these tests start from fine-tuning; Auto, the default: test_auto_window.py
    yield win
    qtbot.waitUntil(win.is_idle, timeout=60_000)
    win.close()
    win.deleteLater()


def test_method_switch_disables_epoch_controls_and_moves_the_slider(qtbot: Any, fake_window: MainWindow) -> None:
    win, t = fake_window, fake_window.training
    slider, label = win.freeze.slider, win.freeze.label
    epoch_controls = [t.epochs, t.warmup, t.learning_rate, *t.augment.values(), t.early_stop]
    assert slider.value() == 60 and "Frozen 60 / 100 layers" in label.text()
    assert "trainable 40.0 k of 120.0 k parameters" in label.text() and NOT_CACHEABLE not in label.text()
    win.freeze.set_class_count(3)  # the new head: (1280 + 1) * 3 weights
    assert "trainable 43.8 k of 123.8 k parameters (new head included)" in label.text()
    win.freeze.fine_check.setChecked(True)
    win.freeze.set_freeze_point(57)  # inside a block: the feature cache cannot split there
    assert label.text().endswith(NOT_CACHEABLE)

    win.method.set_method("svm")
    assert not any(w.isEnabled() for w in epoch_controls) and not t.patience.isEnabled()
    assert t.batch_size.isEnabled() and t.seed.isEnabled() and win.use_cache.isEnabled()
    assert slider.value() == 100 and label.text().startswith("Features: the network's final output")
    win.freeze.set_freeze_point(80)  # an intermediate feature layer
    assert "output of layer79" in label.text()
    kwargs = win.train_config_kwargs()
    assert kwargs["method"] == "svm" and kwargs["freeze"] == 80

    win._lock_inputs(True)  # a run starts and ends: the epoch controls stay off for the embeddings method
    assert not win.method.isEnabled() and not win.method.combo.isEnabled()
    win._lock_inputs(False)
    assert not any(w.isEnabled() for w in epoch_controls) and win.method.combo.isEnabled()

    win.method.set_method("finetune")  # back: the fine-tuning point returns, the controls too
    assert slider.value() == 57 and all(w.isEnabled() for w in epoch_controls)
    assert win.train_config_kwargs()["freeze"] == 57
    win.method.set_method("logreg")
    assert slider.value() == 80  # the feature layer is remembered as well
    win.save_settings()
    assert int(win.settings.value(f"model/freeze/{DEFAULT_BACKBONE}")) == 57  # never the feature layer
    assert win.settings.value("train/method") == "logreg"


def test_cache_checkbox_reaches_the_train_config(qtbot: Any, fake_window: MainWindow, tmp_path: Path) -> None:
    from core.config import TrainConfig

    win = fake_window
    box = win.findChild(type(win.use_cache), "useCacheCheck")
    assert box is win.use_cache and box.isChecked() and box.text() == "Use caches (faster)"
    win.data_panel.set_train_dir(tmp_path, scan=False)
    assert TrainConfig.from_json(win.train_config_kwargs()).use_cache is True
    box.setChecked(False)
    config = TrainConfig.from_json(win.train_config_kwargs())
    assert config.use_cache is False and config.method == "finetune"
    win.save_settings()
    again = MainWindow(settings=win.settings)
    again.persist = False
    try:
        assert not again.use_cache.isChecked()
    finally:
        qtbot.waitUntil(again.is_idle, timeout=60_000)
        again.close()
        again.deleteLater()


def test_svm_run_shows_the_confusion_matrix(qtbot: Any, window: MainWindow, color_dataset: Path,
                                            tiny_weights_file: Path, message_boxes: Any) -> None:
    choose_tiny_setup(qtbot, window, color_dataset, tiny_weights_file, epochs=2, warmup=1)
    table = window.freeze.table
    # The engine's real table: where the cache cannot split, the label says so; the head is counted.
    inside = next(n for n in range(1, len(table.names)) if n not in table.cacheable)
    window.freeze.fine_check.setChecked(True)
    window.freeze.set_freeze_point(inside)
    assert window.freeze.label.text().endswith(NOT_CACHEABLE)
    assert "(new head included)" in window.freeze.label.text()
    window.freeze.fine_check.setChecked(False)

    window.method.set_method("svm")
    assert window.freeze.slider.value() == len(table.names)
    with qtbot.waitSignal(window.trainingFinished, timeout=120_000) as blocker:
        qtbot.mouseClick(window.training.train_button, Qt.MouseButton.LeftButton)
    result, cancelled = blocker.args
    assert not cancelled and result.method == "svm" and result.metrics["method"] == "svm"
    evaluation = window.results.evaluation
    assert evaluation is not None and evaluation["class_names"] == ["blue", "green", "red"]
    assert window.results.axes.images[0].get_array().shape == (3, 3)
    assert window.results.table.rowCount() == 3
    assert window.results.summary.text().startswith("Embeddings + SVM: accuracy")
    assert window.result_tabs.currentWidget() is window.results_page
    assert "embeddings + linear SVM model" in window.predict.source.text()
    assert not window.training.epochs.isEnabled()  # still the embeddings method after the run
    assert window.training.train_button.isEnabled() and window.method.combo.isEnabled()
    assert not message_boxes.errors


def test_compare_shows_every_accuracy_and_keeps_the_best(qtbot: Any, window: MainWindow, color_dataset: Path,
                                                          tiny_weights_file: Path, message_boxes: Any) -> None:
    choose_tiny_setup(qtbot, window, color_dataset, tiny_weights_file, epochs=2, warmup=1)
    statuses: list[str] = []
    real_set_status = window.training.set_status
    window.training.set_status = lambda text, state="": (statuses.append(text), real_set_status(text, state))[1]
    with qtbot.waitSignal(window.comparisonFinished, timeout=180_000) as blocker:
        qtbot.mouseClick(window.method.compare_button, Qt.MouseButton.LeftButton)
        assert not window.training.train_button.isEnabled() and not window.method.compare_button.isEnabled()
    results, cancelled = blocker.args
    assert not cancelled and set(results) == {"finetune", "svm", "logreg"}
    # each method is announced by its name, as the menu and the table name it (not its id, "svm")
    assert "Comparing methods: embeddings + linear SVM (2/3)…" in statuses, statuses
    table = window.method.table
    assert table.isVisible() and table.rowCount() == 3
    shown = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(3)}
    for method, result in results.items():
        text = shown[{"finetune": "Fine-tune the network", "svm": "Embeddings + SVM",
                      "logreg": "Embeddings + logistic regression"}[method]]
        # the accuracy with its 95 % interval, as the engine worded it ("33 % (10-70 %) on 9 validation images")
        assert text.startswith(result.metrics["val_accuracy_text"].split(" on ")[0]), (text, result.metrics)
    best = max(results, key=lambda m: (results[m].metrics["val_accuracy"], -results[m].metrics["val_loss"]))
    assert window.result is results[best] and window.method.method() == best
    assert window.results.evaluation == results[best].metrics["evaluation"]
    assert window.curves.epochs == [1, 2]  # the fine-tuning run drew its curves

    other = next(m for m in ("svm", "logreg", "finetune") if m != best)
    row = next(r for r in range(3) if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == other)
    table.cellDoubleClicked.emit(row, 0)
    assert window.result is results[other] and window.method.method() == other
    image = sorted((color_dataset / "red").iterdir())[0]
    with qtbot.waitSignal(window.predict.predictionsShown, timeout=60_000):  # the chosen model is in the engine
        window.predict.predict_files([str(image)])
    assert len(window.predict.list.cards()[0].bars) == 3
    assert not message_boxes.errors


def _engine_weights_dirs(qtbot: Any) -> list[str]:
    worker = Worker("test")
    with qtbot.waitSignal(worker.finished, timeout=60_000) as blocker:
        worker.start(remote(WeightsDirsRequest()))
    qtbot.waitUntil(lambda: not worker.is_busy())
    return blocker.args[0]


def test_weights_folder_reaches_the_engine_and_the_backbone_list(qtbot: Any, window: MainWindow, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FTS_WEIGHTS_DIR", "")  # restored after the test, whatever the window sets
    folder = tmp_path / "lab-weights"
    folder.mkdir()
    (folder / get_backbone(TINY).notop_weights_file).write_bytes(b"pre-placed by the admin")
    combo = window.backbone.combo
    index = combo.findData(TINY)
    assert window.backbone.info(TINY).weights == "download" and combo.itemText(index).endswith("⤓")
    try:
        with qtbot.waitSignal(window.weightsFolderChanged):
            window.set_weights_folder(folder)
        assert window.settings.value("model/weightsFolder") == str(folder)
        assert window.backbone.info(TINY).weights == "cached" and not combo.itemText(index).endswith("⤓")
        window.backbone.set_current(TINY)
        assert "already on this computer" in window.backbone.description.text()
        assert _engine_weights_dirs(qtbot) == [str(folder)]
    finally:
        window.set_weights_folder("")
    assert window.backbone.info(TINY).weights == "download"
    assert _engine_weights_dirs(qtbot) == []


def test_a_new_engine_starts_with_the_weights_folder(qtbot: Any, tmp_path: Path) -> None:
    client = EngineClient()
    client.set_env(FTS_WEIGHTS_DIR=str(tmp_path))
    inbox: queue.Queue = queue.Queue()
    try:
        client.submit(WeightsDirsRequest(), inbox.put)
        message = inbox.get(timeout=60)
        assert message[0] == "done" and message[2] == [str(tmp_path)]
        client.set_env(FTS_WEIGHTS_DIR="")  # and a running engine follows a change
        client.submit(WeightsDirsRequest(), inbox.put)
        assert inbox.get(timeout=60)[2] == []
    finally:
        client.shutdown()


def test_missing_weights_become_a_plain_message_naming_file_and_folder(
        qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, message_boxes: Any) -> None:
    from core.backbones.weights import WeightsUnavailableError

    monkeypatch.setenv("FTS_WEIGHTS_DIR", "")
    file_name = get_backbone("resnet50").notop_weights_file
    error = WeightsUnavailableError(file_name, "https://example.org/" + file_name, tmp_path / "keras-cache",
                                    "Name or service not known")
    message, _ = user_message(error)
    assert file_name in message and str(tmp_path / "keras-cache") in message and "Traceback" not in message

    def job(_sink: Any, _cancel: threading.Event) -> None:
        raise error

    monkeypatch.setattr(training_control, "training_job", lambda kwargs: job)
    window.data_panel.set_train_dir(tmp_path, scan=False)
    folder = tmp_path / "lab-weights"
    try:
        window.set_weights_folder(folder)
        with qtbot.waitSignal(window.trainingFailed, timeout=30_000):
            window.start_training()
    finally:
        window.set_weights_folder("")
    title, text = message_boxes.errors[-1]
    assert title == "Training failed"
    assert file_name in text and str(folder) in text and "Settings › Weights folder" in text
    assert "https://example.org/" in text and "EfficientNet-Lite0" in text
