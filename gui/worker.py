"""The one bridge between the engine and the window: background work as Qt signals.

A :class:`Worker` runs jobs (callables taking an event sink and a cancel token) and turns core
events into Qt signals delivered on the GUI thread. A job that needs TensorFlow is a
:class:`~core.engine.client.RemoteJob` (``remote(SomeRequest(...))``): the worker sends it to the
engine process (core/engine/server.py says why a process) and the client's pipe-reader thread
hands its events, result or error to the worker, which emits them as signals — a signal emitted
from another thread is delivered on the GUI thread, queued and in order. Cheap jobs (scanning a
folder, thumbnails, a cached lookup in front of a request) run on a QThread. Rules kept here so
the panels do not have to:

* one job at a time per worker; starting another cancels the running one first and runs the new
  one when the old has wound down (cancellation is cooperative, never a thread kill);
* batch and progress events are throttled (~20 per second) so a fast model cannot flood the event
  loop; epoch, phase and log events always go through, after the batches buffered before them;
* every exception becomes ``failed(message, details)`` with a plain-words message (gui/errors.py);
  the traceback goes to the log file only;
* runs are kept alive by a module-level registry until they finish, so closing a panel never
  destroys a running QThread (which would abort the process); :func:`wait_for_all` joins them;
* :class:`EngineWatch` tells the window when the engine process dies, also between jobs.
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

# The engine's client side is re-exported: panels and tests reach it as gui.worker.remote, .engine, ...
from core.engine.client import (ENGINE_DIED, CancelToken, EngineClient, EngineDied, RemoteCancelled,  # noqa: F401
                                RemoteJob, describe_exit, engine, remote, shutdown_engine)
from core.engine.protocol import Done, Failed
from core.errors import TrainingCancelled
from core.events import BatchEnded, EpochEnded, LogMessage, PhaseStarted, Progress

from .errors import user_message

log = logging.getLogger("finetune_studio")

BATCH_INTERVAL_S = 0.05  # at most ~20 batch/progress signals per second
JobFn = Callable[[Callable[[Any], None], threading.Event], Any]


@dataclass
class _Job:
    fn: JobFn
    name: str
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[str, str], None] | None = None
    on_cancelled: Callable[[Any], None] | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    started: float = field(default_factory=time.perf_counter)


class _Relay:
    """The event sink of one job: throttles batches and progress, keeps the order. Called on the
    thread that produces events; ``emit(("batches", [...]) | ("event", event))`` must be thread-safe."""

    def __init__(self, emit: Callable[[tuple], None]) -> None:
        self._emit = emit
        self._last_batch_emit = 0.0
        self._last_progress_emit = 0.0
        self._batches: list[BatchEnded] = []
        self._lock = threading.Lock()

    def sink(self, event: Any) -> None:
        now = time.monotonic()
        if isinstance(event, BatchEnded):
            with self._lock:
                self._batches.append(event)
                due = now - self._last_batch_emit >= BATCH_INTERVAL_S
                if due:
                    batches, self._batches = self._batches, []
                    self._last_batch_emit = now
            if due:
                self._emit(("batches", batches))
            return
        if isinstance(event, Progress):
            if event.done < event.total and now - self._last_progress_emit < BATCH_INTERVAL_S:
                return
            self._last_progress_emit = now
            self._emit(("event", event))
            return
        self.flush()
        self._emit(("event", event))

    def flush(self) -> None:
        with self._lock:
            batches, self._batches = self._batches, []
            self._last_batch_emit = time.monotonic()
        if batches:
            self._emit(("batches", batches))


def _failure(job: _Job, error: BaseException, logged: bool) -> tuple:
    """The ``("failed", message, details)`` or cancelled outcome of a job that raised ``error``."""
    if isinstance(error, (RemoteCancelled, TrainingCancelled)):
        log.info("job %s cancelled before it produced a result (%s)", job.name, error)
        return ("done", None, True)
    if isinstance(error, EngineDied):
        return ("failed", str(error), "")  # the client logged how the engine ended
    if not logged:
        log.error("job %s failed:\n%s", job.name, "".join(traceback.format_exception(error)))
    return ("failed", *user_message(error))


def _success(job: _Job, result: Any, cancelled: bool = False) -> tuple:
    cancelled = cancelled or job.cancel.is_set() or bool(getattr(result, "cancelled", False))
    log.info("job %s %s after %.1f s", job.name, "cancelled" if cancelled else "finished",
             time.perf_counter() - job.started)
    return ("done", result, cancelled)


class _JobThread(QThread):
    """Runs one local job. Emits raw core events and one outcome tuple; the Worker interprets both."""

    event = Signal(object)
    outcome = Signal(object)  # ("done", result, cancelled) | ("failed", message, details)

    def __init__(self, job: _Job) -> None:
        super().__init__()
        self.job = job
        self.setObjectName(f"job:{job.name}")
        self._relay = _Relay(self.event.emit)

    def run(self) -> None:
        job = self.job
        try:
            result = job.fn(self._relay.sink, job.cancel)
        except BaseException as error:  # noqa: BLE001 - every failure becomes a message, never a crash
            self._relay.flush()
            self.outcome.emit(_failure(job, error, logged=False))
            return
        self._relay.flush()
        self.outcome.emit(_success(job, result))


class _RemoteExecution(QObject):
    """Runs one RemoteJob without a thread of its own: the engine client's reader thread calls back,
    and the callbacks are emitted as signals (queued to the GUI thread, in order). The same face
    as _JobThread for the Worker: ``job``, ``event``, ``outcome``, ``finished``, ``wait``."""

    event = Signal(object)
    outcome = Signal(object)
    finished = Signal()

    def __init__(self, job: _Job) -> None:
        super().__init__()
        self.job = job
        self.setObjectName(f"remote:{job.name}")
        self._relay = _Relay(self.event.emit)
        self._ended = threading.Event()

    def start(self) -> None:
        fn: RemoteJob = self.job.fn  # type: ignore[assignment]
        try:
            fn.start(self._relay.sink, self._end, self.job.cancel)
        except Exception as error:  # noqa: BLE001 - e.g. the engine could not be started
            self._finish(_failure(self.job, error, logged=False))

    def _end(self, reply: Done | Failed) -> None:
        self._relay.flush()
        if isinstance(reply, Failed):
            self._finish(_failure(self.job, reply.error, logged=True))  # by the engine (or the client)
        elif reply.cancelled and reply.result is None:
            self._finish(_failure(self.job, RemoteCancelled(), logged=True))
        else:
            self._finish(_success(self.job, reply.result, reply.cancelled))

    def _finish(self, outcome: tuple) -> None:
        self.outcome.emit(outcome)
        self._ended.set()
        self.finished.emit()

    def isRunning(self) -> bool:  # noqa: N802 - QThread's name, so the Worker treats both alike
        return not self._ended.is_set()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        return self._ended.wait(timeout_ms / 1000)


_Execution = _JobThread | _RemoteExecution
_LIVE: set[_Execution] = set()
_LIVE_LOCK = threading.Lock()


def _forget(run: _Execution) -> None:
    with _LIVE_LOCK:
        _LIVE.discard(run)


def live_threads() -> list[_Execution]:
    """Jobs being executed (local threads and engine requests) that have not finished."""
    with _LIVE_LOCK:
        return [run for run in _LIVE if run.isRunning()]


def wait_for_all(timeout_ms: int = 60_000) -> bool:
    """Cancel and join every job still going (used at exit and by tests). True if all finished."""
    deadline = time.monotonic() + timeout_ms / 1000
    with _LIVE_LOCK:
        runs = list(_LIVE)
    for run in runs:
        run.job.cancel.set()
    for run in runs:
        remaining = max(0, int((deadline - time.monotonic()) * 1000))
        if not run.wait(remaining):
            return False
    return True


class Worker(QObject):
    """One lane of background work (training, a panel's lookups). Signals arrive on the GUI thread."""

    progress = Signal(object)  # core.events.Progress
    phaseStarted = Signal(object)  # core.events.PhaseStarted
    batchesEnded = Signal(object)  # list[core.events.BatchEnded], throttled
    epochEnded = Signal(object)  # core.events.EpochEnded
    logMessage = Signal(object)  # core.events.LogMessage
    jobEvent = Signal(object)  # any other event of a job, e.g. a folder classification's rows (never throttled)
    finished = Signal(object, bool)  # result, cancelled
    failed = Signal(str, str)  # user-readable message, details
    busyChanged = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"worker:{name}")
        self._current: _Execution | None = None
        self._pending: _Job | None = None
        self._signals = {Progress: self.progress, PhaseStarted: self.phaseStarted, EpochEnded: self.epochEnded,
                         LogMessage: self.logMessage}

    # -- public API ------------------------------------------------------------------------
    def start(self, fn: JobFn, name: str | None = None, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str, str], None] | None = None,
              on_cancelled: Callable[[Any], None] | None = None) -> threading.Event:
        """Run ``fn(sink, cancel)`` in the background (a RemoteJob in the engine); returns its cancel token.

        If a job is running it is cancelled first and ``fn`` starts once it has wound down; only
        the latest pending job is kept (a newer request supersedes an older one).
        """
        job = _Job(fn, name or self.name, on_done, on_error, on_cancelled)
        if self.is_busy():
            if self._pending is not None:
                self._pending.cancel.set()
            self._pending = job  # before the cancel: a lookup's cancel ends it at once
            self._current.job.cancel.set()  # type: ignore[union-attr]
        else:
            self._launch(job)
        return job.cancel

    def cancel(self) -> None:
        """Ask the running job (and drop any pending one) to stop; it stops within one batch."""
        if self._pending is not None:
            self._pending.cancel.set()
            self._pending = None
        if self._current is not None:
            self._current.job.cancel.set()

    def is_busy(self) -> bool:
        return self._current is not None

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the current job ends (tests and shutdown only)."""
        run = self._current
        return True if run is None else run.wait(timeout_ms)

    # -- internals -------------------------------------------------------------------------
    def _launch(self, job: _Job) -> None:
        run: _Execution = _RemoteExecution(job) if isinstance(job.fn, RemoteJob) else _JobThread(job)
        # Queued even when emitted on this thread (a cancelled lookup ends inside cancel.set()):
        # the Worker's state changes only between events, never in the middle of start().
        queued = Qt.ConnectionType.QueuedConnection
        run.event.connect(self._on_event, queued)
        run.outcome.connect(self._on_outcome, queued)
        run.finished.connect(self._on_execution_finished, queued)
        with _LIVE_LOCK:
            _LIVE.add(run)
        was_busy = self._current is not None
        self._current = run
        run.start()
        if not was_busy:
            self.busyChanged.emit(True)

    @Slot(object)
    def _on_event(self, payload: tuple) -> None:
        if self.sender() is not self._current:
            return  # a superseded job still draining: its progress no longer matters
        kind, value = payload
        if kind == "batches":
            self.batchesEnded.emit(value)
            return
        self._signals.get(type(value), self.jobEvent).emit(value)

    @Slot(object)
    def _on_outcome(self, outcome: tuple) -> None:
        run = self.sender()
        job: _Job = run.job  # type: ignore[attr-defined]
        if outcome[0] == "failed":
            _, message, details = outcome
            if job.on_error is not None and not job.cancel.is_set():
                job.on_error(message, details)
            if run is self._current:
                self.failed.emit(message, details)
            return
        _, result, cancelled = outcome
        if cancelled and job.on_cancelled is not None:
            job.on_cancelled(result)
        elif not cancelled and job.on_done is not None:
            job.on_done(result)
        if run is self._current:
            self.finished.emit(result, cancelled)

    @Slot()
    def _on_execution_finished(self) -> None:
        run = self.sender()
        _forget(run)  # type: ignore[arg-type]
        run.deleteLater()
        if run is not self._current:
            return
        self._current = None
        pending, self._pending = self._pending, None
        if pending is not None and not pending.cancel.is_set():
            self._launch(pending)
        else:
            self.busyChanged.emit(False)


class EngineWatch(QObject):
    """``died(description, failed_jobs)`` on the GUI thread whenever the engine process ends unasked.

    Why a signal of its own: a job that was running fails with the description anyway, but an
    engine that dies between jobs (killed while the window shows a trained model) would otherwise
    go unnoticed until the next prediction failed, and the window would still offer a model the
    engine no longer holds. ``failed_jobs`` tells whether some job already reports the death.
    """

    died = Signal(str, int)

    def __init__(self, parent: QObject | None = None, client: EngineClient | None = None) -> None:
        super().__init__(parent)
        self._client = client if client is not None else engine()
        client, relay = self._client, self._relay
        client.add_death_listener(relay)
        self.destroyed.connect(lambda *_: client.remove_death_listener(relay))

    def _relay(self, description: str, failed_jobs: int) -> None:
        self.died.emit(description, failed_jobs)  # from the engine's reader thread: queued to the GUI thread
