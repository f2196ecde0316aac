"""The engine's handler of ``lr-find``: a thin call into core.jobs.lr_find."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.requests.lr_find import LrFindRequest
from core.engine.state import EngineState


def lr_find(request: LrFindRequest, sink: Callable[[Any], None], cancel: threading.Event,
           state: EngineState) -> dict[str, Any]:
    from core.jobs import lr_find as finder

    return finder.run_lr_find(request.config, sink, cancel, request.steps, request.method).to_json()


HANDLES: dict[type, Callable[..., Any]] = {LrFindRequest: lr_find}
