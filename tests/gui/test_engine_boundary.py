"""The engine boundary as the window meets it: a finished model is kept on disk by the engine before the window
hears of it, so a crashed engine loses nothing; a dead engine is described by its exit code or
signal (never guessed to be "out of memory"); Save refuses a target that is not a model bundle and
copies the kept bundle even after the engine restarted; the status names the method in use; long
messages are cut at a word.

The engine tests run the real engine process with the tiny MobileNetV2 x0.35 (tests/conftest.py)
and kill it with SIGKILL, as the kernel's out-of-memory killer or a user would.
"""
from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.engine.requests.train import TrainRequest
from core.paths import user_data_dir
from gui import training_control
from gui.app import MainWindow
from gui.errors import user_message
from gui.worker import Worker, engine, remote
from tests.conftest import write_color_dataset
from tests.gui.test_flow import TINY, choose_tiny_setup

BUNDLE_FILES = {"model.keras", "labels.json", "config.json", "history.csv", "metrics.json"}


def _snapshot(folder: Path) -> dict[str, tuple[int, float, str]]:
    """Every file under ``folder``: size, modification time and content hash."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime,
                                         hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _train_in_window(qtbot: Any, window: MainWindow, data: Path, weights: Path) -> Any:
    choose_tiny_setup(qtbot, window, data, weights, epochs=1, warmup=1)
    outcome: list[tuple[Any, Any]] = []
    window.trainingFinished.connect(lambda result, cancelled: outcome.append((result, cancelled)))
    window.trainingFailed.connect(lambda message: outcome.append(("failed", message)))
    qtbot.mouseClick(window.training.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcome), timeout=180_000)
    result, cancelled = outcome[0]
    assert result != "failed", cancelled
    assert result is not None and not cancelled
    return result


# -- messages ------------------------------------------------------------------------------------
def test_long_messages_are_cut_at_a_word_with_an_ellipsis() -> None:
    words = " ".join(f"word{i:03d}" for i in range(120))  # ~960 characters, no natural end
    message, _ = user_message(KeyError(words))
    assert message.startswith("Something unexpected went wrong (KeyError")
    cut = message.split("(KeyError: ", 1)[1].split(")", 1)[0]
    assert cut.endswith("…")
    last = cut.rstrip("…").split()[-1].strip("'")
    assert last in words.split(), f"cut mid-word: {last!r}"


def test_settings_and_bundle_errors_reach_the_user_as_their_own_text() -> None:
    from core.bundles.bundle import BundleError
    from core.config import SettingsError

    for error in (SettingsError("Batch size must be a whole number from 1 to 4096 (--batch-size)."),
                  BundleError("'/home/x/cells' exists and is not a model bundle; choose another place.")):
        message, details = user_message(error)
        assert message == str(error)
        assert "unexpected" not in message and "Traceback" not in message

    class OutOfMemoryLookalike(RuntimeError):
        pass

    message, _ = user_message(OutOfMemoryLookalike("the cache is out of memory budget, using disk"))
    assert "ran out of memory" not in message  # only MemoryError / ResourceExhaustedError say that
    assert "ran out of memory" in user_message(MemoryError())[0]


def test_exit_descriptions_name_the_signal_and_never_guess_memory() -> None:
    from core.engine.client import describe_exit

    killed = describe_exit(-signal.SIGKILL)
    assert "killed by signal 9" in killed and "SIGKILL" in killed and "memory" not in killed
    assert "signal 11" in describe_exit(-signal.SIGSEGV)
    assert "exit code 3" in describe_exit(3) and "memory" not in describe_exit(3)
    assert "memory" not in describe_exit(None)
    # The kernel's own count of out-of-memory kills went up: then, and only then, it was memory.
    assert "ran out of memory" in describe_exit(-signal.SIGKILL, oom_killed=True)


# -- the engine process --------------------------------------------------------------------------
def test_a_killed_engine_mid_run_is_described_by_its_signal(qtbot: Any, tmp_path: Path,
                                                            tiny_weights_file: Path) -> None:
    data = write_color_dataset(tmp_path / "bigger", per_class=30, size=32)
    worker = Worker("test")
    batches: list[Any] = []
    worker.batchesEnded.connect(batches.extend)
    kwargs = {"data_dir": str(data), "backbone": TINY, "weights": str(tiny_weights_file), "image_size": 32,
              "epochs": 200, "warmup_epochs": 1, "batch_size": 2, "augment": {}}
    worker.start(remote(TrainRequest(kwargs)))
    qtbot.waitUntil(lambda: bool(batches), timeout=180_000)
    with qtbot.waitSignal(worker.failed, timeout=30_000) as blocker:
        os.kill(engine().pid(), signal.SIGKILL)
    message = blocker.args[0]
    assert "stopped unexpectedly" in message and "killed by signal 9" in message
    assert "memory" not in message.lower()
    qtbot.waitUntil(lambda: not worker.is_busy())


def test_training_keeps_the_model_on_disk_before_reporting_it(qtbot: Any, window: MainWindow,
                                                              color_dataset: Path, tiny_weights_file: Path) -> None:
    result = _train_in_window(qtbot, window, color_dataset, tiny_weights_file)
    kept = Path(result.kept_path)
    runs = user_data_dir() / "runs"
    assert kept.is_dir() and runs in kept.parents
    assert BUNDLE_FILES <= {p.name for p in kept.iterdir()}
    assert str(kept) in window.training.status.text()
    assert "Save" in window.training.status.text()


def test_a_killed_engine_loses_no_finished_model(qtbot: Any, window: MainWindow, color_dataset: Path,
                                                 tiny_weights_file: Path, tmp_path: Path,
                                                 message_boxes: Any) -> None:
    result = _train_in_window(qtbot, window, color_dataset, tiny_weights_file)
    kept = result.kept_path
    pid = engine().pid()
    os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: bool(message_boxes.errors), timeout=30_000)
    title, text = message_boxes.errors[-1]
    assert "killed by signal 9" in text and kept in text
    assert "memory" not in text.lower()
    # The window switched to the kept bundle; Save stays available and truthful.
    assert window.result is result and window.result.handle == f"bundle:{kept}"
    assert window.save_action.isEnabled() and window.model_path is None
    assert "not saved yet" in window.predict.source.text()
    # Predictions come from the kept bundle in a fresh engine.
    image = sorted((color_dataset / "red").iterdir())[0]
    with qtbot.waitSignal(window.predict.predictionsShown, timeout=120_000):
        window.predict.predict_files([str(image)])
    assert engine().pid() != pid
    assert {bar.label for bar in window.predict.list.cards()[0].bars} == {"red", "green", "blue"}
    # Save copies the kept bundle to the chosen place.
    target = tmp_path / "saved-model"
    with qtbot.waitSignal(window.modelSaved, timeout=60_000):
        window.save_model(str(target))
    assert _snapshot(target).keys() == _snapshot(Path(kept)).keys()
    assert (target / "model.keras").read_bytes() == (Path(kept) / "model.keras").read_bytes()
    assert window.model_path == str(target)


def test_save_refuses_the_training_folder_and_keeps_the_model(qtbot: Any, window: MainWindow, tmp_path: Path,
                                                              tiny_weights_file: Path, message_boxes: Any) -> None:
    data = write_color_dataset(tmp_path / "cells")
    (data / "thesis.txt").write_text("three years of work")
    result = _train_in_window(qtbot, window, data, tiny_weights_file)
    before = _snapshot(data)
    with qtbot.waitSignal(window.files_worker.failed, timeout=60_000):
        window.save_model(str(data))
    qtbot.waitUntil(lambda: not window.files_worker.is_busy())
    assert _snapshot(data) == before  # every file untouched
    assert not [p for p in data.parent.iterdir() if p.name.startswith(".cells")]  # no backup, no temporary
    title, text = message_boxes.errors[-1]
    assert title == "Could not save the model"
    assert "not a model bundle" in text or "is not a bundle" in text
    assert "unexpected" not in text and "Traceback" not in text
    assert window.model_path is None and window.save_action.isEnabled() and window.result is result
    assert Path(result.kept_path).is_dir()


def test_comparison_keeps_every_method_and_the_status_names_the_method_in_use(
        qtbot: Any, window: MainWindow, color_dataset: Path, tiny_weights_file: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Fine-tuning is the one chosen, whatever the scores (the case the held-out check found).
    monkeypatch.setattr(training_control, "_rank", lambda metrics: (metrics.get("method") == "finetune", 0.0))
    choose_tiny_setup(qtbot, window, color_dataset, tiny_weights_file, epochs=1, warmup=1)
    with qtbot.waitSignal(window.comparisonFinished, timeout=240_000) as blocker:
        qtbot.mouseClick(window.method.compare_button, Qt.MouseButton.LeftButton)
    results, _ = blocker.args
    assert window.result is results["finetune"]
    kept = {method: Path(r.kept_path) for method, r in results.items()}
    assert len(set(kept.values())) == 3 and all((p / "model.keras").is_file() for p in kept.values())
    # each compared method is a run of its own: its record in the run store names its folder
    from core.runs.store import RunStore

    assert {method: RunStore().get(p.parent.name).method for method, p in kept.items()} == {m: m for m in kept}
    status = window.statusBar().currentMessage()
    assert "C =" not in status and "logistic" not in status.lower()
    assert "fine-tun" in status.lower()
    # Choosing another row describes that method.
    table = window.method.table
    row = next(r for r in range(3) if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "logreg")
    table.cellDoubleClicked.emit(row, 0)
    assert "logistic regression" in window.statusBar().currentMessage().lower()
    row = next(r for r in range(3) if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "finetune")
    table.cellDoubleClicked.emit(row, 0)
    assert "C =" not in window.statusBar().currentMessage()


def test_the_runs_folder_keeps_only_the_newest_runs_and_nothing_else(tmp_path: Path) -> None:
    from core.bundles.kept_runs import new_run_dir, prune

    root = tmp_path / "runs"
    runs = [new_run_dir(root) for _ in range(5)]
    assert len(set(runs)) == 5 and all(p.is_dir() for p in runs)
    older = [root / f"2001010{i}-120000-001" for i in range(1, 4)]
    for folder in older:
        (folder / "finetune").mkdir(parents=True)
    mine = tmp_path / "my-saved-model"
    mine.mkdir()
    (root / "20000101-000000-001").symlink_to(mine)  # a link is never followed or removed
    (root / "notes").mkdir()  # not a run: left alone
    removed = prune(root, keep=4, spare=runs[-1])
    assert sorted(removed) == sorted(older + [runs[0]])
    assert all(p.is_dir() for p in runs[1:]) and mine.is_dir() and (root / "notes").is_dir()
    assert (root / "20000101-000000-001").is_symlink()
