"""The engine process: every TensorFlow call the window needs runs here, in a child process.

Why a process and not only a thread: TensorFlow holds Python's GIL for long stretches inside C++
(importing it: 250 ms at a time; ``TFE_Py_TapeGradient`` while tracing the first training step:
up to 470 ms), and while it does, no other thread of the same process runs — the window would
freeze however carefully the work is put on a QThread. In a separate process the window's
event loop never waits on TensorFlow, and an out-of-memory kill takes down the engine, not
the user's window.

:func:`engine_main` is the process's loop: it reads :mod:`core.engine.protocol` messages, runs
each request on a thread of its own (so a cancel or a lookup is read while a run trains) and
answers with events, a result or an error. :data:`JOBS` maps each request type to a job, and
every job is a thin call into :mod:`core.jobs`, the same door the CLI uses. The models the window
refers to by handle live in :class:`EngineState`; every finished model is also kept on disk
(:func:`core.jobs.keep_on_disk`) before its summary is sent, so a dead engine loses nothing: a
"bundle:/path" handle of the kept bundle works in the next engine, and Save copies it.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from typing import Any, Callable

from core.engine import answers, audit_jobs, classify_jobs, explain_jobs, lr_find_jobs, runs_jobs
from core.engine import protocol as wire
from core.engine.protocol import (CompareRequest, LayerTableRequest, LayerTableSummary, ModelSummary,
                                  OpenBundleRequest, PingRequest, PredictionRow, PredictRequest, Request,
                                  SaveRequest, TrainRequest, TrainSummary, WeightsDirsRequest)
from core.errors import TrainingCancelled
from core.methods import method_label

log = logging.getLogger("finetune_studio")
ENGINE_NICENESS = 10
Sink = Callable[[Any], None]


class EngineState:
    """The models this engine holds, by handle: the last run's results (one run's models in memory
    at a time; the previous run's are dropped when a new one finishes) and the predictors built for
    them, for opened bundles and for ImageNet classifiers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.results: dict[str, Any] = {}  # handle -> TrainResult
        self.predictors: dict[str, Any] = {}  # handle -> Predictor
        self.counter = 0

    def hold_run(self, results: dict[str, Any]) -> dict[str, str]:
        """Hold ``{key: TrainResult}`` (replacing every earlier trained model); ``{key: handle}``."""
        with self.lock:
            self.counter += 1
            for old in list(self.results):
                self.results.pop(old, None)
                self.predictors.pop(old, None)
            handles = {}
            for key, result in results.items():
                handle = f"trained:{self.counter}" + (f":{key}" if key else "")
                self.results[handle] = result
                handles[key] = handle
        return handles

    def result(self, handle: str) -> Any:
        with self.lock:
            return self.results.get(handle)

    def hold_predictor(self, handle: str, predictor: Any) -> None:
        with self.lock:
            self.predictors[handle] = predictor

    def predictor(self, source: dict[str, Any]) -> Any:
        """The predictor for a PredictRequest's source, built (through core.jobs) on first use."""
        from core import jobs

        if source.get("kind") == "imagenet":
            handle = f"imagenet:{source['backbone']}"
            build: Callable[[], Any] = lambda: jobs.imagenet_predictor(source["backbone"])  # noqa: E731
        else:
            handle = source.get("handle", "")
            result = self.result(handle)
            if result is not None:
                build = lambda: jobs.trained_predictor(result)  # noqa: E731
            elif handle.startswith("bundle:"):  # e.g. a kept bundle the window switched to after a restart
                build = lambda: jobs.bundle_predictor(handle[len("bundle:"):])  # noqa: E731
            else:
                build = None  # type: ignore[assignment]
        with self.lock:
            predictor = self.predictors.get(handle)
        if predictor is None:
            if build is None:
                raise ValueError("That model is no longer in memory. Open it again with File › Open model….")
            predictor = build()
            self.hold_predictor(handle, predictor)
        return predictor


STATE = EngineState()


# -- the jobs: request -> core.jobs -> reply ----------------------------------------------------
def train(request: TrainRequest, sink: Sink, cancel: threading.Event, state: EngineState) -> TrainSummary:
    from core import jobs
    from core.training.trainer import TrainConfig

    config = TrainConfig.from_json(request.config)
    log.info("training with %s", config.to_json())
    return answers.answer_run(jobs.run_training(config, sink, cancel), state)  # kept on disk, then held


