"""Export a bundle as SavedModel, TFLite (float32 or full-integer int8) or ONNX, verified.

Every export takes RGB pixels 0-255, NHWC, at the bundle's input size (float32; uint8 for
``tflite-int8``) under the input name ``pixels`` and answers the class probabilities in
``labels.json`` order (``probabilities``): the preprocessing stays inside, as in model.keras, so a
client needs no project code. The export is an output folder::

    OUT/model.tflite | model.onnx | saved_model/    the model
    OUT/labels.json                                 the class names, in output order
    OUT/export.json                                 how it compared with the app (below)

It is written into a temporary sibling, loaded by its own runtime and compared with the app's
Predictor on the bundle's validation images (or ``check_dir``) *before* it is swapped into place
(:mod:`core.bundles.atomic`), so the user never receives an export that answers differently: a
float export must agree on every image, an int8 export's agreement and accuracy drop are reported
(with a plain warning beyond one point). Only a missing path, an empty folder or an earlier export
of ours (its export.json says so) is ever replaced, and an export of another format or another
model only with ``replace=True`` (issue 25: an ONNX export into a TFLite export's folder deleted
model.tflite without a word).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.bundles import atomic
from core.bundles.export_record import record_export
from core.errors import OutputTargetError, TrainingCancelled
from core.events import EventSink, Progress, ignore_events
from core.files import read_bounded

FORMATS = ("savedmodel", "tflite", "tflite-int8", "onnx")
MODEL_NAMES = {"savedmodel": "saved_model", "tflite": "model.tflite", "tflite-int8": "model.tflite",
               "onnx": "model.onnx"}
REPORT_FILE = "export.json"
MARK = "finetune-studio export"  # export.json's "kind": an export folder we may replace
REPRESENTATIVE_IMAGES = 100  # int8 calibration: the converter's ranges settle well before this
INT8_WARN_POINTS = 1.0


class ExportMismatch(RuntimeError):
    """The exported model answers differently from the app; nothing was written."""


@dataclass
class ExportReport:
    format: str
    path: str  # the model file (the SavedModel folder) inside the export folder
    agreement: float
    max_abs_diff: float
    images: int
    runtime: str = ""
    check_images: str = ""  # where the compared images came from
    accuracy_app: float | None = None
    accuracy_export: float | None = None
    accuracy_drop_points: float | None = None
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json``: the five fields the issue names."""
        return {key: getattr(self, key) for key in ("format", "path", "agreement", "max_abs_diff", "images")}


FORMAT_WORDS = {"savedmodel": "SavedModel", "tflite": "TFLite", "tflite-int8": "TFLite int8", "onnx": "ONNX"}


class ExportReplaceError(OutputTargetError):
    """``out`` holds an earlier export of another format or of another model: replacing it would
    delete that model file (issue 25: an ONNX export deleted model.tflite). Refused unless the
    user said so: ``replace=True`` (the CLI's ``--replace``, the window's "Replace?" question, which
    can name what is there from these attributes)."""

    def __init__(self, message: str, path: str = "", existing_format: str = "", existing_bundle: str = "") -> None:
        super().__init__(message)
        self.path, self.existing_format, self.existing_bundle = path, existing_format, existing_bundle

    def __reduce__(self) -> tuple:
        return type(self), (str(self), self.path, self.existing_format, self.existing_bundle)


def existing_export(out: str | Path) -> dict[str, Any] | None:
    """What an earlier export of ours at ``out`` is (its export.json: ``format``, ``bundle``,
    ``path``...), None when there is none: for the window's "Replace?" question before it asks."""
    target = atomic.target_path(out)
    atomic.tidy_quietly(target)  # an export hidden by a killed swap is back first
    return _read_export(target)


def _read_export(target: Path) -> dict[str, Any] | None:
    """export.json of our export at ``target`` (no lock taken: also called with the lock held)."""
    if _state(target) != "export":
        return None
    try:
        report = json.loads((target / REPORT_FILE).read_text(encoding="utf-8")[:1 << 20])
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def check_export_target(out: str | Path, fmt: str, bundle_dir: str | Path | None = None,
                        replace: bool = False) -> Path:
    """Refuse, before any work (and without TensorFlow), a format we do not know or an ``out``
    that is something else than a missing path, an empty folder or an earlier export of ours; and,
    unless ``replace``, an earlier export of another format or (with ``bundle_dir``) of another
    model (ExportReplaceError). Re-exporting the same model in the same format needs no ``replace``."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format '{fmt}' (choose {', '.join(FORMATS)}).")
    target = atomic.target_path(out)
    if not target.parent.is_dir():
        raise OutputTargetError.of("export.folder_export_does_not", target_parent=target.parent)
    atomic.tidy_quietly(target)
    if _state(target) == "other":
        raise OutputTargetError.of("export.exists_not_earlier_export", out=out)
    if not replace:
        _check_replace(out, target, fmt, bundle_dir)
    return target


def _check_replace(out: str | Path, target: Path, fmt: str, bundle_dir: str | Path | None) -> None:
    earlier = _read_export(target)
    if earlier is None:
        return
    was_format, was_bundle = str(earlier.get("format") or ""), str(earlier.get("bundle") or "")
    other_model = bundle_dir is not None and was_bundle and \
        os.path.realpath(was_bundle) != os.path.realpath(Path(bundle_dir).expanduser())
    if was_format == fmt and not other_model:
        return
    what = f"a {FORMAT_WORDS.get(was_format, was_format or 'model')} export"
    if other_model:
        what += f" of another model ('{was_bundle}')"
    raise ExportReplaceError(
        f"'{out}' holds {what}; exporting {FORMAT_WORDS[fmt]} there would delete it. Choose another folder, "
        "or replace it on purpose (--replace).", str(target), was_format, was_bundle)


def _state(path: Path) -> str:
    """"missing" (or an empty folder), "export" (ours, replaceable) or "other" (never replaced)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        return "other"
    if not path.exists():
        return "missing"
    try:
        names = os.listdir(path)
    except OSError:
        return "other"
    if not names:
        return "missing"
    try:
        report = json.loads(read_bounded(path / REPORT_FILE, 1 << 20).decode("utf-8"))  # never a pipe or device
    except (OSError, ValueError):
        return "other"
    ours = isinstance(report, dict) and report.get("kind") == MARK
    allowed = {REPORT_FILE, "labels.json", *MODEL_NAMES.values()}
    return "export" if ours and set(names) <= allowed else "other"


