"""Where a functional network can be cut in two with a single tensor crossing the cut.

Why: the feature cache stores the activations at the freeze point and trains only the layers
after it. That is only possible where exactly one tensor flows from the frozen part into the
trainable part. Inside a residual block the skip connection also crosses, so those positions
cannot be cached; block boundaries (and every position of a plain chain) can. The positions are
derived from the real graph, not from layer names, so every backbone is handled the same way.

Positions use the freeze slider's convention: position ``n`` freezes ``model.layers[:n]`` (the
input layer counts as layer 0), so the cut lies after ``model.layers[n - 1]``.
"""
from __future__ import annotations

from typing import Any


def _model_nodes(model: Any) -> list[tuple[int, Any]]:
    """(layer index, node) for every call of a layer that belongs to ``model``'s own graph."""
    from keras.src.ops.function import make_node_key  # lazy: importing this module stays cheap

    members = getattr(model, "_nodes", None)
    out = []
    for index, layer in enumerate(model.layers):
        for node_index, node in enumerate(layer._inbound_nodes):
            if members is None or make_node_key(layer, node_index) in members:
                out.append((index, node))
    return out


def _tensor_spans(model: Any) -> dict[int, tuple[int, int, Any]]:
    """id(tensor) -> (producing layer index, last consuming layer index, tensor).

    A model output counts as consumed after the last layer (index ``len(model.layers)``).
    """
    nodes = _model_nodes(model)
    spans: dict[int, tuple[int, int, Any]] = {}
    for index, node in nodes:
        for tensor in node.output_tensors:
            spans[id(tensor)] = (index, index, tensor)
    for index, node in nodes:
        for tensor in node.input_tensors:
            if id(tensor) in spans:
                producer, last, _ = spans[id(tensor)]
                spans[id(tensor)] = (producer, max(last, index), tensor)
    for tensor in model.outputs:
        if id(tensor) in spans:
            producer, _, _ = spans[id(tensor)]
            spans[id(tensor)] = (producer, len(model.layers), tensor)
    return spans


def crossing_tensors(model: Any, position: int) -> list[Any]:
    """The tensors produced before the cut at ``position`` and used after it."""
    return [tensor for producer, last, tensor in _tensor_spans(model).values() if producer < position <= last]


def single_tensor_cuts(model: Any) -> list[int]:
    """All positions 1..len(layers) where exactly one tensor crosses the cut (ascending)."""
    count = len(model.layers)
    delta = [0] * (count + 2)
    for producer, last, _ in _tensor_spans(model).values():
        if last > producer:  # crosses every cut position producer+1 .. last
            delta[producer + 1] += 1
            delta[last + 1] -= 1
    positions, running = [], 0
    for position in range(count + 1):
        running += delta[position]
        if position >= 1 and running == 1:
            positions.append(position)
    return positions
