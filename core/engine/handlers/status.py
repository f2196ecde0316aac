"""The engine's answers about itself: its process id (a cheap "is it alive") and the weights folders
it searches."""
from __future__ import annotations

import os
import threading
from typing import Any, Callable

from core.engine.requests.status import PingRequest, WeightsDirsRequest
from core.engine.state import EngineState


def ping(request: PingRequest, sink: Callable[[Any], None], cancel: threading.Event, state: EngineState) -> int:
    return os.getpid()


def weights_dirs(request: WeightsDirsRequest, sink: Callable[[Any], None], cancel: threading.Event,
                 state: EngineState) -> list[str]:
    from core.paths import weights_dirs as folders

    return [str(path) for path in folders()]


HANDLES: dict[type, Callable[..., Any]] = {PingRequest: ping, WeightsDirsRequest: weights_dirs}
