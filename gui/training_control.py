"""Training and comparison runs as the window drives them: gather the settings into TrainConfig
keyword arguments, start the run in the engine, follow its progress on the curves, the progress
bar and the status line, and put the resulting model to use when it ends.

Kept out of the window class so the window only assembles panels; this controller reaches the
panels through the window and leaves the model-in-use state (``result``, ``comparison``) there.

Every finished model is kept on disk by the engine before the window hears of it
(``TrainSummary.kept_path``, core/bundles/kept_runs.py); when the engine process dies this controller
switches the models in use to those kept bundles, so nothing is lost and Save still works.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from core.engine.protocol import CompareRequest, TrainRequest

from .dialogs import show_error
from .display_text import class_list, format_duration, model_kind
from .widgets.method_choice import METHODS, uses_epochs
from .worker import ENGINE_DIED, EngineWatch, remote

if TYPE_CHECKING:
    from .main_window import MainWindow

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


def kept_note(result: Any) -> str:
    """Where the engine kept ``result``'s model, for the end of a message ("" when it could not)."""
    kept = getattr(result, "kept_path", None)
    return f" Your trained model is safe in {kept}; File › Save model… copies it to a place you choose." if kept else ""


def in_use_text(result: Any) -> str:
    """The status bar's line for the model in use: its method, and the C of an embeddings classifier
    (a comparison's last log line named the logistic regression's C whichever model was in use)."""
    metrics = result.metrics or {}
    classifier = metrics.get("classifier") or {}
    c = f", C = {classifier['C']:g}" if not uses_epochs(result.method) and "C" in classifier else ""
    accuracy = metrics.get("val_accuracy")
    acc = f": validation accuracy {accuracy * 100:.1f} %" if accuracy is not None else ""
    return f"In use: the {result.method_label} model{c}{acc}."


def _rank(metrics: dict[str, Any]) -> tuple[float, float]:
    """Best validation accuracy first; on a tie (common on small, easy datasets) the lower loss."""
    loss = metrics.get("val_loss")
    return (metrics.get("val_accuracy") or 0.0, -(loss if loss is not None else float("inf")))


