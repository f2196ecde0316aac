"""The engine's handler of ``audit`` ("Check my data" in the window): a thin call into core.jobs.audit."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.requests.audit import AuditRequest
from core.engine.state import EngineState


def audit(request: AuditRequest, sink: Callable[[Any], None], cancel: threading.Event,
          state: EngineState) -> dict[str, Any]:
    from core.jobs import audit as auditing

    weights = request.weights if request.weights is not None else "none"
    report = auditing.run_audit(request.data_dir, request.val_dir, request.backbone, weights,
                                  request.image_size, sink, cancel)
    return report.to_dict()


HANDLES: dict[type, Callable[..., Any]] = {AuditRequest: audit}
