"""The engine's handler of ``explain`` (Grad-CAM): a thin call into core.jobs.explain with the model the
window names."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.state import EngineState
from core.engine.requests.explain import ExplainedImage, ExplainRequest


def explain(request: ExplainRequest, sink: Callable[[Any], None], cancel: threading.Event,
            state: EngineState) -> list[ExplainedImage]:
    from core.jobs import explain as explaining

    found = explaining.explain(state.predictor(request.source), list(request.paths), request.class_name,
                                 preview_side=request.preview_side, sink=sink, cancel=cancel)
    return [ExplainedImage(r.source, r.label, r.probability, r.peak, r.preview, r.error) for r in found]


HANDLES: dict[type, Callable[..., Any]] = {ExplainRequest: explain}
