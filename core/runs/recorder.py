"""Recording one training run into the run store (core/runs/store.py) as it happens.

Why a recorder at the door of training (core/jobs/train.py) rather than in each front: every run, from the
window's engine or the CLI, passes through :func:`core.jobs.train.run_training`, so wrapping its event
sink there records each finished epoch, and its end (completed, stopped, failed), without either
front knowing. Recording is a safety net, never a reason to lose a run: a store that cannot be
written (read-only data folder, a lock held too long) is logged once and the run goes on.
TensorFlow-free.
"""
from __future__ import annotations

import hashlib
import logging
import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path
from typing import Any

from core.events import EpochEnded, EventSink
from core.messages import Said, said
from core.methods import uses_epochs
from core.paths import AppFolderError
from core.runs.store import RUNS_FOLDER, RunStore, new_run_id, now

log = logging.getLogger("finetune_studio")
_STORE_ERRORS = (sqlite3.Error, OSError, AppFolderError)  # AppFolderError: FTS_DATA_DIR unusable


def library_versions() -> dict[str, str]:
    """Python and the installed libraries' versions, read from package metadata (no TensorFlow import)."""
    versions = {"python": platform.python_version()}
    for key, package in (("tensorflow", "tensorflow"), ("keras", "keras"), ("numpy", "numpy"),
                         ("finetune_studio", "finetune-studio")):
        try:
            versions[key] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[key] = "unknown"
    return versions


def data_fingerprint(*folders: str | None) -> str | None:
    """A SHA-256 of the folders' file lists (relative path and size of every file, sorted): equal
    fingerprints mean the same images, as far as a listing can tell, without reading one."""
    digest, seen = hashlib.sha256(), False
    for folder in folders:
        if not folder or not Path(folder).is_dir():
            continue
        seen = True
        entries = []
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in files:
                path = Path(root) / name
                try:
                    entries.append(f"{path.relative_to(folder).as_posix()}\t{path.stat().st_size}")
                except OSError:
                    continue
        digest.update(("\n".join(sorted(entries)) + "\n\0").encode("utf-8", "surrogateescape"))
    return digest.hexdigest() if seen else None


class RunRecorder:
    """The record of one run: created at its start, fed its epochs, closed with its outcome."""

    def __init__(self, store: RunStore | None, run_id: str) -> None:
        self.store, self.run_id = store, run_id

    @property
    def folder(self) -> Path:
        """Where the run's files go (checkpoints, kept bundles), recorded or not: the store's folder of
        the run (:meth:`RunStore.folder`), beside the default store when none could be opened."""
        from core.paths import user_data_dir

        return self.store.folder(self.run_id) if self.store is not None else user_data_dir() / RUNS_FOLDER / self.run_id

    @classmethod
    def begin(cls, config: dict[str, Any], store: RunStore | None = None, resume: str | None = None) -> "RunRecorder":
        """Record a new running run (or mark ``resume``, a recorded run's id, running again).
        ``config``: TrainConfig.to_json()."""
        if resume is not None:  # resuming needs the store: its errors are the user's to see
            store = store or RunStore()
            record = store.get(resume)
            store.restart(record.id)
            store.update(record.id, config=config, epochs=int(config.get("epochs") or 0))
            return cls(store, record.id)
        try:
            store = store or RunStore()
            epochs = int(config.get("epochs") or 0) if uses_epochs(config.get("method", "finetune")) else 0
            record = store.create({**config}, data_dir=config.get("data_dir"), versions=library_versions(),
                                  data_fingerprint=data_fingerprint(config.get("data_dir"), config.get("val_dir")))
            store.update(record.id, epochs=epochs)
            return cls(store, record.id)
        except _STORE_ERRORS as error:
            log.error("could not record the run in the run store: %s", error)
            return cls(None, new_run_id())

    def _write(self, what: str, call: Any, *args: Any, **kwargs: Any) -> None:
        if self.store is None:
            return
        try:
            call(self.run_id, *args, **kwargs)
        except _STORE_ERRORS as error:
            log.error("could not record %s of run %s: %s; the run goes on unrecorded", what, self.run_id, error)
            self.store = None

    def sink(self, inner: EventSink) -> EventSink:
        """``inner``, plus every finished epoch appended to the run's history."""
        def record(event: Any) -> None:
            if isinstance(event, EpochEnded) and self.store is not None:
                self._write("an epoch", self.store.add_epoch, {
                    "epoch": event.epoch + 1, "phase": event.phase, "loss": event.loss, "accuracy": event.accuracy,
                    "val_loss": event.val_loss, "val_accuracy": event.val_accuracy, "lr": event.learning_rate})
            inner(event)
        return record

    def reset_history(self, history: list[dict]) -> None:
        """The history up to the checkpoint a resumed run starts from (epochs recorded after it are redone)."""
        if self.store is not None:
            last = next((row.get("val_accuracy") for row in reversed(history) if row.get("val_accuracy") is not None),
                        None)
            self._write("the history", self.store.update, history=history, epochs_done=len(history), val_accuracy=last)

    def checkpoint_saved(self, folder: Path) -> None:
        if self.store is not None:
            self._write("a checkpoint", self.store.update, checkpoint=str(folder))

    def finished(self, result: Any) -> None:
        """Training ended: its metrics are recorded. A run stopped by the user (the best epoch so far is the
        result) is ``stopped`` now; a finished one stays ``running`` until its bundle is written
        (:func:`record_bundle` makes it ``completed``), so a kill between the last epoch and the save leaves it
        ``interrupted`` and ``train --resume`` writes its model from the checkpoints, never ``completed``
        with no model anywhere."""
        metrics = dict(getattr(result, "metrics", {}) or {})
        changes: dict[str, Any] = dict(ended=now(), metrics=metrics, val_accuracy=metrics.get("val_accuracy"))
        if getattr(result, "cancelled", False):
            changes["status"] = "stopped"
        if self.store is not None:
            self._write("the outcome", self.store.update, **changes)

    def failed(self, error: BaseException) -> None:
        """Stopped before a model existed, or failed; the error's first line is kept."""
        from core.errors import TrainingCancelled

        stopped = isinstance(error, (TrainingCancelled, KeyboardInterrupt))
        text = (str(error).strip().splitlines() or [type(error).__name__])[0]
        if self.store is not None:
            self._write("the outcome", self.store.update, status="stopped" if stopped else "failed", ended=now(),
                        error=None if stopped else text)


