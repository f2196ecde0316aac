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

import re
import string
from typing import Any

from PySide6.QtCore import QCoreApplication

from core.messages import MESSAGES, WORDED_PARAMS, render

from .language import ENGLISH, current_language

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
        return render(translated, _worded(dict(getattr(item, "params", {}) or {})))
    except (KeyError, IndexError, ValueError, TypeError):
        return english


def engine_words(text: str) -> str:
    """An English text the engine made from one of its templates, in the window's language, when the
    text came without its id: a method's name, a backbone's label, a prediction's note (those travel
    as plain text, in results and settings the CLI also prints). The template is found by matching the
    text against the catalog (its placeholders as wildcards); the parameters read back from the text
    fill the translation. A text that matches no template, or whose translation cannot be filled,
    is returned unchanged."""
    if not text or not _translating():
        return text
    for message_id, pattern, numeric in _patterns():
        found = pattern.fullmatch(text)
        if found is None:
            continue
        params: dict[str, Any] = {}
        for name, value in found.groupdict().items():
            params[name] = _number(value) if name in numeric else value
        template = MESSAGES[message_id]
        translated = QCoreApplication.translate(CONTEXT, template, message_id)
        try:
            return render(translated, _worded(params))
        except (KeyError, IndexError, ValueError, TypeError):
            return text
    return text


def _worded(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the values that are engine sentences themselves (core.messages.WORDED_PARAMS:
    an Auto candidate's name, a skip's reason) in the window's language too."""
    return {name: engine_words(value) if name in WORDED_PARAMS and isinstance(value, str) else value
            for name, value in params.items()}


def _translating() -> bool:
    """Whether the window speaks another language than English (English needs no matching at all)."""
    return current_language() != ENGLISH


_PATTERNS: list[tuple[str, "re.Pattern[str]", set[str]]] | None = None


def _patterns() -> list[tuple[str, "re.Pattern[str]", set[str]]]:
    """Each template as a regular expression, most literal text first (a more specific template wins);
    templates with no literal words (e.g. "{text}") are left out: they would match anything."""
    global _PATTERNS
    if _PATTERNS is None:
        built = []
        for message_id, template in MESSAGES.items():
            parts, numeric, seen, literal = [], set(), set(), ""
            for text, name, spec, _ in string.Formatter().parse(template):
                parts.append(re.escape(text))
                literal += text
                if name is None:
                    continue
                if name in seen:  # the same value again: the same text again
                    parts.append(f"(?P={name})")
                    continue
                seen.add(name)
                if spec.startswith("plural:"):
                    parts.append(f"(?P<{name}>\\d+) \\S+")
                    numeric.add(name)
                elif spec and spec[-1] in "dfgeE%n":
                    parts.append(f"(?P<{name}>-?[\\d.,]+%?)")
                    numeric.add(name)
                else:
                    parts.append(f"(?P<{name}>.+?)")
            if sum(ch.isalpha() for ch in literal) >= 3:
                built.append((len(literal), message_id, re.compile("".join(parts), re.S), numeric))
        _PATTERNS = [(mid, pattern, numeric) for _, mid, pattern, numeric in sorted(built, key=lambda b: -b[0])]
    return _PATTERNS


def _number(value: str) -> Any:
    """A number read back from the English text ("93%" -> 0.93, the way {x:.0%} wrote it)."""
    cleaned = value.replace(",", "")
    try:
        if cleaned.endswith("%"):
            return float(cleaned[:-1]) / 100
        return int(cleaned) if cleaned.lstrip("-").isdigit() else float(cleaned)
    except ValueError:
        return value
