"""The request of ``export``: a bundle as SavedModel, TFLite or ONNX (File › Export model…)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class ExportRequest(Request):
    """Export the bundle at ``bundle`` (an opened or saved one, or the engine's kept copy of a
    trained model) as ``format`` into ``out``, checked on ``check_dir`` or the validation images;
    replies core.bundles.export.ExportReport's fields as a dict."""

    bundle: str
    format: str
    out: str
    check_dir: str | None = None
    name: ClassVar[str] = "export"
    waits_on_cancel: ClassVar[bool] = True
