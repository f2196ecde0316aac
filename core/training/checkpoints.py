"""Per-epoch checkpoints of a fine-tuning run, and resuming from them.

Why: a run stopped by the user, killed, or crashed used to lose its optimizer state, so it could
only start again. At the end of every finished epoch :class:`Checkpoint` (a Keras callback) writes
``<run folder>/checkpoints/epoch-NNNN/``: every variable the run can change (weights, BatchNorm
statistics, the dropout layers' random-generator state), the optimizer's variables (step count
and Adam's moments), the epoch counter, the phase, the seed (with the epoch it fixes the batch
order: core/training/pipeline.py's ``epoch_order``), the best epoch so far and the history. Each
is written into a temporary folder, synced to disk and renamed into place (the rename synced too)
before an older one is pruned, so a kill or a power cut leaves the previous one whole; a checkpoint
whose state does not parse is not one, and a temporary folder a killed process left is removed.
Only the last and the best checkpoint are kept (older ones are pruned as the run goes on).

Resuming (:meth:`RunFiles.restore`, then :meth:`RunFiles.restore_optimizer` in the phase it falls
in) rebuilds the same model, loads the last checkpoint and continues with epoch ``k + 1`` in the
phase and at the learning rate ``plan_phases`` gives that epoch: the same batches, the same
dropout masks, the same Adam step as the uninterrupted run. Not restored: the pixel augmentation's
random state (a resumed run with augmentation sees other random flips) and early stopping's
patience counter (it starts afresh).
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from core.errors import RunError
from core.training.model import get_backbone_layer, keras

log = logging.getLogger("finetune_studio")
PREFIX = "epoch-"
STATE_FILE = "state.json"


def changeable_variables(model: Any, frozen_prefix: int) -> list[Any]:
    """Every variable the run can change, in a fixed order: all but the always-frozen prefix's,
    including non-weight state such as the dropout layers' seed generators."""
    backbone = get_backbone_layer(model)
    fixed = {id(v) for layer in backbone.layers[:frozen_prefix] for v in layer.weights}
    return [v for v in model.variables if id(v) not in fixed]


def checkpoint_folders(folder: Path) -> list[Path]:
    """The finished checkpoints in ``folder``, oldest first (one whose state does not parse, cut
    short by a power cut, is skipped)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(PREFIX) and _parses(p / STATE_FILE))


def _parses(state: Path) -> bool:
    try:
        return isinstance(json.loads(state.read_text()), dict)
    except (OSError, ValueError):
        return False


def remove_stale_temporaries(folder: Path) -> None:
    """Delete the temporary checkpoint folders a killed process left (``.tmp-epoch-NNNN-<pid>``, its
    pid no longer running); never this process's or a live one's."""
    if not folder.is_dir():
        return
    for path in folder.glob(f".tmp-{PREFIX}*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _sync_folder(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (not possible on every system: skipped there)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_state(checkpoint: Path) -> dict[str, Any]:
    return json.loads((checkpoint / STATE_FILE).read_text())


def _write_arrays(path: Path, arrays: list[np.ndarray]) -> None:
    with open(path, "wb") as handle:
        np.savez(handle, *arrays)
        handle.flush()
        os.fsync(handle.fileno())


def _read_arrays(path: Path) -> list[np.ndarray]:
    with np.load(path, allow_pickle=False) as archive:
        return [archive[f"arr_{i}"] for i in range(len(archive.files))]


@dataclass
class RunFiles:
    """What the trainer keeps of a run on disk: checkpoints in ``folder`` (resumed from when
    ``resume``), a ``tensorboard`` log folder, and ``on_saved(checkpoint)`` after each checkpoint."""

    folder: Path
    resume: bool = False
    on_saved: Callable[[Path], None] | None = None
    tensorboard: str | None = None
    start: int = 0  # epochs already finished (set by restore)
    disabled: str | None = None  # why checkpoints stopped (a full or read-only disk); the run goes on without
    optimizer_state: list[np.ndarray] | None = None

    def restore(self, model: Any, variables: list[Any], best: Any, config: Any) -> tuple[int, list[dict]]:
        """Load the last checkpoint into ``variables`` and ``best`` (core.training.callbacks.BestWeights);
        ``(epochs finished, history so far)``. Nothing to restore: ``(0, [])``."""
        if not self.resume:
            return 0, []
        remove_stale_temporaries(self.folder)
        found = checkpoint_folders(self.folder)
        if not found:
            raise RunError.of("checkpoints.run_no_checkpoint_left")
        last = found[-1]
        state = read_state(last)
        if state.get("seed") != config.seed:
            raise RunError.of("checkpoints.checkpoint_written_seed_not", written_seed=state.get("seed"), seed=config.seed)
        _assign(variables, _read_arrays(last / "variables.npz"), state["variables"], "model")
        self.optimizer_state = _read_arrays(last / "optimizer.npz")
        best_epoch = state.get("best_epoch")
        if best_epoch is not None:
            best_folder = self.folder / f"{PREFIX}{best_epoch + 1:04d}"
            source = best_folder if (best_folder / STATE_FILE).is_file() else last
            arrays = _read_arrays(source / "variables.npz")
            weights = {id(v) for v in model.weights}
            best.best = {v.path: a for v, a in zip(variables, arrays) if id(v) in weights}
            best.best_loss, best.best_epoch = float(state["best_loss"]), int(best_epoch)
        self.start = int(state["epoch"])
        return self.start, list(state.get("history", []))

    def restore_optimizer(self, fit_model: Any, first_epoch: int, phase_first: int) -> None:
        """Mid-phase, give the phase's fresh optimizer the saved state (a new phase starts a new one)."""
        if self.optimizer_state is None or first_epoch <= phase_first or first_epoch != self.start:
            return
        optimizer = fit_model.optimizer
        optimizer.build(fit_model.trainable_variables)
        if [tuple(v.shape) for v in optimizer.variables] != [a.shape for a in self.optimizer_state]:
            log.warning("the checkpoint's optimizer state does not fit this model; continuing with a fresh one")
            return
        for variable, value in zip(optimizer.variables, self.optimizer_state):
            variable.assign(value)

    def callbacks(self, variables: list[Any], best: Any, progress: Any, phase: str, seed: int,
                  history: list[dict]) -> list[Any]:
        """The phase's checkpoint callback, and TensorBoard when asked for; after BestWeights."""
        out: list[Any] = [Checkpoint(self, variables, best, progress, phase, seed, history)]
        if self.tensorboard:
            from core.training.tensorboard import EpochScalars, EventWriters

            self._writers = getattr(self, "_writers", None) or EventWriters(self.tensorboard)
            out.append(EpochScalars(self._writers, progress))
        return out


