"""How a running training job shows its progress in the window: the progress bar (with core's time
estimate counting down), the phase and epoch lines under it, and the curves. A part of
gui/training_control.py's TrainingControl, which owns the state it reads (``panels``, ``status``,
``epochs_total``, ``comparing``, the first batch's time and the last estimate)."""
from __future__ import annotations

import time
from typing import Any

from .display_text import format_duration

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

    def on_progress(self, event: Any) -> None:
        if self._first_batch_at is not None:
            return
        bar = self.panels.training.progress
        bar.setRange(0, max(1, event.total))
        bar.setValue(event.done)
        bar.setFormat(event.message or f"{event.done}/{event.total}")

    def on_phase(self, event: Any) -> None:
        self.panels.curves.add_phase(event)
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
        now = time.perf_counter()
        if self._first_batch_at is None:
            self._first_batch_at = now
        bar = self.panels.training.progress
        if bar.maximum() != total:
            bar.setRange(0, total)
        bar.setValue(min(step, total))
        eta = ""
        if self._eta is not None:  # core's estimate at the last epoch's end, counting down since
            eta_s, at = self._eta
            eta = f" · about {format_duration(max(0.0, eta_s - (now - at)))} left"
        bar.setFormat(f"Epoch {last.epoch + 1}/{self.epochs_total} · batch {last.batch + 1}/{last.batches}{eta}")

    def on_epoch(self, event: Any) -> None:
        self.panels.curves.add_epoch(event)
        self.epochs_total = event.epochs
        self._eta = (event.eta_s, time.perf_counter())
        val = "" if event.val_accuracy is None else f", validation accuracy {event.val_accuracy * 100:.1f} %"
        self.panels.training.set_status(f"Epoch {event.epoch + 1} of {event.epochs}: loss {event.loss:.3f}{val}.")

    def on_log(self, event: Any) -> None:
        self.status.showMessage(event.text, 8000)
        if self.comparing and event.text.startswith("Comparing methods"):
            self.panels.training.set_status(event.text + "…")
            self._first_batch_at, self._eta = None, None  # the next method reports its own progress

    def _end_progress(self, kept: bool, cancelled: bool) -> None:
        """The progress bar full and "Done" (or "Stopped") when the run ``kept`` a model, else empty."""
        bar = self.panels.training.progress
        if bar.maximum() == 0:
            bar.setRange(0, 1)
        bar.setValue(bar.maximum() if kept else 0)
        bar.setFormat("Done" if kept and not cancelled else "Stopped")
