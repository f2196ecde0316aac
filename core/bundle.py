"""Save and load a trained model bundle, atomically.

A bundle is a folder: model.keras (raw RGB 0-255 in, probabilities out), labels.json, config.json,
history.csv, metrics.json; an "embeddings + classifier" bundle (config.json "method": "svm" or
"logreg") also holds classifier.npz, checked against config.json and model.keras on load. It is
written into a temporary sibling folder and renamed into place, so a crash or a full disk mid-save
never leaves a half-written bundle or damages the previous one.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

MODEL_FILE = "model.keras"
LABELS_FILE = "labels.json"
CONFIG_FILE = "config.json"
HISTORY_FILE = "history.csv"
METRICS_FILE = "metrics.json"
REQUIRED_FILES = (MODEL_FILE, LABELS_FILE, CONFIG_FILE)


class BundleError(RuntimeError):
    """A bundle that is missing, incomplete or damaged; the message says which."""


@dataclass
class Bundle:
    path: Path
    model: Any
    class_names: list[str]
    config: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, str]] = field(default_factory=list)

    @property
    def image_size(self) -> int:
        return int(self.model.input_shape[1])

    @property
    def method(self) -> str:
        """"finetune" (also for bundles written before methods existed), "svm" or "logreg"."""
        return str(self.config.get("method", "finetune"))


def write_atomically(target: Path, fill: Callable[[Path], None]) -> Path:
    """Create a folder via ``fill(tmp_dir)`` and swap it into ``target``; the old one survives failures."""
    target = Path(target).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.saving-", dir=target.parent))
    backup = target.parent / f".{target.name}.previous"
    try:
        fill(tmp)
        if target.exists():
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(target, backup)
        try:
            os.replace(tmp, target)
        except OSError:
            if backup.exists():
                os.replace(backup, target)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)
    return target


def save_bundle(path: str | Path, model: Any, class_names: list[str] | tuple[str, ...], config: dict[str, Any],
                history: list[dict[str, Any]] | None = None, metrics: dict[str, Any] | None = None,
                extra_files: Callable[[Path], None] | None = None) -> Path:
    """Write a bundle; ``extra_files`` may add method-specific files (e.g. a classic classifier)."""

    def fill(folder: Path) -> None:
        model.save(folder / MODEL_FILE)
        (folder / LABELS_FILE).write_text(json.dumps(list(class_names), ensure_ascii=False, indent=1))
        (folder / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=1, default=str))
        (folder / METRICS_FILE).write_text(json.dumps(metrics or {}, ensure_ascii=False, indent=1, default=str))
        rows = history or []
        with open(folder / HISTORY_FILE, "w", newline="") as handle:
            fields = list(dict.fromkeys(key for row in rows for key in row)) or ["epoch"]
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        if extra_files is not None:
            extra_files(folder)

    return write_atomically(Path(path), fill)


def load_bundle(path: str | Path) -> Bundle:
    """Load with ``safe_mode=True``: a bundle can never run code it carries."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise BundleError(f"No model bundle at '{folder}' (expected a folder containing {MODEL_FILE}).")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise BundleError(f"'{folder}' is not a complete model bundle: missing {', '.join(missing)}.")
    try:
        class_names = json.loads((folder / LABELS_FILE).read_text())
        config = json.loads((folder / CONFIG_FILE).read_text())
        metrics_path = folder / METRICS_FILE
        metrics = json.loads(metrics_path.read_text()) if metrics_path.is_file() else {}
    except (ValueError, UnicodeDecodeError) as error:
        raise BundleError(f"The bundle '{folder}' is damaged ({error}).") from None
    if not isinstance(config, dict):
        raise BundleError(f"The bundle '{folder}' has a damaged {CONFIG_FILE}.")
    if not isinstance(class_names, list) or not all(isinstance(c, str) for c in class_names):
        raise BundleError(f"The bundle '{folder}' has a damaged {LABELS_FILE}.")
    from .model import keras

    try:
        model = keras.saving.load_model(folder / MODEL_FILE, safe_mode=True)
    except Exception as error:  # zip, h5 and deserialisation errors all mean "damaged model file"
        raise BundleError(f"The model file in '{folder}' could not be loaded ({_first_line(error)}).") from None
    if int(model.output_shape[-1]) != len(class_names):
        raise BundleError(f"The bundle '{folder}' is inconsistent: {len(class_names)} labels but the model "
                          f"has {model.output_shape[-1]} outputs.")
    if config.get("method", "finetune") != "finetune":
        from .classic import CLASSIC_METHODS, verify_classifier

        if config["method"] not in CLASSIC_METHODS:
            raise BundleError(f"The bundle '{folder}' uses an unknown method '{config['method']}'.")
        verify_classifier(folder, config, model, class_names)
    history = []
    if (folder / HISTORY_FILE).is_file():
        with open(folder / HISTORY_FILE, newline="") as handle:
            history = list(csv.DictReader(handle))
    return Bundle(folder, model, class_names, config, metrics, history)


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:200]
