"""The engine's handler of Auto: a thin call into core.jobs.auto, answered like every training job
(core/engine/handlers/train.py: kept on disk, then held by handle) with the leaderboard added."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.handlers.train import answer_result
from core.engine.requests.auto import AutoRequest
from core.engine.requests.train import TrainSummary
from core.engine.state import EngineState
from core.events import BatchEnded, EpochEnded, PhaseStarted


def auto(request: AutoRequest, sink: Callable[[Any], None], cancel: threading.Event,
         state: EngineState) -> TrainSummary:
    from core.jobs import auto as door

    def leaderboard_sink(event: Any) -> None:  # the folds' epochs would fill the window's curves: not sent
        if not isinstance(event, (BatchEnded, EpochEnded, PhaseStarted)):
            sink(event)

    found = door.run_auto_training(request.config, request.budget_s, leaderboard_sink, cancel,
                                   list(request.backbones) if request.backbones else None)
    summary = answer_result(found.result, state)
    summary.auto = {**found.record, "config": found.chosen.to_json()}
    summary.cancelled = found.cancelled
    return summary


HANDLES: dict[type, Callable[..., Any]] = {AutoRequest: auto}
