"""The audit's three kinds of finding, from embeddings alone (NumPy and scikit-learn, no TensorFlow).

**Near-duplicate threshold, calibrated per dataset and backbone.** Embeddings are centred (the
dataset's mean embedding subtracted: a backbone's pooled features share a large common part that
makes every pair look alike) and L2-normalised. Sample images are altered the way copies arise in
practice (resized to 60 %, re-encoded as JPEG quality 75, 5 % cropped from each side) and the cosine
similarity of each to its altered copies gives the *copy* distribution; each image's similarity to
its nearest other image (exact copies left out) gives the *neighbour* distribution. The threshold
is their equal-error point: as many altered copies fall below it as images have a neighbour above
it. A pair above it must also stand out (``STAND_OUT`` above either image's next most similar
image), which removes look-alikes in crowded classes without losing copies.

**Perceptual hashes beside the embeddings.** A small image resized and re-encoded as JPEG can move
in embedding space as far as a look-alike (28 px digits: 1 of 4 such copies found, among 16 "near"
pairs of different digits). Its DCT perceptual hash (core.insight.embeddings.perceptual_hash) barely
moves. So a pair is also a near duplicate when the hashes differ in at most ``PERCEPTUAL_COPY_BITS``
bits, and an embedding pair is dropped when its hashes differ by more than any sample image's
altered copies do (:func:`perceptual_veto`): different pictures, however alike their features. Neighbours are found
blockwise (``BLOCK_CELLS`` similarities at a time, ``MAX_NEIGHBOURS`` kept per image), so memory
stays bounded for tens of thousands of images.

**Suspected mislabelled images**, confident learning (Northcutt, Jiang & Chuang, JAIR 2021):
out-of-fold class probabilities from a standardised logistic regression (stratified k-fold,
``cross_val_predict``); each class's threshold is the mean probability its own images give it
(its self-confidence); an image is suspected when the probability of its given class is below
that class's threshold while another class is at or above its own. The suggested class is the
likeliest such class; the score is ``1 - p(given class)``, most suspicious first.

**Outliers**: the cosine distance of each (centred) embedding to its nearest class centroid
(:func:`core.training.familiarity.calibrate`, as for unfamiliar images in ``predict``), flagged
beyond Tukey's fence of those distances (75th percentile + 1.5 x the interquartile
range): a percentile rule that a few outliers cannot drag along. The score is distance / fence.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from core.training.familiarity import calibrate

SEPARABLE_ERROR = 0.2
STAND_OUT = 0.02
MAX_NEIGHBOURS = 20
BLOCK_CELLS = 2**23  # similarity entries at once; the peak is ~17 bytes each (float64 similarities, the
# argpartition's int64 indices, the same-group mask): ~140 MB, whatever the number of images
OUTLIER_FENCE = 1.5
PERCEPTUAL_COPY_BITS = 2  # hashes this close: the same picture (digits: resized JPEG copies 0 bits; 8 of the
# 1.6 million pairs of different digits 2 bits, the others 4 or more)
MAX_BUCKET = 2000  # images sharing one band of their perceptual hash beyond this are not compared through it
LOGREG_C = 0.1


def unit_rows(rows: np.ndarray, centre: np.ndarray | None = None) -> np.ndarray:
    rows = np.asarray(rows, np.float64)
    if centre is not None:
        rows = rows - centre
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def near_threshold(copy_similarities: np.ndarray, nearest: np.ndarray) -> tuple[float, bool]:
    """(cosine threshold, whether altered copies and distinct neighbours separate): the equal-error
    point between the two distributions (as many copies fall below it as nearest neighbours lie
    above it); ``separable`` when that error is under ``SEPARABLE_ERROR``."""
    copies = np.sort(np.asarray(copy_similarities, np.float64))
    nearest = np.sort(np.asarray(nearest, np.float64))
    if not len(copies) or not len(nearest):
        return 1.0, False
    candidates = np.unique(np.concatenate([copies, nearest]))
    missed = np.searchsorted(copies, candidates, side="left") / len(copies)  # copies below t
    flagged = 1.0 - np.searchsorted(nearest, candidates, side="right") / len(nearest)  # neighbours above t
    best = int(np.argmin(np.maximum(missed, flagged)))
    return float(candidates[best]), max(missed[best], flagged[best]) < SEPARABLE_ERROR


def neighbours(unit: np.ndarray, groups_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each image's ``MAX_NEIGHBOURS`` most similar other images, leaving out those with the same
    ``groups_of`` id (exact copies): (indices, similarities), both (n, k), most similar first.
    Blockwise: at most ``BLOCK_CELLS`` similarities exist at once."""
    n = len(unit)
    k = min(MAX_NEIGHBOURS, max(n - 1, 1))
    index = np.zeros((n, k), int)
    value = np.full((n, k), -np.inf)
    block = max(1, BLOCK_CELLS // max(n, 1))
    for start in range(0, n, block):
        sims = unit[start:start + block] @ unit.T
        sims[groups_of[start:start + block, None] == groups_of[None, :]] = -np.inf  # itself and exact copies
        top = np.argpartition(sims, n - k, axis=1)[:, n - k:] if n > k else np.argsort(-sims, axis=1)[:, :k]  # no negated copy of a big block
        top_values = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_values, axis=1)
        index[start:start + block] = np.take_along_axis(top, order, axis=1)
        value[start:start + block] = np.take_along_axis(top_values, order, axis=1)
    return index, value


