"""Persistent settings through QSettings (INI format, user scope), and the small vocabulary the
panels use to say what they remember: a table of :class:`Field` (read the value, put a saved one
back) per setting key, declared once, from which ``settings()`` and ``restore_settings()`` follow.

An INI file gives back text ("10", "true"), so every value is read through ``as_int``/``as_float``/
``as_bool``: an unreadable value keeps what the widget shows (its default) instead of failing.

Tests redirect the user scope with ``QSettings.setPath`` (see tests/gui/conftest.py) and the
environment points XDG_CONFIG_HOME at a temporary folder, so a test never touches real settings.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QDoubleSpinBox, QSpinBox, QWidget

ORGANIZATION = "FinetuneStudio"
APPLICATION = "Finetune Studio"
MAX_RECENT = 8


def app_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def get_str(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return default if value is None else str(value)


def as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def as_float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def as_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def get_int(settings: QSettings, key: str, default: int) -> int:
    return as_int(settings.value(key, default), default)


def get_float(settings: QSettings, key: str, default: float) -> float:
    return as_float(settings.value(key, default), default)


def get_bool(settings: QSettings, key: str, default: bool) -> bool:
    return as_bool(settings.value(key, default), default)


def get_list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key, [])
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def push_recent(settings: QSettings, key: str, path: str) -> list[str]:
    items = [path] + [p for p in get_list(settings, key) if p != path]
    items = items[:MAX_RECENT]
    settings.setValue(key, items)
    return items


# -- what a panel remembers ----------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """One remembered value: ``get()`` gives it for saving, ``put(raw)`` takes a saved (raw, maybe
    text) value back; ``put`` ignores what it cannot read."""

    get: Callable[[], Any]
    put: Callable[[Any], None]


def widget_field(widget: QWidget) -> Field:
    """The Field of a spin box or a check box: its value, typed as the widget's own."""
    if isinstance(widget, QDoubleSpinBox):
        return Field(lambda: float(widget.value()), lambda raw: widget.setValue(as_float(raw, widget.value())))
    if isinstance(widget, QSpinBox):
        return Field(widget.value, lambda raw: widget.setValue(as_int(raw, widget.value())))
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return Field(widget.isChecked, lambda raw: widget.setChecked(as_bool(raw, widget.isChecked())))
    raise TypeError(f"no settings field for a {type(widget).__name__}")


def field_values(fields: dict[str, Field]) -> dict[str, Any]:
    """``{key: value}`` to save."""
    return {key: f.get() for key, f in fields.items()}


def restore_fields(fields: dict[str, Field], values: dict[str, Any]) -> None:
    """Put back, in the table's order, every value that was saved; a key not saved keeps the default."""
    for key, f in fields.items():
        if values.get(key) is not None:
            f.put(values[key])


def read_group(settings: QSettings, group: str) -> dict[str, Any]:
    """Every saved value under ``group/`` (sub-keys as "augment/flip"), raw."""
    settings.beginGroup(group)
    try:
        return {key: settings.value(key) for key in settings.allKeys()}
    finally:
        settings.endGroup()
