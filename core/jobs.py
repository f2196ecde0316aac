"""The operations both fronts run: the one door into core for the CLI (core/cli.py) and for the
window's engine process (core/engine/server.py). Long operations take their inputs, an event sink
and a cancel token, and return a plain result; the fronts stay thin wrappers around these.

Training: :func:`run_training`, :func:`run_comparison`, :func:`save_training_result`, and
:func:`keep_results` / :func:`save_model` for the engine's kept runs. The model in use:
:func:`layer_table` and :func:`feature_size` (the freeze slider), :func:`open_bundle`, the
``*_predictor`` constructors and :func:`predict` (Try it, ``predict``), :func:`run_evaluation`. Putting a
model to work (whole folders, CSV, sorting, verified exports) is core/jobs_use.py; the door's other
rooms beside it: jobs_runs (the run store, resume), jobs_audit, jobs_explain, jobs_lr_find, jobs_report.
"""
from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path
from typing import Any, Sequence

from core.methods import METHODS
from core.backbones.catalog import BackboneInfo, list_backbones  # noqa: F401 (the CLI's door to the list)
from core.backbones.weights import disk_reason
from core.events import EventSink, ignore_events
from core.limits import check_train_settings
from core.wording import first_line

log = logging.getLogger("finetune_studio")


def warm_up() -> None:
    """Import TensorFlow and Keras now (seconds), so that the first real job does not wait for it."""
    import core.training.model  # noqa: F401


def run_training(config: Any, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                 data: Any = None, resume: str | None = None, tensorboard: str | None = None,
                 record: bool = True) -> Any:
    """Train per ``config`` (a TrainConfig; ``config.method`` picks fine-tuning or embeddings + SVM /
    logistic regression) and evaluate the result on the validation split. Every run is recorded in
    the run store (core/runs/) and fine-tuning checkpoints each epoch into the run's folder;
    ``resume``: the id of a recorded run to continue from its last checkpoint (core/jobs_runs.py).
    ``record=False`` (a non-chief worker of a multi-worker run, core/jobs_distribute.py): no record,
    no checkpoints, no TensorBoard logs; the chief keeps those. ``result.run_id`` names the run."""
    check_train_settings(config)  # out-of-range settings: one plain sentence before any work (core/limits.py)
    from core.methods import CLASSIC_METHODS
    from core.paths import tensorboard_run_dir
    from core.runs.recorder import RunRecorder
    from core.runs.store import new_run_id

    method = getattr(config, "method", "finetune")
    if method != "finetune" and method not in CLASSIC_METHODS:
        raise ValueError(f"Unknown method '{method}' (choose finetune, {', '.join(CLASSIC_METHODS)}).")
    recorder = RunRecorder.begin(config.to_json(), resume=resume) if record else RunRecorder(None, new_run_id())
    tensorboard = (tensorboard or tensorboard_run_dir(recorder.run_id)) if record else None  # the window's setting
    if method == "finetune":
        from core.training.checkpoints import RunFiles
        from core.training.precision import run_with_policy
        from core.training.trainer import train

        def fine_tune() -> Any:
            files = RunFiles(recorder.folder / "checkpoints", resume=resume is not None,
                             on_saved=recorder.checkpoint_saved, tensorboard=tensorboard) if record else None
            return run_with_policy(getattr(config, "mixed_precision", True), sink,  # mixed_float16 on fast GPUs
                                   lambda: train(config, recorder.sink(sink), cancel, data=data, files=files))

        return _recorded(recorder, fine_tune)
    from core.training.classic import fit_classic

    return _recorded(recorder, lambda: fit_classic(config, recorder.sink(sink), cancel, data=data))


def _recorded(recorder: Any, work: Any) -> Any:
    """``work()``'s result with its validation metrics, recorded in the run store: as failed (and
    raised again) or as finished, under the recorder's run id (``result.run_id``)."""
    try:
        result = work()
        result.metrics = validation_metrics(result)
    except BaseException as error:
        recorder.failed(error)
        raise
    result.run_id = recorder.run_id
    recorder.finished(result)
    return result


