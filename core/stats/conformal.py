"""Prediction sets with a guarantee: "infected or dividing" holds the true class 90 % of the time.

Split conformal prediction (Vovk et al. 2005; Angelopoulos & Bates 2021): score each validation image
by how little probability the model gave its true class, s = 1 - p(true class); take the
ceil((n+1)·coverage)-th smallest score q; a new image's set is every class with p >= 1 - q. If new
images are exchangeable with the validation images (same source, same class mix), the set holds the
true class with probability at least ``coverage`` (and at most coverage + 1/(n+1)), whatever the model,
calibrated or not. The guarantee is on average over images, not per class, and it does not hold for
a plate whose class mix differs from the validation images'.

Why LAC (this score; Sadinle, Lei & Wasserman 2019) and not APS (adaptive prediction sets, Romano et
al. 2020): LAC gives the smallest sets on average of all methods with the guarantee, and it is
deterministic: the same image always gets the same set, which a lab re-running a plate expects. APS
adapts set size to difficulty better, but without randomisation it over-covers (sets larger than
needed) and with it two runs on the same image can disagree. LAC's one weakness, an empty set when
no class reaches the threshold, is answered with the top class alone: that only adds coverage.

Why store the scores and not only the threshold: ``predict --coverage P`` picks another coverage at
prediction time; from the sorted validation scores (one float per validation image) any coverage's
threshold is :func:`threshold_from_scores`, without the validation images.

Too few validation images: ceil((n+1)·coverage) > n means no validation score is large enough to
promise the coverage (n < 9 for 90 %, n < 19 for 95 %); the result is then ``ok = False`` with a
plain ``message``, and :func:`prediction_sets` refuses, rather than guessing a threshold.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np

from core.messages import message

COVERAGE = 0.90
METHOD = "lac"


@dataclass(frozen=True)
class ConformalThreshold:
    """What the bundle stores: a class enters an image's set when its probability >= ``threshold``."""

    threshold: float | None
    coverage: float
    n: int
    method: str = METHOD
    ok: bool = True
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> "ConformalThreshold":
        if record.get("method", METHOD) != METHOD:
            raise ValueError(f"unknown conformal method {record.get('method')!r}")
        return cls(threshold=None if record.get("threshold") is None else float(record["threshold"]),
                   coverage=float(record["coverage"]), n=int(record["n"]), method=METHOD,
                   ok=bool(record.get("ok", True)), message=record.get("message"))


def minimum_validation_images(coverage: float) -> int:
    """The fewest validation images that can promise ``coverage``: ceil(1/(1-coverage)) - 1 (9 for 90 %)."""
    _check(coverage)
    n = max(1, math.ceil(1 / (1 - coverage) - 1e-9) - 1)
    while _rank(n, coverage) > n:  # guards the rounding of the closed form
        n += 1
    return n


def _check(coverage: float) -> None:
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must lie strictly between 0 and 1, not {coverage}")


def _rank(n: int, coverage: float) -> int:
    return math.ceil((n + 1) * coverage - 1e-9)  # the tolerance keeps (9+1)*0.9 = 9.000000000000002 at 9


def conformal_scores(probabilities: np.ndarray, labels: Sequence[int]) -> np.ndarray:
    """Sorted non-conformity scores 1 - p(true class) of the validation images (what a bundle keeps)."""
    probs = np.asarray(probabilities, np.float64)
    labels = np.asarray(labels, np.int64)
    return np.sort(1.0 - probs[np.arange(len(labels)), labels]) if len(labels) else np.zeros(0)


def threshold_from_scores(scores: Sequence[float], coverage: float = COVERAGE) -> ConformalThreshold:
    """The threshold for ``coverage`` from validation scores; ``ok`` False (with why) when too few."""
    _check(coverage)
    ordered = np.sort(np.asarray(scores, np.float64))
    n = int(ordered.size)
    rank = _rank(n, coverage)
    if rank > n:
        need = minimum_validation_images(coverage)
        return ConformalThreshold(None, coverage, n, ok=False,
                                  message=message("statistics.too_few_for_sets", coverage=coverage, need=need, n=n))
    return ConformalThreshold(float(1.0 - ordered[rank - 1]), coverage, n)


def fit_conformal(probabilities: np.ndarray, labels: Sequence[int], coverage: float = COVERAGE) -> ConformalThreshold:
    """The threshold from validation probabilities (the same, calibrated or not, that predict will show)."""
    return threshold_from_scores(conformal_scores(probabilities, labels), coverage)


def prediction_sets(probabilities: np.ndarray, threshold: ConformalThreshold) -> list[list[int]]:
    """Each image's set of class indices, most probable first; never empty (the top class at least)."""
    if not threshold.ok or threshold.threshold is None:
        raise ValueError(threshold.message or "no conformal threshold")
    probs = np.asarray(probabilities, np.float64)
    sets = []
    for row in probs:
        order = np.argsort(-row, kind="stable")
        members = [int(c) for c in order if row[c] >= threshold.threshold - 1e-12]
        sets.append(members or [int(order[0])])
    return sets


def set_coverage(sets: Sequence[Sequence[int]], labels: Sequence[int]) -> float:
    """The fraction of images whose set holds the true class (to check the promise on labelled images)."""
    return float(np.mean([int(label) in s for s, label in zip(sets, labels)])) if len(labels) else float("nan")
