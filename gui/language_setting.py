"""Settings › Language: the system's language, English or Simplified Chinese, remembered in
QSettings and applied at the next start (gui/language.py installs the translators before any window
exists; the texts on screen were set when the widgets were built).

Each language is named in its own language ("English", "简体中文") and never translated: someone who
cannot read the current window must still find theirs."""
from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from .language import CHINESE, ENGLISH, LANGUAGE_KEY, SYSTEM, chosen_language

# The languages by their own names (tests/gui/test_translatable.py exempts exactly these two).
OWN_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}


class LanguageSetting(QObject):
    """The Language submenu: one checkable action per choice (``actions[choice]``), the saved one
    checked. Choosing saves at once and says, in the status bar, that it applies at the next start."""

    def __init__(self, settings: QSettings, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings, self.status = settings, status
        self.menu = QMenu(self.tr("&Language"), parent)
        self.menu.setObjectName("languageMenu")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        names = {SYSTEM: self.tr("System language"), **OWN_NAMES}
        self.actions: dict[str, QAction] = {}
        for choice, name in names.items():
            action = QAction(name, self)
            action.setObjectName(f"language_{choice}")
            action.setCheckable(True)
            action.setData(choice)
            action.setStatusTip(self.tr("The window's language; it changes when Finetune Studio starts again."))
            self.group.addAction(action)
            self.menu.addAction(action)
            self.actions[choice] = action
        self.actions[chosen_language(settings)].setChecked(True)
        self.group.triggered.connect(lambda action: self.choose(str(action.data())))

    def add_actions(self, menu: QMenu) -> None:
        menu.addMenu(self.menu)

    def choice(self) -> str:
        return chosen_language(self.settings)

    def choose(self, choice: str) -> None:
        """Remember ``choice`` ("system", "en", "zh_CN") for the next start, and say so."""
        self.settings.setValue(LANGUAGE_KEY, choice)
        self.settings.sync()
        self.actions[chosen_language(self.settings)].setChecked(True)
        self.status.showMessage(self.tr("The language changes when Finetune Studio starts again."), 10000)
