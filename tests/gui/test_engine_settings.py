"""Folder settings the engine must know (gui/engine_setting.py): Settings › TensorBoard logs and
Settings › Weights folder are remembered and reach the engine as environment variables."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from core.paths import TENSORBOARD_ENV
from gui import engine_setting
from gui.tensorboard_setting import TensorBoardSetting
from gui.weights_folder import WEIGHTS_ENV, WeightsFolderSetting


class _Engine:
    def __init__(self) -> None:
        self.env: dict[str, str | None] = {}

    def set_env(self, **env: str | None) -> None:
        self.env.update(env)


def _setup(qtbot: Any, tmp_path: Path, monkeypatch: Any, env_var: str) -> tuple[_Engine, QWidget, QSettings]:
    """A fake engine that records its environment, ``env_var`` unset, a host widget and settings file."""
    fake = _Engine()
    monkeypatch.setattr(engine_setting, "engine", lambda: fake)
    monkeypatch.delenv(env_var, raising=False)
    host = QWidget()
    qtbot.addWidget(host)
    return fake, host, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_tensorboard_logs_reach_the_engine_and_are_remembered(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    fake, host, settings = _setup(qtbot, tmp_path, monkeypatch, TENSORBOARD_ENV)
    setting = TensorBoardSetting(settings, QStatusBar(host), host)
    setting.add_actions(QMenu(host))
    assert not setting.action.isChecked() and fake.env == {TENSORBOARD_ENV: None}
    setting.set_folder(tmp_path / "tb")
    assert fake.env[TENSORBOARD_ENV] == str(tmp_path / "tb") and setting.action.isChecked()
    assert TENSORBOARD_ENV not in os.environ  # only the engine writes event files
    again = TensorBoardSetting(settings, QStatusBar(host), host)  # the next start of the window
    assert again.folder == str(tmp_path / "tb") and again.action.isChecked()
    again.set_folder("")
    assert fake.env[TENSORBOARD_ENV] is None and not again.action.isChecked()


def test_the_weights_folder_reaches_both_processes(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    fake, host, settings = _setup(qtbot, tmp_path, monkeypatch, WEIGHTS_ENV)
    setting = WeightsFolderSetting(settings, QStatusBar(host), host)
    setting.add_actions(QMenu(host))
    setting.set_folder(tmp_path)
    assert fake.env[WEIGHTS_ENV] == os.environ[WEIGHTS_ENV] == str(tmp_path)
    assert setting.clear_action.isEnabled()
    setting.set_folder("")
    assert fake.env[WEIGHTS_ENV] is None and WEIGHTS_ENV not in os.environ and not setting.clear_action.isEnabled()
