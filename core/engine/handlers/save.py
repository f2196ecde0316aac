"""The engine's handler of ``save``: a held model written as a bundle (a copy of its kept bundle
when there is one)."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.requests.save import SaveRequest
from core.engine.state import EngineState


def save(request: SaveRequest, sink: Callable[[Any], None], cancel: threading.Event, state: EngineState) -> str:
    from core.jobs import save as saving

    return str(saving.save_model(request.path, state.result(request.handle), request.kept))


HANDLES: dict[type, Callable[..., Any]] = {SaveRequest: save}
