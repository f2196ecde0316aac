"""How a running training job shows its progress in the window: the progress bar (with a time
estimate counting down), the phase and epoch lines under it, and the curves. A part of
gui/training_control.py's TrainingControl, which owns the state it reads (``panels``, ``status``,
``epochs_total``, ``comparing``, the first batch's time and the last estimate).

The estimate waits for evidence (issue 25: "about 3 min 55" for a run that ended at 56 s). A phase's
first epoch carries its setup (the cached-feature pass, building and compiling the model) and a
warm-up epoch on cached features is far faster than a fine-tuning one, so core's estimate (elapsed
time per epoch so far) misleads early on. Here an epoch counts as measured only from the end of
the one before it in the same phase, and the time left is shown only once the current phase is the
last one and has a measured epoch: before that the bar shows no estimate rather than a wrong one.
The status line changes with the curves: an epoch is drawn on them before the status announces it."""
from __future__ import annotations

import statistics
import time
from typing import Any

from PySide6.QtCore import QCoreApplication

from .display_text import format_duration
from .engine_messages import engine_text, engine_words
from .model_in_use import accuracy_words, kept_text

_clock = time.perf_counter  # the tests' stand-in clock replaces it



def phase_text(name: str) -> str:
    """What a training phase does, in words (the engine names it; an unknown name is shown as is)."""
    texts = {"warmup": QCoreApplication.translate("TrainingProgress", "Warm-up: training the new classifier head, "
                                                                      "backbone frozen"),
             "finetune": QCoreApplication.translate("TrainingProgress", "Fine-tuning: the unfrozen layers adapt "
                                                                        "to your images"),
             "head": QCoreApplication.translate("TrainingProgress", "Training the classifier head (backbone fully "
                                                                    "frozen)"),
             "train": QCoreApplication.translate("TrainingProgress", "Training from scratch")}
    return texts.get(name, name)


