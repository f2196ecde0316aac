"""The engine's handler of ``open_bundle``: the bundle's predictor is held under "bundle:<path>"."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.requests.open_bundle import ModelSummary, OpenBundleRequest
from core.engine.state import EngineState
from core.methods import method_label


def open_bundle(request: OpenBundleRequest, sink: Callable[[Any], None], cancel: threading.Event,
                state: EngineState) -> ModelSummary:
    from core.jobs import open_bundle as opening

    bundle, predictor = opening.open_bundle(request.path)
    handle = f"bundle:{bundle.path}"
    state.hold_predictor(handle, predictor)
    method = bundle.method or "finetune"
    return ModelSummary(handle, str(bundle.path), list(bundle.class_names), dict(bundle.config),
                        list(bundle.history), dict(bundle.metrics), method, method_label(method))


HANDLES: dict[type, Callable[..., Any]] = {OpenBundleRequest: open_bundle}