def _same_path(path: str) -> str:
    """A variable's path without Keras' uniquifying suffixes (``seed_generator_1``: the second model
    built in one process), which differ between a run and its resume in another process."""
    return re.sub(r"_\d+(?=/|$)", "", path)


def _assign(variables: list[Any], arrays: list[np.ndarray], paths: list[str], what: str) -> None:
    if [_same_path(v.path) for v in variables] != [_same_path(p) for p in paths] or any(tuple(v.shape) != a.shape for v, a in zip(variables, arrays)):
        raise RunError.of("checkpoints.checkpoint_s_does_not", what=what)
    for variable, value in zip(variables, arrays):
        variable.assign(value)


class Checkpoint(keras.callbacks.Callback):
    """Writes the checkpoint of each finished (not cancelled, not diverged) epoch; runs after
    BestWeights, so the best epoch it records includes this one."""

    def __init__(self, files: RunFiles, variables: list[Any], best: Any, progress: Any, phase: str, seed: int,
                 history: list[dict]) -> None:
        super().__init__()
        self.files, self.variables, self.best, self.progress = files, variables, best, progress
        self.phase, self.seed, self.history = phase, seed, history  # history: shared across phases, appended here

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.progress.discarded():
            return
        self.history.append({"epoch": epoch + 1, "phase": self.phase,
                             **{k: float(v) for k, v in (logs or {}).items() if np.ndim(v) == 0}})
        state = {"epoch": epoch + 1, "phase": self.phase, "seed": self.seed, "best_epoch": self.best.best_epoch,
                 "best_loss": self.best.best_loss if self.best.best_epoch is not None else None,
                 "history": self.history, "variables": [v.path for v in self.variables],
                 "optimizer": [v.path for v in self.model.optimizer.variables]}
        if self.files.disabled:
            return
        try:
            self._write(state, epoch)
        except OSError as error:  # a full or read-only data folder: keep training, the model is saved at the end
            self.files.disabled = f"{error.strerror or error} ({getattr(error, 'filename', None) or self.files.folder})"
            shutil.rmtree(self.files.folder / f".tmp-{PREFIX}{epoch + 1:04d}-{os.getpid()}", ignore_errors=True)
            log.warning("checkpoints off for this run: %s", self.files.disabled)
            from core.events import LogMessage

            self.progress.sink(LogMessage.of("checkpoints.could_not_write_checkpoint", "warning", epoch=epoch + 1,
                                             disabled=self.files.disabled))

    def _write(self, state: dict[str, Any], epoch: int) -> None:
        folder = self.files.folder
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(folder)
        target = folder / f"{PREFIX}{epoch + 1:04d}"
        temporary = folder / f".tmp-{target.name}-{os.getpid()}"
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.mkdir()
        _write_arrays(temporary / "variables.npz", [np.asarray(v.numpy()) for v in self.variables])
        _write_arrays(temporary / "optimizer.npz", [np.asarray(v.numpy()) for v in self.model.optimizer.variables])
        with open(temporary / STATE_FILE, "w") as handle:  # written last: a state that parses marks a whole checkpoint
            handle.write(json.dumps(state))
            handle.flush()
            os.fsync(handle.fileno())
        _sync_folder(temporary)
        if target.exists():  # redone after a resume from an earlier checkpoint
            shutil.rmtree(target)
        os.rename(temporary, target)
        _sync_folder(folder)  # the rename is on disk before the previous checkpoint is pruned
        self._prune(target, state["best_epoch"])
        if self.files.on_saved is not None:
            self.files.on_saved(target)

    def _prune(self, last: Path, best_epoch: int | None) -> None:
        """Keep the last and the best checkpoint; delete the others."""
        keep = {last.name} | ({f"{PREFIX}{best_epoch + 1:04d}"} if best_epoch is not None else set())
        for old in self.files.folder.iterdir():  # a broken one (no state that parses) too
            if old.name.startswith(PREFIX) and old.is_dir() and old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
