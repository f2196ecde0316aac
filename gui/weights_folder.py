"""Settings › Weights folder: a folder of pre-placed ImageNet weight files (a lab without internet,
an administrator's copy) searched before any download. The window process (the backbone list's
"already on this computer" marks) and the engine process must search the same folders, so the
choice goes to both, as FTS_WEIGHTS_DIR, the moment it is made.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from .engine_setting import EngineFolderSetting

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


class WeightsFolderSetting(EngineFolderSetting):
    """The weights folder: applied from ``settings`` at once (before the backbone list is built,
    since its marks depend on it), changed from the Settings menu. Emits ``folderChanged(folder)``
    once the choice is saved and applied (the backbone list then looks again)."""

    folderChanged = Signal(str)
    SETTING_KEY, ENV = SETTING_KEY, WEIGHTS_ENV
    SET_IN_WINDOW = True  # the backbone list's "already on this computer" marks search the same folders

    def __init__(self, settings: QSettings, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(settings, status, parent)
        self.choose_action: QAction | None = None
        self.clear_action: QAction | None = None
        self.start()

    def add_actions(self, menu: QMenu) -> None:
        self.choose_action = QAction(self.tr("Weights folder…"), self)
        self.choose_action.setObjectName("weightsFolderAction")
        self.choose_action.triggered.connect(self.choose)
        self.clear_action = QAction(self.tr("Stop using the weights folder"), self)
        self.clear_action.triggered.connect(lambda: self.set_folder(""))
        menu.addAction(self.choose_action)
        menu.addAction(self.clear_action)
        self.show_state()

    def choose(self) -> None:
        start = self.folder or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self.dialog_parent,
                                                  self.tr("Folder with pre-placed ImageNet weight files"), start)
        if folder:
            self.set_folder(folder)

    def env_value(self, folder: str) -> str:
        """This process (the backbone list's "already on this computer" check) and the engine's search
        the same folders: the chosen one first, then those the environment named at start-up."""
        return weights_search_path(folder)

    def announce(self, folder: str) -> None:
        if folder:
            self.status.showMessage(self.tr("ImageNet weight files are looked for in {folder} first.").format(
                folder=folder), 8000)
        self.folderChanged.emit(folder)

    def show_state(self) -> None:
        if self.choose_action is None or self.clear_action is None:
            return
        folder = self.folder
        tip = (self.tr("Now: {folder}").format(folder=folder) if folder else
               self.tr("Not set: weights come from Keras' own folder or a download"))
        self.choose_action.setStatusTip(self.tr("Folder searched for ImageNet weight files before downloading. "
                                                "{state}").format(state=tip))
        self.choose_action.setToolTip(tip)
        self.clear_action.setEnabled(bool(folder))
