"""The door of ``backbones``: the backbones this installation offers, with their weights' status
(TensorFlow-free: the list is read from the registry and the weights folders)."""
from __future__ import annotations

from core.backbones.catalog import BackboneInfo, list_backbones

__all__ = ["BackboneInfo", "list_backbones"]
