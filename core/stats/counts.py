"""Counts per folder a lab can publish: raw proportions, misclassification-adjusted ones, and the CSV.

(Bundles saved with the EM record adjust by core/stats/label_shift.py instead, which was closer on
real digits with 40 validation images per class; this estimator serves the bundles saved before it.)

Classify-and-count is biased whenever a plate's class mix differs from the mix the classifier was
validated on: with 90 % accuracy both ways, a plate with 10 % infected cells shows 0.9·10 % + 0.1·90 %
= 18 % predicted infected. The validation confusion matrix measures the error rates
R[t, p] = P(predicted p | true t), which do not depend on the plate's mix, so the predicted mix is
q = Rᵀ·π and the true mix π can be solved for (Forman 2008's "adjusted count"; Buck et al. 1966).

Why not the raw inverse π = (Rᵀ)⁻¹·q: with sampling noise it gives negative proportions or ones above
1 (a plate with fewer predicted positives than the false-positive rate), and it fails when R is
singular. We take the maximum-likelihood π on the simplex instead: the predicted labels are a
multinomial sample with probabilities Rᵀ·π, and the EM algorithm (Saerens et al. 2002, here on the
confusion rates) raises that likelihood at every step while staying a proper mix. Where the raw inverse
is a valid mix it is the maximum-likelihood answer and is used directly (fast, exact); otherwise EM
finds the most likely valid mix, with a class at 0 where the data say "none". A class with no validation images has unknown error rates; it is taken as always
recognised (an identity row), the least surprising choice, and its adjusted number should be read as raw.

The interval is a percentile bootstrap over both sources of error: the folder's images and the
validation images behind R, the latter within each true class (their rates are per-true-class
quantities, and stratifying keeps every class present in every replicate, as in the real split).
It is the Bayesian bootstrap (Rubin 1981): each replicate reweights the images with Dirichlet weights
instead of drawing them with replacement, with a weak prior of one pseudo-image spread over the
classes. Why: the plain bootstrap never draws what was never seen, so a class no folder image was
predicted as (or a class the validation images never confused) would get an interval of exactly
[0, 0]: certainty from 50 images. With the prior those intervals keep an honest upper bound, and
where counts are large the two bootstraps agree (measured: 95 % coverage at a 10 % truth, 600
images, 150 validation images per class). The raw proportion's interval is Wilson's.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from core.files import write_file_atomic
from core.stats.intervals import CONFIDENCE, wilson_interval

SUMMARY_COLUMNS = ("folder", "class", "count", "proportion", "proportion_low", "proportion_high",
                   "adjusted", "adjusted_low", "adjusted_high")
BOOTSTRAP = 1000
_RISKY = ("=", "+", "-", "@", "\t", "\r", "'")  # a spreadsheet runs a cell starting with these as a formula


def confusion_rates(confusion: np.ndarray) -> np.ndarray:
    """Row-normalised confusion matrix (rows true, columns predicted): R[t, p] = P(predicted p | true t);
    a class without validation images gets an identity row (see the module doc)."""
    counts = np.asarray(confusion, np.float64)
    support = counts.sum(axis=-1, keepdims=True)
    identity = np.broadcast_to(np.eye(counts.shape[-1]), counts.shape)
    return np.where(support > 0, counts / np.where(support > 0, support, 1.0), identity)


def adjusted_proportions(predicted_counts: np.ndarray, rates: np.ndarray, tolerance: float = 1e-9,
                         max_iterations: int = 3000) -> np.ndarray:
    """Maximum-likelihood true mix π on the simplex given predicted counts and rates R (module doc).

    Batched: ``predicted_counts`` (..., C) and ``rates`` (..., C, C) broadcast, for the bootstrap.
    Where the plain inverse (pseudo-inverse for a singular R) is a valid mix it is the maximum-likelihood
    answer and is taken as is; only the others are refined by EM, started from the inverse clipped to
    the simplex (close already, so EM's slow approach to an edge of the simplex costs few steps).
    """
    counts = np.asarray(predicted_counts, np.float64)
    rates = np.asarray(rates, np.float64)
    total = counts.sum(axis=-1, keepdims=True)
    q = counts / np.where(total > 0, total, 1.0)
    shape = np.broadcast_shapes(q.shape, rates.shape[:-1])
    q, rates = np.broadcast_to(q, shape), np.broadcast_to(rates, shape + shape[-1:])
    inverse = np.einsum("...tp,...p->...t", np.linalg.pinv(np.swapaxes(rates, -1, -2)), q)
    valid = (inverse >= -1e-12).all(axis=-1) & (np.abs(inverse.sum(axis=-1) - 1) < 1e-9)
    pi = np.clip(inverse, 1e-6, None)
    pi /= pi.sum(axis=-1, keepdims=True)
    todo = ~valid
    if todo.any():
        pi[todo] = _em(q[todo], rates[todo], pi[todo], tolerance, max_iterations)
    pi[valid] = np.clip(inverse[valid], 0.0, None)
    return pi / pi.sum(axis=-1, keepdims=True)


def _em(q: np.ndarray, rates: np.ndarray, pi: np.ndarray, tolerance: float, max_iterations: int) -> np.ndarray:
    """EM for the mix: each step raises the multinomial likelihood of the predicted mix q and stays a mix."""
    for _ in range(max_iterations):
        mixed = np.einsum("nt,ntp->np", pi, rates)  # predicted mix under the current π
        ratio = np.where(mixed > 0, q / np.where(mixed > 0, mixed, 1.0), 0.0)
        new = pi * np.einsum("ntp,np->nt", rates, ratio)
        # Predictions the rates call impossible (a class no validation image was ever predicted as)
        # leave nothing to reweight: keep the start (the least-squares inverse, clipped) there.
        stuck = new.sum(axis=-1) <= 0
        new[stuck] = pi[stuck]
        new /= new.sum(axis=-1, keepdims=True)
        if np.max(np.abs(new - pi)) < tolerance:
            return new
        pi = new
    return pi


def _predicted_labels(predicted: Sequence[int] | np.ndarray) -> np.ndarray:
    labels = np.asarray(predicted)
    return labels.argmax(axis=1) if labels.ndim == 2 else labels.astype(np.int64)


def folder_summary(predicted: Sequence[int] | np.ndarray, confusion: np.ndarray, class_names: Sequence[str],
                   bootstrap: int = BOOTSTRAP, seed: int = 0, confidence: float = CONFIDENCE) -> list[dict[str, Any]]:
    """One row per class for one folder's images: count, proportion (Wilson interval), adjusted (bootstrap).

    ``predicted``: class indices, or (N, C) probabilities (their top class). ``confusion``: the validation
    confusion matrix, rows true classes, columns predicted, counts (not rates: the bootstrap needs them).
    Keys are :data:`SUMMARY_COLUMNS` without ``folder``, plus ``n_images``; an empty folder gives None numbers.
    """
    labels = _predicted_labels(predicted)
    confusion = np.asarray(confusion, np.int64)
    c = len(class_names)
    if confusion.shape != (c, c):
        raise ValueError(f"the confusion matrix is {confusion.shape}, not {c}x{c} like the classes")
    if labels.size and (labels.min() < 0 or labels.max() >= c):
        raise ValueError("a predicted class index is outside the classes")
    n = int(labels.size)
    counts = np.bincount(labels, minlength=c)
    if not n:
        return [{"class": name, "count": 0, "n_images": 0, **{k: None for k in SUMMARY_COLUMNS[3:]}}
                for name in class_names]
    low, high = wilson_interval(counts, np.full(c, n), confidence)
    adjusted = adjusted_proportions(counts, confusion_rates(confusion))
    rng = np.random.default_rng(seed)
    prior = 1.0 / c  # one pseudo-image per folder and per validation class, spread over the classes
    folder_draws = rng.dirichlet(counts + prior, size=bootstrap)  # the folder's images, reweighted
    rate_draws = np.stack([rng.dirichlet(row + prior, size=bootstrap) if row.sum() else
                           np.broadcast_to(np.eye(c)[t], (bootstrap, c)) for t, row in enumerate(confusion)], axis=1)
    replicates = adjusted_proportions(folder_draws, rate_draws)
    tail = (1 - confidence) / 2
    adjusted_low, adjusted_high = np.quantile(replicates, [tail, 1 - tail], axis=0)
    return [{"class": name, "count": int(counts[i]), "n_images": n, "proportion": float(counts[i] / n),
             "proportion_low": float(low[i]), "proportion_high": float(high[i]), "adjusted": float(adjusted[i]),
             "adjusted_low": float(adjusted_low[i]), "adjusted_high": float(adjusted_high[i])}
            for i, name in enumerate(class_names)]


def folder_of(path: str | Path, root: str | Path) -> str:
    """The image's folder relative to the input folder, with forward slashes ("." for the folder itself)."""
    return Path(path).parent.relative_to(Path(root)).as_posix()


def summarise_folders(root: str | Path, paths: Sequence[str | Path], predicted: Sequence[int] | np.ndarray,
                      confusion: np.ndarray, class_names: Sequence[str], bootstrap: int = BOOTSTRAP,
                      seed: int = 0) -> list[dict[str, Any]]:
    """:func:`folder_summary` for every folder under ``root`` holding images (plate, well, condition),
    rows sorted by folder, each with its ``folder`` relative to ``root``."""
    labels = _predicted_labels(predicted)
    if len(labels) != len(paths):
        raise ValueError(f"{len(paths)} images but {len(labels)} predictions")
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(paths):
        groups.setdefault(folder_of(path, root), []).append(i)
    rows = []
    for folder in sorted(groups):
        for row in folder_summary(labels[groups[folder]], confusion, class_names, bootstrap, seed):
            rows.append({"folder": folder, **row})
    return rows


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: numbers as plain decimals, risky text behind a quote."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}"
    text = str(value)
    return "'" + text if text.startswith(_RISKY) else text


def write_counts_csv(path: str | Path, rows: Sequence[dict[str, Any]]) -> Path:
    """The summary CSV, exactly :data:`SUMMARY_COLUMNS`, one row per folder and class, written atomically
    (a crash leaves the previous file or none, never half of one)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in SUMMARY_COLUMNS])
    write_file_atomic(path, buffer.getvalue())
    return Path(path)


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and len(text) > 1 and text[1] in _RISKY else text


def read_counts_csv(path: str | Path) -> list[dict[str, Any]]:
    """The summary CSV back (for the report): numbers as numbers (None when empty), names as written."""
    with open(path, newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        if tuple(reader.fieldnames or ()) != SUMMARY_COLUMNS:
            raise ValueError(f"{path} is not a counts summary (columns {reader.fieldnames})")
        rows = []
        for raw in reader:
            row: dict[str, Any] = {"folder": _uncell(raw["folder"]), "class": _uncell(raw["class"]),
                                   "count": int(raw["count"])}
            row.update({k: float(raw[k]) if raw[k] else None for k in SUMMARY_COLUMNS[3:]})
            rows.append(row)
    return rows
