"""The run store's requests from the window to the engine (the Runs tab, gui/runs_control.py).

Why a module of its own beside core/engine/protocol.py: the runs feature adds its requests without
touching the protocol every other job shares (core/engine/runs_jobs.py holds the handlers, merged
into the server's table with one line). TensorFlow-free, like the protocol: the window imports it.
Listing and deleting runs need no request: the window reads the SQLite store itself, on a thread
(core/runs/store.py imports no TensorFlow).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class ResumeRequest(Request):
    """Continue the recorded run ``run_id`` from its last checkpoint (core.jobs_runs.resume_training),
    under the same id; ``epochs``: a new total (None: the run's own). Answered like a TrainRequest,
    with a TrainSummary; a cancel keeps the best epoch so far, so the window waits for the answer."""

    run_id: str
    epochs: int | None = None
    name: ClassVar[str] = "resume"
    waits_on_cancel: ClassVar[bool] = True
