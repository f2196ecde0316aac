"""The request of ``save``: a trained model the engine holds, saved as a bundle where the user chose."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class SaveRequest(Request):
    """Save the model ``handle`` to ``path``: a copy of its kept bundle ``kept`` when there is one."""

    handle: str
    path: str
    kept: str | None = None
    name: ClassVar[str] = "save"
    waits_on_cancel: ClassVar[bool] = True
