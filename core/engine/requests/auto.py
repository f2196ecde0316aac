"""The request of Auto (window -> engine): search recipes within a budget and keep the chosen model.
The reply is the ordinary :class:`TrainSummary` (so Try it, Results and Save follow the chosen
model as after any training) with ``auto`` filled: config.json's "auto" record (the choice, the
fold scheme, the leaderboard) plus "config", the chosen TrainConfig's JSON form, which the window's
fields show. TensorFlow-free, like every module of core/engine/requests/."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.config import AUTO_BUDGET_MINUTES, TrainConfig
from core.engine.protocol import Request


@dataclass(frozen=True)
class AutoRequest(Request):
    """``core.jobs.auto.run_auto_training(config, budget_s, ...)``; its events include a
    CandidateFinished per scored candidate (again after each fine-tuning fold: replace by name).
    Cancel is Stop: the job goes on briefly and answers with the best candidate so far."""

    config: TrainConfig
    budget_s: float = AUTO_BUDGET_MINUTES * 60
    backbones: tuple[str, ...] | None = None  # None: every backbone whose weights are on this computer
    name: ClassVar[str] = "auto"
    waits_on_cancel: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if isinstance(self.config, dict):  # the settings' JSON form: checked now, an unknown field is an error here
            object.__setattr__(self, "config", TrainConfig.from_json(self.config))
