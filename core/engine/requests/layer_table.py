"""The request of ``layer_table`` and its reply: what the window's freeze slider needs of a backbone."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class LayerTableRequest(Request):
    backbone_id: str
    name: ClassVar[str] = "layer_table"


@dataclass
class LayerTableSummary:
    """What the freeze slider needs; descriptions are core's own wording for every freeze point."""

    backbone_id: str
    names: list[str]
    boundaries: list[Any]  # core.backbones.Boundary (TensorFlow-free)
    default_point: int
    descriptions: list[str]  # index n: FreezeInfo.describe() with n layers frozen (pretrained)
    scratch_params: int
    # For the window's own wording (new head included, cacheability); None from older engines.
    trainable_params: list[int] | None = None  # index n: backbone parameters that train with n frozen
    total_params: int | None = None  # backbone parameters, moving statistics included
    feature_dim: int | None = None  # channels of the backbone's output: the new head's input width
    cacheable: list[int] | None = None  # freeze points where the feature cache can split the model

    def head_params(self, n_classes: int | None) -> int:
        """Weights and biases of the new softmax head for ``n_classes`` classes (0 when unknown)."""
        return (self.feature_dim + 1) * n_classes if self.feature_dim and n_classes else 0

    def can_cache(self, n: int) -> bool | None:
        """Whether training with ``n`` frozen layers can use the feature cache (None: unknown)."""
        return None if self.cacheable is None else n in self.cacheable
