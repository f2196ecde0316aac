"""Auto's fine-tuning candidates: one cross-validation fold at a time, through the ordinary trainer.

Why through ``core.training.trainer.train``: a fold is then exactly the run the lab would get with
those settings (same two phases, feature cache for the frozen prefix, best-epoch restore), only on
the fold's images. Each fold records its validation-accuracy curve; the candidate's epoch count is
the one where the folds' mean curve peaks, and each fold is scored at that epoch, so the epoch
count is chosen by cross-validation like any other setting and the final refit (which has no
validation images to stop on) trains exactly that many epochs.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from core.auto.candidates import Candidate, Score, augmentation
from core.auto.folds import Fold
from core.auto.startup import StartupWatch
from core.events import EventSink, LogMessage
from core.errors import TrainingCancelled
from core.messages import Worded

PATIENCE = 3  # early stopping on the fold's validation loss: a fold stops once it stops improving
MIN_BATCH = 4


class FoldStopped(Exception):
    """The fold was stopped (budget or Stop) before it finished: it is not part of any score."""


class CandidateSkipped(Worded, Exception):
    """The candidate cannot run here (out of memory even at the smallest batch); the reason is the
    message, with its id (core/messages/names.py) for the window."""


def memory_errors() -> tuple[type[BaseException], ...]:
    import tensorflow as tf

    return (tf.errors.ResourceExhaustedError, MemoryError)


def fold_config(base: Any, candidate: Candidate, batch_size: int) -> Any:
    from core.training.pipeline import Augmentation

    return replace(base, backbone=candidate.backbone, method="finetune", freeze=candidate.layer,
                   epochs=candidate.epochs, warmup_epochs=min(base.warmup_epochs, candidate.epochs),
                   learning_rate=candidate.learning_rate or base.learning_rate, batch_size=batch_size,
                   augment=augmentation() if candidate.augment else Augmentation(),
                   early_stopping_patience=PATIENCE)


def fold_data(data: Any, fold: Fold) -> Any:
    """The fold as the trainer's PreparedData: fit on ``fold[0]``, validate on ``fold[1]``, both
    rows of the *training* images (the held-out validation images are not passed at all)."""
    from core.training.trainer import PreparedData

    fit, score = fold
    return PreparedData(data.train.subset(fit), data.train.subset(score), data.train_images[fit],
                        data.train_images[score], data.image_size)


def only_warnings(sink: EventSink) -> EventSink:
    """A fold's own progress (epochs, batches) is not the search's: pass on only warnings."""
    def forward(event: Any) -> None:
        if isinstance(event, LogMessage) and event.level != "info":
            sink(event)
    return forward


def run_fold(base: Any, score: Score, data: Any, fold: Fold, sink: EventSink, stop: threading.Event) -> float:
    """Train one fold of ``score``'s candidate, add its curve, seconds and start-up (until the first
    batch of its last phase: core/auto/startup.py) to the score; returns its seconds.
    Out of memory: the batch size is halved and the fold retried, down to ``MIN_BATCH``."""
    from core.training.trainer import train

    batch = base.batch_size
    started = time.perf_counter()
    watch = StartupWatch(only_warnings(sink), started)  # from the start: an out-of-memory try is part of it
    while True:
        config = fold_config(base, score.candidate, batch)
        try:
            result = train(config, watch, stop, data=fold_data(data, fold))
            break
        except memory_errors() as error:
            if batch // 2 < MIN_BATCH:
                raise CandidateSkipped.of("finetune.out_of_memory_smallest_batch", batch=batch) from error
            sink(LogMessage.of("finetune.auto_ran_out_memory", "warning", candidate=score.candidate.name,
                               batch=batch, half_batch=batch // 2))
            batch //= 2
        except TrainingCancelled:
            raise FoldStopped() from None
    if result.cancelled:
        raise FoldStopped()
    seconds = time.perf_counter() - started
    score.curves.append(fold_curve(result.history, result.best_epoch, config.epochs))
    score.fold_seconds.append(seconds)
    score.fold_startups.append(seconds if watch.seconds is None else watch.seconds)
    score.kept = result
    rescore(score)
    return seconds


def fold_curve(history: list[dict[str, Any]], best_epoch: int | None, epochs: int) -> list[float]:
    """Validation accuracy after each epoch; after an early stop, the kept (best) epoch's value
    carries on: that is the model an early-stopped run keeps."""
    curve = [float(row.get("val_accuracy", np.nan)) for row in history]
    kept = curve[best_epoch - 1] if best_epoch else (curve[-1] if curve else 0.0)
    return (curve + [kept] * epochs)[:epochs]


def rescore(score: Score) -> None:
    """Pick the epoch count where the folds' mean curve peaks (the earliest such), and score each fold there."""
    curves = np.asarray(score.curves, float)
    mean = np.nanmean(curves, axis=0)
    best = int(np.nanargmax(mean))
    score.chosen_epochs = best + 1
    score.fold_accuracies = [float(v) for v in curves[:, best]]