def similar_pairs(index: np.ndarray, value: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs (i < j) above ``threshold`` that also stand out: their similarity exceeds each image's
    next most similar other image by at least ``STAND_OUT`` (a copy is closer to its original than
    to anything else; two merely similar images of a crowded class are not)."""
    def runner_up(i: int, j: int) -> float:
        others = value[i][index[i] != j]
        return float(others[0]) if len(others) else -1.0

    pairs = set()
    for i, c in zip(*np.nonzero(value > threshold)):
        j = int(index[i, c])
        similarity = float(value[i, c])
        if similarity - max(runner_up(int(i), j), runner_up(j, int(i))) >= STAND_OUT:
            pairs.add((min(int(i), j), max(int(i), j)))
    return sorted(pairs)


def hamming(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """Bits that differ between 64-bit perceptual hashes (element-wise)."""
    x = np.bitwise_xor(np.asarray(a, np.uint64), np.asarray(b, np.uint64))
    return np.unpackbits(np.atleast_1d(x).view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1).reshape(np.shape(x))


def perceptual_pairs(codes: np.ndarray, groups_of: np.ndarray, max_bits: int = PERCEPTUAL_COPY_BITS) -> list[tuple[int, int]]:
    """Pairs (i < j) whose perceptual hashes differ in at most ``max_bits`` bits, leaving out pairs with the
    same ``groups_of`` id (exact copies, already reported). Pigeonhole bands: hashes within ``max_bits``
    bits agree exactly on at least one of ``max_bits + 1`` bands, so only pairs sharing a band value are
    compared (near-linear in practice, never all n^2 pairs)."""
    codes = np.asarray(codes, np.uint64)
    bands = max_bits + 1
    width = -(-64 // bands)
    candidates: set[tuple[int, int]] = set()
    for band in range(bands):
        keys = (codes >> np.uint64(band * width)) & np.uint64((1 << width) - 1)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(order)]
        for start, end in zip(starts, ends):
            if end - start < 2 or end - start > MAX_BUCKET:  # a bucket of thousands: a flat band, no evidence
                continue
            members = np.sort(order[start:end])
            for offset, i in enumerate(members[:-1]):
                candidates.update((int(i), int(j)) for j in members[offset + 1:])
    if not candidates:
        return []
    pairs = np.asarray(sorted(candidates))
    close = (hamming(codes[pairs[:, 0]], codes[pairs[:, 1]]) <= max_bits) & (
        groups_of[pairs[:, 0]] != groups_of[pairs[:, 1]])
    return [(int(i), int(j)) for i, j in pairs[close]]


def perceptual_veto(copy_distances: np.ndarray) -> int:
    """The most bits an embedding pair's perceptual hashes may differ by and still be reported: the largest
    distance between sample images and their own altered copies (resized, re-encoded, cropped), at least
    :data:`PERCEPTUAL_COPY_BITS`. Look-alike different images (two handwritten "1"s) pass the embedding
    threshold but differ in their coarse layout far more than any copy does."""
    distances = np.asarray(copy_distances)
    return int(max(PERCEPTUAL_COPY_BITS, distances.max() if len(distances) else 64))


def groups(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected groups (of at least two) of the graph with ``pairs`` as edges (union-find)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    return sorted((sorted(g) for g in members.values() if len(g) > 1), key=lambda g: g[0])


def scope(group: Sequence[int], labels: Sequence[int], in_val: Sequence[bool]) -> str:
    """"train-val" (leakage: the split's both sides) before "cross-class" (conflicting labels)
    before "same-class"."""
    if len({bool(in_val[i]) for i in group}) > 1:
        return "train-val"
    return "cross-class" if len({labels[i] for i in group}) > 1 else "same-class"


def out_of_fold_probabilities(features: np.ndarray, labels: np.ndarray, n_classes: int,
                              seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities (n, n_classes) , rows used): cross-validated over the classes with at least two
    images (a class of one cannot be held out); other rows are not judged."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    counts = np.bincount(labels, minlength=n_classes)
    rows = np.flatnonzero(counts[labels] >= 2)
    probs = np.zeros((len(labels), n_classes))
    used = np.unique(labels[rows])
    if len(used) < 2:
        return probs, np.zeros(0, int)
    folds = int(min(5, counts[used].min()))
    model = make_pipeline(StandardScaler(), LogisticRegression(C=LOGREG_C, max_iter=2000))
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        part = cross_val_predict(model, features[rows], labels[rows], method="predict_proba",
                                 cv=StratifiedKFold(folds, shuffle=True, random_state=seed))
    probs[np.ix_(rows, used)] = part
    return probs, rows


def label_issues(probs: np.ndarray, labels: np.ndarray, rows: np.ndarray) -> list[tuple[int, int, float]]:
    """Confident learning (module docstring): [(row, suggested class, score)], most suspicious first."""
    n_classes = probs.shape[1]
    thresholds = np.full(n_classes, np.inf)
    for k in range(n_classes):
        members = rows[labels[rows] == k]
        if len(members):
            thresholds[k] = probs[members, k].mean()
    found = []
    for i in rows:
        given = labels[i]
        if probs[i, given] >= thresholds[given]:
            continue
        others = [k for k in range(n_classes) if k != given and probs[i, k] >= thresholds[k]]
        if others:
            suggested = max(others, key=lambda k: probs[i, k])
            found.append((int(i), int(suggested), float(1.0 - probs[i, given])))
    return sorted(found, key=lambda item: -item[2])


def outlier_scores(unit: np.ndarray, labels: np.ndarray, n_classes: int) -> tuple[np.ndarray, float]:
    """(distance to the nearest class centroid / fence, per image; the fence), as the module says."""
    distances = calibrate(unit, labels, n_classes, "embedding").distances(unit)
    q1, q3 = np.quantile(distances, [0.25, 0.75])
    fence = float(q3 + OUTLIER_FENCE * (q3 - q1))
    return distances / max(fence, 1e-12), fence
