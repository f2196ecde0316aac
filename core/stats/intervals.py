"""Error bars for an accuracy: one split (Wilson), cross-validation (the fold spread), and the words.

Why Wilson and not the textbook Wald interval (p ± 1.96·sqrt(p(1-p)/n)): Wald collapses to zero width
at 0 % and 100 % ("100 % (100-100 %) on 56 images") and its real coverage falls far below 95 % for the
small validation sets labs have. Wilson's score interval stays inside [0, 1], is never zero-width and
keeps close to its nominal coverage from a dozen images up (Brown, Cai & DasGupta 2001). It equals
``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``; the closed form here is vectorised
so that :mod:`core.stats.counts` can apply it to every class at once.

Every accuracy the app shows or writes goes through :func:`format_accuracy`, so the CLI, the window
and the report say it the same way.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np
from scipy import stats

from core.wording import plural

CONFIDENCE = 0.95
THIN_PER_CLASS = 30  # fewer validation images than this in any class: the number is rough
ROUGH_NOTE = ("Fewer than {counted} {where}: the number is rough; "
              "more labelled images would make it firmer.")


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson_interval(successes: Any, total: Any, confidence: float = CONFIDENCE) -> tuple[Any, Any]:
    """Wilson score interval for ``successes`` out of ``total`` (scalars or arrays of the same shape).

    ``total == 0`` gives (0, 1): no images, nothing known. 0/n gives a lower bound of exactly 0 and
    n/n an upper bound of exactly 1 (the formula reaches them up to rounding; they are set exactly).
    """
    k = np.asarray(successes, np.float64)
    n = np.asarray(total, np.float64)
    if np.any(k < 0) or np.any(k > n):
        raise ValueError("successes must lie between 0 and total")
    z2 = _z(confidence) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, k / n, 0.5)
        safe = np.where(n > 0, n, 1.0)
        centre = (p + z2 / (2 * safe)) / (1 + z2 / safe)
        half = math.sqrt(z2) / (1 + z2 / safe) * np.sqrt(p * (1 - p) / safe + z2 / (4 * safe ** 2))
    low = np.where(n > 0, np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0)), 0.0)
    high = np.where(n > 0, np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0)), 1.0)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def cv_interval(scores: Sequence[float], folds: int, confidence: float = CONFIDENCE) -> dict[str, float]:
    """Mean of cross-validation scores (``folds``-fold, any number of repeats) with a t-based interval.

    Why not mean ± t·s/sqrt(J): the J = folds × repeats scores are not independent (every image is a
    training image in k-1 of every k folds, and repeats reuse the same images), so the naive standard
    error shrinks as repeats are added while the real uncertainty does not; its intervals are far too
    narrow. We use Nadeau & Bengio's (2003) corrected variance, (1/J + n_test/n_train)·s², which adds
    the overlap of the training sets back (n_test/n_train = 1/(k-1) for k-fold), with J-1 degrees of
    freedom (Bouckaert & Frank 2004 for repeated k-fold). It is conservative rather than exact; no
    unbiased variance estimator for k-fold exists (Bengio & Grandvalet 2004). Bounds are kept in [0, 1].
    """
    values = np.asarray(scores, np.float64)
    if values.size == 0:
        raise ValueError("no cross-validation scores")
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    mean = float(values.mean())
    if values.size == 1:
        return {"mean": mean, "low": 0.0, "high": 1.0, "std": float("nan"), "n_scores": 1}
    std = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, values.size - 1)) * math.sqrt(
        (1 / values.size + 1 / (folds - 1)) * std ** 2)
    return {"mean": mean, "low": max(0.0, mean - half), "high": min(1.0, mean + half), "std": std,
            "n_scores": int(values.size)}


def thin_classes(per_class_counts: Mapping[str, int] | Sequence[int], limit: int = THIN_PER_CLASS) -> list[str]:
    """The classes with fewer than ``limit`` validation images (names, or indices as text)."""
    items = per_class_counts.items() if isinstance(per_class_counts, Mapping) else enumerate(per_class_counts)
    return [str(name) for name, count in items if int(count) < limit]


def thin_evidence(per_class_counts: Mapping[str, int] | Sequence[int], limit: int = THIN_PER_CLASS) -> bool:
    """True when any class has fewer than ~30 validation images: the accuracy is then a rough number.

    Why 30 per class: at 30 images a class's recall of 90 % has a Wilson interval of about 74-97 %,
    already 23 points wide; below that, per-class numbers (and the confusion matrix the adjusted
    counts rest on) move by tens of points from one split to the next.
    """
    return bool(thin_classes(per_class_counts, limit))


def _percent(value: float) -> str:
    """Whole percents, except that "100" and "0" are kept for exactly all and exactly none: 199 right of
    200 reads 99.5, not 100 (a lab would take "100 %" to mean no mistakes)."""
    shown = f"{100 * value:.0f}"
    if shown == "100" and value < 1:
        return f"{min(100 * value, 99.9):.1f}"
    if shown == "0" and value > 0:
        return f"{max(100 * value, 0.1):.1f}"
    return shown


def format_accuracy(accuracy: float | None, low: float | None, high: float | None, n_images: int,
                    noun: str = "validation image", detail: str = "") -> str:
    """The one way an accuracy is written: ``92 % (85-96 %) on 100 validation images``.

    ``noun`` is singular ("test image"); ``detail`` follows it, e.g. "(5-fold cross-validation, 3 repeats)"
    for a cross-validated score, whose interval is :func:`cv_interval`'s.
    """
    said = plural(n_images, noun) + (f" {detail}" if detail else "")
    if not n_images or accuracy is None:
        return f"no accuracy: {said}"
    if low is None or high is None:
        return f"{_percent(accuracy)} % on {said}"
    return f"{_percent(accuracy)} % ({_percent(low)}-{_percent(high)} %) on {said}"


def accuracy_summary(correct: int, total: int, per_class_counts: Mapping[str, int] | Sequence[int] | None = None,
                     noun: str = "validation image") -> dict[str, Any]:
    """The JSON-ready accuracy record for metrics.json, ``evaluate --json``, the window and the report.

    ``per_class_counts``: validation images per true class (the support). Keys: ``accuracy``,
    ``accuracy_ci`` ([low, high], Wilson 95 %), ``ci_method``, ``confidence``, ``n_images``,
    ``thin_evidence``, ``note`` (the plain sentence when the number is rough, else None), ``text``.
    """
    accuracy = correct / total if total else None
    low, high = wilson_interval(correct, total) if total else (None, None)
    thin = thin_classes(per_class_counts) if per_class_counts is not None else []
    rough = bool(thin) or (per_class_counts is None and total < THIN_PER_CLASS)
    where = ("in " + (", ".join(thin) if len(thin) <= 5 else plural(len(thin), "class", "classes"))) if thin \
        else "in all"
    note = ROUGH_NOTE.format(counted=plural(THIN_PER_CLASS, noun), where=where) if rough else None
    return {"accuracy": accuracy, "accuracy_ci": [low, high] if total else None, "ci_method": "wilson",
            "confidence": CONFIDENCE, "n_images": int(total), "thin_evidence": rough, "note": note,
            "text": format_accuracy(accuracy, low, high, int(total), noun)}


def recorded_accuracy(metrics: Mapping[str, Any] | None, noun: str = "validation image") -> dict[str, Any] | None:
    """The accuracy record of stored validation metrics (metrics.json, a run's record, a TrainSummary):
    the one written at training time (``val_accuracy_ci``, ``val_accuracy_text``, ``val_accuracy_note``),
    or, for bundles and runs recorded before intervals existed, recomputed from what they kept: the
    accuracy times the number of validation images gives the count right (exact, since the accuracy was
    that count divided by that number), and the evaluation's per-class support the rough-number rule.
    None when nothing countable was recorded (a run stopped before its first validation)."""
    if not metrics:
        return None
    accuracy, total = metrics.get("val_accuracy"), metrics.get("val_images")
    if metrics.get("val_accuracy_ci") and metrics.get("val_accuracy_text"):
        low, high = metrics["val_accuracy_ci"]
        return {"accuracy": accuracy, "accuracy_ci": [low, high], "text": metrics["val_accuracy_text"],
                "note": metrics.get("val_accuracy_note"), "thin_evidence": bool(metrics.get("thin_evidence")),
                "n_images": int(total or 0)}
    if accuracy is None or not total:
        return None
    per_class = (metrics.get("evaluation") or {}).get("per_class") or []
    support = {str(row.get("class")): int(row.get("support") or 0) for row in per_class if row.get("support")}
    correct = min(int(total), max(0, int(round(float(accuracy) * int(total)))))
    return accuracy_summary(correct, int(total), support or None, noun)


def metrics_fields(summary: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`accuracy_summary`'s record under metrics.json's names (``val_accuracy_ci`` and friends)."""
    return {"val_accuracy_ci": summary["accuracy_ci"], "val_accuracy_text": summary["text"],
            "val_accuracy_note": summary["note"], "thin_evidence": summary["thin_evidence"]}
