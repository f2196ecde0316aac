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
from dataclasses import replace
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from core.config import TrainConfig
from core.engine.requests.auto import AutoRequest
from core.engine.requests.compare import CompareRequest
from core.engine.requests.runs import ResumeRequest
from core.engine.requests.train import TrainRequest

from .diagnostics import StallProbe
from .dialogs import show_error
from .engine_messages import engine_words
from .model_in_use import ModelInUse, kept_note
from .panels import Panels
from .training_progress import TrainingProgress
from .widgets.method_choice import AUTO, METHODS, uses_epochs
from .worker import ENGINE_DIED, EngineWatch, Worker, remote

log = logging.getLogger("finetune_studio")

END_OF_RUN_SETTLE_MS = 1000  # the stall probe keeps measuring this long after a run ends (redraws, Results)


def training_job(config: TrainConfig) -> Callable[[Any, Any], Any]:
    """Train (``config.method``: fine-tune or embeddings + classifier) in the engine process; the result
    is a core.engine.requests.train.TrainSummary whose model stays in the engine, referred to by its handle."""
    return remote(TrainRequest(config))


def comparison_job(config: TrainConfig, methods: list[str]) -> Callable[[Any, Any], Any]:
    """core.jobs.compare.run_comparison in the engine process; the result is ``{method: TrainSummary}``."""
    return remote(CompareRequest(config, tuple(methods)))


def _rank(metrics: dict[str, Any]) -> tuple[float, float]:
    """Best validation accuracy first; on a tie (common on small, easy datasets) the lower loss."""
    loss = metrics.get("val_loss")
    return (metrics.get("val_accuracy") or 0.0, -(loss if loss is not None else float("inf")))


