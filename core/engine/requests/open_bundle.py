"""The request of ``open_bundle`` (File › Open model…) and its reply, :class:`ModelSummary`: the model
stays in the engine under the handle "bundle:<path>"."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class OpenBundleRequest(Request):
    path: str
    name: ClassVar[str] = "open_bundle"


@dataclass
class ModelSummary:
    handle: str
    path: str
    class_names: list[str]
    config: dict[str, Any]
    history: list[dict[str, Any]]
    metrics: dict[str, Any]
    method: str = "finetune"
    method_label: str = "fine-tuning"
