"""The engine's handler of ``runs``: continue a recorded run (a thin call into core.jobs.runs).

A continued run ends like a fresh one: its model is kept on disk before the window hears of it
and held by handle (core/engine/handlers/train.py's answer_result), so Try it, Results and Save work
on it at once.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from core.engine.handlers.train import answer_result
from core.engine.requests.runs import ResumeRequest
from core.engine.requests.train import TrainSummary
from core.engine.state import EngineState

log = logging.getLogger("finetune_studio")


def resume(request: ResumeRequest, sink: Callable[[Any], None], cancel: threading.Event,
           state: EngineState) -> TrainSummary:
    from core.jobs import runs

    log.info("continuing run %s (epochs: %s)", request.run_id, request.epochs or "as recorded")
    return answer_result(runs.resume_training(request.run_id, request.epochs, sink, cancel), state)


HANDLES: dict[type, Callable[..., Any]] = {ResumeRequest: resume}
