"""The cross-validation folds Auto scores every candidate on, from the training images only.

Why one small function: every candidate must be scored on the *same* folds (paired comparisons,
and the embeddings' features are computed once for all of them), and images of one group (slide,
animal, plate) must never sit on both sides of a fold. When core/data/groups.py's
``group_folds(labels, groups, k, repeats, seed)`` lands, :func:`cv_folds` becomes a one-line call to it.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

Fold = tuple[np.ndarray, np.ndarray]  # (rows to fit on, rows to score on), indices into the training images


def fold_count(labels: Sequence[int], k: int) -> int:
    """``k`` capped by the smallest class (stratification needs one image of each class per fold)."""
    smallest = int(np.bincount(np.asarray(labels, int)).min()) if len(labels) else 0
    return max(2, min(k, smallest)) if smallest >= 2 else 0


def cv_folds(labels: Sequence[int], groups: Sequence[str] | None = None, k: int = 5, repeats: int = 2,
             seed: int = 0) -> list[Fold]:
    """``repeats`` x ``k`` stratified folds (group-aware when ``groups`` is given), repeat-major:
    the first ``k`` folds cover every training image once, so any prefix of whole repeats is a
    complete cross-validation. Empty when a class has fewer than two images."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    labels = np.asarray(labels, int)
    k = fold_count(labels, k)
    if k < 2:
        return []
    folds: list[Fold] = []
    rows = np.zeros(len(labels))
    for repeat in range(repeats):
        if groups is not None:
            splitter = StratifiedGroupKFold(k, shuffle=True, random_state=seed + repeat)
            splits = splitter.split(rows, labels, np.asarray(groups))
        else:
            splits = StratifiedKFold(k, shuffle=True, random_state=seed + repeat).split(rows, labels)
        folds.extend((np.asarray(fit), np.asarray(score)) for fit, score in splits)
    return folds
