"""Auto's final model: the winning recipe trained on all training images, as an ordinary result.

Embeddings winner: its features of every training image were computed by the search, so only
the classifier is fitted (scikit-learn's C fixed to the one cross-validation chose). Fine-tuning
winner: the ordinary trainer, for the epoch count cross-validation chose; it has no validation
images of its own to stop on (the held-out ones must not steer it), so it watches a sample of its
training images, which only keeps the best epoch from being a worse late one. ``result.data`` is
then the whole split again, so the caller evaluates on the held-out validation images as after
any training run.
"""
from __future__ import annotations

import threading
from typing import Any

import numpy as np

from core.auto.candidates import Score, to_config
from core.events import EventSink
from core.training.trainer import PreparedData

WATCHED_IMAGES = 100


def refit(base: Any, score: Score, data: PreparedData, features: dict[int, np.ndarray], sink: EventSink,
          stop: threading.Event | None) -> Any:
    """The final model of ``score``'s recipe; ``stop`` may end a fine-tuning refit early (its
    best epoch so far is kept, as after any Stop)."""
    config = to_config(base, score)
    if score.candidate.method != "finetune":
        from core.training.classic import fit_classic, resolve_layer
        from core.training.features import embedding_model

        layer, _ = resolve_layer(config, data.image_size)
        embedding = embedding_model(config.backbone, config.weights, data.image_size, layer)
        train_x = features[score.candidate.layer]
        no_val = np.zeros((0, train_x.shape[1]), np.float32)  # held-out images: evaluated by the caller
        result = fit_classic(config, sink, None, data=data, features=(embedding, train_x, no_val),
                             c_grid=(score.candidate.c,))
        result.val_probabilities = None
        return result
    from core.training.trainer import train

    rows = np.sort(np.random.default_rng(base.seed).permutation(len(data.train))[:WATCHED_IMAGES])
    watched = PreparedData(data.train, data.train.subset(rows), data.train_images, data.train_images[rows],
                           data.image_size)
    result = train(config, sink, stop, data=watched)
    result.data = data
    return result
