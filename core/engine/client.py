"""The engine process seen from the window: start it, send it requests, hand back what comes.

:class:`EngineClient` starts the engine process (core/engine/server.py says why a process) on
first use and multiplexes jobs over one pipe. Its reader thread hands each reply (an event, the
result, an error) straight to the callback the caller gave with the request: no thread per job,
no queue to poll. :class:`RemoteJob` (made by :func:`remote`) is one request as a job of
gui/worker.py, which turns those callbacks into Qt signals; called as a function it is also an
ordinary blocking job, for work that wraps a request (a cache in front of a lookup).

No Qt and no TensorFlow here: the window imports this module, and tests can drive the engine
without a window.
"""
from __future__ import annotations

import itertools
import logging
import multiprocessing
import multiprocessing.util
import signal
import threading
import traceback
from pathlib import Path
from typing import Any, Callable

from core.engine import protocol as wire
from core.engine.protocol import Done, EventMessage, Failed, Reply, Request

log = logging.getLogger("finetune_studio")

ReplyHandler = Callable[[Reply], None]
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


class EngineDied(Exception):
    """The engine process ended while a job waited for it; the message says how (:func:`describe_exit`)."""


class RemoteCancelled(Exception):
    """The engine stopped the job before it had a result (e.g. Stop before the first epoch)."""


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


class EngineClient:
    """Starts the engine process on first use and multiplexes jobs over one pipe.

    The reader thread calls each job's reply handler; if the engine dies, every waiting job gets a
    :class:`~core.engine.protocol.Failed` with :class:`EngineDied` (how it ended), the death
    listeners hear of it (also between jobs: the window then switches to the kept copy of its
    trained model), and the next job starts a new engine.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None
        self._handlers: dict[int, ReplyHandler] = {}
        self._ids = itertools.count(1)
        self._env: dict[str, str | None] = {}
        self._listeners: list[DeathListener] = []
        self._quitting: Any = None  # the connection of an engine asked to quit: its end is no death
        self._oom_kills_at_start: int | None = None
        self.last_exit: str | None = None  # the description of the last unexpected end

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        from core.engine.server import engine_main  # the child imports TensorFlow; this process only the name

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
            self._send(conn, wire.Env("env", dict(env)))

    def submit(self, request: Request, on_reply: ReplyHandler) -> int:
        """Send ``request``; ``on_reply`` gets its events, then its Done or Failed, on the reader thread
        (it must return quickly). Returns the job id for :meth:`cancel` and :meth:`forget`."""
        with self._lock:
            self._ensure_started()
            job_id = next(self._ids)
            self._handlers[job_id] = on_reply
            conn = self._conn
        self._send(conn, wire.start(job_id, request))
        return job_id

    def cancel(self, job_id: int) -> None:
        with self._lock:
            conn = self._conn if job_id in self._handlers else None
        if conn is not None:
            self._send(conn, wire.Cancel("cancel", job_id))

    def forget(self, job_id: int) -> None:
        """Drop whatever else comes for ``job_id`` (a lookup nobody waits for any more)."""
        with self._lock:
            self._handlers.pop(job_id, None)

    def _send(self, conn: Any, message: tuple) -> None:
        try:
            with self._send_lock:
                conn.send(message)
        except (OSError, EOFError, BrokenPipeError):
            # Told on a thread of its own: this may be the window's thread, and reading a dead
            # engine's exit status can take a moment. The reader thread will notice too.
            threading.Thread(target=self._engine_died, args=(conn,), name="engine-died", daemon=True).start()

    def _read(self, conn: Any) -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            except Exception:  # noqa: BLE001 - an unpicklable message must not kill the reader
                log.error("could not read a message from the engine:\n%s", traceback.format_exc())
                continue
            final = isinstance(message, (Done, Failed))
            with self._lock:
                handler = self._handlers.pop(message.job_id, None) if final else self._handlers.get(message.job_id)
            if handler is not None:
                self._deliver(handler, message)
        self._engine_died(conn)

    @staticmethod
    def _deliver(handler: ReplyHandler, message: Reply) -> None:
        try:
            handler(message)
        except Exception:  # noqa: BLE001 - one job's handler must not stop the reader
            log.error("a handler of an engine reply failed:\n%s", traceback.format_exc())

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
            waiting, self._handlers = self._handlers, {}
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
        for job_id, handler in waiting.items():
            self._deliver(handler, Failed("failed", job_id, EngineDied(message)))
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
                conn.send(wire.Quit("quit"))
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
    """The window's one engine (started on first use)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = EngineClient()
        return _ENGINE


def shutdown_engine() -> None:
    if _ENGINE is not None:
        _ENGINE.shutdown()


class RemoteJob:
    """One request as a job: ``start`` it with callbacks (gui/worker.py does, with no thread of its
    own), or call it as ``job(sink, cancel)``, which blocks until the result.

    Cancelling a request whose partial result matters (``waits_on_cancel``: training, saving)
    forwards the cancel and still waits for the engine's answer, so the best epoch so far comes
    back; cancelling a lookup (layer table, prediction) ends the job at once and the engine's
    late answer is dropped.
    """

    def __init__(self, request: Request, client: EngineClient | None = None) -> None:
        self.request = request
        self._client = client
        self.__name__ = f"remote_{request.name}"

    @property
    def client(self) -> EngineClient:
        return self._client if self._client is not None else engine()

    def start(self, on_event: Callable[[Any], None], on_end: Callable[[Done | Failed], None],
              cancel: threading.Event) -> None:
        """Send the request. ``on_event(core_event)`` for each event, then ``on_end(reply)`` exactly
        once (a Done, or a Failed whose ``error`` is the engine's error or :class:`EngineDied`);
        both on the client's reader thread, or on the cancelling thread for a cancelled lookup."""
        client, lock, ended = self.client, threading.Lock(), [False]

        def end(reply: Done | Failed) -> None:
            with lock:
                if ended[0]:
                    return
                ended[0] = True
            on_end(reply)

        def on_reply(reply: Reply) -> None:
            if isinstance(reply, EventMessage):
                with lock:  # never an event after the end
                    if not ended[0]:
                        on_event(reply.event)
            else:
                end(reply)

        job_id = client.submit(self.request, on_reply)

        def cancelled() -> None:
            client.cancel(job_id)
            if not self.request.waits_on_cancel:
                client.forget(job_id)
                end(wire.done(job_id, None, True))

        if isinstance(cancel, CancelToken):
            cancel.on_set(cancelled)
        else:  # a plain Event runs no callbacks: watch it until the job ends
            def watch() -> None:
                while not ended[0]:
                    if cancel.wait(0.1):
                        cancelled()
                        return

            threading.Thread(target=watch, name=f"cancel-watch-{self.request.name}", daemon=True).start()

    def __call__(self, sink: Callable[[Any], None], cancel: threading.Event) -> Any:
        arrived = threading.Event()
        replies: list[Done | Failed] = []
        self.start(sink, lambda reply: (replies.append(reply), arrived.set()), cancel)
        arrived.wait()
        return outcome(replies[0])


def outcome(reply: Done | Failed) -> Any:
    """A job's final reply as a call's outcome: the result, or the error raised (RemoteCancelled when
    the engine stopped before it had a result)."""
    if isinstance(reply, Failed):
        raise reply.error
    if reply.cancelled and reply.result is None:
        raise RemoteCancelled()
    return reply.result


def remote(request: Request) -> RemoteJob:
    """A job that runs ``request`` in the engine process (see :class:`RemoteJob`)."""
    return RemoteJob(request)