class TrainingProgress:
    """The progress handlers of the training controller (connected to its worker's signals)."""

    panels: Any
    status: Any
    comparing: bool
    epochs_total: int
    _first_batch_at: float | None
    _eta: tuple[float, float] | None
    _phase_end: int | None = None  # the epoch count at the end of the current phase (None: unknown)
    _last_epoch_at: float | None = None  # when the previous epoch of this phase ended
    _epoch_seconds: list[float]  # measured epochs of this phase
    _run_started: float  # when the run was started (perf_counter)

    def reset_estimate(self) -> None:
        """A new run (or a comparison's next method): no evidence yet, no estimate."""
        self._first_batch_at, self._eta = None, None
        self._phase_end, self._last_epoch_at, self._epoch_seconds = None, None, []

    def on_progress(self, event: Any) -> None:
        if self._first_batch_at is not None:
            return
        bar = self.panels.training.progress
        bar.setRange(0, max(1, event.total))
        bar.setValue(event.done)
        bar.setFormat(engine_text(event) or f"{event.done}/{event.total}")

    def on_phase(self, event: Any) -> None:
        self.panels.curves.add_phase(event)
        self._phase_end = event.first_epoch + event.epochs
        self._last_epoch_at, self._epoch_seconds = None, []  # the phase's first epoch carries its setup
        self.panels.training.set_status(QCoreApplication.translate(
            "TrainingProgress", "{phase} (learning rate {rate}, {millions} M trainable parameters)…").format(
            phase=phase_text(event.name), rate=f"{event.learning_rate:g}",
            millions=f"{event.trainable_params / 1e6:.2f}"))

    def on_batches(self, events: list[Any]) -> None:
        if not events:
            return
        self.panels.curves.add_batches(events)
        last = events[-1]
        total = max(1, self.epochs_total * last.batches)
        step = last.epoch * last.batches + last.batch + 1
        now = _clock()
        if self._first_batch_at is None:
            self._first_batch_at = now
        bar = self.panels.training.progress
        if bar.maximum() != total:
            bar.setRange(0, total)
        bar.setValue(min(step, total))
        numbers = {"epoch": last.epoch + 1, "epochs": self.epochs_total, "batch": last.batch + 1,
                   "batches": last.batches}
        if self._eta is None:
            bar.setFormat(QCoreApplication.translate("TrainingProgress", "Epoch {epoch}/{epochs} · batch "
                                                                         "{batch}/{batches}").format(**numbers))
        else:  # the estimate at the last measured epoch's end, counting down since
            eta_s, at = self._eta
            text = QCoreApplication.translate("TrainingProgress", "Epoch {epoch}/{epochs} · batch {batch}/{batches} "
                                                                  "· about {left} left")
            bar.setFormat(text.format(left=format_duration(max(0.0, eta_s - (now - at))), **numbers))

    def on_epoch(self, event: Any) -> None:
        curves = self.panels.curves
        curves.add_epoch(event)
        curves.request_redraw(immediate=True)  # a blit (1-3 ms): the point is there when the status says so
        self.epochs_total = event.epochs
        self._eta = self._estimate(event)
        numbers = {"epoch": event.epoch + 1, "epochs": event.epochs, "loss": f"{event.loss:.3f}"}
        if event.val_accuracy is None:
            text = QCoreApplication.translate("TrainingProgress", "Epoch {epoch} of {epochs}: loss {loss}.")
        else:
            numbers["accuracy"] = f"{event.val_accuracy * 100:.1f}"
            text = QCoreApplication.translate("TrainingProgress", "Epoch {epoch} of {epochs}: loss {loss}, "
                                                                  "validation accuracy {accuracy} %.")
        self.panels.training.set_status(text.format(**numbers))

    def _estimate(self, event: Any) -> tuple[float, float] | None:
        """(seconds left, when estimated), or None while there is no evidence for the time left."""
        now = _clock()
        if self._last_epoch_at is not None:
            self._epoch_seconds.append(now - self._last_epoch_at)
        self._last_epoch_at = now
        last_phase = self._phase_end is None or self._phase_end >= event.epochs
        if not self._epoch_seconds or not last_phase:
            return None
        return statistics.median(self._epoch_seconds) * max(0, event.epochs - event.epoch - 1), now

    def on_log(self, event: Any) -> None:
        self.status.showMessage(engine_text(event), 8000)
        if self.comparing and getattr(event, "message_id", "") == "compare.comparing_methods":
            self.panels.training.set_status(engine_text(event) + "…")
            self.reset_estimate()  # the next method reports its own progress

    def _end_progress(self, kept: bool, cancelled: bool) -> None:
        """The progress bar full and "Done" (or "Stopped") when the run ``kept`` a model, else empty."""
        bar = self.panels.training.progress
        if bar.maximum() == 0:
            bar.setRange(0, 1)
        bar.setValue(bar.maximum() if kept else 0)
        bar.setFormat(QCoreApplication.translate("TrainingProgress", "Done") if kept and not cancelled else
                      QCoreApplication.translate("TrainingProgress", "Stopped"))

    def finished_text(self, result: Any, cancelled: bool) -> str:
        """The status line when a run ends with a model: its accuracy, best epoch, time and where it is kept."""
        accuracy = accuracy_words(result.metrics or {})  # with its 95 % interval
        words = {"accuracy": accuracy or QCoreApplication.translate("TrainingProgress", "finished"),
                 "took": format_duration(time.perf_counter() - self._run_started), "kept": kept_text(result)}
        if accuracy:
            words["accuracy"] = QCoreApplication.translate("TrainingProgress", "validation accuracy {accuracy}").format(
                accuracy=accuracy)
        if result.best_epoch:
            words["best"] = result.best_epoch
            text = (QCoreApplication.translate("TrainingProgress", "Stopped — kept the best epoch so far: {accuracy} "
                                               "(best epoch {best}) in {took}. {kept} Drop images on the right to "
                                               "try it.") if cancelled else
                    QCoreApplication.translate("TrainingProgress", "Done: {accuracy} (best epoch {best}) in {took}. "
                                                                   "{kept} Drop images on the right to try it."))
            return text.format(**words)
        text = (QCoreApplication.translate("TrainingProgress", "Stopped — kept the best epoch so far: {accuracy} in "
                                           "{took}. {kept} Drop images on the right to try it.") if cancelled else
                QCoreApplication.translate("TrainingProgress", "Done: {accuracy} in {took}. {kept} Drop images on "
                                                               "the right to try it."))
        return text.format(**words)

    def compared_text(self, chosen: Any, cancelled: bool) -> str:
        """The status line when a comparison ends: the best method is in use."""
        accuracy = accuracy_words(chosen.metrics or {})
        words = {"method": engine_words(chosen.method_label), "accuracy": accuracy, "kept": kept_text(chosen, compared=True)}
        if accuracy:
            text = (QCoreApplication.translate("TrainingProgress", "Stopped — compared the methods that finished. "
                                               "Using the best, {method} (validation accuracy {accuracy}); "
                                               "double-click a row to use another. {kept}") if cancelled else
                    QCoreApplication.translate("TrainingProgress", "Compared. Using the best, {method} (validation "
                                               "accuracy {accuracy}); double-click a row to use another. {kept}"))
        else:
            text = (QCoreApplication.translate("TrainingProgress", "Stopped — compared the methods that finished. "
                                               "Using the best, {method}; double-click a row to use another. "
                                               "{kept}") if cancelled else
                    QCoreApplication.translate("TrainingProgress", "Compared. Using the best, {method}; double-click "
                                                                   "a row to use another. {kept}"))
        return text.format(**words)
