"""A bundle's ``statistics.json``: what its validation images say about how sure it is (TensorFlow-free).

Written once after training, for every method, by :func:`core.jobs.train.save_training_result`
from :func:`core.stats.validation.validation_statistics` (the temperature, the conformal scores and
threshold, the confusion matrix the adjusted counts invert); read by the predictor
(core/bundles/predict.py), ``evaluate``, and the lab report, which must stay TensorFlow-free and so
reads it here rather than through core/bundles/bundle.py.

Like ``classifier.npz`` and ``familiarity.npz``, the file's SHA-256 is recorded in config.json
(``"statistics": {"file", "sha256", "version"}``) and checked on load, and the read is bounded.
Unlike the classifier it is an extra: a bundle without it (written before calibration existed) or
with a damaged one predicts as before, with raw probabilities, no prediction sets and the plain
note that it is uncalibrated (:data:`core.stats.validation.UNCALIBRATED_NOTE`), never a refusal.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
from pathlib import Path
from typing import Any

from core.messages import message
from core.stats.validation import UNCALIBRATED_NOTE, VERSION

STATISTICS_FILE = "statistics.json"
MAX_STATISTICS_BYTES = 16 << 20  # one score per validation image: a million images is ~10 MB
DAMAGED_NOTE = message("statistics.damaged")
log = logging.getLogger("finetune_studio.bundle")


def statistics_payload(record: dict[str, Any]) -> bytes:
    """The file's bytes: plain JSON, ASCII (any class name round-trips)."""
    return json.dumps(record, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def statistics_entry(payload: bytes) -> dict[str, Any]:
    """What config.json records of the file: its name, checksum and format version."""
    return {"file": STATISTICS_FILE, "sha256": hashlib.sha256(payload).hexdigest(), "version": VERSION}


def _check(record: Any, n_classes: int) -> dict[str, Any]:
    """The record if its parts have the shapes predict relies on; ValueError (with why) if not."""
    if not isinstance(record, dict) or int(record.get("version", 0)) > VERSION:
        raise ValueError("not a statistics record of a known version")
    temperature = float(record["calibration"]["temperature"])
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError("the temperature is not a positive number")
    floor = float(record["calibration"].get("floor", 0.0))  # absent before floors
    if not (math.isfinite(floor) and 0 <= floor < 1):
        raise ValueError("the calibration's floor is not between 0 and 1")
    matrix = record["confusion_matrix"]
    if len(matrix) != n_classes or any(len(row) != n_classes for row in matrix):
        raise ValueError(f"the confusion matrix is not {n_classes}x{n_classes}")
    conformal = record["conformal"]
    if not isinstance(conformal.get("scores"), list) or not 0 < float(conformal["coverage"]) < 1:
        raise ValueError("the prediction-set scores are missing")
    return record


def load_statistics(folder: str | Path, config: dict[str, Any], n_classes: int) -> tuple[dict[str, Any] | None, str | None]:
    """``(record, None)``, or ``(None, note)``: the note says why the probabilities are raw (an old
    bundle: :data:`UNCALIBRATED_NOTE`; a missing, altered or damaged file: :data:`DAMAGED_NOTE`, logged)."""
    entry = config.get("statistics")
    if not isinstance(entry, dict):
        return None, UNCALIBRATED_NOTE
    path = Path(folder) / STATISTICS_FILE
    try:
        with open(path, "rb") as stream:
            payload = stream.read(MAX_STATISTICS_BYTES + 1)
        if len(payload) > MAX_STATISTICS_BYTES:
            raise ValueError("larger than 16 MB")
        if hashlib.sha256(payload).hexdigest() != entry.get("sha256"):
            raise ValueError("checksum differs from config.json")
        return _check(json.loads(payload.decode("ascii")), n_classes), None
    except (OSError, ValueError, KeyError, TypeError, RecursionError, UnicodeDecodeError) as error:
        log.warning("Ignoring the calibration in %s: %s", folder, error)
        return None, DAMAGED_NOTE
