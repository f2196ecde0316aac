"""The model in use has one owner and the window's parts listen to it; the controllers work with the
few objects they are given (no window); every remembered setting is declared once and survives a
restart. Offscreen, with made-up training results and jobs, so no TensorFlow is needed."""
from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSpinBox, QStatusBar, QWidget

from core.bundles.evaluate import evaluate_probabilities
from gui import model_files
from gui.diagnostics import StallProbe
from gui.model_files import ModelFiles
from gui.model_in_use import ModelInUse, ModelInUseDisplay
from gui.panels import Panels
from gui.training_control import TrainingControl
from gui.weights_folder import SETTING_KEY, WeightsFolderSetting
from gui.widgets import freeze_slider
from gui.widgets.backbone_picker import BackbonePicker
from gui.widgets.method_choice import MethodChoice
from gui.widgets.prediction_panel import PredictionPanel
from gui.widgets.results_panel import ResultsPanel
from gui.widgets.training_settings import TrainingSettings
from gui.window_settings import restore_window_settings, save_window_settings
from gui.worker import Worker
from tests.conftest import write_color_dataset
from tests.gui.conftest import fake_training as _fake_training
from tests.gui.test_methods import DEFAULT_BACKBONE, _fake_table

CLASSES = ["brick", "grass", "gravel"]
LABELS = {"finetune": "fine-tuning", "svm": "embeddings + linear SVM", "logreg": "embeddings + logistic regression"}


def _evaluation(accuracy: float) -> dict[str, Any]:
    """core's own evaluation of made-up probabilities, ``accuracy`` of them right."""
    n = 20
    labels = [i % len(CLASSES) for i in range(n)]
    wrong = round(n * (1 - accuracy))
    probs = np.full((n, len(CLASSES)), 0.1)
    probs[np.arange(n), [(label + (i < wrong)) % len(CLASSES) for i, label in enumerate(labels)]] = 0.8
    return evaluate_probabilities(probs, labels, CLASSES)


def _summary(method: str = "finetune", accuracy: float = 0.9, kept: str | None = "/runs/1/finetune") -> Any:
    """What the engine reports for a finished run (the fields the window reads)."""
    metrics = {"val_accuracy": accuracy, "val_loss": 0.3, "method": method, "elapsed_s": 2.0,
               "evaluation": _evaluation(accuracy)}
    if method != "finetune":
        metrics["classifier"] = {"C": 0.5}
    return SimpleNamespace(handle=f"trained:{method}", class_names=tuple(CLASSES), backbone=DEFAULT_BACKBONE,
                           data_dir="/data/textures", metrics=metrics, best_epoch=None, history=[], method=method,
                           method_label=LABELS[method], kept_path=kept, kept_error=None)


@pytest.fixture
def display(qtbot: Any) -> SimpleNamespace:
    """A ModelInUse and, listening to it, the real Try-it panel, Results, method chooser, Save action and
    status bar; nothing else."""
    host = QWidget()
    qtbot.addWidget(host)
    parts = SimpleNamespace(host=host, model=ModelInUse(), predict=PredictionPanel(host), results=ResultsPanel(host),
                            method=MethodChoice(host), backbone=BackbonePicker(host), save=QAction("Save", host),
                            status=QStatusBar(host))
    parts.save.setEnabled(False)
    ModelInUseDisplay(parts.model, parts.predict, parts.results, parts.method, parts.backbone, parts.save,
                      parts.status)
    return parts


