"""The window's language (gui/language.py, gui/language_setting.py): chosen at start from Settings ›
Language or the system locale; Simplified Chinese installs the app's and Qt's translators, English
none (the English window is the untranslated one)."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from gui import language
from gui.language_setting import LanguageSetting, OWN_NAMES
from gui.worker import wait_for_all


@pytest.mark.parametrize("name, expected", [("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"), ("en_US", "en"),
                                            ("en_GB", "en"), ("de_DE", "en"), ("zh_TW", "en"), ("C", "en")])
def test_the_system_locale_decides_the_language(name: str, expected: str) -> None:
    assert language.window_language("system", QLocale(name)) == expected


def test_the_settings_choice_wins_over_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = QSettings()  # the isolated test settings
    monkeypatch.setattr(language, "system_locale", lambda: QLocale("zh_CN"))
    assert language.apply_language(settings) == "zh_CN"  # nothing chosen: the system's
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own buttons too
    settings.setValue(language.LANGUAGE_KEY, "en")
    assert language.apply_language(settings) == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    settings.setValue(language.LANGUAGE_KEY, "zh_CN")
    monkeypatch.setattr(language, "system_locale", lambda: QLocale("en_US"))
    assert language.apply_language(settings) == "zh_CN"
    settings.setValue(language.LANGUAGE_KEY, "klingon")  # unreadable: the system's
    assert language.apply_language(settings) == "en"


def _menu_titles(window: Any) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def _texts(window: Any) -> dict[str, Any]:
    tabs = window.result_tabs
    return {"menus": _menu_titles(window), "tabs": [tabs.tabText(i) for i in range(tabs.count())],
            "status": window.statusBar().currentMessage(), "caches": window.use_cache.text(),
            "languages": [a.text() for a in window.language_setting.menu.actions()]}


def _window_in(choice: str, qtbot: Any) -> dict[str, Any]:
    from gui.app import MainWindow

    language.install_language(choice)
    window = MainWindow(restore=False)
    try:
        return _texts(window)
    finally:
        for worker in window.workers():
            worker.cancel()
        assert wait_for_all(60_000)
        qtbot.waitUntil(window.is_idle, timeout=10_000)
        window.persist = False
        window.close()
        window.deleteLater()
        qtbot.wait(10)
        language.remove_translators()


def test_the_chinese_window_and_the_unchanged_english_one(qtbot: Any) -> None:
    chinese, english = _window_in("zh_CN", qtbot), _window_in("en", qtbot)
    assert chinese["menus"] == ["文件(&F)", "设置(&S)", "帮助(&H)"]
    assert english["menus"] == ["&File", "&Settings", "&Help"]
    assert chinese["tabs"][:2] == ["训练曲线", "结果"] and "运行记录" in chinese["tabs"]
    assert english["tabs"][:2] == ["Training curves", "Results"] and "Runs" in english["tabs"]
    assert (chinese["status"], english["status"]) == ("就绪", "Ready")
    assert (chinese["caches"], english["caches"]) == ("使用缓存（更快）", "Use caches (faster)")
    # the languages by their own names, the same in every language (exempt from translation)
    assert chinese["languages"] == ["跟随系统", "English", "简体中文"]
    assert english["languages"] == ["System language", "English", "简体中文"]


def test_the_language_menu_remembers_the_choice_for_the_next_start(window: Any) -> None:
    setting = window.language_setting
    assert setting.actions["system"].isChecked()
    setting.actions["zh_CN"].trigger()
    assert setting.actions["zh_CN"].isChecked() and not setting.actions["system"].isChecked()
    assert window.settings.value(language.LANGUAGE_KEY) == "zh_CN"
    assert "starts again" in window.statusBar().currentMessage()
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"  # not now: at the next start
    again = LanguageSetting(window.settings, window.statusBar(), window)
    assert again.actions["zh_CN"].isChecked() and again.choice() == "zh_CN"
    assert language.apply_language(window.settings) == "zh_CN"  # what the next start installs
    setting.actions["en"].trigger()
    assert window.settings.value(language.LANGUAGE_KEY) == "en"
    assert [setting.actions[c].text() for c in OWN_NAMES] == ["English", "简体中文"]
