"""Settings › Runtime: "Fast runtime (verified)" (the default) or "Keras only".

Why a window setting: the forward passes that do not train (classifying, Try it, the feature cache,
embeddings) run on a converted model that was checked against Keras first (core/runtime); "Keras
only" is the escape hatch when a user distrusts it, and the baseline for comparing speeds, as the
command line's ``--runtime keras``. The engine process runs those passes, so the choice goes to it as
``FTS_RUNTIME`` (core.runtime.setting reads it before each forward pass) the moment it is made,
like the other engine settings (gui/engine_setting.py); the window itself never runs a model.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from core.runtime.setting import RUNTIME_ENV
from .engine_setting import EngineFolderSetting

FAST, KERAS = "", "keras"  # the stored values: "" is the default (auto: the fastest verified runtime)


class RuntimeSetting(EngineFolderSetting):
    """``folder`` holds the choice ("" fast, "keras"); two exclusive checkable actions change it."""

    SETTING_KEY, ENV = "engine/runtime", RUNTIME_ENV

    def __init__(self, settings: QSettings, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(settings, status, parent)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.fast_action = QAction(self.tr("Fast runtime (verified)"), self)
        self.fast_action.setObjectName("fastRuntimeAction")
        self.fast_action.setStatusTip(self.tr("Classify and compute features on a converted model (LiteRT or "
                                              "ONNX) that was checked against Keras before its first use."))
        self.keras_action = QAction(self.tr("Keras only"), self)
        self.keras_action.setObjectName("kerasRuntimeAction")
        self.keras_action.setStatusTip(self.tr("Run every model in Keras (TensorFlow): slower, for comparison "
                                               "or if a converted model seems wrong."))
        for action, value in ((self.fast_action, FAST), (self.keras_action, KERAS)):
            action.setCheckable(True)
            self.group.addAction(action)
            action.triggered.connect(lambda _checked=False, value=value: self.set_folder(value))
        self.start()

    def env_value(self, folder: str) -> str:
        return KERAS if folder == KERAS else ""  # anything else stored: the default

    def add_actions(self, menu: QMenu) -> QMenu:
        """A "Runtime" submenu of ``menu`` with the two choices."""
        submenu = menu.addMenu(self.tr("Runtime"))
        submenu.setObjectName("runtimeMenu")
        submenu.addActions([self.fast_action, self.keras_action])
        return submenu

    @property
    def keras_only(self) -> bool:
        return self.env_value(self.folder) == KERAS

    def announce(self, folder: str) -> None:
        if self.env_value(folder) == KERAS:
            self.status.showMessage(self.tr("Models now run in Keras only."), 8000)
        else:
            self.status.showMessage(self.tr("Models now run on the fast runtime, checked against Keras first."), 8000)

    def show_state(self) -> None:
        (self.keras_action if self.keras_only else self.fast_action).setChecked(True)
