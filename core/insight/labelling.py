"""Which unlabelled image to label next: a quick model on cached embeddings and three strategies.

Why a linear model on embeddings: a refit must take a second or two after every few labels, in
the engine, while the user keeps labelling; a logistic regression on the backbone's pooled
embeddings (the same head ``train --method logreg`` fits) does, and it is good enough to tell
which images it is unsure about. The embeddings are first reduced by a PCA fitted on *all*
images, labelled and not: the unlabelled pool teaches the model which directions vary among the
user's images at all, and with a handful of labels per class 64 components overfit far less
than 1,280 raw ones.

The strategies (``STRATEGIES``):

- ``uncertain``: the smallest margin between the two most probable classes first (margin
  sampling, Scheffer et al. 2001), the strongest simple criterion in benchmark studies.
- ``diverse`` (default): the most uncertain few times N images, then N of them spread out in
  embedding space by k-centre greedy (Sener & Savarese 2018): each pick is the candidate
  farthest from every labelled image and every earlier pick. Margin alone, asked for 10 images at
  once, returns 10 near-copies of one confusing image when the data is redundant (label-studio
  #3256: "no better than random"); the spread removes that redundancy.
- ``random``: the baseline every strategy must beat.

Before every class has two labelled images there is no model: the queue is then spread out over
the whole pool by k-centre (a cold start that covers the data), or random for ``random``.
NumPy and scikit-learn only (no TensorFlow), one BLAS thread (tiny problems; see classic.py).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

STRATEGIES = ("diverse", "uncertain", "random")
DEFAULT_STRATEGY = "diverse"
MIN_PER_CLASS = 2  # a class needs this many labelled images before a model is fitted
COMPONENTS = 64  # PCA components the model sees
PCA_SAMPLE = 1500  # the PCA is fitted on at most this many rows (5,000 rows: 2.2 s -> 0.4 s, same axes)
CANDIDATE_FACTOR = 3  # diverse: k-centre picks N among the CANDIDATE_FACTOR x N most uncertain
C = 1.0


@dataclass
class Ranking:
    """``order``: pool indices in the order to label; ``scores``: each one's usefulness (0-1, the
    margin uncertainty, or the spread when there is no model); ``probabilities``: the model's
    class probabilities for the whole pool (None without a model)."""

    order: np.ndarray
    scores: np.ndarray
    probabilities: np.ndarray | None


def check_strategy(strategy: str) -> str:
    if strategy not in STRATEGIES:
        raise ValueError(f"Unknown strategy '{strategy}' (choose {', '.join(STRATEGIES)}).")
    return strategy


def reduce_features(rows: np.ndarray, components: int = COMPONENTS, seed: int = 0) -> np.ndarray:
    """Centred, PCA-reduced rows (all images together), scaled so the first component has unit spread.
    The axes are fitted on a random sample of at most PCA_SAMPLE rows: the leading directions of
    thousands of embeddings are settled long before, and the full fit was most of a re-rank's time."""
    from sklearn.decomposition import PCA
    from threadpoolctl import threadpool_limits

    rows = np.asarray(rows, np.float32)
    keep = min(components, rows.shape[0] - 1, rows.shape[1])
    if keep < 1:
        return rows - rows.mean(axis=0, keepdims=True)
    sample = rows if len(rows) <= PCA_SAMPLE else rows[np.random.default_rng(seed).choice(len(rows), PCA_SAMPLE,
                                                                                         replace=False)]
    with threadpool_limits(limits=1):
        pca = PCA(keep, svd_solver="randomized" if keep < min(sample.shape) // 2 else "full", random_state=seed)
        reduced = pca.fit(sample).transform(rows)
    spread = float(reduced[:, 0].std()) or 1.0
    return (reduced / spread).astype(np.float32)


def has_model(labels: np.ndarray, n_classes: int) -> bool:
    """Whether every class has MIN_PER_CLASS labelled images (and there are at least two classes)."""
    counts = np.bincount(np.asarray(labels, int), minlength=n_classes)
    return n_classes >= 2 and int(counts.min()) >= MIN_PER_CLASS


def fit_model(features: np.ndarray, labels: np.ndarray, seed: int = 0) -> Any:
    """Logistic regression on the reduced features (``train --method logreg``'s classifier, at a fixed C).
    Not standardised: the PCA's later components are mostly noise, and scaling each to unit
    variance would give that noise the weight of the leading directions."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LogisticRegression(C=C, max_iter=500, random_state=seed).fit(features, labels)


def margin_uncertainty(probabilities: np.ndarray) -> np.ndarray:
    """1 - (p_first - p_second): 1 when the two most likely classes tie, 0 when the model is sure."""
    if probabilities.shape[1] < 2:
        return np.zeros(len(probabilities))
    top = np.partition(probabilities, -2, axis=1)[:, -2:]
    return 1.0 - (top[:, 1] - top[:, 0])


def k_centre(candidates: np.ndarray, centres: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Greedy k-centre: ``count`` rows of ``candidates``, each the farthest from ``centres`` and the
    earlier picks. Returns the picked indices and each one's distance when picked."""
    count = min(count, len(candidates))
    if count <= 0:
        return np.zeros(0, int), np.zeros(0)
    squared = np.einsum("ij,ij->i", candidates, candidates)
    if len(centres):
        nearest = np.full(len(candidates), np.inf)
        for start in range(0, len(centres), 1024):  # bounded memory for large labelled sets
            block = centres[start:start + 1024]
            d = squared[:, None] - 2 * candidates @ block.T + np.einsum("ij,ij->i", block, block)[None, :]
            nearest = np.minimum(nearest, d.min(axis=1))
    else:  # nothing labelled: start from the most typical image (nearest the mean), not an outlier
        mean = candidates.mean(axis=0)
        nearest = np.full(len(candidates), np.inf)
        first = int(np.argmin(squared - 2 * candidates @ mean))
    picked, distances = [], []
    for step in range(count):
        index = first if step == 0 and not len(centres) else int(np.argmax(nearest))
        picked.append(index)
        distances.append(0.0 if np.isinf(nearest[index]) else float(max(nearest[index], 0.0)))
        d = squared - 2 * candidates @ candidates[index] + squared[index]
        nearest = np.minimum(nearest, d)
        nearest[index] = -np.inf
    return np.asarray(picked, int), np.sqrt(np.asarray(distances))


def rank_pool(pool: np.ndarray, labelled: np.ndarray, labels: np.ndarray, n_classes: int, count: int,
              strategy: str = DEFAULT_STRATEGY, seed: int = 0) -> Ranking:
    """The next ``count`` pool images to label (rows of ``pool``), best first, by ``strategy``.

    ``pool`` and ``labelled`` are reduced features (:func:`reduce_features` of both together)."""
    check_strategy(strategy)
    rng = np.random.default_rng(seed)
    count = min(count, len(pool))
    if not has_model(labels, n_classes):
        if strategy == "random":
            order = rng.permutation(len(pool))[:count]
            return Ranking(order, np.zeros(len(order)), None)
        order, spread = k_centre(pool, labelled, count)
        return Ranking(order, spread / (spread.max() or 1.0), None)
    model = fit_model(labelled, labels, seed)
    probabilities = np.zeros((len(pool), n_classes))
    probabilities[:, model.classes_] = model.predict_proba(pool)
    uncertainty = margin_uncertainty(probabilities)
    if strategy == "random":
        order = rng.permutation(len(pool))[:count]
    elif strategy == "uncertain":
        order = np.argsort(-uncertainty, kind="stable")[:count]
    else:
        candidates = np.argsort(-uncertainty, kind="stable")[:max(count, CANDIDATE_FACTOR * count)]
        picked, _ = k_centre(pool[candidates], labelled, count)
        order = candidates[picked]
    return Ranking(order, uncertainty[order], probabilities)
