"""The request of ``compare``: every method on the same split; answered with ``{method: TrainSummary}``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.config import TrainConfig
from core.engine.protocol import Request
from core.methods import METHODS


@dataclass(frozen=True)
class CompareRequest(Request):
    """Every method in ``methods`` on the same split (``core.jobs.compare.run_comparison``)."""

    config: TrainConfig
    methods: tuple[str, ...] = tuple(METHODS)
    name: ClassVar[str] = "compare"
    waits_on_cancel: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if isinstance(self.config, dict):  # the settings' JSON form: checked now, an unknown field is an error here
            object.__setattr__(self, "config", TrainConfig.from_json(self.config))
