"""Checkpoints and resume (core/training/checkpoints.py, core/jobs/runs.py, ``train --resume``):
a real ``python main.py train`` killed with SIGKILL after an epoch, continued, ends where the
uninterrupted run with the same seed ends; a completed run extended; TensorBoard event files.
One tiny MobileNetV2 x0.35 at 64 px on 24 images, 4 epochs (1 warm-up, 3 fine-tuning)."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import cli
from core.jobs import runs as jobs_runs
from core.jobs.train import run_training, save_training_result
from core.runs.store import RunStore
from tests.conftest import write_color_dataset

ROOT = Path(__file__).resolve().parents[2]
EPOCHS, WARMUP, SEED = 4, 1, 5


def _config(data: Path, weights: Path, **changes):
    from core.config import TrainConfig

    settings = dict(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(weights), image_size=64,
                    epochs=EPOCHS, warmup_epochs=WARMUP, batch_size=8, val_split=0.25, seed=SEED, learning_rate=3e-3)
    return TrainConfig(**{**settings, **changes})


def _main(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.fixture(scope="module")
def runs(tmp_path_factory, tiny_weights_file):
    """The uninterrupted run (in this process, with TensorBoard), and the same run killed with
    SIGKILL in a subprocess after its third epoch, then continued by ``train --resume``."""
    tmp = tmp_path_factory.mktemp("resume")
    data = write_color_dataset(tmp / "colors", per_class=8, size=40)
    killed = _main("train", str(data), "--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file),
                   "--image-size", "64", "--epochs", str(EPOCHS), "--warmup-epochs", str(WARMUP), "--batch-size", "8",
                   "--val-split", "0.25", "--seed", str(SEED), "--lr", "3e-3", "--out", str(tmp / "never"), "--json",
                   env={"FTS_TENSORBOARD_DIR": str(tmp / "tb-setting")})  # as the window's setting sets it
    reference = run_training(_config(data, tiny_weights_file), tensorboard=str(tmp / "tb"))
    save_training_result(reference, tmp / "reference")  # a run is completed once its model is written
    run_id = None
    try:
        for line in killed.stdout:  # the reference trained meanwhile; the child is ahead or catches up
            event = json.loads(line)
            if event.get("event") == "EpochEnded" and event["epoch"] == 2:
                break
        killed.send_signal(signal.SIGKILL)
    finally:
        killed.wait(30)
        killed.stdout.close()
    [run_id] = [r.id for r in RunStore().runs() if r.id != reference.run_id and r.data_dir == str(data)]
    listed = io.StringIO()
    assert cli.main(["runs", "--json"], out=listed) == 0
    status_after_kill = {r["id"]: r["status"] for r in json.loads(listed.getvalue())}[run_id]
    resumed = _main("train", "--resume", run_id[:-1], "--out", str(tmp / "resumed"), "--json")
    output, _ = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, output[-2000:]
    lines = [json.loads(line) for line in output.splitlines()]
    return dict(tmp=tmp, data=data, reference=reference, run_id=run_id, status_after_kill=status_after_kill,
                lines=lines, weights=tiny_weights_file)


def test_a_killed_run_is_interrupted_and_continues_to_where_the_uninterrupted_run_ends(runs) -> None:
    assert runs["status_after_kill"] == "interrupted"
    summary = runs["lines"][-1]
    epochs = [e["epoch"] + 1 for e in runs["lines"] if e.get("event") == "EpochEnded"]
    phases = [(e["name"], e["learning_rate"]) for e in runs["lines"] if e.get("event") == "PhaseStarted"]
    assert epochs and epochs[-1] == EPOCHS and epochs[0] in (3, 4)  # after the last checkpoint (epoch 2 or 3)
    assert phases == [("finetune", pytest.approx(3e-4))]  # the right phase, at its learning rate
    reference = runs["reference"]
    record = RunStore().get(runs["run_id"])
    assert record.status == "completed" and record.epochs_done == EPOCHS == len(record.history)
    assert record.bundle == summary["bundle"] == str(runs["tmp"] / "resumed")
    ours = [row["val_loss"] for row in record.history]
    theirs = [row["val_loss"] for row in reference.history]
    assert ours == pytest.approx(theirs, rel=1e-3, abs=1e-4)  # the same run, epoch by epoch
    assert abs(summary["metrics"]["val_accuracy"] - reference.metrics["val_accuracy"]) <= 1 / 6 + 1e-9
    checkpoints = sorted(p.name for p in (RunStore().folder(record.id) / "checkpoints").iterdir())
    assert len(checkpoints) <= 2 and f"epoch-{EPOCHS:04d}" in checkpoints  # the best and the last are kept


def test_a_completed_run_is_extended_with_more_epochs(runs) -> None:
    reference = runs["reference"]
    with pytest.raises(Exception, match="already finished 4 of 4 epochs"):
        jobs_runs.resume_plan(reference.run_id)
    extended = jobs_runs.resume_training(reference.run_id, epochs=EPOCHS + 1)
    assert extended.run_id == reference.run_id
    assert [row["epoch"] for row in extended.history] == list(range(1, EPOCHS + 2))
    assert extended.history[:EPOCHS] == reference.history
    assert RunStore().get(reference.run_id).status == "running"  # trained, not yet written
    save_training_result(extended, runs["tmp"] / "extended")
    record = RunStore().get(reference.run_id)
    assert (record.status, record.epochs, record.epochs_done) == ("completed", EPOCHS + 1, EPOCHS + 1)


def test_tensorboard_event_files_are_written(runs) -> None:
    files = list((runs["tmp"] / "tb").rglob("events.out.tfevents.*"))
    assert {f.parent.name for f in files} >= {"train", "validation"}
    # Without --tensorboard, the window's setting (FTS_TENSORBOARD_DIR): one folder per run id.
    per_run = list((runs["tmp"] / "tb-setting" / runs["run_id"]).rglob("events.out.tfevents.*"))
    assert {f.parent.name for f in per_run} >= {"train", "validation"}


def test_resume_refusals_are_one_line_and_exit_code_2(runs, capsys) -> None:
    assert cli.main(["train", "--resume", "nope", "--json"], out=io.StringIO()) == 2
    assert capsys.readouterr().err.startswith("error: There is no run 'nope'")
    assert cli.main(["train", "--resume", runs["run_id"]], out=io.StringIO()) == 2
    assert "already finished" in capsys.readouterr().err
    assert cli.main(["train", "--resume", runs["run_id"], str(runs["data"])], out=io.StringIO()) == 2
    capsys.readouterr()
    with pytest.raises(SystemExit) as caught:  # argparse's way, like every other missing argument
        cli.main(["train", str(runs["data"])], out=io.StringIO())
    assert caught.value.code == 2 and "--out" in capsys.readouterr().err
