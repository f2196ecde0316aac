"""The door of ``predict``: a model's top-k for some images (the CLI's ``predict``, the window's Try
it), whole folders streamed (CSV, sorting into class folders) from the CLI and the window, and the
predictors both build: a bundle's, a just-trained model's, a backbone's ImageNet classifier."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

from core.events import EventSink, ignore_events


def datasets_of(bundle: str | Path | None) -> list[str]:
    """The dataset folders an output of a command on ``bundle`` must stay out of: its recorded
    training and validation folders (none for a backbone's ImageNet classifier: pass None)."""
    from core.data.outputs import recorded_datasets

    return [] if bundle is None else recorded_datasets(bundle)


def check_classify_targets(paths: Sequence[str | Path], csv_path: str | Path | None = None,
                           sort_into: str | Path | None = None, datasets: Sequence[str | Path] = (),
                           class_names: Sequence[str] | None = None,
                           summary_path: str | Path | None = None) -> None:
    """Refuse a CSV, summary or sort folder inside an input folder or one of ``datasets``, a CSV
    path holding a foreign file, an unwritable place, and (with ``class_names``) a sort whose class
    folder is a link, before a model is loaded (no TensorFlow: a wrong argument costs a second)."""
    from core.bundles.classify import check_sort_folders, check_targets
    from core.bundles.counting import check_summary_target

    check_targets(paths, csv_path, sort_into, datasets)
    if sort_into is not None and class_names is not None:
        check_sort_folders(paths, sort_into, class_names)
    if summary_path is not None:
        check_summary_target(paths, summary_path, datasets)


def run_classification(source: str | Path, paths: Sequence[str | Path], k: int = 5, imagenet_backbone: bool = False,
                       csv_path: str | Path | None = None, sort_into: str | Path | None = None,
                       min_confidence: float = 0.0, sink: EventSink = ignore_events,
                       cancel: threading.Event | None = None, each: Any = None,
                       datasets: Sequence[str | Path] = (), coverage: float | None = None,
                       summary_path: str | Path | None = None, notes: Any = None) -> Any:
    """Classify every image under ``paths`` (files, or folders walked recursively), streaming in
    batches: into a CSV, into class folders (copies), a counts summary per subfolder
    (``summary_path``, core.stats.counts' columns), and to ``each`` one prediction at a time; never
    into ``datasets`` (:func:`datasets_of`). ``coverage``: the prediction sets' coverage (None: the
    bundle's 90 %). ``notes(list of str)`` hears, before the first image, what the user should know
    (an uncalibrated model, no sets). Returns core.bundles.classify.Classified."""
    from itertools import islice

    from core.bundles.classify import Listing, classify_into
    from core.runtime.forward import MIN_ROWS_TO_BUILD

    predictor = imagenet_predictor(str(source)) if imagenet_backbone else warm_or_loaded(source, coverage)
    predictor.expect(sum(1 for _ in islice(Listing(paths), MIN_ROWS_TO_BUILD)))  # enough for a faster runtime?
    if notes is not None:
        notes(list(getattr(predictor, "notes", [])))
    return classify_into(predictor, paths, k, csv_path, sort_into, min_confidence, sink, cancel, each,
                         datasets=datasets, summary_path=summary_path)


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
                         calibrated: bool, datasets: Sequence[str | Path] = (), with_sets: bool | None = None) -> Path:
    """The CLI's ``--csv`` file (same columns, same atomic write) from predictions already made;
    never inside the inputs or ``datasets``; ``with_sets`` None: a ``set`` column when any
    prediction has a prediction set."""
    from core.bundles.classify import CsvWriter, check_targets

    check_targets(inputs, path, None, datasets)
    if with_sets is None:
        with_sets = any(getattr(p, "prediction_set", None) is not None for p in predictions)
    writer = CsvWriter(path, k, calibrated, with_sets)
    try:
        for prediction in predictions:
            writer.write(prediction)
    except BaseException:
        writer.discard()
        raise
    return writer.commit()


def summarise_classified(items: Sequence[tuple[Path, Any]], inputs: Sequence[str | Path],
                         predictor: Any) -> tuple[list[dict[str, Any]], str | None]:
    """The counts per subfolder of a classification already made (the window's Summary view):
    core.bundles.counting.summarise_predictions' ``(rows, note)``, adjusted with the predictor's
    validation statistics when it has them."""
    from core.bundles.counting import summarise_predictions

    return summarise_predictions(items, inputs, predictor.class_names, getattr(predictor, "statistics", None))


