"""The run store's request from the window to the engine (the Runs tab, gui/runs_control.py):
continue a recorded run. Listing and deleting runs need no request: the window reads the SQLite
store itself, on a thread (core/runs/store.py imports no TensorFlow).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class ResumeRequest(Request):
    """Continue the recorded run ``run_id`` from its last checkpoint (core.jobs.runs.resume_training),
    under the same id; ``epochs``: a new total (None: the run's own). Answered like a TrainRequest,
    with a TrainSummary; a cancel keeps the best epoch so far, so the window waits for the answer."""

    run_id: str
    epochs: int | None = None
    name: ClassVar[str] = "resume"
    waits_on_cancel: ClassVar[bool] = True
