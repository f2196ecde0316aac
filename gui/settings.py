"""Persistent settings through QSettings (INI format, user scope).

Tests redirect the user scope with ``QSettings.setPath`` (see tests/gui/conftest.py) and the
environment points XDG_CONFIG_HOME at a temporary folder, so a test never touches real settings.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

ORGANIZATION = "FinetuneStudio"
APPLICATION = "Finetune Studio"
MAX_RECENT = 8


def app_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def get_str(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return default if value is None else str(value)


def get_int(settings: QSettings, key: str, default: int) -> int:
    try:
        return int(settings.value(key, default))
    except (TypeError, ValueError):
        return default


def get_float(settings: QSettings, key: str, default: float) -> float:
    try:
        return float(settings.value(key, default))
    except (TypeError, ValueError):
        return default


def get_bool(settings: QSettings, key: str, default: bool) -> bool:
    value: Any = settings.value(key, default)
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


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
