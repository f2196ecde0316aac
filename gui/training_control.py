"""Training and comparison runs as the window drives them: gather the settings into TrainConfig
keyword arguments, start the run in the engine, follow its progress on the curves, the progress
bar and the status line, and put the resulting model to use when it ends.

Kept out of the window class so the window only assembles panels; this controller receives what
it works with (the panels, the training worker, the model in use, the status bar, the stall probe)
and tells the model in use (gui/model_in_use.py) which model a run produced: the Try-it panel, the
Results and File › Save follow it. The window hears of outcomes through this object's signals.

Every finished model is kept on disk by the engine before the window hears of it
(``TrainSummary.kept_path``, core/bundles/kept_runs.py); when the engine process dies this controller
switches the models in use to those kept bundles, so nothing is lost and Save still works.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from core.engine.protocol import CompareRequest, TrainRequest

from .diagnostics import StallProbe
from .dialogs import show_error
from .display_text import format_duration
from .model_in_use import ModelInUse, kept_note, kept_text
from .panels import Panels
from .widgets.method_choice import METHODS, uses_epochs
from .worker import ENGINE_DIED, EngineWatch, Worker, remote

log = logging.getLogger("finetune_studio")

PHASE_TEXT = {"warmup": "Warm-up: training the new classifier head, backbone frozen",
              "finetune": "Fine-tuning: the unfrozen layers adapt to your images",
              "head": "Training the classifier head (backbone fully frozen)",
              "train": "Training from scratch"}

END_OF_RUN_SETTLE_MS = 1000  # the stall probe keeps measuring this long after a run ends (redraws, Results)


def training_job(kwargs: dict[str, Any]) -> Callable[[Any, Any], Any]:
    """Train (``kwargs["method"]``: fine-tune or embeddings + classifier) in the engine process; the
    result is a core.engine.protocol.TrainSummary whose model stays in the engine, referred to by its handle."""
    return remote(TrainRequest(kwargs))


def comparison_job(kwargs: dict[str, Any], methods: list[str]) -> Callable[[Any, Any], Any]:
    """core.jobs.run_comparison in the engine process; the result is ``{method: TrainSummary}``."""
    return remote(CompareRequest(kwargs, tuple(methods)))


def _rank(metrics: dict[str, Any]) -> tuple[float, float]:
    """Best validation accuracy first; on a tie (common on small, easy datasets) the lower loss."""
    loss = metrics.get("val_loss")
    return (metrics.get("val_accuracy") or 0.0, -(loss if loss is not None else float("inf")))


class TrainingControl(QObject):
    """Starts, follows and finishes the training and comparison runs (one at a time, on ``worker``).
    Besides the outcomes (``trainingFinished``, ``trainingFailed``, ``comparisonFinished``) it emits
    ``runningChanged(running)`` as the inputs lock, ``resultsWanted()`` when a run without curves
    ends, and ``runEnded()`` after every outcome. ``is_closing()``: no dialogs then; ``parent``: the
    window dialogs belong to; ``config_hooks`` let later features add TrainConfig fields."""

    trainingFinished = Signal(object, bool)
    trainingFailed = Signal(str)
    comparisonFinished = Signal(object, bool)
    runningChanged = Signal(bool)
    resultsWanted = Signal()
    runEnded = Signal()

    def __init__(self, panels: Panels, worker: Worker, model: ModelInUse, status: QStatusBar, probe: StallProbe,
                 is_closing: Callable[[], bool] = lambda: False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panels, self.worker, self.model, self.status, self.probe = panels, worker, model, status, probe
        self.is_closing, self.dialog_parent = is_closing, parent
        self.config_hooks: list[Callable[[dict[str, Any]], None]] = []
        self.last_stall_ms: float | None = None  # the longest event-loop stall of the last run
        self.comparing = False  # the running (or last started) job is a comparison
        self.inputs_locked = False
        self._epochs_total = 1
        self._run_started = time.perf_counter()
        self._first_batch_at: float | None = None
        self._eta: tuple[float, float] | None = None  # core's EpochEnded.eta_s, and when it came
        self._connect()

    def _connect(self) -> None:
        """Listen to the training settings, the method chooser, the training worker and the engine."""
        p = self.panels
        p.training.trainRequested.connect(self.start_training)
        p.training.stopRequested.connect(self.stop_training)
        p.method.methodChanged.connect(self.method_changed)
        p.method.compareRequested.connect(self.start_comparison)
        p.method.resultChosen.connect(self.comparison_result_chosen)
        worker = self.worker
        worker.progress.connect(self.on_progress)
        worker.phaseStarted.connect(self.on_phase)
        worker.batchesEnded.connect(self.on_batches)
        worker.epochEnded.connect(self.on_epoch)
        worker.logMessage.connect(self.on_log)
        worker.finished.connect(self.training_finished)
        worker.failed.connect(self.training_failed)
        self.engine_watch = EngineWatch(self)
        self.engine_watch.died.connect(self.engine_died)

    # -- starting and stopping -------------------------------------------------------------
    def train_config_kwargs(self) -> dict[str, Any]:
        """TrainConfig's keyword arguments from the settings on screen."""
        p = self.panels
        kwargs: dict[str, Any] = {
            "data_dir": p.data.train_dir(),
            "val_dir": p.data.val_dir(),
            "val_split": p.data.val_split(),
            "backbone": p.backbone.current_id(),
            "weights": p.backbone.weights_arg(),
            "freeze": p.freeze.freeze_point(),
            **p.training.values(),
            "method": p.method.method(),
            "use_cache": p.use_cache.isChecked(),
        }
        for hook in self.config_hooks:
            hook(kwargs)
        return kwargs

    def start_training(self) -> None:
        self._start_run(self._train)

    def start_comparison(self, methods: list[str]) -> None:
        self._start_run(lambda: self._compare(methods))

    def _start_run(self, start: Callable[[], None]) -> None:
        """Start a run unless the data cannot be trained on (Ctrl+Enter reaches here with Train
        disabled). The stall probe starts before anything else, so the click's own work is measured
        (it keeps running until after the end-of-run redraw)."""
        if self.panels.training.blocked_reason() is not None or self.worker.is_busy():
            return
        self.probe.start()
        start()
        if not self.worker.is_busy():  # refused (e.g. no folder): nothing to measure
            self.probe.stop()

    def _run_kwargs(self) -> dict[str, Any] | None:
        """The TrainConfig keyword arguments for a run, or None (with a message) when none can start."""
        if self.worker.is_busy():
            return None
        if not self.panels.data.train_dir():
            show_error(self.dialog_parent, "No training folder", "Choose a training folder first: a folder with one subfolder "
                       "of images per class.")
            return None
        return self.train_config_kwargs()

    def _train(self) -> None:
        kwargs = self._run_kwargs()
        if kwargs is None:
            return
        self.comparing = False
        if uses_epochs(kwargs["method"]):
            self.panels.training.set_status("Loading the engine and reading the images…")
        else:
            self.panels.training.set_status("Loading the engine, reading the images and computing their features…")
        self._begin_run(kwargs, training_job(kwargs), "training")

    def _compare(self, methods: list[str]) -> None:
        """Run ``methods`` on the same split (core.jobs.run_comparison), each with its own default freeze
        point: fine-tuning trains the last block, the embeddings use the final pooled features."""
        kwargs = self._run_kwargs()
        if kwargs is None:
            return
        kwargs["freeze"] = None
        self.comparing = True
        self.panels.training.set_status(f"Comparing {len(methods)} methods on the same split, each with its "
                                        "default freeze point…")
        self._begin_run(kwargs, comparison_job(kwargs, methods), "comparison")

    def _begin_run(self, kwargs: dict[str, Any], job: Callable[[Any, Any], Any], name: str) -> None:
        p = self.panels
        data = p.data.result
        epochs = self.comparing or uses_epochs(kwargs["method"])
        self.model.set_comparison({})  # their models leave the engine when this run ends
        p.curves.set_empty_text(None if epochs else "Embeddings + a classic classifier trains no epochs: "
                                                    "see Results when it is done")
        p.curves.reset(kwargs["epochs"] if epochs else None, len(data.class_names) if data is not None else None,
                       running=True)
        self._first_batch_at, self._eta = None, None
        self._epochs_total = kwargs["epochs"]
        self.lock_inputs(True)
        p.training.progress.setRange(0, 0)  # busy until the first real progress arrives
        p.training.progress.setFormat("Preparing…")
        self.probe.start(restart=False)  # already running since the click (_start_run)
        self._run_started = time.perf_counter()
        self.worker.start(job, name)

    def stop_training(self) -> None:
        if self.worker.is_busy():
            self.worker.cancel()
            self.panels.training.stop_button.setEnabled(False)
            self.panels.training.set_status("Stopping after the current batch…")

    def stop_stall_probe(self, settle_ms: int = 0) -> None:
        """Stop the run's stall probe, after ``settle_ms`` more of measuring (the end-of-run redraws);
        ``last_stall_ms`` holds the worst so far meanwhile."""
        probe = self.probe
        if not probe.is_active():
            return
        self.last_stall_ms = probe.max_stall_ms
        if settle_ms:
            probe.stop_later(settle_ms, self._stall_probe_stopped)
        else:
            self._stall_probe_stopped(probe.stop())

    def _stall_probe_stopped(self, worst_ms: float) -> None:
        probe = self.probe
        self.last_stall_ms = worst_ms
        log.info("longest event-loop stall over the training run, click to end-of-run redraw: %.1f ms "
                 "(p99 %.1f ms, %d ticks)", worst_ms, probe.percentile(99), probe.ticks)

    # -- inputs ----------------------------------------------------------------------------
    def lock_inputs(self, running: bool) -> None:
        """While training, the settings it was started with stay on screen, unchangeable."""
        p = self.panels
        self.inputs_locked = running
        p.training.set_running(running)
        p.method.set_running(running)
        for panel in (p.data, p.backbone, p.freeze):
            panel.set_locked(running)
        self.runningChanged.emit(running)  # the window's own inputs (File › Choose training folder…)
        if not running:  # set_running(False) enabled every input; the method decides which apply
            self.method_changed(p.method.method())

    def method_changed(self, method: str) -> None:
        """Fine-tuning uses epochs, warm-up, learning rate, augmentation and early stopping; the embeddings
        methods use none of them, and their freeze slider picks the feature layer (default: the end)."""
        epochs = uses_epochs(method)
        t = self.panels.training
        if not self.inputs_locked:
            for widget in (t.epochs, t.warmup, t.learning_rate, t.find_rate_button, *t.augment.values(),
                           t.early_stop):
                widget.setEnabled(epochs)
            t.patience.setEnabled(epochs and t.early_stop.isChecked())
        self.panels.freeze.set_embedding_mode(not epochs)
        t.train_button.setToolTip("Start fine-tuning with these settings (Ctrl+Enter)" if epochs else
                                  f"Compute the features and fit {METHODS[method][0].lower()} (Ctrl+Enter)")

    # -- progress --------------------------------------------------------------------------
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
        total = max(1, self._epochs_total * last.batches)
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
        bar.setFormat(f"Epoch {last.epoch + 1}/{self._epochs_total} · batch {last.batch + 1}/{last.batches}{eta}")

    def on_epoch(self, event: Any) -> None:
        self.panels.curves.add_epoch(event)
        self._epochs_total = event.epochs
        self._eta = (event.eta_s, time.perf_counter())
        val = "" if event.val_accuracy is None else f", validation accuracy {event.val_accuracy * 100:.1f} %"
        self.panels.training.set_status(f"Epoch {event.epoch + 1} of {event.epochs}: loss {event.loss:.3f}{val}.")

    def on_log(self, event: Any) -> None:
        self.status.showMessage(event.text, 8000)
        if self.comparing and event.text.startswith("Comparing methods"):
            self.panels.training.set_status(event.text + "…")
            self._first_batch_at, self._eta = None, None  # the next method reports its own progress

    # -- outcomes --------------------------------------------------------------------------
    def _run_ended(self) -> None:
        """What every end of a run shares: the stall probe stops, the curves fit their data, the inputs
        unlock."""
        self.stop_stall_probe(settle_ms=END_OF_RUN_SETTLE_MS)
        self.panels.curves.finish()
        self.lock_inputs(False)

    def _end_progress(self, kept: bool, cancelled: bool) -> None:
        """The progress bar full and "Done" (or "Stopped") when the run ``kept`` a model, else empty."""
        bar = self.panels.training.progress
        if bar.maximum() == 0:
            bar.setRange(0, 1)
        bar.setValue(bar.maximum() if kept else 0)
        bar.setFormat("Done" if kept and not cancelled else "Stopped")

    def training_finished(self, result: Any, cancelled: bool) -> None:
        training = self.panels.training
        self._run_ended()
        if self.comparing:
            self._comparison_finished(result or {}, cancelled)
            self.runEnded.emit()
            return
        self._end_progress(result is not None, cancelled)
        if result is None:
            training.set_status("Stopped before the first epoch finished — there is no model to keep.")
        else:
            self.use_trained(result)  # the status bar names it (gui/model_in_use.py)
            if not uses_epochs(result.method):
                self.resultsWanted.emit()  # no curves to look at
            metrics = result.metrics or {}
            accuracy = metrics.get("val_accuracy")
            acc = f"validation accuracy {accuracy * 100:.1f} %" if accuracy is not None else "finished"
            best = f" (best epoch {result.best_epoch})" if result.best_epoch else ""
            took = f" in {format_duration(time.perf_counter() - self._run_started)}"
            lead = "Stopped — kept the best epoch so far" if cancelled else "Done"
            training.set_status(f"{lead}: {acc}{best}{took}. {kept_text(result)} Drop images on the "
                                "right to try it.", "ok")
        self.trainingFinished.emit(result, cancelled)
        self.runEnded.emit()

    def _comparison_finished(self, results: dict[str, Any], cancelled: bool) -> None:
        training = self.panels.training
        self.model.set_comparison(results)  # the method chooser's table shows them
        self._end_progress(bool(results), cancelled)
        if not results:
            training.set_status("Stopped before the first method finished — nothing to compare.")
            self.comparisonFinished.emit({}, cancelled)
            return
        best = max(results, key=lambda m: _rank(results[m].metrics or {}))
        chosen = results[best]
        self.use_trained(chosen)  # the status bar names it, not the last method's log line (its C)
        self.resultsWanted.emit()
        self.panels.method.set_method(best)  # the method of the model now in use; the next Train uses it too
        accuracy = (chosen.metrics or {}).get("val_accuracy")
        acc = f" ({accuracy * 100:.1f} % validation accuracy)" if accuracy is not None else ""
        lead = "Stopped — compared the methods that finished" if cancelled else "Compared"
        training.set_status(f"{lead}. Using the best, {chosen.method_label}{acc}; double-click a row to use "
                            f"another. {kept_text(chosen, compared=True)}", "ok")
        self.comparisonFinished.emit(dict(results), cancelled)

    def comparison_result_chosen(self, method: str) -> None:
        result = self.model.comparison.get(method)
        if result is None:
            return
        self.use_trained(result)
        if result.history:
            self.panels.curves.load_history(result.history)

    def training_failed(self, message: str, details: str) -> None:
        training = self.panels.training
        self._run_ended()
        training.progress.setRange(0, 1)
        training.progress.setValue(0)
        training.progress.setFormat("Failed")
        if message.startswith(ENGINE_DIED):
            message += kept_note(self.model.result).replace("Your trained", "Your last trained")
        training.set_status(message, "error")
        if not self.is_closing():
            show_error(self.dialog_parent, "Comparison failed" if self.comparing else "Training failed", message,
                       details)
        self.trainingFailed.emit(message)
        self.runEnded.emit()

    def use_trained(self, result: Any) -> None:
        """Make a just-trained model the one in use: predictions, its Results, and File › Save follow."""
        self.model.use_trained(result)

    # -- a dead engine ---------------------------------------------------------------------
    def engine_died(self, description: str, failed_jobs: int) -> None:
        """The engine process ended unasked: its in-memory models are gone, their kept bundles are not.

        The model in use (and every compared one) switches to its kept bundle, which the next
        engine loads when it is first asked to predict; Save copies the bundle either way. When no
        job reported the death (it happened between jobs), a message says so: otherwise the first
        sign would be a failed prediction, long after."""
        self.model.switch_to_kept()  # the Try-it panel follows (same model, new handle)
        if self.is_closing() or self.worker.is_busy():
            return  # the run's own failure says it (training_failed adds where the last model is)
        result = self.model.result
        note = kept_note(result) if result is not None and not self.model.is_saved() else ""
        self.panels.training.set_status(description + note, "error")
        if not failed_jobs:  # between jobs: nothing else will tell the user
            show_error(self.dialog_parent, "The engine stopped", description + note)
