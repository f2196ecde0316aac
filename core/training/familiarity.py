"""Unfamiliar images: flag an image that is far from every class in the model's embedding space.

Why: a classifier's softmax always picks one of its classes, often confidently: a cat photo given
to a texture model came out "tissue, 88 %". The probabilities cannot say "none of these"; the
embedding (the pooled backbone output the head reads) can, because it places images the model has
never seen anything like far from where the training images lie.

Calibration, on the training images at the end of training: L2-normalised embeddings, one centroid
per class (the normalised mean of its images' embeddings), and each image's cosine distance to its
nearest centroid. The threshold is ``MARGIN`` times the ``QUANTILE`` of those distances: the
training images are the model's own, so held-out images of the same kinds lie a little further
out, and the margin keeps them familiar. An image beyond the threshold is "unfamiliar".

Centroids (not every training embedding) are stored, so the calibration is small whatever the
dataset size: ``familiarity.npz`` (plain float arrays, loaded without pickle), checked against
the SHA-256 in config.json. A bundle without it (older ones) simply predicts without the flag.
"""
from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.files import read_bounded

FAMILIARITY_FILE = "familiarity.npz"
MAX_FILE_BYTES = 256 << 20  # 1000 classes x a 2048-wide embedding in float64 is 16 MB
QUANTILE = 0.99
MARGIN = 1.5
EMBEDDING_LAYERS = ("avg_pool", "embedding")  # fine-tuned models' pooled output; embeddings models' extractor
log = logging.getLogger(__name__)


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, np.float64).reshape(len(rows), -1)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


@dataclass(frozen=True)
class Familiarity:
    """Class centroids in embedding space and the distance beyond which an image is unfamiliar."""

    centroids: np.ndarray  # (n_classes, D), unit rows; a class without training images has a zero row
    threshold: float
    layer: str  # the model layer whose output is the embedding
    quantile: float = QUANTILE
    margin: float = MARGIN

    def distances(self, embeddings: np.ndarray) -> np.ndarray:
        """Cosine distance (0: same direction, 1: orthogonal) of each embedding to its nearest centroid."""
        similarity = _unit(embeddings) @ self.centroids.T
        return 1.0 - similarity.max(axis=1)

    def unfamiliar(self, distances: np.ndarray) -> np.ndarray:
        return np.asarray(distances) > self.threshold

    def fits(self, model: Any) -> bool:
        """Whether ``model`` has the embedding layer, of the width, that this calibration describes."""
        try:
            width = model.get_layer(self.layer).output.shape[-1]
        except (ValueError, AttributeError):
            return False
        return width == self.centroids.shape[1]

    def payload(self) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, centroids=self.centroids.astype(np.float32))
        return buffer.getvalue()

    def record(self, payload: bytes, **extra: Any) -> dict[str, Any]:
        """What config.json says about the calibration: the file's checksum and the threshold."""
        return {"file": FAMILIARITY_FILE, "sha256": hashlib.sha256(payload).hexdigest(), "layer": self.layer,
                "metric": "cosine distance to the nearest class centroid", "threshold": self.threshold,
                "quantile": self.quantile, "margin": self.margin, "n_classes": int(self.centroids.shape[0]),
                "dimensions": int(self.centroids.shape[1]), **extra}


def calibrate(embeddings: np.ndarray, labels: np.ndarray, n_classes: int, layer: str,
              quantile: float = QUANTILE, margin: float = MARGIN) -> Familiarity:
    """Centroids and threshold from the training images' embeddings (see the module docstring)."""
    unit = _unit(embeddings)
    labels = np.asarray(labels)
    centroids = np.zeros((n_classes, unit.shape[1]))
    for k in range(n_classes):
        if np.any(labels == k):
            centroids[k] = unit[labels == k].mean(axis=0)
    centroids = _unit(centroids) * (np.linalg.norm(centroids, axis=1, keepdims=True) > 0)
    calibrated = Familiarity(centroids, 0.0, layer, quantile, margin)
    reach = float(np.quantile(calibrated.distances(unit), quantile)) if len(unit) else 0.0
    return Familiarity(centroids, reach * margin, layer, quantile, margin)


def embedding_layer(model: Any) -> str | None:
    """The layer of ``model`` whose output is the embedding, or None (no known layout)."""
    names = {layer.name for layer in model.layers}
    return next((name for name in EMBEDDING_LAYERS if name in names), None)


def with_embedding(model: Any, layer: str) -> Any:
    """``model`` with its embedding appended to its output: (N, n_classes + D), one forward pass.

    The models here are chains at the outer level (preprocessing, backbone, pool, head; or
    embedding model, scaler, linear, softmax), so the same layers are called once more in order.
    """
    from core.training.model import keras

    inputs = keras.Input(model.input_shape[1:], name="pixels")
    x, embedding = inputs, None
    for part in model.layers[1:]:
        x = part(x)
        if part.name == layer:
            embedding = x
    if embedding is None:
        raise ValueError(f"The model has no layer '{layer}'.")
    return keras.Model(inputs, keras.layers.Concatenate()([x, embedding]), name=f"{model.name}_with_embedding")


class RowSubset:
    """``rows[index]`` read slice by slice, so a subset of a memory-mapped image array is never
    copied whole into memory (all :func:`core.training.features.run_batched` needs is len and slicing)."""

    def __init__(self, rows: np.ndarray, index: np.ndarray) -> None:
        self.rows, self.index = rows, np.asarray(index)

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, part: slice) -> np.ndarray:
        return np.asarray(self.rows[self.index[part]])


def embeddings_of(model: Any, layer: str, images: Any, batch_size: int = 32,
                  sink: Any = None) -> np.ndarray:
    """The embeddings of uint8 images (an inference pass up to ``layer``)."""
    from core.events import ignore_events
    from core.training.features import run_batched
    from core.training.model import keras

    inputs = keras.Input(model.input_shape[1:], name="pixels")
    x = inputs
    for part in model.layers[1:]:
        x = part(x)
        if part.name == layer:
            break
    return run_batched(keras.Model(inputs, x), images, batch_size, sink or ignore_events, task="calibrate",
                       step_id="features.calibrating")


def load_familiarity(folder: Path, config: dict[str, Any], n_classes: int) -> Familiarity | None:
    """The bundle's calibration, or None when it has none or it does not check out (logged): the
    flag is an extra, so a missing or damaged file never makes the model unusable."""
    record = config.get("familiarity")
    if not isinstance(record, dict):
        return None
    path = folder / FAMILIARITY_FILE
    try:
        payload = read_bounded(path, MAX_FILE_BYTES)  # never a /dev/zero or a pipe read forever
        if hashlib.sha256(payload).hexdigest() != record.get("sha256"):
            raise ValueError("checksum differs from config.json")
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            centroids = np.asarray(npz["centroids"], np.float64)
        threshold = float(record["threshold"])
        if (centroids.ndim != 2 or centroids.shape[0] != n_classes or not np.all(np.isfinite(centroids))
                or not np.isfinite(threshold) or not isinstance(record.get("layer"), str)):
            raise ValueError("unexpected contents")
    except Exception as error:  # missing, altered, not an array file: predict without the flag
        log.warning("Ignoring the familiarity calibration in %s: %s", folder, error)
        return None
    return Familiarity(centroids, threshold, record["layer"], float(record.get("quantile", QUANTILE)),
                       float(record.get("margin", MARGIN)))
