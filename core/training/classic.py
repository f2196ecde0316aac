""""Embeddings + classifier": a frozen pretrained network's features and a linear scikit-learn model.

Why: with a few hundred images, fine-tuning overfits; a standardised linear model on pretrained
features is the standard remedy (Create ML's default, Orange's embedders + SVM) and trains in seconds.

Why the classifier is folded into Keras layers: the fitted scaler and linear model (plus the Platt
sigmoids of a calibrated SVM) are exactly expressible as Normalization -> Dense -> (log-sigmoid) ->
Softmax. So ``model.keras`` alone is the whole classifier, loads with ``safe_mode=True``, and any plain
Keras client gets the same probabilities as scikit-learn. The raw arrays are kept next to it in
``classifier.npz`` (no pickle: scikit-learn objects are never serialised) so a bundle stays inspectable,
and loading checks that both agree (see :func:`verify_classifier`).
"""
from __future__ import annotations

import hashlib
import io
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from core.data.groups import group_folds
from core.errors import BundleError, WordedValueError
from core.files import RefusedFile, read_bounded
from core.events import EventSink, LogMessage, Progress, ignore_events
from core.methods import CLASSIC_METHODS, METHOD_LABELS, METHODS  # noqa: F401 (METHODS: importable here)
from core.training.familiarity import calibrate
from core.training.model import FreezeInfo, freeze_count, keras, layer_table
from core.training.trainer import PreparedData, TrainConfig, TrainingCancelled, TrainResult, prepare_data

CLASSIFIER_FILE = "classifier.npz"
MAX_FILE_BYTES = 256 << 20  # 1000 classes x a 2048-wide embedding in float64 is 16 MB
C_GRID = (0.001, 0.01, 0.1, 1.0, 10.0)  # ascending: equal CV scores resolve to the stronger regularisation
EMBEDDING_LAYER, SCALER_LAYER, LINEAR_LAYER = "embedding", "classic_scaler", "classic_linear"
CALIBRATION_LAYER, OUTPUT_LAYER = "classic_calibration", "classic_probabilities"


@dataclass
class ClassicHead:
    """The fitted classifier as plain arrays: standardise, linear map, then (SVM) per-class Platt sigmoids.

    Binary problems have one row in ``coef`` (scikit-learn's convention: the score of class 1).
    """

    kind: str  # "svm" | "logreg"
    n_classes: int
    mean: np.ndarray  # (D,)
    scale: np.ndarray  # (D,)
    coef: np.ndarray  # (k, D), k = 1 when binary else n_classes
    intercept: np.ndarray  # (k,)
    calib_a: np.ndarray | None = None  # (k,) svm only: p = sigmoid(-(a * score + b))
    calib_b: np.ndarray | None = None

    def arrays(self) -> dict[str, np.ndarray]:
        out = {"mean": self.mean, "scale": self.scale, "coef": self.coef, "intercept": self.intercept}
        if self.kind == "svm":
            out.update(calib_a=self.calib_a, calib_b=self.calib_b)
        return {k: np.asarray(v, np.float64) for k, v in out.items()}

    def folded(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """Dense kernel (D, n_classes), bias, and whether a log-sigmoid precedes the softmax."""
        kernel, bias = self.coef.T.astype(np.float64), self.intercept.astype(np.float64)
        if self.kind == "svm":  # sigmoid(-(a * (w.x + b) + c)) = sigmoid(x.(-a w) - (a b + c))
            kernel, bias = -kernel * self.calib_a[None, :], -(self.calib_a * bias + self.calib_b)
        if self.n_classes == 2:  # softmax([0, z]) = [1 - sigmoid(z), sigmoid(z)]
            return (np.concatenate([np.zeros_like(kernel), kernel], axis=1), np.concatenate([[0.0], bias]), False)
        return kernel, bias, self.kind == "svm"  # softmax(log p) = p / sum(p): the OvR normalisation

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """NumPy reference of the folded Keras head (used to check the folding against scikit-learn)."""
        kernel, bias, log_sigmoid = self.folded()
        z = ((np.asarray(features, np.float64) - self.mean) / self.scale) @ kernel + bias
        if log_sigmoid:
            z = -np.logaddexp(0.0, -z)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)


@dataclass
class ClassicResult(TrainResult):
    """A TrainResult whose model is embedding + folded classifier; adds what the bundle records."""

    method: str = "svm"
    head: ClassicHead | None = None
    val_probabilities: np.ndarray | None = None
    search: dict[str, Any] = field(default_factory=dict)
    layer: int | None = None  # backbone layers used for the embedding; None: the whole backbone


