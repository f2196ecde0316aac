"""The engine's handlers for core/engine/runs_requests.py: thin calls into core.jobs_runs (the
run store's side of the one door), merged into core.engine.server.JOBS with one line there.

A continued run ends like a fresh one: its model is kept on disk before the window hears of it
(core.engine.answers, as server.train) and held by handle, so Try it, Results and Save work on it at once.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from core.engine.answers import answer_run
from core.engine.protocol import TrainSummary
from core.engine.runs_requests import ResumeRequest

log = logging.getLogger("finetune_studio")


def resume(request: ResumeRequest, sink: Callable[[Any], None], cancel: threading.Event, state: Any) -> TrainSummary:
    from core import jobs_runs

    log.info("continuing run %s (epochs: %s)", request.run_id, request.epochs or "as recorded")
    return answer_run(jobs_runs.resume_training(request.run_id, request.epochs, sink, cancel), state)


JOBS: dict[type, Callable[..., Any]] = {ResumeRequest: resume}
