"""Frozen-backbone activations: embeddings for the classic classifier, and the batched forward pass
that the training feature cache (core/training/feature_cache.py) uses. Feature models take raw pixels,
like every model here."""
from __future__ import annotations

import logging
import threading
import weakref
from typing import Any, Callable

import numpy as np

from core.backbones import get_backbone
from core.events import EventSink, Progress, ignore_events
from core.messages import message
from core.training.model import build_backbone, keras, pixel_input
from core.training.streaming import RowReader, is_file_backed
from core.backbones.weights import WeightsArg


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
    inputs, x = pixel_input(spec, size)
    x = backbone(x, training=False)
    if len(x.shape) == 4:
        x = keras.layers.GlobalAveragePooling2D(name="embedding_pool")(x)
    return keras.Model(inputs, x, name=f"embedding_{backbone_id}")


_FORWARDS: "weakref.WeakKeyDictionary[Any, dict[bool, Callable[[Any], Any]]]" = weakref.WeakKeyDictionary()


class _ExpectedTracing(logging.Filter):
    """Drops TensorFlow's "N out of the last M calls to <forward> triggered tf.function retracing".

    Why: every model here (a training run's validation, feature-cache segments, the familiarity
    calibration, a predictor) gets its own traced function, traced once for its whole life.
    TensorFlow counts traces per *source function*, across all those models, and so prints this
    warning on the CLI's stderr after a few of them, although nothing is ever retraced.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


logging.getLogger("tensorflow").addFilter(_ExpectedTracing())


def inference_function(model: keras.Model, jit_compile: bool = False) -> Callable[[Any], Any]:
    """``model`` in inference mode as one traced graph with a batch-size-free signature.

    Why: calling a Keras model eagerly per batch re-dispatches every layer from Python, which on a
    2-core laptop costs about as much as the arithmetic of a small network; ``model.predict`` sets
    up a data adapter on each call. A traced function pays neither.
    """
    import tensorflow as tf

    cached = _FORWARDS.get(model, {}).get(jit_compile)
    if cached is not None:
        return cached
    spec = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32)
    target = weakref.ref(model)  # the cache must not keep the model alive

    @tf.function(input_signature=[spec], jit_compile=jit_compile, reduce_retracing=True)
    def forward(batch: tf.Tensor) -> tf.Tensor:
        return target()(batch, training=False)

    _FORWARDS.setdefault(model, {})[jit_compile] = forward
    return forward


def fastest_forward(model: keras.Model, rows: int | None = None, classes: int = 0,
                    label: str = "model", source: Any = None, facts: dict[str, Any] | None = None) -> Callable[[Any], Any]:
    """``model``'s forward pass for ``run_batched(forward=...)`` on the fastest verified runtime
    (core/runtime/forward.py: LiteRT, else onnxruntime, else this module's traced Keras function).
    Only for models that do not train: the converted copy does not follow later weight updates.
    ``source``, ``facts``: the files the model came from (core.runtime.forward.fastest_forward)."""
    from core.runtime.forward import fastest_forward as choose

    return choose(model, inference_function(model), classes=classes, rows=rows, label=label, source=source,
                  facts=facts)


def run_batched(model: keras.Model, rows: np.ndarray, batch_size: int = 32, sink: EventSink = ignore_events,
                cancel: threading.Event | None = None, out: np.ndarray | None = None,
                forward: Callable[[Any], Any] | None = None, task: str = "features",
                step_id: str = "features.computing", step_params: dict[str, Any] | None = None) -> np.ndarray:
    """Run ``model`` over ``rows`` (pixels or activations) into ``out`` (allocated when None),
    with progress and cancellation between batches. ``out`` may be a memory map."""
    forward = forward or inference_function(model)
    total = len(rows)
    if out is None:
        out = np.zeros((total, *model.output_shape[1:]), np.float32)
    reader = RowReader(rows) if is_file_backed(rows) else None  # a cache file: read, not mapped (flat memory)
    for start in range(0, total, batch_size):
        if cancel is not None and cancel.is_set():
            raise InterruptedError(f"{message(step_id, **(step_params or {}), done=start, total=total)} cancelled.")
        part = reader(np.arange(start, min(start + batch_size, total))) if reader else rows[start:start + batch_size]
        batch = np.asarray(part, np.float32)
        out[start:start + len(batch)] = np.asarray(forward(batch))
        done = min(start + batch_size, total)
        sink(Progress.of(task, done, total, step_id, **(step_params or {}), done=done, total=total))
    return out


def extract_features(model: keras.Model, images: np.ndarray, batch_size: int = 32,
                     sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> np.ndarray:
    """Run ``model`` over uint8 images in batches, with progress and cancellation between batches."""
    if len(images) == 0:
        return np.zeros((0,) + tuple(model.output_shape[1:]), np.float32)
    return run_batched(model, images, batch_size, sink, cancel,
                       forward=fastest_forward(model, len(images), label=f"embeddings ({model.name})"))
