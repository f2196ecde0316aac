"""The door's part for putting a model to work (issue 11): classify whole folders (CSV, sort into
class folders) from the CLI and the window, and verified exports. Beside core/jobs.py, which keeps
training and the model in use, so that each stays a readable length."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

from core.events import EventSink, ignore_events
from core.jobs import bundle_predictor, imagenet_predictor


def check_classify_targets(paths: Sequence[str | Path], csv_path: str | Path | None = None,
                           sort_into: str | Path | None = None) -> None:
    """Refuse a CSV or sort folder inside an input folder, or a CSV path holding a foreign file,
    before a model is loaded (no TensorFlow: a wrong argument costs a second)."""
    from core.bundles.classify import check_targets

    check_targets(paths, csv_path, sort_into)


def run_classification(source: str | Path, paths: Sequence[str | Path], k: int = 5, imagenet_backbone: bool = False,
                       csv_path: str | Path | None = None, sort_into: str | Path | None = None,
                       min_confidence: float = 0.0, sink: EventSink = ignore_events,
                       cancel: threading.Event | None = None, each: Any = None) -> Any:
    """Classify every image under ``paths`` (files, or folders walked recursively), streaming in
    batches: into a CSV, into class folders (copies), and to ``each`` one prediction at a time.
    Returns core.bundles.classify.Classified."""
    from core.bundles.classify import classify_into

    predictor = imagenet_predictor(str(source)) if imagenet_backbone else bundle_predictor(source)
    return classify_into(predictor, paths, k, csv_path, sort_into, min_confidence, sink, cancel, each)


def classify_folder(predictor: Any, paths: Sequence[str | Path], k: int = 5, sink: EventSink = ignore_events,
                    cancel: threading.Event | None = None, each_file: Any = None) -> Any:
    """The window's folder classification: :func:`run_classification` with a predictor the engine
    already holds (a trained model may not be saved anywhere), each ``(path, prediction)`` handed to
    ``each_file`` as it comes; the CSV and the sorting come later, from what was shown."""
    from core.bundles.classify import classify_into

    return classify_into(predictor, paths, k, sink=sink, cancel=cancel, each_file=each_file)


def count_classify_images(paths: Sequence[str | Path], cancel: threading.Event | None = None) -> int:
    """How many files a folder classification of ``paths`` will go through (a listing, no decoding),
    for a progress bar; stops early (with the count so far) when ``cancel`` is set."""
    from core.bundles.classify import Listing

    count = 0
    for _ in Listing(paths):
        count += 1
        if cancel is not None and count % 1000 == 0 and cancel.is_set():
            break
    return count


def write_classified_csv(predictions: Sequence[Any], inputs: Sequence[str | Path], path: str | Path, k: int,
                         calibrated: bool) -> Path:
    """The CLI's ``--csv`` file (same columns, same atomic write) from predictions already made."""
    from core.bundles.classify import CsvWriter, check_targets

    check_targets(inputs, path)
    writer = CsvWriter(path, k, calibrated)
    try:
        for prediction in predictions:
            writer.write(prediction)
    except BaseException:
        writer.discard()
        raise
    return writer.commit()


def sort_classified(items: Sequence[tuple[Path, Any]], inputs: Sequence[str | Path], target: str | Path,
                    class_names: Sequence[str], min_confidence: float = 0.0, sink: EventSink = ignore_events,
                    cancel: threading.Event | None = None) -> dict[str, int]:
    """The CLI's ``--sort-into`` from predictions already made: copies into ``target/<class>/`` (or
    ``uncertain/``), originals only read; ``{folder: copies}``. Stops between files on ``cancel``."""
    from core.bundles.classify import Sorter, check_sort_folders, check_targets
    from core.events import Progress

    check_targets(inputs, None, target)
    check_sort_folders(inputs, target, class_names)
    sorter = Sorter(target, class_names, min_confidence)
    for done, (path, prediction) in enumerate(items, 1):
        if cancel is not None and cancel.is_set():
            break
        sorter.add(path, prediction)
        if done % 32 == 0 or done == len(items):  # every file would flood the pipe to the window
            sink(Progress("sort", done, len(items), f"Copied {done} of {len(items)} images"))
    return dict(sorted(sorter.counts.items()))


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


# -- the model in use: predictors, bundles, layer tables ----------------------------------------
