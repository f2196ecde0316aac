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
import multiprocessing.util
import queue
import signal
import threading
import traceback
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger("finetune_studio")

JobFn = Callable[[Callable[[Any], None], threading.Event], Any]

ENGINE_DIED = "The engine process stopped unexpectedly"  # how every description of a dead engine starts
DeathListener = Callable[[str, int], None]  # (description, number of jobs that failed with it)


def describe_exit(exitcode: int | None, oom_killed: bool = False) -> str:
    """How the engine process ended, in words, from its exit code (negative: the signal that killed it).

    Why not "probably out of memory": a SIGKILL comes from the kernel's out-of-memory killer, but
    just as well from a user, a session manager or a job scheduler, and a crash is a crash. Only
    when the kernel's own count of out-of-memory kills went up (``oom_killed``, see
    :func:`oom_kill_count`) does the message say the computer ran out of memory."""
    if oom_killed:
        return ("The engine process was stopped by the system because the computer ran out of memory (killed "
                "by signal 9, SIGKILL, from the out-of-memory killer). Try a smaller batch size, a smaller image "
                "size or a smaller backbone, or close other programs; the next task starts a fresh engine.")
    if exitcode is None:
        how = ""
    elif exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "unknown signal"
        how = f" (killed by signal {-exitcode}, {name})"
    elif exitcode == 0:
        how = " (it exited without reporting an error)"
    else:
        how = f" (exit code {exitcode})"
    return f"{ENGINE_DIED}{how}. The next task starts a fresh engine."


def oom_kill_count() -> int | None:
    """How many processes the kernel's out-of-memory killer has ended in this process's cgroup
    (Linux cgroup v2 ``memory.events``); None where that is not available."""
    try:
        relative = next(line.split("::", 1)[1] for line in Path("/proc/self/cgroup").read_text().splitlines()
                        if line.startswith("0::"))
        events = Path("/sys/fs/cgroup") / relative.strip().lstrip("/") / "memory.events"
        for line in events.read_text().splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill":
                return int(value)
    except (OSError, StopIteration, ValueError):
        return None
    return None


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
    engine dies, every waiting job fails with a description of how it ended (:func:`describe_exit`),
    the death listeners hear of it (also between jobs: the window then switches to the kept copy
    of its trained model), and the next job starts a new engine.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None
        self._queues: dict[int, queue.Queue] = {}
        self._ids = itertools.count(1)
        self._env: dict[str, str | None] = {}
        self._listeners: list[DeathListener] = []
        self._quitting: Any = None  # the connection of an engine asked to quit: its end is no death
        self._oom_kills_at_start: int | None = None
        self.last_exit: str | None = None  # the description of the last unexpected end

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        from .engine import engine_main

        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=engine_main, args=(child, dict(self._env)), name="finetune-studio-engine",
                                  daemon=True)
        self._oom_kills_at_start = oom_kill_count()
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

    def add_death_listener(self, listener: DeathListener) -> None:
        """Call ``listener(description, failed_jobs)`` (on the reader thread) whenever the engine ends
        without being asked to, also while no job runs."""
        with self._lock:
            self._listeners.append(listener)

    def remove_death_listener(self, listener: DeathListener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _engine_died(self, conn: Any) -> None:
        with self._lock:
            if conn is not self._conn:
                return
            process, self._process, self._conn = self._process, None, None
            waiting, self._queues = self._queues, {}
            # Asked to quit, or ended by multiprocessing's own exit handler as this process exits.
            expected = conn is self._quitting or bool(getattr(multiprocessing.util, "_exiting", False))
            listeners = list(self._listeners)
            oom_before = self._oom_kills_at_start
        exitcode = None
        if process is not None:
            process.join(2)  # the pipe closes a moment before the exit status can be read
            exitcode = process.exitcode
        oom_after = oom_kill_count() if exitcode == -signal.SIGKILL else None
        oom = oom_before is not None and oom_after is not None and oom_after > oom_before
        message = describe_exit(exitcode, oom)
        if expected:
            message = "The engine was shut down before the task finished."
        else:
            self.last_exit = message
            log.error("the engine process (pid %s) ended while %d job(s) were running: %s",
                      getattr(process, "pid", None), len(waiting), message)
        for job_id, inbox in waiting.items():
            inbox.put(("failed", job_id, message, ""))
        if expected:
            return
        for listener in listeners:
            try:
                listener(message, len(waiting))
            except RuntimeError:  # its window is gone (a deleted Qt object)
                self.remove_death_listener(listener)
            except Exception:  # noqa: BLE001 - one listener must not stop the others
                log.error("an engine death listener failed:\n%s", traceback.format_exc())

    def is_running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Ask the engine to quit (it cancels its jobs); terminate it if it has not after ``timeout_s``.
        Nothing worth keeping runs by then: the window waits for saves and stops training first."""
        with self._lock:
            process, conn = self._process, self._conn
            self._quitting = conn
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
