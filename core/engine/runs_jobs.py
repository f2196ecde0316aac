"""The engine's handlers for core/engine/runs_requests.py: thin calls into core.jobs_runs (the
run store's side of the one door), merged into core.engine.server.JOBS with one line there.

A continued run ends like a fresh one: its model is kept on disk before the window hears of it
(core.jobs.keep_on_disk) and held by handle, so Try it, Results and Save work on it at once.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from core.engine.protocol import TrainSummary
from core.engine.runs_requests import ResumeRequest
from core.methods import method_label

log = logging.getLogger("finetune_studio")


def _summary(handle: str, result: Any, kept: str | None, kept_error: str | None) -> TrainSummary:
    """The window's view of a TrainResult. (The same fields as core.engine.server's summary of a
    training run; that module imports this one, so importing it back would make a cycle.)"""
    config = result.config
    method = getattr(config, "method", "finetune")
    return TrainSummary(
        handle=handle, class_names=tuple(result.class_names), backbone=config.backbone, data_dir=config.data_dir,
        metrics=dict(result.metrics), best_epoch=result.best_epoch, history=list(result.history),
        cancelled=result.cancelled, stopped_early=result.stopped_early, frozen_layers=result.freeze.frozen_layers,
        total_layers=result.freeze.total_layers, image_size=result.data.image_size, elapsed_s=result.elapsed_s,
        skipped=[(str(s.path), s.reason) for s in result.data.skipped], method=method,
        method_label=method_label(method), cache=dict(getattr(result, "cache", {}) or {}), kept_path=kept,
        kept_error=kept_error)


def resume(request: ResumeRequest, sink: Callable[[Any], None], cancel: threading.Event, state: Any) -> TrainSummary:
    from core import jobs, jobs_runs

    log.info("continuing run %s (epochs: %s)", request.run_id, request.epochs or "as recorded")
    result = jobs_runs.resume_training(request.run_id, request.epochs, sink, cancel)
    kept, error = jobs.keep_on_disk({"": result})
    return _summary(state.hold_run({"": result})[""], result, kept.get(""), error)


JOBS: dict[type, Callable[..., Any]] = {ResumeRequest: resume}
