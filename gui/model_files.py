"""File › Save model, Open model and Open recent: a trained model leaves the engine as a bundle
folder and comes back from one. The saves and loads run in the engine (on the files worker);
this controller asks for paths, remembers the recent ones and tells the model in use
(gui/model_in_use.py) what was saved or opened; the panels follow it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from core.engine.requests.open_bundle import OpenBundleRequest

from core.engine.requests.save import SaveRequest
from core.methods import uses_epochs

from . import settings as cfg
from .dialogs import show_error
from .model_in_use import ModelInUse
from .widgets.curves import CurvesPanel
from .widgets.training_settings import TrainingSettings
from .worker import ENGINE_DIED, Worker, remote

RECENT_KEY = "files/recentModels"
LAST_DIR_KEY = "files/lastModelDir"


class ModelFiles(QObject):
    """Saving and opening model bundles, and the recent-models menu. Emits ``modelSaved(path)`` and
    ``modelOpened(path)``. ``parent`` is the window the file and error dialogs belong to."""

    modelSaved = Signal(str)
    modelOpened = Signal(str)

    def __init__(self, model: ModelInUse, worker: Worker, settings: QSettings, status: QStatusBar,
                 recent_menu: QMenu, curves: CurvesPanel, training: TrainingSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.model, self.worker, self.settings, self.status = model, worker, settings, status
        self.recent_menu, self.curves, self.training, self.dialog_parent = recent_menu, curves, training, parent

    def save_model(self, path: str | None = None) -> None:
        result = self.model.result
        if result is None:
            return
        if path is None:
            start = cfg.get_str(self.settings, LAST_DIR_KEY, str(Path.home()))
            method = getattr(result, "method", "finetune")
            kind = "" if uses_epochs(method) else f"-{method}"
            name = f"{Path(result.data_dir).name or 'my'}-{result.backbone}{kind}-model"
            path, _ = QFileDialog.getSaveFileName(self.dialog_parent, self.tr("Save model"),
                                                  str(Path(start) / name), self.tr("Model folder (*)"))
            if not path:
                return
        self.status.showMessage(self.tr("Saving the model to {path}…").format(path=path))
        # The engine copies the bundle it kept when training ended (also an engine started after a
        # crash can), and refuses a target that exists and is not a model bundle.
        job = remote(SaveRequest(result.handle, str(path), getattr(result, "kept_path", None)))
        self.worker.start(job, "save model", on_done=self._saved, on_error=self._save_failed)

    def _save_failed(self, message: str, details: str) -> None:
        """A plain dialog; the model stays in use, unsaved but kept, and Save stays available."""
        kept = getattr(self.model.result, "kept_path", None)
        still = (self.tr(" The model is not saved yet; it is still kept in {path}.").format(path=kept) if kept
                 else self.tr(" The model is not saved yet."))
        self.status.showMessage(self.tr("Not saved.") + still, 15000)
        show_error(self.dialog_parent, self.tr("Could not save the model"),
                   message + (still if message.startswith(ENGINE_DIED) else ""), details)

    def _saved(self, path: str) -> None:
        self.model.mark_saved(path)
        self._remember(path)
        self.status.showMessage(self.tr("Saved the model to {path}").format(path=path), 10000)
        self.modelSaved.emit(path)

    def open_model(self, path: str | None = None) -> None:
        if path is None:
            start = cfg.get_str(self.settings, LAST_DIR_KEY, str(Path.home()))
            path = QFileDialog.getExistingDirectory(self.dialog_parent, self.tr("Open a saved model (its folder)"),
                                                    start)
            if not path:
                return

        self.status.showMessage(self.tr("Opening {path}…").format(path=path))
        self.worker.start(remote(OpenBundleRequest(str(path))), "open model",
                          on_done=lambda bundle: self._opened(path, bundle),
                          on_error=lambda m, d: self._open_failed(path, m, d))

    def _opened(self, path: str, bundle: Any) -> None:
        self.model.use_opened(path, bundle)
        self._remember(path)
        self.curves.load_history(bundle.history or [])
        self.training.set_status(self.tr("Opened “{name}”. Drop images on the right to try it.").format(
            name=Path(path).name), "ok")
        self.status.showMessage(self.tr("Opened {path}").format(path=path), 8000)
        self.modelOpened.emit(path)

    def _open_failed(self, path: str, message: str, details: str) -> None:
        show_error(self.dialog_parent, self.tr("Could not open the model"), message, details)

    def _remember(self, path: str) -> None:
        """The next file dialog starts next to ``path``, and it heads the recent-models menu."""
        self.settings.setValue(LAST_DIR_KEY, str(Path(path).parent))
        cfg.push_recent(self.settings, RECENT_KEY, path)
        self.rebuild_recent()

    def rebuild_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = cfg.get_list(self.settings, RECENT_KEY)
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_model(p))
        if recent:
            menu.addSeparator()
            clear = menu.addAction(self.tr("Clear list"))
            clear.triggered.connect(self._clear_recent)
        menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.settings.setValue(RECENT_KEY, [])
        self.rebuild_recent()
