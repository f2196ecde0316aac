"""Frozen-backbone activations: embeddings for the classic classifier and (later) a cache that lets
training skip the frozen prefix. A feature model takes raw pixels, like every model here."""
from __future__ import annotations

import threading

import numpy as np

from .backbones import get_backbone
from .events import EventSink, Progress, ignore_events
from .model import build_backbone, keras, preprocessing_layers
from .weights import WeightsArg


def embedding_model(backbone_id: str, weights: WeightsArg = "imagenet", input_size: int | None = None,
                    layer: int | str | None = None) -> keras.Model:
    """Raw pixels -> preprocessing -> backbone up to ``layer`` (default: the last) -> global average pool.

    ``layer`` is a freeze-slider position (number of backbone layers) or a layer name.
    """
    spec = get_backbone(backbone_id)
    size = input_size or spec.input_size
    backbone = build_backbone(spec, weights, size)
    if layer is not None:
        name = layer if isinstance(layer, str) else backbone.layers[max(int(layer), 1) - 1].name
        backbone = keras.Model(backbone.input, backbone.get_layer(name).output, name=f"{backbone.name}_to_{name}")
    inputs = keras.Input((size, size, 3), name="pixels")
    x = inputs
    for preprocess in preprocessing_layers(spec.preprocess):
        x = preprocess(x)
    x = backbone(x, training=False)
    if len(x.shape) == 4:
        x = keras.layers.GlobalAveragePooling2D(name="embedding_pool")(x)
    return keras.Model(inputs, x, name=f"embedding_{backbone_id}")


def extract_features(model: keras.Model, images: np.ndarray, batch_size: int = 32,
                     sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> np.ndarray:
    """Run ``model`` over uint8 images in batches, with progress and cancellation between batches."""
    outputs = []
    total = len(images)
    for start in range(0, total, batch_size):
        if cancel is not None and cancel.is_set():
            raise InterruptedError("Feature extraction cancelled.")
        batch = np.asarray(images[start:start + batch_size], np.float32)
        outputs.append(np.asarray(model(batch, training=False)))
        done = min(start + batch_size, total)
        sink(Progress("features", done, total, f"Computing features {done}/{total}"))
    return np.concatenate(outputs) if outputs else np.zeros((0,) + tuple(model.output_shape[1:]), np.float32)
