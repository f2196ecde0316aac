"""The door of ``export``: a bundle as SavedModel, TFLite or ONNX, checked against the app by the
format's own runtime before it is put in place (the CLI's ``export`` and File › Export model…).

An export never lands inside a dataset (the bundle's recorded training and validation folders, the
check images' folder) and never replaces an earlier export of another format or model unless the
user said so (``replace``: the CLI's ``--replace``, the window's "Replace it?" question, which
:func:`replace_question` answers before the export is sent)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from core.events import EventSink, ignore_events


def check_export_target(out: str | Path, fmt: str, bundle_dir: str | Path | None = None, replace: bool = False,
                        check_dir: str | Path | None = None) -> None:
    """Refuse, before any work (no TensorFlow): an unknown format, an ``out`` inside a dataset the
    command knows of, a place that cannot be written, an ``out`` that is not free or an earlier
    export, and (unless ``replace``) an earlier export of another format or model there
    (core.bundles.export.ExportReplaceError, which names it)."""
    from core.bundles.export import check_export_target as check
    from core.data.outputs import check_output_outside_datasets, check_output_writable, recorded_datasets

    datasets = [*(recorded_datasets(bundle_dir) if bundle_dir is not None else []), check_dir]
    check_output_outside_datasets(out, datasets)
    check(out, fmt, bundle_dir, replace)  # a file or a foreign folder there: named as such first
    check_output_writable(out, folder=True)  # then the real reason a place takes no files (/proc, read-only)


def replace_question(out: str | Path, fmt: str, bundle_dir: str | Path,
                     check_dir: str | Path | None = None) -> dict[str, str] | None:
    """What exporting ``fmt`` of ``bundle_dir`` into ``out`` would replace: None when nothing
    needs asking (a free place, or an earlier export of the same model in the same format), else
    ``{"path", "format", "format_word", "bundle"}`` of the earlier export, for the window's
    question. Every other refusal is raised as :func:`check_export_target` raises it."""
    from core.bundles.export import FORMAT_WORDS, ExportReplaceError

    try:
        check_export_target(out, fmt, bundle_dir, check_dir=check_dir)
    except ExportReplaceError as error:
        check_export_target(out, fmt, bundle_dir, True, check_dir)  # nothing else wrong with the place?
        return {"path": error.path, "format": error.existing_format, "bundle": error.existing_bundle,
                "format_word": FORMAT_WORDS.get(error.existing_format, error.existing_format or "model")}
    return None


def run_export(bundle_dir: str | Path, fmt: str, out: str | Path, check_dir: str | Path | None = None,
               sink: EventSink = ignore_events, cancel: threading.Event | None = None, replace: bool = False) -> Any:
    """Export a bundle (savedmodel, tflite, tflite-int8, onnx), checked against the app by the
    format's own runtime before it is put in place: core.bundles.export.ExportReport. ``replace``:
    an earlier export of another format or model at ``out`` may be replaced."""
    from core.bundles.export import export_bundle

    check_export_target(out, fmt, bundle_dir, replace, check_dir)
    return export_bundle(bundle_dir, fmt, out, check_dir, sink, cancel, replace=replace)
