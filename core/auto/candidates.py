"""Auto's candidate recipes and their scores (TensorFlow-free).

A candidate is one recipe a lab could have chosen by hand: a backbone, a method (embeddings +
logistic regression / linear SVM, or fine-tuning), the feature layer or freeze point, and for
fine-tuning the learning rate, augmentation and epochs. Its score is a list of fold accuracies;
the leaderboard shows their mean and spread, and :func:`to_config` turns the winner into the
ordinary TrainConfig the final model is trained with (and the window's fields are filled from).
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from core.events import CandidateFinished
from core.messages import Said, message, portable, said


def augmentation() -> Any:
    """Zoom and contrast only: safe for orientation-sensitive images (digits, text, oriented
    tissue), where flips and rotations change the class; cross-validation decides whether it helps."""
    from core.training.pipeline import Augmentation

    return Augmentation(zoom=True, contrast=True)


@dataclass(frozen=True)
class Candidate:
    backbone: str
    method: str  # "logreg" | "svm" | "finetune" (core.methods)
    layer: int  # embeddings: the feature layer; fine-tuning: the freeze point (backbone layers frozen)
    c: float | None = None  # the linear classifier's regularisation (embeddings only)
    learning_rate: float | None = None  # fine-tuning; None until the learning-rate finder has run
    augment: bool = False
    epochs: int = 0  # fine-tuning: the most epochs a fold trains (early stopping may end it sooner)

    @property
    def name(self) -> str:
        """``lite0: fine-tune from layer 116, augmented``: English, by its id in core/messages/names.py
        (the window translates it back from the text: it is also the leaderboard's key and the record's)."""
        if self.method == "finetune":
            return message("auto.candidate.finetune_augmented" if self.augment else "auto.candidate.finetune",
                           backbone=self.backbone, layer=self.layer)
        return message("auto.candidate.svm" if self.method == "svm" else "auto.candidate.logreg",
                       backbone=self.backbone, layer=self.layer, c=self.c)

    def settings(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        if self.method != "finetune":
            out.pop("augment", None), out.pop("epochs", None)
        return out


@dataclass
class Score:
    """What the search measured about one candidate."""

    candidate: Candidate
    fold_accuracies: list[float] = field(default_factory=list)
    fold_seconds: list[float] = field(default_factory=list)
    fold_startups: list[float] = field(default_factory=list)  # fine-tuning: each fold's start-up (core/auto/startup.py)
    curves: list[list[float]] = field(default_factory=list)  # fine-tuning: each fold's validation accuracy per epoch
    chosen_epochs: int | None = None  # fine-tuning: the epoch count the fold curves agree on
    status: Said = field(default_factory=lambda: said("auto.status.waiting"))  # by id: the window translates it
    kept: Any = None  # fine-tuning: the last fold's model (kept for a Stop when nothing is refit)

    @property
    def folds(self) -> int:
        return len(self.fold_accuracies)

    @property
    def mean(self) -> float | None:
        return float(np.mean(self.fold_accuracies)) if self.fold_accuracies else None

    @property
    def spread(self) -> float:
        return float(np.std(self.fold_accuracies, ddof=1)) if self.folds > 1 else math.nan

    @property
    def seconds(self) -> float:
        return float(sum(self.fold_seconds))

    def row(self, k: int = 5) -> CandidateFinished:
        """The leaderboard row (an event: the CLI prints it as a JSON line, the window adds it live).
        Its interval is :func:`core.stats.intervals.cv_interval`'s over the fold accuracies of
        ``k``-fold cross-validation (Nadeau-Bengio: the folds share training images, so the naive
        spread is too narrow); one fold says nothing about the spread: 0-100 %."""
        from core.stats.intervals import cv_interval

        low = high = None
        if self.fold_accuracies:
            interval = cv_interval(self.fold_accuracies, folds=max(k, 2))
            low, high = interval["low"], interval["high"]
        settings = self.candidate.settings()
        if self.chosen_epochs is not None:
            settings["epochs"] = self.chosen_epochs
        return CandidateFinished(self.candidate.name, settings, self.mean, low, high, round(self.seconds, 2),
                                 str(self.status), self.folds, self.status.message_id,
                                 {name: portable(value) for name, value in self.status.params.items()})


def to_config(base: Any, score: Score) -> Any:
    """The TrainConfig that trains ``score``'s recipe on all training images (``base``: the user's
    config, whose data, split, seed and cache settings are kept)."""
    from core.training.pipeline import Augmentation

    candidate = score.candidate
    common = {"backbone": candidate.backbone, "method": candidate.method, "freeze": candidate.layer}
    if candidate.method != "finetune":
        return replace(base, **common)
    epochs = score.chosen_epochs or candidate.epochs
    return replace(base, **common, epochs=epochs, warmup_epochs=min(base.warmup_epochs, epochs),
                   learning_rate=candidate.learning_rate or base.learning_rate,
                   augment=augmentation() if candidate.augment else Augmentation(),
                   early_stopping_patience=0)
