"""What crosses the pipe between the window and the engine process, as types.

Why types and not ``(name, kwargs)``: the window and the engine are two programs that must agree
on every field; a dataclass per job makes a misspelt field fail where the request is written, and
the server finds a job by the request's type. Nothing here imports TensorFlow or Qt, so both
sides (and tests) import it freely.

Requests (window -> engine), one per job: :class:`TrainRequest`, :class:`CompareRequest`,
:class:`SaveRequest`, :class:`LayerTableRequest`, :class:`PredictRequest`,
:class:`OpenBundleRequest`, :class:`PingRequest`, :class:`WeightsDirsRequest`. Replies are small
picklable summaries (:class:`TrainSummary`, :class:`LayerTableSummary`, :class:`ModelSummary`,
prediction rows); the models themselves stay in the engine and are named by a handle
("trained:3", "trained:4:svm" for a comparison's method, "bundle:/path", "imagenet:<id>").

Wire messages are tagged tuples (:class:`Run`, :class:`Cancel`, :class:`Env`, :class:`Quit` to
the engine; :class:`EventMessage`, :class:`Done`, :class:`Failed` back): a tuple pickles small, and
the tag in front keeps a message readable in a log or a debugger. Events cross as the
``core.events`` dataclasses themselves; errors as themselves where the window can import their
type (``core.errors``, the built-in exceptions), else as :class:`EngineError` with the type's name
and text (:func:`portable_error`).
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from core.methods import METHODS


# -- requests ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    """One job for the engine. ``waits_on_cancel``: whether a cancelled job still waits for the
    engine's answer (training: the best epoch so far comes back) or stops waiting at once (a
    lookup: the late answer is dropped)."""

    name: ClassVar[str] = "job"  # for logs and thread names
    waits_on_cancel: ClassVar[bool] = False


@dataclass(frozen=True)
class TrainRequest(Request):
    """Train one model (``core.jobs.run_training``); ``config`` is ``TrainConfig.to_json()``'s form."""

    config: dict[str, Any]
    name: ClassVar[str] = "train"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class CompareRequest(Request):
    """Every method in ``methods`` on the same split (``core.jobs.run_comparison``)."""

    config: dict[str, Any]
    methods: tuple[str, ...] = tuple(METHODS)
    name: ClassVar[str] = "compare"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class SaveRequest(Request):
    """Save the model ``handle`` to ``path``: a copy of its kept bundle ``kept`` when there is one."""

    handle: str
    path: str
    kept: str | None = None
    name: ClassVar[str] = "save"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class LayerTableRequest(Request):
    backbone_id: str
    name: ClassVar[str] = "layer_table"


@dataclass(frozen=True)
class PredictRequest(Request):
    """Top-``k`` for ``paths`` from ``source``: ``{"kind": "imagenet", "backbone": id}`` or
    ``{"kind": "handle", "handle": handle}``."""

    source: dict[str, Any]
    paths: tuple[str, ...]
    k: int = 5
    name: ClassVar[str] = "predict"


@dataclass(frozen=True)
class OpenBundleRequest(Request):
    path: str
    name: ClassVar[str] = "open_bundle"


@dataclass(frozen=True)
class PingRequest(Request):
    """Answered with the engine's process id (tests, and a cheap "is it alive")."""

    name: ClassVar[str] = "ping"


@dataclass(frozen=True)
class WeightsDirsRequest(Request):
    """The folders the engine searches for pre-placed weights (the window's setting reaches it)."""

    name: ClassVar[str] = "weights_dirs"


# -- replies -----------------------------------------------------------------------------------
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


PredictionRow = tuple[str, list[tuple[str, float]], "str | None", "dict[str, Any] | None"]
"""(image, top-k as (label, probability), why it could not be classified, familiarity): the last is
None when the model has no calibration, else {"unfamiliar", "distance", "distance_limit"}."""


# -- wire messages -----------------------------------------------------------------------------
class Run(NamedTuple):
    kind: str  # "run"
    job_id: int
    request: Request


class Cancel(NamedTuple):
    kind: str  # "cancel"
    job_id: int


class Env(NamedTuple):
    """Environment settings for the engine (e.g. FTS_WEIGHTS_DIR); "" or None removes one."""

    kind: str  # "env"
    env: dict[str, str | None]


class Quit(NamedTuple):
    kind: str  # "quit"


class EventMessage(NamedTuple):
    kind: str  # "event"
    job_id: int
    event: Any  # a core.events dataclass


class Done(NamedTuple):
    kind: str  # "done"
    job_id: int
    result: Any
    cancelled: bool


class Failed(NamedTuple):
    kind: str  # "failed"
    job_id: int
    error: BaseException  # see portable_error


Reply = EventMessage | Done | Failed


def run(job_id: int, request: Request) -> Run:
    return Run("run", job_id, request)


def event(job_id: int, core_event: Any) -> EventMessage:
    return EventMessage("event", job_id, core_event)


def done(job_id: int, result: Any, cancelled: bool) -> Done:
    return Done("done", job_id, result, cancelled)


def failed(job_id: int, error: BaseException) -> Failed:
    return Failed("failed", job_id, portable_error(error))


# -- errors across the pipe --------------------------------------------------------------------
class EngineError(Exception):
    """An error raised in the engine whose type the window cannot (or must not) import: one from
    TensorFlow, Keras or another library. It keeps the type's name and the text, which is all the
    window's wording of an unexpected error uses."""

    def __init__(self, type_name: str, text: str) -> None:
        super().__init__(text)
        self.type_name = type_name

    def __reduce__(self) -> tuple:
        return type(self), (self.type_name, str(self))


PORTABLE_MODULES = frozenset({"builtins", "core.errors", __name__})
"""Where an error's type must live to cross as itself: modules the window imports anyway (no
TensorFlow behind them), so unpickling it there never loads anything heavy."""


def portable_error(error: BaseException) -> BaseException:
    """``error`` as it can cross to the window: itself when its type lives in :data:`PORTABLE_MODULES`
    and it survives a pickle round-trip with its type and text; else the nearest built-in type it
    derives from below ``Exception`` (a library's ``ValueError`` subclass stays a ``ValueError``);
    else an :class:`EngineError`. Traceback and cause are left behind (the engine's log has them)."""
    if type(error).__module__ in PORTABLE_MODULES and _round_trips(error):
        return error
    text = str(error)
    for base in type(error).__mro__[1:]:
        if base.__module__ != "builtins" or base in (Exception, BaseException):
            continue
        for args in (error.args, (text,)):
            try:
                stand_in = base(*args)
            except Exception:  # noqa: BLE001 - a base that wants other arguments: try the next
                continue
            if _round_trips(stand_in):
                return stand_in
    return EngineError(type(error).__name__, text)


def _round_trips(error: BaseException) -> bool:
    try:
        again = pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure means it cannot cross as itself
        return False
    return type(again) is type(error) and str(again) == str(error)
