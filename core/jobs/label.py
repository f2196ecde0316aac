"""The door of ``label`` ("Label images…" in the window): which unlabelled images to label next,
and copying one into a class.

A suggestion is computed from scratch each time, from the dataset's class folders and the
unlabelled folder as they are on disk: the embeddings come from the per-backbone cache
(core/insight/embeddings.py), so a second call costs only the images that are new since (the
copies just made), and there is no session state to lose or to disagree with the folders. An
unlabelled image whose pixels are already in the dataset (it was copied in) leaves the queue.
The embedding model is kept for the life of the process (the engine), so those few new copies do
not rebuild it after every label.
"""
from __future__ import annotations

import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from core.data.copy_in import Copied, add_class, copy_into_class, undo_copy
from core.data.scan import IMAGE_EXTENSIONS, check_image_header
from core.errors import FolderNotFoundError, TrainingCancelled, WordedValueError
from core.events import EventSink, Progress, ignore_events
from core.insight.label_forecast import DEFAULT_TARGET, forecast, learning_estimate
from core.insight.labelling import DEFAULT_STRATEGY, check_strategy, has_model, rank_pool, reduce_features

Embed = Callable[[Sequence[Path], EventSink, "threading.Event | None"], Any]  # -> core.insight.embeddings.Embedded
_MODELS: dict[tuple, Any] = {}  # the one embedding model kept (the engine's life)


@dataclass
class LabelSuggestions:
    """The queue and the state of the labelling; ``to_dict()`` is the CLI's ``--json`` and the reply."""

    dataset: str
    unlabelled: str
    strategy: str
    class_names: list[str]
    counts: dict[str, int]
    suggestions: list[dict[str, Any]]
    pool: int  # unlabelled images not labelled yet (nor skipped)
    ready: bool  # every class has 2 labelled images: suggestions carry a class
    estimate: dict[str, Any]
    forecast: dict[str, Any]
    predictions: list[dict[str, Any]] = field(default_factory=list)  # the whole pool: path, suggested, probability
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_label_folders(dataset: str | Path, unlabelled: str | Path | None = None) -> None:
    """Refuse a missing folder, or an unlabelled folder that is the dataset or inside it, before any long work."""
    for folder in (dataset, unlabelled):
        if folder is not None and not Path(folder).expanduser().is_dir():
            raise FolderNotFoundError.of("audit.folder_does_not_exist", folder=folder)
    if unlabelled is not None and _inside(os.path.realpath(Path(unlabelled).expanduser()),
                                          os.path.realpath(Path(dataset).expanduser())):
        raise FolderNotFoundError.of("label.unlabelled_folder_must_not")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def unlabelled_images(folder: str | Path, leave_out: str | Path | None = None) -> tuple[list[Path], list[dict[str, str]]]:
    """The images under ``folder`` (recursive, hidden names skipped, links not followed), except
    those under ``leave_out`` (the dataset, when it lies inside the unlabelled folder)."""
    root = Path(folder).expanduser()
    skip_real = os.path.realpath(Path(leave_out).expanduser()) if leave_out is not None else None
    files: list[Path] = []
    skipped: list[dict[str, str]] = []
    for here, dirs, names in os.walk(root):
        if skip_real and _inside(os.path.realpath(here), skip_real):
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(here) / name
            if name.startswith(".") or path.suffix.lower() not in IMAGE_EXTENSIONS or path.is_symlink():
                continue
            reason = check_image_header(path)
            if reason:
                skipped.append({"path": str(path), "reason": reason})
            else:
                files.append(path)
    return files, skipped


def dataset_images(dataset: str | Path) -> tuple[list[str], list[Path], np.ndarray, list[dict[str, str]]]:
    """Class names (every non-hidden subfolder, empty ones too), the labelled images and their labels."""
    from core.data.scan import scan_folder
    from core.errors import EmptyFolderError

    root = Path(dataset).expanduser()
    try:
        spec = scan_folder(root)
    except EmptyFolderError:  # class folders with no images yet: a fine start for labelling
        names = sorted(e.name for e in os.scandir(root) if e.is_dir() and not e.name.startswith("."))
        return names, [], np.zeros(0, int), []
    skipped = [{"path": str(s.path), "reason": s.reason} for s in spec.skipped]
    return list(spec.class_names), list(spec.files), np.asarray(spec.labels, int), skipped


def backbone_embedder(backbone: str | None = None, weights: Any = "imagenet", image_size: int | None = None) -> Embed:
    """Cached embeddings with ``backbone`` (default: the app's), the model built at most once per process."""
    from core.backbones import DEFAULT_BACKBONE, get_backbone
    from core.insight.embeddings import embed_files

    backbone = backbone or DEFAULT_BACKBONE
    size = image_size or get_backbone(backbone).input_size
    key = (backbone, str(weights), size)

    def model() -> Any:
        if key not in _MODELS:
            from core.training.features import embedding_model

            _MODELS.clear()
            _MODELS[key] = embedding_model(backbone, weights, size)
        return _MODELS[key]

    def embed(files: Sequence[Path], sink: EventSink, cancel: threading.Event | None) -> Any:
        return embed_files(files, model, backbone, weights, size, sink, cancel)

    return embed