def test_each_change_of_the_model_in_use_reaches_try_it_results_save_and_the_status(display: Any) -> None:
    d = display
    changes: list[str] = []
    d.model.changed.connect(changes.append)
    assert not d.predict.uses_model() and not d.save.isEnabled()

    trained = _summary()
    d.model.use_trained(trained)
    assert d.predict._model_handle == "trained:finetune" and "not saved yet" in d.predict.source.text()
    assert "kept in the app's runs folder" in d.predict.source.text()
    assert d.results.summary.text().startswith("Fine-tuned: accuracy 90 % (70-97 %) on 20 validation images")
    assert d.save.isEnabled()
    assert d.status.currentMessage() == ("In use: the fine-tuning model: validation accuracy 90 % (70-97 %) on 20 "
                                         "validation images (a rough number: few validation images per class).")

    d.model.mark_saved("/models/textures-model")
    assert d.model.path == "/models/textures-model" and d.model.result is trained
    assert "“textures-model”" in d.predict.source.text() and "not saved" not in d.predict.source.text()
    assert d.save.isEnabled()

    compared = {m: _summary(m, acc, f"/runs/2/{m}") for m, acc in (("finetune", 0.8), ("svm", 0.95))}
    d.model.set_comparison(compared)
    assert not d.method.table.isHidden() and d.method.table.rowCount() == 2
    d.model.use_trained(compared["svm"])
    assert d.model.path is None and "not saved yet" in d.predict.source.text()
    assert d.status.currentMessage() == ("In use: the embeddings + linear SVM model, C = 0.5: validation accuracy "
                                         "95 % (76-99 %) on 20 validation images (a rough number: few validation "
                                         "images per class).")
    assert d.results.summary.text().startswith("Embeddings + SVM: accuracy 95 % (76-99 %) on 20 validation images")
    assert d.results.rough.isVisibleTo(d.results) and "rough" in d.results.rough.text()

    d.model.switch_to_kept()  # the engine died: same models, their kept bundles
    assert d.predict._model_handle == "bundle:/runs/2/svm"
    assert {r.handle for r in d.model.comparison.values()} == {"bundle:/runs/2/finetune", "bundle:/runs/2/svm"}

    bundle = SimpleNamespace(handle="bundle:/models/cells", class_names=["a", "b"], history=[],
                             config={"train": {"backbone": DEFAULT_BACKBONE}}, method="finetune",
                             method_label="fine-tuning", metrics={"method": "finetune", "evaluation": _evaluation(0.7)})
    d.model.use_opened("/models/cells", bundle)
    assert d.model.result is None and d.model.comparison == {} and d.model.path == "/models/cells"
    assert d.predict._model_handle == "bundle:/models/cells" and "model “cells”" in d.predict.source.text()
    assert d.method.table.isHidden() and not d.save.isEnabled()
    assert d.results.summary.text().startswith("Fine-tuned: accuracy 70 % (48-85 %) on 20 validation images")
    assert changes == ["trained", "saved", "comparison", "trained", "handle", "opened"]


def test_the_comparison_held_by_the_model_in_use_cannot_be_changed_from_outside(display: Any) -> None:
    display.model.set_comparison({"svm": _summary("svm")})
    display.model.comparison.clear()
    assert list(display.model.comparison) == ["svm"]




