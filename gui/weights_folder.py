"""Settings › Weights folder: a folder of pre-placed ImageNet weight files (a lab without internet,
an administrator's copy) searched before any download. The window process (the backbone list's
"already on this computer" marks) and the engine process must search the same folders, so the
choice goes to both, as FTS_WEIGHTS_DIR, the moment it is made.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from . import settings as cfg
from .worker import engine

if TYPE_CHECKING:
    from .main_window import MainWindow

WEIGHTS_ENV = "FTS_WEIGHTS_DIR"
SETTING_KEY = "model/weightsFolder"
# Folders named in the environment when the window process started: searched after the GUI's setting.
_STARTUP_WEIGHTS_DIRS = os.environ.get(WEIGHTS_ENV, "")


def weights_search_path(folder: str) -> str:
    """FTS_WEIGHTS_DIR for the GUI's weights folder setting: that folder first, then any folders the
    environment named at start-up."""
    parts = [folder] if folder else []
    parts += [p for p in _STARTUP_WEIGHTS_DIRS.split(os.pathsep) if p.strip() and p != folder]
    return os.pathsep.join(parts)


class WeightsFolderSetting:
    """The weights folder of ``window``: applied from the settings at once (before the backbone list
    is built, since its marks depend on it), changed from the Settings menu."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.folder = ""
        self.choose_action: QAction | None = None
        self.clear_action: QAction | None = None
        self._apply(cfg.get_str(window.settings, SETTING_KEY, ""))

    def add_actions(self, menu: QMenu) -> None:
        w = self.window
        self.choose_action = QAction("Weights folder…", w)
        self.choose_action.setObjectName("weightsFolderAction")
        self.choose_action.triggered.connect(self.choose)
        self.clear_action = QAction("Stop using the weights folder", w)
        self.clear_action.triggered.connect(lambda: self.set_folder(""))
        menu.addAction(self.choose_action)
        menu.addAction(self.clear_action)
        self._update_actions()

    def choose(self) -> None:
        start = self.folder or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.window, "Folder with pre-placed ImageNet weight files", start)
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str | Path | None) -> None:
        """Search ``folder`` for ImageNet weight files before downloading ("" or None: stop). Saved at once,
        passed to the engine (as FTS_WEIGHTS_DIR) and reflected in the backbone list."""
        w = self.window
        folder = str(folder or "")
        w.settings.setValue(SETTING_KEY, folder)
        self._apply(folder)
        w.backbone.refresh_weights_status()
        self._update_actions()
        if folder:
            w.statusBar().showMessage(f"ImageNet weight files are looked for in {folder} first.", 8000)
        w.weightsFolderChanged.emit(folder)

    def _apply(self, folder: str) -> None:
        """This process (the backbone list's "already on this computer" check) and the engine's search
        the same folders."""
        self.folder = folder
        value = weights_search_path(folder)
        if value:
            os.environ[WEIGHTS_ENV] = value
        else:
            os.environ.pop(WEIGHTS_ENV, None)
        engine().set_env(**{WEIGHTS_ENV: value})

    def _update_actions(self) -> None:
        if self.choose_action is None or self.clear_action is None:
            return
        folder = self.folder
        tip = (f"Now: {folder}" if folder else "Not set: weights come from Keras' own folder or a download")
        self.choose_action.setStatusTip(f"Folder searched for ImageNet weight files before downloading. {tip}")
        self.choose_action.setToolTip(tip)
        self.clear_action.setEnabled(bool(folder))
