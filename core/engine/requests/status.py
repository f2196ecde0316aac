"""Questions about the engine itself: is it alive (its process id), and which weights folders it
searches (the window's setting reaches it as an environment variable)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class PingRequest(Request):
    """Answered with the engine's process id (tests, and a cheap "is it alive")."""

    name: ClassVar[str] = "ping"


@dataclass(frozen=True)
class WeightsDirsRequest(Request):
    """The folders the engine searches for pre-placed weights (the window's setting reaches it)."""

    name: ClassVar[str] = "weights_dirs"
