"""Backbone + new head, preprocessing inside the model, and freezing.

The saved model takes raw RGB pixels in 0..255: each backbone's preprocess_input is rebuilt from
built-in Keras layers (Rescaling, Normalization, a fixed Dense for the caffe channel swap), so a
plain ``keras.saving.load_model`` client needs nothing from this package.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.backbones import BACKBONES, BackboneSpec, Boundary, block_boundaries, get_backbone
from core.backbones.freeze import default_freeze_point, freeze_count, resolve_freeze_point  # noqa: F401 (the one resolver)
from core.errors import WordedValueError
from core.training.graph_cuts import single_tensor_cuts
from core.paths import user_cache_dir
from core.backbones.keras_hook import install_weights_hook, weights_load_guard
from core.backbones.weights import WeightsArg, resolve_weights

from core.logs import quiet_native_stderr  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
with quiet_native_stderr():  # TensorFlow's C++ start-up chatter ("no CUDA driver", oneDNN) is not for users
    import keras  # noqa: E402
    import tensorflow  # noqa: E402, F401
keras.config.disable_interactive_logging()  # Keras' download/progress prints would corrupt --json output

BACKBONE_LAYER = "backbone"
_MODEL_PREFIX = "finetuned_"
HEAD_LAYER = "predictions"
POOL_LAYER = "avg_pool"  # the pooled backbone output the head reads: the model's image embedding
_CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


def preprocessing_layers(mode: str) -> list[keras.layers.Layer]:
    """Built-in layers equal to keras.applications' preprocess_input for ``mode`` (see backbones.py)."""
    if mode == "tf":
        return [keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="preprocess_scale")]
    if mode == "lite":
        return [keras.layers.Rescaling(1 / 128, offset=-127 / 128, name="preprocess_scale")]
    if mode == "torch":
        mean = [255 * m for m in _TORCH_MEAN]
        variance = [(255 * s) ** 2 for s in _TORCH_STD]
        return [keras.layers.Normalization(mean=mean, variance=variance, name="preprocess_normalize")]
    if mode == "caffe":
        # RGB->BGR and mean subtraction as one frozen affine map: x @ P - mean. Exact in float32
        # because P holds only ones and zeros.
        swap = keras.layers.Dense(3, name="preprocess_bgr_mean", trainable=False)
        swap.build((None, None, None, 3))
        swap.set_weights([np.eye(3, dtype=np.float32)[::-1].copy(), -np.asarray(_CAFFE_BGR_MEAN, np.float32)])
        return [swap]
    if mode == "none":
        return []
    raise ValueError(f"Unknown preprocessing mode '{mode}'")


def pixel_input(spec: BackboneSpec, size: int) -> tuple[Any, Any]:
    """The raw-pixel input of every model here and that input after ``spec``'s preprocessing layers."""
    inputs = keras.Input((size, size, 3), name="pixels")
    x = inputs
    for layer in preprocessing_layers(spec.preprocess):
        x = layer(x)
    return inputs, x


def build_backbone(spec: BackboneSpec, weights: WeightsArg, input_size: int,
                   include_top: bool = False) -> keras.Model:
    """The keras.applications (or EfficientNet-Lite0) network, without preprocessing."""
    install_weights_hook()
    if input_size < spec.min_input_size:
        raise WordedValueError.of("model.needs_images_least_px", label=spec.label,
                                  min_input_size=spec.min_input_size, input_size=input_size)
    kwargs: dict[str, Any] = {"include_top": include_top, "weights": resolve_weights(weights)}
    if not include_top:
        kwargs["input_shape"] = (input_size, input_size, 3)
    with weights_load_guard():  # a weights file Keras cannot load is named, and our copy of it removed
        return spec.build_fn()(**kwargs)


def build_model(backbone_id: str, num_classes: int, weights: WeightsArg = "imagenet",
                input_size: int | None = None, dropout: float = 0.2, seed: int | None = None) -> keras.Model:
    """Raw pixels -> preprocessing -> backbone -> global average pool -> dropout -> softmax head.

    With pretrained weights the backbone is called with ``training=False`` (Keras transfer-learning
    guide) so its BatchNorm layers keep their ImageNet moving statistics even while fine-tuning,
    and the default freeze point leaves only the last block trainable. From scratch, nothing is
    frozen and BatchNorm trains normally.
    """
    spec = get_backbone(backbone_id)
    size = input_size or spec.input_size
    pretrained = resolve_weights(weights) is not None
    backbone = build_backbone(spec, weights, size)
    backbone.name = BACKBONE_LAYER
    if pretrained:
        backbone_dropout_off(backbone)
    if seed is not None:  # the head's initial weights must not depend on how the backbone was built
        keras.utils.set_random_seed(seed)  # (e.g. a first-run weight conversion draws random numbers)
    inputs, x = pixel_input(spec, size)
    x = backbone(x, training=False) if pretrained else backbone(x)
    x = keras.layers.GlobalAveragePooling2D(name=POOL_LAYER)(x)
    x = keras.layers.Dropout(dropout, seed=seed, name="head_dropout")(x)
    # float32 under a mixed_float16 policy too: softmax probabilities and their log need its range
    outputs = keras.layers.Dense(num_classes, activation="softmax", name=HEAD_LAYER, dtype="float32")(x)
    model = keras.Model(inputs, outputs, name=f"{_MODEL_PREFIX}{backbone_id}")
    freeze_to(model, freeze_count(None, [l.name for l in backbone.layers], spec, pretrained),
              pretrained=pretrained)
    return model