def export_bundle(bundle_dir: str | Path, fmt: str, out: str | Path, check_dir: str | Path | None = None,
                  sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                  replace: bool = False) -> ExportReport:
    """Write ``bundle_dir``'s model as ``fmt`` into the folder ``out``, verified by its runtime.
    ``replace``: an earlier export of another format or model there may be replaced (see
    :func:`check_export_target`)."""
    target = check_export_target(out, fmt, bundle_dir, replace)
    from core.bundles.bundle import load_bundle
    from core.bundles.export_write import check_images, representative_images, write_model
    from core.bundles.predict import Predictor

    bundle = load_bundle(bundle_dir)
    names, pixels, truth, source = check_images(bundle, check_dir)
    atomic.tidy_quietly(target)
    folder = atomic.new_temporary(target)
    try:
        _stop_if(cancel)
        sink(Progress.of("export", 0, 3, "export.converting", fmt=fmt))
        calibration = representative_images(bundle, check_dir) if fmt == "tflite-int8" else None
        with tempfile.TemporaryDirectory(prefix=".export-work-", dir=target.parent) as work:
            model_path = write_model(bundle.model, fmt, folder / MODEL_NAMES[fmt], Path(work), calibration)
        _stop_if(cancel)
        sink(Progress.of("export", 1, 3, "export.checking_export_images", fmt=fmt, n_names=len(names)))
        report = _verify(bundle, fmt, model_path, Predictor.from_bundle(bundle).keras_only(), names,
                          pixels, truth)
        report.check_images = source  # report.warnings: the front shows them (the CLI on stderr)
        (folder / "labels.json").write_text(json.dumps(bundle.class_names, ensure_ascii=True), encoding="utf-8")
        (folder / REPORT_FILE).write_text(json.dumps({"kind": MARK, "bundle": str(bundle.path), **asdict(report)},
                                                     indent=1, ensure_ascii=True), encoding="utf-8")
        _stop_if(cancel)
        atomic.apply_umask(folder)
        with atomic.locked(target):
            atomic.recover_and_tidy(target)
            if _state(target) == "other":  # something else appeared there meanwhile: never replace it
                raise OutputTargetError.of("export.created_someone_else_during", out=out)
            if not replace:
                _check_replace(out, target, fmt, bundle.path)  # another export appeared there meanwhile
            if target.is_dir() and not os.listdir(target):
                target.rmdir()
            atomic.swap_in(folder, target)
        report.path = str(target / MODEL_NAMES[fmt])
        _rewrite_path(target, report.path)
        record_export(bundle.path, asdict(report))  # the bundle's list of its exports (for the report)
        sink(Progress.of("export", 3, 3, "export.exported", target=target))
        return report
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("The export was stopped; nothing was written.")


def _rewrite_path(target: Path, path: str) -> None:
    report_path = target / REPORT_FILE
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report["path"] = path
    report_path.write_text(json.dumps(report, indent=1, ensure_ascii=True), encoding="utf-8")


def _verify(bundle: Any, fmt: str, model_path: Path, predictor: Any, names: list[str], pixels: Any,
            truth: list[int | None]) -> ExportReport:
    """Run the export with its own runtime next to the app; refuse a float export that differs."""
    from core.bundles.export_check import compare, in_batches, runtime_for

    runtime, run = runtime_for(fmt, model_path)
    result = compare(predictor.probabilities(pixels), in_batches(run, pixels), names, truth)
    report = ExportReport(fmt, str(model_path), result.agreement, result.max_abs_diff, result.images, runtime,
                          accuracy_app=result.accuracy_app, accuracy_export=result.accuracy_export)
    if result.accuracy_app is not None and result.accuracy_export is not None:
        report.accuracy_drop_points = round((result.accuracy_app - result.accuracy_export) * 100, 2)
    if fmt != "tflite-int8" and result.disagreeing:
        shown = ", ".join(Path(name).name for name in result.disagreeing[:3])
        raise ExportMismatch(
            f"The {fmt} export answers differently from the app on {len(result.disagreeing)} of {result.images} "
            f"images (e.g. {shown}); it was not written. Please report this with the bundle.")
    if fmt == "tflite-int8":
        drop = report.accuracy_drop_points
        if drop is not None and drop > INT8_WARN_POINTS:
            report.warnings.append(
                f"The int8 model is less accurate than the app: {drop:.1f} points lower on {result.images} "
                f"images ({result.accuracy_export:.1%} instead of {result.accuracy_app:.1%}). Use the float "
                "TFLite export if the device allows it.")
        elif drop is None and result.agreement < 0.99:
            report.warnings.append(f"The int8 model agrees with the app on only {result.agreement:.1%} of "
                                   f"{result.images} images (their true classes are unknown).")
    return report
