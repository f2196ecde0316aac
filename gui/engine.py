"""The engine process: every TensorFlow call the window needs runs here, in a child process.

Why a process and not only a thread: TensorFlow holds Python's GIL for long stretches inside C++
(importing it: 250 ms at a time; ``TFE_Py_TapeGradient`` while tracing the first training step:
up to 470 ms), and while it does, no other thread of the same process runs — the window would
freeze however carefully the work is put on a QThread. In a separate process the window's
event loop never waits on TensorFlow, and an out-of-memory kill takes down the engine, not
the user's window.

This module is Qt-free and imported by both sides. The window's side (gui/worker.py) sends
``("run", job_id, name, kwargs)``, ``("cancel", job_id)``, ``("env", {name: value})`` and
``("quit",)``; the engine answers ``("event", job_id, core_event)``, ``("done", job_id, result, cancelled)`` and
``("failed", job_id, message, details)``. Results are small picklable summaries; models stay in
the engine and are referred to by handle ("trained:3", "trained:4:svm" for a comparison's,
"bundle:/path", "imagenet:<id>"). Every finished model is also kept on disk (gui/kept_runs.py)
before its summary is sent, so a dead engine loses nothing: a "bundle:/path" handle of the kept
bundle works in the next engine, and Save copies the kept bundle.
"""
from __future__ import annotations

import logging
import os
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from core.methods import method_label

log = logging.getLogger("finetune_studio")
ENGINE_NICENESS = 10


# -- results (picklable, TensorFlow-free) ------------------------------------------------------
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
    kept_path: str | None = None  # the bundle the engine kept in the runs folder (gui/kept_runs.py)
    kept_error: str | None = None  # why it could not be kept (then the model is only in memory)


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




# -- the jobs ----------------------------------------------------------------------------------
class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.results: dict[str, Any] = {}  # handle -> TrainResult (only the latest is kept)
        self.predictors: dict[str, Any] = {}  # handle -> Predictor
        self.counter = 0


STATE = _State()
Sink = Callable[[Any], None]


def _train_config(kwargs: dict[str, Any]) -> Any:
    from core.training.pipeline import Augmentation
    from core.training.trainer import TrainConfig

    raw = dict(kwargs)
    raw["augment"] = Augmentation(**raw.get("augment", {}))
    known = set(TrainConfig.__dataclass_fields__)
    ignored = sorted(set(raw) - known)
    if ignored:
        log.info("settings not understood by this engine version, ignored: %s", ", ".join(ignored))
    return TrainConfig(**{key: value for key, value in raw.items() if key in known})


def _keep(results: dict[str, Any]) -> dict[str, str]:
    """Keep ``{key: TrainResult}`` in memory (replacing every earlier trained model); ``{key: handle}``."""
    with STATE.lock:
        STATE.counter += 1
        for old in list(STATE.results):  # one run's models in memory at a time
            STATE.results.pop(old, None)
            STATE.predictors.pop(old, None)
        handles = {}
        for key, result in results.items():
            handle = f"trained:{STATE.counter}" + (f":{key}" if key else "")
            STATE.results[handle] = result
            handles[key] = handle
    return handles


def _summary(handle: str, result: Any, kept: str | None = None, kept_error: str | None = None) -> TrainSummary:
    config = result.config
    method = getattr(config, "method", "finetune")
    return TrainSummary(
        handle=handle, class_names=tuple(result.class_names), backbone=config.backbone, data_dir=config.data_dir,
        metrics=dict(result.metrics), best_epoch=result.best_epoch, history=list(result.history),
        cancelled=result.cancelled, stopped_early=result.stopped_early, frozen_layers=result.freeze.frozen_layers,
        total_layers=result.freeze.total_layers, image_size=result.data.image_size, elapsed_s=result.elapsed_s,
        skipped=[(str(s.path), s.reason) for s in result.data.skipped], method=method,
        method_label=method_label(method), cache=dict(getattr(result, "cache", {}) or {}), kept_path=kept,
        kept_error=kept_error)


def job_train(sink: Sink, cancel: threading.Event, kwargs: dict[str, Any]) -> TrainSummary:
    from core.jobs import run_training

    from .kept_runs import keep_on_disk

    config = _train_config(kwargs)
    log.info("training with %s", config.to_json())
    result = run_training(config, sink, cancel)
    kept, error = keep_on_disk({"": result})
    handle = _keep({"": result})[""]
    return _summary(handle, result, kept.get(""), error)


