"""The one freeze resolver: what the user gave as a freeze point -> how many backbone layers are frozen.

A freeze point can be given four ways: not at all (each use has its own sensible default), a
count (negative counts from the end, as fastai's ``freeze_to`` does: ``-1`` trains only the last
layer), a layer name (frozen through it) or a stage name such as ``conv4`` (frozen through the
stage's last block). The trainer, the embeddings methods, the learning-rate finder and the door's
early check all ask here, so "no freeze point" and "-3" mean the same thing everywhere, and the
door can refuse a bad one against the backbone's cached layer table before any image is decoded.

TensorFlow-free: it needs only the layer names and the backbone's block patterns.
"""
from __future__ import annotations

from typing import Literal, Sequence

from core.backbones import BackboneSpec, block_boundaries
from core.errors import WordedValueError

Purpose = Literal["train", "embeddings", "lr_find"]
"""What the count is for, which decides "none given": fine-tuning freezes everything up to the last
block (pretrained) or nothing (from scratch); the embeddings methods read the pooled output (every
layer); the LR finder sweeps the head alone (every layer, or nothing from scratch)."""


def default_freeze_point(spec: BackboneSpec, layer_names: Sequence[str]) -> int:
    """Everything frozen up to the last block (the end of the second-to-last block)."""
    boundaries = block_boundaries(spec, list(layer_names))
    return boundaries[-2].n_layers if len(boundaries) >= 2 else len(layer_names)


def resolve_freeze_point(layer_names: Sequence[str], spec: BackboneSpec | None, n: int | str) -> int:
    """A freeze point given as a count (negative: from the end), a layer name or a stage -> a count."""
    total = len(layer_names)
    if isinstance(n, int) and not isinstance(n, bool):
        count = total + n if n < 0 else n
        if not 0 <= count <= total:
            raise WordedValueError.of("freeze.freeze_point_must_between", lowest=-total, total=total, n=n)
        return count
    if n in layer_names:
        return list(layer_names).index(n) + 1
    if spec is not None:  # a stage name such as "conv4": freeze through the stage's last block
        ends = [b.n_layers for b in block_boundaries(spec, list(layer_names)) if b.stage == n]
        if ends:
            return max(ends)
    raise WordedValueError.of("freeze.neither_layer_nor_stage", n=n)


def freeze_count(freeze: int | str | None, layer_names: Sequence[str], spec: BackboneSpec | None,
                 pretrained: bool = True, purpose: Purpose = "train") -> int:
    """How many backbone layers are frozen for ``freeze`` (None: ``purpose``'s default)."""
    if freeze is not None:
        return resolve_freeze_point(layer_names, spec, freeze)
    if purpose == "train":
        return default_freeze_point(spec, layer_names) if pretrained and spec is not None else (
            len(layer_names) if pretrained else 0)
    if purpose == "lr_find":
        return len(layer_names) if pretrained else 0
    return len(layer_names)
