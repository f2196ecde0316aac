"""The learning-rate finder's request to the engine (TensorFlow-free: the window imports it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class LrFindRequest(Request):
    """Sweep the learning rate (``core.jobs_lr_find.run_lr_find``) for ``config``, TrainConfig.to_json()'s
    form; the reply is LrFindResult.to_json()'s dict. A cancel stops waiting at once (nothing to keep)."""

    config: dict[str, Any]
    steps: int = 100
    method: str = "valley"
    name: ClassVar[str] = "lr_find"