def test_the_controllers_work_with_the_objects_they_are_given_and_no_window(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run, a save and a weights folder change, with the panels, the workers, the model in use and a
    status bar: no MainWindow exists, so none can be reached into."""
    host = QWidget()  # the dialogs' parent
    qtbot.addWidget(host)
    panels = Panels.create()
    for panel in (panels.data, panels.backbone, panels.freeze, panels.training, panels.curves, panels.results,
                  panels.predict):
        panel.setParent(host)
    status, model = QStatusBar(host), ModelInUse(host)
    save_action = QAction("Save", host)
    ModelInUseDisplay(model, panels.predict, panels.results, panels.method, panels.backbone, save_action, status)
    train_worker, files_worker = Worker("training", host), Worker("files", host)
    control = TrainingControl(panels, train_worker, model, status, StallProbe(parent=host), parent=host)
    panels.method.set_method("finetune")  # the fake job stands for a TrainRequest; the default is Auto
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]

    trained = _summary()
    release = threading.Event()
    _fake_training(monkeypatch, trained, release)
    running: list[bool] = []
    control.runningChanged.connect(running.append)
    panels.data.set_train_dir(write_color_dataset(tmp_path / "textures", per_class=3), scan=False)
    control.start_training()
    assert train_worker.is_busy() and not panels.training.train_button.isEnabled()
    release.set()
    with qtbot.waitSignals([control.trainingFinished, control.runEnded], timeout=10_000):
        pass
    assert model.result is trained and running == [True, False]
    assert panels.training.train_button.isEnabled() and save_action.isEnabled()
    assert "Done" in panels.training.status.text() and status.currentMessage().startswith("In use:")
    qtbot.waitUntil(lambda: not control.probe.is_active(), timeout=5_000)
    assert control.last_stall_ms is not None

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    files = ModelFiles(model, files_worker, settings, status, QMenu(host), panels.curves, panels.training, host)
    monkeypatch.setattr(model_files, "remote", lambda *args, **kwargs: lambda _sink, _cancel: str(tmp_path / "saved"))
    with qtbot.waitSignal(files.modelSaved, timeout=10_000):
        files.save_model(str(tmp_path / "saved"))
    assert model.path == str(tmp_path / "saved") and "“saved”" in panels.predict.source.text()
    assert [a.text() for a in files.recent_menu.actions()][:1] == [str(tmp_path / "saved")]

    weights = WeightsFolderSetting(settings, status, host)
    with qtbot.waitSignal(weights.folderChanged, timeout=5_000) as changed:
        weights.set_folder(tmp_path)
    assert changed.args == [str(tmp_path)] and settings.value(SETTING_KEY) == str(tmp_path)
    weights.set_folder("")
    qtbot.waitUntil(lambda: not train_worker.is_busy() and not files_worker.is_busy(), timeout=10_000)


def test_a_setting_declared_once_is_saved_and_restored(qtbot: Any, tmp_path: Path) -> None:
    """A row added with a settings key needs nothing else to be remembered; a value that cannot be read
    keeps the default."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def panel() -> tuple[TrainingSettings, QSpinBox]:
        training, extra = TrainingSettings(), QSpinBox()
        qtbot.addWidget(training)
        extra.setRange(0, 99)
        training.add_advanced_row("Extra", extra, setting="extra")
        return training, extra

    first, extra = panel()
    extra.setValue(7)
    first.epochs.setValue(5)
    first.learning_rate.setValue(2e-4)
    first.augment["zoom"].setChecked(True)
    save_window_settings(settings, [("train", first)])
    assert settings.value("train/extra") == 7 and settings.value("train/augment/zoom") is True
    settings.setValue("train/seed", "not a number")
    second, extra_again = panel()
    restore_window_settings(settings, [("train", second)])
    assert extra_again.value() == 7 and second.epochs.value() == 5 and second.augment["zoom"].isChecked()
    assert second.seed.value() == 42  # unreadable: the default
    assert {k: v for k, v in second.settings().items() if k != "seed"} == \
           {k: v for k, v in first.settings().items() if k != "seed"}


def test_every_remembered_setting_survives_a_restart(qtbot: Any, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """What each panel says it remembers is what the next window shows: one declaration per setting."""
    from gui.app import MainWindow

    monkeypatch.setitem(freeze_slider._TABLES, DEFAULT_BACKBONE, _fake_table(DEFAULT_BACKBONE))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    data = write_color_dataset(tmp_path / "textures", per_class=3)
    held_out = write_color_dataset(tmp_path / "held-out", per_class=2)
    first = MainWindow(settings=settings)
    first.persist = False
    t = first.training
    first.data_panel.set_train_dir(data, scan=False)
    first.data_panel.set_val_dir(held_out, scan=False)
    first.data_panel.split_spin.setValue(30)
    first.freeze.fine_check.setChecked(True)
    first.freeze.set_freeze_point(25)  # a block end: no snapping when it comes back
    t.epochs.setValue(12)
    t.warmup.setValue(3)
    t.batch_size.setValue(8)
    t.learning_rate.setValue(5e-4)
    t.augment["rotation"].setChecked(True)
    t.early_stop.setChecked(True)
    t.patience.setValue(5)
    t.image_size.setValue(160)
    t.seed.setValue(7)
    first.use_cache.setChecked(False)
    first.method.set_method("logreg")
    first.panels.groups.set_group_by(r"^(s\d)_")  # the keep-together rule (gui/widgets/group_setting.py)
    first.save_settings()
    saved = [(group, remembered.settings()) for group, remembered in first.remembered if group != "window"]
    first.close()
    first.deleteLater()

    second = MainWindow(settings=settings)
    second.persist = False
    try:
        assert second.data_panel.last_session_train_dir == str(data)
        with qtbot.waitSignal(second.data_panel.datasetChanged, timeout=20_000):
            second.load_startup_data()
        restored = [(group, remembered.settings()) for group, remembered in second.remembered if group != "window"]
        assert restored == saved
        assert ("model/freeze", {DEFAULT_BACKBONE: 25}) in saved and ("train", {"method": "logreg", "autoBudget": 5.0}) in saved
        data_settings = {key: value for group, values in saved if group == "data" for key, value in values.items()}
        assert data_settings["valDir"] == str(held_out) and data_settings["trainDir"] == str(data)
        assert (data_settings["groupBy"], data_settings["groupPattern"]) == ("pattern", r"^(s\d)_")
        assert second.freeze.embedding_mode and not second.training.epochs.isEnabled()  # the method applies
        second.method.set_method("finetune")
        assert second.freeze.slider.value() == 25
    finally:
        qtbot.waitUntil(second.is_idle, timeout=60_000)
        second.close()
        second.deleteLater()


def test_a_validation_folder_is_scanned_with_the_training_folder(qtbot: Any, tmp_path: Path) -> None:
    """(Found by the restart test: the scan named a function it never imported when a validation folder
    was set, so a remembered validation folder made the folder unusable.)"""
    from gui.widgets.data_panel import DataPanel

    panel = DataPanel()
    qtbot.addWidget(panel)
    panel.set_val_dir(write_color_dataset(tmp_path / "held-out", per_class=2), scan=False)
    with qtbot.waitSignal(panel.datasetChanged, timeout=20_000) as changed:
        panel.set_train_dir(write_color_dataset(tmp_path / "train", per_class=3))
    result = changed.args[0]
    assert result is not None and result.val_counts is not None and sum(result.val_counts.values()) == 6
