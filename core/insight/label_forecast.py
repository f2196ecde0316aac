"""How good the labels so far make a model, and how many more it would take: the labelling
window's progress line and its forecast curve.

The estimate is cross-validation of the labelling model (:mod:`core.insight.labelling`) on the
labelled images, with the interval of :func:`core.stats.intervals.cv_interval`. It is an
estimate for the images chosen so far: images picked for being hard make it pessimistic, which
is the safe side.

The forecast fits a power law to the learning curve, error(m) = a · m^(-b) with m labelled images
per class (learning curves of classifiers follow one closely over this range: Cortes et al.
1994, Hestness et al. 2017), on points measured by training on m images per class of each
training fold and testing on the fold's held-out images. "About N more labels per class to reach
X %" is where that curve crosses X. With fewer than three curve points, a curve that does not
fall, or a crossing far beyond the data (more than ``REACH`` times the labels so far), the
forecast says that there is too little evidence instead of inventing a number.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from core.insight.labelling import fit_model
from core.stats.intervals import cv_interval, format_accuracy

MAX_FOLDS = 5
REPEATS = 2
CURVE_POINTS = 5
REACH = 10.0  # a forecast further than this many times the current labels per class is not given
DEFAULT_TARGET = 0.9


def _folds(labels: np.ndarray) -> int:
    counts = np.bincount(labels)
    counts = counts[counts > 0]
    return int(min(MAX_FOLDS, counts.min())) if len(counts) >= 2 else 0


def _splits(labels: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import RepeatedStratifiedKFold

    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=REPEATS, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels))


def _per_class(indices: np.ndarray, labels: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """At most ``m`` of ``indices`` per class (a random choice)."""
    chosen = [rng.permutation(indices[labels[indices] == k])[:m] for k in np.unique(labels[indices])]
    return np.concatenate(chosen)


def learning_estimate(features: np.ndarray, labels: np.ndarray, seed: int = 0) -> dict[str, Any]:
    """Cross-validated accuracy (with its interval) and the learning curve of the labelled images.

    Returns ``{"accuracy", "low", "high", "folds", "text", "curve": {"per_class": [...],
    "accuracy": [...]}}``; accuracy None when a class has fewer than two images."""
    labels = np.asarray(labels, int)
    folds = _folds(labels)
    empty = {"accuracy": None, "low": None, "high": None, "folds": folds, "images": int(len(labels)),
             "text": "no estimate yet: every class needs 2 labelled images",
             "curve": {"per_class": [], "accuracy": []}}
    if folds < 2:
        return empty
    rng = np.random.default_rng(seed)
    splits = _splits(labels, folds, seed)
    largest = min(int(np.bincount(labels[train]).max()) for train, _ in splits)
    sizes = sorted({int(round(s)) for s in np.geomspace(2, max(2, largest), CURVE_POINTS)})
    scores: dict[int, list[float]] = {m: [] for m in sizes}
    full: list[float] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for train, test in splits:
            for m in sizes:
                part = train if m >= largest else _per_class(train, labels, m, rng)
                if len(np.unique(labels[part])) < 2:
                    continue
                model = fit_model(features[part], labels[part], seed)
                score = float(np.mean(model.predict(features[test]) == labels[test]))
                scores[m].append(score)
            if scores[sizes[-1]]:
                full.append(scores[sizes[-1]][-1])
    interval = cv_interval(full, folds)
    detail = f"({folds}-fold cross-validation, {REPEATS} repeats)"
    return {"accuracy": interval["mean"], "low": interval["low"], "high": interval["high"], "folds": folds,
            "images": int(len(labels)),
            "text": format_accuracy(interval["mean"], interval["low"], interval["high"], len(labels),
                                    "labelled image", detail),
            "curve": {"per_class": [m for m in sizes if scores[m]],
                      "accuracy": [float(np.mean(scores[m])) for m in sizes if scores[m]]}}


def fit_power_law(per_class: list[float], accuracy: list[float], floor: float = 0.005) -> tuple[float, float] | None:
    """(a, b) of error = a · m^(-b) by least squares in log-log, or None (fewer than 3 points, or
    a curve that does not fall)."""
    m = np.asarray(per_class, float)
    error = np.clip(1.0 - np.asarray(accuracy, float), floor, 1.0)
    if len(m) < 3 or len(np.unique(m)) < 3:
        return None
    slope, intercept = np.polyfit(np.log(m), np.log(error), 1)
    if slope >= -0.05:
        return None
    return float(math.exp(intercept)), float(-slope)


def forecast(curve: dict[str, list[float]], labelled_per_class: float, target: float = DEFAULT_TARGET) -> dict[str, Any]:
    """"About N more labels per class to reach ``target``", from the learning curve.

    ``status``: "ok" (``more_per_class`` is N), "reached" (the curve is already there), or
    "unknown" (too little evidence; ``text`` says why)."""
    target = float(target)
    law = fit_power_law(curve.get("per_class", []), curve.get("accuracy", []))
    result: dict[str, Any] = {"target": target, "status": "unknown", "more_per_class": None, "a": None, "b": None}
    percent = f"{100 * target:.0f} %"
    if law is None:
        result["text"] = (f"Too little evidence to forecast {percent} yet: label a few more images per class "
                          "(the learning curve needs three points that rise).")
        return result
    a, b = law
    result.update(a=a, b=b)
    needed = (a / max(1.0 - target, 1e-6)) ** (1.0 / b)
    if needed <= labelled_per_class:
        result.update(status="reached", more_per_class=0,
                      text=f"The learning curve is at about {percent} already; more labels mainly make it firmer.")
    elif needed > REACH * max(labelled_per_class, 1.0):
        result["text"] = (f"{percent} is beyond what the curve so far can tell (more than "
                          f"{REACH * max(labelled_per_class, 1.0):.0f} labels per class); label more and look again.")
    else:
        more = int(math.ceil(needed - labelled_per_class))
        result.update(status="ok", more_per_class=more,
                      text=f"About {more} more labels per class to reach {percent} (from the learning curve so far).")
    return result


def curve_accuracy(a: float, b: float, per_class: np.ndarray) -> np.ndarray:
    """The fitted curve's accuracy at ``per_class`` labels per class (for plotting)."""
    return 1.0 - np.minimum(1.0, a * np.asarray(per_class, float) ** (-b))
