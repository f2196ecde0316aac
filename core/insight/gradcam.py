"""Grad-CAM (Selvaraju et al. 2017): where in the image the model looked for the class it chose.

For a chosen class c and a spatial layer with activations A (h x w x K channels), the weight of
channel k is the spatial mean of d y_c / d A_k, and the map is ReLU(sum_k weight_k A_k): the
parts of the image whose features raise the class's score. y_c is the class's score before the
softmax (the paper's choice: the gradient of a saturated probability vanishes).

Why model surgery and not the usual ``Model(inputs, [layer.output, model.output])``: every model
here holds its backbone as a *nested* model (preprocessing -> backbone -> pool -> head; an
embeddings bundle nests it twice, inside its embedding model; an ImageNet classifier nests the
whole application, head included), and a nested layer's output belongs to the inner graph. So
:func:`tapped_model` rebuilds the outer chain, calling each part in order and the part that holds
the layer as a copy with extra outputs: the same layers and weights, one forward pass giving the
probabilities, the activations and the input of the final (softmax) layer, from which the scores
are recomputed. The outer levels are chains (core/training/model.py, classic.py, predict.py build
them so; core/training/familiarity.py relies on the same fact); the innermost model may be any graph.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np

from core.errors import SettingsError
from core.training.model import keras

Path_ = tuple[str, ...]  # layer names from the outer model down to a layer


def _leaves(model: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every layer that is not itself a model, depth first, in the order the models list them."""
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _leaves(layer, path + (layer.name,))
        elif not isinstance(layer, keras.layers.InputLayer):
            yield path + (layer.name,), layer


def _rank(layer: Any) -> int | None:
    try:
        return len(layer.output.shape)
    except (AttributeError, ValueError):  # a layer called more than once has no single output
        return None


def spatial_layers(model: Any) -> list[str]:
    """Names of the layers whose output is a feature map (rank 4), input side first; the
    preprocessing layers in front of the backbone are left out."""
    return [path[-1] for path, layer in _leaves(model) if _rank(layer) == 4 and len(path) > 1]


def find_layer(model: Any, name: str | None = None) -> Path_:
    """The path to ``name``, or by default to the backbone's last spatial layer (the last layer,
    nested in the backbone, whose output is a feature map: after it comes the pooling)."""
    candidates = [path for path, layer in _leaves(model) if _rank(layer) == 4 and len(path) > 1]
    if name is None:
        if not candidates:
            raise SettingsError.of("gradcam.model_no_layer_spatial")
        return candidates[-1]
    for path in candidates:
        if path[-1] == name:
            return path
    shown = ", ".join(p[-1] for p in candidates[-5:])
    raise SettingsError.of("gradcam.model_no_spatial_layer", name=name, last_layers=shown)


def _final_layer(model: Any) -> tuple[Path_, Any]:
    """The layer that makes the probabilities: the last layer, inside nested models if need be."""
    path: Path_ = ()
    layer = model
    while isinstance(layer, keras.Model):
        layer = layer.layers[-1]
        path += (layer.name,)
    return path, layer


def tapped_model(model: Any, requests: Sequence[tuple[Path_, str]]) -> Any:
    """``model`` with outputs ``[model's output, *requested tensors]``; a request is (path to a
    layer, "output" or "input"). Shares every layer and weight with ``model``."""
    if all(len(path) == 1 for path, _ in requests):  # all in this graph: any graph shape will do
        tensors = [getattr(model.get_layer(path[0]), kind) for path, kind in requests]
        return keras.Model(model.inputs, [model.outputs[0], *tensors], name=f"{model.name}_tapped")
    inputs = keras.Input(model.input_shape[1:], name="pixels")
    x, found = inputs, {}
    for part in model.layers[1:]:  # a chain: each part takes the previous part's output
        mine = [(index, path[1:], kind) for index, (path, kind) in enumerate(requests) if path[0] == part.name]
        found.update({index: x for index, rest, kind in mine if not rest and kind == "input"})
        nested = [(index, rest, kind) for index, rest, kind in mine if rest]
        if nested:
            outputs = tapped_model(part, [(rest, kind) for _, rest, kind in nested])(x)
            x = outputs[0]
            found.update({index: tensor for (index, _, _), tensor in zip(nested, outputs[1:])})
        else:
            x = part(x)
        found.update({index: x for index, rest, kind in mine if not rest and kind == "output"})
    return keras.Model(inputs, [x, *[found[i] for i in range(len(requests))]], name=f"{model.name}_tapped")


