"""The request of ``audit`` ("Check my data" in the window). TensorFlow-free: the window imports it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class AuditRequest(Request):
    """Audit ``data_dir`` (and ``val_dir``) with ``backbone``'s embeddings; the reply is
    ``core.insight.audit.AuditReport.to_dict()`` (plain types)."""

    data_dir: str
    val_dir: str | None = None
    backbone: str | None = None
    weights: str | None = "imagenet"
    image_size: int | None = None
    name: ClassVar[str] = "audit"
