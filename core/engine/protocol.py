"""What crosses the pipe between the window and the engine process, as types.

Why types and not ``(name, kwargs)``: the window and the engine are two programs that must agree
on every field; a dataclass per job makes a misspelt field fail where the request is written, and
the server finds a job by the request's type. Nothing here imports TensorFlow or Qt, so both
sides (and tests) import it freely.

Requests (window -> engine) are dataclasses deriving from :class:`Request`, one module per
operation in core/engine/requests/ (``train``, ``predict``, ``audit``...), found by
:mod:`core.operations`; replies are small picklable summaries defined beside them. The models
themselves stay in the engine and are named by a handle ("trained:3", "trained:4:svm" for a
comparison's method, "bundle:/path", "imagenet:<id>").

Wire messages are tagged tuples (:class:`Start`, :class:`Cancel`, :class:`Env`, :class:`Quit` to
the engine; :class:`EventMessage`, :class:`Done`, :class:`Failed` back): a tuple pickles small, and
the tag in front keeps a message readable in a log or a debugger. Events cross as the
``core.events`` dataclasses themselves; errors as themselves where the window can import their
type (``core.errors``, the built-in exceptions), else as :class:`EngineError` with the type's name
and text (:func:`portable_error`).
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple



# -- requests ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    """What the window asks the engine to do: one job (one execution of an operation). ``waits_on_cancel``: whether a cancelled job still waits for the
    engine's answer (training: the best epoch so far comes back) or stops waiting at once (a
    lookup: the late answer is dropped)."""

    name: ClassVar[str] = "job"  # for logs and thread names
    waits_on_cancel: ClassVar[bool] = False


# -- wire messages -----------------------------------------------------------------------------
class Start(NamedTuple):
    """Start a job: one execution of ``request`` in the engine, named ``job_id`` by the window."""

    kind: str  # "start"
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


def start(job_id: int, request: Request) -> Start:
    return Start("start", job_id, request)


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
