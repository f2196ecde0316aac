"""The window's language, chosen once at start-up before any window exists: the Settings choice
("system", "en" or "zh_CN"; Settings › Language, gui/language_setting.py), and for "system" the
system locale's preferred languages (QLocale.system().uiLanguages(), which follows LANGUAGE, LC_ALL,
LC_MESSAGES and LANG on Linux).

Why at start-up only: every widget sets its texts when it is built, so a translator installed later
would change nothing already on screen; a choice made in the menu is applied at the next start.

English is the language of the source: no translator, the window is exactly the untranslated one.
Simplified Chinese installs two translators: the app's own (resources/i18n/finetune_studio_zh_CN.qm,
made by resources/i18n/update.py) and Qt's (qtbase_zh_CN.qm, so the standard buttons and dialogs,
"OK", "Cancel", the file dialog, speak Chinese too). The .qm is found beside the code as the style
sheet is (gui/app.py), which also holds in the frozen build (packaging/FinetuneStudio.spec)."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from . import settings as cfg
from .chart_fonts import chart_font_fallback, reset_chart_fonts

log = logging.getLogger("finetune_studio")

LANGUAGE_KEY = "window/language"
SYSTEM, ENGLISH, CHINESE = "system", "en", "zh_CN"
CHOICES = (SYSTEM, ENGLISH, CHINESE)
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
CATALOG = "finetune_studio"  # finetune_studio_<language>.qm

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer to an installed translator
_language = ENGLISH


def chosen_language(settings: QSettings) -> str:
    """The Settings choice; anything unreadable counts as "system"."""
    choice = cfg.get_str(settings, LANGUAGE_KEY, SYSTEM)
    return choice if choice in CHOICES else SYSTEM


def system_locale() -> QLocale:
    """The system's locale (a function of its own so that tests can pin it)."""
    return QLocale.system()


def locale_language(locale: QLocale) -> str:
    """The window language for a locale: the first of its preferred languages that the window speaks.
    Chinese in Traditional script is not Simplified Chinese: those users choose 简体中文 themselves."""
    for name in locale.uiLanguages() or [locale.name()]:
        candidate = QLocale(name)
        if candidate.language() == QLocale.Language.English:
            return ENGLISH
        if candidate.language() == QLocale.Language.Chinese:  # the most specific form comes first
            return ENGLISH if candidate.script() == QLocale.Script.TraditionalChineseScript else CHINESE
    return ENGLISH


def window_language(choice: str, locale: QLocale | None = None) -> str:
    """"en" or "zh_CN" for a Settings choice (``locale`` decides for "system")."""
    if choice in (ENGLISH, CHINESE):
        return choice
    return locale_language(locale if locale is not None else system_locale())


def qt_translations_dir() -> Path:
    """Where Qt's own .qm files are (QLibraryInfo; PySide6's folder when Qt does not know)."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if not (folder / "qtbase_zh_CN.qm").is_file():
        import PySide6

        fallback = Path(PySide6.__file__).resolve().parent / "Qt" / "translations"
        if fallback.is_dir():
            return fallback
    return folder


def remove_translators() -> None:
    """Back to the source language (tests; a second install)."""
    global _language
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    reset_chart_fonts()
    _language = ENGLISH


def install_language(language: str) -> str:
    """Install the translators for ``language``; returns the language the window now speaks (English
    when the app's translation cannot be loaded: a half-translated window helps nobody)."""
    global _language
    remove_translators()
    if language != CHINESE:
        return ENGLISH
    own = QTranslator()
    if not own.load(f"{CATALOG}_{language}", str(TRANSLATIONS_DIR)):
        log.warning("no translation %s_%s.qm in %s; the window stays in English", CATALOG, language, TRANSLATIONS_DIR)
        return ENGLISH
    qt = QTranslator()
    if not qt.load(f"qtbase_{language}", str(qt_translations_dir())):
        log.info("Qt's own qtbase_%s.qm not found; standard buttons stay in English", language)
        qt = None
    for translator in (qt, own):  # installed last is asked first: the app's own words win
        if translator is not None:
            QCoreApplication.installTranslator(translator)
            _installed.append(translator)
    _language = language
    chart_font_fallback()
    log.info("window language: %s", language)
    return language


def apply_language(settings: QSettings) -> str:
    """Start-up: the Settings choice, else the system's language, installed before any window exists."""
    return install_language(window_language(chosen_language(settings)))


def current_language() -> str:
    """The language installed at start-up ("en" or "zh_CN")."""
    return _language
