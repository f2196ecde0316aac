"""Prediction sets: the promised coverage on fresh samples, the small-validation refusal, the stored record."""
from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import softmax

from core.stats.conformal import (ConformalThreshold, conformal_scores, fit_conformal, minimum_validation_images,
                                  prediction_sets, set_coverage, threshold_from_scores)


def _problem(rng: np.random.Generator, n: int, classes: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """True class drawn from softmax(z); the model reports softmax(3z): over-confident, as fine-tuned nets are."""
    z = rng.normal(0.0, 1.5, size=(n, classes))
    truth = softmax(z, axis=1)
    labels = (rng.random((n, 1)) > truth.cumsum(axis=1)).sum(axis=1)
    return softmax(3 * z, axis=1), labels


def test_sets_cover_ninety_percent_of_fresh_samples() -> None:
    coverages, sizes = [], []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        val_probs, val_labels = _problem(rng, 300)
        threshold = fit_conformal(val_probs, val_labels, 0.90)
        assert threshold.ok and threshold.n == 300
        probs, labels = _problem(rng, 2000)
        sets = prediction_sets(probs, threshold)
        coverages.append(set_coverage(sets, labels))
        sizes.append(np.mean([len(s) for s in sets]))
    assert 0.87 <= np.mean(coverages) <= 0.93, coverages
    assert 1.0 < np.mean(sizes) < 6.0  # neither a single guess nor every class


def test_hand_worked_threshold() -> None:
    # 9 validation images, coverage 0.9: rank ceil(10 * 0.9) = 9, the largest score
    probs = np.array([[p, 1 - p] for p in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.3)])
    threshold = fit_conformal(probs, [0] * 9, 0.9)
    assert threshold.ok and threshold.threshold == pytest.approx(0.3)
    assert prediction_sets(np.array([[0.8, 0.2], [0.55, 0.45], [0.25, 0.75]]), threshold) == [[0], [0, 1], [1]]
    # an image no class reaches: the top class alone, never an empty set
    assert prediction_sets(np.array([[0.5, 0.5], [0.3, 0.7]]), ConformalThreshold(0.9, 0.5, 19)) == [[0], [1]]


def test_too_few_validation_images_say_so() -> None:
    assert minimum_validation_images(0.90) == 9 and minimum_validation_images(0.95) == 19
    assert minimum_validation_images(0.80) == 4
    probs = np.array([[0.9, 0.1]] * 8)
    threshold = fit_conformal(probs, [0] * 8, 0.90)
    assert not threshold.ok and threshold.threshold is None
    assert "at least 9 validation images" in threshold.message and "has 8" in threshold.message
    with pytest.raises(ValueError, match="at least 9"):
        prediction_sets(probs, threshold)
    assert fit_conformal(probs, [0] * 8, 0.80).ok  # a lower coverage is within reach
    with pytest.raises(ValueError):
        fit_conformal(probs, [0] * 8, 1.0)


def test_stored_record_round_trips_and_other_coverages_come_from_the_scores() -> None:
    rng = np.random.default_rng(3)
    probs, labels = _problem(rng, 200)
    scores = conformal_scores(probs, labels)
    record = json.loads(json.dumps(fit_conformal(probs, labels).to_dict()))
    assert ConformalThreshold.from_dict(record) == fit_conformal(probs, labels)
    assert record["method"] == "lac" and record["coverage"] == 0.9 and record["n"] == 200
    loose, tight = threshold_from_scores(scores.tolist(), 0.8), threshold_from_scores(scores.tolist(), 0.95)
    assert loose.threshold > tight.threshold  # higher coverage: a lower bar, larger sets
