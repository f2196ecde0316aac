"""The door of ``lr-find``: the learning-rate finder. The CLI's ``lr-find`` and the window's engine
(core/engine/handlers/lr_find.py) both call :func:`run_lr_find`."""
from __future__ import annotations

import threading
from typing import Any

from core.events import EventSink, ignore_events
from core.config import check_train_settings
from core.training.lr_find import DEFAULT_SUGGESTION, STEPS, check_sweep


def run_lr_find(config: Any, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                steps: int = STEPS, method: str = DEFAULT_SUGGESTION) -> Any:
    """Sweep the learning rate for ``config`` (a TrainConfig; see core/training/lr_find.py) and return
    core.training.lr_find.LrFindResult. Settings are checked before any TensorFlow work."""
    check_train_settings(config)
    check_sweep(steps, method)
    from core.training.lr_find import find_learning_rate

    return find_learning_rate(config, sink, cancel, steps=steps, method=method)
