"""The Runs tab (gui/widgets/runs_tab.py, gui/widgets/runs_compare.py, gui/runs_control.py) on a run
store of its own (FTS_DATA_DIR of this module, in the window and in the engine): runs recorded
through RunStore's API with histories, and one real tiny run (MobileNetV2 x0.35 at 64 px) stopped
after its first of two epochs, saved, then opened and continued from the tab in the real engine."""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.runs.store import RunStore, now
from gui.widgets import freeze_slider
from gui.widgets.runs_compare import run_label
from gui.widgets.runs_tab import COLUMNS
from gui.worker import engine
from tests.conftest import write_color_dataset
from tests.gui.test_methods import _fake_table


def _config(data: Path, **changes: Any) -> dict[str, Any]:
    config = {"data_dir": str(data), "backbone": "efficientnet_lite0", "weights": "imagenet", "freeze": 40,
              "epochs": 5, "warmup_epochs": 1, "batch_size": 16, "learning_rate": 0.001, "image_size": None,
              "val_dir": None, "val_split": 0.2, "augment": {"flip": False, "rotation": False, "zoom": False,
                                                           "contrast": False},
              "early_stopping_patience": 0, "seed": 42, "use_cache": True, "method": "finetune"}
    return {**config, **changes}


def _record(store: RunStore, config: dict[str, Any], accuracies: list[float], status: str = "completed",
            pid: int | None = None) -> str:
    """A run as the recorder writes it: created, one history row per epoch, then its outcome."""
    run = store.create(config, data_dir=config["data_dir"], versions={"tensorflow": "2.21"}, pid=pid)
    for epoch, accuracy in enumerate(accuracies, start=1):
        store.add_epoch(run.id, {"epoch": epoch, "phase": "warmup" if epoch == 1 else "finetune",
                                 "loss": 1.0 / epoch, "accuracy": accuracy, "val_loss": 1.2 / epoch,
                                 "val_accuracy": accuracy, "lr": config["learning_rate"]})
    if status != "running":
        store.update(run.id, status=status, ended=now(), metrics={"val_accuracy": accuracies[-1]})
    return run.id


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """This module's data folder, for the window's process and the engine's (restored afterwards)."""
    folder = tmp_path_factory.mktemp("runs-home")
    before = os.environ["FTS_DATA_DIR"]
    os.environ["FTS_DATA_DIR"] = str(folder)
    engine().set_env(FTS_DATA_DIR=str(folder))
    yield folder
    os.environ["FTS_DATA_DIR"] = before
    engine().set_env(FTS_DATA_DIR=before)


@pytest.fixture(scope="module")
def runs(home: Path, tiny_weights_file: Path) -> dict[str, Any]:
    """Three recorded runs (completed at 90 %, completed at 60 % with other settings, interrupted) and
    one real run stopped after epoch 1 of 2 whose model was saved to a folder of the user's."""
    from core.jobs.save import save_model
    from core.jobs.train import run_training
    from core.events import EpochEnded
    from core.runs.recorder import record_bundle
    from core.config import TrainConfig

    data = write_color_dataset(home / "colors", per_class=6, size=40)
    store = RunStore()
    best = _record(store, _config(data), [0.5, 0.8, 0.9])
    other = _record(store, _config(data, backbone="mobilenet_v2_035", learning_rate=0.005, seed=11, freeze=25,
                                    epochs=7, early_stopping_patience=2, augment={"flip": True}), [0.4, 0.6])
    interrupted = _record(store, _config(data, epochs=4), [0.3], status="running", pid=_dead_pid())
    cancel = threading.Event()
    config = TrainConfig(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(tiny_weights_file),
                         image_size=64, epochs=2, warmup_epochs=1, batch_size=8, val_split=0.34, seed=3)
    result = run_training(config, lambda e: cancel.set() if isinstance(e, EpochEnded) else None, cancel)
    saved = save_model(home / "my-models" / "colours", result)
    record_bundle(result.run_id, saved)
    return {"data": data, "best": best, "other": other, "interrupted": interrupted, "real": result.run_id,
            "saved": saved}


def _dead_pid() -> int:
    """The pid of a process that has ended: a run recorded as running there was interrupted."""
    child = subprocess.Popen(["true"])  # noqa: S607
    child.wait()
    return child.pid


