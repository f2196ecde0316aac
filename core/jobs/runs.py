"""The door of ``runs``: the run store's operations for both fronts:
listing, showing and deleting recorded runs, and continuing one from its last checkpoint.

Listing, showing and deleting import no TensorFlow (core/runs/store.py), so ``runs`` answers in a
fraction of a second; only :func:`resume_training` loads the training side.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.jobs import train as training
from core.errors import RunError, RunInUseError
from core.events import EventSink, LogMessage, ignore_events
from core.methods import uses_epochs
from core.runs.recorder import RunRecorder, data_fingerprint
from core.runs.store import RunRecord, RunStore
from core.training.finish import can_finish_without_training


def open_store() -> RunStore:
    """The app's run store; a damaged one is set aside and a fresh one started (``store.damaged``,
    ``store.damaged_notice()``: the fronts say so)."""
    return RunStore()


def list_runs(store: RunStore | None = None) -> list[RunRecord]:
    """Every recorded run, newest first (a dead process's run reads ``interrupted``)."""
    return (store or RunStore()).runs()


def get_run(run_id: str, store: RunStore | None = None) -> RunRecord:
    """One run, by its id or a unique prefix of it (RunNotFoundError otherwise)."""
    return (store or RunStore()).get(run_id)


def delete_run(run_id: str, store: RunStore | None = None) -> str:
    """Forget a run and delete its checkpoints and kept bundles (never a bundle saved elsewhere); its id."""
    store = store or RunStore()
    record = store.get(run_id)
    store.delete(record.id)
    return record.id


def resume_plan(run_id: str, epochs: int | None = None, store: RunStore | None = None) -> tuple[RunRecord, Any, int]:
    """Check that ``run_id`` can continue, before any long work: ``(record, TrainConfig, epochs
    already done)``. Refused with a RunError: a run still running, one without checkpoint, one
    that already finished every epoch asked for and has its model. A run whose checkpoints hold every
    epoch but whose model was never written (killed before its save, a full disk) is accepted:
    :func:`resume_training` writes its model from the best checkpoint without training
    (:func:`finishes_without_training`)."""
    from core.training.checkpoints import checkpoint_folders, read_state
    from core.config import TrainConfig

    store = store or RunStore()
    record = store.get(run_id)
    if record.status == "running":
        raise RunInUseError.of("runs.run_still_running_can", id=record.id)
    config = TrainConfig.from_json(record.config, strict=False)
    if epochs is not None:
        config = replace(config, epochs=epochs, warmup_epochs=min(config.warmup_epochs, epochs))
    if not uses_epochs(config.method):
        return record, config, 0  # nothing to continue: an embeddings method is fitted again, in seconds
    found = checkpoint_folders(store.folder(record.id) / "checkpoints")
    if not found:
        raise RunError.of("runs.run_no_checkpoint_continue", id=record.id)
    done = int(read_state(found[-1])["epoch"])
    if config.epochs == done and can_finish_without_training(done, config.epochs, has_bundle(record)):
        return record, config, done
    if config.epochs <= done:
        raise RunError.of("runs.run_already_finished_epochs", id=record.id, done=done, epochs=config.epochs)
    return record, config, done


def has_bundle(record: RunRecord) -> bool:
    """Whether the run's model was written (saved, or kept by the engine) and is still there."""
    return bool(record.bundle) and Path(record.bundle).is_dir()


def finishes_without_training(config: Any, done: int) -> bool:
    """Whether :func:`resume_plan`'s answer means writing the model from the checkpoints, not training."""
    return uses_epochs(config.method) and done >= config.epochs


def resume_training(run_id: str, epochs: int | None = None, sink: EventSink = ignore_events,
                    cancel: threading.Event | None = None, tensorboard: str | None = None,
                    store: RunStore | None = None, plan: tuple[RunRecord, Any, int] | None = None) -> Any:
    """Continue the recorded run ``run_id`` from its last checkpoint (``epochs``: a new total, larger
    to extend a completed run), under the same id; returns the TrainResult like
    :func:`core.jobs.train.run_training`. An embeddings method (svm, logreg) has no epochs: it is simply
    fitted again with the same settings. ``plan``: :func:`resume_plan`'s answer when the caller
    already checked (the CLI, before it checks ``--out``)."""
    store = store or RunStore()
    record, config, done = plan or resume_plan(run_id, epochs, store)
    if not uses_epochs(config.method):
        sink(LogMessage.of("runs.run_no_epochs_continue", id=record.id, method=config.method))
        return training.run_training(config, sink, cancel, resume=record.id)
    if record.data_fingerprint and data_fingerprint(config.data_dir, config.val_dir) != record.data_fingerprint:
        sink(LogMessage.of("runs.images_changed_since_run", data_dir=config.data_dir, id=record.id))
    from core.training.checkpoints import checkpoint_folders, read_state

    checkpoints = store.folder(record.id) / "checkpoints"
    state = read_state(checkpoint_folders(checkpoints)[-1])
    RunRecorder(store, record.id).reset_history(state.get("history", []))  # epochs after it are redone
    if finishes_without_training(config, done):
        return finish_run(record, config, checkpoints, sink, cancel, store)
    sink(LogMessage.of("runs.continuing_run_after_epoch", id=record.id, done=done, epochs=config.epochs))
    return training.run_training(config, sink, cancel, resume=record.id, tensorboard=tensorboard)


def finish_run(record: RunRecord, config: Any, checkpoints: Path, sink: EventSink,
               cancel: threading.Event | None, store: RunStore) -> Any:
    """The model of a run that trained every epoch but was never saved, from its best checkpoint and
    without training (core.training.finish), recorded under the run's id like a continued run; the
    caller saves it, which completes the run."""
    from core.training.finish import finish_from_checkpoints
    from core.training.precision import run_with_policy

    sink(LogMessage.of("runs.run_trained_all_epochs", id=record.id, epochs=config.epochs))
    recorder = RunRecorder.begin(config.to_json(), store=store, resume=record.id)
    return training.recorded(recorder, lambda: run_with_policy(
        getattr(config, "mixed_precision", True), sink,  # the dtype the checkpoints were written in
        lambda: finish_from_checkpoints(config, checkpoints, sink, cancel)))