class TrainingControl(QObject, TrainingProgress):
    """Starts, follows and finishes the training and comparison runs (one at a time, on ``worker``).
    Besides the outcomes (``trainingFinished``, ``trainingFailed``, ``comparisonFinished``) it emits
    ``runningChanged(running)`` as the inputs lock, ``resultsWanted()`` when a run without curves
    ends, and ``runEnded()`` after every outcome. ``is_closing()``: no dialogs then; ``parent``: the
    window dialogs belong to. :meth:`continue_run` follows a recorded run continued (the Runs tab)."""

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
        self.last_stall_ms: float | None = None  # the longest event-loop stall of the last run
        self.comparing = False  # the running (or last started) job is a comparison
        self.auto_running = False  # the running (or last started) job is Auto's search
        self.inputs_locked = False
        self.epochs_total = 1  # the running job's epochs, warm-up included
        self._run_started = time.perf_counter()
        self._first_batch_at: float | None = None
        self._eta: tuple[float, float] | None = None  # the time left, and when it was estimated
        self.reset_estimate()  # gui/training_progress.py: the estimate waits for a measured epoch
        self._connect()
        self.method_changed(panels.method.method())  # the default method (Auto) decides which fields apply

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
        """TrainConfig's keyword arguments from the settings on screen (its JSON form)."""
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
            "group_by": p.groups.group_by(),  # keep-together rule (core/data/groups.py); None: off
        }
        return kwargs

    def train_config(self) -> TrainConfig:
        """The settings on screen, typed: a field the window names wrongly fails here, not in the engine."""
        return TrainConfig.from_json(self.train_config_kwargs())

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

    def _run_config(self) -> TrainConfig | None:
        """The settings for a run, or None (with a message) when none can start."""
        if self.worker.is_busy():
            return None
        if not self.panels.data.train_dir():
            show_error(self.dialog_parent, self.tr("No training folder"),
                       self.tr("Choose a training folder first: a folder with one subfolder of images per class."))
            return None
        problem = self.panels.groups.problem()
        if problem:  # the engine would refuse it too, after starting: say it now, in its words
            show_error(self.dialog_parent, self.tr("Keep-together rule"), problem)
            return None
        return self.train_config()

    def _train(self) -> None:
        config = self._run_config()
        if config is None:
            return
        self.comparing = False
        if config.method == AUTO:  # the engine chooses the recipe (core/jobs/auto.py); the leaderboard follows
            self.panels.training.set_status(self.tr("Auto: loading the engine, reading the images and computing "
                                                    "their features…"))
            # with a weights file, only its backbone; with ImageNet weights, every one on this computer
            backbones = None if config.weights == "imagenet" else (config.backbone,)
            self._begin_run(AUTO, 0, remote(AutoRequest(config, self.panels.method.budget_s(), backbones)), "auto")
            return
        if uses_epochs(config.method):
            self.panels.training.set_status(self.tr("Loading the engine and reading the images…"))
        else:
            self.panels.training.set_status(self.tr("Loading the engine, reading the images and computing their "
                                                    "features…"))
        self._begin_run(config.method, config.epochs, training_job(config), "training")

    def _compare(self, methods: list[str]) -> None:
        """Run ``methods`` on the same split (core.jobs.compare.run_comparison), each with its own default freeze
        point: fine-tuning trains the last block, the embeddings use the final pooled features."""
        config = self._run_config()
        if config is None:
            return
        config = replace(config, freeze=None)
        self.comparing = True
        self.panels.training.set_status(self.tr("Comparing {count} methods on the same split, each with its "
                                                "default freeze point…").format(count=len(methods)))
        self._begin_run(config.method, config.epochs, comparison_job(config, methods), "comparison")

    def continue_run(self, run_id: str, method: str, epochs: int) -> bool:
        """Continue the recorded run ``run_id`` in the engine, followed like Train (curves, progress,
        Stop; its model comes into use when it ends); False when another job is running."""
        if self.worker.is_busy():
            return False
        self.comparing = False
        self.probe.start()
        self._begin_run(method, epochs, remote(ResumeRequest(run_id)), "continue")
        return True

    def _begin_run(self, method: str, epochs_total: int, job: Callable[[Any, Any], Any], name: str) -> None:
        p = self.panels
        data = p.data.result
        epochs = self.comparing or uses_epochs(method)
        self.model.set_comparison({})  # their models leave the engine when this run ends
        p.curves.set_empty_text(None if epochs else self.tr("Auto's candidates fill the Auto leaderboard tab")
                                if name == "auto" else self.tr("Embeddings + a classic classifier trains no "
                                                               "epochs: see Results when it is done"))
        p.curves.reset(epochs_total if epochs else None, len(data.class_names) if data is not None else None,
                       running=True)
        self.reset_estimate()
        self.epochs_total = epochs_total
        self.auto_running = name == "auto"
        self.lock_inputs(True)
        p.training.progress.setRange(0, 0)  # busy until the first real progress arrives
        p.training.progress.setFormat(self.tr("Preparing…"))
        self.probe.start(restart=False)  # already running since the click (_start_run)
        self._run_started = time.perf_counter()
        self.worker.start(job, name)

    def stop_training(self) -> None:
        if self.worker.is_busy():
            self.worker.cancel()
            self.panels.training.stop_button.setEnabled(False)
            self.panels.training.set_status(self.tr("Stopping Auto: keeping the best recipe so far…")
                                            if self.auto_running else self.tr("Stopping after the current batch…"))

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
        for panel in (p.data, p.backbone, p.freeze, p.groups):
            panel.set_locked(running)
        self.runningChanged.emit(running)  # the window's own inputs (File › Choose training folder…)
        if not running:  # set_running(False) enabled every input; the method decides which apply
            self.method_changed(p.method.method())

    def method_changed(self, method: str) -> None:
        """Fine-tuning uses epochs, warm-up, learning rate, augmentation and early stopping; the embeddings
        methods use none of them, and their freeze slider picks the feature layer (default: the end)."""
        epochs, auto = uses_epochs(method), method == AUTO
        t = self.panels.training
        chosen = self.tr("Chosen by Auto: filled in when it ends")
        if not self.inputs_locked:
            for widget in (t.epochs, t.warmup, t.learning_rate, t.find_rate_button, *t.augment.values(),
                           t.early_stop):
                widget.setEnabled(epochs)
            t.patience.setEnabled(epochs and t.early_stop.isChecked())
        for widget in (t.epochs, t.learning_rate, self.panels.freeze.slider):  # the tooltip says why it is off
            if auto and not widget.property("usualTip"):
                widget.setProperty("usualTip", widget.toolTip() or " ")
                widget.setToolTip(chosen)
            elif not auto and widget.property("usualTip"):
                widget.setToolTip(str(widget.property("usualTip")).strip())
                widget.setProperty("usualTip", "")
        self.panels.freeze.set_chosen_by_auto(auto)
        self.panels.freeze.set_embedding_mode(not epochs and not auto)
        if auto:
            t.train_button.setToolTip(self.tr("Search recipes within the budget, then train the best (Ctrl+Enter)"))
            return
        t.train_button.setToolTip(self.tr("Start fine-tuning with these settings (Ctrl+Enter)") if epochs else
                                  self.tr("Compute the features and fit {method} (Ctrl+Enter)").format(
                                      method=engine_words(METHODS[method][0]).lower()))

    # -- outcomes --------------------------------------------------------------------------
    def _run_ended(self) -> None:
        """What every end of a run shares: the stall probe stops, the curves fit their data, the inputs
        unlock."""
        self.stop_stall_probe(settle_ms=END_OF_RUN_SETTLE_MS)
        self.panels.curves.finish()
        self.lock_inputs(False)

    def training_finished(self, result: Any, cancelled: bool) -> None:
        training = self.panels.training
        self._run_ended()
        if self.comparing:
            self._comparison_finished(result or {}, cancelled)
            self.runEnded.emit()
            return
        self._end_progress(result is not None, cancelled)
        if result is None:
            training.set_status(self.tr("Stopped before the first epoch finished — there is no model to keep."))
        else:
            self.use_trained(result)  # the status bar names it (gui/model_in_use.py)
            if not uses_epochs(result.method):
                self.resultsWanted.emit()  # no curves to look at
            training.set_status(self.finished_text(result, cancelled), "ok")
        self.trainingFinished.emit(result, cancelled)
        self.runEnded.emit()

    def _comparison_finished(self, results: dict[str, Any], cancelled: bool) -> None:
        training = self.panels.training
        self.model.set_comparison(results)  # the method chooser's table shows them
        self._end_progress(bool(results), cancelled)
        if not results:
            training.set_status(self.tr("Stopped before the first method finished — nothing to compare."))
            self.comparisonFinished.emit({}, cancelled)
            return
        best = max(results, key=lambda m: _rank(results[m].metrics or {}))
        chosen = results[best]
        self.use_trained(chosen)  # the status bar names it, not the last method's log line (its C)
        self.resultsWanted.emit()
        self.panels.method.set_method(best)  # the method of the model now in use; the next Train uses it too
        training.set_status(self.compared_text(chosen, cancelled), "ok")
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
        training.progress.setFormat(self.tr("Failed"))
        if message.startswith(ENGINE_DIED):
            message += kept_note(self.model.result, last=True)
            if not (self.comparing or self.auto_running):  # a run is recorded epoch by epoch: its checkpoint survives
                message += self.tr(" The run can be continued from its last finished epoch: select it in the "
                                   "Runs tab and press Continue.")
        training.set_status(message, "error")
        if not self.is_closing():
            title = self.tr("Comparison failed") if self.comparing else self.tr("Training failed")
            show_error(self.dialog_parent, title, message, details)
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
            show_error(self.dialog_parent, self.tr("The engine stopped"), description + note)