@pytest.fixture
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, runs: dict[str, Any]) -> Any:
    """The main window, its backbones' layer tables made up (no engine call for them)."""
    for backbone in ("efficientnet_lite0", "mobilenet_v2_035"):
        monkeypatch.setitem(freeze_slider._TABLES, backbone, _fake_table(backbone))
    return request.getfixturevalue("window")


def _show_tab(window: Any, qtbot: Any) -> Any:
    tab = window.runs.tab
    with qtbot.waitSignal(tab.runsShown, timeout=10_000):
        window.result_tabs.setCurrentWidget(tab)
    return tab


def _column(tab: Any, name: str) -> list[str]:
    column = COLUMNS.index(name)
    return [tab.table.item(row, column).text() for row in range(tab.table.rowCount())]


def test_the_tab_lists_every_run_and_sorts_by_a_clicked_column(window: Any, qtbot: Any, runs: dict) -> None:
    assert window.result_tabs.tabText(window.result_tabs.indexOf(window.runs.tab)) == "Runs"
    tab = _show_tab(window, qtbot)
    assert set(tab.row_ids()) == {runs["best"], runs["other"], runs["interrupted"], runs["real"]}
    row = tab.row_ids().index(runs["other"])
    texts = [tab.table.item(row, c).text() for c in range(len(COLUMNS))]
    assert texts[1:6] == ["completed", "mobilenet_v2_035", "fine-tuning", "2/7", "60.0 %"]
    assert texts[6] == str(runs["data"])
    assert _column(tab, "Status")[tab.row_ids().index(runs["interrupted"])] == "interrupted"  # its process died
    assert _column(tab, "Bundle")[tab.row_ids().index(runs["real"])] == "colours"

    accuracy = COLUMNS.index("Val. accuracy")
    tab.table.sortByColumn(accuracy, Qt.SortOrder.AscendingOrder)
    values = [float(t.split(" %")[0]) for t in _column(tab, "Val. accuracy") if t != "—"]  # "92 % (81-97 %)"
    assert values == sorted(values) and values[-1] == 90.0
    tab.table.sortByColumn(accuracy, Qt.SortOrder.DescendingOrder)
    assert tab.row_ids()[0] == runs["best"]
    with qtbot.waitSignal(tab.runsShown, timeout=10_000):
        tab.refresh_button.click()
    assert tab.row_ids()[0] == runs["best"]  # a refresh keeps the order the user chose


def test_two_selected_runs_overlay_their_curves_and_mark_the_settings_that_differ(window: Any, qtbot: Any,
                                                                                  runs: dict) -> None:
    tab = _show_tab(window, qtbot)
    tab.select_runs([runs["best"], runs["other"]])
    compare = tab.compare
    assert set(compare.lines) == {runs["best"], runs["other"]}
    accuracy_lines = {run_id: lines[0] for run_id, lines in compare.lines.items()}
    assert list(accuracy_lines[runs["best"]].get_ydata()) == [0.5, 0.8, 0.9]
    assert list(accuracy_lines[runs["other"]].get_xdata()) == [1, 2]
    assert accuracy_lines[runs["best"]].get_color() != accuracy_lines[runs["other"]].get_color()
    assert accuracy_lines[runs["best"]].get_marker() != accuracy_lines[runs["other"]].get_marker()
    differing = compare.differing_rows()
    for label in ("Backbone", "Learning rate", "Random seed", "Freeze point", "Augmentation", "Early stopping",
                  "Validation accuracy"):
        assert label in differing
    for label in ("Data folder", "Batch size", "Method", "Status"):
        assert label not in differing
    row = [compare.table.verticalHeaderItem(r).text() for r in range(compare.table.rowCount())].index("Learning rate")
    other = [compare.table.horizontalHeaderItem(c).text() for c in range(3)].index(run_label(RunStore().get(runs["other"])))
    assert compare.table.item(row, other).font().bold() and compare.table.item(row, other).text() == "0.005"
    assert compare.table.item(row, 0).text() == "differs" and compare.table.item(row, 3 - other).text() == "0.001"
    assert tab.use_button.isEnabled() is False and tab.delete_button.isEnabled()  # one model at a time