class TrainingControl:
    """Starts, follows and finishes the window's training and comparison runs (one at a time, on
    ``window.train_worker``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.comparing = False  # the running (or last started) job is a comparison
        self.inputs_locked = False
        self._epochs_total = 1
        self._run_started = time.perf_counter()
        self._first_batch_at: float | None = None
        self._eta: tuple[float, float] | None = None  # core's EpochEnded.eta_s, and when it came

    def connect(self) -> None:
        """Listen to the training settings, the method chooser and the training worker."""
        w = self.window
        w.training.trainRequested.connect(w.start_training)
        w.training.stopRequested.connect(self.stop_training)
        w.method.methodChanged.connect(self.method_changed)
        w.method.compareRequested.connect(w.start_comparison)
        w.method.resultChosen.connect(self.comparison_result_chosen)
        worker = w.train_worker
        worker.progress.connect(self.on_progress)
        worker.phaseStarted.connect(self.on_phase)
        worker.batchesEnded.connect(self.on_batches)
        worker.epochEnded.connect(self.on_epoch)
        worker.logMessage.connect(self.on_log)
        worker.finished.connect(self.training_finished)
        worker.failed.connect(self.training_failed)
        self.engine_watch = EngineWatch(w)
        self.engine_watch.died.connect(self.engine_died)

    # -- starting and stopping -------------------------------------------------------------
    def train_config_kwargs(self) -> dict[str, Any]:
        w = self.window
        kwargs: dict[str, Any] = {
            "data_dir": w.data_panel.train_dir(),
            "val_dir": w.data_panel.val_dir(),
            "val_split": w.data_panel.val_split(),
            "backbone": w.backbone.current_id(),
            "weights": w.backbone.weights_arg(),
            "freeze": w.freeze.freeze_point(),
            **w.training.values(),
        }
        for hook in w.config_hooks:
            hook(kwargs)
        return kwargs

    def _run_kwargs(self) -> dict[str, Any] | None:
        """The TrainConfig keyword arguments for a run, or None (with a message) when none can start."""
        w = self.window
        if w.train_worker.is_busy():
            return None
        if not w.data_panel.train_dir():
            show_error(w, "No training folder", "Choose a training folder first: a folder with one subfolder "
                       "of images per class.")
            return None
        return self.train_config_kwargs()

    def start_training(self) -> None:
        kwargs = self._run_kwargs()
        if kwargs is None:
            return
        self.comparing = False
        if uses_epochs(kwargs["method"]):
            self.window.training.set_status("Loading the engine and reading the images…")
        else:
            self.window.training.set_status("Loading the engine, reading the images and computing their features…")
        self._begin_run(kwargs, training_job(kwargs), "training")

    def start_comparison(self, methods: list[str]) -> None:
        """Run ``methods`` on the same split (core.jobs.run_comparison), each with its own default freeze
        point: fine-tuning trains the last block, the embeddings use the final pooled features."""
        kwargs = self._run_kwargs()
        if kwargs is None:
            return
        kwargs["freeze"] = None
        self.comparing = True
        self.window.training.set_status(f"Comparing {len(methods)} methods on the same split, each with its "
                                        "default freeze point…")
        self._begin_run(kwargs, comparison_job(kwargs, methods), "comparison")

    def _begin_run(self, kwargs: dict[str, Any], job: Callable[[Any, Any], Any], name: str) -> None:
        w = self.window
        data = w.data_panel.result
        epochs = self.comparing or uses_epochs(kwargs["method"])
        w.comparison = {}  # their models leave the engine when this run ends
        w.method.clear_comparison()
        w.curves.set_empty_text(None if epochs else "Embeddings + a classic classifier trains no epochs: "
                                                    "see Results when it is done")
        w.curves.reset(kwargs["epochs"] if epochs else None, len(data.class_names) if data is not None else None,
                       running=True)
        self._first_batch_at, self._eta = None, None
        self._epochs_total = kwargs["epochs"]
        self.lock_inputs(True)
        w.training.progress.setRange(0, 0)  # busy until the first real progress arrives
        w.training.progress.setFormat("Preparing…")
        w.stall_probe.start(restart=False)  # already running since the click (MainWindow._start_run)
        self._run_started = time.perf_counter()
        w.train_worker.start(job, name)

    def stop_training(self) -> None:
        w = self.window
        if w.train_worker.is_busy():
            w.train_worker.cancel()
            w.training.stop_button.setEnabled(False)
            w.training.set_status("Stopping after the current batch…")

    def stop_stall_probe(self, settle_ms: int = 0) -> None:
        """Stop the run's stall probe, after ``settle_ms`` more of measuring (the end-of-run redraws);
        ``window.last_stall_ms`` holds the worst so far meanwhile."""
        probe = self.window.stall_probe
        if not probe.is_active():
            return
        self.window.last_stall_ms = probe.max_stall_ms
        if settle_ms:
            probe.stop_later(settle_ms, self._stall_probe_stopped)
        else:
            self._stall_probe_stopped(probe.stop())

    def _stall_probe_stopped(self, worst_ms: float) -> None:
        probe = self.window.stall_probe
        self.window.last_stall_ms = worst_ms
        log.info("longest event-loop stall over the training run, click to end-of-run redraw: %.1f ms "
                 "(p99 %.1f ms, %d ticks)", worst_ms, probe.percentile(99), probe.ticks)

    # -- inputs ----------------------------------------------------------------------------
    def lock_inputs(self, running: bool) -> None:
        """While training, the settings it was started with stay on screen, unchangeable."""
        w = self.window
        self.inputs_locked = running
        w.training.set_running(running)
        w.method.set_running(running)
        for panel in (w.data_panel, w.backbone, w.freeze):
            panel.set_locked(running)
        w.open_folder_action.setEnabled(not running)
        w.sample_action.setEnabled(not running)
        if not running:  # set_running(False) enabled every input; the method decides which apply
            self.method_changed(w.method.method())

    def method_changed(self, method: str) -> None:
        """Fine-tuning uses epochs, warm-up, learning rate, augmentation and early stopping; the embeddings
        methods use none of them, and their freeze slider picks the feature layer (default: the end)."""
        epochs = uses_epochs(method)
        t = self.window.training
        if not self.inputs_locked:
            for widget in (t.epochs, t.warmup, t.learning_rate, *t.augment.values(), t.early_stop):
                widget.setEnabled(epochs)
            t.patience.setEnabled(epochs and t.early_stop.isChecked())
        self.window.freeze.set_embedding_mode(not epochs)
        t.train_button.setToolTip("Start fine-tuning with these settings (Ctrl+Enter)" if epochs else
                                  f"Compute the features and fit {METHODS[method][0].lower()} (Ctrl+Enter)")

    # -- progress --------------------------------------------------------------------------
    def on_progress(self, event: Any) -> None:
        if self._first_batch_at is not None:
            return
        bar = self.window.training.progress
        bar.setRange(0, max(1, event.total))
        bar.setValue(event.done)
        bar.setFormat(event.message or f"{event.done}/{event.total}")

    def on_phase(self, event: Any) -> None:
        self.window.curves.add_phase(event)
        text = PHASE_TEXT.get(event.name, event.name)
        self.window.training.set_status(f"{text} (learning rate {event.learning_rate:g}, "
                                        f"{event.trainable_params / 1e6:.2f} M trainable parameters)…")

    def on_batches(self, events: list[Any]) -> None:
        if not events:
            return
        self.window.curves.add_batches(events)
        last = events[-1]
        total = max(1, self._epochs_total * last.batches)
        step = last.epoch * last.batches + last.batch + 1
        now = time.perf_counter()
        if self._first_batch_at is None:
            self._first_batch_at = now
        bar = self.window.training.progress
        if bar.maximum() != total:
            bar.setRange(0, total)
        bar.setValue(min(step, total))
        eta = ""
        if self._eta is not None:  # core's estimate at the last epoch's end, counting down since
            eta_s, at = self._eta
            eta = f" · about {format_duration(max(0.0, eta_s - (now - at)))} left"
        bar.setFormat(f"Epoch {last.epoch + 1}/{self._epochs_total} · batch {last.batch + 1}/{last.batches}{eta}")

    def on_epoch(self, event: Any) -> None:
        self.window.curves.add_epoch(event)
        self._epochs_total = event.epochs
        self._eta = (event.eta_s, time.perf_counter())
        val = "" if event.val_accuracy is None else f", validation accuracy {event.val_accuracy * 100:.1f} %"
        self.window.training.set_status(f"Epoch {event.epoch + 1} of {event.epochs}: loss {event.loss:.3f}{val}.")

    def on_log(self, event: Any) -> None:
        self.window.statusBar().showMessage(event.text, 8000)
        if self.comparing and event.text.startswith("Comparing methods"):
            self.window.training.set_status(event.text + "…")
            self._first_batch_at, self._eta = None, None  # the next method reports its own progress

    # -- outcomes --------------------------------------------------------------------------
    def _run_ended(self) -> None:
        """What every end of a run shares: the stall probe stops, the curves fit their data, the inputs
        unlock."""
        self.stop_stall_probe(settle_ms=END_OF_RUN_SETTLE_MS)
        self.window.curves.finish()
        self.lock_inputs(False)

    def _end_progress(self, kept: bool, cancelled: bool) -> None:
        """The progress bar full and "Done" (or "Stopped") when the run ``kept`` a model, else empty."""
        bar = self.window.training.progress
        if bar.maximum() == 0:
            bar.setRange(0, 1)
        bar.setValue(bar.maximum() if kept else 0)
        bar.setFormat("Done" if kept and not cancelled else "Stopped")

    def training_finished(self, result: Any, cancelled: bool) -> None:
        w = self.window
        self._run_ended()
        if self.comparing:
            self._comparison_finished(result or {}, cancelled)
            w.maybe_close()
            return
        self._end_progress(result is not None, cancelled)
        if result is None:
            w.training.set_status("Stopped before the first epoch finished — there is no model to keep.")
        else:
            self.use_trained(result)
            if not uses_epochs(result.method):
                w.result_tabs.setCurrentWidget(w.results_page)  # no curves to look at
            metrics = result.metrics or {}
            accuracy = metrics.get("val_accuracy")
            acc = f"validation accuracy {accuracy * 100:.1f} %" if accuracy is not None else "finished"
            best = f" (best epoch {result.best_epoch})" if result.best_epoch else ""
            took = f" in {format_duration(time.perf_counter() - self._run_started)}"
            lead = "Stopped — kept the best epoch so far" if cancelled else "Done"
            w.training.set_status(f"{lead}: {acc}{best}{took}. {self._kept_text(result)} Drop images on the "
                                  "right to try it.", "ok")
            w.statusBar().showMessage(in_use_text(result))
        w.trainingFinished.emit(result, cancelled)
        w.maybe_close()

    def _comparison_finished(self, results: dict[str, Any], cancelled: bool) -> None:
        w = self.window
        w.comparison = dict(results)
        self._end_progress(bool(results), cancelled)
        if not results:
            w.training.set_status("Stopped before the first method finished — nothing to compare.")
            w.comparisonFinished.emit({}, cancelled)
            return
        w.method.show_comparison({m: r.metrics for m, r in results.items()})
        best = max(results, key=lambda m: _rank(results[m].metrics or {}))
        chosen = results[best]
        self.use_trained(chosen)
        w.result_tabs.setCurrentWidget(w.results_page)
        w.method.set_method(best)  # the method of the model now in use; the next Train uses it too
        accuracy = (chosen.metrics or {}).get("val_accuracy")
        acc = f" ({accuracy * 100:.1f} % validation accuracy)" if accuracy is not None else ""
        lead = "Stopped — compared the methods that finished" if cancelled else "Compared"
        w.training.set_status(f"{lead}. Using the best, {chosen.method_label}{acc}; double-click a row to use "
                              f"another. {self._kept_text(chosen, compared=True)}", "ok")
        w.statusBar().showMessage(in_use_text(chosen))  # not the last method's log line (its C)
        w.comparisonFinished.emit(dict(results), cancelled)

    def comparison_result_chosen(self, method: str) -> None:
        w = self.window
        result = w.comparison.get(method)
        if result is None:
            return
        self.use_trained(result)
        w.statusBar().showMessage(in_use_text(result))
        if result.history:
            w.curves.load_history(result.history)

    @staticmethod
    def _kept_text(result: Any, compared: bool = False) -> str:
        """Where the engine kept the model (or why it could not), and what Save does."""
        kept = getattr(result, "kept_path", None)
        if kept:
            where = f"Trained models kept in {Path(kept).parent}" if compared else f"Trained model kept in {kept}"
            return f"{where} — File › Save model… to choose a place."
        error = getattr(result, "kept_error", None)
        reason = f" ({error})" if error else ""
        return f"The model could not be kept on disk{reason}: save it now with File › Save model…."
    def training_failed(self, message: str, details: str) -> None:
        w = self.window
        self._run_ended()
        w.training.progress.setRange(0, 1)
        w.training.progress.setValue(0)
        w.training.progress.setFormat("Failed")
        if message.startswith(ENGINE_DIED):
            message += kept_note(w.result).replace("Your trained", "Your last trained")
        w.training.set_status(message, "error")
        if not w.close_pending:
            show_error(w, "Comparison failed" if self.comparing else "Training failed", message, details)
        w.trainingFailed.emit(message)
        w.maybe_close()

    def use_trained(self, result: Any) -> None:
        """Make a just-trained model the one in use: predictions, its Results, and File › Save."""
        w = self.window
        w.result = result
        w.model_path = None
        w.save_action.setEnabled(True)
        self._describe_unsaved(result)
        w.results.show_metrics(result.metrics)

    def _describe_unsaved(self, result: Any) -> None:
        w = self.window
        kept = " (kept in the app's runs folder)" if getattr(result, "kept_path", None) else ""
        w.predict.set_model(result.handle, f"your {model_kind(w.backbone, result)} "
                                           f"({class_list(result.class_names)}; not saved yet{kept})")

    # -- a dead engine ---------------------------------------------------------------------
    def engine_died(self, description: str, failed_jobs: int) -> None:
        """The engine process ended unasked: its in-memory models are gone, their kept bundles are not.

        The model in use (and every compared one) switches to its kept bundle, which the next
        engine loads when it is first asked to predict; Save copies the bundle either way. When no
        job reported the death (it happened between jobs), a message says so: otherwise the first
        sign would be a failed prediction, long after."""
        w = self.window
        for result in [w.result, *w.comparison.values()]:
            kept = getattr(result, "kept_path", None)
            if kept and str(getattr(result, "handle", "")).startswith("trained:"):
                result.handle = f"bundle:{kept}"
        result = w.result
        if result is not None and w.model_path is None:
            self._describe_unsaved(result)
        elif result is not None:
            w.model_files.describe_saved(w.model_path)  # saved, then the engine died: same model, new handle
        if w.close_pending or w.train_worker.is_busy():
            return  # the run's own failure says it (training_failed adds where the last model is)
        note = kept_note(result) if result is not None and w.model_path is None else ""
        w.training.set_status(description + note, "error")
        if not failed_jobs:  # between jobs: nothing else will tell the user
            show_error(w, "The engine stopped", description + note)
