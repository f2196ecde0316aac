"""Frozen-prefix feature cache: compute the frozen layers once, train only the layers after them.

Why: with the layers up to the freeze point frozen, BatchNorm in inference mode (frozen BatchNorm
of a pretrained backbone always is), no active Dropout inside the backbone (the trainer sets
their rate to 0, see ``core.training.model.backbone_dropout_off``) and no pixel augmentation, the frozen
prefix is a pure function of the image, so recomputing it every epoch is waste. We split the model at the
freeze point into a *prefix* (pixels -> activations at the cut) and a *suffix* (activations ->
probabilities). The suffix is built from the very same layer objects as the full model, so its
variables (and the head Dropout's seed state) *are* the full model's: training the suffix trains
the full model, and the saved bundle is the ordinary full model taking raw pixels.

Positions follow the freeze slider: position ``n`` freezes ``backbone.layers[:n]``. A split is
only possible where a single tensor crosses the cut (core/training/graph_cuts.py). Position ``L`` (the
whole backbone frozen) caches the *pooled* features, which are tiny.

Activations live in memory under a budget, otherwise in temporary memory-mapped files (deleted
when the run ends), otherwise they are not cached at all; a LogMessage says which.
"""
from __future__ import annotations

import os
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from core.events import EventSink, LogMessage, ignore_events
from core.training.features import fastest_forward, inference_function, run_batched
from core.training.graph_cuts import crossing_tensors, single_tensor_cuts
from core.training.model import get_backbone_layer, keras
from core.paths import user_cache_dir

_POOLING = ("GlobalAveragePooling2D", "GlobalMaxPooling2D")


def free_disk_bytes(folder: Path) -> int:
    """Free space where temporary activation files would go (a function so tests can fake a full disk)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


class ModelSplitter:
    """Builds the prefix/suffix pieces of one full model (see module docstring)."""

    def __init__(self, model: keras.Model) -> None:
        self.model = model
        self.backbone = get_backbone_layer(model)
        self.n_layers = len(self.backbone.layers)
        outer = model.layers
        at = outer.index(self.backbone)
        self.preprocess = outer[1:at]
        after = outer[at + 1:]
        self.pool = [after[0]] if after and type(after[0]).__name__ in _POOLING else []
        self.head = after[len(self.pool):]
        self.cuts = set(single_tensor_cuts(self.backbone))

    def can_split(self, position: int) -> bool:
        return 1 <= position <= self.n_layers and position in self.cuts

    def _tensor(self, position: int) -> Any:
        if position == 0:
            return self.backbone.input
        if position == self.n_layers:
            return self.backbone.output
        (tensor,) = crossing_tensors(self.backbone, position)
        return tensor

    def segment(self, start: int, end: int) -> keras.Model:
        """Activations at ``start`` (0: raw pixels) -> activations at ``end`` (pooled when ``end == L``)."""
        if start == 0:
            inputs = keras.Input(self.model.input_shape[1:], name="pixels")
            x = inputs
            for layer in self.preprocess:
                x = layer(x)
        else:
            inputs = keras.Input(self._tensor(start).shape[1:], name=f"cut_{start}")
            x = inputs
        if start == 0 and end == self.n_layers:
            part = self.backbone
        else:
            part = keras.Model(self._tensor(start), self._tensor(end), name=f"backbone_{start}_{end}")
        x = part(x, training=False)
        if end == self.n_layers:
            for layer in self.pool:
                x = layer(x)
        return keras.Model(inputs, x, name=f"segment_{start}_{end}")

    def suffix(self, position: int) -> keras.Model:
        """Activations at ``position`` -> class probabilities, sharing the full model's layers."""
        if position == self.n_layers:
            inputs = keras.Input(self.pool[-1].output.shape[1:] if self.pool else self.backbone.output.shape[1:],
                                 name="pooled_features")
            x, layers = inputs, self.head
        else:
            source = self._tensor(position)
            inputs = keras.Input(source.shape[1:], name=f"cut_{position}")
            part = keras.Model(source, self.backbone.output, name=f"backbone_from_{position}")
            x, layers = part(inputs, training=False), [*self.pool, *self.head]
        for layer in layers:
            x = layer(x)
        return keras.Model(inputs, x, name=f"suffix_{position}")


@dataclass
class CachedActivations:
    position: int
    train: np.ndarray
    val: np.ndarray
    storage: str  # "memory" or "disk"


