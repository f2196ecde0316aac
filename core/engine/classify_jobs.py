"""The engine's jobs for core/engine/classify_requests.py: thin calls into core.jobs, merged into
core.engine.server.JOBS with one line.

What is classified stays here under the window's ``run_id`` (the few newest runs), so Save as CSV
and Sort into folders work on exactly the rows the window shows without sending them back. An
engine that died lost them: the window is told to classify again.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.engine.classify_requests import (ClassifiedRows, ClassifyFolderRequest, ExportRequest,
                                           SaveClassifiedCsvRequest, SortClassifiedRequest)
from core.events import Progress

CHUNK_ROWS = 256  # rows per event at most: small messages, and the table fills as the engine goes
CHUNK_S = 0.25  # and at least this often while rows come
KEEP_RUNS = 3  # classifications kept for a later CSV or sort (the window uses the newest)


@dataclass
class _Run:
    inputs: list[str]
    class_names: list[str]
    k: int
    calibrated: bool
    items: list[tuple[Path, Any]] = field(default_factory=list)  # (file, ImagePrediction), in order


_RUNS: OrderedDict[str, _Run] = OrderedDict()
_LOCK = threading.Lock()


def _keep(run_id: str, run: _Run) -> None:
    with _LOCK:
        _RUNS[run_id] = run
        while len(_RUNS) > KEEP_RUNS:
            _RUNS.popitem(last=False)


def _kept(run_id: str) -> _Run:
    with _LOCK:
        run = _RUNS.get(run_id)
    if run is None:
        raise ValueError("Those results are no longer in the engine (it was restarted, or newer folders were "
                         "classified since); classify the folder again.")
    return run


def _row(path: Path, prediction: Any) -> tuple:
    return (str(path), prediction.source, tuple((g.label, float(g.probability)) for g in prediction.top),
            prediction.error, prediction.unfamiliar)


def classify_folder(request: ClassifyFolderRequest, sink: Callable[[Any], None], cancel: threading.Event,
                    state: Any) -> dict[str, Any]:
    from core import jobs_use

    predictor = state.predictor(request.source)
    paths = list(request.paths)
    k = max(1, min(request.k, len(predictor.class_names)))
    run = _Run(paths, list(predictor.class_names), k, predictor.familiarity is not None)
    _keep(request.run_id, run)
    total = [0]

    def count() -> None:  # beside the classification: the first rows need not wait for the listing
        total[0] = jobs_use.count_classify_images(paths, cancel)

    counter = threading.Thread(target=count, name="engine-count-images", daemon=True)
    counter.start()
    pending: list[tuple] = []
    last = [time.monotonic()]

    def flush() -> None:
        if pending:
            sink(ClassifiedRows(request.run_id, tuple(pending), len(run.items), total[0]))
            pending.clear()
        last[0] = time.monotonic()

    def each_file(path: Path, prediction: Any) -> None:
        run.items.append((path, prediction))
        pending.append(_row(path, prediction))
        if len(pending) >= CHUNK_ROWS or time.monotonic() - last[0] >= CHUNK_S:
            flush()

    def progress(event: Any) -> None:  # the rows carry the progress; other events pass
        if not isinstance(event, Progress):
            sink(event)

    try:
        summary = jobs_use.classify_folder(predictor, paths, k, progress, cancel, each_file)
    finally:
        flush()
    counter.join(timeout=5)
    return {"run_id": request.run_id, "images": summary.images, "unreadable": summary.unreadable,
            "ignored": summary.ignored, "cancelled": summary.cancelled, "class_names": run.class_names}


def save_csv(request: SaveClassifiedCsvRequest, sink: Callable[[Any], None], cancel: threading.Event,
             state: Any) -> str:
    from core import jobs_use

    run = _kept(request.run_id)
    return str(jobs_use.write_classified_csv([p for _, p in run.items], run.inputs, request.path, run.k, run.calibrated))


def sort_into(request: SortClassifiedRequest, sink: Callable[[Any], None], cancel: threading.Event,
              state: Any) -> dict[str, int]:
    from core import jobs_use

    run = _kept(request.run_id)
    return jobs_use.sort_classified(list(run.items), run.inputs, request.target, run.class_names,
                                request.min_confidence, sink, cancel)


def export(request: ExportRequest, sink: Callable[[Any], None], cancel: threading.Event, state: Any) -> dict[str, Any]:
    from core import jobs_use

    jobs_use.check_export_target(request.out, request.format)
    return asdict(jobs_use.run_export(request.bundle, request.format, request.out, request.check_dir, sink, cancel))


JOBS: dict[type, Callable[..., Any]] = {
    ClassifyFolderRequest: classify_folder,
    SaveClassifiedCsvRequest: save_csv,
    SortClassifiedRequest: sort_into,
    ExportRequest: export,
}