def job_compare(sink: Sink, cancel: threading.Event, kwargs: dict[str, Any],
                methods: list[str]) -> dict[str, TrainSummary]:
    """core.jobs.run_comparison: every method on the same split; all results stay in memory (each can
    be tried, kept or saved) until the next run, and on disk in one run folder. A cancel keeps the
    methods that finished."""
    from core.jobs import run_comparison

    from .kept_runs import keep_on_disk

    config = _train_config(kwargs)
    log.info("comparing %s with %s", ", ".join(methods), config.to_json())
    results = run_comparison(config, list(methods), sink, cancel)
    kept, error = keep_on_disk(results)
    handles = _keep(results)
    return {method: _summary(handles[method], result, kept.get(method), error) for method, result in results.items()}


def job_save(sink: Sink, cancel: threading.Event, handle: str, path: str, kept: str | None = None) -> str:
    """Save the model in use to ``path``: a copy of its kept bundle when there is one (the same bytes,
    and it works in an engine that never trained it), else written from memory. Either way a target
    that exists and is not a model bundle is refused before anything is written."""
    from core.bundles.bundle import check_save_target, is_bundle
    from core.jobs import save_training_result

    from .kept_runs import copy_bundle

    if kept and is_bundle(kept):
        return str(copy_bundle(kept, path))
    check_save_target(path)
    with STATE.lock:
        result = STATE.results.get(handle)
    if result is None:
        raise ValueError("That model is no longer in memory and its kept copy is gone; train it again "
                         "before saving.")
    return str(save_training_result(result, path))


def job_layer_table(sink: Sink, cancel: threading.Event, backbone_id: str) -> LayerTableSummary:
    from core.backbones import get_backbone
    from core.training.model import default_freeze_point, layer_table

    table = layer_table(backbone_id)
    names = list(table.names)
    infos = [table.freeze_info(n, True) for n in range(len(names) + 1)]
    return LayerTableSummary(
        backbone_id=backbone_id, names=names, boundaries=list(table.boundaries),
        default_point=default_freeze_point(get_backbone(backbone_id), names),
        descriptions=[info.describe() for info in infos], scratch_params=sum(table.trainable_params),
        trainable_params=[info.trainable_params for info in infos], total_params=table.total_params,
        feature_dim=_feature_dim(backbone_id, table.input_size), cacheable=list(table.cacheable))


def _feature_dim(backbone_id: str, input_size: int) -> int | None:
    """Channels of the backbone's output (the new head's input), remembered on disk: finding it out
    builds the backbone (about half a second), which the layer table's own disk cache avoids."""
    import json

    from core.paths import user_cache_dir

    path = user_cache_dir() / "gui" / "feature-dims.json"
    try:
        known = json.loads(path.read_text())
    except (OSError, ValueError):
        known = {}
    key = f"{backbone_id}@{input_size}"
    if isinstance(known.get(key), int):
        return known[key]
    try:
        from core.backbones import get_backbone
        from core.training.model import build_backbone

        dim = int(build_backbone(get_backbone(backbone_id), None, input_size).output_shape[-1])
    except Exception:  # noqa: BLE001 - the label then leaves the head out; never fail the slider for it
        log.info("could not find %s's feature width:\n%s", backbone_id, traceback.format_exc())
        return None
    known[key] = dim
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(known, indent=1, sort_keys=True))
        os.replace(tmp, path)
    except OSError:
        pass
    return dim


def _predictor(source: dict[str, Any]) -> Any:
    from core.bundles.predict import Predictor

    kind = source.get("kind")
    if kind == "imagenet":
        key = f"imagenet:{source['backbone']}"
        with STATE.lock:
            predictor = STATE.predictors.get(key)
        if predictor is None:
            predictor = Predictor.for_imagenet(source["backbone"])
            with STATE.lock:
                STATE.predictors[key] = predictor
        return predictor
    handle = source.get("handle", "")
    with STATE.lock:
        predictor = STATE.predictors.get(handle)
        result = STATE.results.get(handle)
    if predictor is not None:
        return predictor
    if result is not None:
        method = getattr(result.config, "method", "finetune")
        kind = "fine-tuned model" if method == "finetune" else f"{method_label(method)} model"
        predictor = Predictor(result.model, result.class_names, kind, getattr(result, "familiarity", None))
        with STATE.lock:
            STATE.predictors[handle] = predictor
        return predictor
    if handle.startswith("bundle:"):  # e.g. a kept bundle the window switched to after an engine restart
        predictor = Predictor.from_bundle(handle[len("bundle:"):])
        with STATE.lock:
            STATE.predictors[handle] = predictor
        return predictor
    raise ValueError("That model is no longer in memory. Open it again with File › Open model….")


