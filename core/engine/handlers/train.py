"""The engine's handler of ``train``, and how every training job is answered (train, compare, and
continue a run): the model is kept on disk first (core.jobs.save.keep_on_disk), so a dead engine
loses nothing, then held by handle (EngineState.hold_results), so Try it, Results and Save work on
it at once.

Every handler module (core/engine/handlers/<operation>.py) declares :data:`HANDLES`, its request
types and the functions that serve them; core.operations finds them. A handler calls only core.jobs.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from core.engine.requests.train import TrainRequest, TrainSummary
from core.engine.state import EngineState

log = logging.getLogger("finetune_studio")


def answer_results(results: dict[str, Any], state: EngineState) -> dict[str, TrainSummary]:
    """``{key: TrainSummary}`` for ``{key: TrainResult}``, each kept on disk and held by ``state``."""
    from core.jobs import save

    kept, error = save.keep_on_disk(results)
    handles = state.hold_results(results)
    return {key: TrainSummary.of(handles[key], result, kept.get(key), error) for key, result in results.items()}


def answer_result(result: Any, state: EngineState) -> TrainSummary:
    """The summary of one training job's one result (:func:`answer_results`)."""
    return answer_results({"": result}, state)[""]


def train(request: TrainRequest, sink: Callable[[Any], None], cancel: threading.Event,
          state: EngineState) -> TrainSummary:
    from core.jobs import train as training

    log.info("training with %s", request.config.to_json())
    return answer_result(training.run_training(request.config, sink, cancel), state)  # kept on disk, then held


HANDLES: dict[type, Callable[..., Any]] = {TrainRequest: train}
