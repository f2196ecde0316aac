"""The operations both fronts run. Each takes its inputs, an event sink and a cancel token, and
returns a plain result; the CLI and the GUI worker stay thin wrappers around these."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .backbones import BACKBONES, BackboneSpec
from .events import EventSink, ignore_events


@dataclass(frozen=True)
class BackboneInfo:
    id: str
    label: str
    description: str
    input_size: int
    params_m: float
    speed: str
    weights: str  # "offline" | "cached" | "download"

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_backbones() -> list[BackboneInfo]:
    """Cheap: no TensorFlow import."""
    from .weights import weights_status

    def info(spec: BackboneSpec) -> BackboneInfo:
        return BackboneInfo(spec.id, spec.label, spec.description, spec.input_size, spec.params_m, spec.speed,
                            weights_status(spec))

    return [info(spec) for spec in BACKBONES.values()]


def run_training(config: Any, sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> Any:
    """Fine-tune per ``config`` (a TrainConfig) and evaluate the result on the validation split."""
    from .train import train

    result = train(config, sink, cancel)
    result.metrics = validation_metrics(result)
    return result


def validation_metrics(result: Any) -> dict[str, Any]:
    """Loss and accuracy of the kept (best) model on the validation images."""
    import numpy as np

    from .predict import Predictor

    predictor = Predictor(result.model, result.class_names)
    probs = predictor.probabilities(result.data.val_images)
    labels = np.asarray(result.data.val.labels)
    predicted = probs.argmax(axis=1)
    eps = 1e-7
    loss = float(-np.mean(np.log(np.clip(probs[np.arange(len(labels)), labels], eps, 1.0))))
    return {"val_accuracy": float(np.mean(predicted == labels)), "val_loss": loss, "val_images": int(len(labels)),
            "best_epoch": result.best_epoch, "train_images": len(result.data.train),
            "elapsed_s": round(result.elapsed_s, 2)}


def save_training_result(result: Any, path: str | Path) -> Path:
    from .bundle import save_bundle
    from .train import bundle_config

    return save_bundle(path, result.model, result.class_names, bundle_config(result), result.history,
                       result.metrics)


def run_prediction(source: str | Path, images: Sequence[str | Path], k: int = 5, imagenet_backbone: bool = False,
                   sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> list[Any]:
    """Top-k for ``images`` from a bundle folder, or from a backbone's ImageNet classifier."""
    from .predict import Predictor

    predictor = Predictor.for_imagenet(str(source)) if imagenet_backbone else Predictor.from_bundle(source)
    return predictor.top_k(images, k, sink, cancel)
