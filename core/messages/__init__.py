"""The engine's words for the user, by stable id: every user error and every progress line the window
shows, as an English template with ``{named}`` placeholders (no dependencies: the window imports it).

Why ids: the window is translated (Qt's system, context "EngineMessages"), but the engine runs in
another process and speaks English; its errors and events cross the pipe as objects. Each carries
its ``message_id`` and ``params`` beside the English text, so the window looks the template up in its
translator and fills in the same parameters, while the CLI (and every test that compares English)
keeps printing ``str(error)`` exactly as before. resources/i18n/update.py reads :data:`MESSAGES` into
the .ts file (keyed by the English template, the id as the comment).

Templates use ``str.format`` fields plus one addition, written ``{count:plural:file}`` (or
``{count:plural:class:classes}``): the count with the English word in its number ("1 file",
"3 files", the form core.wording.plural writes). A translation may write ``{count}`` alone.
Parameters are the values the English sentence embeds (a folder, a count, a library's own text).
"""
from __future__ import annotations

import numbers
import string
from typing import Any, NamedTuple

from core.messages.errors import ERRORS
from core.messages.names import NAMES
from core.messages.progress import PROGRESS

__all__ = ["MESSAGES", "WORDED_PARAMS", "Said", "Worded", "fields", "message", "portable", "render", "said"]

MESSAGES: dict[str, str] = {**ERRORS, **PROGRESS, **NAMES}
"""Every id the engine uses -> its English template."""

WORDED_PARAMS: frozenset[str] = frozenset({"candidate", "reason", "method"})
"""Parameters whose value is itself a sentence from this catalog, passed as its English text (an
Auto candidate's name, a skip's reason, a method's label; a value that is no template, such as a
method's id "svm", stays as it is): the window translates such a value by matching it back to
its template (gui/engine_messages.engine_words) before filling it into the translated sentence."""


class _Formatter(string.Formatter):
    """``str.format`` plus the ``plural:word[:many]`` spec (see the module's docstring)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            word, _, many = format_spec[len("plural:"):].partition(":")
            return f"{value} {word if value == 1 else many or word + 's'}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def render(template: str, params: dict[str, Any]) -> str:
    """``template`` (English or a translation of it) filled with ``params``."""
    return _FORMATTER.vformat(template, (), params)


def message(message_id: str, /, **params: Any) -> str:
    """The English sentence of ``message_id`` with ``params`` filled in (KeyError: an unknown id)."""
    return render(MESSAGES[message_id], params)


def fields(template: str) -> set[str]:
    """The placeholder names a template uses (for the tests and the translation checker)."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def portable(value: Any) -> Any:
    """A parameter as it may cross the process pipe and be formatted by a translation: numbers,
    text and None stay; anything else (a Path, an exception) becomes its ``str``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):  # numpy's integers too: a translation may format them
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


class Said(NamedTuple):
    """A sentence by id, for helpers that word a message their callers raise, log or store
    (``str(said)`` is the English text)."""

    message_id: str
    params: dict[str, Any]

    def __str__(self) -> str:
        return message(self.message_id, **self.params)


def said(message_id: str, /, **params: Any) -> Said:
    return Said(message_id, params)


class Worded:
    """A mixin for core.errors' user errors: ``raise BundleError.of("bundle.damaged", folder=f)``
    makes the error with the English sentence as its text (``str(error)`` unchanged for the CLI) and
    keeps ``message_id`` and ``params`` on it. They are instance attributes, so they cross the pipe
    in the pickle's state (BaseException pickles ``__dict__``); an error made the old way has an
    empty id and the window shows its English text."""

    message_id: str = ""
    params: dict[str, Any] = {}

    @classmethod
    def of(cls, message_id: str, /, *args: Any, **params: Any):
        """The error for ``message_id``; ``args`` are the constructor's arguments after the message
        (EmptyFolderError's skipped files)."""
        error = cls(message(message_id, **params), *args)
        return error.worded(message_id, params)

    @classmethod
    def of_said(cls, sentence: Said, /, *args: Any):
        """The error for a :class:`Said` sentence (see :meth:`of`)."""
        return cls.of(sentence.message_id, *args, **sentence.params)

    def worded(self, message_id: str, params: dict[str, Any]):
        """Itself, labelled with ``message_id`` and ``params`` (for errors built in ``__init__``)."""
        self.message_id = message_id
        self.params = {name: portable(value) for name, value in params.items()}
        return self
