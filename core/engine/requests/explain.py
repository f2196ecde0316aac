"""The request of ``explain`` (Grad-CAM) and its reply: the window asks for heatmaps of some images
with the model in use and gets small overlay PNGs back. TensorFlow-free."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.engine.protocol import Request

PREVIEW_SIDE = 360  # px: the larger view's size; the cards scale it down (a PNG of this size is ~100-200 kB)


@dataclass(frozen=True)
class ExplainRequest(Request):
    """Grad-CAM for ``paths`` with ``source``'s model (as PredictRequest's: ``{"kind": "imagenet",
    "backbone": id}`` or ``{"kind": "handle", "handle": handle}``), for the predicted class or
    ``class_name``."""

    source: dict[str, Any]
    paths: tuple[str, ...]
    class_name: str | None = None
    preview_side: int = PREVIEW_SIDE
    name: ClassVar[str] = "explain"


@dataclass
class ExplainedImage:
    """One image's heatmap as the window shows it: the overlay as PNG bytes (None with ``error``)."""

    path: str
    label: str | None
    probability: float | None
    peak: tuple[int, int] | None  # [x, y] in the original image's pixels
    overlay_png: bytes | None
    error: str | None = None
