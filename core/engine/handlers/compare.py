"""The engine's handler of ``compare``: every method on the same split; all results stay in memory
(each can be tried, kept or saved) until the next training job, and on disk in one run folder each.
A cancel keeps the methods that finished."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from core.engine.handlers.train import answer_results
from core.engine.requests.compare import CompareRequest
from core.engine.requests.train import TrainSummary
from core.engine.state import EngineState

log = logging.getLogger("finetune_studio")


def compare(request: CompareRequest, sink: Callable[[Any], None], cancel: threading.Event,
            state: EngineState) -> dict[str, TrainSummary]:
    from core.jobs import compare as comparison

    log.info("comparing %s with %s", ", ".join(request.methods), request.config.to_json())
    return answer_results(comparison.run_comparison(request.config, list(request.methods), sink, cancel), state)


HANDLES: dict[type, Callable[..., Any]] = {CompareRequest: compare}
