"""The request of ``label`` ("Label images…" in the window). TensorFlow-free: the window imports it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class LabelRequest(Request):
    """Refit on the labels so far and rank ``unlabelled`` for ``dataset``
    (``core.jobs.label.suggest_labels``); the reply is ``LabelSuggestions.to_dict()`` (plain types).
    ``skip``: images the user skipped, left out of the queue; ``plot_words`` (the x label, the y
    label, the target's legend, translated by the window): the reply also carries ``plot_png``."""

    dataset: str
    unlabelled: str
    count: int = 40
    strategy: str = "diverse"
    backbone: str | None = None
    weights: str | None = "imagenet"
    image_size: int | None = None
    skip: tuple[str, ...] = ()
    target: float = 0.9
    plot_words: tuple[str, str, str] | None = None
    name: ClassVar[str] = "label"