def write_classified_summary(rows: Sequence[dict[str, Any]], inputs: Sequence[str | Path], path: str | Path,
                             datasets: Sequence[str | Path] = ()) -> Path:
    """The window's Save summary CSV: rows already counted (:func:`summarise_classified`) written as
    ``predict --summary``'s file, after the same checks (outside the inputs and datasets, never over a
    file that is not a counts summary) and atomically (core.stats.counts.write_counts_csv)."""
    from core.bundles.counting import check_summary_target
    from core.stats.counts import write_counts_csv

    check_summary_target(inputs, path, datasets)
    return write_counts_csv(Path(path).expanduser(), rows)


def sort_classified(items: Sequence[tuple[Path, Any]], inputs: Sequence[str | Path], target: str | Path,
                    class_names: Sequence[str], min_confidence: float = 0.0, sink: EventSink = ignore_events,
                    cancel: threading.Event | None = None, datasets: Sequence[str | Path] = ()) -> dict[str, int]:
    """The CLI's ``--sort-into`` from predictions already made: copies into ``target/<class>/`` (or
    ``uncertain/``), originals only read, never into ``datasets``; ``{folder: copies}``. Stops
    between files on ``cancel``."""
    from core.bundles.classify import Sorter, check_sort_folders, check_targets
    from core.events import Progress

    check_targets(inputs, None, target, datasets)
    check_sort_folders(inputs, target, class_names)
    sorter = Sorter(target, class_names, min_confidence)
    for done, (path, prediction) in enumerate(items, 1):
        if cancel is not None and cancel.is_set():
            break
        sorter.add(path, prediction)
        if done % 32 == 0 or done == len(items):  # every file would flood the pipe to the window
            sink(Progress.of("sort", done, len(items), "predict.copied_images", done=done, n_items=len(items)))
    return dict(sorted(sorter.counts.items()))


def run_prediction(source: str | Path, images: Sequence[str | Path], k: int = 5, imagenet_backbone: bool = False,
                   sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> list[Any]:
    """Top-k for ``images`` from a bundle folder, or from a backbone's ImageNet classifier."""
    predictor = imagenet_predictor(str(source)) if imagenet_backbone else warm_or_loaded(source)
    return predict(predictor, images, k, sink, cancel)


def predict(predictor: Any, images: Sequence[Any], k: int = 5, sink: EventSink = ignore_events,
            cancel: threading.Event | None = None) -> list[Any]:
    """``predictor``'s top-k for each image (core.bundles.predict.ImagePrediction; an unreadable image
    gets its reason instead of stopping the others)."""
    return predictor.top_k(images, k, sink, cancel)


def imagenet_predictor(backbone_id: str) -> Any:
    """The backbone with its ImageNet classifier (what Try it shows before any training)."""
    from core.bundles.predict import Predictor

    return Predictor.for_imagenet(backbone_id)


def bundle_predictor(bundle: Any, coverage: float | None = None) -> Any:
    """A Predictor for a bundle folder (or an already loaded core.bundles.bundle.Bundle); its
    prediction sets at ``coverage`` (None: the one stored, 90 %)."""
    from core.bundles.predict import Predictor

    return Predictor.from_bundle(bundle, coverage)


def warm_or_loaded(bundle: str | Path, coverage: float | None = None) -> Any:
    """The bundle's predictor on its cached, verified converted model without loading Keras
    (core/bundles/warm_predictor.py), else :func:`bundle_predictor`: for the commands that only
    predict (the engine keeps the loaded Keras model: Grad-CAM and exports need it)."""
    from core.bundles.warm_predictor import warm_bundle_predictor

    return warm_bundle_predictor(bundle, coverage) or bundle_predictor(bundle, coverage)


def trained_predictor(result: Any) -> Any:
    """A Predictor for a just-trained result, still in memory (with its unfamiliar-image check)."""
    from core.bundles.predict import Predictor
    from core.methods import method_label

    method = getattr(result.config, "method", "finetune")
    kind = "fine-tuned model" if method == "finetune" else f"{method_label(method)} model"
    return Predictor(result.model, result.class_names, kind, getattr(result, "familiarity", None),
                     getattr(result, "statistics", None))
