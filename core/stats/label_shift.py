"""Adjusted proportions from calibrated probabilities: the EM prior adjustment (Saerens, Latinne &
Decaestecker 2002), with a bootstrap over the folder's images and the validation images.

Why this and not only the inverted confusion matrix (core.stats.counts): the confusion matrix turns
each image into one hard vote and then divides by error rates measured on a few dozen validation
images per class, whose noise (one image = 2.5 points of a rate at 40 per class) was larger than the
bias it removed (measured on real digits, benchmarks/README.md: 4.2 points off against raw 2.0 at
40 validation images per class). EM uses every image's calibrated probabilities instead: if only the
class mix changes between the validation images and a folder (label shift), the probabilities for
the folder's mix π are p_i(c)·π_c/v_c renormalised (v: the validation mix the model was calibrated
at), and EM finds the π that makes the folder's mean adjusted probability equal π: the maximum
likelihood mix (Saerens et al. 2002). It needs calibrated probabilities (Alexandari et al. 2020:
"bias-corrected calibration" makes it hard to beat), which every bundle with statistics has.

The interval must include what the validation images do not pin down (issue 20), here the calibration
itself: :func:`validation_replicates` refits the temperature on Bayesian-bootstrap reweightings of the
validation images once, at training time, and the bundle keeps those temperatures and validation mixes
(a few hundred numbers, whatever the number of validation images). A folder's replicates then reweight
its images (Dirichlet, as in core.stats.counts) and use one stored temperature and mix each.
The probabilities of new images are the model's calibrated ones at the stored temperature T; at a
replicate's T_b they are softmax(log p · T / T_b), since log p is the logits / T up to a constant.
A calibration with a floor (core.stats.calibration: (1 - f) softmax(z / T) + f / C) is undone first:
EM works on the temperature's probabilities. Measured on real digits (MNIST seed 2 of
benchmarks/README.md, 40 validation images per class, floor 2.9 %), EM on the floored probabilities
was within 5 points on 97.4 % of 270 plates against 99.3 % without the floor: the even floor reads as
evidence for every class.

A folder's images come with their top-k only (the table and the CSV keep 5): the missing classes
share what the top-k leave, evenly. With k = 5 of 10 classes on real digits the mean error of 10
plates moved from 1.61 (every probability) to 1.57 points (top 5): the top 5 hold nearly all the mass.
``predict --summary --top 1`` would leave EM only the top class's probability: keep the default 5.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax

from core.stats.calibration import T_LIMITS, without_floor
from core.stats.intervals import CONFIDENCE, wilson_interval

REPLICATES = 200
CHUNK = 5_000_000  # replicates x images x classes held at once (40 MB of float64)


def _weighted_temperature(logits: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """The temperature minimising the weighted validation NLL (calibration.fit_temperature's search)."""
    rows = np.arange(len(labels))

    def nll(log_t: float) -> float:
        return float(-(weights * log_softmax(logits / np.exp(log_t), axis=1)[rows, labels]).sum() / weights.sum())

    found = minimize_scalar(nll, bounds=(np.log(T_LIMITS[0]), np.log(T_LIMITS[1])), method="bounded",
                            options={"xatol": 1e-4})
    return float(np.exp(found.x))


def validation_replicates(logits: np.ndarray, labels: np.ndarray, n_classes: int, temperature: float,
                          replicates: int = REPLICATES, seed: int = 0, floor: float = 0.0) -> dict[str, Any] | None:
    """What the bundle keeps for :func:`em_summary`: the validation mix ``prior`` and, per bootstrap
    replicate of the validation images, its refitted temperature and its mix. None without validation
    images or when the temperature was left at 1 for lack of errors (then the replicates would refit
    on no evidence either: the adjusted counts fall back to the confusion matrix)."""
    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels, np.int64)
    if not len(labels) or (logits.argmax(axis=1) == labels).all():
        return None
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(len(labels)), size=replicates)
    temperatures = replicate_temperatures(logits, labels, weights, temperature)
    return {"method": "em", "temperature": float(temperature), "floor": float(floor),
            "prior": _mean_probabilities(logits, temperature, np.full(len(labels), 1 / len(labels))).tolist(),
            "temperatures": [round(t, 6) for t in temperatures],
            "priors": np.round(_replicate_priors(logits, temperatures, weights), 6).tolist()}


