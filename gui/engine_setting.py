"""A folder setting the engine process must know: remembered in QSettings and handed to the engine
as an environment variable the moment it changes (a running engine gets it before its next job, a
new engine at its start). The weights folder (gui/weights_folder.py) and the TensorBoard logs
folder (gui/tensorboard_setting.py) are two of them; each says only what differs: its key, its
variable, the value it sends and what the menu shows."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QStatusBar, QWidget

from . import settings as cfg
from .worker import engine


class EngineFolderSetting(QObject):
    """``folder`` ("" = not set), applied from ``settings`` at once and changed by :meth:`set_folder`."""

    SETTING_KEY = ""
    ENV = ""
    SET_IN_WINDOW = False  # the window's own process reads the variable too (then it is set here as well)

    def __init__(self, settings: QSettings, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings, self.status, self.dialog_parent = settings, status, parent
        self.folder = ""

    def start(self) -> None:
        """Apply the remembered folder (subclasses call it once their actions exist)."""
        self._apply(cfg.get_str(self.settings, self.SETTING_KEY, ""))

    def env_value(self, folder: str) -> str:
        """What the variable holds for ``folder`` ("" removes it)."""
        return folder

    def set_folder(self, folder: str | Path | None) -> None:
        """Use ``folder`` from now on ("" or None: stop); saved at once, then :meth:`announce` d."""
        folder = str(folder or "")
        self.settings.setValue(self.SETTING_KEY, folder)
        self._apply(folder)
        self.announce(folder)

    def announce(self, folder: str) -> None:
        """Tell the user (and listeners) about a change the user made."""

    def show_state(self) -> None:
        """Bring the menu actions in line with ``self.folder``."""

    def _apply(self, folder: str) -> None:
        self.folder = folder
        value = self.env_value(folder)
        if self.SET_IN_WINDOW:
            if value:
                os.environ[self.ENV] = value
            else:
                os.environ.pop(self.ENV, None)
        engine().set_env(**{self.ENV: value or None})
        self.show_state()
