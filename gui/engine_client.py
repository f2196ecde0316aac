"""The engine process seen from the window: start it, send it jobs, relay what comes back.

:class:`EngineClient` starts the engine process (gui/engine.py says why a process) on first use
and multiplexes jobs over one pipe; :func:`remote` wraps one engine job as a worker job (a
callable taking an event sink and a cancel token) that gui/worker.py runs on a QThread. Kept
apart from the worker so the QThread rules and the process plumbing can each be read alone.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import queue
import threading
import traceback
from typing import Any, Callable

log = logging.getLogger("finetune_studio")

JobFn = Callable[[Callable[[Any], None], threading.Event], Any]

ENGINE_DIED = ("The training engine stopped unexpectedly. This usually means the computer ran out of memory: "
               "try a smaller batch size, a smaller image size or a smaller backbone, then try again.")


class CancelToken(threading.Event):
    """A threading.Event that also runs callbacks when set (to forward a cancel to the engine at once)."""

    def __init__(self) -> None:
        super().__init__()
        self._callbacks: list[Callable[[], None]] = []
        self._callbacks_lock = threading.Lock()

    def on_set(self, callback: Callable[[], None]) -> None:
        with self._callbacks_lock:
            self._callbacks.append(callback)
        if self.is_set():
            callback()

    def set(self) -> None:
        already = self.is_set()
        super().set()
        if not already:
            with self._callbacks_lock:
                callbacks = list(self._callbacks)
            for callback in callbacks:
                callback()


class RemoteError(Exception):
    """A job failed in the engine; the message is already in plain words."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.message, self.details = message, details


class EngineClient:
    """Starts the engine process on first use and multiplexes jobs over one pipe.

    A reader thread receives the engine's messages and puts each on its job's queue; if the
    engine dies, every waiting job fails with a plain message and the next job starts a new one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None
        self._queues: dict[int, queue.Queue] = {}
        self._ids = itertools.count(1)
        self._env: dict[str, str | None] = {}

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        from .engine import engine_main

        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=engine_main, args=(child, dict(self._env)), name="finetune-studio-engine",
                                  daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        threading.Thread(target=self._read, args=(parent,), name="engine-reader", daemon=True).start()
        log.info("engine process started (pid %s)", process.pid)

    def start(self) -> None:
        """Start the engine now (it imports TensorFlow in the background)."""
        with self._lock:
            self._ensure_started()

    def set_env(self, **env: str | None) -> None:
        """Environment settings for the engine (e.g. ``FTS_WEIGHTS_DIR``; "" or None removes one): a
        running engine gets them before any job submitted afterwards, a new engine at its start."""
        with self._lock:
            self._env.update(env)
            conn = self._conn if self.is_running() else None
        if conn is not None:
            self._send(conn, ("env", dict(env)))

    def submit(self, name: str, kwargs: dict[str, Any]) -> tuple[int, queue.Queue]:
        with self._lock:
            self._ensure_started()
            job_id = next(self._ids)
            inbox: queue.Queue = queue.Queue()
            self._queues[job_id] = inbox
            conn = self._conn
        self._send(conn, ("run", job_id, name, kwargs))
        return job_id, inbox

    def cancel(self, job_id: int) -> None:
        with self._lock:
            conn = self._conn if job_id in self._queues else None
        if conn is not None:
            self._send(conn, ("cancel", job_id))

    def forget(self, job_id: int) -> None:
        with self._lock:
            self._queues.pop(job_id, None)

    def _send(self, conn: Any, message: tuple) -> None:
        try:
            with self._send_lock:
                conn.send(message)
        except (OSError, EOFError, BrokenPipeError):
            self._engine_died(conn)

    def _read(self, conn: Any) -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            except Exception:  # noqa: BLE001 - an unpicklable message must not kill the reader
                log.error("could not read a message from the engine:\n%s", traceback.format_exc())
                continue
            with self._lock:
                inbox = self._queues.get(message[1])
            if inbox is not None:
                inbox.put(message)
        self._engine_died(conn)

    def _engine_died(self, conn: Any) -> None:
        with self._lock:
            if conn is not self._conn:
                return
            process, self._process, self._conn = self._process, None, None
            waiting, self._queues = self._queues, {}
        if waiting:
            log.error("the engine process ended while %d job(s) were running (exit code %s)", len(waiting),
                      getattr(process, "exitcode", None))
        for job_id, inbox in waiting.items():
            inbox.put(("failed", job_id, ENGINE_DIED, ""))

    def is_running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Ask the engine to quit (it cancels its jobs); terminate it if it has not after ``timeout_s``.
        Nothing worth keeping runs by then: the window waits for saves and stops training first."""
        with self._lock:
            process, conn = self._process, self._conn
        if process is None:
            return
        try:
            with self._send_lock:
                conn.send(("quit",))
        except (OSError, EOFError, BrokenPipeError):
            pass
        process.join(timeout_s)
        if process.is_alive():
            process.terminate()
            process.join(5)
        with self._lock:
            if self._process is process:
                self._process, self._conn = None, None
        try:
            conn.close()
        except OSError:
            pass


_ENGINE: EngineClient | None = None
_ENGINE_LOCK = threading.Lock()


def engine() -> EngineClient:
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = EngineClient()
        return _ENGINE


def shutdown_engine() -> None:
    if _ENGINE is not None:
        _ENGINE.shutdown()


WAIT_ON_CANCEL = {"train", "compare", "save"}  # jobs whose partial result matters: wait for the engine to wind down


def remote(name: str, **kwargs: Any) -> JobFn:
    """A job that runs ``gui.engine.JOBS[name](**kwargs)`` in the engine process.

    Cancelling a training job waits for the engine to stop (within a batch) so the best epoch so
    far comes back; cancelling a lookup (layer table, prediction) stops waiting at once and the
    engine's answer, when it comes, is dropped.
    """
    wait_on_cancel = name in WAIT_ON_CANCEL

    def run(sink: Callable[[Any], None], cancel: threading.Event) -> Any:
        client = engine()
        job_id, inbox = client.submit(name, kwargs)
        if isinstance(cancel, CancelToken):
            cancel.on_set(lambda: client.cancel(job_id))
        sent_cancel = False
        try:
            while True:
                if cancel.is_set() and not sent_cancel:
                    if not isinstance(cancel, CancelToken):
                        client.cancel(job_id)
                    sent_cancel = True
                    if not wait_on_cancel:
                        raise RemoteCancelled()
                try:
                    message = inbox.get(timeout=0.1)
                except queue.Empty:
                    continue
                kind = message[0]
                if kind == "event":
                    sink(message[2])
                elif kind == "done":
                    _, _, result, cancelled = message
                    if cancelled and result is None:
                        raise RemoteCancelled()
                    return result
                elif kind == "failed":
                    raise RemoteError(message[2], message[3])
        finally:
            client.forget(job_id)

    run.__name__ = f"remote_{name}"
    return run


class RemoteCancelled(Exception):
    """The engine stopped the job before it had a result (e.g. Stop before the first epoch)."""
