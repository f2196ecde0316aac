"""Registry of pretrained backbones.

Importing this module is cheap (no TensorFlow): the GUI lists backbones before TensorFlow loads.
Everything that needs Keras is resolved lazily by name.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from core.errors import UnknownBackboneError  # noqa: F401 (raised here; importable from here)
from core.messages import message

# How each family expects its input, as keras.applications.<module>.preprocess_input does it.
#   caffe: RGB->BGR, subtract the ImageNet BGR mean            (VGG16, ResNet50)
#   tf:    scale to [-1, 1]                                    (InceptionV3, MobileNet, Xception, ResNetV2)
#   torch: scale to [0, 1], then ImageNet mean/std per channel (DenseNet)
#   none:  the Keras model already contains its preprocessing  (EfficientNet, MobileNetV3, ConvNeXt)
#   lite:  (x - 127) / 128                                     (EfficientNet-Lite0/1/2)
PREPROCESS_MODES = ("caffe", "tf", "torch", "none", "lite")


@dataclass(frozen=True)
class BackboneSpec:
    """What the engine needs to know about one backbone family member."""

    id: str
    label: str
    constructor: str  # dotted path, resolved lazily
    input_size: int
    preprocess: str  # one of PREPROCESS_MODES
    preprocess_module: str | None  # keras.applications module whose preprocess_input we reproduce
    params_m: float  # parameters without the ImageNet top, millions
    speed: str  # relative CPU speed hint
    boundary_pattern: str  # regex over layer names; group "block" keys a block, optional group "stage"
    notop_weights_file: str | None  # file Keras fetches at the default size (for the offline status)
    constructor_kwargs: dict[str, Any] = field(default_factory=dict)
    min_input_size: int = 32

    @property
    def description(self) -> str:
        return f"{self.label}: {self.params_m:.1f} M parameters, {self.input_size} px input, {self.speed}"

    def build_fn(self) -> Callable[..., Any]:
        module_name, _, attr = self.constructor.rpartition(".")
        fn = getattr(importlib.import_module(module_name), attr)
        if not self.constructor_kwargs:
            return fn

        def with_defaults(**kwargs: Any) -> Any:
            return fn(**{**self.constructor_kwargs, **kwargs})

        return with_defaults


_APPS = "keras.applications"
_RESNET_STAGES = r"^(?P<block>(?P<stage>conv\d)_block\d+)_out$"
_LITE = "core.backbones.efficientnet_lite"
_LITE_BLOCKS = r"^(?P<block>(?P<stage>block\d)[a-z])_(add|project_bn)$"  # keras' EfficientNet names

BACKBONES: dict[str, BackboneSpec] = {
    spec.id: spec
    for spec in [
        BackboneSpec("efficientnet_lite0", message("backbone.offline", name="EfficientNet-Lite0"), f"{_LITE}.EfficientNetLite0", 224,
                     "lite", None, 3.4, "fast", _LITE_BLOCKS, None),
        BackboneSpec("efficientnet_lite1", message("backbone.offline", name="EfficientNet-Lite1"), f"{_LITE}.EfficientNetLite1", 240,
                     "lite", None, 4.2, "fast", _LITE_BLOCKS, None),
        BackboneSpec("efficientnet_lite2", message("backbone.offline", name="EfficientNet-Lite2"), f"{_LITE}.EfficientNetLite2", 260,
                     "lite", None, 4.9, "medium", _LITE_BLOCKS, None),
        BackboneSpec("vgg16", "VGG16", f"{_APPS}.VGG16", 224, "caffe", f"{_APPS}.vgg16", 14.7, "very slow",
                     r"^(?P<block>(?P<stage>block\d))_pool$",
                     "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
        BackboneSpec("resnet50", "ResNet50", f"{_APPS}.ResNet50", 224, "caffe", f"{_APPS}.resnet", 23.6, "slow",
                     _RESNET_STAGES, "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"),
        BackboneSpec("resnet50_v2", "ResNet50 V2", f"{_APPS}.ResNet50V2", 224, "tf", f"{_APPS}.resnet_v2", 23.6,
                     "slow", _RESNET_STAGES, "resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5"),
        BackboneSpec("inception_v3", "Inception V3", f"{_APPS}.InceptionV3", 299, "tf", f"{_APPS}.inception_v3",
                     21.8, "slow", r"^(?P<block>mixed\d+)$",
                     "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", min_input_size=75),
        BackboneSpec("mobilenet", "MobileNet", f"{_APPS}.MobileNet", 224, "tf", f"{_APPS}.mobilenet", 3.2,
                     "very fast", r"^(?P<block>conv_pw_\d+)_relu$", "mobilenet_1_0_224_tf_no_top.h5"),
        BackboneSpec("mobilenet_v2", "MobileNet V2", f"{_APPS}.MobileNetV2", 224, "tf", f"{_APPS}.mobilenet_v2",
                     2.3, "very fast", r"^(?P<block>expanded_conv|block_\d+)_(add|project_BN)$",
                     "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"),
        BackboneSpec("mobilenet_v2_035", "MobileNet V2 x0.35 (tiny)", f"{_APPS}.MobileNetV2", 128, "tf",
                     f"{_APPS}.mobilenet_v2", 0.4, "fastest",
                     r"^(?P<block>expanded_conv|block_\d+)_(add|project_BN)$",
                     "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_128_no_top.h5", {"alpha": 0.35}),
        BackboneSpec("mobilenet_v3_small", "MobileNet V3 Small", f"{_APPS}.MobileNetV3Small", 224, "none",
                     f"{_APPS}.mobilenet_v3", 0.9, "fastest",
                     r"^(?P<block>expanded_conv(_\d+)?)_(add|project_bn)$",
                     "weights_mobilenet_v3_small_224_1.0_float_no_top_v2.h5"),
        BackboneSpec("mobilenet_v3_large", "MobileNet V3 Large", f"{_APPS}.MobileNetV3Large", 224, "none",
                     f"{_APPS}.mobilenet_v3", 3.0, "very fast",
                     r"^(?P<block>expanded_conv(_\d+)?)_(add|project_bn)$",
                     "weights_mobilenet_v3_large_224_1.0_float_no_top_v2.h5"),
        BackboneSpec("efficientnet_b0", "EfficientNet B0", f"{_APPS}.EfficientNetB0", 224, "none",
                     f"{_APPS}.efficientnet", 4.0, "fast",
                     r"^(?P<block>(?P<stage>block\d)[a-z])_(add|project_bn)$", "efficientnetb0_notop.h5"),
        BackboneSpec("efficientnet_v2_b0", "EfficientNet V2 B0", f"{_APPS}.EfficientNetV2B0", 224, "none",
                     f"{_APPS}.efficientnet_v2", 5.9, "fast",
                     r"^(?P<block>(?P<stage>block\d)[a-z])_(add|project_bn)$", "efficientnetv2-b0_notop.h5"),
        BackboneSpec("densenet121", "DenseNet121", f"{_APPS}.DenseNet121", 224, "torch", f"{_APPS}.densenet", 7.0,
                     "slow", r"^(?P<block>(?P<stage>conv\d)_block\d+_concat|(?P<transition>pool\d)_pool)$",
                     "densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5"),
        BackboneSpec("xception", "Xception", f"{_APPS}.Xception", 299, "tf", f"{_APPS}.xception", 20.9, "slow",
                     r"^(?P<block>add(_\d+)?|block14_sepconv2_act)$",
                     "xception_weights_tf_dim_ordering_tf_kernels_notop.h5", min_input_size=71),
        BackboneSpec("convnext_tiny", "ConvNeXt Tiny", f"{_APPS}.ConvNeXtTiny", 224, "none", f"{_APPS}.convnext",
                     27.8, "very slow", r"^(?P<block>(?P<stage>\w+_stage_\d+)_block_\d+)_identity$",
                     "convnext_tiny_notop.h5"),
    ]
}

DEFAULT_BACKBONE = "efficientnet_lite0"


def get_backbone(backbone_id: str) -> BackboneSpec:
    try:
        return BACKBONES[backbone_id]
    except KeyError:
        raise UnknownBackboneError(backbone_id, tuple(BACKBONES)) from None


@dataclass(frozen=True)
class Boundary:
    """A freeze point at the end of a block: freezing ``n_layers`` layers freezes through ``layer_name``."""

    n_layers: int
    layer_name: str
    stage: str | None
    stage_end: bool


def block_boundaries(spec: BackboneSpec, layer_names: list[str]) -> list[Boundary]:
    """Block ends derived from the real layer names: the last layer of each block matching the pattern."""
    pattern = re.compile(spec.boundary_pattern)
    last_index: dict[str, tuple[int, str | None]] = {}
    for index, name in enumerate(layer_names):
        match = pattern.match(name)
        if match:
            groups = match.groupdict()
            block = groups.get("block") or name
            stage = groups.get("stage") or groups.get("transition") or block
            last_index[block] = (index, stage)
    ends = sorted(last_index.values())
    boundaries = []
    for position, (index, stage) in enumerate(ends):
        next_stage = ends[position + 1][1] if position + 1 < len(ends) else None
        boundaries.append(Boundary(index + 1, layer_names[index], stage, stage != next_stage))
    return boundaries
