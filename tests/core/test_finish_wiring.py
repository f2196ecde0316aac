"""A finished model is never lost, end to end through the command line (issue 24, items 1 and 2):

- a real ``python main.py train`` SIGKILLed after its last epoch's checkpoint, while saving, is recorded
  ``interrupted`` (never ``completed`` without a bundle), and ``train --resume ID`` writes its bundle from the
  best checkpoint without training one epoch;
- a save refused by a full disk is one line (the reason, the run's checkpoints, the command that writes the
  model elsewhere), exit code 1, the run not completed; ``train --resume ID --out OTHER`` then saves it,
  again without training;
- a run that cannot fit in memory is refused before any image is decoded, with the numbers.

One tiny MobileNetV2 x0.35 at 32 px on 15 images, 1 epoch."""
from __future__ import annotations

import errno
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core import cli
from core.runs.store import RunStore
from tests.conftest import write_color_dataset

ROOT = Path(__file__).resolve().parents[2]
EPOCHS = 1  # the warm-up phase alone: one phase to build, the test's time is the model's, not the epochs'
# The child process is the real command line, with its save made to hang (as if the disk were slow) so the
# test can kill it after the last epoch's checkpoint and before any bundle file exists.
HANG_AT_SAVE = """
import sys, time
import core.jobs.train as training
def hang(*args, **kwargs):
    print('{"event": "Saving"}', flush=True)
    time.sleep(600)
training.save_training_result = hang
from core import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def _train_args(data: Path, weights: Path, out: Path) -> list[str]:
    return ["train", str(data), "--backbone", "mobilenet_v2_035", "--weights", str(weights), "--image-size", "32",
            "--epochs", str(EPOCHS), "--warmup-epochs", "1", "--batch-size", "8", "--val-split", "0.25",
            "--seed", "3", "--lr", "3e-3", "--out", str(out), "--json"]


def _status(run_id: str) -> dict[str, Any]:
    listed = io.StringIO()
    assert cli.main(["runs", "--json"], out=listed) == 0
    return {r["id"]: r for r in json.loads(listed.getvalue())}[run_id]


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_color_dataset(tmp_path_factory.mktemp("finish") / "colors", per_class=5, size=32)


def _predicts(bundle: Path, image: Path) -> None:
    answer = io.StringIO()
    assert cli.main(["predict", str(bundle), str(image), "--json"], out=answer) == 0
    assert answer.getvalue().strip()


def test_a_run_killed_while_saving_is_interrupted_and_resume_writes_its_bundle_without_training(
        data: Path, tiny_weights_file: Path, tmp_path: Path) -> None:
    never, before = tmp_path / "never", {r.id for r in RunStore().runs()}
    child = subprocess.Popen([sys.executable, "-c", HANG_AT_SAVE, *_train_args(data, tiny_weights_file, never)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    seen: list[dict[str, Any]] = []
    try:
        for line in child.stdout:
            if line.startswith("{"):
                seen.append(json.loads(line))
                if seen[-1]["event"] == "Saving":
                    break
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(30)
        child.stdout.close()
    assert seen and seen[-1]["event"] == "Saving", seen[-3:]
    assert [e["epoch"] + 1 for e in seen if e["event"] == "EpochEnded"] == list(range(1, EPOCHS + 1))
    [record] = [r for r in RunStore().runs() if r.id not in before]
    listed = _status(record.id)
    assert listed["status"] == "interrupted" and not listed["bundle"] and not never.exists()  # never "completed"

    out = io.StringIO()
    assert cli.main(["train", "--resume", record.id, "--json"], out=out) == 0
    lines = _lines(out.getvalue())
    assert not [e for e in lines if e["event"] in ("EpochEnded", "PhaseStarted")]  # not one epoch trained
    assert any("writing the model from the best checkpoint" in e.get("text", "") for e in lines)
    summary = lines[-1]
    bundle = Path(summary["bundle"])
    assert (bundle / "model.keras").is_file() and summary["resumed_after"] == EPOCHS
    finished = RunStore().get(record.id)
    assert (finished.status, finished.bundle, finished.epochs_done) == ("completed", str(bundle), EPOCHS)
    _predicts(bundle, next((data / "red").iterdir()))


def test_a_full_disk_at_save_is_one_line_and_resume_saves_elsewhere_without_training(
        data: Path, tiny_weights_file: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    import keras

    real_save = keras.Model.save
    calls = []

    def full_disk_once(self: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "save", full_disk_once)
    target, before = tmp_path / "model", {r.id for r in RunStore().runs()}
    assert cli.main(_train_args(data, tiny_weights_file, target), out=io.StringIO()) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    [record] = [r for r in RunStore().runs() if r.id not in before]
    checkpoints = RunStore().folder(record.id) / "checkpoints"
    assert error.startswith("error: Could not save the model") and "the disk is full" in error
    assert str(checkpoints) in error and f"train --resume {record.id} --out" in error
    assert not target.exists()
    assert _status(record.id)["status"] == "failed"  # trained but not saved: not completed

    other = tmp_path / "other"
    out = io.StringIO()
    assert cli.main(["train", "--resume", record.id, "--out", str(other)], out=out) == 0
    assert "Wrote the model of run" in out.getvalue() and "epoch 1/" not in capsys.readouterr().err
    saved = RunStore().get(record.id)
    assert (saved.status, saved.bundle, saved.error) == ("completed", str(other), None)
    assert (other / "model.keras").is_file()


def test_a_run_too_large_for_memory_is_refused_before_any_image_is_decoded(
        data: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    from core.training import trainer

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("images were decoded")

    monkeypatch.setattr(trainer, "_decode", never)
    base = ["train", str(data), "--backbone", "mobilenet_v2_035", "--weights", "none", "--out", str(tmp_path / "m")]
    assert cli.main([*base, "--image-size", "4000", "--batch-size", "512"], out=io.StringIO()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--image-size" in err[0] and "4000" in err[0] and "1024" in err[0]
    assert cli.main([*base, "--image-size", "1024", "--batch-size", "4096"], out=io.StringIO()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: Training needs about ") and "1024 px" in err[0]
    assert "batch size 4096" in err[0] and "free" in err[0] and not (tmp_path / "m").exists()


def test_a_data_folder_that_cannot_take_checkpoints_is_said_once_before_training(tmp_path: Path, monkeypatch) -> None:
    """A full (or read-only) app data folder: one warning before the first epoch, and the run trains without
    checkpoints rather than failing at its first checkpoint; the trainer itself is stood in for (seconds)."""
    from types import SimpleNamespace

    from core.events import LogMessage
    from core.jobs import train as jobs
    from core.training import trainer

    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path))
    events: list[Any] = []
    seen: dict[str, Any] = {}

    def train(config: Any, sink: Any, cancel: Any, data: Any = None, files: Any = None) -> Any:
        seen.update(files=files, events_before=list(events))
        return SimpleNamespace(metrics={}, cancelled=False)

    real_open = open

    def full_disk(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and ".probe-" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(trainer, "train", train)
    monkeypatch.setattr(jobs, "validation_metrics", lambda result: {"val_accuracy": 1.0})
    monkeypatch.setattr("builtins.open", full_disk)
    jobs.run_training(trainer.TrainConfig(data_dir=str(tmp_path), mixed_precision=False), events.append)
    warnings = [e.text for e in seen["events_before"] if isinstance(e, LogMessage) and "heckpoints" in e.text]
    assert len(warnings) == 1 and "is full" in warnings[0] and "still saved" in warnings[0]
    assert seen["files"] is not None and "is full" in seen["files"].disabled  # no checkpoint will be tried


def test_audit_refused_by_the_memory_check_is_one_line_and_exit_code_2(data: Path, monkeypatch, capsys) -> None:
    from core.training import memory

    monkeypatch.setattr(memory, "available_memory", lambda *args, **kwargs: 1 << 20)  # a 1 MB machine
    args = ["audit", str(data), "--backbone", "mobilenet_v2_035", "--weights", "none", "--image-size", "64"]
    assert cli.main(args, out=io.StringIO()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: Checking the data needs about ") and "64 px" in err[0]