def replicate_temperatures(logits: np.ndarray, labels: np.ndarray, weights: np.ndarray, temperature: float,
                           points: int = 101) -> list[float]:
    """Each reweighting's NLL-minimising temperature, all at once: every image's loss on a grid of
    log T around the fitted T (± 0.5, steps of 1 %), each replicate's weighted sum, then a parabola
    through its lowest three points. Why not one bounded search per replicate: that was 10 s for 5,000
    validation images of 20 classes and 60 s for 20,000 of 50, at every save (now 2.5 s and 7 s); the
    grid costs one pass per grid point for all replicates together. A minimum at the grid's edge (a
    replicate more than 40 % from T) gets the exact search."""
    centre = float(np.log(temperature))
    grid = np.linspace(max(np.log(T_LIMITS[0]), centre - 0.5), min(np.log(T_LIMITS[1]), centre + 0.5), points)
    rows = np.arange(len(labels))
    normal = weights / weights.sum(axis=1, keepdims=True)
    losses = np.empty((len(weights), points))
    for g, log_t in enumerate(grid):
        losses[:, g] = normal @ -log_softmax(logits / np.exp(log_t), axis=1)[rows, labels]
    found = []
    for b, k in enumerate(losses.argmin(axis=1)):
        if 0 < k < points - 1:
            before, at, after = losses[b, k - 1:k + 2]
            curvature = before - 2 * at + after
            shift = 0.5 * (before - after) / curvature if curvature > 0 else 0.0
            found.append(float(np.exp(grid[k] + shift * (grid[1] - grid[0]))))
        else:
            found.append(_weighted_temperature(logits, labels, weights[b]))
    return found


def _replicate_priors(logits: np.ndarray, temperatures: Sequence[float], weights: np.ndarray) -> np.ndarray:
    """Each replicate's :func:`_mean_probabilities`, one softmax per distinct temperature rounded to
    0.1 % (the replicates' temperatures cluster: a few dozen softmaxes instead of one per replicate)."""
    rounded = np.round(np.log(np.asarray(temperatures)), 3)
    priors = np.empty((len(weights), logits.shape[1]))
    for log_t in np.unique(rounded):
        which = np.flatnonzero(rounded == log_t)
        probabilities = np.exp(log_softmax(logits / np.exp(log_t), axis=1))
        mean = weights[which] @ probabilities / weights[which].sum(axis=1, keepdims=True)
        priors[which] = mean / mean.sum(axis=1, keepdims=True)
    return priors


def _mean_probabilities(logits: np.ndarray, temperature: float, weights: np.ndarray) -> np.ndarray:
    """The mix the calibrated probabilities themselves imply on the validation images (their weighted
    mean): the prior EM divides by. Why not the validation images' label counts: a temperature does
    not make the mean probability equal the label mix exactly, and EM run on the validation images
    must give back their own mix, not a shift that is only a calibration residue."""
    mean = weights @ np.exp(log_softmax(logits / temperature, axis=1)) / weights.sum()
    return mean / mean.sum()