def test_train_again_puts_the_runs_settings_into_the_fields(window: Any, qtbot: Any, runs: dict) -> None:
    tab = _show_tab(window, qtbot)
    tab.select_runs([runs["other"]])
    tab.again_button.click()
    t = window.training
    assert window.backbone.current_id() == "mobilenet_v2_035" and window.method.method() == "finetune"
    assert (t.epochs.value(), t.batch_size.value(), t.seed.value()) == (7, 16, 11)
    assert t.learning_rate.value() == pytest.approx(0.005)
    assert t.augment["flip"].isChecked() and not t.augment["zoom"].isChecked()
    assert t.early_stop.isChecked() and t.patience.value() == 2
    assert window.data_panel.train_dir() == str(runs["data"])
    qtbot.waitUntil(lambda: window.freeze.freeze_point() == 25, timeout=10_000)
    kwargs = window.train_config_kwargs()
    assert (kwargs["backbone"], kwargs["freeze"], kwargs["learning_rate"]) == ("mobilenet_v2_035", 25, 0.005)
    assert "press Train" in t.status.text()


def test_delete_asks_first_and_keeps_saved_models(window: Any, qtbot: Any, runs: dict, message_boxes: Any,
                                                  home: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    store = RunStore()
    doomed = _record(store, _config(runs["data"], seed=99), [0.2])
    saved_elsewhere = home / "mine" / "model"
    saved_elsewhere.mkdir(parents=True)
    (saved_elsewhere / "model.keras").write_text("not touched")
    store.update(doomed, bundle=str(saved_elsewhere))
    store.folder(doomed).mkdir(parents=True)
    (store.folder(doomed) / "checkpoints").mkdir()
    tab = _show_tab(window, qtbot)
    tab.select_runs([doomed])
    message_boxes.answer = QMessageBox.StandardButton.No
    tab.delete_button.click()
    assert len(message_boxes.questions) == 1 and str(saved_elsewhere) in message_boxes.questions[0]
    assert doomed in [r.id for r in store.runs()]
    message_boxes.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(tab.runsShown, timeout=10_000):
        tab.delete_button.click()
    assert doomed not in [r.id for r in store.runs()] and doomed not in tab.row_ids()
    assert not store.folder(doomed).exists()
    assert (saved_elsewhere / "model.keras").read_text() == "not touched"


def test_use_this_model_opens_the_bundle_and_continue_trains_the_stopped_run_on(window: Any, qtbot: Any,
                                                                                  runs: dict, message_boxes: Any) -> None:
    tab = _show_tab(window, qtbot)
    record = RunStore().get(runs["real"])
    assert (record.status, record.epochs_done, record.epochs) == ("stopped", 1, 2)
    tab.select_runs([runs["real"]])
    assert tab.continue_button.isEnabled() and tab.use_button.isEnabled()
    with qtbot.waitSignal(window.modelOpened, timeout=60_000) as opened:
        tab.use_button.click()
    assert opened.args == [str(runs["saved"])] and window.model_path == str(runs["saved"])

    with qtbot.waitSignal(window.trainingFinished, timeout=120_000) as finished:
        tab.continue_button.click()
        assert window.is_training() and not tab.continue_button.isEnabled()
        assert window.curves.epochs == [1]  # the finished epoch, replayed before the engine reports more
    # The run's settings differ from those on screen: Continue asked before replacing them (answered Yes).
    assert [q for q in message_boxes.questions if "continues with its own settings" in q and "epochs 20 → 2" in q]
    message_boxes.questions.clear()
    result, cancelled = finished.args
    assert not cancelled and result is not None and window.result is result
    assert window.curves.epochs == [1, 2]
    record = RunStore().get(runs["real"])
    assert (record.status, record.epochs_done) == ("completed", 2)
    qtbot.waitUntil(lambda: _column(tab, "Status")[tab.row_ids().index(runs["real"])] == "completed",
                    timeout=10_000)

    # Its continued model is in use, unsaved, kept only in the run's folder: deleting the run is refused.
    tab.select_runs([runs["real"]])
    tab.delete_button.click()
    assert message_boxes.errors[-1][0] == "Run in use" and not message_boxes.questions
    assert RunStore().get(runs["real"]).bundle
