"""Top-k predictions for a trained bundle or for a raw backbone's ImageNet classifier."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .backbones import get_backbone
from .bundle import Bundle, load_bundle
from .data import decode_error_reason, load_image
from .events import EventSink, Progress, ignore_events

ImageSource = str | Path | np.ndarray


@dataclass(frozen=True)
class Guess:
    label: str
    probability: float


@dataclass(frozen=True)
class ImagePrediction:
    source: str
    top: list[Guess]
    error: str | None = None  # why this image could not be classified (the others still are)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"image": self.source, "top": [g.__dict__ for g in self.top]}
        if self.error:
            out["error"] = self.error
        return out


class Predictor:
    """Wraps a Keras model that takes raw RGB pixels, plus its class names."""

    def __init__(self, model: Any, class_names: Sequence[str], description: str = "") -> None:
        self.model = model
        self.class_names = list(class_names)
        self.image_size = int(model.input_shape[1])
        self.description = description

    @classmethod
    def from_bundle(cls, path: str | Path | Bundle) -> "Predictor":
        bundle = path if isinstance(path, Bundle) else load_bundle(path)
        kind = {"svm": "embeddings + SVM", "logreg": "embeddings + logistic regression"}.get(bundle.method,
                                                                                          "fine-tuned")
        return cls(bundle.model, bundle.class_names, f"{kind} model {bundle.path.name}")

    @classmethod
    def for_imagenet(cls, backbone_id: str) -> "Predictor":
        """The backbone with its 1000-class ImageNet top, preprocessing inside, ImageNet names."""
        from .imagenet import imagenet_class_names
        from .model import build_backbone, keras, pixel_input

        spec = get_backbone(backbone_id)
        classifier = build_backbone(spec, "imagenet", spec.input_size, include_top=True)
        inputs, x = pixel_input(spec, spec.input_size)
        model = keras.Model(inputs, classifier(x), name=f"imagenet_{backbone_id}")
        return cls(model, imagenet_class_names(), f"{spec.label} ImageNet classifier")

    def probabilities(self, pixels: np.ndarray, batch_size: int = 32) -> np.ndarray:
        """Class probabilities for a (N, size, size, 3) uint8/float array of raw pixels."""
        if len(pixels) == 0:
            return np.zeros((0, len(self.class_names)), np.float32)
        from .features import run_batched  # one traced forward pass: model.predict's per-call setup
        # cost ~40 ms, most of a single dropped image's latency (benchmarks/README.md)

        return run_batched(self.model, pixels, batch_size)

    def top_k(self, images: Sequence[ImageSource], k: int = 5, sink: EventSink = ignore_events,
              cancel: threading.Event | None = None) -> list[ImagePrediction]:
        """Predict each image; unreadable ones get an ``error`` instead of stopping the batch."""
        k = max(1, min(k, len(self.class_names)))
        pixels, ok, results = [], [], []
        for index, source in enumerate(images):
            if cancel is not None and cancel.is_set():
                break
            try:
                pixels.append(load_image(source, self.image_size))
                ok.append(index)
            except Exception as error:  # a bad file is reported per image, never fatal
                results.append((index, ImagePrediction(_name(source), [], decode_error_reason(error))))
            sink(Progress("predict", index + 1, len(images), "Reading images"))
        probs = self.probabilities(np.stack(pixels)) if pixels else np.zeros((0, len(self.class_names)))
        for index, row in zip(ok, probs):
            order = np.argsort(row)[::-1][:k]
            top = [Guess(self.class_names[i], float(row[i])) for i in order]
            results.append((index, ImagePrediction(_name(images[index]), top)))
        return [prediction for _, prediction in sorted(results, key=lambda item: item[0])]


def _name(source: ImageSource) -> str:
    return "<array>" if isinstance(source, np.ndarray) else str(source)
