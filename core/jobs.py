"""The operations both fronts run. Each takes its inputs, an event sink and a cancel token, and
returns a plain result; the CLI and the GUI worker stay thin wrappers around these."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from core.backbones import BACKBONES, BackboneSpec
from core.events import EventSink, ignore_events
from core.limits import check_train_settings


@dataclass(frozen=True)
class BackboneInfo:
    id: str
    label: str
    description: str
    input_size: int
    params_m: float
    speed: str
    weights: str  # "offline" | "cached" | "download"

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_backbones() -> list[BackboneInfo]:
    """Cheap: no TensorFlow import."""
    from core.backbones.weights import weights_status

    def info(spec: BackboneSpec) -> BackboneInfo:
        return BackboneInfo(spec.id, spec.label, spec.description, spec.input_size, spec.params_m, spec.speed,
                            weights_status(spec))

    return [info(spec) for spec in BACKBONES.values()]


def run_training(config: Any, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                 data: Any = None) -> Any:
    """Train per ``config`` (a TrainConfig; ``config.method`` picks fine-tuning or embeddings + SVM /
    logistic regression) and evaluate the result on the validation split."""
    check_train_settings(config)  # out-of-range settings: one plain sentence before any work (core/limits.py)
    method = getattr(config, "method", "finetune")
    if method == "finetune":
        from core.training.trainer import train

        result = train(config, sink, cancel, data=data)
    else:
        from core.training.classic import CLASSIC_METHODS, fit_classic

        if method not in CLASSIC_METHODS:
            raise ValueError(f"Unknown method '{method}' (choose finetune, {', '.join(CLASSIC_METHODS)}).")
        result = fit_classic(config, sink, cancel, data=data)
    result.metrics = validation_metrics(result)
    return result


def run_comparison(config: Any, methods: Sequence[str] = ("finetune", "svm", "logreg"),
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
                features = features or extract_split_features(method_config, data, sink, cancel)
                result = fit_classic(method_config, sink, cancel, data=data, features=features)
                result.metrics = validation_metrics(result)
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
    return save_bundle(path, result.model, result.class_names, config, result.history, result.metrics, extra,
                       **options)


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
    from core.bundles.predict import Predictor

    predictor = Predictor.for_imagenet(str(source)) if imagenet_backbone else Predictor.from_bundle(source)
    return predictor.top_k(images, k, sink, cancel)