class FeatureCache:
    """The activations of one run, computed once per position; call :meth:`close` when done.

    ``prepare`` computes several positions in ascending order, each from the previous one (the
    warm-up's pooled features come from the fine-tune cut's activations, not from pixels again),
    so the whole backbone runs once over every image however many phases use the cache.
    """

    def __init__(self, model: keras.Model, train_images: np.ndarray, val_images: np.ndarray,
                 memory_budget: int, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                 batch_size: int = 32, jit_compile: bool = False) -> None:
        self.splitter = ModelSplitter(model)
        self.images = (train_images, val_images)
        self.memory_left = memory_budget
        self.sink, self.cancel = sink, cancel
        self.batch_size, self.jit_compile = batch_size, jit_compile
        self.cached: dict[int, CachedActivations] = {}
        self.refused: dict[int, str] = {}
        self._files: list[Path] = []
        self._folder = user_cache_dir() / "features"

    def prepare(self, positions: list[int]) -> None:
        for position in sorted(set(positions)):
            self.get(position)

    def get(self, position: int) -> CachedActivations | None:
        """Activations at ``position`` (computing them now if needed), or None with the reason logged."""
        if position in self.cached or position in self.refused:
            return self.cached.get(position)
        if not self.splitter.can_split(position):
            return self._refuse(position, "the freeze point cuts through a block with a skip connection, so "
                                          "more than one tensor crosses it; choose a block boundary to use the cache")
        start = max((p for p in self.cached if p < position), default=0)
        segment = self.splitter.segment(start, position)
        shape = tuple(segment.output_shape[1:])
        counts = [len(self.images[0]), len(self.images[1])]
        nbytes = sum(counts) * int(np.prod(shape)) * 4
        storage = self._storage_for(nbytes, position)
        if storage is None:
            return None
        source = self.images if start == 0 else (self.cached[start].train, self.cached[start].val)
        forward = inference_function(segment, True) if self.jit_compile else \
            fastest_forward(segment, sum(len(rows) for rows in source), label=f"frozen layers {start}-{position}")
        arrays = []
        for step_id, rows in zip(("features.frozen_training", "features.frozen_validation"), source):
            out = self._allocate((len(rows), *shape), storage)
            run_batched(segment, rows, self.batch_size, self.sink, self.cancel, out, forward,
                        step_id=step_id)
            arrays.append(out)
        self.cached[position] = CachedActivations(position, arrays[0], arrays[1], storage)
        return self.cached[position]

    def _refuse(self, position: int, reason: str) -> None:
        self.refused[position] = reason
        self.sink(LogMessage.of("feature_cache.feature_cache_off_freeze", position=position, reason=reason))
        return None

    def _storage_for(self, nbytes: int, position: int) -> str | None:
        if nbytes <= self.memory_left:
            self.memory_left -= nbytes
            return "memory"
        size = f"{nbytes / 2**20:.0f} MB"
        self._folder.mkdir(parents=True, exist_ok=True)
        if free_disk_bytes(self._folder) > nbytes * 1.1 + 2**30:  # leave the disk a GiB of air
            self.sink(LogMessage.of("feature_cache.frozen_layer_features_exceed", size=size, folder=self._folder))
            return "disk"
        self._refuse(position, f"the features ({size}) fit neither the memory budget nor the free disk space; "
                               "training recomputes the frozen layers every epoch")
        return None

    def _allocate(self, shape: tuple[int, ...], storage: str) -> np.ndarray:
        if storage == "memory":
            return np.zeros(shape, np.float32)
        path = self._folder / f"run-{os.getpid()}-{uuid.uuid4().hex}.npy"
        self._files.append(path)
        return np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=shape)

    def close(self) -> None:
        """Drop the activations and delete temporary files (safe to call twice)."""
        self.cached.clear()
        for path in self._files:
            path.unlink(missing_ok=True)
        self._files.clear()


class CachedValidation(keras.callbacks.Callback):
    """Validation of a cached suffix as a few traced forward calls instead of Keras' evaluate loop.

    Why: one epoch of a head on cached features trains in ~7 ms on 2 cores, but evaluate() adds
    ~16 ms per epoch (a new iterator, metric resets, its own callbacks). The figures are the ones
    evaluate() reports: mean cross-entropy and accuracy over all validation rows. It must come
    first among the callbacks, so the others (and the History) find ``val_loss`` in the logs.
    ``discarded()`` says when the epoch will be thrown away anyway (a cancel).

    The trainer also validates pixels through it when BatchNorm statistics are re-estimated at the
    end of each epoch (core/batchnorm.py): Keras' own validation would run before that, and
    describe statistics the saved model does not have. ``batch_size`` bounds the memory then.
    """

    def __init__(self, rows: np.ndarray, labels: np.ndarray, discarded: Callable[[], bool],
                 batch_size: int = 256) -> None:
        super().__init__()
        self.rows, self.labels, self.discarded = rows, np.asarray(labels, np.int32), discarded
        self.batch_size = batch_size

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is None or self.discarded():
            return
        probs = run_batched(self.model, self.rows, self.batch_size, forward=inference_function(self.model))
        losses = keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(self.labels, probs))
        logs["val_accuracy"] = float(np.mean(np.argmax(probs, axis=-1) == self.labels))  # Keras' key order
        logs["val_loss"] = float(np.mean(losses, dtype=np.float64))


def snapshot_variables(model: keras.Model, frozen_prefix: int) -> Callable[[], dict[str, np.ndarray]]:
    """A function that copies every variable the run can change: all but the frozen prefix.

    The layers before the final freeze point are frozen in every phase (and their BatchNorm
    statistics are fixed), so copying them at each best epoch would only cost time.
    """
    backbone = get_backbone_layer(model)
    fixed = {id(v) for layer in backbone.layers[:frozen_prefix] for v in layer.weights}
    variables = [v for v in model.weights if id(v) not in fixed]
    return lambda: {v.path: np.array(v.numpy()) for v in variables}
