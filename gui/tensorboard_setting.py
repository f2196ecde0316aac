"""Settings › TensorBoard logs: for those who already follow their runs in TensorBoard. Once a
folder is chosen, every run the window starts writes standard event files into
``<folder>/<run id>/`` (``train/`` and ``validation/``), so ``tensorboard --logdir <folder>`` lists
the window's runs beside the command line's ``--tensorboard`` ones.

The engine process writes the files, so the choice goes to it as ``FTS_TENSORBOARD_DIR``
(core.paths.tensorboard_run_dir reads it) the moment it is made, like the weights folder.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from core.paths import TENSORBOARD_ENV
from . import settings as cfg
from .worker import engine

SETTING_KEY = "training/tensorboardFolder"


class TensorBoardSetting(QObject):
    """The TensorBoard folder ("" = off): applied from ``settings`` at start, changed from the menu."""

    def __init__(self, settings: QSettings, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings, self.status, self.dialog_parent = settings, status, parent
        self.folder = ""
        self.action = QAction("TensorBoard logs…", self)
        self.action.setObjectName("tensorboardAction")
        self.action.setCheckable(True)
        self.action.triggered.connect(self._toggled)
        self._apply(cfg.get_str(settings, SETTING_KEY, ""))

    def add_actions(self, menu: QMenu) -> None:
        menu.addAction(self.action)

    def _toggled(self, checked: bool) -> None:
        if not checked:
            self.set_folder("")
            return
        folder = QFileDialog.getExistingDirectory(self.dialog_parent, "Folder for TensorBoard event files",
                                                  self.folder or str(Path.home()))
        self.set_folder(folder)  # a cancelled dialog leaves it off

    def set_folder(self, folder: str | Path | None) -> None:
        """Write every window run's event files under ``folder`` ("" or None: stop). Saved at once."""
        folder = str(folder or "")
        self.settings.setValue(SETTING_KEY, folder)
        self._apply(folder)
        if folder:
            self.status.showMessage(f"Each run writes TensorBoard event files to {folder}/<run id>.", 8000)

    def _apply(self, folder: str) -> None:
        self.folder = folder
        if folder:
            os.environ[TENSORBOARD_ENV] = folder
        else:
            os.environ.pop(TENSORBOARD_ENV, None)
        engine().set_env(**{TENSORBOARD_ENV: folder or None})
        self.action.setChecked(bool(folder))
        self.action.setToolTip(f"Now: {folder}" if folder else "Off: runs write no TensorBoard files")
        self.action.setStatusTip("Also write each run's loss, accuracy and learning rate as TensorBoard event "
                                 "files. " + (f"Now: {folder}" if folder else "Now off."))
