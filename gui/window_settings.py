"""What the window remembers between sessions: its geometry and splitters, the data folders, the
backbone and its freeze point, the method and every training setting.

Each QSettings group is listed once below with what fills it, and each of those declares its own
keys once (``settings()`` gives ``{key: value}``, ``restore_settings(values)`` takes them back), so
a new setting is one line in one place, saved and restored alike. (The weights folder and the
recent models are written the moment they change: gui/weights_folder.py, gui/model_files.py.)
"""
from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

from .panels import Panels
from .settings import read_group


class Remembered(Protocol):
    def settings(self) -> dict[str, Any]: ...

    def restore_settings(self, values: dict[str, Any]) -> None: ...


class WindowShape:
    """The window's size and place, and where the user left its splitters."""

    def __init__(self, window: QWidget, splitters: dict[str, QSplitter]) -> None:
        self.window, self.splitters = window, splitters

    def settings(self) -> dict[str, Any]:
        return {"geometry": self.window.saveGeometry(),
                **{key: splitter.saveState() for key, splitter in self.splitters.items()}}

    def restore_settings(self, values: dict[str, Any]) -> None:
        geometry = values.get("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        for key, splitter in self.splitters.items():
            state = values.get(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)


def remembered_groups(shape: WindowShape, panels: Panels) -> list[tuple[str, Remembered]]:
    """(QSettings group, what fills it), in the order they are restored: the backbone before the
    training settings, and the method after them (it decides which of them apply)."""
    return [("window", shape), ("model", panels.backbone), ("model/freeze", panels.freeze),
            ("train", panels.training), ("train", panels.method), ("data", panels.data),
            ("data", panels.groups)]


def restore_window_settings(settings: QSettings, groups: list[tuple[str, Remembered]]) -> None:
    """Put the saved state back; a missing or unreadable value keeps the panel's default."""
    for group, remembered in groups:
        remembered.restore_settings(read_group(settings, group))


def save_window_settings(settings: QSettings, groups: list[tuple[str, Remembered]]) -> None:
    """Write the window's state now (on close)."""
    for group, remembered in groups:
        for key, value in remembered.settings().items():
            settings.setValue(f"{group}/{key}", value)
    settings.sync()
