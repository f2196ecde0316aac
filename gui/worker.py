"""The one bridge between the engine and the window.

A :class:`Worker` runs jobs (callables taking an event sink and a cancel token) on a QThread and
turns core events into Qt signals delivered on the GUI thread. Jobs that need TensorFlow are
:func:`remote` jobs (gui/engine_client.py): the QThread forwards them to the engine process
(gui/engine.py explains why a process) and relays its events, result or error; cheap jobs
(scanning a folder, thumbnails) run on the QThread itself. Rules kept here so the panels do not have to:

* one job at a time per worker; starting another cancels the running one first and runs the new
  one when the old has wound down (cancellation is cooperative, never a thread kill);
* batch and progress events are throttled (~20 per second) so a fast model cannot flood the event
  loop; epoch, phase and log events always go through, after the batches buffered before them;
* every exception becomes ``failed(message, details)`` with a plain-words message; the traceback
  goes to the log file only;
* threads are kept alive by a module-level registry until they finish, so closing a panel never
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

from PySide6.QtCore import QObject, QThread, Signal, Slot

# The engine side is re-exported: panels and tests reach it as gui.worker.remote, .engine, ...
from .engine_client import (ENGINE_DIED, CancelToken, EngineClient, JobFn, RemoteCancelled,  # noqa: F401
                            RemoteError, describe_exit, engine, remote, shutdown_engine)
from .errors import is_cancellation, user_message

log = logging.getLogger("finetune_studio")

BATCH_INTERVAL_S = 0.05  # at most ~20 batch/progress signals per second


@dataclass
class _Job:
    fn: JobFn
    name: str
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[str, str], None] | None = None
    on_cancelled: Callable[[Any], None] | None = None
    cancel: CancelToken = field(default_factory=CancelToken)


class _JobThread(QThread):
    """Runs one job. Emits raw core events and one outcome tuple; the Worker interprets both."""

    event = Signal(object)
    outcome = Signal(object)  # ("done", result, cancelled) | ("failed", message, details)

    def __init__(self, job: _Job) -> None:
        super().__init__()
        self.job = job
        self.setObjectName(f"job:{job.name}")
        self._last_batch_emit = 0.0
        self._last_progress_emit = 0.0
        self._batches: list[Any] = []
        self._lock = threading.Lock()

    # Called on this thread by core code; must return quickly.
    def sink(self, event: Any) -> None:
        kind = type(event).__name__
        now = time.monotonic()
        if kind == "BatchEnded":
            with self._lock:
                self._batches.append(event)
                due = now - self._last_batch_emit >= BATCH_INTERVAL_S
                if due:
                    batches, self._batches = self._batches, []
                    self._last_batch_emit = now
            if due:
                self.event.emit(("batches", batches))
            return
        if kind == "Progress":
            done, total = getattr(event, "done", 0), getattr(event, "total", 0)
            if done < total and now - self._last_progress_emit < BATCH_INTERVAL_S:
                return
            self._last_progress_emit = now
            self.event.emit(("event", event))
            return
        self._flush_batches()
        self.event.emit(("event", event))

    def _flush_batches(self) -> None:
        with self._lock:
            batches, self._batches = self._batches, []
            self._last_batch_emit = time.monotonic()
        if batches:
            self.event.emit(("batches", batches))

    def run(self) -> None:
        job = self.job
        started = time.perf_counter()
        try:
            result = job.fn(self.sink, job.cancel)
        except BaseException as error:  # noqa: BLE001 - every failure becomes a message, never a crash
            self._flush_batches()
            if isinstance(error, RemoteCancelled) or is_cancellation(error):
                log.info("job %s cancelled before it produced a result (%s)", job.name, error)
                self.outcome.emit(("done", None, True))
                return
            if isinstance(error, RemoteError):
                message, details = error.message, error.details
            else:
                log.error("job %s failed:\n%s", job.name, traceback.format_exc())
                message, details = user_message(error)
            self.outcome.emit(("failed", message, details))
            return
        self._flush_batches()
        cancelled = job.cancel.is_set() or bool(getattr(result, "cancelled", False))
        log.info("job %s %s after %.1f s", job.name, "cancelled" if cancelled else "finished",
                 time.perf_counter() - started)
        self.outcome.emit(("done", result, cancelled))


_LIVE: set[_JobThread] = set()
_LIVE_LOCK = threading.Lock()


def _forget(thread: _JobThread) -> None:
    with _LIVE_LOCK:
        _LIVE.discard(thread)


def live_threads() -> list[QThread]:
    with _LIVE_LOCK:
        return [t for t in _LIVE if t.isRunning()]


def wait_for_all(timeout_ms: int = 60_000) -> bool:
    """Join every job thread still running (used at exit and by tests). True if all finished."""
    deadline = time.monotonic() + timeout_ms / 1000
    for thread in list(_LIVE):
        thread.job.cancel.set()
    for thread in list(_LIVE):
        remaining = max(0, int((deadline - time.monotonic()) * 1000))
        if not thread.wait(remaining):
            return False
    return True


class Worker(QObject):
    """One lane of background work (training, a panel's lookups). Signals arrive on the GUI thread."""

    progress = Signal(object)  # core.events.Progress
    phaseStarted = Signal(object)  # core.events.PhaseStarted
    batchesEnded = Signal(object)  # list[core.events.BatchEnded], throttled
    epochEnded = Signal(object)  # core.events.EpochEnded
    logMessage = Signal(object)  # core.events.LogMessage
    finished = Signal(object, bool)  # result, cancelled
    failed = Signal(str, str)  # user-readable message, details
    busyChanged = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName(f"worker:{name}")
        self._thread: _JobThread | None = None
        self._pending: _Job | None = None

    # -- public API ------------------------------------------------------------------------
    def start(self, fn: JobFn, name: str | None = None, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str, str], None] | None = None,
              on_cancelled: Callable[[Any], None] | None = None) -> threading.Event:
        """Run ``fn(sink, cancel)`` in the background; returns its cancel token.

        If a job is running it is cancelled first and ``fn`` starts once it has wound down; only
        the latest pending job is kept (a newer request supersedes an older one).
        """
        job = _Job(fn, name or self.name, on_done, on_error, on_cancelled)
        if self.is_busy():
            self._thread.job.cancel.set()  # type: ignore[union-attr]
            if self._pending is not None:
                self._pending.cancel.set()
            self._pending = job
        else:
            self._launch(job)
        return job.cancel

    def cancel(self) -> None:
        """Ask the running job (and drop any pending one) to stop; it stops within one batch."""
        if self._pending is not None:
            self._pending.cancel.set()
            self._pending = None
        if self._thread is not None:
            self._thread.job.cancel.set()

    def is_busy(self) -> bool:
        return self._thread is not None

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the current job's thread ends (tests and shutdown only)."""
        thread = self._thread
        return True if thread is None else thread.wait(timeout_ms)

    # -- internals -------------------------------------------------------------------------
    def _launch(self, job: _Job) -> None:
        thread = _JobThread(job)
        thread.event.connect(self._on_event)
        thread.outcome.connect(self._on_outcome)
        thread.finished.connect(self._on_thread_finished)
        with _LIVE_LOCK:
            _LIVE.add(thread)
        was_busy = self._thread is not None
        self._thread = thread
        thread.start()
        if not was_busy:
            self.busyChanged.emit(True)

    @Slot(object)
    def _on_event(self, payload: tuple) -> None:
        if self.sender() is not self._thread:
            return  # a superseded job still draining: its progress no longer matters
        kind, value = payload
        if kind == "batches":
            self.batchesEnded.emit(value)
            return
        name = type(value).__name__
        if name == "Progress":
            self.progress.emit(value)
        elif name == "PhaseStarted":
            self.phaseStarted.emit(value)
        elif name == "EpochEnded":
            self.epochEnded.emit(value)
        elif name == "LogMessage":
            self.logMessage.emit(value)

    @Slot(object)
    def _on_outcome(self, outcome: tuple) -> None:
        thread = self.sender()
        job: _Job = thread.job  # type: ignore[attr-defined]
        if outcome[0] == "failed":
            _, message, details = outcome
            if job.on_error is not None and not job.cancel.is_set():
                job.on_error(message, details)
            if thread is self._thread:
                self.failed.emit(message, details)
            return
        _, result, cancelled = outcome
        if cancelled and job.on_cancelled is not None:
            job.on_cancelled(result)
        elif not cancelled and job.on_done is not None:
            job.on_done(result)
        if thread is self._thread:
            self.finished.emit(result, cancelled)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread = self.sender()
        _forget(thread)  # type: ignore[arg-type]
        thread.deleteLater()
        if thread is not self._thread:
            return
        self._thread = None
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
