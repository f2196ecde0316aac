"""The door of ``train``: one training run for the CLI (core/cli/train.py) and the window's engine
(core/engine/handlers/train.py). Every run is checked first (settings, freeze point), then recorded in
the run store under one id that also names runs/<id>/; its validation metrics are computed here, and
:func:`save_training_result` writes its bundle.

Every door (core/jobs/<operation>.py) has the same shape: inputs, an event sink and a cancel token
in, a plain result out; the fronts stay thin wrappers around it."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from core.events import EventSink, ignore_events
from core.config import check_train_settings
from core.paths import TENSORBOARD_ENV


def warm_up() -> None:
    """Import TensorFlow and Keras now (seconds), so that the first real job does not wait for it."""
    import core.training.model  # noqa: F401


def run_training(config: Any, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                 data: Any = None, resume: str | None = None, tensorboard: str | None = None,
                 record: bool = True) -> Any:
    """Train per ``config`` (a TrainConfig; ``config.method`` picks fine-tuning or embeddings + SVM /
    logistic regression) and evaluate the result on the validation split. Every run is recorded in
    the run store (core/runs/) and fine-tuning checkpoints each epoch into the run's folder;
    ``resume``: the id of a recorded run to continue from its last checkpoint (core/jobs/runs.py).
    ``record=False`` (a non-chief worker of a multi-worker run, core/jobs/distribute.py): no record,
    no checkpoints, no TensorBoard logs; the chief keeps those. ``result.run_id`` names the run."""
    check_train_settings(config)  # out-of-range settings: one plain sentence before any work (core/config.py)
    check_freeze(config)
    check_tensorboard(tensorboard or os.environ.get(TENSORBOARD_ENV, "").strip() or None,  # the window's setting
                      (config.data_dir, getattr(config, "val_dir", None)))
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
                             on_saved=recorder.checkpoint_saved, tensorboard=tensorboard,
                             disabled=run_folder_problem(recorder, sink)) if record else None
            return run_with_policy(getattr(config, "mixed_precision", True), sink,  # mixed_float16 on fast GPUs
                                   lambda: train(config, recorder.sink(sink), cancel, data=data, files=files))

        return recorded(recorder, fine_tune)
    from core.training.classic import fit_classic

    return recorded(recorder, lambda: fit_classic(config, recorder.sink(sink), cancel, data=data))


def check_tensorboard(folder: str | Path | None, datasets: Any = ()) -> None:
    """Refuse a ``--tensorboard`` folder inside the run's image folders (the next training would
    read its event files' folders as classes), a regular file (TensorFlow failed on it only after the
    last epoch, and the model was lost) or a place that takes no new files, before any work."""
    if not folder:
        return
    from core.data.outputs import check_output_outside_datasets, check_output_writable

    check_output_outside_datasets(folder, datasets)
    check_output_writable(folder, folder=True)


def run_folder_problem(recorder: Any, sink: EventSink) -> str | None:
    """Why the run's folder in the app's data folder cannot take checkpoints (read-only, full), said once
    before training; None when it can. The run then trains without checkpoints and is still saved at the
    end (core.training.finish.check_run_folder): better than finding out after the first epoch."""
    from core.events import LogMessage
    from core.training.finish import check_run_folder

    problem = check_run_folder(recorder.folder)
    if problem:
        sink(LogMessage.of("train.checkpoints_cannot_written_training", "warning", problem=problem))
    return problem


def check_freeze(config: Any) -> None:
    """Refuse a freeze point the backbone does not have (a count out of range, an unknown layer or
    stage) against its cached layer table, before any image is decoded (core/backbones/freeze.py)."""
    if getattr(config, "freeze", None) is None:
        return  # "none given" always resolves
    from core.backbones import get_backbone
    from core.backbones.freeze import resolve_freeze_point
    from core.training.model import layer_table

    resolve_freeze_point(layer_table(config.backbone).names, get_backbone(config.backbone), config.freeze)


def recorded(recorder: Any, work: Any) -> Any:
    """``work()``'s result with its validation metrics, recorded in the run store: as failed (and
    raised again) or as trained, under the recorder's run id (``result.run_id``); the run is
    ``completed`` once its bundle is written (:func:`save_training_result`)."""
    try:
        result = work()
        result.metrics = validation_metrics(result)
    except BaseException as error:
        recorder.failed(error)
        raise
    result.run_id = recorder.run_id
    recorder.finished(result)
    return result




def validation_metrics(result: Any) -> dict[str, Any]:
    """Loss and accuracy of the kept (best) model on the validation images, plus the full evaluation
    (per-class metrics, confusion matrix, hardest examples) under "evaluation" and the calibration
    under "calibration"; also sets ``result.statistics`` (:func:`calibration_statistics`), which
    the bundle keeps. The accuracy carries its Wilson 95 % interval and its one wording
    (``val_accuracy_ci``, ``val_accuracy_text``), and ``val_accuracy_note`` says plainly when under
    ~30 validation images per class make it rough (core/stats/intervals.py); ``groups`` records the
    keep-together rule's split (None without one), so the run store, the Runs tab and the report can
    say that no group crossed it."""
    import numpy as np

    from core.bundles.evaluate import evaluate_probabilities

    probs = _validation_probabilities(result)
    labels = np.asarray(result.data.val.labels)
    evaluation = evaluate_probabilities(probs, labels, result.class_names, [str(p) for p in result.data.val.files])
    metrics = {"method": getattr(result.config, "method", "finetune"), "val_accuracy": evaluation["accuracy"],
               "val_loss": evaluation["loss"], "val_top5_accuracy": evaluation["top5_accuracy"],
               "val_images": int(len(labels)), "best_epoch": result.best_epoch,
               "train_images": len(result.data.train), "elapsed_s": round(result.elapsed_s, 2),
               "val_accuracy_ci": evaluation["accuracy_ci"], "val_accuracy_text": evaluation["accuracy_text"],
               "val_accuracy_note": evaluation["accuracy_note"], "thin_evidence": evaluation["thin_evidence"],
               "groups": getattr(result.data, "groups", None)}
    search = getattr(result, "search", None)
    if search:
        metrics["classifier"] = {"C": search["C"], "cv_folds": search["cv_folds"], "cv_score": search["cv_score"]}
    metrics["evaluation"] = evaluation
    result.statistics = calibration_statistics(result)  # the bundle's statistics.json, from the same probabilities
    calibration = result.statistics["calibration"]  # the run store and the report show these
    metrics["calibration"] = {key: calibration[key] for key in (
        "temperature", "floor", "n", "note", "ece_before", "ece_after", "reliability_before", "reliability_after")}
    return metrics


def _validation_probabilities(result: Any) -> Any:
    """The kept model's (raw) probabilities on the validation images, computed once per result."""
    probs = getattr(result, "val_probabilities", None)  # embeddings methods computed them while fitting
    if probs is None:
        from core.bundles.predict import Predictor

        probs = Predictor(result.model, result.class_names).probabilities(result.data.val_images)
        result.val_probabilities = probs
    return probs


