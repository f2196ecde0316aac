"""A finished model is never lost: turning a run's checkpoints into a model without training, and the
checks that keep a run from training for hours only to fail at its end.

Why (issue 24, item 2): a run killed after its last epoch but before its bundle was written held a whole
trained model in its checkpoints, and ``train --resume`` refused it ("already finished 5 of 5 epochs");
``--tensorboard`` pointing at a file, or an app data folder that could not be written, were only found
out when TensorFlow or the checkpoint writer failed, after training, with the model gone.

- :func:`finish_from_checkpoints`: the run's model from its best checkpoint (the last when no best was
  recorded), with its history, validation data and unfamiliar-image calibration, exactly as the trainer
  returns it at the end of a run; no epoch is trained. The caller saves it like any result.
- :func:`finished_epochs`: how many epochs a run's checkpoints hold (TensorFlow-free).
- :func:`check_tensorboard_dir`, :func:`check_run_folder`: TensorFlow-free checks before training.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from core.errors import RunError, SettingsError
from core.events import EventSink, LogMessage, ignore_events
from core.files import read_bounded
from core.paths import folder_problem

MAX_STATE_BYTES = 64 << 20  # a checkpoint's state.json: its history and variable names


def finished_epochs(checkpoints: str | Path) -> int:
    """Epochs finished according to the run's last whole checkpoint (``epoch-NNNN/state.json``, the format of
    core.training.checkpoints, read here without TensorFlow); 0 when it has none."""
    folder, done = Path(checkpoints), 0
    if not folder.is_dir():
        return 0
    for checkpoint in folder.glob("epoch-*"):
        try:
            state = json.loads(read_bounded(checkpoint / "state.json", MAX_STATE_BYTES))
            done = max(done, int(state["epoch"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # cut short by a kill or a power cut: not a checkpoint
    return done


def can_finish_without_training(done: int, epochs: int, has_bundle: bool) -> bool:
    """A run whose checkpoints hold every epoch asked for but whose model was never saved (killed before
    the save, or the disk was full): ``train --resume`` writes its bundle instead of refusing."""
    return done >= epochs > 0 and not has_bundle


def finish_from_checkpoints(config: Any, checkpoints: str | Path, sink: EventSink = ignore_events,
                            cancel: threading.Event | None = None) -> Any:
    """The TrainResult of a run whose checkpoints hold all of ``config.epochs``, without training.

    The images are read again (the validation metrics and the unfamiliar-image calibration need them);
    the model is rebuilt from the run's settings, the last checkpoint is restored and the best epoch's
    weights are put back, as at the end of a run. RunError when the checkpoints hold fewer epochs than
    ``config.epochs`` (continue the run instead) or do not fit the settings.
    """
    from core.training.checkpoints import RunFiles
    from core.training.trainer import train

    folder = Path(checkpoints)
    done = finished_epochs(folder)
    if done == 0:
        raise RunError.of("finish.no_checkpoint_write_model", folder=folder)
    if done < config.epochs:
        raise RunError.of("finish.checkpoints_hold_epochs_continue", folder=folder, done=done, epochs=config.epochs)
    sink(LogMessage.of("finish.all_epochs_were_trained", done=done))
    return train(config, sink, cancel, files=RunFiles(folder, resume=True))


def check_tensorboard_dir(path: str | Path | None) -> None:
    """:class:`SettingsError` before training when TensorBoard logs cannot go to ``path``: a regular file
    (or anything not a folder) there or above it, or a folder that cannot be written. TensorFlow only
    finds out at the end of the first epoch's summary, and the run then failed with a raw
    ``FailedPreconditionError`` and saved nothing."""
    if not path:
        return
    target = Path(path).expanduser()
    existing = target
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "" if existing == target else f" ('{existing}' is in the way)"
        raise SettingsError.of("finish.tensorboard_file_not_folder", target=target, where=where)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SettingsError.of("finish.tensorboard_folder_not_writable", target=target, existing=existing)


def check_run_folder(folder: str | Path, needed_bytes: int = 64 << 20) -> str | None:
    """None when the run's folder (checkpoints, kept bundles) can be created and written with
    ``needed_bytes`` free; otherwise the reason, in words (core.paths.folder_problem), for the caller to
    say before training that the run goes without checkpoints (it is still saved at the end: a checkpoint
    that cannot be written no longer stops the run, core.training.checkpoints)."""
    return folder_problem(folder, needed_bytes)
