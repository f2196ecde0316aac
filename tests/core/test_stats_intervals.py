"""Intervals: Wilson against SciPy and hand-worked cases; the CV spread; the rough-number rule; the words."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

from core.stats.intervals import (accuracy_summary, cv_interval, format_accuracy, thin_evidence,
                                  wilson_interval)


@pytest.mark.parametrize("k,n", [(92, 100), (0, 10), (10, 10), (56, 56), (1, 2), (37, 41), (3, 1000)])
def test_wilson_equals_scipy(k: int, n: int) -> None:
    expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((expected.low, expected.high), abs=1e-12)


def test_wilson_known_cases() -> None:
    # 92/100 worked by hand: centre 0.90446, half-width 0.05444 (z = 1.959964)
    assert wilson_interval(92, 100) == pytest.approx((0.8500, 0.9589), abs=1e-4)
    assert wilson_interval(0, 20) == (0.0, pytest.approx(0.16113, abs=1e-4))  # never zero-width, unlike Wald
    low, high = wilson_interval(20, 20)
    assert high == 1.0 and low == pytest.approx(0.83887, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    lows, highs = wilson_interval(np.array([92, 0, 5]), np.array([100, 10, 5]))  # vectorised, as counts uses it
    assert lows[0] == pytest.approx(0.8500, abs=1e-4) and lows[1] == 0.0 and highs[2] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_wilson_covers_95_percent() -> None:
    """The coverage property itself: over many simulated splits the interval holds the truth ~95 %."""
    rng = np.random.default_rng(0)
    n, p = 60, 0.85
    k = rng.binomial(n, p, size=20000)
    low, high = wilson_interval(k, np.full_like(k, n))
    assert 0.93 <= np.mean((low <= p) & (p <= high)) <= 0.97


def test_cv_interval_corrects_for_overlapping_folds() -> None:
    scores = [0.90, 0.92, 0.88, 0.91, 0.89, 0.93, 0.90, 0.87, 0.92, 0.88]  # 5-fold x 2 repeats
    result = cv_interval(scores, folds=5)
    s, mean = np.std(scores, ddof=1), np.mean(scores)
    from scipy.stats import t
    half = t.ppf(0.975, 9) * np.sqrt((1 / 10 + 1 / 4) * s ** 2)  # Nadeau-Bengio: n_test/n_train = 1/4
    assert result["mean"] == pytest.approx(mean)
    assert (result["low"], result["high"]) == pytest.approx((mean - half, mean + half))
    naive = t.ppf(0.975, 9) * s / np.sqrt(10)
    assert result["high"] - result["low"] > 1.8 * 2 * naive  # wider than the naive t-interval
    # adding repeats does not shrink the interval towards zero
    many = cv_interval(scores * 10, folds=5)  # the naive interval would shrink 3.3-fold here
    assert many["high"] - many["low"] > 0.7 * 2 * half
    assert cv_interval([1.0, 1.0, 0.9], folds=3)["high"] == 1.0
    assert cv_interval([0.8], folds=5)["low"] == 0.0
    with pytest.raises(ValueError):
        cv_interval([], folds=5)


def test_thin_evidence() -> None:
    assert thin_evidence({"a": 30, "b": 45}) is False
    assert thin_evidence({"a": 29, "b": 45}) is True
    assert thin_evidence([100, 3]) is True


def test_one_formatter() -> None:
    assert format_accuracy(0.92, 0.8500, 0.9589, 100) == "92 % (85-96 %) on 100 validation images"
    assert format_accuracy(1.0, 0.936, 1.0, 1, "test image") == "100 % (94-100 %) on 1 test image"
    assert format_accuracy(0.9, 0.85, 0.95, 400, "training image", "(5-fold cross-validation)") == \
        "90 % (85-95 %) on 400 training images (5-fold cross-validation)"
    assert format_accuracy(None, None, None, 0) == "no accuracy: 0 validation images"
    # "100 %" only when every image was right, "0 %" only when none was
    assert format_accuracy(199 / 200, 0.97, 0.9991, 200) == "99.5 % (97-99.9 %) on 200 validation images"
    assert format_accuracy(0.0004, 0.0, 0.002, 2500).startswith("0.1 % (0-0.2 %)")


def test_accuracy_summary() -> None:
    summary = accuracy_summary(92, 100, {"cat": 50, "dog": 50})
    assert summary["accuracy"] == 0.92 and summary["accuracy_ci"] == pytest.approx([0.8500, 0.9589], abs=1e-4)
    assert summary["thin_evidence"] is False and summary["note"] is None
    assert summary["text"] == "92 % (85-96 %) on 100 validation images"
    rough = accuracy_summary(56, 56, {"red": 19, "green": 19, "blue": 18})
    assert rough["thin_evidence"] is True and "red, green, blue" in rough["note"] and "rough" in rough["note"]
    assert rough["accuracy_ci"][1] == 1.0
    assert accuracy_summary(0, 0)["accuracy_ci"] is None
    import json
    json.dumps(summary)
