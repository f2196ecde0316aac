"""The engine's words in the window's language: a user error or a progress event from the engine
carries the id of its sentence and the values in it (core/messages/), and this turns them into the
translated sentence.

Why here and not in the engine: the engine is another process that speaks English (the CLI prints
what it says); the language is the window's, and so is Qt's translator. The catalog's templates sit
in the .ts file under the context "EngineMessages" (resources/i18n/update.py reads core.messages),
so lupdate never needs to see them as literals here. Anything without an id (an old-style error, a
library's text) is shown as it came, in English.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from core.messages import MESSAGES, render

CONTEXT = "EngineMessages"


def engine_text(item: Any, english: str | None = None) -> str:
    """``item`` (an error or a Progress/LogMessage event) in the window's language.

    ``english``: the text to fall back on (default: the event's ``message``/``text``, else
    ``str(item)``), used when the item has no id, or when a translation cannot be filled in (a
    damaged .qm must never hide the error itself)."""
    if english is None:
        english = next((text for text in (getattr(item, "message", None), getattr(item, "text", None))
                        if isinstance(text, str)), None)
        english = str(item) if english is None else english
    template = MESSAGES.get(getattr(item, "message_id", "") or "")
    if template is None:
        return english
    translated = QCoreApplication.translate(CONTEXT, template, item.message_id)
    try:
        return render(translated, dict(getattr(item, "params", {}) or {}))
    except (KeyError, IndexError, ValueError, TypeError):
        return english
