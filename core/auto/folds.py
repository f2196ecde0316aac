"""The cross-validation folds Auto scores every candidate on, from the training images only.

Why one small function: every candidate must be scored on the *same* folds (paired comparisons,
and the embeddings' features are computed once for all of them), and images of one group (slide,
animal, plate) must never sit on both sides of a fold. :func:`cv_folds` is
core/data/groups.py's ``group_folds`` (the one repeated stratified group k-fold), as a list.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from core.errors import GroupByError

Fold = tuple[np.ndarray, np.ndarray]  # (rows to fit on, rows to score on), indices into the training images


def fold_count(labels: Sequence[int], k: int) -> int:
    """``k`` capped by the smallest class (stratification needs one image of each class per fold)."""
    smallest = int(np.bincount(np.asarray(labels, int)).min()) if len(labels) else 0
    return max(2, min(k, smallest)) if smallest >= 2 else 0


def cv_folds(labels: Sequence[int], groups: Sequence[str] | Sequence[int] | None = None, k: int = 5,
             repeats: int = 2, seed: int = 0) -> list[Fold]:
    """``repeats`` x ``k`` stratified folds (group-aware when ``groups`` is given: names or ids),
    repeat-major: the first ``k`` folds cover every training image once, so any prefix of whole
    repeats is a complete cross-validation. Empty when a class has fewer than two images."""
    from core.data.groups import group_folds, group_ids

    labels = np.asarray(labels, int)
    if fold_count(labels, k) < 2:
        return []
    ids = None if groups is None else group_ids([str(g) for g in groups])
    try:
        return [(np.asarray(fit), np.asarray(score)) for fit, score in group_folds(labels, ids, fold_count(labels, k),
                                                                                  repeats, seed)]
    except GroupByError:  # fewer than 2 groups
        return []
