"""The engine's handler of Check my data: a thin call into core.jobs_audit (merged into
core.engine.server.JOBS by one line there)."""
from __future__ import annotations

import threading
from typing import Any, Callable

from core.engine.audit_requests import AuditRequest


def audit(request: AuditRequest, sink: Callable[[Any], None], cancel: threading.Event, state: Any) -> dict[str, Any]:
    from core import jobs_audit

    weights = request.weights if request.weights is not None else "none"
    report = jobs_audit.run_audit(request.data_dir, request.val_dir, request.backbone, weights,
                                  request.image_size, sink, cancel)
    return report.to_dict()


JOBS: dict[type, Callable[..., Any]] = {AuditRequest: audit}
