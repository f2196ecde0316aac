"""The bundle's statistics record: fitted in the right order, JSON-safe, and used the same way at predict time."""
from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import softmax

from core.stats.calibration import expected_calibration_error
from core.stats.conformal import set_coverage
from core.stats.validation import UNCALIBRATED_NOTE, use_statistics, validation_statistics


def _problem(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    z = rng.normal(0.0, 1.5, size=(n, 4))
    labels = (rng.random((n, 1)) > softmax(z, axis=1).cumsum(axis=1)).sum(axis=1)
    return softmax(3 * z, axis=1), labels  # an over-confident model's probabilities


def test_record_calibrates_then_builds_sets() -> None:
    rng = np.random.default_rng(5)
    probs, labels = _problem(rng, 1500)
    record = json.loads(json.dumps(validation_statistics(probs, labels, ["a", "b", "c", "d"])))  # what the bundle keeps
    assert record["calibration"]["temperature"] == pytest.approx(3.0, rel=0.08)
    assert record["accuracy"]["accuracy_ci"][0] < record["accuracy"]["accuracy"] < record["accuracy"]["accuracy_ci"][1]
    assert np.asarray(record["confusion_matrix"]).sum() == 1500 and len(record["conformal"]["scores"]) == 1500
    fresh, fresh_labels = _problem(rng, 10000)  # many: the ECE estimate itself is noisy (~0.02 at 3000)
    used = use_statistics(fresh, record)
    assert used["calibrated"] and used["message"] is None
    assert expected_calibration_error(used["probabilities"], fresh_labels) < 0.03 < \
        expected_calibration_error(fresh, fresh_labels)
    assert 0.87 <= set_coverage(used["sets"], fresh_labels) <= 0.93
    wider = use_statistics(fresh, record, coverage=0.97)  # another coverage, from the stored scores
    assert set_coverage(wider["sets"], fresh_labels) > 0.95


def test_old_bundle_and_too_few_images() -> None:
    probs = np.array([[0.7, 0.3], [0.4, 0.6]])
    old = use_statistics(probs, None)
    assert old["sets"] is None and old["message"] == UNCALIBRATED_NOTE and np.allclose(old["probabilities"], probs)
    record = validation_statistics(np.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]), [0, 1, 1], ["x", "y"])
    assert record["conformal"]["ok"] is False
    used = use_statistics(probs, record)
    assert used["sets"] is None and "at least 9 validation images" in used["message"]
    assert record["accuracy"]["thin_evidence"] is True
