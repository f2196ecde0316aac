"""Confidence that means what it says: temperature scaling, its error measure and its diagram.

Why temperature scaling (Guo et al. 2017): one parameter T divides the logits, so the predicted class
never changes (accuracy is untouched) and a few dozen validation images are enough to fit it without
over-fitting, where histogram binning or isotonic regression need hundreds per class. T > 1 softens
an over-confident network, T < 1 sharpens an under-confident one.

The method's equivalent for methods without logits (SVM, logistic regression, anything that gives only
``predict_proba``): fit the same T on the log-probabilities. softmax(log p / T) = p^(1/T) / sum p^(1/T),
a power transform of the probabilities that keeps their order; for a softmax model it is exactly
temperature scaling, because log p differs from the logits only by a constant per image, which the
softmax ignores. :func:`as_logits` makes that input.

T is fitted by minimising the validation negative log-likelihood over log T (SciPy's bounded Brent
search): optimising log T keeps T positive and makes the search symmetric between sharpening and
softening. T is kept within [1/20, 20] (``at_bound`` says when the fit stopped at a limit). When the
model gets every validation image right the NLL keeps falling as T -> 0, so the "optimum" would make
every future answer 100 % sure; there is no error to calibrate against, so T stays 1 and the result
says so (``note``) rather than sharpening on no evidence. This is common on small lab sets.

The expected calibration error is the usual top-label ECE with 15 equal-width confidence bins:
sum over bins of (images in bin / all images) x |accuracy in bin - mean confidence in bin|.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

BINS = 15
T_LIMITS = (1 / 20, 20.0)
EPS = 1e-300  # only exact zeros are lifted: a larger floor would change what the model said


def as_logits(probabilities: np.ndarray) -> np.ndarray:
    """Log-probabilities, the logits' stand-in for methods that give only probabilities (see module doc)."""
    return np.log(np.clip(np.asarray(probabilities, np.float64), EPS, 1.0))


def apply_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T): the calibrated probabilities (rows sum to 1; the top class is unchanged)."""
    return np.exp(log_softmax(np.asarray(logits, np.float64) / float(temperature), axis=1))


def calibrate_probabilities(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Apply a temperature fitted by :func:`fit_temperature` on :func:`as_logits` of probabilities."""
    return apply_temperature(as_logits(probabilities), temperature)


def negative_log_likelihood(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0) -> float:
    """Mean NLL of the true labels under softmax(logits / T)."""
    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels, np.int64)
    return float(-log_softmax(logits / temperature, axis=1)[np.arange(len(labels)), labels].mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """The T minimising validation NLL. Returns ``{"temperature", "nll_before", "nll_after", "n",
    "at_bound", "note"}``; ``note`` is None or the plain reason T was left at 1.

    No images, or no validation image wrong: T = 1 (nothing to learn from; see the module doc).
    """
    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels, np.int64)
    if len(labels) == 0:
        return {"temperature": 1.0, "nll_before": None, "nll_after": None, "n": 0, "at_bound": False,
                "note": "No validation images: the probabilities are not calibrated."}
    if (logits.argmax(axis=1) == labels).all():
        nll = negative_log_likelihood(logits, labels)
        return {"temperature": 1.0, "nll_before": nll, "nll_after": nll, "n": int(len(labels)), "at_bound": False,
                "note": "Every validation image was classified right, so there is no error to calibrate "
                        "against: the probabilities are left as the model gives them."}
    low, high = math.log(T_LIMITS[0]), math.log(T_LIMITS[1])
    found = minimize_scalar(lambda log_t: negative_log_likelihood(logits, labels, math.exp(log_t)),
                            bounds=(low, high), method="bounded", options={"xatol": 1e-6})
    temperature = math.exp(float(found.x))
    at_bound = min(abs(found.x - low), abs(found.x - high)) < 1e-3
    return {"temperature": temperature, "nll_before": negative_log_likelihood(logits, labels),
            "nll_after": negative_log_likelihood(logits, labels, temperature), "n": int(len(labels)),
            "at_bound": bool(at_bound), "note": None}


def reliability_diagram(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> list[dict[str, Any]]:
    """One row per equal-width confidence bin: ``lower``, ``upper``, ``confidence`` (mean top probability),
    ``accuracy`` (fraction right) and ``count``; empty bins have None for both means, so a plot skips them."""
    probs = np.asarray(probabilities, np.float64)
    labels = np.asarray(labels, np.int64)
    confidence = probs.max(axis=1) if len(probs) else np.zeros(0)
    correct = probs.argmax(axis=1) == labels if len(probs) else np.zeros(0, bool)
    edges = np.linspace(0.0, 1.0, bins + 1)
    # right-closed bins, (lower, upper], as in Guo et al.; a confidence of exactly 0 falls in the first
    which = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        inside = which == b
        count = int(inside.sum())
        rows.append({"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": count,
                     "confidence": float(confidence[inside].mean()) if count else None,
                     "accuracy": float(correct[inside].mean()) if count else None})
    return rows


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> float | None:
    """Top-label ECE over equal-width bins (see the module doc); None without images."""
    rows = reliability_diagram(probabilities, labels, bins)
    total = sum(row["count"] for row in rows)
    if not total:
        return None
    return float(sum(row["count"] / total * abs(row["accuracy"] - row["confidence"]) for row in rows if row["count"]))


def calibration_summary(scores: np.ndarray, labels: np.ndarray, from_logits: bool = False,
                        bins: int = BINS) -> dict[str, Any]:
    """Fit T on validation ``scores`` (logits, or probabilities when ``from_logits`` is False) and report
    ECE and reliability before and after: what the bundle stores (``temperature``, ``input``, ``n``)
    and ``evaluate`` and the report show. ``input`` says which the temperature applies to:
    "logits" -> :func:`apply_temperature`, "log_probabilities" -> :func:`calibrate_probabilities`."""
    logits = np.asarray(scores, np.float64) if from_logits else as_logits(scores)
    labels = np.asarray(labels, np.int64)
    fit = fit_temperature(logits, labels)
    before = apply_temperature(logits, 1.0)
    after = apply_temperature(logits, fit["temperature"])
    return {**fit, "input": "logits" if from_logits else "log_probabilities", "bins": bins,
            "ece_before": expected_calibration_error(before, labels, bins),
            "ece_after": expected_calibration_error(after, labels, bins),
            "reliability_before": reliability_diagram(before, labels, bins),
            "reliability_after": reliability_diagram(after, labels, bins)}
