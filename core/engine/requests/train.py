"""The request of ``train`` (window -> engine) and its reply, :class:`TrainSummary`: the window's
view of a trained model, which stays in the engine under a handle. TensorFlow-free, like every
module of core/engine/requests/: the window imports them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from core.config import TrainConfig
from core.engine.protocol import Request


@dataclass(frozen=True)
class TrainRequest(Request):
    """Train one model (``core.jobs.train.run_training``); ``config``: the typed settings
    (a dict of TrainConfig.to_json()'s form is turned into one, refusing an unknown field)."""

    config: TrainConfig
    name: ClassVar[str] = "train"
    waits_on_cancel: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if isinstance(self.config, dict):  # the settings' JSON form: checked now, an unknown field is an error here
            object.__setattr__(self, "config", TrainConfig.from_json(self.config))


@dataclass
class TrainSummary:
    handle: str
    class_names: tuple[str, ...]
    backbone: str
    data_dir: str
    metrics: dict[str, Any]
    best_epoch: int | None
    history: list[dict[str, Any]]
    cancelled: bool
    stopped_early: bool
    frozen_layers: int
    total_layers: int
    image_size: int
    elapsed_s: float
    skipped: list[tuple[str, str]] = field(default_factory=list)
    method: str = "finetune"  # core.training.trainer.TrainConfig.method
    method_label: str = "fine-tuning"  # core.methods.method_label
    cache: dict[str, Any] = field(default_factory=dict)  # what was cached where, e.g. {"warmup": "memory"}
    kept_path: str | None = None  # the bundle the engine kept in the runs folder (core/bundles/kept_runs.py)
    kept_error: str | None = None  # why it could not be kept (then the model is only in memory)
    auto: dict[str, Any] | None = None  # chosen by Auto (core/engine/requests/auto.py): the record + "config"

    @classmethod
    def of(cls, handle: str, result: Any, kept: str | None = None, kept_error: str | None = None) -> "TrainSummary":
        """The window's view of a ``TrainResult`` (read by attribute, so this module needs no TensorFlow);
        one place for every job that answers with a trained model (train, compare, continue a run)."""
        from core.methods import method_label

        config = result.config
        method = getattr(config, "method", "finetune")
        return cls(
            handle=handle, class_names=tuple(result.class_names), backbone=config.backbone, data_dir=config.data_dir,
            metrics=dict(result.metrics), best_epoch=result.best_epoch, history=list(result.history),
            cancelled=result.cancelled, stopped_early=result.stopped_early,
            frozen_layers=result.freeze.frozen_layers, total_layers=result.freeze.total_layers,
            image_size=result.data.image_size, elapsed_s=result.elapsed_s,
            skipped=[(str(s.path), s.reason) for s in result.data.skipped], method=method,
            method_label=method_label(method), cache=dict(getattr(result, "cache", {}) or {}), kept_path=kept,
            kept_error=kept_error)
