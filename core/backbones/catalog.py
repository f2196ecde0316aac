"""What the backbone list shows: each backbone's facts and whether its weights are on this computer.

TensorFlow-free, so the window can list backbones at start-up without asking the engine process.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.backbones import BACKBONES, BackboneSpec
from core.backbones.weights import weights_status


@dataclass(frozen=True)
class BackboneInfo:
    id: str
    label: str
    description: str
    input_size: int
    params_m: float
    speed: str
    weights: str  # "offline" | "cached" | "download"

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_backbones() -> list[BackboneInfo]:
    """Cheap: no TensorFlow import (the window lists backbones before the engine has started)."""
    def info(spec: BackboneSpec) -> BackboneInfo:
        return BackboneInfo(spec.id, spec.label, spec.description, spec.input_size, spec.params_m, spec.speed,
                            weights_status(spec))

    return [info(spec) for spec in BACKBONES.values()]