def run_comparison(config: Any, methods: Sequence[str] = tuple(METHODS),
                   sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> dict[str, Any]:
    """Run several methods on the same split (images decoded once, features extracted once) and
    return ``{method: result}``; each result has its validation metrics. Why: on small datasets the
    user should see whether fine-tuning beats embeddings + classifier before choosing."""
    check_train_settings(config)  # out-of-range settings: one plain sentence before any work (core/limits.py)
    from dataclasses import replace

    from core.training.classic import CLASSIC_METHODS, extract_split_features, fit_classic
    from core.events import LogMessage
    from core.training.trainer import TrainingCancelled, prepare_data

    data = prepare_data(config, sink, cancel)
    results: dict[str, Any] = {}
    features = None
    for method in methods:
        if cancel is not None and cancel.is_set():
            break
        sink(LogMessage(f"Comparing methods: {method} ({len(results) + 1}/{len(methods)})"))
        method_config = replace(config, method=method)
        try:
            if method in CLASSIC_METHODS:
                from core.runs.recorder import RunRecorder

                recorder = RunRecorder.begin(method_config.to_json())  # each method is a run of its own

                def fit(method_config: Any = method_config) -> Any:
                    nonlocal features  # extracted once, for the first embeddings method
                    features = features or extract_split_features(method_config, data, sink, cancel)
                    return fit_classic(method_config, sink, cancel, data=data, features=features)

                result = _recorded(recorder, fit)
            else:
                result = run_training(method_config, sink, cancel, data=data)
        except TrainingCancelled:
            break  # keep the methods that finished
        results[method] = result
    return results


def validation_metrics(result: Any) -> dict[str, Any]:
    """Loss and accuracy of the kept (best) model on the validation images, plus the full evaluation
    (per-class metrics, confusion matrix, hardest examples) under "evaluation"."""
    import numpy as np

    from core.bundles.evaluate import evaluate_probabilities
    from core.bundles.predict import Predictor

    probs = getattr(result, "val_probabilities", None)  # embeddings methods computed them while fitting
    if probs is None:
        probs = Predictor(result.model, result.class_names).probabilities(result.data.val_images)
    labels = np.asarray(result.data.val.labels)
    evaluation = evaluate_probabilities(probs, labels, result.class_names, [str(p) for p in result.data.val.files])
    metrics = {"method": getattr(result.config, "method", "finetune"), "val_accuracy": evaluation["accuracy"],
               "val_loss": evaluation["loss"], "val_top5_accuracy": evaluation["top5_accuracy"],
               "val_images": int(len(labels)), "best_epoch": result.best_epoch,
               "train_images": len(result.data.train), "elapsed_s": round(result.elapsed_s, 2)}
    search = getattr(result, "search", None)
    if search:
        metrics["classifier"] = {"C": search["C"], "cv_folds": search["cv_folds"], "cv_score": search["cv_score"]}
    metrics["evaluation"] = evaluation
    return metrics


def save_training_result(result: Any, path: str | Path, expect: Any = None) -> Path:
    """Write the bundle and return the folder actually written; an embeddings bundle also gets
    classifier.npz, its checksum in config.json. ``expect`` (a bundle.SaveTarget, checked before
    training) goes to :func:`core.bundles.bundle.save_bundle` so the target is re-checked at save time."""
    from core.bundles.bundle import save_bundle
    from core.training.trainer import bundle_config

    config = bundle_config(result)
    config["method"] = getattr(result.config, "method", "finetune")
    config["run_id"] = getattr(result, "run_id", None)  # its record in the run store (core/runs/)
    files: dict[str, bytes] = {}  # extra files of the bundle, each recorded with its checksum in config.json
    if getattr(result, "head", None) is not None:
        from core.training.classic import CLASSIFIER_FILE, classifier_bytes, classifier_record

        files[CLASSIFIER_FILE] = classifier_bytes(result.head)
        config["classifier"] = classifier_record(result, files[CLASSIFIER_FILE])
    familiarity = getattr(result, "familiarity", None)
    if familiarity is not None:
        from core.training.familiarity import FAMILIARITY_FILE

        files[FAMILIARITY_FILE] = familiarity.payload()
        config["familiarity"] = familiarity.record(files[FAMILIARITY_FILE])

    def extra(folder: Path) -> None:
        for name, payload in files.items():
            (folder / name).write_bytes(payload)

    options = {} if expect is None else {"expect": expect}  # older save_bundle: no such keyword
    written = save_bundle(path, result.model, result.class_names, config, result.history, result.metrics, extra,
                          **options)
    from core.runs.recorder import record_bundle

    record_bundle(config["run_id"], written)
    return written


def run_evaluation(bundle_dir: str | Path, data_dir: str | Path, sink: EventSink = ignore_events,
                   cancel: threading.Event | None = None) -> dict[str, Any]:
    """Evaluate a saved bundle on a labelled folder: the dict of :func:`core.bundles.evaluate.evaluate_probabilities`
    plus "bundle", "method", "data_dir" and "skipped"."""
    from core.bundles.bundle import load_bundle
    from core.bundles.evaluate import evaluate_folder
    from core.bundles.predict import Predictor

    bundle = load_bundle(bundle_dir)
    report = evaluate_folder(Predictor.from_bundle(bundle), data_dir, sink, cancel)
    return {"bundle": str(bundle.path), "method": bundle.method, **report}


def run_prediction(source: str | Path, images: Sequence[str | Path], k: int = 5, imagenet_backbone: bool = False,
                   sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> list[Any]:
    """Top-k for ``images`` from a bundle folder, or from a backbone's ImageNet classifier."""
    predictor = imagenet_predictor(str(source)) if imagenet_backbone else bundle_predictor(source)
    return predict(predictor, images, k, sink, cancel)


def predict(predictor: Any, images: Sequence[Any], k: int = 5, sink: EventSink = ignore_events,
            cancel: threading.Event | None = None) -> list[Any]:
    """``predictor``'s top-k for each image (core.bundles.predict.ImagePrediction; an unreadable image
    gets its reason instead of stopping the others)."""
    return predictor.top_k(images, k, sink, cancel)


def imagenet_predictor(backbone_id: str) -> Any:
    """The backbone with its ImageNet classifier (what Try it shows before any training)."""
    from core.bundles.predict import Predictor

    return Predictor.for_imagenet(backbone_id)


def bundle_predictor(bundle: Any) -> Any:
    """A Predictor for a bundle folder (or an already loaded core.bundles.bundle.Bundle)."""
    from core.bundles.predict import Predictor

    return Predictor.from_bundle(bundle)


def trained_predictor(result: Any) -> Any:
    """A Predictor for a just-trained result, still in memory (with its unfamiliar-image check)."""
    from core.bundles.predict import Predictor
    from core.methods import method_label

    method = getattr(result.config, "method", "finetune")
    kind = "fine-tuned model" if method == "finetune" else f"{method_label(method)} model"
    return Predictor(result.model, result.class_names, kind, getattr(result, "familiarity", None))


def open_bundle(path: str | Path) -> tuple[Any, Any]:
    """Load the bundle at ``path`` and its Predictor: ``(Bundle, Predictor)``."""
    from core.bundles.bundle import load_bundle

    bundle = load_bundle(path)
    return bundle, bundle_predictor(bundle)


def layer_table(backbone_id: str, input_size: int | None = None) -> Any:
    """The backbone's core.training.model.LayerTable (names, parameters, blocks, where the feature
    cache can split, the feature width), from the disk cache after the first build."""
    from core.training.model import layer_table as table

    return table(backbone_id, input_size)


def default_freeze_point(backbone_id: str, layer_names: Sequence[str]) -> int:
    """Where the freeze slider starts: everything up to the backbone's last block frozen."""
    from core.backbones import get_backbone
    from core.training.model import default_freeze_point as default_point

    return default_point(get_backbone(backbone_id), list(layer_names))


def feature_size(backbone_id: str, input_size: int | None = None) -> int | None:
    """Channels of the backbone's output, the new head's input width (from the layer table)."""
    return layer_table(backbone_id, input_size).feature_dim


# -- finished models kept on disk, and saved -----------------------------------------------------
def keep_results(results: dict[str, Any], root: Path | None = None, keep: int | None = None) -> dict[str, str]:
    """Write every ``{key: TrainResult}`` of one run into a new run folder of the kept runs
    (core/bundles/kept_runs.py), one bundle per method; ``{key: bundle path}``. Then prune the
    runs folder to the newest ``keep`` runs: only folders of completed runs (or of none recorded)
    go; a run still running, stopped, interrupted or failed keeps its checkpoints to continue from,
    and the folders written here stay. A pruned run's record forgets the bundle that was in it."""
    from core.bundles import kept_runs

    kept: dict[str, str] = {}
    written: set[Path] = set()
    for key, result in results.items():
        method = getattr(result.config, "method", None) or key or "model"
        run = kept_runs.run_dir(getattr(result, "run_id", None), root)  # the run's own folder, beside its checkpoints
        written.add(run)
        kept[key] = str(save_training_result(result, run / method))
    log.info("kept %d trained model(s) in %s", len(kept), run)
    _prune_kept(run.parent, kept_runs.KEEP_RUNS if keep is None else keep, written)
    return kept


def _prune_kept(root: Path, keep: int, written: set[Path]) -> None:
    import sqlite3

    from core.bundles import kept_runs
    from core.runs.store import RunStore

    try:
        store = RunStore()
        records = {record.id: record for record in store.runs()}
    except (sqlite3.Error, OSError) as error:  # which runs may be continued is unknown: delete nothing
        log.error("kept runs not pruned: the run store cannot be read (%s)", error)
        return
    spare = written | {root / run_id for run_id, record in records.items() if record.status != "completed"}
    for folder in kept_runs.prune(root, keep, spare=spare):
        record = records.get(folder.name)
        if record is not None and record.bundle and Path(record.bundle).is_relative_to(folder):
            try:
                store.update(record.id, bundle=None)
            except (sqlite3.Error, OSError) as error:
                log.error("could not clear the bundle of pruned run %s: %s", record.id, error)


def keep_on_disk(results: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """:func:`keep_results`, never failing the run: ``({key: bundle path}, None)``, or ``({}, reason)``
    when the models could not be written (a full disk); they are still in memory to save."""
    if not results:
        return {}, None
    try:
        return keep_results(results), None
    except Exception as error:  # noqa: BLE001 - keeping is a safety net; never lose the run over it
        log.error("could not keep the trained model(s) on disk:\n%s", traceback.format_exc())
        return {}, disk_reason(error) if isinstance(error, OSError) else first_line(error)


def save_model(path: str | Path, result: Any = None, kept: str | Path | None = None) -> Path:
    """Save a trained model to ``path``: a copy of its kept bundle ``kept`` when there is one (the
    same bytes, and it works in an engine that never trained it), else ``result`` written from
    memory. Either way a target that exists and is not a model bundle is refused before anything
    is written."""
    from core.bundles.bundle import check_save_target, is_bundle
    from core.bundles.kept_runs import copy_bundle

    if kept and is_bundle(kept):
        from core.runs.recorder import record_bundle

        copied = copy_bundle(kept, path)
        record_bundle(getattr(result, "run_id", None) or Path(kept).parent.name, copied)
        return copied
    check_save_target(path)
    if result is None:
        raise ValueError("That model is no longer in memory and its kept copy is gone; train it again "
                         "before saving.")
    return save_training_result(result, path)