def calibration_statistics(result: Any) -> dict[str, Any]:
    """The bundle's statistics.json record (core/bundles/statistics.py) from the validation images:
    the temperature, the prediction sets' scores and threshold, the confusion matrix for adjusted counts.

    Why probabilities and not logits, also for fine-tuning: the temperature is fitted on their
    logarithm, which for a softmax model is the logits up to a constant per image, so the fit is
    exactly temperature scaling (core/stats/calibration.py) and one path serves every method,
    Auto included, without a second forward pass through a model cut before its softmax."""
    import numpy as np

    from core.stats.validation import validation_statistics

    return validation_statistics(_validation_probabilities(result), np.asarray(result.data.val.labels),
                                 list(result.class_names))


def save_training_result(result: Any, path: str | Path, expect: Any = None) -> Path:
    """Write the bundle and return the folder actually written; an embeddings bundle also gets
    classifier.npz, its checksum in config.json. ``expect`` (a bundle.SaveTarget, checked before
    training) goes to :func:`core.bundles.bundle.save_bundle` so the target is re-checked at save time."""
    from core.bundles.bundle import check_save_target, estimated_bundle_bytes, save_bundle
    from core.training.trainer import bundle_config

    if expect is None:  # no early check (the kept copy, the window's Save): room for this model, before writing
        check_save_target(path, estimated_bundle_bytes(result.model))

    config = bundle_config(result)
    config["method"] = getattr(result.config, "method", "finetune")
    config["run_id"] = getattr(result, "run_id", None)  # its record in the run store (core/runs/)
    files: dict[str, bytes] = {}  # extra files of the bundle, each recorded with its checksum in config.json
    if getattr(result, "head", None) is not None:
        from core.training.classic import CLASSIFIER_FILE, classifier_bytes, classifier_record

        files[CLASSIFIER_FILE] = classifier_bytes(result.head)
        config["classifier"] = classifier_record(result, files[CLASSIFIER_FILE])
    statistics = getattr(result, "statistics", None)
    if statistics is None and getattr(result, "data", None) is not None:  # a result made outside run_training
        statistics = result.statistics = calibration_statistics(result)
    if statistics is not None:
        from core.bundles.statistics import STATISTICS_FILE, statistics_entry, statistics_payload

        files[STATISTICS_FILE] = statistics_payload(statistics)
        config["statistics"] = statistics_entry(files[STATISTICS_FILE])
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

    record_bundle(config["run_id"], written, trained_here=True)  # the run is completed only now
    return written