UNSAVED = "Trained but not saved"  # the start of a run's error while its model exists only in checkpoints


def record_bundle(run_id: str | None, path: str | Path, store: RunStore | None = None,
                  trained_here: bool = False) -> None:
    """The run's model now lives at ``path`` (saved by the user, or kept by the engine); never fails.
    ``trained_here``: this process trained the model just saved (core.jobs.train.save_training_result), so a
    run still ``running`` is now ``completed``: only a written bundle completes a run. A run recorded as
    unsaved (:func:`record_unsaved`) gets back the outcome it had before the save failed."""
    if not run_id:
        return
    try:
        store = store or RunStore()
        record = store.get(run_id)
        changes: dict[str, Any] = {"bundle": str(path)}
        if record.status == "failed" and (record.error or "").startswith(UNSAVED):
            changes.update(status="stopped" if "(stopped)" in record.error else "completed", error=None)
        elif trained_here and record.status == "running":
            changes.update(status="completed", ended=now())
        store.update(record.id, **changes)
    except Exception as error:  # noqa: BLE001 - a bookkeeping failure never fails a save
        log.error("could not record the bundle of run %s: %s", run_id, error)


def checkpoints_folder(run_id: str, store: RunStore | None = None) -> Path:
    """Where the run ``run_id`` keeps its checkpoints (core.training.checkpoints), recorded or not."""
    from core.paths import user_data_dir

    try:
        return (store or RunStore()).folder(run_id) / "checkpoints"
    except _STORE_ERRORS:
        return user_data_dir() / RUNS_FOLDER / run_id / "checkpoints"


def record_unsaved(run_id: str | None, target: str | Path, error: OSError, store: RunStore | None = None) -> Said:
    """A save of run ``run_id``'s model to ``target`` failed (``error``: a full disk, a read-only folder).
    The run is never left ``completed`` without a bundle: it is recorded ``failed`` with a reason that says
    where its model is (its checkpoints) and how to write it elsewhere. Returns that sentence, for the
    error the user sees; never fails (a store that cannot be written only loses the record)."""
    reason = disk_words(error)
    if not run_id:
        return said("recorder.unsaved", target=target, reason=reason)
    sentence = said("recorder.unsaved_in_run", target=target, reason=reason, run_id=run_id,
                    folder=checkpoints_folder(run_id, store))
    try:
        store = store or RunStore()
        record = store.get(run_id)
        previous = "stopped" if record.status == "stopped" else "completed"
        store.update(record.id, status="failed", ended=now(), error=f"{UNSAVED} ({previous}): {sentence}")
    except Exception as failure:  # noqa: BLE001 - bookkeeping never hides the save's own error
        log.error("could not record that run %s was not saved: %s", run_id, failure)
    return sentence


def disk_words(error: OSError) -> str:
    """An OSError of a write in words: "the disk is full" rather than "[Errno 28] No space left on device"."""
    import errno

    words = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
             errno.EROFS: "the disk is read-only", errno.EACCES: "the folder is not writable",
             errno.EPERM: "the folder is not writable"}
    detail = error.strerror or str(error)
    return f"{words[error.errno]} ({detail})" if error.errno in words else detail
