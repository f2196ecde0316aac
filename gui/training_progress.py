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

from .display_text import format_duration
from .engine_messages import engine_text

_clock = time.perf_counter  # the tests' stand-in clock replaces it

PHASE_TEXT = {"warmup": "Warm-up: training the new classifier head, backbone frozen",
              "finetune": "Fine-tuning: the unfrozen layers adapt to your images",
              "head": "Training the classifier head (backbone fully frozen)",
              "train": "Training from scratch"}


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
        text = PHASE_TEXT.get(event.name, event.name)
        self.panels.training.set_status(f"{text} (learning rate {event.learning_rate:g}, "
                                        f"{event.trainable_params / 1e6:.2f} M trainable parameters)…")

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
        eta = ""
        if self._eta is not None:  # the estimate at the last measured epoch's end, counting down since
            eta_s, at = self._eta
            eta = f" · about {format_duration(max(0.0, eta_s - (now - at)))} left"
        bar.setFormat(f"Epoch {last.epoch + 1}/{self.epochs_total} · batch {last.batch + 1}/{last.batches}{eta}")

    def on_epoch(self, event: Any) -> None:
        curves = self.panels.curves
        curves.add_epoch(event)
        curves.request_redraw(immediate=True)  # a blit (1-3 ms): the point is there when the status says so
        self.epochs_total = event.epochs
        self._eta = self._estimate(event)
        val = "" if event.val_accuracy is None else f", validation accuracy {event.val_accuracy * 100:.1f} %"
        self.panels.training.set_status(f"Epoch {event.epoch + 1} of {event.epochs}: loss {event.loss:.3f}{val}.")

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
        if self.comparing and event.text.startswith("Comparing methods"):
            self.panels.training.set_status(engine_text(event) + "…")
            self.reset_estimate()  # the next method reports its own progress

    def _end_progress(self, kept: bool, cancelled: bool) -> None:
        """The progress bar full and "Done" (or "Stopped") when the run ``kept`` a model, else empty."""
        bar = self.panels.training.progress
        if bar.maximum() == 0:
            bar.setRange(0, 1)
        bar.setValue(bar.maximum() if kept else 0)
        bar.setFormat("Done" if kept and not cancelled else "Stopped")
