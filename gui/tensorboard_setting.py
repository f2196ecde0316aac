"""Settings › TensorBoard logs: for those who already follow their runs in TensorBoard. Once a
folder is chosen, every run the window starts writes standard event files into
``<folder>/<run id>/`` (``train/`` and ``validation/``), so ``tensorboard --logdir <folder>`` lists
the window's runs beside the command line's ``--tensorboard`` ones.

The engine process writes the files, so the choice goes to it as ``FTS_TENSORBOARD_DIR``
(core.paths.tensorboard_run_dir reads it) the moment it is made: gui/engine_setting.py.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QStatusBar, QWidget

from core.paths import TENSORBOARD_ENV
from .engine_setting import EngineFolderSetting


class TensorBoardSetting(EngineFolderSetting):
    """The TensorBoard folder ("" = off): applied from ``settings`` at start, changed from the menu's
    checkable action. Only the engine writes event files, so only the engine gets the variable."""

    SETTING_KEY, ENV = "training/tensorboardFolder", TENSORBOARD_ENV

    def __init__(self, settings: QSettings, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(settings, status, parent)
        self.action = QAction(self.tr("TensorBoard logs…"), self)
        self.action.setObjectName("tensorboardAction")
        self.action.setCheckable(True)
        self.action.triggered.connect(self._toggled)
        self.start()

    def add_actions(self, menu: QMenu) -> None:
        menu.addAction(self.action)

    def _toggled(self, checked: bool) -> None:
        if not checked:
            self.set_folder("")
            return
        folder = QFileDialog.getExistingDirectory(self.dialog_parent, self.tr("Folder for TensorBoard event files"),
                                                  self.folder or str(Path.home()))
        self.set_folder(folder)  # a cancelled dialog leaves it off

    def announce(self, folder: str) -> None:
        if folder:
            self.status.showMessage(self.tr("Each run writes TensorBoard event files to {folder}/<run id>.").format(
                folder=folder), 8000)

    def show_state(self) -> None:
        folder = self.folder
        self.action.setChecked(bool(folder))
        self.action.setToolTip(self.tr("Now: {folder}").format(folder=folder) if folder else
                               self.tr("Off: runs write no TensorBoard files"))
        self.action.setStatusTip(self.tr("Also write each run's loss, accuracy and learning rate as TensorBoard event "
                                         "files. Now: {folder}").format(folder=folder) if folder else
                                 self.tr("Also write each run's loss, accuracy and learning rate as TensorBoard event "
                                         "files. Now off."))
