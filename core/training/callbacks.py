"""The trainer's Keras callbacks: progress events, cancellation, divergence, best-epoch weights."""
from __future__ import annotations

import math
import threading
import time
from typing import Any

import numpy as np

from core.errors import TrainingDivergedError
from core.events import BatchEnded, EpochEnded, EventSink
from core.training.model import keras


class DivergenceCheck:
    """Decides when a run has diverged: a loss that is not finite, or that has exploded.

    Why this criterion: a learning rate far too high (``1e6``) sends the weights, and with them the
    logits, to astronomically large values; Keras computes the cross-entropy from the logits, so
    the loss grows to 1e8-1e9 without ever becoming NaN, and the run used to "succeed". A run that
    is learning, or merely struggling, stays near or below ``ln(n_classes)``, the loss of a uniform
    guess, and starts there (or at its first batch's loss, when a random network starts higher).
    ``FACTOR`` times that is a loss no useful model ever has, however noisy a batch: for 2 classes
    693, an average probability of e^-693 on the true class. The loss checked is Keras' running
    mean over the epoch, so one unlucky batch cannot trigger it either.
    """

    FACTOR = 1e3

    def __init__(self, n_classes: int) -> None:
        self.reference = math.log(max(n_classes, 2))
        self.started = False
        self.loss = math.nan  # the loss that triggered, for the message

    def exploded(self, loss: float) -> bool:
        if not math.isfinite(loss):
            self.loss = loss
            return True
        if not self.started:  # the first batch's loss: what the untrained model scores
            self.started, self.reference = True, max(self.reference, loss)
        if loss > self.FACTOR * self.reference:
            self.loss = loss
            return True
        return False

    def message(self, learning_rate: float) -> str:
        return str(self.error(learning_rate))

    def error(self, learning_rate: float) -> TrainingDivergedError:
        """The error that ends the run, in words that say what to change."""
        if not math.isfinite(self.loss):
            return TrainingDivergedError.of("training.loss_not_finite", learning_rate=learning_rate)
        return TrainingDivergedError.of("training.loss_exploded", loss=self.loss, reference=self.reference,
                                        learning_rate=learning_rate)


class ProgressCallback(keras.callbacks.Callback):
    """Emits events, honours cancellation within one batch, and stops on a diverged loss."""

    def __init__(self, sink: EventSink, cancel: threading.Event | None, phase: str, total_epochs: int,
                 batches: int, started: float, divergence: DivergenceCheck) -> None:
        super().__init__()
        self.sink, self.cancel, self.phase = sink, cancel, phase
        self.total_epochs, self.batches, self.started = total_epochs, batches, started
        self.divergence = divergence
        self.epoch = 0
        self.diverged = False
        self.cancelled = False

    def discarded(self) -> bool:
        """The current epoch will not be kept: cancelled part-way, or diverged."""
        return self.cancelled or self.diverged

    def cancel_epoch(self) -> None:
        """A cancel that arrived after the last batch (e.g. during a statistics pass)."""
        self.cancelled = True
        self.model.stop_training = True

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        loss = float(logs.get("loss", math.nan))
        self.sink(BatchEnded(self.epoch, batch, self.batches, loss, float(logs.get("accuracy", math.nan))))
        if self.divergence.exploded(loss):
            self.diverged = True
            self.model.stop_training = True
        if self.cancel is not None and self.cancel.is_set():
            self.cancelled = True
            self.model.stop_training = True

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.cancelled:
            self.model.stop_evaluating = True  # a cancelled epoch is discarded: skip its validation

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.cancelled:
            return
        logs = logs or {}
        elapsed = time.perf_counter() - self.started
        done = epoch + 1
        eta = elapsed / done * (self.total_epochs - done)
        lr = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        val_loss, val_acc = logs.get("val_loss"), logs.get("val_accuracy")
        self.sink(EpochEnded(epoch, self.total_epochs, self.phase, float(logs.get("loss", math.nan)),
                             float(logs.get("accuracy", math.nan)),
                             None if val_loss is None else float(val_loss),
                             None if val_acc is None else float(val_acc), lr, elapsed, eta))


class BestWeights(keras.callbacks.Callback):
    """Keeps the weights of the best epoch (lowest validation loss) across phases, by variable path,
    so the result is the best model seen even after a cancel, divergence or early stop. ``snapshot``
    copies the *full* model's changeable variables, also while a phase trains a cached suffix; it
    runs after any BatchNorm re-estimation, so a restored epoch carries its precise statistics."""

    def __init__(self, snapshot: Any) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.progress: ProgressCallback | None = None  # the current phase's, to skip a discarded epoch
        self.best_loss = math.inf
        self.best_epoch: int | None = None
        self.best: dict[str, np.ndarray] | None = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.progress is not None and self.progress.discarded():
            return
        loss = (logs or {}).get("val_loss", (logs or {}).get("loss"))
        if loss is not None and math.isfinite(loss) and loss < self.best_loss:
            self.best_loss, self.best_epoch = float(loss), epoch
            self.best = self.snapshot()

    def restore(self, model: Any) -> None:
        if self.best is not None:
            for variable in model.weights:
                if variable.path in self.best:  # the frozen prefix never changes, so it is not copied
                    variable.assign(self.best[variable.path])
