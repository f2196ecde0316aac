"""How the engine answers a finished training run, for core/engine/server.py and
core/engine/runs_jobs.py (which cannot import the server: it is merged into the server's table).

The model is kept on disk first (core.jobs.keep_on_disk), so a dead engine loses nothing, then held
by handle (EngineState.hold_run), so Try it, Results and Save work on it at once.
"""
from __future__ import annotations

from typing import Any

from core.engine.protocol import TrainSummary


def answer_runs(results: dict[str, Any], state: Any) -> dict[str, TrainSummary]:
    """``{key: TrainSummary}`` for ``{key: TrainResult}``, each kept on disk and held by ``state``."""
    from core import jobs

    kept, error = jobs.keep_on_disk(results)
    handles = state.hold_run(results)
    return {key: TrainSummary.of(handles[key], result, kept.get(key), error) for key, result in results.items()}


def answer_run(result: Any, state: Any) -> TrainSummary:
    """The summary of one run's one result (:func:`answer_runs`)."""
    return answer_runs({"": result}, state)[""]
