"""What a bundle keeps from its validation images, and how predict uses it: one record, two functions.

:func:`validation_statistics` runs once after training (every method, Auto included) on the kept
model's validation probabilities (or logits) and returns a JSON-ready record for the bundle: the
accuracy with its interval, the temperature, the conformal scores and threshold, and the confusion
matrix that the adjusted counts invert. :func:`use_statistics` applies it to new images' probabilities.

Order matters, and is fixed here so no caller gets it wrong: the temperature is fitted first and the
conformal threshold is fitted on the *calibrated* probabilities, because those are what predict shows
and sets are built from; a threshold fitted on raw probabilities would not match them.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from core.messages import message
from core.stats.calibration import apply_calibration, as_logits, calibration_summary
from core.stats.conformal import COVERAGE, ConformalThreshold, conformal_scores, prediction_sets, threshold_from_scores
from core.stats.intervals import accuracy_summary
from core.stats.label_shift import validation_replicates

VERSION = 1
UNCALIBRATED_NOTE = message("statistics.uncalibrated")


def validation_statistics(scores: np.ndarray, labels: Sequence[int], class_names: Sequence[str],
                          from_logits: bool = False, coverage: float = COVERAGE) -> dict[str, Any]:
    """The bundle's record from validation ``scores`` ((N, C) probabilities, or logits with ``from_logits``).

    Keys: ``version``, ``accuracy`` (:func:`core.stats.intervals.accuracy_summary`), ``calibration``
    (:func:`core.stats.calibration.calibration_summary`: temperature, input, ECE before/after, reliability),
    ``conformal`` (threshold record for ``coverage`` plus the sorted ``scores`` for any other coverage),
    ``confusion_matrix`` (rows true, columns predicted: what :func:`core.stats.counts.folder_summary` needs),
    ``label_shift`` (:func:`core.stats.label_shift.validation_replicates`: the adjusted counts' EM and its
    bootstrap of the calibration; None without validation errors, and absent in older bundles).
    """
    scores = np.asarray(scores, np.float64)
    labels = np.asarray(labels, np.int64)
    c = len(class_names)
    predicted = scores.argmax(axis=1) if len(labels) else np.zeros(0, np.int64)
    support = np.bincount(labels, minlength=c)
    calibration = calibration_summary(scores, labels, from_logits=from_logits)
    logits = scores if from_logits else as_logits(scores)
    calibrated = apply_calibration(logits, calibration) if len(labels) else np.zeros((0, c))
    nonconformity = conformal_scores(calibrated, labels)
    confusion = np.zeros((c, c), np.int64)
    np.add.at(confusion, (labels, predicted), 1)
    return {"version": VERSION,
            "accuracy": accuracy_summary(int(np.sum(predicted == labels)), int(len(labels)),
                                         {name: int(support[i]) for i, name in enumerate(class_names)}),
            "calibration": calibration,
            "conformal": {**threshold_from_scores(nonconformity, coverage).to_dict(),
                          "scores": [round(float(s), 6) for s in nonconformity]},
            "confusion_matrix": confusion.tolist(),
            "label_shift": validation_replicates(logits, labels, c, calibration["temperature"],
                                                 floor=calibration["floor"])}


def use_statistics(probabilities: np.ndarray, record: dict[str, Any] | None,
                   coverage: float | None = None) -> dict[str, Any]:
    """Calibrated probabilities and prediction sets for new images, from a bundle's record.

    Returns ``{"probabilities", "sets" (lists of class indices, or None), "calibrated" (bool),
    "message" (None, or why there are no sets / no calibration)}``. ``record`` None (an old bundle):
    the probabilities as given, no sets, and the note that the model is uncalibrated.
    ``coverage`` None uses the stored threshold; another value recomputes it from the stored scores.
    The probabilities must be the model's own (softmax or predict_proba): the temperature is applied
    to their logarithm, which for a softmax model is the logits up to a constant (see calibration).
    """
    probs = np.asarray(probabilities, np.float64)
    if not record:
        return {"probabilities": probs, "sets": None, "calibrated": False, "message": UNCALIBRATED_NOTE}
    calibration = record["calibration"]
    calibrated = apply_calibration(as_logits(probs), calibration) if len(probs) else probs
    stored = record["conformal"]
    threshold = (ConformalThreshold.from_dict({k: v for k, v in stored.items() if k != "scores"})
                 if coverage is None or coverage == stored["coverage"]
                 else threshold_from_scores(stored["scores"], coverage))
    sets = prediction_sets(calibrated, threshold) if threshold.ok else None
    return {"probabilities": calibrated, "sets": sets, "calibrated": True,
            "message": None if threshold.ok else threshold.message}
