"""The engine's handler of ``export``: a thin call into core.jobs.export."""
from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any, Callable

from core.engine.requests.export import ExportRequest
from core.engine.state import EngineState


def export(request: ExportRequest, sink: Callable[[Any], None], cancel: threading.Event,
           state: EngineState) -> dict[str, Any]:
    from core.jobs import export as exporting

    exporting.check_export_target(request.out, request.format)
    return asdict(exporting.run_export(request.bundle, request.format, request.out, request.check_dir, sink, cancel))


HANDLES: dict[type, Callable[..., Any]] = {ExportRequest: export}
