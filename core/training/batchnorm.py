"""Precise BatchNorm: re-estimate trained BatchNorm statistics so the saved model is the one validated.

Why: a BatchNorm layer normalises with the statistics of the current batch while training, but the
saved model normalises with ``moving_mean``/``moving_variance``, exponential averages with momentum
0.99 (Keras) or 0.999 (some backbones). After a few dozen steps those averages are still close to
their initial 0/1 and describe weights long gone: a from-scratch run reached 0.98 training accuracy
while the saved model predicted one class for everything (validation loss exactly ln 2).

Wu & Johnson, "Rethinking 'Batch' in BatchNorm" (2021), call the remedy *precise BatchNorm*: after
training, run the model in training mode over training images (no gradients, no weight updates) and
set each layer's statistics to the average of its per-batch statistics: the mean of the batch means
and, as in the paper's implementation, the mean of the batch variances (what training normalised
with). Batches are weighted by their size, so each image counts once and a short last batch does not
count as much as a full one.

Only BatchNorm layers that trained need it (a pretrained backbone's BatchNorm stays frozen, with its
ImageNet statistics); with none, nothing runs and nothing costs time. The images are the clean
training images in a seeded shuffled order (class-sorted batches would give every batch one class's
statistics), at most ``MAX_IMAGES`` of them (the paper finds ~10^3-10^4 samples enough).
"""
from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Sequence

import numpy as np

from core.training.model import keras

MAX_IMAGES = 4096

_FORWARDS: "weakref.WeakKeyDictionary[Any, dict[tuple[int, ...], Callable[[Any], Any]]]" = weakref.WeakKeyDictionary()


def trained_batchnorm_layers(model: keras.Model) -> list[keras.layers.BatchNormalization]:
    """The BatchNorm layers of ``model`` (nested models included) whose statistics training updates."""
    found: list[keras.layers.BatchNormalization] = []
    seen: set[int] = set()

    def walk(layer: Any) -> None:
        for inner in getattr(layer, "layers", []):
            if id(inner) in seen:
                continue
            seen.add(id(inner))
            if isinstance(inner, keras.layers.BatchNormalization):
                if inner.trainable and not getattr(inner, "renorm", False):
                    found.append(inner)
            else:
                walk(inner)

    walk(model)
    return found


def _statistics_pass(model: keras.Model, layers: Sequence[keras.layers.BatchNormalization]) -> Callable[[Any], Any]:
    """A traced training-mode forward pass returning each layer's statistics after the batch.

    The layers' momentum must be 0 while this runs (and is traced): then a layer's moving
    statistics after the call *are* that batch's statistics. Tracing bakes the momentum in, so the
    function is cached per (model, layers) and only ever called with the momentum at 0.
    """
    import tensorflow as tf

    key = tuple(id(layer) for layer in layers)
    cached = _FORWARDS.get(model, {}).get(key)
    if cached is not None:
        return cached
    target = weakref.ref(model)
    spec = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32)

    @tf.function(input_signature=[spec], reduce_retracing=True)
    def forward(batch: tf.Tensor) -> list[tf.Tensor]:
        target()(batch, training=True)
        return [tf.identity(v.value) for layer in layers for v in (layer.moving_mean, layer.moving_variance)]

    _FORWARDS.setdefault(model, {})[key] = forward
    return forward


def estimate_batchnorm_statistics(model: keras.Model, rows: np.ndarray, batch_size: int, seed: Sequence[int] | int = 0,
                                  cancel: threading.Event | None = None, max_images: int = MAX_IMAGES) -> int:
    """Set the moving statistics of ``model``'s trained BatchNorm layers to their precise values over
    ``rows`` (what ``model`` takes: pixels, or cached activations for a suffix). Returns how many
    layers were re-estimated (0: none trains, nothing ran).

    Raises InterruptedError when ``cancel`` is set; the statistics are then left as they were.
    """
    layers = trained_batchnorm_layers(model)
    if not layers or len(rows) == 0:
        return 0
    before = [(layer.moving_mean.numpy(), layer.moving_variance.numpy()) for layer in layers]
    # Dropout's random state advances in training mode; put it back, so the pass leaves the rest of
    # the run (its dropout masks) exactly as it would have been without it.
    weights = {id(v) for v in model.weights}
    random_states = [(v, v.numpy()) for v in model.variables if id(v) not in weights]
    momenta = [layer.momentum for layer in layers]
    order = np.random.default_rng(seed).permutation(len(rows))[:max_images]
    batch_size = max(1, int(batch_size))
    sums = [np.zeros(v.shape, np.float64) for layer in layers for v in (layer.moving_mean, layer.moving_variance)]
    counted = 0
    try:
        for layer in layers:
            layer.momentum = 0.0
        forward = _statistics_pass(model, layers)
        for start in range(0, len(order), batch_size):
            if cancel is not None and cancel.is_set():
                raise InterruptedError("Cancelled while re-estimating the BatchNorm statistics.")
            index = np.sort(order[start:start + batch_size])  # sorted: a memory map reads forwards
            batch = np.asarray(rows[index], np.float32)
            for total, value in zip(sums, forward(batch)):
                total += len(index) * np.asarray(value, np.float64)
            counted += len(index)
    except BaseException:
        for layer, (mean, variance) in zip(layers, before):
            layer.moving_mean.assign(mean)
            layer.moving_variance.assign(variance)
        raise
    finally:
        for layer, momentum in zip(layers, momenta):
            layer.momentum = momentum
        for variable, state in random_states:
            variable.assign(state)
    for index, layer in enumerate(layers):
        layer.moving_mean.assign((sums[2 * index] / counted).astype(np.float32))
        layer.moving_variance.assign((sums[2 * index + 1] / counted).astype(np.float32))
    return len(layers)


class PreciseBatchNorm(keras.callbacks.Callback):
    """Re-estimates the trained BatchNorm statistics at the end of every epoch, before validation.

    It must come first among the callbacks, ahead of the validation callback (Keras' own
    validation runs before any callback, so a run with this callback validates through
    ``CachedValidation`` instead): then the validation figures, the best-epoch snapshot and early
    stopping all see the statistics the saved model will carry. ``discarded()`` says when the
    epoch is thrown away anyway (cancelled or diverged); ``interrupted()`` is called when a cancel
    arrives during the pass, so that the epoch is discarded too.
    """

    def __init__(self, rows: np.ndarray, batch_size: int, seed: int, cancel: threading.Event | None,
                 discarded: Callable[[], bool], interrupted: Callable[[], None]) -> None:
        super().__init__()
        self.rows, self.batch_size, self.seed, self.cancel = rows, batch_size, seed, cancel
        self.discarded, self.interrupted = discarded, interrupted

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.discarded():
            return
        try:
            estimate_batchnorm_statistics(self.model, self.rows, self.batch_size, (self.seed, epoch, 7919),
                                          self.cancel)
        except InterruptedError:
            self.interrupted()
            self.model.stop_training = True
