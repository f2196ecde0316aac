"""File › Save model, Open model and Open recent: a trained model leaves the engine as a bundle
folder and comes back from one. The saves and loads run in the engine (on ``window.files_worker``);
this controller asks for paths, remembers the recent ones and tells the panels which model is in use.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from core.engine.protocol import OpenBundleRequest, SaveRequest

from . import settings as cfg
from .dialogs import show_error
from .display_text import class_list, model_kind, short_label
from .widgets.method_choice import uses_epochs
from .worker import ENGINE_DIED, remote

if TYPE_CHECKING:
    from .main_window import MainWindow

RECENT_KEY = "files/recentModels"
LAST_DIR_KEY = "files/lastModelDir"


class ModelFiles:
    """Saving and opening model bundles for ``window``, and its recent-models menu."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def save_model(self, path: str | None = None) -> None:
        w = self.window
        if w.result is None:
            return
        if path is None:
            start = cfg.get_str(w.settings, LAST_DIR_KEY, str(Path.home()))
            method = getattr(w.result, "method", "finetune")
            kind = "" if uses_epochs(method) else f"-{method}"
            name = f"{Path(w.result.data_dir).name or 'my'}-{w.result.backbone}{kind}-model"
            path, _ = QFileDialog.getSaveFileName(w, "Save model", str(Path(start) / name), "Model folder (*)")
            if not path:
                return
        w.statusBar().showMessage(f"Saving the model to {path}…")
        # The engine copies the bundle it kept when training ended (also an engine started after a
        # crash can), and refuses a target that exists and is not a model bundle.
        job = remote(SaveRequest(w.result.handle, str(path), getattr(w.result, "kept_path", None)))
        w.files_worker.start(job, "save model", on_done=self._saved, on_error=self._save_failed)

    def _save_failed(self, message: str, details: str) -> None:
        """A plain dialog; the model stays in use, unsaved but kept, and Save stays available."""
        w = self.window
        kept = getattr(w.result, "kept_path", None)
        still = f" The model is not saved yet; it is still kept in {kept}." if kept else " The model is not saved yet."
        w.statusBar().showMessage("Not saved." + still, 15000)
        show_error(w, "Could not save the model", message + (still if message.startswith(ENGINE_DIED) else ""),
                   details)

    def describe_saved(self, path: str) -> None:
        """The prediction panel names the trained model in use by the bundle it was saved to."""
        w = self.window
        if w.result is not None:
            w.predict.set_model(w.result.handle, f"your {model_kind(w.backbone, w.result, Path(path).name)} "
                                                 f"({class_list(w.result.class_names)})")

    def _saved(self, path: str) -> None:
        w = self.window
        w.model_path = path
        self.describe_saved(path)
        self._remember(path)
        w.statusBar().showMessage(f"Saved the model to {path}", 10000)
        w.modelSaved.emit(path)

    def open_model(self, path: str | None = None) -> None:
        w = self.window
        if path is None:
            start = cfg.get_str(w.settings, LAST_DIR_KEY, str(Path.home()))
            path = QFileDialog.getExistingDirectory(w, "Open a saved model (its folder)", start)
            if not path:
                return

        w.statusBar().showMessage(f"Opening {path}…")
        w.files_worker.start(remote(OpenBundleRequest(str(path))), "open model",
                             on_done=lambda bundle: self._opened(path, bundle),
                             on_error=lambda m, d: self._open_failed(path, m, d))

    def _opened(self, path: str, bundle: Any) -> None:
        w = self.window
        w.model_path = path
        w.result = None
        w.save_action.setEnabled(False)
        self._remember(path)
        backbone = (bundle.config.get("train") or {}).get("backbone", "")
        info = w.backbone.info(backbone)
        kind = f"{short_label(info.label)} " if info else ""
        method = getattr(bundle, "method", "finetune")
        kind += "" if uses_epochs(method) else f"{bundle.method_label} "
        w.predict.set_model(bundle.handle,
                            f"the {kind}model “{Path(path).name}” ({class_list(bundle.class_names)})")
        w.comparison = {}
        w.method.clear_comparison()
        w.curves.load_history(bundle.history or [])
        w.results.show_metrics(bundle.metrics)
        w.training.set_status(f"Opened “{Path(path).name}”. Drop images on the right to try it.", "ok")
        w.statusBar().showMessage(f"Opened {path}", 8000)
        w.modelOpened.emit(path)

    def _open_failed(self, path: str, message: str, details: str) -> None:
        show_error(self.window, "Could not open the model", message, details)

    def _remember(self, path: str) -> None:
        """The next file dialog starts next to ``path``, and it heads the recent-models menu."""
        settings = self.window.settings
        settings.setValue(LAST_DIR_KEY, str(Path(path).parent))
        cfg.push_recent(settings, RECENT_KEY, path)
        self.rebuild_recent()

    def rebuild_recent(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = cfg.get_list(self.window.settings, RECENT_KEY)
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.window.open_model(p))
        if recent:
            menu.addSeparator()
            clear = menu.addAction("Clear list")
            clear.triggered.connect(self._clear_recent)
        menu.setEnabled(bool(recent))

    def _clear_recent(self) -> None:
        self.window.settings.setValue(RECENT_KEY, [])
        self.rebuild_recent()
