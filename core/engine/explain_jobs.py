"""The engine's Grad-CAM job: a thin call into core.jobs_explain with the model the window names
(core/engine/server.py merges :data:`JOBS` into its own)."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.explain_requests import ExplainedImage, ExplainRequest


def explain(request: ExplainRequest, sink: Callable[[Any], None], cancel: threading.Event,
            state: Any) -> list[ExplainedImage]:
    from core import jobs_explain

    found = jobs_explain.explain(state.predictor(request.source), list(request.paths), request.class_name,
                                 preview_side=request.preview_side, sink=sink, cancel=cancel)
    return [ExplainedImage(r.source, r.label, r.probability, r.peak, r.preview, r.error) for r in found]


JOBS: dict[type, Callable[..., Any]] = {ExplainRequest: explain}