def compare(request: CompareRequest, sink: Sink, cancel: threading.Event,
            state: EngineState) -> dict[str, TrainSummary]:
    """Every method on the same split; all results stay in memory (each can be tried, kept or
    saved) until the next run, and on disk in one run folder. A cancel keeps the methods that
    finished."""
    from core import jobs
    from core.training.trainer import TrainConfig

    config = TrainConfig.from_json(request.config)
    log.info("comparing %s with %s", ", ".join(request.methods), config.to_json())
    return answers.answer_runs(jobs.run_comparison(config, list(request.methods), sink, cancel), state)


def save(request: SaveRequest, sink: Sink, cancel: threading.Event, state: EngineState) -> str:
    from core import jobs

    return str(jobs.save_model(request.path, state.result(request.handle), request.kept))


def layer_table(request: LayerTableRequest, sink: Sink, cancel: threading.Event,
                state: EngineState) -> LayerTableSummary:
    from core import jobs

    table = jobs.layer_table(request.backbone_id)
    names = list(table.names)
    infos = [table.freeze_info(n, True) for n in range(len(names) + 1)]
    return LayerTableSummary(
        backbone_id=request.backbone_id, names=names, boundaries=list(table.boundaries),
        default_point=jobs.default_freeze_point(request.backbone_id, names),
        descriptions=[info.describe() for info in infos], scratch_params=sum(table.trainable_params),
        trainable_params=[info.trainable_params for info in infos], total_params=table.total_params,
        feature_dim=table.feature_dim, cacheable=list(table.cacheable))


def predict(request: PredictRequest, sink: Sink, cancel: threading.Event, state: EngineState) -> list[PredictionRow]:
    from core import jobs

    predictions = jobs.predict(state.predictor(request.source), list(request.paths), request.k, sink, cancel)
    return [(p.source, [(g.label, float(g.probability)) for g in p.top], p.error,
             None if p.unfamiliar is None else
             {"unfamiliar": p.unfamiliar, "distance": p.distance, "distance_limit": p.distance_limit})
            for p in predictions]


def open_bundle(request: OpenBundleRequest, sink: Sink, cancel: threading.Event, state: EngineState) -> ModelSummary:
    from core import jobs

    bundle, predictor = jobs.open_bundle(request.path)
    handle = f"bundle:{bundle.path}"
    state.hold_predictor(handle, predictor)
    method = bundle.method or "finetune"
    return ModelSummary(handle, str(bundle.path), list(bundle.class_names), dict(bundle.config),
                        list(bundle.history), dict(bundle.metrics), method, method_label(method))


def ping(request: PingRequest, sink: Sink, cancel: threading.Event, state: EngineState) -> int:
    return os.getpid()


def weights_dirs(request: WeightsDirsRequest, sink: Sink, cancel: threading.Event, state: EngineState) -> list[str]:
    from core.paths import weights_dirs as folders

    return [str(path) for path in folders()]


JOBS: dict[type[Request], Callable[..., Any]] = {
    TrainRequest: train,
    CompareRequest: compare,
    SaveRequest: save,
    LayerTableRequest: layer_table,
    PredictRequest: predict,
    OpenBundleRequest: open_bundle,
    PingRequest: ping,
    WeightsDirsRequest: weights_dirs,
}
JOBS.update(lr_find_jobs.JOBS)
JOBS.update(explain_jobs.JOBS)  # Grad-CAM (core/engine/explain_jobs.py)
JOBS.update(classify_jobs.JOBS)  # folders classified, CSV, sorting, export (issue 11)
JOBS.update(runs_jobs.JOBS)  # the run store's requests (core/engine/runs_requests.py)
JOBS.update(audit_jobs.JOBS)  # Check my data (core/engine/audit_jobs.py)


def serve(request: Request, sink: Sink, cancel: threading.Event, state: EngineState | None = None) -> Any:
    """Run ``request``'s job in this process (the loop below, and tests that skip the process)."""
    job = JOBS.get(type(request))
    if job is None:
        raise ValueError(f"This engine does not know the job {type(request).__name__}; restart the application.")
    return job(request, sink, cancel, STATE if state is None else state)


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
        from core import jobs

        jobs.warm_up()
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
        if isinstance(message, wire.Run):
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