def suggest_labels(dataset: str | Path, unlabelled: str | Path, count: int = 20, strategy: str = DEFAULT_STRATEGY,
                   backbone: str | None = None, weights: Any = "imagenet", image_size: int | None = None,
                   skip: Sequence[str] = (), target: float = DEFAULT_TARGET, seed: int = 0,
                   sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                   embed: Embed | None = None) -> LabelSuggestions:
    """The next ``count`` images of ``unlabelled`` to label for ``dataset``, by ``strategy``; the
    estimate and the forecast of the labels so far. ``skip``: paths the user skipped (left out)."""
    check_label_folders(dataset, unlabelled)
    check_strategy(strategy)
    if count < 1:
        raise WordedValueError.of("label.ask_least_one_suggestion")
    embed = embed or backbone_embedder(backbone, weights, image_size)
    sink(Progress.of("label", 0, 1, "label.reading_folders"))
    class_names, labelled_files, labels, skipped = dataset_images(dataset)
    pool_files, pool_skipped = unlabelled_images(unlabelled, leave_out=dataset)
    skipped += pool_skipped
    embedded = embed(labelled_files + pool_files, sink, cancel)
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("Labelling cancelled.")
    every = labelled_files + pool_files
    kept = embedded.kept(len(every))
    skipped += [{"path": str(every[i]), "reason": reason} for i, reason in sorted(embedded.failures.items())]
    rows = np.asarray(embedded.embeddings, np.float32)
    hashes = list(embedded.hashes)
    in_dataset = np.asarray([i < len(labelled_files) for i in kept], bool)
    labelled_hashes = {h for h, inside in zip(hashes, in_dataset) if inside}
    left_out = {os.path.abspath(p) for p in skip}
    pool_rows = [r for r, i in enumerate(kept) if i >= len(labelled_files) and hashes[r] not in labelled_hashes
                 and os.path.abspath(every[i]) not in left_out]
    label_rows = np.flatnonzero(in_dataset)
    labels = labels[[kept[r] for r in label_rows]] if len(label_rows) else np.zeros(0, int)
    counts = {name: int(n) for name, n in zip(class_names, np.bincount(labels, minlength=len(class_names)))}
    sink(Progress.of("label", 0, 1, "label.ranking_unlabelled_images"))
    features = reduce_features(rows, seed=seed) if len(rows) else rows
    ready = bool(class_names) and has_model(labels, len(class_names))
    notes = []
    if len(class_names) < 2:
        notes.append("Add at least two classes (by name) to get suggestions of a class.")
    elif not ready:
        notes.append("Every class needs 2 labelled images before suggestions carry a class; until then the "
                     "queue is spread out over the unlabelled images.")
    suggestions: list[dict[str, Any]] = []
    predictions: list[dict[str, Any]] = []
    if pool_rows:
        ranking = rank_pool(features[pool_rows], features[label_rows], labels, max(len(class_names), 1),
                            count, strategy, seed)
        probabilities = ranking.probabilities
        for position, score in zip(ranking.order, ranking.scores):
            path = os.path.abspath(every[kept[pool_rows[position]]])
            entry: dict[str, Any] = {"path": path, "suggested": None, "probability": None, "score": round(float(score), 4)}
            if probabilities is not None:
                best = int(np.argmax(probabilities[position]))
                entry.update(suggested=class_names[best], probability=round(float(probabilities[position, best]), 4))
            suggestions.append(entry)
        if probabilities is not None:
            best = probabilities.argmax(axis=1)
            predictions = [{"path": os.path.abspath(every[kept[row]]), "suggested": class_names[int(k)],
                            "probability": round(float(probabilities[j, k]), 4)}
                           for j, (row, k) in enumerate(zip(pool_rows, best))]
    estimate = learning_estimate(features[label_rows], labels, seed) if ready else learning_estimate(
        np.zeros((0, 1)), np.zeros(0, int))
    per_class = float(np.mean(list(counts.values()))) if counts else 0.0
    outlook = forecast(estimate["curve"], per_class, target) if ready else {
        "target": target, "status": "unknown", "more_per_class": None, "a": None, "b": None,
        "text": "No forecast yet: every class needs 2 labelled images."}
    sink(Progress.of("label", 1, 1, "label.suggestions_ready"))
    return LabelSuggestions(os.path.abspath(Path(dataset).expanduser()), os.path.abspath(Path(unlabelled).expanduser()),
                            strategy, class_names, counts, suggestions, len(pool_rows), ready, estimate, outlook,
                            predictions, skipped, notes)


def forecast_plot(result: Any, words: Any) -> bytes:
    """The forecast picture (PNG bytes) of a suggestion's learning curve, drawn here in the engine:
    matplotlib holds the GIL for 100-150 ms a figure, which in the window's process read as stalls."""
    from core.insight.label_plot import forecast_png

    return forecast_png(result.estimate.get("curve", {}), result.forecast, words)


def assign_label(path: str | Path, dataset: str | Path, class_name: str, create: bool = False) -> Copied:
    """Copy the image ``path`` into ``dataset/class_name/`` (core.data.copy_in): the original stays."""
    return copy_into_class(path, dataset, class_name, create)


def undo_label(copied: Copied | dict[str, Any]) -> bool:
    """Remove the copy one assignment made, if unchanged (core.data.copy_in.undo_copy)."""
    return undo_copy(copied)


def add_label_class(dataset: str | Path, name: str) -> Path:
    """A new, empty class folder ``dataset/name`` (the name checked first)."""
    return add_class(dataset, name)
