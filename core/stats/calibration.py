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

A floor beside the temperature, when the validation images call for it: (1 - f) softmax(z / T) + f / C.
Why: a temperature has one knob for two faults that real models show together. Embeddings + logistic
regression on real digits was under-confident between 40 and 80 % (right 5-15 points more often than
it said) and over-confident at the top (99 % sure, right 97 % of the time, a few images wrong at
99.9 %). The NLL is ruled by those few sure mistakes, so the NLL-best T softened everything (T = 1.02)
and the held-out ECE stayed at 4.3 %. The floor lets the few sure mistakes cost what they cost (no
answer above 1 - f (C - 1) / C), and the temperature is then free to sharpen the middle: T = 0.64 with
f = 3 %, held-out ECE 1.5 % (benchmarks/README.md, calibration_counts.py on MNIST). The floor is
the same for every class and every image, so the order of the classes, the predicted class and the
prediction sets are those of the temperature alone. It is kept only when it explains the validation
images better than the temperature alone beyond chance (a likelihood-ratio test at 95 %, one more
parameter): a validation set with no sure mistakes keeps f = 0, exactly temperature scaling.

The expected calibration error is the usual top-label ECE with 15 equal-width confidence bins:
sum over bins of (images in bin / all images) x |accuracy in bin - mean confidence in bin|.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import log_softmax

BINS = 15
T_LIMITS = (1 / 20, 20.0)
EPS = 1e-300  # only exact zeros are lifted: a larger floor would change what the model said
FLOOR_LIMIT = 0.5  # a floor above this would say the model is mostly noise
FLOOR_EVIDENCE = 3.84  # the likelihood-ratio statistic a floor must beat: chi-squared, 1 degree of freedom, 95 %


def as_logits(probabilities: np.ndarray) -> np.ndarray:
    """Log-probabilities, the logits' stand-in for methods that give only probabilities (see module doc)."""
    return np.log(np.clip(np.asarray(probabilities, np.float64), EPS, 1.0))


def apply_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T): the calibrated probabilities (rows sum to 1; the top class is unchanged)."""
    return np.exp(log_softmax(np.asarray(logits, np.float64) / float(temperature), axis=1))


def calibrate_probabilities(probabilities: np.ndarray, temperature: float, floor: float = 0.0) -> np.ndarray:
    """Apply a temperature (and floor) fitted by :func:`fit_temperature` on :func:`as_logits` of probabilities."""
    return apply_calibration(as_logits(probabilities), {"temperature": temperature, "floor": floor})


def with_floor(probabilities: np.ndarray, floor: float) -> np.ndarray:
    """(1 - f) p + f / C: the floor's share spread evenly (the order of the classes is kept)."""
    floor = float(floor)
    probabilities = np.asarray(probabilities, np.float64)
    if not floor:
        return probabilities
    return (1.0 - floor) * probabilities + floor / probabilities.shape[1]


def without_floor(probabilities: np.ndarray, floor: float) -> np.ndarray:
    """The temperature's probabilities back from calibrated ones (:func:`with_floor` undone; rows sum to 1).
    For what needs softmax(z / T) itself: the adjusted counts' EM rescales temperatures (label_shift)."""
    floor = float(floor)
    probabilities = np.asarray(probabilities, np.float64)
    if not floor:
        return probabilities
    lifted = np.clip((probabilities - floor / probabilities.shape[1]) / (1.0 - floor), EPS, None)
    return lifted / lifted.sum(axis=1, keepdims=True)


def apply_calibration(logits: np.ndarray, calibration: dict[str, Any]) -> np.ndarray:
    """The calibrated probabilities from logits (or log-probabilities) and a :func:`fit_temperature`
    record: its temperature, then its floor (absent in bundles saved before floors: 0)."""
    return with_floor(apply_temperature(logits, calibration["temperature"]), calibration.get("floor", 0.0))


def negative_log_likelihood(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0,
                            floor: float = 0.0) -> float:
    """Mean NLL of the true labels under softmax(logits / T) with the floor (:func:`with_floor`)."""
    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels, np.int64)
    true = log_softmax(logits / temperature, axis=1)[np.arange(len(labels)), labels]
    if floor:
        true = np.logaddexp(np.log1p(-floor) + true, math.log(floor / logits.shape[1]))
    return float(-true.mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray, fit_floor: bool = True) -> dict[str, Any]:
    """The T (and floor) minimising validation NLL. Returns ``{"temperature", "floor", "nll_before",
    "nll_after", "n", "at_bound", "note"}``; ``note`` is None or the plain reason T was left at 1.

    No images, or no validation image wrong: T = 1 (nothing to learn from; see the module doc). The
    floor is fitted with the temperature and kept only on evidence (module doc), else 0; ``fit_floor``
    False: the temperature alone (for comparisons).
    """
    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels, np.int64)
    if len(labels) == 0:
        return {"temperature": 1.0, "floor": 0.0, "nll_before": None, "nll_after": None, "n": 0, "at_bound": False,
                "note": "No validation images: the probabilities are not calibrated."}
    if (logits.argmax(axis=1) == labels).all():
        nll = negative_log_likelihood(logits, labels)
        return {"temperature": 1.0, "floor": 0.0, "nll_before": nll, "nll_after": nll, "n": int(len(labels)),
                "at_bound": False,
                "note": "Every validation image was classified right, so there is no error to calibrate "
                        "against: the probabilities are left as the model gives them."}
    low, high = math.log(T_LIMITS[0]), math.log(T_LIMITS[1])
    found = minimize_scalar(lambda log_t: negative_log_likelihood(logits, labels, math.exp(log_t)),
                            bounds=(low, high), method="bounded", options={"xatol": 1e-6})
    log_t, floor = float(found.x), 0.0
    alone = negative_log_likelihood(logits, labels, math.exp(log_t))
    if fit_floor:  # from the temperature alone, a little floor: L-BFGS-B within the bounds
        joint = minimize(lambda x: negative_log_likelihood(logits, labels, math.exp(x[0]), x[1]), [log_t, 0.01],
                         method="L-BFGS-B", bounds=[(low, high), (0.0, FLOOR_LIMIT)])
        if joint.success and 2 * len(labels) * (alone - float(joint.fun)) > FLOOR_EVIDENCE:
            log_t, floor = float(joint.x[0]), float(joint.x[1])
    temperature = math.exp(log_t)
    at_bound = min(abs(log_t - low), abs(log_t - high)) < 1e-3
    return {"temperature": temperature, "floor": floor, "nll_before": negative_log_likelihood(logits, labels),
            "nll_after": negative_log_likelihood(logits, labels, temperature, floor), "n": int(len(labels)),
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
    """Fit T (and the floor) on validation ``scores`` (logits, or probabilities when ``from_logits`` is False)
    and report ECE and reliability before and after: what the bundle stores (``temperature``, ``floor``, ``input``, ``n``)
    and ``evaluate`` and the report show. ``input`` says which the temperature applies to:
    "logits" -> :func:`apply_temperature`, "log_probabilities" -> :func:`calibrate_probabilities`."""
    logits = np.asarray(scores, np.float64) if from_logits else as_logits(scores)
    labels = np.asarray(labels, np.int64)
    fit = fit_temperature(logits, labels)
    before = apply_temperature(logits, 1.0)
    after = apply_calibration(logits, fit)
    return {**fit, "input": "logits" if from_logits else "log_probabilities", "bins": bins,
            "ece_before": expected_calibration_error(before, labels, bins),
            "ece_after": expected_calibration_error(after, labels, bins),
            "reliability_before": reliability_diagram(before, labels, bins),
            "reliability_after": reliability_diagram(after, labels, bins)}
