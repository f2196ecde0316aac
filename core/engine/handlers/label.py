"""The engine's handler of ``label`` ("Label images…" in the window): a thin call into core.jobs.label.
The embedding model stays in this process between requests (core.jobs.label), so a refit after a
few labels computes only the new copies' embeddings."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.requests.label import LabelRequest
from core.engine.state import EngineState


def label(request: LabelRequest, sink: Callable[[Any], None], cancel: threading.Event,
          state: EngineState) -> dict[str, Any]:
    from core.jobs import label as labelling

    weights = request.weights if request.weights is not None else "imagenet"
    result = labelling.suggest_labels(request.dataset, request.unlabelled, request.count, request.strategy,
                                      request.backbone, weights, request.image_size, request.skip, request.target,
                                      sink=sink, cancel=cancel)
    reply = result.to_dict()
    if request.plot_words is not None:
        reply["plot_png"] = labelling.forecast_plot(result, request.plot_words)
    return reply


HANDLES: dict[type, Callable[..., Any]] = {LabelRequest: label}
