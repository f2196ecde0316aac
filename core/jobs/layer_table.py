"""The door of ``layer_table`` (the window's freeze slider): a backbone's layers, parameters, blocks
and where the feature cache can split it, from the disk cache after the first build."""
from __future__ import annotations

from typing import Any, Sequence


def layer_table(backbone_id: str, input_size: int | None = None) -> Any:
    """The backbone's core.training.model.LayerTable (names, parameters, blocks, where the feature
    cache can split, the feature width), from the disk cache after the first build."""
    from core.training.model import layer_table as table

    return table(backbone_id, input_size)


def default_freeze_point(backbone_id: str, layer_names: Sequence[str]) -> int:
    """Where the freeze slider starts: everything up to the backbone's last block frozen."""
    from core.backbones import get_backbone
    from core.training.model import default_freeze_point as default_point

    return default_point(get_backbone(backbone_id), list(layer_names))


def feature_size(backbone_id: str, input_size: int | None = None) -> int | None:
    """Channels of the backbone's output, the new head's input width (from the layer table)."""
    return layer_table(backbone_id, input_size).feature_dim