def _scores(final: Any, before: Any) -> Any:
    """The class scores before the softmax, from the final layer's input."""
    import tensorflow as tf

    if isinstance(final, keras.layers.Dense):
        z = tf.matmul(before, final.kernel)
        return z + final.bias if final.use_bias else z
    if isinstance(final, keras.layers.Softmax):
        return before
    return tf.math.log(final(before) + 1e-12)  # anything else: the log-probabilities


class GradCam:
    """Grad-CAM maps for one model and one layer, one traced graph for any batch size."""

    def __init__(self, model: Any, layer: str | None = None) -> None:
        import tensorflow as tf

        self.layer_path = find_layer(model, layer)
        self.layer = self.layer_path[-1]
        final_path, final = _final_layer(model)
        tapped = tapped_model(model, [(self.layer_path, "output"), (final_path, "input")])
        self.image_size = int(model.input_shape[1])
        pixels = tf.TensorSpec((None, *model.input_shape[1:]), tf.float32)
        chosen = tf.TensorSpec((None,), tf.int32)

        @tf.function(input_signature=[pixels, chosen], reduce_retracing=True)
        def run(batch: Any, classes: Any) -> tuple[Any, Any, Any]:
            with tf.GradientTape() as tape:
                tape.watch(batch)  # frozen layers have no watched weights: record from the pixels on
                probabilities, activations, before = tapped(batch, training=False)
                predicted = tf.argmax(probabilities, axis=-1, output_type=tf.int32)
                target = tf.where(classes >= 0, classes, predicted)
                score = tf.gather(_scores(final, before), target, batch_dims=1)
            gradients = tape.gradient(score, activations)  # samples are independent: one call for all
            weights = tf.reduce_mean(gradients, axis=(1, 2))  # (N, K): each channel's importance
            maps = tf.nn.relu(tf.einsum("nhwk,nk->nhw", activations, weights))
            return maps, probabilities, target

        self._run = run

    def maps(self, pixels: np.ndarray, classes: Sequence[int] | None = None,
             batch_size: int = 16) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(maps (N, h, w) scaled to 0..1 per image, probabilities (N, classes), explained class
        per image) for raw pixels (N, size, size, 3); ``classes``: -1 or None = the predicted one."""
        wanted = np.full(len(pixels), -1, np.int32) if classes is None else np.asarray(classes, np.int32)
        maps, probabilities, targets = [], [], []
        for start in range(0, len(pixels), batch_size):
            batch = np.asarray(pixels[start:start + batch_size], np.float32)
            found = self._run(batch, wanted[start:start + len(batch)])
            maps.append(found[0].numpy())
            probabilities.append(found[1].numpy())
            targets.append(found[2].numpy())
        if not maps:
            return np.zeros((0, 1, 1), np.float32), np.zeros((0, 0), np.float32), np.zeros(0, np.int32)
        heat = np.concatenate(maps).astype(np.float32)
        peak = heat.reshape(len(heat), -1).max(axis=1)
        heat = np.divide(heat, peak[:, None, None], out=np.zeros_like(heat), where=peak[:, None, None] > 0)
        return heat, np.concatenate(probabilities), np.concatenate(targets)


_CACHE: "weakref.WeakKeyDictionary[Any, dict[str | None, GradCam]]" = weakref.WeakKeyDictionary()


def gradcam_for(model: Any, layer: str | None = None) -> GradCam:
    """The :class:`GradCam` of ``model`` at ``layer``, built once per model (tracing costs seconds)."""
    per_model = _CACHE.setdefault(model, {})
    if layer not in per_model:
        per_model[layer] = GradCam(model, layer)
    return per_model[layer]


@dataclass(frozen=True)
class HeatmapShape:
    """Where a map's cells lie on the original image: the model sees the whole image stretched to
    a square, so cell (i, j) of an h x w map covers the same fraction of the original."""

    width: int
    height: int

    def upsample(self, heat: np.ndarray, width: int | None = None, height: int | None = None) -> np.ndarray:
        """``heat`` bilinearly resized to ``width`` x ``height`` (default: the original size)."""
        from PIL import Image

        size = (width or self.width, height or self.height)
        return np.asarray(Image.fromarray(heat.astype(np.float32), mode="F").resize(size, Image.BILINEAR))

    def peak(self, heat: np.ndarray) -> tuple[int, int]:
        """The map's maximum as [x, y] in the original image's pixels: the centre of the hottest
        cell, which is where the bilinearly resized map peaks too (at a border cell that map is
        flat out to the edge, and a plain argmax over it would say the first pixel)."""
        row, column = np.unravel_index(int(np.argmax(heat)), heat.shape)
        x = min(self.width - 1, int((column + 0.5) * self.width / heat.shape[1]))
        y = min(self.height - 1, int((row + 0.5) * self.height / heat.shape[0]))
        return x, y
