"""What a report describes, read from a bundle folder or a run record, without loading the model.

The bundle's files are read directly (config.json, labels.json, history.csv, metrics.json and the
exports list), bounded in size like core/bundles/bundle.py reads them, but without that module: it
reaches Keras when it loads a model, and the report must stay TensorFlow-free. A run record (the
run store's ``RunRecord``, duck-typed) brings its configuration, history and metrics; when its
bundle still exists, the bundle's split and freeze point complete it.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.bundles.export_record import existing_exports
from core.errors import ReportError
from core.files import read_bounded

MAX_JSON_BYTES = 16 << 20
BUNDLE_FILES = ("model.keras", "labels.json", "config.json")


@dataclass
class ReportSource:
    title: str
    train: dict[str, Any]  # TrainConfig.to_json()'s form
    class_names: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, Any] = field(default_factory=dict)
    freeze: dict[str, Any] | None = None  # {"frozen_layers", "total_layers", "cut_layer"}
    image_size: int | None = None
    split: dict[str, list[str]] | None = None  # {"train": [paths], "val": [paths]}
    best_epoch: int | None = None
    cancelled: bool = False
    classifier: dict[str, Any] | None = None  # embeddings methods: config.json's "classifier"
    exports: list[dict[str, Any]] = field(default_factory=list)  # those still there
    exports_gone: list[dict[str, Any]] = field(default_factory=list)  # recorded, no longer there
    bundle: str | None = None
    run: dict[str, Any] | None = None  # {"id", "status", "started", "ended"} for a recorded run
    auto: dict[str, Any] | None = None  # chosen by Auto: config.json's "auto" (the choice and the leaderboard)
    counts: list[dict[str, Any]] | None = None  # a --summary counts CSV (core.stats.counts rows), when given
    counts_file: str | None = None

    @property
    def method(self) -> str:
        return str(self.metrics.get("method") or self.train.get("method") or "finetune")

    @property
    def evaluation(self) -> dict[str, Any]:
        value = self.metrics.get("evaluation")
        return value if isinstance(value, dict) else {}


def is_bundle_folder(path: str | Path) -> bool:
    path = Path(path)
    return path.is_dir() and all((path / name).is_file() for name in BUNDLE_FILES)


def _read_json(path: Path) -> Any:
    try:
        raw = read_bounded(path, MAX_JSON_BYTES)  # a regular file, bounded: never a pipe or /dev/zero
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise ReportError.of("source.bundle_file_could_not", path=path, error=error) from None


def _read_history(path: Path) -> list[dict[str, Any]]:
    """history.csv's rows with numbers as numbers; [] when it is missing or damaged (the report says so)."""
    try:
        text = read_bounded(path, MAX_JSON_BYTES).decode("utf-8", errors="replace")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except (OSError, ValueError, csv.Error):  # RefusedFile (a pipe, a device, too large) is a ValueError
        return []
    return [{key: _number(value) for key, value in row.items() if key is not None} for row in rows]


def _number(value: Any) -> Any:
    try:
        return int(value) if str(value).isdigit() else float(value)
    except (TypeError, ValueError):
        return value


def from_bundle(folder: str | Path) -> ReportSource:
    """A bundle folder written by ``train`` or the window (also an embeddings + classifier bundle)."""
    folder = Path(folder).expanduser()
    if not is_bundle_folder(folder):
        raise ReportError.of("source.not_model_bundle_folder", folder=folder, BUNDLE_FILES=', '.join(BUNDLE_FILES))
    config = _read_json(folder / "config.json")
    labels = _read_json(folder / "labels.json")
    if not isinstance(config, dict) or not isinstance(labels, list):
        raise ReportError.of("source.bundle_damaged_config_json", folder=folder)
    metrics = _read_json(folder / "metrics.json") if (folder / "metrics.json").is_file() else {}
    train = dict(config.get("train") or {})
    train.setdefault("method", config.get("method", "finetune"))
    exports, gone = existing_exports(folder)
    return ReportSource(
        title=folder.name, train=train, class_names=[str(name) for name in labels],
        history=_read_history(folder / "history.csv"), metrics=metrics if isinstance(metrics, dict) else {},
        versions=dict(config.get("versions") or {}), freeze=config.get("freeze"), image_size=config.get("image_size"),
        split=config.get("split"), best_epoch=config.get("best_epoch"), cancelled=bool(config.get("cancelled")),
        classifier=config.get("classifier"), exports=exports, exports_gone=gone, bundle=str(folder),
        auto=config.get("auto") if isinstance(config.get("auto"), dict) else None)


