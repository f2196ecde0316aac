"""Calibration: a known temperature recovered, ECE near 0 for a calibrated model, hand-worked ECE."""
from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.special import softmax

from core.stats.calibration import (apply_calibration, apply_temperature, as_logits, calibrate_probabilities,
                                    calibration_summary, expected_calibration_error, fit_temperature,
                                    reliability_diagram, with_floor, without_floor)


def _synthetic(n: int, classes: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Logits z of a perfectly calibrated model: each label is drawn from softmax(z)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 2.0, size=(n, classes))
    p = softmax(z, axis=1)
    labels = (rng.random((n, 1)) > p.cumsum(axis=1)).sum(axis=1)
    return z, labels


@pytest.mark.parametrize("true_t", [0.5, 2.5])
def test_temperature_recovered(true_t: float) -> None:
    z, labels = _synthetic(6000)
    shown = z * true_t  # an over- (T = 2.5) or under-confident (T = 0.5) model's logits
    fit = fit_temperature(shown, labels)
    assert fit["temperature"] == pytest.approx(true_t, rel=0.05)  # shown / T is the calibrated z again
    assert fit["nll_after"] < fit["nll_before"] and not fit["at_bound"]
    assert fit["floor"] == 0.0  # no sure mistakes beyond what the temperature explains: plain temperature scaling


def _noisy(n: int, floor: float, classes: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels from (1 - floor) softmax(z) + floor / C: a model whose sure answers are wrong at a fixed
    rate whatever its logits say (a share of the images it cannot know about), as real models have."""
    z, labels = _synthetic(n, classes, seed)
    rng = np.random.default_rng(seed + 100)
    noise = rng.random(n) < floor
    labels[noise] = rng.integers(0, classes, noise.sum())
    return z, labels


def test_a_floor_and_a_temperature_are_recovered_together_and_calibrate_where_a_temperature_cannot() -> None:
    z, labels = _noisy(6000, 0.08)
    shown = 2.0 * z  # over-confident (T = 2) and sure of answers that are noise 8 % of the time
    fit = fit_temperature(shown, labels)
    assert fit["floor"] == pytest.approx(0.08, abs=0.02) and fit["temperature"] == pytest.approx(2.0, rel=0.1)
    alone = fit_temperature(shown, labels, fit_floor=False)  # what temperature scaling alone makes of it
    assert alone["floor"] == 0.0 and alone["temperature"] > fit["temperature"] * 1.1  # it softens to pay for the noise
    z2, labels2 = _noisy(20000, 0.08, seed=7)  # new images from the same model
    with_both, temperature_only = apply_calibration(2.0 * z2, fit), apply_calibration(2.0 * z2, alone)
    assert expected_calibration_error(with_both, labels2) < 0.015 < expected_calibration_error(temperature_only, labels2)
    assert (with_both.argmax(axis=1) == z2.argmax(axis=1)).all()  # the predicted class is the model's
    assert np.allclose(with_both.sum(axis=1), 1.0) and with_both.max() <= 1 - 0.8 * fit["floor"] + 1e-12


def test_the_floor_undone_gives_the_temperatures_probabilities_and_an_old_record_has_none() -> None:
    p = apply_temperature(np.array([[3.0, 0.0, -1.0], [0.0, 0.2, 0.1]]), 0.7)
    assert np.allclose(without_floor(with_floor(p, 0.05), 0.05), p)
    assert with_floor(p, 0.0) is not None and np.allclose(with_floor(p, 0.0), p)
    old = {"temperature": 0.7}  # statistics.json written before floors
    assert np.allclose(apply_calibration(np.log(p), old), apply_temperature(np.log(p), 0.7))
    assert np.allclose(calibrate_probabilities(p, 1.0, 0.05), with_floor(p, 0.05))


def test_ece_of_a_calibrated_model_is_near_zero() -> None:
    z, labels = _synthetic(20000, seed=1)
    assert expected_calibration_error(softmax(z, axis=1), labels) < 0.015
    over = softmax(3 * z, axis=1)  # the same model made over-confident
    assert expected_calibration_error(over, labels) > 0.1


def test_summary_calibrates_an_over_confident_model_both_ways() -> None:
    z, labels = _synthetic(4000, seed=2)
    logits = 3 * z
    summary = calibration_summary(logits, labels, from_logits=True)
    assert summary["temperature"] == pytest.approx(3.0, rel=0.05) and summary["input"] == "logits"
    assert summary["ece_before"] > 0.1 and summary["ece_after"] < 0.03
    # a method with only probabilities (SVM, logistic regression): the same T on log-probabilities
    probs = softmax(logits, axis=1)
    from_probs = calibration_summary(probs, labels)
    assert from_probs["input"] == "log_probabilities"
    assert from_probs["temperature"] == pytest.approx(summary["temperature"], rel=1e-3)
    calibrated = calibrate_probabilities(probs, from_probs["temperature"])
    assert np.allclose(calibrated, apply_temperature(logits, from_probs["temperature"]), atol=1e-6)
    assert (calibrated.argmax(axis=1) == probs.argmax(axis=1)).all()  # accuracy untouched
    assert sum(row["count"] for row in summary["reliability_after"]) == 4000
    json.dumps(summary)  # bundle / metrics material


def test_hand_worked_ece_and_diagram() -> None:
    # ten images at 0.9 confidence, 8 right: one bin, |0.8 - 0.9| = 0.1;
    # plus ten at 0.6, 6 right: a calibrated bin. ECE = 0.5 * 0.1 + 0.5 * 0 = 0.05
    probs = np.array([[0.9, 0.1]] * 10 + [[0.6, 0.4]] * 10)
    labels = np.array([0] * 8 + [1] * 2 + [0] * 6 + [1] * 4)
    assert expected_calibration_error(probs, labels) == pytest.approx(0.05)
    rows = reliability_diagram(probs, labels)
    assert len(rows) == 15 and rows[0]["lower"] == 0.0 and rows[-1]["upper"] == 1.0
    full = [row for row in rows if row["count"]]
    assert [(r["count"], r["confidence"], r["accuracy"]) for r in full] == [
        (10, pytest.approx(0.6), pytest.approx(0.6)), (10, pytest.approx(0.9), pytest.approx(0.8))]
    assert rows[-1]["count"] == 0 and rows[-1]["accuracy"] is None
    assert expected_calibration_error(np.zeros((0, 2)), np.zeros(0)) is None


def test_no_images_and_a_perfect_validation_set() -> None:
    assert fit_temperature(np.zeros((0, 3)), np.zeros(0))["temperature"] == 1.0
    # every image right: the NLL optimum would run to T -> 0 (every answer 100 % sure); T stays 1, said plainly
    logits = np.array([[5.0, 0.0], [0.0, 5.0]] * 10)
    fit = fit_temperature(logits, np.array([0, 1] * 10))
    assert fit["temperature"] == 1.0 and "no error to calibrate" in fit["note"]
    # one mistake among them: a real fit, sharper than 1 but finite
    wrong = fit_temperature(logits, np.array([1] + [1] + [0, 1] * 9))
    assert wrong["note"] is None and 0.05 < wrong["temperature"] < 20 and not wrong["at_bound"]
    assert np.allclose(as_logits(np.array([[1.0, 0.0]])), [[0.0, np.log(1e-300)]])
