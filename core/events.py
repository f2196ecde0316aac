"""Progress events the engine emits. Plain dataclasses: the CLI prints them, the GUI worker turns
them into Qt signals. Sinks are called on the worker thread and must return quickly.

A Progress or LogMessage made with ``.of("message.id", ...)`` carries the id and parameters of its text
(core/messages/) beside the English text, so the window can show it in the user's language."""
from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from core.messages import message, portable


@dataclass(frozen=True)
class Progress:
    """Generic progress of a preparatory step (scanning, decoding, feature extraction)."""

    task: str
    done: int
    total: int
    message: str = ""
    message_id: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, task: str, done: int, total: int, message_id: str, /, **params: Any) -> "Progress":
        return cls(task, done, total, message(message_id, **params), message_id, _portable(params))


@dataclass(frozen=True)
class PhaseStarted:
    name: str  # "warmup" (new head only) or "finetune" (backbone partly unfrozen) or "head" (fully frozen)
    first_epoch: int  # 0-based index of the phase's first epoch in the whole run
    epochs: int
    learning_rate: float
    trainable_params: int


@dataclass(frozen=True)
class BatchEnded:
    epoch: int  # 0-based
    batch: int  # 0-based
    batches: int
    loss: float
    accuracy: float


@dataclass(frozen=True)
class EpochEnded:
    epoch: int  # 0-based
    epochs: int
    phase: str
    loss: float
    accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    learning_rate: float
    elapsed_s: float
    eta_s: float


@dataclass(frozen=True)
class LogMessage:
    """Something worth telling the user that is not an error (e.g. a cache fallback)."""

    text: str
    level: str = "info"
    message_id: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, message_id: str, level: str = "info", /, **params: Any) -> "LogMessage":
        return cls(message(message_id, **params), level, message_id, _portable(params))


@dataclass(frozen=True)
class Finished:
    result: Any = None
    cancelled: bool = False


@dataclass(frozen=True)
class Failed:
    message: str
    details: str = ""


@dataclass(frozen=True)
class CandidateFinished:
    """One row of Auto's leaderboard (core/auto/): a candidate recipe and its cross-validated
    accuracy on the training images, mean and one standard deviation of the fold accuracies either
    side (``cv_low``..``cv_high``), over ``folds`` folds. ``status``: "scored", "stopped" (budget
    or Stop) or "skipped (...)"; a candidate not scored has no accuracy. ``status_id`` and
    ``status_params``: the status by id (core/messages/names.py), for the window's language; a row
    without them (an older engine's) is shown by its English ``status``."""

    name: str
    settings: dict[str, Any]
    cv_accuracy: float | None
    cv_low: float | None
    cv_high: float | None
    seconds: float
    status: str
    folds: int = 0
    status_id: str = ""
    status_params: dict[str, Any] = field(default_factory=dict)


WINDOW_FIELDS = ("message_id", "params", "status_id", "status_params")
"""The fields an event carries only for the window's translation (the ids of its English text)."""


def english_fields(event: Any) -> dict[str, Any]:
    """The event's fields without :data:`WINDOW_FIELDS`: what the CLI's JSON lines and config.json
    record, as they were before the ids were added."""
    fields = asdict(event)
    for name in WINDOW_FIELDS:
        fields.pop(name, None)
    return fields


def _portable(params: dict[str, Any]) -> dict[str, Any]:
    return {name: portable(value) for name, value in params.items()}


Event = Progress | PhaseStarted | BatchEnded | EpochEnded | LogMessage | Finished | Failed | CandidateFinished
EventSink = Callable[[Event], None]


def ignore_events(_event: Event) -> None:
    """Default sink for callers that do not care about progress."""


def new_cancel_token() -> threading.Event:
    """Cooperative cancellation is a plain threading.Event: jobs poll ``is_set()`` between batches."""
    return threading.Event()


@dataclass
class EventRecorder:
    """A sink that keeps every event; handy for tests and for the CLI's JSON summary."""

    events: list[Event] = field(default_factory=list)

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def of_type(self, kind: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, kind)]
