"""The main window: five steps from left to right (data, backbone, freeze, train, try it), the
training curves and the Results (per-class metrics, confusion matrix) below, the File, Settings
and Help menus, and closing while work runs.

The window creates the panels (gui/panels.py), the workers and the model in use
(gui/model_in_use.py: the one owner of which model the Try-it panel, the Results and Save show)
and wires them together; the behaviour lives in small controllers that receive only what they
work with, never the window: gui/training_control.py (training and comparison runs),
gui/model_files.py (save, open, recent models), gui/weights_folder.py (Settings › Weights folder),
gui/language_setting.py (Settings › Language, applied at the next start by gui/language.py);
gui/window_layout.py places the panels and gui/window_settings.py lists what is remembered between
sessions. The methods and attributes that scripts and tests use stay on the window and hand over.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSignalBlocker, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from . import settings as cfg
from .diagnostics import StallProbe
from .dialogs import ask_yes_no
from .display_text import short_label
from .language_setting import LanguageSetting
from .model_files import ModelFiles
from .model_in_use import ModelInUse, ModelInUseDisplay
from .operations import install_all
from .panels import Panels
from .runs_control import RunsControl
from .runtime_setting import RuntimeSetting
from .tensorboard_setting import TensorBoardSetting
from .training_control import TrainingControl
from .weights_folder import WeightsFolderSetting
from .window_layout import build_window_layout, fit_to_screen, let_tab_leave_tables, set_tab_order
from .window_settings import WindowShape, remembered_groups, restore_window_settings, save_window_settings
from .worker import Worker

log = logging.getLogger("finetune_studio")
APP_TITLE = "Finetune Studio"


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
        self.time_to_window_s: float | None = None
        self.close_pending = False  # asked to close while work ran: close once everything is idle
        status = self.statusBar()  # created now: appearing later would resize the curves mid-run

        # Before the backbone list is built: its "already on this computer" marks depend on it.
        self.weights_setting = WeightsFolderSetting(self.settings, status, self)
        self.tensorboard_setting = TensorBoardSetting(self.settings, status, self)  # Settings › TensorBoard logs
        self.runtime_setting = RuntimeSetting(self.settings, status, self)  # Settings › Runtime
        self.language_setting = LanguageSetting(self.settings, status, self)  # Settings › Language (next start)

        self.panels = panels = Panels.create()
        # The panels by name, for scripts and tests.
        self.data_panel, self.backbone, self.freeze = panels.data, panels.backbone, panels.freeze
        self.training, self.method, self.use_cache = panels.training, panels.method, panels.use_cache
        self.curves, self.results, self.predict = panels.curves, panels.results, panels.predict
        panels.results.explain_source = panels.predict.current_source  # the gallery explains with the model in use
        self.model_in_use = ModelInUse(self)
        self.train_worker = Worker("training", self)
        self.files_worker = Worker("files", self)
        self.sample_worker = Worker("sample data", self)
        self.stall_probe = StallProbe(parent=self)
        self.training_control = TrainingControl(panels, self.train_worker, self.model_in_use, status,
                                                self.stall_probe, is_closing=lambda: self.close_pending, parent=self)
        self._build_layout()
        self._build_menus()
        self.operations = install_all(self)  # gui/operations/<stem>.py: export, report, audit, lr_find...
        set_tab_order(self.panels, self.result_tabs)  # with the plug-ins' buttons (Check my data)
        self.model_files = ModelFiles(self.model_in_use, self.files_worker, self.settings, status, self.recent_menu,
                                      panels.curves, panels.training, self)
        self.model_files.rebuild_recent()
        self.runs = RunsControl(self.result_tabs, panels, self.training_control, self.model_files, self.model_in_use,
                                status, self)  # the Runs tab (gui/widgets/runs_tab.py)
        self.model_in_use_display = ModelInUseDisplay(self.model_in_use, panels.predict, panels.results,
                                                      panels.method, panels.backbone, self.save_action, status)
        self._connect()
        let_tab_leave_tables(self)  # every table in the window, the plug-ins' and the Runs tab's too
        status.showMessage(self.tr("Ready"))
        shape = WindowShape(self, {"splitter": self.splitter, "rightSplitter": self.right_splitter})
        self.remembered = remembered_groups(shape, panels)
        if restore:
            # The backbone's own signals wait: the two calls below apply whichever backbone and weights
            # are current once (a restored backbone would otherwise ask for its layer table twice).
            blocker = QSignalBlocker(self.backbone)
            self.restore_settings()
            blocker.unblock()
        self._backbone_changed(self.backbone.current_id())
        self.freeze.set_pretrained(self.backbone.pretrained())

    # -- assembly --------------------------------------------------------------------------
    def _build_layout(self) -> None:
        layout = build_window_layout(self.panels)
        self.splitter, self.right_splitter = layout.splitter, layout.right_splitter
        self.result_tabs, self.results_page = layout.result_tabs, layout.results_page
        self.setCentralWidget(self.splitter)
        fit_to_screen(self)  # a saved geometry, restored later, replaces it
        # The steps keep their height when the window shrinks (stretch 0): at 1280x800 they need about
        # 475 px, the rest goes to the curves, Results and "try it".
        self.splitter.setSizes([475, 380])

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_folder_action = QAction(self.tr("Choose training folder…"), self)
        self.open_folder_action.triggered.connect(self.data_panel.browse_train)
        self.sample_action = QAction(self.tr("Load sample dataset"), self)
        self.sample_action.triggered.connect(self.load_sample_data)
        self.save_action = QAction(self.tr("&Save model…"), self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setEnabled(False)
        self.save_action.triggered.connect(lambda: self.save_model())
        self.open_action = QAction(self.tr("&Open model…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(lambda: self.open_model())
        self.recent_menu = QMenu(self.tr("Open &recent model"), self)
        self.recent_menu.setObjectName("recentMenu")
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        for item in (self.open_folder_action, self.sample_action, None, self.save_action, self.open_action):
            file_menu.addSeparator() if item is None else file_menu.addAction(item)
        self.file_menu = file_menu
        file_menu.addMenu(self.recent_menu)  # the operations' actions go before it (add_file_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        self.weights_setting.add_actions(settings_menu)
        self.tensorboard_setting.add_actions(settings_menu)
        self.runtime_setting.add_actions(settings_menu)
        self.language_setting.add_actions(settings_menu)
        self.weights_folder_action = self.weights_setting.choose_action
        self.clear_weights_folder_action = self.weights_setting.clear_action
        train_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        train_shortcut.activated.connect(self.start_training)
        self.training.train_button.setToolTip(self.tr("Start fine-tuning with these settings (Ctrl+Enter)"))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        logs = QAction(self.tr("Show log folder"), self)
        logs.triggered.connect(self._show_logs)
        about = QAction(self.tr("About {app}").format(app=APP_TITLE), self)
        about.triggered.connect(self._about)
        help_menu.addAction(logs)
        help_menu.addAction(about)

    def add_file_action(self, action: QAction) -> None:
        """A plug-in's File menu entry (gui/operations/), after Open model… and before Open recent."""
        self.file_menu.insertAction(self.recent_menu.menuAction(), action)

    def _connect(self) -> None:
        self.backbone.backboneChanged.connect(self._backbone_changed)
        self.backbone.weightsChanged.connect(lambda: self.freeze.set_pretrained(self.backbone.pretrained()))
        self.data_panel.datasetChanged.connect(self._dataset_changed)
        self.training.epochs.valueChanged.connect(self._update_curve_plan)
        self.data_panel.datasetChanged.connect(lambda r: self.method.set_dataset_size(None if r is None else r.total))
        self.weights_setting.folderChanged.connect(lambda _folder: self.backbone.refresh_weights_status())
        self.weights_setting.folderChanged.connect(self.weightsFolderChanged)
        control = self.training_control
        control.trainingFinished.connect(self.trainingFinished)
        control.trainingFailed.connect(self.trainingFailed)
        control.comparisonFinished.connect(self.comparisonFinished)
        control.runningChanged.connect(self._run_locks_actions)
        control.resultsWanted.connect(lambda: self.result_tabs.setCurrentWidget(self.results_page))
        control.runEnded.connect(self.maybe_close)
        self.model_files.modelSaved.connect(self.modelSaved)
        self.model_files.modelOpened.connect(self.modelOpened)
        for w in self.workers():
            w.busyChanged.connect(self._busy_changed)

    def workers(self) -> list[Worker]:
        return [self.train_worker, self.files_worker, self.sample_worker, self.data_panel.worker,
                self.panels.groups.worker, self.freeze.worker, self.predict.worker, self.predict.folder.worker,
                self.predict.folder.files_worker, self.runs.delete_worker, *(item.worker for item in self.operations)]

    def is_idle(self) -> bool:
        return not any(w.is_busy() for w in self.workers())

    def _run_locks_actions(self, running: bool) -> None:
        """While a run uses the data on screen, no other folder can be chosen from the File menu."""
        self.open_folder_action.setEnabled(not running)
        self.sample_action.setEnabled(not running)

    # -- the model in use (read-only: gui/model_in_use.py owns it) ---------------------------
    @property
    def result(self) -> Any:
        """The trained model in use (core.engine.protocol.TrainSummary), None once a bundle is opened."""
        return self.model_in_use.result

    @property
    def model_path(self) -> str | None:
        """The bundle behind the current predictions, if any."""
        return self.model_in_use.path

    @property
    def comparison(self) -> dict[str, Any]:
        """method -> TrainSummary of the last comparison."""
        return self.model_in_use.comparison

    @property
    def last_stall_ms(self) -> float | None:
        """The longest event-loop stall of the last run, click to end-of-run redraw."""
        return self.training_control.last_stall_ms

    # -- data and backbone -----------------------------------------------------------------
    def load_sample_data(self) -> None:
        """Build (first time) and select the bundled sample dataset; silently skipped if unavailable."""

        def run(_sink: Any, _cancel: Any) -> str:
            from resources.sample_data import ensure_sample_dataset

            return str(ensure_sample_dataset())

        self.data_panel.summary.setText(self.tr("Preparing the sample dataset…"))
        self.sample_worker.start(run, "sample data", on_done=lambda path: self.data_panel.set_train_dir(path),
                                 on_error=self._sample_failed)

    def _sample_failed(self, message: str, _details: str) -> None:
        log.info("sample dataset unavailable: %s", message)
        if not self.data_panel.train_dir():
            self.data_panel.summary.setText(self.tr("No folder chosen yet."))

    def load_startup_data(self) -> None:
        """The last training folder if it still exists, otherwise the sample dataset."""
        last = self.data_panel.last_session_train_dir
        if last and Path(last).is_dir():
            self.data_panel.set_train_dir(last)
        else:
            self.load_sample_data()

    def _backbone_changed(self, backbone_id: str) -> None:
        info = self.backbone.info(backbone_id)
        if info is None:
            return
        self.freeze.set_backbone(backbone_id)  # at the remembered fine-tuning point, if any
        self.predict.set_imagenet_backbone(backbone_id, short_label(info.label))
        self.training.image_size.setSpecialValueText(self.tr("Backbone default ({size} px)").format(
            size=info.input_size))

    def _update_curve_plan(self, *_: Any) -> None:
        data = self.data_panel.result
        if not self.train_worker.is_busy():
            self.curves.set_plan(self.training.epochs.value(), len(data.class_names) if data is not None else None)

    def _dataset_changed(self, result: Any) -> None:
        self._update_curve_plan()
        self.freeze.set_class_count(len(result.class_names) if result is not None else None)
        name = Path(result.train_dir).name if result is not None else ""
        self.setWindowTitle(f"{name} — {APP_TITLE}" if name else APP_TITLE)
        problem = result.problem() if result is not None else None
        self.training.set_blocked(problem)  # says why in the status line
        self.method.set_blocked(problem is not None)
        if problem is not None:
            return
        if result is None:
            self.training.set_status(self.tr("Choose a folder with one subfolder per class, then press Train."))
        elif not self.train_worker.is_busy():
            self.training.set_status(self.tr("Ready to train on {images} images in {classes} classes.").format(
                images=result.total, classes=len(result.class_names)))

    # -- handed to the controllers (scripts and tests call these on the window) --------------
    def train_config_kwargs(self) -> dict[str, Any]:
        return self.training_control.train_config_kwargs()

    def start_training(self) -> None:
        self.training_control.start_training()

    def start_comparison(self, methods: list[str]) -> None:
        self.training_control.start_comparison(methods)

    def stop_training(self) -> None:
        self.training_control.stop_training()

    def is_training(self) -> bool:
        return self.train_worker.is_busy()

    def _lock_inputs(self, running: bool) -> None:
        self.training_control.lock_inputs(running)

    def save_model(self, path: str | None = None) -> None:
        self.model_files.save_model(path)

    def open_model(self, path: str | None = None) -> None:
        self.model_files.open_model(path)

    @property
    def weights_folder(self) -> str:
        return self.weights_setting.folder

    def choose_weights_folder(self) -> None:
        self.weights_setting.choose()

    def set_weights_folder(self, folder: str | Path | None) -> None:
        self.weights_setting.set_folder(folder)

    def restore_settings(self) -> None:
        restore_window_settings(self.settings, self.remembered)

    def save_settings(self) -> None:
        save_window_settings(self.settings, self.remembered)

    # -- help ------------------------------------------------------------------------------
    def _show_logs(self) -> None:
        from .errors import log_path

        path = log_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About {app}").format(app=APP_TITLE),
                          self.tr("<b>{app}</b><p>Fine-tune a pretrained ImageNet network on your own image "
                                  "folders: pick a backbone, choose how much of it to freeze, train, and try it by "
                                  "dropping images.</p>").format(app=APP_TITLE))

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        if self.train_worker.is_busy() and not self.close_pending:
            if not ask_yes_no(self, self.tr("Training is running"),
                              self.tr("Training is still running. Stop it and quit? The best epoch so far (if one "
                                      "finished) is kept in the app's runs folder, where File › Open model… finds "
                                      "it.")):
                event.ignore()
                return
            self.close_pending = True
            self.stop_training()
        if not self.is_idle():
            # Wind down without blocking the event loop: cancel everything, close when idle.
            self.close_pending = True
            for worker in self.workers():
                if worker is not self.files_worker:  # let a save finish: never lose a model half-written
                    worker.cancel()
            self.training.set_status(self.tr("Stopping before quitting…"))
            self.setEnabled(False)
            event.ignore()
            return
        if self.persist:
            self.save_settings()
        self.training_control.stop_stall_probe()
        self.predict.folder.shut_down()  # no thumbnail decode outlives the window
        event.accept()

    def _busy_changed(self, _busy: bool) -> None:
        self.maybe_close()

    def maybe_close(self) -> None:
        """Close now if a close was asked for while work ran and all work has wound down."""
        if self.close_pending and self.is_idle():
            QTimer.singleShot(0, self, self.close)
