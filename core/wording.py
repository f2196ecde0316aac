"""How core words counts and quotes errors, for the CLI and the window alike (no dependencies).

Why a module: "1 files" and messages cut mid-word ("…data/trai", which reads as another path)
were fixed in four places at once; the rules now live here once.
"""
from __future__ import annotations

QUOTE_LIMIT = 200  # characters of an unexpected error's own text quoted in a message


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``3 files`` (``many`` for irregular plurals: ``plural(n, "class", "classes")``)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


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
