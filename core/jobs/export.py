"""The door of ``export``: a bundle as SavedModel, TFLite or ONNX, checked against the app by the
format's own runtime before it is put in place (the CLI's ``export`` and File › Export model…)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from core.events import EventSink, ignore_events


def check_export_target(out: str | Path, fmt: str) -> None:
    """Refuse an unknown format or an ``out`` that is not free or an earlier export, before any work."""
    from core.bundles.export import check_export_target as check

    check(out, fmt)


def run_export(bundle_dir: str | Path, fmt: str, out: str | Path, check_dir: str | Path | None = None,
               sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> Any:
    """Export a bundle (savedmodel, tflite, tflite-int8, onnx), checked against the app by the
    format's own runtime before it is put in place: core.bundles.export.ExportReport."""
    from core.bundles.export import export_bundle

    return export_bundle(bundle_dir, fmt, out, check_dir, sink, cancel)