def job_predict(sink: Sink, cancel: threading.Event, source: dict[str, Any], paths: list[str],
                k: int = 5) -> list[tuple[str, list[tuple[str, float]], str | None, dict[str, Any] | None]]:
    """(image, top-k, error, familiarity) per image; familiarity is None when the model has no
    calibration, else {"unfamiliar", "distance", "distance_limit"} (core/familiarity.py)."""
    predictions = _predictor(source).top_k(paths, k, sink, cancel)
    return [(p.source, [(g.label, float(g.probability)) for g in p.top], p.error,
             None if p.unfamiliar is None else
             {"unfamiliar": p.unfamiliar, "distance": p.distance, "distance_limit": p.distance_limit})
            for p in predictions]


def job_open_bundle(sink: Sink, cancel: threading.Event, path: str) -> ModelSummary:
    from core.bundles.bundle import load_bundle
    from core.bundles.predict import Predictor

    bundle = load_bundle(path)
    handle = f"bundle:{bundle.path}"
    with STATE.lock:
        STATE.predictors[handle] = Predictor.from_bundle(bundle)
    method = getattr(bundle, "method", None) or "finetune"
    return ModelSummary(handle, str(bundle.path), list(bundle.class_names), dict(bundle.config),
                        list(bundle.history), dict(bundle.metrics), method, method_label(method))


def job_ping(sink: Sink, cancel: threading.Event) -> int:
    return os.getpid()


def job_weights_dirs(sink: Sink, cancel: threading.Event) -> list[str]:
    """The folders this engine searches for pre-placed weights (the window's setting reaches it)."""
    from core.paths import weights_dirs

    return [str(path) for path in weights_dirs()]


JOBS: dict[str, Callable[..., Any]] = {
    "train": job_train,
    "compare": job_compare,
    "save": job_save,
    "layer_table": job_layer_table,
    "predict": job_predict,
    "open_bundle": job_open_bundle,
    "ping": job_ping,
    "weights_dirs": job_weights_dirs,
}


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
        import core.training.model  # noqa: F401
    except Exception:  # noqa: BLE001 - the job that needs it will report the problem properly
        log.info("engine warm-up failed:\n%s", traceback.format_exc())


def engine_main(conn: Any, env: dict[str, str | None] | None = None) -> None:
    """Entry point of the engine process: serve jobs until told to quit or the window goes away.

    ``env``: environment settings from the window (e.g. its weights folder as FTS_WEIGHTS_DIR); an
    ``("env", {...})`` message changes them later, before any job sent after it starts.
    """
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
    from .errors import is_cancellation, user_message

    send_lock = threading.Lock()
    cancels: dict[int, threading.Event] = {}
    threads: dict[int, threading.Thread] = {}

    def send(message: tuple) -> None:
        with send_lock:
            try:
                conn.send(message)
            except (OSError, EOFError, BrokenPipeError):
                pass  # the window is gone; the main loop will notice and exit

    def run(job_id: int, name: str, kwargs: dict[str, Any]) -> None:
        cancel = cancels[job_id]
        try:
            fn = JOBS[name]
            result = fn(lambda event: send(("event", job_id, event)), cancel, **kwargs)
            send(("done", job_id, result, cancel.is_set() or bool(getattr(result, "cancelled", False))))
        except BaseException as error:  # noqa: BLE001 - reported to the window, never fatal here
            if is_cancellation(error):
                send(("done", job_id, None, True))
            else:
                log.error("engine job %s failed:\n%s", name, traceback.format_exc())
                message, details = user_message(error)
                send(("failed", job_id, message, details))
        finally:
            cancels.pop(job_id, None)
            threads.pop(job_id, None)

    threading.Thread(target=_warm_up, name="engine-warm-up", daemon=True).start()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        kind = message[0]
        if kind == "run":
            _, job_id, name, kwargs = message
            cancels[job_id] = threading.Event()
            thread = threading.Thread(target=run, args=(job_id, name, kwargs), name=f"engine-{name}", daemon=True)
            threads[job_id] = thread
            thread.start()
        elif kind == "env":
            apply_env(message[1])
        elif kind == "cancel":
            event = cancels.get(message[1])
            if event is not None:
                event.set()
        elif kind == "quit":
            break
    for event in list(cancels.values()):
        event.set()
    for thread in list(threads.values()):
        thread.join(timeout=3)
    try:
        conn.close()
    except OSError:
        pass
