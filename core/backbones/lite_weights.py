"""ImageNet weights for the EfficientNet-Lite models: converted once from the PyTorch files, then cached.

Why a separate module: conversion is the risky part (an untrusted pickle, a mapping that must use
every tensor exactly once, a cache file that must never be left half-written), and it is the same
for every Lite size; :mod:`core.backbones.lite_architecture` only builds the architecture.
The PyTorch file is read by :mod:`core.backbones.torch_pickle` (no PyTorch, no arbitrary code).
"""
from __future__ import annotations

import io
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core import paths
from core.backbones.lite_architecture import (LiteVariant, build, keras_to_torch_names,
                                               torch_weights_path, variant)
from core.backbones.weights import WeightsFileError, disk_reason
from core.errors import WeightMappingError
from core.files import write_file_atomic

if TYPE_CHECKING:
    import keras

__all__ = ["WeightMappingError", "torch_to_keras_weights", "imagenet_weights_path", "load_imagenet"]


def torch_to_keras_weights(state: dict[str, np.ndarray], model: keras.Model,
                           name: str | LiteVariant = "lite0") -> dict[str, list[np.ndarray]]:
    """Map a Lite PyTorch state dict onto ``model``'s layers, using every tensor exactly once.

    Returns ``layer name -> weights in Keras order``. Raises :class:`WeightMappingError` when a
    tensor is left over, missing, or has the wrong shape, or when a weighted layer has no source:
    a silent partial load would give a plausible-looking but broken backbone.
    """
    from keras import layers

    prefixes = keras_to_torch_names(name)
    unused = set(state)
    out: dict[str, list[np.ndarray]] = {}

    def take(key: str) -> np.ndarray:
        if key not in state:
            raise WeightMappingError.of("lite_weights.pytorch_tensor_missing_from", key=repr(key))
        if key not in unused:
            raise WeightMappingError.of("lite_weights.pytorch_tensor_would_used", key=repr(key))
        unused.discard(key)
        return state[key]

    for layer in model.layers:
        if not layer.weights:
            continue
        if layer.name not in prefixes:
            raise WeightMappingError.of("lite_weights.keras_layer_no_pytorch", layer_name=repr(layer.name))
        p = prefixes[layer.name]
        if isinstance(layer, layers.DepthwiseConv2D):
            values = [np.transpose(take(f"{p}.weight"), (2, 3, 0, 1))]  # (C,1,kh,kw)->(kh,kw,C,1)
        elif isinstance(layer, layers.Conv2D):
            values = [np.transpose(take(f"{p}.weight"), (2, 3, 1, 0))]  # OIHW -> HWIO
        elif isinstance(layer, layers.BatchNormalization):
            values = [take(f"{p}.{k}") for k in ("weight", "bias", "running_mean", "running_var")]
            if f"{p}.num_batches_tracked" in state:  # training counter: no Keras equivalent
                take(f"{p}.num_batches_tracked")
        elif isinstance(layer, layers.Dense):
            values = [take(f"{p}.weight").T, take(f"{p}.bias")]
        else:
            raise WeightMappingError.of("lite_weights.unexpected_weighted_layer", layer_name=repr(layer.name),
                                        layer_type=type(layer).__name__)
        expected = [tuple(w.shape) for w in layer.weights]
        if [v.shape for v in values] != expected:
            raise WeightMappingError.of("lite_weights.shape_mismatch_vs", layer_name=repr(layer.name), tensor=p,
                                        shapes=[v.shape for v in values], expected=expected)
        out[layer.name] = [np.ascontiguousarray(v, dtype=np.float32) for v in values]

    missing = sorted(set(prefixes) - set(out))
    if missing:
        raise WeightMappingError.of("lite_weights.model_lacks_layers_weights", missing=missing[:5])
    if unused:
        raise WeightMappingError.of("lite_weights.pytorch_tensor_s_not", n_unused=len(unused),
                                    unused=sorted(unused)[:5])
    return out


def _weights_image(model: keras.Model) -> bytes:
    """The bytes ``model.save_weights()`` would write, produced in memory.

    Why: HDF5 reports a failed disk write (full disk, file-size limit) from inside h5py's object
    destructors, which print tracebacks nobody can catch and then crashed the process (a
    segmentation fault with a full cache folder). Building the file in memory and writing its bytes
    with ordinary file I/O turns every disk failure into one catchable ``OSError``. Keras' own
    ``.weights.h5`` writer is used (its store accepts a BytesIO) so the file is exactly Keras' format.
    """
    from keras.src.saving import saving_lib

    buffer = io.BytesIO()
    store = saving_lib.H5IOStore(buffer, mode="w")
    try:
        saving_lib._save_state(model, weights_store=store, assets_store=None, inner_path="",
                               visited_saveables=set())
    finally:
        store.close()
    return buffer.getvalue()


def _write_atomic(data: bytes, target: Path, lite: LiteVariant) -> None:
    """Write to a temp file in the same folder, fsync, then rename (core.files): readers never see
    halves, and a failed write leaves nothing behind (not even the temp file) that a later run would load."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(target, data)
    except OSError as error:
        raise WeightsFileError.of("lite_weights.could_not_save_converted", target, title=lite.title,
            target_parent=target.parent, disk_reason=disk_reason(error), cache_mb=lite.cache_mb) from error


def _convert_to_cache(folder: Path, name: str | LiteVariant = "lite0") -> float:
    """Convert the PyTorch weights once into both cache files; returns seconds spent."""
    from core.backbones.torch_pickle import load_torch_state_dict

    lite = variant(name)
    start = time.perf_counter()
    state = load_torch_state_dict(torch_weights_path(lite))
    top = build(lite, True, None, None, None, 1000, "softmax", lite.model_name)
    for layer_name, values in torch_to_keras_weights(state, top, lite).items():
        top.get_layer(layer_name).set_weights(values)
    notop = build(lite, False, None, None, None, 1000, None, lite.model_name)
    for layer in notop.layers:
        if layer.weights:
            layer.set_weights(top.get_layer(layer.name).get_weights())
    _write_atomic(_weights_image(top), folder / lite.top_file, lite)
    _write_atomic(_weights_image(notop), folder / lite.notop_file, lite)
    return time.perf_counter() - start


def _is_complete(path: Path) -> bool:
    """True when ``path`` opens as a whole HDF5 file. HDF5 records the file's length, so a
    truncated copy (power cut, an older version's partial write) or junk fails here, cheaply."""
    import h5py

    try:
        if not h5py.is_hdf5(path):
            return False
        with h5py.File(path, "r"):
            return True
    except OSError:
        return False


def imagenet_weights_path(include_top: bool = True, name: str | LiteVariant = "lite0") -> Path:
    """Path of the cached Keras weights file, converting from PyTorch first if it is missing or damaged."""
    lite = variant(name)
    folder = paths.user_cache_dir() / "weights"
    target = folder / (lite.top_file if include_top else lite.notop_file)
    if not target.is_file() or not _is_complete(target):
        _convert_to_cache(folder, lite)
    return target


def load_imagenet(model: keras.Model, include_top: bool, name: str | LiteVariant = "lite0") -> None:
    """Load the cached ImageNet weights into ``model`` (built by lite_architecture for that size)."""
    lite = variant(name)
    path = imagenet_weights_path(include_top, lite)
    try:
        model.load_weights(path)
    except (OSError, ValueError, KeyError):  # complete but stale (e.g. an older layout): rebuild it once
        _convert_to_cache(path.parent, lite)
        model.load_weights(path)
