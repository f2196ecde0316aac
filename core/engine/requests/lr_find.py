"""The request of ``lr-find``, the learning-rate finder (TensorFlow-free: the window imports it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.config import TrainConfig
from core.engine.protocol import Request


@dataclass(frozen=True)
class LrFindRequest(Request):
    """Sweep the learning rate (``core.jobs.lr_find.run_lr_find``) for ``config``; the reply is LrFindResult.to_json()'s dict. A cancel stops waiting at once (nothing to keep)."""

    config: TrainConfig
    steps: int = 100
    method: str = "valley"
    name: ClassVar[str] = "lr_find"

    def __post_init__(self) -> None:
        if isinstance(self.config, dict):  # the settings' JSON form: checked now, an unknown field is an error here
            object.__setattr__(self, "config", TrainConfig.from_json(self.config))
