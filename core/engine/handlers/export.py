"""The engine's handlers of ``export``: thin calls into core.jobs.export."""
from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any, Callable

from core.engine.requests.export import ExportQuestionRequest, ExportRequest
from core.engine.state import EngineState


def export(request: ExportRequest, sink: Callable[[Any], None], cancel: threading.Event,
           state: EngineState) -> dict[str, Any]:
    from core.jobs import export as exporting

    exporting.check_export_target(request.out, request.format, request.bundle, request.replace, request.check_dir)
    return asdict(exporting.run_export(request.bundle, request.format, request.out, request.check_dir, sink, cancel,
                                       replace=request.replace))


def export_question(request: ExportQuestionRequest, sink: Callable[[Any], None], cancel: threading.Event,
                    state: EngineState) -> dict[str, str] | None:
    from core.jobs import export as exporting

    return exporting.replace_question(request.out, request.format, request.bundle, request.check_dir)


HANDLES: dict[type, Callable[..., Any]] = {ExportRequest: export, ExportQuestionRequest: export_question}
