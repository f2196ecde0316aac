"""Auto's cheap candidates: embeddings at several feature layers + a linear classifier.

Why several layers: the pooled output is not always the best feature. On real handwritten digits
(Lite0, 50 per class) logistic regression on block 6's output scored 0.95 held out against 0.89 at
the pooled output (benchmarks/README.md, "Auto"): later layers are tuned to ImageNet's classes,
earlier ones are more generic. One pass through the backbone yields every chosen layer's pooled
features at once (a multi-output model), so more layers cost only the classifiers' fits.
"""
from __future__ import annotations

import threading
import warnings
from typing import Any, Sequence

import numpy as np

from core.events import EventSink, ignore_events
from core.auto.folds import Fold

LOGREG_C = (0.1, 1.0)  # measured on the digits: C=1 better at block outputs, C=0.1 at the wide pooled output
SVM_C = (0.01, 0.1)


def feature_layers(backbone_id: str, image_size: int | None, count: int = 4) -> list[int]:
    """The last ``count`` stage ends of the backbone (freeze-slider positions), the full backbone
    (the pooled output) included; they are also the fine-tuning candidates' freeze points."""
    from core.training.model import layer_table

    table = layer_table(backbone_id, image_size)
    total = len(table.names)
    ends = sorted({b.n_layers for b in table.boundaries if b.stage_end and b.n_layers < total} | {total})
    return ends[-count:]


def layer_features(backbone_id: str, weights: Any, image_size: int, layers: Sequence[int], images: np.ndarray,
                   batch_size: int = 32, sink: EventSink = ignore_events,
                   cancel: threading.Event | None = None) -> tuple[dict[int, np.ndarray], float]:
    """``{layer: pooled features of images}`` for every layer, from one pass through the backbone,
    and the seconds of that pass alone (model building excluded: the search's cost model)."""
    import time

    from core.backbones import get_backbone
    from core.training.features import run_batched
    from core.training.model import build_backbone, keras, pixel_input

    spec = get_backbone(backbone_id)
    backbone = build_backbone(spec, weights, image_size)
    outputs = []
    for n in layers:
        tensor = backbone.layers[n - 1].output
        outputs.append(keras.layers.GlobalAveragePooling2D()(tensor) if len(tensor.shape) == 4 else tensor)
    inputs, x = pixel_input(spec, image_size)
    joined = keras.layers.Concatenate()(keras.Model(backbone.input, outputs)(x, training=False)) \
        if len(outputs) > 1 else keras.Model(backbone.input, outputs)(x, training=False)
    model = keras.Model(inputs, joined)
    started = time.perf_counter()
    features = run_batched(model, images, batch_size, sink, cancel, task="features",
                           step_id="auto.embedding_features", step_params={"backbone_id": backbone_id,
                                                                          "n_layers": len(layers)})
    widths = [int(o.shape[-1]) for o in outputs]
    bounds = np.cumsum([0, *widths])
    return {n: features[:, bounds[i]:bounds[i + 1]] for i, n in enumerate(layers)}, time.perf_counter() - started


def fold_accuracies(method: str, c: float, features: np.ndarray, labels: np.ndarray, folds: Sequence[Fold],
                    seed: int = 0) -> list[float]:
    """Accuracy of standardise + logistic regression / linear SVM (``C=c``) on each fold."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC
    from threadpoolctl import threadpool_limits

    scores = []
    # one thread: on 2 cores BLAS threads contending with TensorFlow are far slower (core/training/classic.py)
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        for fit, score in folds:
            clf = (LinearSVC(C=c, max_iter=5000, random_state=seed) if method == "svm"
                   else LogisticRegression(C=c, max_iter=2000, random_state=seed))
            model = make_pipeline(StandardScaler(), clf).fit(features[fit], labels[fit])
            scores.append(float(model.score(features[score], labels[score])))
    return scores
