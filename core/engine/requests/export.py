"""The requests of ``export``: a bundle as SavedModel, TFLite or ONNX (File › Export model…), and
the question asked before it when the folder holds an earlier export of another format or model."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class ExportRequest(Request):
    """Export the bundle at ``bundle`` (an opened or saved one, or the engine's kept copy of a
    trained model) as ``format`` into ``out``, checked on ``check_dir`` or the validation images;
    replies core.bundles.export.ExportReport's fields as a dict. ``replace``: the user agreed to
    replace an earlier export of another format or model there (refused otherwise)."""

    bundle: str
    format: str
    out: str
    check_dir: str | None = None
    replace: bool = False
    name: ClassVar[str] = "export"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class ExportQuestionRequest(Request):
    """Whether exporting ``bundle`` as ``format`` into ``out`` would replace an earlier export of
    another format or model (quick, no TensorFlow): replies None, or ``{"path", "format",
    "format_word", "bundle"}`` of that export for the window's "Replace it?" question. Any other
    refusal (inside a dataset, not writable, not an export) fails the request with its sentence."""

    bundle: str
    format: str
    out: str
    check_dir: str | None = None
    name: ClassVar[str] = "export_question"