def fit_head(kind: str, features: np.ndarray, labels: np.ndarray, n_classes: int,
             seed: int = 42, groups: np.ndarray | None = None,
             c_grid: Sequence[float] = C_GRID) -> tuple[ClassicHead, dict[str, Any], Any]:
    """Choose C from ``c_grid`` by stratified cross-validation, fit, and return the arrays, the
    search table and the scikit-learn estimator (for predict_proba on the validation split).
    ``groups`` (one id per row, core.data.groups): folds keep each group whole, so near-copies of
    one slide cannot make memorising look like learning when C is chosen. Auto (core/auto/) passes
    the one C its own cross-validation chose."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC
    from threadpoolctl import threadpool_limits

    if kind not in CLASSIC_METHODS:
        raise ValueError(f"Unknown classifier '{kind}' (choose {' or '.join(CLASSIC_METHODS)}).")
    min_count = int(np.bincount(labels, minlength=n_classes).min())
    if kind == "svm" and min_count < 2:
        raise WordedValueError.of("classic.svm_s_probability_calibration")

    def pipeline(c: float) -> Pipeline:
        clf = (LinearSVC(C=c, max_iter=5000, random_state=seed) if kind == "svm"
               else LogisticRegression(C=c, max_iter=2000, random_state=seed))
        return Pipeline([("scale", StandardScaler()), ("clf", clf)])

    search: dict[str, Any] = {"C": float(c_grid[0]) if len(c_grid) == 1 else 1.0, "cv_folds": 0, "cv_score": None, "scoring": None, "grid": []}
    # One thread: these problems are tiny, and on a 2-core laptop OpenMP/BLAS threads contending with
    # TensorFlow's made logistic regression about 50 times slower (measured), not faster.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        folds = min(5, min_count) if groups is None else min(5, min_count, len(np.unique(groups)))

        def splits(k: int) -> Any:
            return StratifiedKFold(k, shuffle=True, random_state=seed) if groups is None or \
                len(np.unique(groups)) < 2 else list(group_folds(labels, groups, k, 1, seed))

        if folds >= 2 and len(c_grid) > 1:  # one C given (Auto chose it by its own folds): no search
            scoring = "accuracy" if kind == "svm" else "neg_log_loss"
            grid = GridSearchCV(pipeline(1.0), {"clf__C": list(c_grid)}, scoring=scoring, n_jobs=1, refit=False,
                                cv=splits(folds)).fit(features, labels)
            best = int(grid.best_index_)
            search = {"C": float(c_grid[best]), "cv_folds": folds, "cv_score": float(grid.best_score_),
                      "scoring": scoring, "grid": [{"C": c, "score": float(s)} for c, s in
                                                   zip(c_grid, grid.cv_results_["mean_test_score"])]}
        if kind == "svm":
            estimator = CalibratedClassifierCV(
                pipeline(search["C"]), method="sigmoid", ensemble=False,
                cv=splits(min(3, min_count))).fit(features, labels)
            calibrated = estimator.calibrated_classifiers_[0]
            fitted = calibrated.estimator
            calib_a = np.array([c.a_ for c in calibrated.calibrators], np.float64)
            calib_b = np.array([c.b_ for c in calibrated.calibrators], np.float64)
        else:
            estimator = fitted = pipeline(search["C"]).fit(features, labels)
            calib_a = calib_b = None
    scaler, clf = fitted.named_steps["scale"], fitted.named_steps["clf"]
    head = ClassicHead(kind, n_classes, scaler.mean_.astype(np.float64), scaler.scale_.astype(np.float64),
                       np.atleast_2d(clf.coef_).astype(np.float64), np.atleast_1d(clf.intercept_).astype(np.float64),
                       calib_a, calib_b)
    # The folding relies on scikit-learn's formulas; a future change there must fail loudly, not silently.
    # 1e-5: a changed formula moves probabilities by far more (1e-2 and up), while summation order alone
    # reached 1.0e-6 on real digits' features (assisted labelling's benchmark), which 1e-6 refused.
    gap = float(np.abs(head.predict_proba(features) - estimator.predict_proba(features)).max())
    if gap > 1e-5:
        raise RuntimeError(f"Folding the {kind} classifier into layers is inexact (difference {gap:.2g}); "
                           "this scikit-learn version is not supported.")
    return head, search, estimator


def classifier_model(embedding: keras.Model, head: ClassicHead) -> keras.Model:
    """Raw pixels -> embedding -> Normalization -> Dense -> [log-sigmoid] -> Softmax, all built-in layers."""
    kernel, bias, log_sigmoid = head.folded()
    embedding.name = EMBEDDING_LAYER  # a fixed name, so the feature extractor can be found again
    inputs = keras.Input(tuple(embedding.input_shape[1:]), name="pixels")
    x = embedding(inputs)
    x = keras.layers.Normalization(mean=head.mean.tolist(), variance=(head.scale ** 2).tolist(), name=SCALER_LAYER)(x)
    linear = keras.layers.Dense(kernel.shape[1], name=LINEAR_LAYER)
    x = linear(x)
    linear.set_weights([kernel.astype(np.float32), bias.astype(np.float32)])
    if log_sigmoid:
        x = keras.layers.Activation("log_sigmoid", name=CALIBRATION_LAYER)(x)
    outputs = keras.layers.Softmax(name=OUTPUT_LAYER)(x)
    return keras.Model(inputs, outputs, name=f"embeddings_{head.kind}")


def resolve_layer(config: TrainConfig, size: int) -> tuple[int | None, FreezeInfo]:
    """The freeze point picks the embedding layer; None (or the whole backbone) means the pooled output."""
    table = layer_table(config.backbone, size)
    total = len(table.names)
    from core.backbones import get_backbone

    n = freeze_count(config.freeze, table.names, get_backbone(config.backbone), purpose="embeddings")
    n = total if n <= 0 else n
    return (None if n >= total else n), FreezeInfo(n, total, table.names[n - 1], 0, table.total_params)


def extract_split_features(config: TrainConfig, data: PreparedData, sink: EventSink = ignore_events,
                           cancel: threading.Event | None = None) -> tuple[keras.Model, np.ndarray, np.ndarray]:
    """The embedding model and its features for the train and validation images."""
    from core.training.features import embedding_model, extract_features

    layer, _ = resolve_layer(config, data.image_size)
    embedding = embedding_model(config.backbone, config.weights, data.image_size, layer)
    try:
        train = extract_features(embedding, data.train_images, config.batch_size, sink, cancel)
        val = extract_features(embedding, data.val_images, config.batch_size, sink, cancel)
    except InterruptedError:
        raise TrainingCancelled("Cancelled while computing features; no model to keep.") from None
    return embedding, train, val


def fit_classic(config: TrainConfig, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                data: PreparedData | None = None,
                features: tuple[keras.Model, np.ndarray, np.ndarray] | None = None,
                c_grid: Sequence[float] = C_GRID) -> ClassicResult:
    """Run a whole embeddings + classifier job. ``features`` lets a comparison reuse one extraction
    (with no validation rows, ``val_probabilities`` is None: the caller evaluates)."""
    if config.method not in CLASSIC_METHODS:
        raise ValueError(f"fit_classic runs {' or '.join(CLASSIC_METHODS)}, not '{config.method}'.")
    started = time.perf_counter()
    keras.utils.set_random_seed(config.seed)
    from core.backbones.weights import resolve_weights

    if resolve_weights(config.weights) is None:
        sink(LogMessage.of("classic.embeddings_from_network_random", "warning"))
    data = data or prepare_data(config, sink, cancel)
    layer, freeze = resolve_layer(config, data.image_size)
    embedding, train_x, val_x = features or extract_split_features(config, data, sink, cancel)
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("Cancelled before the classifier was fitted; no model to keep.")
    sink(Progress.of("fit", 0, 1, "classic.fitting_features", method=METHOD_LABELS[config.method],
                     n_features=train_x.shape[1]))
    labels = np.asarray(data.train.labels)
    head, search, estimator = fit_head(config.method, train_x, labels, len(data.class_names), config.seed,
                                       getattr(data, "train_groups", None), c_grid)
    sink(Progress.of("fit", 1, 1, "classic.chose_c", C=search["C"]))
    method = METHOD_LABELS[config.method]
    if search["cv_folds"]:
        sink(LogMessage.of("classic.c_by_cross_validation", method=method, C=search["C"], folds=search["cv_folds"]))
    elif len(c_grid) == 1:
        sink(LogMessage.of("classic.c_given", method=method, C=search["C"]))
    else:
        sink(LogMessage.of("classic.c_too_few_images", method=method))
    model = classifier_model(embedding, head)
    head_params = int(head.coef.size + head.intercept.size)
    freeze = FreezeInfo(freeze.frozen_layers, freeze.total_layers, freeze.cut_layer, head_params,
                        freeze.total_params + head_params)
    return ClassicResult(model, data.class_names, config, [], None, freeze, data,
                         elapsed_s=time.perf_counter() - started,
                         familiarity=calibrate(train_x, labels, len(data.class_names), EMBEDDING_LAYER),
                         method=config.method, head=head, val_probabilities=estimator.predict_proba(val_x) if len(val_x) else None,
                         search=search, layer=layer)


def classifier_bytes(head: ClassicHead) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **head.arrays())
    return buffer.getvalue()


def classifier_record(result: ClassicResult, payload: bytes) -> dict[str, Any]:
    """What config.json says about classifier.npz: enough to check it before trusting it."""
    head = result.head
    return {"kind": head.kind, "file": CLASSIFIER_FILE, "sha256": hashlib.sha256(payload).hexdigest(),
            "n_classes": head.n_classes, "n_features": int(head.mean.shape[0]), "labels": list(result.class_names),
            "layer": result.layer, "search": result.search}


def verify_classifier(folder: Path, config: dict[str, Any], model: Any, class_names: list[str]) -> ClassicHead:
    """Refuse a classifier file that is missing, altered, non-numeric or inconsistent with the model.

    The checksum catches accidental damage and casual edits; ``allow_pickle=False`` guarantees the
    file can only ever hold numbers; the comparison with the folded layers guarantees model.keras
    and classifier.npz describe the same classifier.
    """
    record = config.get("classifier")
    method = config.get("method")
    path = folder / CLASSIFIER_FILE

    def refuse(why: str) -> BundleError:
        return BundleError.of("classic.classifier_refused", folder=folder, why=why)

    if not isinstance(record, dict) or record.get("kind") != method:
        raise refuse("config.json does not describe it")
    if not path.exists():
        raise refuse(f"{CLASSIFIER_FILE} is missing")
    try:
        payload = read_bounded(path, MAX_FILE_BYTES)  # never a /dev/zero or a pipe read forever
    except (RefusedFile, OSError) as error:
        raise refuse(str(error) if isinstance(error, RefusedFile) else f"{CLASSIFIER_FILE} cannot be read "
                     f"({error.strerror or error})") from None
    if hashlib.sha256(payload).hexdigest() != record.get("sha256"):
        raise refuse(f"{CLASSIFIER_FILE} does not match the checksum recorded in config.json (modified or damaged)")
    if record.get("labels") != class_names or record.get("n_classes") != len(class_names):
        raise refuse("its class list differs from labels.json")
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as error:  # not a zip, object arrays, truncated members: all mean "not ours"
        raise refuse(f"{CLASSIFIER_FILE} is not a plain array file ({type(error).__name__})") from None
    head = _head_from_arrays(method, len(class_names), arrays, refuse)
    _check_folded(model, head, refuse)
    return head


def _head_from_arrays(kind: str, n_classes: int, arrays: dict[str, np.ndarray], refuse: Any) -> ClassicHead:
    expected = {"mean", "scale", "coef", "intercept"} | ({"calib_a", "calib_b"} if kind == "svm" else set())
    if set(arrays) != expected:
        raise refuse(f"unexpected arrays {sorted(arrays)}")
    for name, array in arrays.items():
        if not np.issubdtype(array.dtype, np.floating) or not np.all(np.isfinite(array)):
            raise refuse(f"array '{name}' is not finite floating-point data")
    k = 1 if n_classes == 2 else n_classes
    d = arrays["mean"].shape[0] if arrays["mean"].ndim == 1 else -1
    shapes = {"mean": (d,), "scale": (d,), "coef": (k, d), "intercept": (k,), "calib_a": (k,), "calib_b": (k,)}
    if d <= 0 or any(arrays[name].shape != shapes[name] for name in arrays) or np.any(arrays["scale"] <= 0):
        raise refuse(f"array shapes do not fit {n_classes} classes")
    return ClassicHead(kind, n_classes, arrays["mean"], arrays["scale"], arrays["coef"], arrays["intercept"],
                       arrays.get("calib_a"), arrays.get("calib_b"))


def _check_folded(model: Any, head: ClassicHead, refuse: Any) -> None:
    kernel, bias, log_sigmoid = head.folded()
    try:
        scaler, linear = model.get_layer(SCALER_LAYER).get_config(), model.get_layer(LINEAR_LAYER)
        weights = linear.get_weights()
        has_calibration = any(layer.name == CALIBRATION_LAYER for layer in model.layers)
    except (ValueError, KeyError):
        raise refuse("model.keras has no classifier layers") from None

    def same(a: Any, b: np.ndarray) -> bool:
        a = np.asarray(a, np.float64)
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-5, atol=1e-6))

    if not (same(scaler.get("mean"), head.mean) and same(scaler.get("variance"), head.scale ** 2)
            and len(weights) == 2 and same(weights[0], kernel) and same(weights[1], bias)
            and has_calibration == log_sigmoid):
        raise refuse(f"{CLASSIFIER_FILE} and model.keras describe different classifiers")
