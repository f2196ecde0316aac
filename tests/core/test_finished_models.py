"""A finished model is never lost (issue 24, item 2): a run killed after its last epoch but before its save
has its bundle written from its best checkpoint without training; a save that fails on a full disk says
where the model is and never leaves the run ``completed`` without a bundle; ``--tensorboard`` at a file
and an unusable data folder are found before training. One tiny MobileNetV2 x0.35 at 32 px."""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.errors import BundleError, RunError, SettingsError
from core.events import EpochEnded
from core.runs.store import RunStore
from tests.conftest import write_color_dataset

EPOCHS = 2


def _config(data: Path, weights: Path, **changes: Any):
    from core.training.trainer import TrainConfig

    settings = dict(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(weights), image_size=32,
                    epochs=EPOCHS, warmup_epochs=1, batch_size=8, val_split=0.25, seed=3, learning_rate=3e-3,
                    mixed_precision=False)
    return TrainConfig(**{**settings, **changes})


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_weights_file):
    """A real short run with checkpoints; its model is never saved (as if killed right after the last epoch)."""
    from core.training.checkpoints import RunFiles
    from core.training.trainer import train

    tmp = tmp_path_factory.mktemp("finished")
    data = write_color_dataset(tmp / "colors", per_class=6, size=32)
    config = _config(data, tiny_weights_file)
    result = train(config, files=RunFiles(tmp / "checkpoints"))
    return dict(tmp=tmp, config=config, result=result, checkpoints=tmp / "checkpoints")


def test_a_run_killed_before_its_save_gets_its_bundle_from_the_best_checkpoint_without_training(trained) -> None:
    from core.jobs import train as jobs  # validation_metrics, save_training_result (the train door)
    from core.bundles.bundle import load_bundle
    from core.training.finish import can_finish_without_training, finish_from_checkpoints, finished_epochs

    assert finished_epochs(trained["checkpoints"]) == EPOCHS
    assert can_finish_without_training(EPOCHS, EPOCHS, has_bundle=False)
    assert not can_finish_without_training(EPOCHS, EPOCHS, has_bundle=True)
    assert not can_finish_without_training(1, EPOCHS, has_bundle=False)  # not finished: continue instead
    events: list[Any] = []
    result = finish_from_checkpoints(trained["config"], trained["checkpoints"], events.append)
    assert not [e for e in events if isinstance(e, EpochEnded)]  # no epoch was trained
    reference = trained["result"]
    assert result.history == reference.history and result.best_epoch == reference.best_epoch
    pixels = reference.data.val_images[:4].astype("float32")
    expected = reference.model.predict(pixels, verbose=0)
    assert np.allclose(result.model.predict(pixels, verbose=0), expected, atol=1e-5)
    result.metrics = jobs.validation_metrics(result)
    saved = jobs.save_training_result(result, trained["tmp"] / "bundle")
    assert np.allclose(load_bundle(saved).model.predict(pixels, verbose=0), expected, atol=1e-5)


def test_finishing_refuses_a_run_that_is_not_finished(trained, tmp_path: Path) -> None:
    from dataclasses import replace

    from core.training.finish import finish_from_checkpoints

    with pytest.raises(RunError, match=f"hold {EPOCHS} of {EPOCHS + 3} epochs"):
        finish_from_checkpoints(replace(trained["config"], epochs=EPOCHS + 3), trained["checkpoints"])
    with pytest.raises(RunError, match="No checkpoint"):
        finish_from_checkpoints(trained["config"], tmp_path)


def test_a_full_disk_at_save_keeps_the_model_and_the_run_is_not_completed(trained, monkeypatch) -> None:
    from core.bundles import bundle as bundle_module
    from core.runs.recorder import record_bundle

    store = RunStore()
    record = store.create({"data_dir": "x"}, data_dir="x")
    store.update(record.id, status="completed")  # as run_training records it before the save
    target = trained["tmp"] / "full-disk"
    model = trained["result"].model
    bundle_module.save_bundle(target, model, ["a", "b", "c"], {"run_id": record.id, "version": 1})
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    record_bundle(record.id, target)

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(type(model), "save", full)
    with pytest.raises(BundleError) as caught:
        bundle_module.save_bundle(target, model, ["a", "b", "c"], {"run_id": record.id, "version": 2})
    message = str(caught.value)
    checkpoints = store.folder(record.id) / "checkpoints"
    assert "the disk is full" in message and str(checkpoints) in message
    assert f"train --resume {record.id} --out" in message and "Errno" not in message
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before  # the old bundle is intact
    failed = store.get(record.id)
    assert failed.status == "failed" and "Trained but not saved" in failed.error
    monkeypatch.undo()
    record_bundle(record.id, trained["tmp"] / "elsewhere")  # saved elsewhere later: the outcome comes back
    assert (store.get(record.id).status, store.get(record.id).error) == ("completed", None)


def test_tensorboard_at_a_regular_file_is_refused_before_training(tmp_path: Path) -> None:
    from core.training.finish import check_tensorboard_dir

    log_file = tmp_path / "logs.txt"
    log_file.write_text("not a folder")
    with pytest.raises(SettingsError, match="is a file, not a folder"):
        check_tensorboard_dir(log_file)
    with pytest.raises(SettingsError, match="in the way"):
        check_tensorboard_dir(log_file / "run1")
    check_tensorboard_dir(tmp_path / "new" / "run1")  # created later by TensorBoard: fine
    check_tensorboard_dir(None)
    assert not (tmp_path / "new").exists()  # a check creates nothing


def test_an_unusable_data_folder_is_found_before_training(tmp_path: Path, monkeypatch) -> None:
    """Tests run as root, whom chmod does not stop: an unwritable folder is made by putting a regular file
    where a parent folder should be (no user can create a folder under a file), and a full disk by making
    the probe's write raise ENOSPC."""
    from core.training import finish

    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder's parent should be")
    reason = finish.check_run_folder(blocker / "runs" / "20260101-000000-001")
    assert reason and "cannot be written" in reason
    assert finish.check_run_folder(tmp_path / "ok" / "runs" / "r1") is None
    real_open = open

    def full_disk(path: Any, mode: str = "r", *args: Any, **kwargs: Any):
        if "w" in mode and ".probe-" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", full_disk)
    assert "is full" in finish.check_run_folder(tmp_path / "ok" / "runs" / "r2")


def test_a_run_whose_checkpoints_cannot_be_written_trains_on_and_returns_its_model(trained, tiny_weights_file) -> None:
    """FTS_DATA_DIR read-only or full: the checkpoint folder's first write fails (here: a regular file where its
    parent folder should be, which stops root too). The run used to end in a 67-line traceback with its
    model lost; it now says so once and returns its model, to be saved as usual."""
    from core.events import LogMessage
    from core.training.checkpoints import RunFiles
    from core.training.trainer import train

    blocker = trained["tmp"] / "data-is-a-file"
    blocker.write_text("not a folder")
    files = RunFiles(blocker / "runs" / "r1" / "checkpoints")
    events: list[Any] = []
    result = train(trained["config"], events.append, files=files)
    assert len(result.history) == EPOCHS and result.model is not None
    warnings = [e.text for e in events if isinstance(e, LogMessage) and "checkpoint" in e.text]
    assert len(warnings) == 1 and "Training goes on without checkpoints" in warnings[0]
    assert files.disabled
