"""The main window: five steps from left to right (data, backbone, freeze, train, try it), the
training curves and the Results (per-class metrics, confusion matrix) below, the File and Settings
menus, settings, and ``--screenshot``.

This process never imports TensorFlow: the window appears in about a second, and all engine
work runs in the engine process behind gui/worker.py (gui/engine.py says why a process).
``main(argv)`` is what ``main.py`` calls with its remaining arguments.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QByteArray, QEventLoop, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QCheckBox, QFileDialog, QHBoxLayout, QMainWindow, QMenu, QMessageBox,
                               QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from . import settings as cfg
from .diagnostics import StallProbe, process_age_s
from .dialogs import ask_yes_no, show_error
from .widgets.backbone_picker import BackbonePicker
from .widgets.common import set_names
from .widgets.curves import CurvesPanel
from .widgets.data_panel import DataPanel
from .widgets.freeze_slider import FreezePanel
from .widgets.method_choice import METHODS, MethodChoice, uses_epochs
from .widgets.prediction_panel import PredictionPanel
from .widgets.results_panel import ResultsPanel
from .widgets.training_settings import TrainingSettings
from .worker import Worker, engine, remote, shutdown_engine, wait_for_all

log = logging.getLogger("finetune_studio")
APP_TITLE = "Finetune Studio"
STYLE_SHEET = Path(__file__).resolve().parent.parent / "resources" / "style.qss"
WEIGHTS_ENV = "FTS_WEIGHTS_DIR"
# Folders named in the environment when the window process started: searched after the GUI's setting.
_STARTUP_WEIGHTS_DIRS = os.environ.get(WEIGHTS_ENV, "")


def training_job(kwargs: dict[str, Any]) -> Callable[[Any, Any], Any]:
    """Train (``kwargs["method"]``: fine-tune or embeddings + classifier) in the engine process; the
    result is a gui.engine.TrainSummary whose model stays in the engine, referred to by its handle."""
    return remote("train", kwargs=kwargs)


def comparison_job(kwargs: dict[str, Any], methods: list[str]) -> Callable[[Any, Any], Any]:
    """core.jobs.run_comparison in the engine process; the result is ``{method: TrainSummary}``."""
    return remote("compare", kwargs=kwargs, methods=list(methods))


def weights_search_path(folder: str) -> str:
    """FTS_WEIGHTS_DIR for the GUI's weights folder setting: that folder first, then any folders the
    environment named at start-up."""
    parts = [folder] if folder else []
    parts += [p for p in _STARTUP_WEIGHTS_DIRS.split(os.pathsep) if p.strip() and p != folder]
    return os.pathsep.join(parts)


def _format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _short(label: str) -> str:
    """"EfficientNet-Lite0 (offline)" -> "EfficientNet-Lite0" for running text."""
    return label.split(" (")[0]


def _rank(metrics: dict[str, Any]) -> tuple[float, float]:
    """Best validation accuracy first; on a tie (common on small, easy datasets) the lower loss."""
    loss = metrics.get("val_loss")
    return (metrics.get("val_accuracy") or 0.0, -(loss if loss is not None else float("inf")))


def _class_list(names: Any, limit: int = 4) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


class MainWindow(QMainWindow):
    """Signals for scripts and tests: ``trainingFinished(result, cancelled)``, ``trainingFailed(message)``,
    ``comparisonFinished({method: result}, cancelled)``, ``modelSaved(path)``, ``modelOpened(path)``,
    ``weightsFolderChanged(folder)``."""

    trainingFinished = Signal(object, bool)
    trainingFailed = Signal(str)
    comparisonFinished = Signal(object, bool)
    weightsFolderChanged = Signal(str)
    modelSaved = Signal(str)
    modelOpened = Signal(str)

    def __init__(self, settings: QSettings | None = None, restore: bool = True) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setAccessibleName(APP_TITLE)
        self.settings = settings if settings is not None else cfg.app_settings()
        self.persist = True  # False: do not write settings on close (screenshots)
        self.result: Any = None  # the last training run (gui.engine.TrainSummary), until opened/replaced
        self.model_path: str | None = None  # the bundle behind the current predictions, if any
        self.last_stall_ms: float | None = None
        self.time_to_window_s: float | None = None
        self.config_hooks: list[Callable[[dict[str, Any]], None]] = []  # later features add TrainConfig fields
        self._close_pending = False
        self._epochs_total = 1
        self._run_started = time.perf_counter()
        self._first_batch_at: float | None = None
        self._steps_at_first_batch = 0
        self.comparison: dict[str, Any] = {}  # method -> TrainSummary of the last comparison
        self._comparing = False  # the running (or last started) job is a comparison
        self._inputs_locked = False

        # Before the backbone list is built: its "already on this computer" marks depend on it.
        self.weights_folder = ""
        self._apply_weights_folder(cfg.get_str(self.settings, "model/weightsFolder", ""))

        self.data_panel = DataPanel()
        self.backbone = BackbonePicker()
        self.freeze = FreezePanel()
        self.training = TrainingSettings()
        self.curves = CurvesPanel()
        self.predict = PredictionPanel()
        self.method = MethodChoice()
        self.training.insert_row(0, "Method", self.method)
        self.use_cache = set_names(QCheckBox("Use caches (faster)"), "useCacheCheck", "Use caches",
                                   "Decode each image once and compute the frozen layers once, then train on "
                                   "the stored results. Turn off only to compare speeds or to rule the caches "
                                   "out when something looks wrong.")
        self.use_cache.setChecked(True)
        self.training.add_advanced_row("Caches", self.use_cache)
        self.results = ResultsPanel()
        self.config_hooks.append(lambda kw: kw.__setitem__("method", self.method.method()))
        self.config_hooks.append(lambda kw: kw.__setitem__("use_cache", self.use_cache.isChecked()))
        self.train_worker = Worker("training", self)
        self.files_worker = Worker("files", self)
        self.sample_worker = Worker("sample data", self)
        self.stall_probe = StallProbe(parent=self)
        self._build_layout()
        self._build_menus()
        self._connect()
        self.statusBar().showMessage("Ready")  # created now: appearing later would resize the curves mid-run
        if restore:
            self.restore_settings()
        self._backbone_changed(self.backbone.current_id())
        self.freeze.set_pretrained(self.backbone.pretrained())

    # -- assembly --------------------------------------------------------------------------
    def _build_layout(self) -> None:
        """Steps 1-4 side by side on top (the flow reads left to right), results below: the curves
        and the "try it" panel. Both rows sit in a vertical splitter the user can adjust."""
        model_column = QWidget()
        model_layout = QVBoxLayout(model_column)
        model_layout.setContentsMargins(0, 0, 0, 0)
        model_layout.setSpacing(10)
        model_layout.addWidget(self.backbone)
        model_layout.addWidget(self.freeze, 1)
        top = QWidget()
        top.setObjectName("topRow")
        row = QHBoxLayout(top)
        row.setContentsMargins(12, 12, 12, 6)
        row.setSpacing(10)
        row.addWidget(self.data_panel, 1)
        row.addWidget(model_column, 1)
        row.addWidget(self.training, 1)
        scroll = QScrollArea()
        scroll.setObjectName("topScroll")
        scroll.setWidget(top)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.result_tabs = QTabWidget()
        self.result_tabs.setObjectName("resultTabs")
        self.result_tabs.setAccessibleName("Training curves and results")
        self.result_tabs.setDocumentMode(True)
        for panel in (self.curves, self.results):
            panel.title_label.hide()  # the tab says it
        self.result_tabs.addTab(self.curves, "Training curves")
        # In a scroll area: the per-class table and the matrix keep readable widths in a narrow window.
        self.results_page = QScrollArea()
        self.results_page.setObjectName("resultsPage")
        self.results_page.setWidget(self.results)
        self.results_page.setWidgetResizable(True)
        self.results_page.setFrameShape(QScrollArea.Shape.NoFrame)
        self.result_tabs.addTab(self.results_page, "Results")
        self.result_tabs.setTabToolTip(1, "Per-class precision and recall, the confusion matrix and the "
                                          "hardest images of the current model, on the validation images")
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.setObjectName("resultsSplitter")
        bottom.setChildrenCollapsible(False)
        bottom.addWidget(self.result_tabs)
        bottom.addWidget(self.predict)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([820, 560])
        holder = QWidget()
        holder.setObjectName("bottomRow")
        box = QHBoxLayout(holder)
        box.setContentsMargins(12, 6, 12, 12)
        box.addWidget(bottom)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(holder)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.right_splitter = bottom
        self.setCentralWidget(self.splitter)
        self.resize(1440, 900)
        self.splitter.setSizes([470, 430])

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_folder_action = QAction("Choose training folder…", self)
        self.open_folder_action.triggered.connect(self.data_panel.browse_train)
        self.sample_action = QAction("Load sample dataset", self)
        self.sample_action.triggered.connect(self.load_sample_data)
        self.save_action = QAction("&Save model…", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setEnabled(False)
        self.save_action.triggered.connect(lambda: self.save_model())
        self.open_action = QAction("&Open model…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(lambda: self.open_model())
        self.recent_menu = QMenu("Open &recent model", self)
        self.recent_menu.setObjectName("recentMenu")
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        for item in (self.open_folder_action, self.sample_action, None, self.save_action, self.open_action):
            file_menu.addSeparator() if item is None else file_menu.addAction(item)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        settings_menu = self.menuBar().addMenu("&Settings")
        self.weights_folder_action = QAction("Weights folder…", self)
        self.weights_folder_action.setObjectName("weightsFolderAction")
        self.weights_folder_action.triggered.connect(self.choose_weights_folder)
        self.clear_weights_folder_action = QAction("Stop using the weights folder", self)
        self.clear_weights_folder_action.triggered.connect(lambda: self.set_weights_folder(""))
        settings_menu.addAction(self.weights_folder_action)
        settings_menu.addAction(self.clear_weights_folder_action)
        self._update_weights_actions()
        train_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        train_shortcut.activated.connect(self.start_training)
        self.training.train_button.setToolTip("Start fine-tuning with these settings (Ctrl+Enter)")
        help_menu = self.menuBar().addMenu("&Help")
        logs = QAction("Show log folder", self)
        logs.triggered.connect(self._show_logs)
        about = QAction(f"About {APP_TITLE}", self)
        about.triggered.connect(self._about)
        help_menu.addAction(logs)
        help_menu.addAction(about)
        self._rebuild_recent()

    def _connect(self) -> None:
        self.backbone.backboneChanged.connect(self._backbone_changed)
        self.backbone.weightsChanged.connect(lambda: self.freeze.set_pretrained(self.backbone.pretrained()))
        self.training.trainRequested.connect(self.start_training)
        self.training.stopRequested.connect(self.stop_training)
        self.data_panel.datasetChanged.connect(self._dataset_changed)
        self.training.epochs.valueChanged.connect(self._update_curve_plan)
        self.data_panel.datasetChanged.connect(lambda r: self.method.set_dataset_size(None if r is None else r.total))
        self.method.methodChanged.connect(self._method_changed)
        self.method.compareRequested.connect(self.start_comparison)
        self.method.resultChosen.connect(self._comparison_result_chosen)
        worker = self.train_worker
        worker.progress.connect(self._on_progress)
        worker.phaseStarted.connect(self._on_phase)
        worker.batchesEnded.connect(self._on_batches)
        worker.epochEnded.connect(self._on_epoch)
        worker.logMessage.connect(self._on_log)
        worker.finished.connect(self._training_finished)
        worker.failed.connect(self._training_failed)
        for w in self.workers():
            w.busyChanged.connect(self._busy_changed)

    def workers(self) -> list[Worker]:
        return [self.train_worker, self.files_worker, self.sample_worker, self.data_panel.worker,
                self.freeze.worker, self.predict.worker]

    def is_idle(self) -> bool:
        return not any(w.is_busy() for w in self.workers())

    # -- data and backbone -----------------------------------------------------------------
    def load_sample_data(self) -> None:
        """Build (first time) and select the bundled sample dataset; silently skipped if unavailable."""

        def run(_sink: Any, _cancel: Any) -> str:
            from resources.sample_data import ensure_sample_dataset

            return str(ensure_sample_dataset())

        self.data_panel.summary.setText("Preparing the sample dataset…")
        self.sample_worker.start(run, "sample data", on_done=lambda path: self.data_panel.set_train_dir(path),
                                 on_error=self._sample_failed)

    def _sample_failed(self, message: str, _details: str) -> None:
        log.info("sample dataset unavailable: %s", message)
        if not self.data_panel.train_dir():
            self.data_panel.summary.setText("No folder chosen yet.")

    def _backbone_changed(self, backbone_id: str) -> None:
        info = self.backbone.info(backbone_id)
        if info is None:
            return
        preferred = cfg.get_int(self.settings, f"model/freeze/{backbone_id}", -1)
        self.freeze.set_backbone(backbone_id, preferred if preferred >= 0 else None)
        self.predict.set_imagenet_backbone(backbone_id, _short(info.label))
        self.training.image_size.setSpecialValueText(f"Backbone default ({info.input_size} px)")

    def _update_curve_plan(self, *_: Any) -> None:
        data = self.data_panel.result
        if not self.train_worker.is_busy():
            self.curves.set_plan(self.training.epochs.value(), len(data.class_names) if data is not None else None)

    def _dataset_changed(self, result: Any) -> None:
        self._update_curve_plan()
        self.freeze.set_class_count(len(result.class_names) if result is not None else None)
        name = Path(result.train_dir).name if result is not None else ""
        self.setWindowTitle(f"{name} — {APP_TITLE}" if name else APP_TITLE)
        if result is None:
            self.training.set_status("Choose a folder with one subfolder per class, then press Train.")
        elif not self.train_worker.is_busy():
            self.training.set_status(f"Ready to train on {result.total} images in {len(result.class_names)} "
                                     "classes.")

    # -- training --------------------------------------------------------------------------
    def train_config_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "data_dir": self.data_panel.train_dir(),
            "val_dir": self.data_panel.val_dir(),
            "val_split": self.data_panel.val_split(),
            "backbone": self.backbone.current_id(),
            "weights": self.backbone.weights_arg(),
            "freeze": self.freeze.freeze_point(),
            **self.training.values(),
        }
        for hook in self.config_hooks:
            hook(kwargs)
        return kwargs

    def _run_kwargs(self) -> dict[str, Any] | None:
        """The TrainConfig keyword arguments for a run, or None (with a message) when none can start."""
        if self.train_worker.is_busy():
            return None
        if not self.data_panel.train_dir():
            show_error(self, "No training folder", "Choose a training folder first: a folder with one subfolder "
                       "of images per class.")
            return None
        return self.train_config_kwargs()

    def start_training(self) -> None:
        kwargs = self._run_kwargs()
        if kwargs is None:
            return
        self._comparing = False
        if uses_epochs(kwargs["method"]):
            self.training.set_status("Loading the engine and reading the images…")
        else:
            self.training.set_status("Loading the engine, reading the images and computing their features…")
        self._begin_run(kwargs, training_job(kwargs), "training")

    def start_comparison(self, methods: list[str]) -> None:
        """Run ``methods`` on the same split (core.jobs.run_comparison), each with its own default freeze
        point: fine-tuning trains the last block, the embeddings use the final pooled features."""
        kwargs = self._run_kwargs()
        if kwargs is None:
            return
        kwargs["freeze"] = None
        self._comparing = True
        self.training.set_status(f"Comparing {len(methods)} methods on the same split, each with its default "
                                 "freeze point…")
        self._begin_run(kwargs, comparison_job(kwargs, methods), "comparison")

    def _begin_run(self, kwargs: dict[str, Any], job: Callable[[Any, Any], Any], name: str) -> None:
        data = self.data_panel.result
        epochs = self._comparing or uses_epochs(kwargs["method"])
        self.comparison = {}  # their models leave the engine when this run ends
        self.method.clear_comparison()
        self.curves.set_empty_text(None if epochs else "Embeddings + a classic classifier trains no epochs: "
                                                       "see Results when it is done")
        self.curves.reset(kwargs["epochs"] if epochs else None, len(data.class_names) if data is not None else None,
                          running=True)
        self._first_batch_at = None
        self._epochs_total = kwargs["epochs"]
        self._lock_inputs(True)
        self.training.progress.setRange(0, 0)  # busy until the first real progress arrives
        self.training.progress.setFormat("Preparing…")
        self.stall_probe.start()
        self._run_started = time.perf_counter()
        self.train_worker.start(job, name)

    def stop_training(self) -> None:
        if self.train_worker.is_busy():
            self.train_worker.cancel()
            self.training.stop_button.setEnabled(False)
            self.training.set_status("Stopping after the current batch…")

    def is_training(self) -> bool:
        return self.train_worker.is_busy()

    def _on_progress(self, event: Any) -> None:
        if self._first_batch_at is not None:
            return
        bar = self.training.progress
        bar.setRange(0, max(1, event.total))
        bar.setValue(event.done)
        bar.setFormat(event.message or f"{event.done}/{event.total}")

    def _on_phase(self, event: Any) -> None:
        self.curves.add_phase(event)
        text = {"warmup": "Warm-up: training the new classifier head, backbone frozen",
                "finetune": "Fine-tuning: the unfrozen layers adapt to your images",
                "head": "Training the classifier head (backbone fully frozen)",
                "train": "Training from scratch"}.get(event.name, event.name)
        self.training.set_status(f"{text} (learning rate {event.learning_rate:g}, "
                                 f"{event.trainable_params / 1e6:.2f} M trainable parameters)…")

    def _on_batches(self, events: list[Any]) -> None:
        if not events:
            return
        self.curves.add_batches(events)
        last = events[-1]
        total = max(1, self._epochs_total * last.batches)
        step = last.epoch * last.batches + last.batch + 1
        now = time.perf_counter()
        if self._first_batch_at is None:
            self._first_batch_at, self._steps_at_first_batch = now, step
        bar = self.training.progress
        if bar.maximum() != total:
            bar.setRange(0, total)
        bar.setValue(min(step, total))
        eta = ""
        done = step - self._steps_at_first_batch
        if done > 0:
            remaining = (now - self._first_batch_at) / done * (total - step)
            eta = f" · about {_format_duration(remaining)} left"
        bar.setFormat(f"Epoch {last.epoch + 1}/{self._epochs_total} · batch {last.batch + 1}/{last.batches}{eta}")

    def _on_epoch(self, event: Any) -> None:
        self.curves.add_epoch(event)
        self._epochs_total = event.epochs
        val = "" if event.val_accuracy is None else f", validation accuracy {event.val_accuracy * 100:.1f} %"
        self.training.set_status(f"Epoch {event.epoch + 1} of {event.epochs}: loss {event.loss:.3f}{val}.")

    def _on_log(self, event: Any) -> None:
        self.statusBar().showMessage(event.text, 8000)
        if self._comparing and event.text.startswith("Comparing methods"):
            self.training.set_status(event.text + "…")
            self._first_batch_at = None  # the next method reports its own progress

    def _stop_probe(self) -> None:
        if self.stall_probe.is_active():
            self.last_stall_ms = self.stall_probe.stop()
            log.info("longest event-loop stall during the training run: %.1f ms (p99 %.1f ms, %d ticks)",
                     self.last_stall_ms, self.stall_probe.percentile(99), self.stall_probe.ticks)

    def _lock_inputs(self, running: bool) -> None:
        """While training, the settings it was started with stay on screen, unchangeable."""
        self._inputs_locked = running
        self.training.set_running(running)
        self.method.set_running(running)
        for panel in (self.data_panel, self.backbone, self.freeze):
            panel.set_locked(running)
        self.open_folder_action.setEnabled(not running)
        self.sample_action.setEnabled(not running)
        if not running:  # set_running(False) enabled every input; the method decides which apply
            self._method_changed(self.method.method())

    def _method_changed(self, method: str) -> None:
        """Fine-tuning uses epochs, warm-up, learning rate, augmentation and early stopping; the embeddings
        methods use none of them, and their freeze slider picks the feature layer (default: the end)."""
        epochs = uses_epochs(method)
        t = self.training
        if not self._inputs_locked:
            for widget in (t.epochs, t.warmup, t.learning_rate, *t.augment.values(), t.early_stop):
                widget.setEnabled(epochs)
            t.patience.setEnabled(epochs and t.early_stop.isChecked())
        self.freeze.set_embedding_mode(not epochs)
        t.train_button.setToolTip("Start fine-tuning with these settings (Ctrl+Enter)" if epochs else
                                  f"Compute the features and fit {METHODS[method][0].lower()} (Ctrl+Enter)")

    def _training_finished(self, result: Any, cancelled: bool) -> None:
        self._stop_probe()
        self.curves.finish()
        self._lock_inputs(False)
        bar = self.training.progress
        if bar.maximum() == 0:
            bar.setRange(0, 1)
        if self._comparing:
            self._comparison_finished(result or {}, cancelled)
            self._maybe_close()
            return
        if result is None:
            bar.setValue(0)
            bar.setFormat("Stopped")
            self.training.set_status("Stopped before the first epoch finished — there is no model to keep.")
        else:
            bar.setValue(bar.maximum())
            bar.setFormat("Stopped" if cancelled else "Done")
            self._use_trained(result)
            self.results.show_metrics(result.metrics)
            if not uses_epochs(result.method):
                self.result_tabs.setCurrentWidget(self.results_page)  # no curves to look at
            metrics = result.metrics or {}
            accuracy = metrics.get("val_accuracy")
            acc = f"validation accuracy {accuracy * 100:.1f} %" if accuracy is not None else "finished"
            best = f" (best epoch {result.best_epoch})" if result.best_epoch else ""
            took = f" in {_format_duration(time.perf_counter() - self._run_started)}"
            lead = "Stopped — kept the best epoch so far" if cancelled else "Done"
            self.training.set_status(f"{lead}: {acc}{best}{took}. Drop images on the right to try it, "
                                     "or save it with File › Save model…", "ok")
        self.trainingFinished.emit(result, cancelled)
        self._maybe_close()

    def _comparison_finished(self, results: dict[str, Any], cancelled: bool) -> None:
        bar = self.training.progress
        self.comparison = dict(results)
        if not results:
            bar.setValue(0)
            bar.setFormat("Stopped")
            self.training.set_status("Stopped before the first method finished — nothing to compare.")
            self.comparisonFinished.emit({}, cancelled)
            return
        bar.setValue(bar.maximum())
        bar.setFormat("Stopped" if cancelled else "Done")
        self.method.show_comparison({m: r.metrics for m, r in results.items()})
        best = max(results, key=lambda m: _rank(results[m].metrics or {}))
        chosen = results[best]
        self._use_trained(chosen)
        self.results.show_metrics(chosen.metrics)
        self.result_tabs.setCurrentWidget(self.results_page)
        self.method.set_method(best)  # the method of the model now in use; the next Train uses it too
        accuracy = (chosen.metrics or {}).get("val_accuracy")
        acc = f" ({accuracy * 100:.1f} % validation accuracy)" if accuracy is not None else ""
        lead = "Stopped — compared the methods that finished" if cancelled else "Compared"
        self.training.set_status(f"{lead}. Using the best, {chosen.method_label}{acc}; double-click a row to use "
                                 "another. Save it with File › Save model…", "ok")
        self.comparisonFinished.emit(dict(results), cancelled)

    def _comparison_result_chosen(self, method: str) -> None:
        result = self.comparison.get(method)
        if result is None:
            return
        self._use_trained(result)
        self.results.show_metrics(result.metrics)
        if result.history:
            self.curves.load_history(result.history)

    def _training_failed(self, message: str, details: str) -> None:
        self._stop_probe()
        self.curves.finish()
        self._lock_inputs(False)
        self.training.progress.setRange(0, 1)
        self.training.progress.setValue(0)
        self.training.progress.setFormat("Failed")
        self.training.set_status(message, "error")
        if not self._close_pending:
            show_error(self, "Comparison failed" if self._comparing else "Training failed", message, details)
        self.trainingFailed.emit(message)
        self._maybe_close()

    def _use_trained(self, result: Any) -> None:
        self.result = result
        self.model_path = None
        self.save_action.setEnabled(True)
        self.predict.set_model(result.handle, f"your {self._model_kind(result)} ({len(result.class_names)} "
                                              f"classes: {_class_list(result.class_names)}; not saved yet)")

    def _model_kind(self, result: Any, name: str = "") -> str:
        """"fine-tuned MobileNet V2" / "embeddings + linear SVM model on MobileNet V2 features", named."""
        info = self.backbone.info(result.backbone)
        label = _short(info.label) if info else result.backbone
        named = f" “{name}”" if name else ""
        if uses_epochs(getattr(result, "method", "finetune")):
            return f"fine-tuned {label}{' model' if name else ''}{named}"
        return f"{result.method_label} model{named} on {label} features"

    # -- model files -----------------------------------------------------------------------
    def save_model(self, path: str | None = None) -> None:
        if self.result is None:
            return
        if path is None:
            start = cfg.get_str(self.settings, "files/lastModelDir", str(Path.home()))
            method = getattr(self.result, "method", "finetune")
            kind = "" if uses_epochs(method) else f"-{method}"
            name = f"{Path(self.result.data_dir).name or 'my'}-{self.result.backbone}{kind}-model"
            path, _ = QFileDialog.getSaveFileName(self, "Save model", str(Path(start) / name),
                                                  "Model folder (*)")
            if not path:
                return
        self.statusBar().showMessage(f"Saving the model to {path}…")
        self.files_worker.start(remote("save", handle=self.result.handle, path=str(path)), "save model",
                                on_done=self._saved,
                                on_error=lambda m, d: show_error(self, "Could not save the model", m, d))

    def _saved(self, path: str) -> None:
        self.model_path = path
        if self.result is not None:
            self.predict.set_model(self.result.handle, f"your {self._model_kind(self.result, Path(path).name)} "
                                                       f"({len(self.result.class_names)} classes: "
                                                       f"{_class_list(self.result.class_names)})")
        self.settings.setValue("files/lastModelDir", str(Path(path).parent))
        cfg.push_recent(self.settings, "files/recentModels", path)
        self._rebuild_recent()
        self.statusBar().showMessage(f"Saved the model to {path}", 10000)
        self.modelSaved.emit(path)

    def open_model(self, path: str | None = None) -> None:
        if path is None:
            start = cfg.get_str(self.settings, "files/lastModelDir", str(Path.home()))
            path = QFileDialog.getExistingDirectory(self, "Open a saved model (its folder)", start)
            if not path:
                return

        self.statusBar().showMessage(f"Opening {path}…")
        self.files_worker.start(remote("open_bundle", path=str(path)), "open model",
                                on_done=lambda bundle: self._opened(path, bundle),
                                on_error=lambda m, d: self._open_failed(path, m, d))

    def _opened(self, path: str, bundle: Any) -> None:
        self.model_path = path
        self.result = None
        self.save_action.setEnabled(False)
        self.settings.setValue("files/lastModelDir", str(Path(path).parent))
        cfg.push_recent(self.settings, "files/recentModels", path)
        self._rebuild_recent()
        backbone = (bundle.config.get("train") or {}).get("backbone", "")
        info = self.backbone.info(backbone)
        kind = f"{_short(info.label)} " if info else ""
        method = getattr(bundle, "method", "finetune")
        kind += "" if uses_epochs(method) else f"{bundle.method_label} "
        self.predict.set_model(bundle.handle, f"the {kind}model “{Path(path).name}” "
                                                  f"({len(bundle.class_names)} classes: "
                                                  f"{_class_list(bundle.class_names)})")
        self.comparison = {}
        self.method.clear_comparison()
        self.curves.load_history(bundle.history or [])
        self.results.show_metrics(bundle.metrics)
        self.training.set_status(f"Opened “{Path(path).name}”. Drop images on the right to try it.", "ok")
        self.statusBar().showMessage(f"Opened {path}", 8000)
        self.modelOpened.emit(path)

    def _open_failed(self, path: str, message: str, details: str) -> None:
        show_error(self, "Could not open the model", message, details)

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        recent = cfg.get_list(self.settings, "files/recentModels")
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_model(p))
        if recent:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear list")
            clear.triggered.connect(self._clear_recent)
        self.recent_menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.setValue("files/recentModels", [])
        self._rebuild_recent()

    def _show_logs(self) -> None:
        from .errors import log_path

        path = log_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def _about(self) -> None:
        QMessageBox.about(self, f"About {APP_TITLE}",
                          f"<b>{APP_TITLE}</b><p>Fine-tune a pretrained ImageNet network on your own image "
                          "folders: pick a backbone, choose how much of it to freeze, train, and try it by "
                          "dropping images.</p>")

    # -- weights folder --------------------------------------------------------------------
    def choose_weights_folder(self) -> None:
        start = self.weights_folder or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Folder with pre-placed ImageNet weight files", start)
        if folder:
            self.set_weights_folder(folder)

    def set_weights_folder(self, folder: str | Path | None) -> None:
        """Search ``folder`` for ImageNet weight files before downloading ("" or None: stop). Saved at once,
        passed to the engine (as FTS_WEIGHTS_DIR) and reflected in the backbone list."""
        folder = str(folder or "")
        self.settings.setValue("model/weightsFolder", folder)
        self._apply_weights_folder(folder)
        self.backbone.refresh_weights_status()
        self._update_weights_actions()
        if folder:
            self.statusBar().showMessage(f"ImageNet weight files are looked for in {folder} first.", 8000)
        self.weightsFolderChanged.emit(folder)

    def _apply_weights_folder(self, folder: str) -> None:
        """This process (the backbone list's "already on this computer" check) and the engine's search
        the same folders."""
        self.weights_folder = folder
        value = weights_search_path(folder)
        if value:
            os.environ[WEIGHTS_ENV] = value
        else:
            os.environ.pop(WEIGHTS_ENV, None)
        engine().set_env(**{WEIGHTS_ENV: value})

    def _update_weights_actions(self) -> None:
        folder = self.weights_folder
        tip = (f"Now: {folder}" if folder else "Not set: weights come from Keras' own folder or a download")
        self.weights_folder_action.setStatusTip(f"Folder searched for ImageNet weight files before downloading. "
                                                f"{tip}")
        self.weights_folder_action.setToolTip(tip)
        self.clear_weights_folder_action.setEnabled(bool(folder))

    # -- settings --------------------------------------------------------------------------
    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        for key, splitter in (("window/splitter", self.splitter), ("window/rightSplitter", self.right_splitter)):
            state = s.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)
        backbone = cfg.get_str(s, "model/backbone", "")
        if backbone:
            self.backbone.set_current(backbone)
        if cfg.get_str(s, "model/weights", "imagenet") == "scratch":
            self.backbone.set_scratch()
        t = self.training
        t.epochs.setValue(cfg.get_int(s, "train/epochs", t.epochs.value()))
        t.warmup.setValue(cfg.get_int(s, "train/warmupEpochs", t.warmup.value()))
        t.batch_size.setValue(cfg.get_int(s, "train/batchSize", t.batch_size.value()))
        t.learning_rate.setValue(cfg.get_float(s, "train/learningRate", t.learning_rate.value()))
        for name, box in t.augment.items():
            box.setChecked(cfg.get_bool(s, f"train/augment/{name}", box.isChecked()))
        t.early_stop.setChecked(cfg.get_bool(s, "train/earlyStopping", False))
        t.patience.setValue(cfg.get_int(s, "train/patience", t.patience.value()))
        t.image_size.setValue(cfg.get_int(s, "train/imageSize", 0))
        t.seed.setValue(cfg.get_int(s, "train/seed", t.seed.value()))
        self.use_cache.setChecked(cfg.get_bool(s, "train/useCache", True))
        method = cfg.get_str(s, "train/method", "finetune")
        if method in METHODS:
            self.method.set_method(method)
        self.data_panel.split_spin.setValue(cfg.get_int(s, "data/valSplit", self.data_panel.split_spin.value()))
        val_dir = cfg.get_str(s, "data/valDir", "")
        if val_dir and Path(val_dir).is_dir():
            self.data_panel.set_val_dir(val_dir, scan=False)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/rightSplitter", self.right_splitter.saveState())
        s.setValue("data/trainDir", self.data_panel.train_dir())
        s.setValue("data/valDir", self.data_panel.val_dir() or "")
        s.setValue("data/valSplit", self.data_panel.split_spin.value())
        s.setValue("model/backbone", self.backbone.current_id())
        s.setValue("model/weights", "scratch" if self.backbone.weights_mode() == "scratch" else "imagenet")
        point = self.freeze.finetune_point() if self.freeze.pretrained else None
        if point is not None and self.freeze.backbone_id:
            s.setValue(f"model/freeze/{self.freeze.backbone_id}", point)
        t = self.training
        s.setValue("train/epochs", t.epochs.value())
        s.setValue("train/warmupEpochs", t.warmup.value())
        s.setValue("train/batchSize", t.batch_size.value())
        s.setValue("train/learningRate", float(t.learning_rate.value()))
        for name, box in t.augment.items():
            s.setValue(f"train/augment/{name}", box.isChecked())
        s.setValue("train/earlyStopping", t.early_stop.isChecked())
        s.setValue("train/patience", t.patience.value())
        s.setValue("train/imageSize", t.image_size.value())
        s.setValue("train/seed", t.seed.value())
        s.setValue("train/useCache", self.use_cache.isChecked())
        s.setValue("train/method", self.method.method())
        s.sync()

    def load_startup_data(self) -> None:
        """The last training folder if it still exists, otherwise the sample dataset."""
        last = cfg.get_str(self.settings, "data/trainDir", "")
        if last and Path(last).is_dir():
            self.data_panel.set_train_dir(last)
        else:
            self.load_sample_data()

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if self.train_worker.is_busy() and not self._close_pending:
            if not ask_yes_no(self, "Training is running",
                              "Training is still running. Stop it and quit? The model trained so far will not "
                              "be saved."):
                event.ignore()
                return
            self._close_pending = True
            self.stop_training()
        if not self.is_idle():
            # Wind down without blocking the event loop: cancel everything, close when idle.
            self._close_pending = True
            for worker in self.workers():
                if worker is not self.files_worker:  # let a save finish: never lose a model half-written
                    worker.cancel()
            self.training.set_status("Stopping before quitting…")
            self.setEnabled(False)
            event.ignore()
            return
        if self.persist:
            self.save_settings()
        self._stop_probe()
        event.accept()

    def _busy_changed(self, _busy: bool) -> None:
        self._maybe_close()

    def _maybe_close(self) -> None:
        if self._close_pending and self.is_idle():
            QTimer.singleShot(0, self, self.close)


# -- entry point ---------------------------------------------------------------------------
def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="finetune-studio", description="Finetune Studio desktop application")
    parser.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--demo", action="store_true",
                        help="with --screenshot: train briefly on the sample data and classify a few images first")
    parser.add_argument("--size", default="1440x900", help="window size for --screenshot, e.g. 1440x900")
    parser.add_argument("--timeout", type=float, default=600.0, help="longest wait for --screenshot, in seconds")
    args, _unknown = parser.parse_known_args(argv)
    return args


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    try:
        sheet = STYLE_SHEET.read_text(encoding="utf-8")
        icons = (STYLE_SHEET.parent / "icons").as_posix()
        app.setStyleSheet(sheet.replace("url(icons/", f"url({icons}/"))
        icon = STYLE_SHEET.parent / "icons" / "app.svg"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    except OSError:
        log.info("style sheet %s not found; using the plain style", STYLE_SHEET)


def wait_until(condition: Callable[[], bool], timeout_s: float, poll_ms: int = 50) -> bool:
    """Run the event loop until ``condition()`` holds or the timeout passes."""
    if condition():
        return True
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(poll_ms)
    timer.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline else None)
    timer.start()
    loop.exec()
    timer.stop()
    return condition()


def _settled(window: MainWindow, quiet_s: float = 0.3) -> Callable[[], bool]:
    """True once the window has been idle for ``quiet_s`` (work may chain: sample -> scan -> ...)."""
    state = {"since": None}

    def check() -> bool:
        if not window.is_idle():
            state["since"] = None
            return False
        state["since"] = state["since"] or time.monotonic()
        return time.monotonic() - state["since"] >= quiet_s

    return check


def _run_demo(window: MainWindow, timeout_s: float) -> None:
    """Train briefly on the loaded data and classify one image per class (for the README screenshot)."""
    data = window.data_panel.result
    if data is None:
        return
    window.training.epochs.setValue(4)
    window.training.warmup.setValue(1)
    deadline = time.monotonic() + 0.6  # as a user would: the settings are in place before pressing Train
    wait_until(lambda: time.monotonic() > deadline, 5)
    finished: list[Any] = []
    window.trainingFinished.connect(lambda result, cancelled: finished.append(result))
    window.trainingFailed.connect(lambda message: finished.append(None))
    window.start_training()
    wait_until(lambda: bool(finished), timeout_s)
    root = Path(data.train_dir)
    samples = []
    for name in reversed(data.class_names):
        files = sorted(p for p in (root / name).iterdir() if p.is_file())
        if files:
            samples.append(str(files[len(files) // 2]))
    shown: list[int] = []
    window.predict.predictionsShown.connect(shown.append)
    window.predict.predict_files(samples[:3])
    wait_until(lambda: bool(shown), 120)


def take_screenshot(app: QApplication, window: MainWindow, path: str, demo: bool, timeout_s: float) -> int:
    window.persist = False
    window.load_sample_data()
    settled = _settled(window)
    ready = wait_until(lambda: settled() and window.data_panel.result is not None
                       and window.freeze.table is not None, min(timeout_s, 300))
    if not ready:
        log.warning("screenshot: the window was not ready after %.0f s; capturing anyway", timeout_s)
    if demo:
        _run_demo(window, timeout_s)
    wait_until(_settled(window), 10)
    window.curves.request_redraw(immediate=True)
    app.processEvents()
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(target), "PNG")
    stall = f", longest UI stall while training {window.last_stall_ms:.0f} ms" if window.last_stall_ms else ""
    print(f"Saved a screenshot to {target} (window shown {window.time_to_window_s or 0:.2f} s after the "
          f"process started{stall})")
    window.close()
    wait_until(lambda: not window.isVisible(), 60)
    wait_for_all(60_000)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    entered = time.perf_counter()
    try:
        from core.logs import setup_logging

        setup_logging()
    except Exception:  # noqa: BLE001 - an unwritable data folder must not stop the window
        logging.basicConfig(level=logging.INFO)
    owns_app = QApplication.instance() is None
    if args.screenshot and owns_app and sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a screenshot needs no screen
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "finetune-studio"])
    app.setOrganizationName(cfg.ORGANIZATION)
    app.setApplicationName(cfg.APPLICATION)
    app.setApplicationDisplayName(APP_TITLE)
    apply_style(app)
    window = MainWindow()
    try:
        if args.screenshot:
            width, _, height = args.size.partition("x")
            window.resize(int(width), int(height))
        window.show()

        def shown() -> None:
            if window.time_to_window_s is not None:
                return
            age = process_age_s()
            window.time_to_window_s = age if age is not None else time.perf_counter() - entered
            log.info("time-to-window: %.2f s since the process started (%.2f s in gui.app.main)",
                     window.time_to_window_s, time.perf_counter() - entered)

        QTimer.singleShot(0, shown)
        QTimer.singleShot(0, engine().start)  # TensorFlow loads in the engine process meanwhile
        if args.screenshot:
            app.processEvents()
            shown()
            code = take_screenshot(app, window, args.screenshot, args.demo, args.timeout)
            window.deleteLater()
            return code
        QTimer.singleShot(0, window.load_startup_data)
        return int(app.exec())
    finally:
        # Never leave a running QThread behind (Qt aborts the process) nor an engine process.
        wait_for_all(120_000)
        if owns_app:
            shutdown_engine()  # embedded (tests, scripts): the host decides when the engine goes
