"""The engine process: every TensorFlow call the window needs runs here, in a child process.

Why a process and not only a thread: TensorFlow holds Python's GIL for long stretches inside C++
(importing it: 250 ms at a time; ``TFE_Py_TapeGradient`` while tracing the first training step:
up to 470 ms), and while it does, no other thread of the same process runs — the window would
freeze however carefully the work is put on a QThread. In a separate process the window's
event loop never waits on TensorFlow, and an out-of-memory kill takes down the engine, not
the user's window.

:func:`engine_main` is the process's loop: it reads :mod:`core.engine.protocol` messages, runs
each job on a thread of its own (so a cancel or a lookup is read while a training job runs) and
answers with events, a result or an error. :data:`HANDLERS` maps each request type to its handler
(core/engine/handlers/<operation>.py, found by :mod:`core.operations`), and every handler is a thin
call into core/jobs/, the same doors the CLI uses. The models the window refers to by handle live
in the one :class:`~core.engine.state.EngineState`; every finished model is also kept on disk
(:func:`core.jobs.save.keep_on_disk`) before its summary is sent, so a dead engine loses nothing: a
"bundle:/path" handle of the kept bundle works in the next engine, and Save copies it.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from typing import Any, Callable

from core import operations
from core.engine import protocol as wire
from core.engine.protocol import Request
from core.engine.state import EngineState
from core.errors import TrainingCancelled, WordedValueError

log = logging.getLogger("finetune_studio")
ENGINE_NICENESS = 10
Sink = Callable[[Any], None]

STATE = EngineState()  # the engine process's one state object, passed to every handler
HANDLERS: dict[type[Request], Callable[..., Any]] = operations.handlers()  # core/engine/handlers/*.py


def serve(request: Request, sink: Sink, cancel: threading.Event, state: EngineState | None = None) -> Any:
    """Run one job of ``request`` in this process (the loop below, and tests that skip the process)."""
    handler = HANDLERS.get(type(request))
    if handler is None:
        raise WordedValueError.of("server.engine_does_not_know", job=type(request).__name__)
    return handler(request, sink, cancel, STATE if state is None else state)


def crossing_error(error: BaseException) -> BaseException:
    """What the window is told about ``error``: TensorFlow's out-of-memory error becomes a
    MemoryError (the window must not import TensorFlow to recognise it); the rest as
    :func:`core.engine.protocol.portable_error` makes it."""
    tf = sys.modules.get("tensorflow")
    resource_exhausted = getattr(getattr(tf, "errors", None), "ResourceExhaustedError", None)
    if resource_exhausted is not None and isinstance(error, resource_exhausted):
        return MemoryError(str(error))
    return error


def apply_env(env: dict[str, str | None]) -> None:
    """Set (or, for "" / None, remove) environment variables of this process, e.g. FTS_WEIGHTS_DIR."""
    for key, value in env.items():
        if value:
            os.environ[key] = value
        else:
            os.environ.pop(key, None)


# -- the process's main loop -------------------------------------------------------------------
def _warm_up() -> None:
    """Import TensorFlow as soon as the engine starts: the first real job then starts faster."""
    try:
        from core.jobs import train

        train.warm_up()
    except Exception:  # noqa: BLE001 - the job that needs it will report the problem properly
        log.info("engine warm-up failed:\n%s", traceback.format_exc())


def _settle_process(env: dict[str, str | None] | None) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    apply_env(env or {})
    try:
        # Background priority: TensorFlow keeps every core busy, and at equal priority the
        # window's thread can wait 100+ ms for a time slice on a 2-core machine.
        os.nice(ENGINE_NICENESS)
    except (AttributeError, OSError):
        pass
    try:
        from core.logs import setup_logging

        setup_logging()
    except Exception:  # noqa: BLE001
        pass


def engine_main(conn: Any, env: dict[str, str | None] | None = None) -> None:
    """Entry point of the engine process: serve requests until told to quit or the window goes away.

    ``env``: environment settings from the window (e.g. its weights folder as FTS_WEIGHTS_DIR); an
    :class:`~core.engine.protocol.Env` message changes them later, before any job sent after it starts.
    """
    _settle_process(env)
    from core.jobs import runtime

    runtime.build_in_background()  # converted models are built on a thread while Keras answers (core/runtime)
    send_lock = threading.Lock()
    cancels: dict[int, threading.Event] = {}
    threads: dict[int, threading.Thread] = {}

    def send(message: tuple) -> None:
        with send_lock:
            try:
                conn.send(message)
            except (OSError, EOFError, BrokenPipeError):
                pass  # the window is gone; the main loop will notice and exit

    def run(job_id: int, request: Request) -> None:
        cancel = cancels[job_id]
        try:
            result = serve(request, lambda event: send(wire.event(job_id, event)), cancel)
            send(wire.done(job_id, result, cancel.is_set() or bool(getattr(result, "cancelled", False))))
        except BaseException as error:  # noqa: BLE001 - reported to the window, never fatal here
            if isinstance(error, TrainingCancelled):
                send(wire.done(job_id, None, True))
            else:
                log.error("engine job %s failed:\n%s", request.name, traceback.format_exc())
                send(wire.failed(job_id, crossing_error(error)))
        finally:
            cancels.pop(job_id, None)
            threads.pop(job_id, None)

    threading.Thread(target=_warm_up, name="engine-warm-up", daemon=True).start()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if isinstance(message, wire.Start):
            cancels[message.job_id] = threading.Event()
            thread = threading.Thread(target=run, args=(message.job_id, message.request),
                                      name=f"engine-{message.request.name}", daemon=True)
            threads[message.job_id] = thread
            thread.start()
        elif isinstance(message, wire.Env):
            apply_env(message.env)
        elif isinstance(message, wire.Cancel):
            event = cancels.get(message.job_id)
            if event is not None:
                event.set()
        elif isinstance(message, wire.Quit):
            break
    for event in list(cancels.values()):
        event.set()
    for thread in list(threads.values()):
        thread.join(timeout=3)
    try:
        conn.close()
    except OSError:
        pass
