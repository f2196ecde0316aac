"""How core words counts and quotes errors, for the CLI and the window alike (no dependencies).

Why a module: "1 files" and messages cut mid-word ("…data/trai", which reads as another path)
were fixed in four places at once; the rules now live here once.
"""
from __future__ import annotations

import os

QUOTE_LIMIT = 200  # characters of an unexpected error's own text quoted in a message


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``3 files`` (``many`` for irregular plurals: ``plural(n, "class", "classes")``)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


LIST_LIMIT = 8  # names a message lists before it counts the rest


def name_list(names, limit: int = LIST_LIMIT) -> str:
    """``a, b, c`` for a few names (each in :func:`display`'s form), ``a, ..., h and 992 more`` for
    many: a message about 1000 classes stays one readable line (it was 17,000 characters)."""
    names = [display(name) for name in names]
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut.

    A single word longer than half the limit (a long path) is the one case cut inside, still marked.
    """
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-") + "…"


def first_line(error: BaseException, limit: int = QUOTE_LIMIT) -> str:
    """The first line of an error's message (its class name when empty), shortened at a word."""
    text = str(error).strip()
    return shorten(text.splitlines()[0] if text else type(error).__name__, limit)


_CONTROLS = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", 0: "\\x00"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def display(text: str | os.PathLike | bytes | None, one_line: bool = True) -> str:
    """A name (file, folder, class) as one line of valid text, for every place that shows or writes
    one: the CLI, CSV cells, the report, figures.

    Why: a folder name need not be UTF-8 (Python holds its bytes as lone surrogates, which every
    UTF-8 writer refuses: "surrogates not allowed") and may hold a newline (which splits a line of
    output or a figure's label). Undecodable bytes become ``\\xNN`` and line breaks and tabs
    ``\\n``, ``\\r``, ``\\t``: visible, distinct for distinct names, and never '\ufffd' that hides which
    byte it was. The true name stays in the JSON output and in the files themselves. ``one_line``
    False keeps line breaks (a paragraph of HTML, where they are harmless)."""
    if text is None:
        return ""
    text = os.fspath(text)
    try:
        raw = text if isinstance(text, bytes) else os.fsencode(text)
    except UnicodeEncodeError:  # a lone surrogate that no file name's byte could have made
        raw = text.encode("utf-8", "backslashreplace")
    decoded = raw.decode("utf-8", "backslashreplace")
    return decoded.translate(_CONTROLS) if one_line else decoded


def csv_cell(text: str | os.PathLike | None) -> str:
    """``text`` as a CSV cell a spreadsheet shows and never runs: :func:`display`'s form, and a cell
    that starts with ``= + - @``, a tab or a carriage return gets a leading apostrophe, as OWASP's
    advice on CSV injection recommends (``=HYPERLINK(...)`` is then text)."""
    shown = display(text)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown
