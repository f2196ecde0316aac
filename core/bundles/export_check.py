"""Run an export with its own runtime and compare it with the app's answers.

Why a separate check: the exports that peers hand out fail in the user's hands (Teachable
Machine's most reported breakage is an export that loads differently or answers differently).
Each export is therefore loaded the way its consumer will load it (TensorFlow's SavedModel loader,
the LiteRT/TFLite interpreter, onnxruntime), given the same decoded pixels as the app, and its
top-1 answers and probabilities are compared with :class:`core.bundles.predict.Predictor`'s.
Nothing here imports project code on the runtime side, exactly like the README's clients.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

BATCH = 32


@dataclass(frozen=True)
class Comparison:
    """How an export's answers compare with the app's on the same images."""
    images: int
    agreement: float  # share of images with the same top-1 class
    max_abs_diff: float  # largest |probability difference| over all images and classes
    disagreeing: list[str]  # the images whose top-1 differs (names, for the message)
    accuracy_app: float | None  # on images whose true class is known (folder name), else None
    accuracy_export: float | None


def runtime_for(fmt: str, model_path: Path) -> tuple[str, Callable[[np.ndarray], np.ndarray]]:
    """(runtime name, probabilities for a batch of raw pixels) using the format's own runtime."""
    from core.runtime.convert import load_runner

    return load_runner(fmt, model_path)


def in_batches(run: Callable[[np.ndarray], np.ndarray], pixels: np.ndarray) -> np.ndarray:
    return np.concatenate([run(pixels[i:i + BATCH]) for i in range(0, len(pixels), BATCH)])


def compare(app: np.ndarray, exported: np.ndarray, names: Sequence[str],
            truth: Sequence[int | None]) -> Comparison:
    """Top-1 agreement and the largest probability difference; accuracies where the truth is known."""
    ours, theirs = app.argmax(axis=1), exported.argmax(axis=1)
    same = ours == theirs
    known = [i for i, label in enumerate(truth) if label is not None]
    accuracy = (lambda top: float(np.mean([top[i] == truth[i] for i in known]))) if known else (lambda top: None)
    return Comparison(len(names), float(same.mean()), float(np.abs(app - exported).max()),
                      [names[i] for i in np.flatnonzero(~same)], accuracy(ours), accuracy(theirs))
