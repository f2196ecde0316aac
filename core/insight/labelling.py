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
- ``diverse`` (default): typical images of uncovered, uncertain regions. All images are
  clustered (k-means, as many clusters as labelled images plus N); clusters holding no labelled
  image are ranked by their size times their mean uncertainty, and from each of the first N the
  image that is both typical (dense among its cluster's images) and uncertain is taken. This is
  TypiClust (Hacohen et al. 2022, "Active learning on a budget") weighted by margin. Margin
  alone, asked for 10 images at once, returns near-copies of one confusing image when the data is
  redundant (label-studio #3256: "no better than random") and, with a few labels per class, hard
  outliers that teach a linear model little; margin followed by k-centre spreading (Sener &
  Savarese 2018) did no better than margin on real digits (benchmarks/README.md) and fell below
  random in early rounds once the final model chooses its C by cross-validation.
- ``random``: the baseline every strategy must beat.

Before every class has two labelled images there is no model: ``diverse`` and ``uncertain`` then
take typical images of the largest uncovered clusters (a cold start that covers the data), and
``random`` random ones.
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
MAX_CLUSTERS = 400  # diverse: k-means clusters at most (labelled + N); keeps a re-rank of 5,000 under 2 s
KMEANS_ITERATIONS = 50
CLUSTER_SAMPLE = 2000  # k-means++ was most of a re-rank: 5,000 rows 2.2 s, 2,000 rows 0.6 s (busy laptop)
TYPICAL_NEIGHBOURS = 20
TYPICAL_SAMPLE = 1000  # a cluster's typicality is measured on at most this many of its images
C = 1.0


@dataclass
class Ranking:
    """``order``: pool indices in the order to label; ``scores``: each one's margin uncertainty
    (0-1; 0 when there is no model yet); ``probabilities``: the model's
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


def typicality(rows: np.ndarray, neighbours: int = TYPICAL_NEIGHBOURS) -> np.ndarray:
    """Inverse mean squared distance to the ``neighbours`` nearest other rows: high in dense regions.
    Squared, where TypiClust uses plain distances: chosen by benchmarks/labelling.py on real digits
    (0.725 against 0.712 at 90 labels, mean of 5 seeds)."""
    if len(rows) < 2:
        return np.ones(len(rows))
    squared = np.einsum("ij,ij->i", rows, rows)
    distances = np.maximum(squared[:, None] - 2 * rows @ rows.T + squared[None, :], 0.0)
    k = min(neighbours, len(rows) - 1)
    nearest = np.partition(distances, k, axis=1)[:, 1:k + 1]  # column 0 is the row itself (distance 0)
    return 1.0 / (1e-9 + nearest.mean(axis=1))


def typical_clusters(pool: np.ndarray, labelled: np.ndarray, count: int, weight: np.ndarray,
                     seed: int = 0) -> np.ndarray:
    """``count`` pool rows: typical, ``weight``-heavy members of the heaviest clusters without a
    labelled image (module docstring); the highest-weight rest when there are fewer such clusters."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    together = np.concatenate([labelled, pool]) if len(labelled) else pool
    clusters = max(1, min(len(labelled) + count, len(together), MAX_CLUSTERS))
    rng = np.random.default_rng(seed)
    fitted_on = together  # k-means++ on at most CLUSTER_SAMPLE rows (all labelled ones), the rest assigned after
    if len(together) > CLUSTER_SAMPLE:
        extra = rng.choice(len(pool), max(CLUSTER_SAMPLE - len(labelled), clusters), replace=False)
        fitted_on = np.concatenate([labelled, pool[extra]]) if len(labelled) else pool[extra]
    with threadpool_limits(limits=1):
        kmeans = KMeans(clusters, n_init=1, max_iter=KMEANS_ITERATIONS, random_state=seed).fit(fitted_on)
        assigned = kmeans.predict(together)
    covered = np.zeros(clusters, bool)
    covered[assigned[:len(labelled)]] = True
    member_of = assigned[len(labelled):]
    value = np.bincount(member_of, weights=weight, minlength=clusters)  # size x mean weight
    value[covered] = -1.0
    picked: list[int] = []
    for cluster in np.argsort(-value, kind="stable")[:count]:
        if value[cluster] <= 0:
            break
        members = np.flatnonzero(member_of == cluster)
        if len(members) > TYPICAL_SAMPLE:
            members = rng.choice(members, TYPICAL_SAMPLE, replace=False)
        picked.append(int(members[np.argmax(typicality(pool[members]) * weight[members])]))
    if len(picked) < count:
        taken = set(picked)
        picked += [int(i) for i in np.argsort(-weight, kind="stable") if int(i) not in taken][:count - len(picked)]
    return np.asarray(picked, int)


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
        order = typical_clusters(pool, labelled, count, np.ones(len(pool)), seed)
        return Ranking(order, np.zeros(len(order)), None)
    model = fit_model(labelled, labels, seed)
    probabilities = np.zeros((len(pool), n_classes))
    probabilities[:, model.classes_] = model.predict_proba(pool)
    uncertainty = margin_uncertainty(probabilities)
    if strategy == "random":
        order = rng.permutation(len(pool))[:count]
    elif strategy == "uncertain":
        order = np.argsort(-uncertainty, kind="stable")[:count]
    else:
        order = typical_clusters(pool, labelled, count, uncertainty, seed)
    return Ranking(order, uncertainty[order], probabilities)