def from_run(record: Any) -> ReportSource:
    """A run store record (core/runs/store.py's RunRecord, or anything with its fields)."""
    bundle = getattr(record, "bundle", None)
    if bundle and is_bundle_folder(bundle):
        source = from_bundle(bundle)
    else:
        evaluation = (getattr(record, "metrics", None) or {}).get("evaluation") or {}
        source = ReportSource(title="", train={}, class_names=list(evaluation.get("class_names") or []))
    config = dict(getattr(record, "config", None) or {})
    source.train = {**source.train, **config} if config else source.train
    source.history = list(getattr(record, "history", None) or source.history)
    source.metrics = dict(getattr(record, "metrics", None) or source.metrics)
    source.versions = dict(getattr(record, "versions", None) or source.versions)
    if source.best_epoch is None:
        source.best_epoch = source.metrics.get("best_epoch")
    source.title = f"run {record.id}"
    source.run = {key: getattr(record, key, None) for key in ("id", "status", "started", "ended", "error")}
    if getattr(record, "data_dir", None) and not source.train.get("data_dir"):
        source.train["data_dir"] = record.data_dir
    return source


def class_of(path: str, class_names: set[str], roots: list[str]) -> str | None:
    """The class folder of an image path: its first folder below a data root, else the nearest
    ancestor named like a class."""
    candidate = Path(path)
    for root in roots:
        try:
            first = candidate.relative_to(root).parts[0]
        except (ValueError, IndexError):
            continue
        if first in class_names:
            return first
    for parent in candidate.parents:
        if parent.name in class_names:
            return parent.name
    return None


def dataset_rows(source: ReportSource) -> list[tuple[str, int | None, int | None]]:
    """(class, training images, validation images) per class; None where the source cannot say."""
    names = set(source.class_names)
    roots = [str(Path(p).expanduser().resolve()) for p in (source.train.get("data_dir"), source.train.get("val_dir")) if p]
    counts = {name: [0, 0] for name in source.class_names}
    if source.split:
        for column, part in enumerate(("train", "val")):
            for path in source.split.get(part) or []:
                name = class_of(str(path), names, roots)
                if name is not None:
                    counts[name][column] += 1
        return [(name, counts[name][0], counts[name][1]) for name in source.class_names]
    support = {row.get("class"): row.get("support") for row in source.evaluation.get("per_class") or []}
    return [(name, None, support.get(name)) for name in source.class_names]


def recorded_images(source: ReportSource) -> Callable[[str], bool]:
    """Whether an image path may be shown in the report: its real path (links resolved) lies under
    the real path of a data folder the model records (``data_dir``, ``val_dir``).

    Why: ``metrics.json`` is a file anyone can edit or send; a "hardest example" naming
    ``~/.ssh/id_rsa.png`` or a private photo must not be embedded in a report that is mailed
    around. No recorded folder: nothing is shown."""
    roots = [Path(os.path.realpath(Path(str(folder)).expanduser()))
             for folder in (source.train.get("data_dir"), source.train.get("val_dir")) if folder]

    def allowed(path: str) -> bool:
        if not path:
            return False
        real = Path(os.path.realpath(Path(path).expanduser()))
        return any(real.is_relative_to(root) for root in roots)

    return allowed
