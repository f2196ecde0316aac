"""The engine's handlers of ``predict``: Try it's top-k, a whole folder classified (rows stream back
in chunks), and what was classified saved as a CSV or sorted into class folders. Thin calls into
core.jobs.predict.

What is classified stays in the engine's state (core/engine/state.py) under the window's
``classification_id`` (the few newest), so Save as CSV and Sort into folders work on exactly the rows
the window shows without sending them back. An engine that died lost them: the window is told to
classify again.
"""
from __future__ import annotations

import copy
import threading
import time
from pathlib import Path
from typing import Any, Callable

from core.engine.requests.predict import (ClassifiedRows, ClassifyFolderRequest, PredictionRow, PredictRequest,
                                          SaveClassifiedCsvRequest, SaveCountsSummaryRequest, SortClassifiedRequest)
from core.engine.state import Classification, EngineState
from core.events import Progress

CHUNK_ROWS = 256  # rows per event at most: small messages, and the table fills as the engine goes
CHUNK_S = 0.25  # and at least this often while rows come


def _row(path: Path, prediction: Any) -> tuple:
    members = getattr(prediction, "prediction_set", None)
    return (str(path), prediction.source, tuple((g.label, float(g.probability)) for g in prediction.top),
            prediction.error, prediction.unfamiliar, None if members is None else tuple(members))


def _extras(prediction: Any, notes: list[str]) -> dict[str, Any] | None:
    """A PredictionRow's last element: the unfamiliar-image check, the prediction set, and the
    predictor's notes (an uncalibrated model, no sets at this coverage), when there are any."""
    extras: dict[str, Any] = {"notes": list(notes)} if notes else {}
    if prediction.unfamiliar is not None:
        extras.update(unfamiliar=prediction.unfamiliar, distance=prediction.distance,
                      distance_limit=prediction.distance_limit)
    if getattr(prediction, "prediction_set", None) is not None:
        extras["set"] = list(prediction.prediction_set)
    return extras or None


def predict(request: PredictRequest, sink: Callable[[Any], None], cancel: threading.Event,
            state: EngineState) -> list[PredictionRow]:
    from core.jobs import predict as predicting

    predictor = state.predictor(request.source)
    predictions = predicting.predict(predictor, list(request.paths), request.k, sink, cancel)
    notes = list(getattr(predictor, "notes", []))
    return [(p.source, [(g.label, float(g.probability)) for g in p.top], p.error, _extras(p, notes)) for p in predictions]


def classify_folder(request: ClassifyFolderRequest, sink: Callable[[Any], None], cancel: threading.Event,
                    state: EngineState) -> dict[str, Any]:
    from core.jobs import predict as predicting

    predictor = state.predictor(request.source)
    if request.coverage is not None and request.coverage != getattr(predictor, "coverage", None):
        predictor = copy.copy(predictor)  # the held one keeps its coverage; this run uses the window's
        predictor.coverage = request.coverage
    paths = list(request.paths)
    k = max(1, min(request.k, len(predictor.class_names)))
    found = Classification(paths, list(predictor.class_names), k, predictor.familiarity is not None,
                           datasets=state.datasets(request.source))
    state.keep_classification(request.classification_id, found)
    total = [0]

    def count() -> None:  # beside the classification: the first rows need not wait for the listing
        total[0] = predicting.count_classify_images(paths, cancel)

    counter = threading.Thread(target=count, name="engine-count-images", daemon=True)
    counter.start()
    pending: list[tuple] = []
    last = [time.monotonic()]

    def flush() -> None:
        if pending:
            sink(ClassifiedRows(request.classification_id, tuple(pending), len(found.items), total[0]))
            pending.clear()
        last[0] = time.monotonic()

    def each_file(path: Path, prediction: Any) -> None:
        found.items.append((path, prediction))
        pending.append(_row(path, prediction))
        if len(pending) >= CHUNK_ROWS or time.monotonic() - last[0] >= CHUNK_S:
            flush()

    def progress(event: Any) -> None:  # the rows carry the progress; other events pass
        if not isinstance(event, Progress):
            sink(event)

    try:
        summary = predicting.classify_folder(predictor, paths, k, progress, cancel, each_file)
    finally:
        flush()
    counter.join(timeout=5)
    counts, counts_note = predicting.summarise_classified(found.items, paths, predictor)
    found.counts = counts
    return {"classification_id": request.classification_id, "images": summary.images, "unreadable": summary.unreadable,
            "ignored": summary.ignored, "cancelled": summary.cancelled, "class_names": found.class_names,
            "counts": counts, "coverage": request.coverage,
            "notes": list(getattr(predictor, "notes", [])) + ([counts_note] if counts_note else []),
            "runtime": getattr(predictor, "runtime", None)}


def save_csv(request: SaveClassifiedCsvRequest, sink: Callable[[Any], None], cancel: threading.Event,
             state: EngineState) -> str:
    from core.jobs import predict as predicting

    found = state.classification(request.classification_id)
    return str(predicting.write_classified_csv([p for _, p in found.items], found.inputs, request.path, found.k,
                                               found.calibrated, found.datasets))


def save_summary(request: SaveCountsSummaryRequest, sink: Callable[[Any], None], cancel: threading.Event,
                 state: EngineState) -> str:
    from core.jobs import predict as predicting

    found = state.classification(request.classification_id)
    return str(predicting.write_classified_summary(found.counts, found.inputs, request.path, found.datasets))


def sort_into(request: SortClassifiedRequest, sink: Callable[[Any], None], cancel: threading.Event,
              state: EngineState) -> dict[str, int]:
    from core.jobs import predict as predicting

    found = state.classification(request.classification_id)
    return predicting.sort_classified(list(found.items), found.inputs, request.target, found.class_names,
                                      request.min_confidence, sink, cancel, found.datasets)


HANDLES: dict[type, Callable[..., Any]] = {
    PredictRequest: predict,
    ClassifyFolderRequest: classify_folder,
    SaveClassifiedCsvRequest: save_csv,
    SaveCountsSummaryRequest: save_summary,
    SortClassifiedRequest: sort_into,
}