def backbone_dropout_off(backbone: keras.Model) -> int:
    """Make a pretrained backbone's Dropout layers identities; returns how many there were.

    Why: the model calls the backbone with ``training=False`` (Keras transfer-learning guide),
    but Keras 3 passes the outer call's ``training=True`` down to every nested layer during
    ``fit``, overriding it. Frozen BatchNorm still runs in inference mode (it checks
    ``trainable``), but Dropout inside the backbone (EfficientNet's and Lite0's drop-connect)
    would be active: the frozen layers would add noise to every epoch, and their output would not
    be a function of the image. Rate 0 is what inference mode means for these layers, in training
    and serving alike (the saved model predicts exactly as before). The head's Dropout is untouched.
    """
    def walk(layer: Any) -> Any:
        for inner in getattr(layer, "layers", []):
            yield inner
            yield from walk(inner)

    layers = [layer for layer in walk(backbone) if isinstance(layer, keras.layers.Dropout)]
    for layer in layers:
        layer.rate = 0.0
    return len(layers)


@dataclass(frozen=True)
class FreezeInfo:
    frozen_layers: int
    total_layers: int
    cut_layer: str | None  # the last frozen layer, None when nothing is frozen
    trainable_params: int
    total_params: int

    def describe(self) -> str:
        cut = f" — up to {self.cut_layer}" if self.cut_layer else ""
        return (f"Frozen {self.frozen_layers} / {self.total_layers} layers{cut} — trainable "
                f"{self.trainable_params / 1e6:.1f} M of {self.total_params / 1e6:.1f} M parameters")


def get_backbone_layer(model: keras.Model) -> keras.Model:
    return model.get_layer(BACKBONE_LAYER)


def freeze_to(model: keras.Model, n: int | str, pretrained: bool = True,
              spec: BackboneSpec | None = None) -> FreezeInfo:
    """Freeze the first ``n`` backbone layers (or through a layer / stage name); the rest train.

    With pretrained weights BatchNorm layers stay frozen wherever they are. Recompile afterwards:
    Keras reads ``trainable`` when compiling.
    """
    backbone = get_backbone_layer(model)
    names = [layer.name for layer in backbone.layers]
    if spec is None and model.name.startswith(_MODEL_PREFIX):  # stage names need the backbone's patterns
        spec = BACKBONES.get(model.name[len(_MODEL_PREFIX):])
    cut = resolve_freeze_point(names, spec, n)
    backbone.trainable = True
    for index, layer in enumerate(backbone.layers):
        is_bn = isinstance(layer, keras.layers.BatchNormalization)
        layer.trainable = index >= cut and not (pretrained and is_bn)
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    total = sum(int(np.prod(w.shape)) for w in model.weights)
    return FreezeInfo(cut, len(names), names[cut - 1] if cut else None, trainable, total)


# --- Layer tables: what the GUI's freeze slider needs, without building the model on the GUI thread.

@dataclass(frozen=True)
class LayerTable:
    backbone_id: str
    input_size: int
    names: list[str]
    trainable_params: list[int]  # per layer, excluding BatchNorm moving statistics
    bn_params: list[int]  # per layer, the BatchNorm gamma/beta (frozen when pretrained)
    total_params: int  # backbone only, including moving statistics
    boundaries: list[Boundary]
    # Freeze positions where one tensor crosses the cut: the feature cache can split there
    # (core/training/graph_cuts.py). Elsewhere training still works, just without the cache.
    cacheable: list[int] = field(default_factory=list)
    feature_dim: int | None = None  # channels of the backbone's output: the new head's input width

    def can_cache(self, n: int) -> bool:
        return n in self.cacheable

    def freeze_info(self, n: int, pretrained: bool = True, head_params: int = 0) -> FreezeInfo:
        trainable = sum(self.trainable_params[n:]) - (sum(self.bn_params[n:]) if pretrained else 0)
        return FreezeInfo(n, len(self.names), self.names[n - 1] if n else None,
                          trainable + head_params, self.total_params + head_params)


def layer_table(backbone_id: str, input_size: int | None = None) -> LayerTable:
    """Layer names, parameter counts and block boundaries; cached on disk after the first build."""
    spec = get_backbone(backbone_id)
    size = input_size or spec.input_size
    cache = user_cache_dir() / "layer-tables" / f"{backbone_id}_{size}_k{keras.__version__}.json"
    if cache.is_file():
        try:
            raw = json.loads(cache.read_text())
            raw["boundaries"] = [Boundary(**b) for b in raw["boundaries"]]
            if "feature_dim" in raw:  # tables written before the feature width was recorded are rebuilt
                return LayerTable(**raw)
        except (ValueError, TypeError, KeyError):
            pass  # stale or damaged cache: rebuild
    backbone = build_backbone(spec, None, size)
    names = [layer.name for layer in backbone.layers]
    trainable, bn = [], []
    for layer in backbone.layers:
        count = sum(int(np.prod(w.shape)) for w in layer.trainable_weights)
        trainable.append(count)
        bn.append(count if isinstance(layer, keras.layers.BatchNormalization) else 0)
    total = sum(int(np.prod(w.shape)) for w in backbone.weights)
    table = LayerTable(backbone_id, size, names, trainable, bn, total, block_boundaries(spec, names),
                       single_tensor_cuts(backbone), int(backbone.output_shape[-1]))
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps({**asdict(table), "boundaries": [asdict(b) for b in table.boundaries]}))
    os.replace(tmp, cache)
    return table
