"""The engine's handler of :class:`~core.engine.lr_find_requests.LrFindRequest`, merged into
core/engine/server.py's JOBS: a thin call into core/jobs_lr_find.py."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.lr_find_requests import LrFindRequest


def lr_find(request: LrFindRequest, sink: Callable[[Any], None], cancel: threading.Event, state: Any) -> dict[str, Any]:
    from core import jobs_lr_find
    from core.training.trainer import TrainConfig

    config = TrainConfig.from_json(request.config)
    return jobs_lr_find.run_lr_find(config, sink, cancel, request.steps, request.method).to_json()


JOBS: dict[type, Callable[..., Any]] = {LrFindRequest: lr_find}