def em_mix(probabilities: np.ndarray, weights: np.ndarray, prior: np.ndarray, tolerance: float = 1e-6,
           max_iterations: int = 2000, start: np.ndarray | None = None) -> np.ndarray:
    """Saerens et al.'s EM, batched: probabilities (B, n, C) calibrated at mix ``prior`` (B, C), image
    weights (B, n) summing to 1; the folder's mix (B, C). A class at mix 0 in ``prior`` stays at 0.
    ``start`` (C,): where to begin (the replicates start from the point estimate: fewer steps).

    Plain EM crawls when the classes overlap (hundreds of steps, seconds per folder); SQUAREM
    (Varadhan & Roland 2008) extrapolates along two EM steps and falls back to the plain step
    whenever that would not raise the likelihood, so it reaches the same maximum in a few dozen."""
    ratio_base = np.where(prior > 0, 1.0 / np.where(prior > 0, prior, 1.0), 0.0)
    scaled = probabilities * ratio_base[:, None, :]  # p_i(c) / v_c: the likelihood of π is Σ w log(scaled·π)

    def step(pi: np.ndarray) -> np.ndarray:
        adjusted = scaled * pi[:, None, :]
        adjusted /= np.maximum(adjusted.sum(axis=2, keepdims=True), 1e-300)
        return np.einsum("bn,bnc->bc", weights, adjusted)

    def loglik(pi: np.ndarray) -> np.ndarray:
        return np.einsum("bn,bn->b", weights, np.log(np.maximum(np.einsum("bnc,bc->bn", scaled, pi), 1e-300)))

    pi = prior.copy() if start is None else np.where(prior > 0, np.clip(start, 1e-6, None), 0.0) * np.ones_like(prior)
    pi /= pi.sum(axis=1, keepdims=True)
    for _ in range(max_iterations):
        once = step(pi)
        twice = step(once)
        r, v = once - pi, twice - 2 * once + pi
        r_norm, v_norm = np.sqrt((r ** 2).sum(axis=1)), np.sqrt((v ** 2).sum(axis=1))
        alpha = np.where(v_norm > 1e-12, -r_norm / np.maximum(v_norm, 1e-12), -1.0)
        alpha = np.clip(alpha, -1e3, -1.0)[:, None]  # -1 is the plain double step
        jump = np.clip(pi - 2 * alpha * r + alpha ** 2 * v, 0.0, None)
        jump /= np.maximum(jump.sum(axis=1, keepdims=True), 1e-300)
        jump = step(jump)  # one EM step after the jump keeps it stable (Varadhan & Roland)
        new = np.where((loglik(jump) >= loglik(twice))[:, None], jump, twice)
        if np.max(np.abs(new - pi)) < tolerance:
            return new
        pi = new
    return pi


def top_k_matrix(tops: Sequence[Sequence[tuple[int, float]]], n_classes: int) -> np.ndarray:
    """(n, C) probabilities from each image's top-k (class index, probability); the classes left out
    share the rest evenly (module doc)."""
    matrix = np.zeros((len(tops), n_classes))
    for i, top in enumerate(tops):
        known = dict(top)
        missing = n_classes - len(known)
        rest = max(0.0, 1.0 - sum(known.values())) / missing if missing else 0.0
        matrix[i] = rest
        for c, p in known.items():
            matrix[i, c] = p
    return matrix / matrix.sum(axis=1, keepdims=True)


def em_summary(probabilities: np.ndarray, record: dict[str, Any], class_names: Sequence[str], seed: int = 0,
               confidence: float = CONFIDENCE) -> list[dict[str, Any]]:
    """core.stats.counts.folder_summary's rows for one folder, the adjusted columns by EM (module doc):
    ``probabilities`` (n, C), calibrated at the record's temperature (and floor); ``record``:
    :func:`validation_replicates`'."""
    probs = np.clip(without_floor(probabilities, record.get("floor", 0.0)), 1e-300, None)
    c, n = len(class_names), len(probs)
    if not n:
        return [{"class": name, "count": 0, "n_images": 0, "proportion": None, "proportion_low": None,
                 "proportion_high": None, "adjusted": None, "adjusted_low": None, "adjusted_high": None}
                for name in class_names]
    counts = np.bincount(probs.argmax(axis=1), minlength=c)
    low, high = wilson_interval(counts, np.full(c, n), confidence)
    prior = np.asarray(record["prior"], np.float64)
    point = em_mix(probs[None], np.full((1, n), 1.0 / n), prior[None])[0]
    temperatures = np.asarray(record["temperatures"], np.float64)
    priors = np.asarray(record["priors"], np.float64)
    rng = np.random.default_rng(seed)
    image_weights = rng.dirichlet(np.ones(n), size=len(temperatures))
    logs = np.log(probs)
    step = max(1, CHUNK // (n * c))
    replicates = []
    for start in range(0, len(temperatures), step):
        scale = float(record["temperature"]) / temperatures[start:start + step]
        rescaled = np.exp(log_softmax(logs[None] * scale[:, None, None], axis=2))
        replicates.append(em_mix(rescaled, image_weights[start:start + step], priors[start:start + step],
                                 start=point))
    tail = (1 - confidence) / 2
    adjusted_low, adjusted_high = np.quantile(np.concatenate(replicates), [tail, 1 - tail], axis=0)
    return [{"class": name, "count": int(counts[i]), "n_images": n, "proportion": float(counts[i] / n),
             "proportion_low": float(low[i]), "proportion_high": float(high[i]), "adjusted": float(point[i]),
             "adjusted_low": float(min(adjusted_low[i], point[i])),
             "adjusted_high": float(max(adjusted_high[i], point[i]))}
            for i, name in enumerate(class_names)]
