"""``--tensorboard DIR``: the run's per-epoch numbers as standard TensorBoard event files.

Why not ``keras.callbacks.TensorBoard``: it needs the ``tensorboard`` package to write a single
scalar, and the app does not depend on it (only those who view the logs need it). TensorFlow's
own ``tf.summary.write`` writes the same records: the layout (``DIR/train``, ``DIR/validation``)
and tags (``epoch_loss``, ``epoch_accuracy``, ``epoch_learning_rate``) are those of Keras' callback,
marked for TensorBoard's scalars plugin, so ``tensorboard --logdir DIR`` shows them like any other
Keras run. The step is the epoch (0-based, as Keras counts), continuous across phases and resumes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow.core.framework import summary_pb2

from core.training.model import keras

_SCALAR = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))


class EventWriters:
    """One writer per split for the whole run (all phases share them)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.writers: dict[str, Any] = {}

    def scalars(self, split: str, step: int, values: dict[str, float]) -> None:
        writer = self.writers.get(split)
        if writer is None:
            writer = self.writers[split] = tf.summary.create_file_writer(str(self.folder / split))
        with writer.as_default():
            for tag, value in values.items():
                tf.summary.write(f"epoch_{tag}", tf.constant(float(value), tf.float32), step=step, metadata=_SCALAR)
        writer.flush()


class EpochScalars(keras.callbacks.Callback):
    """Writes each kept epoch's loss, accuracy and learning rate (train) and validation numbers."""

    def __init__(self, writers: EventWriters, progress: Any) -> None:
        super().__init__()
        self.writers, self.progress = writers, progress

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.progress.discarded():
            return
        logs = {k: float(v) for k, v in (logs or {}).items() if np.ndim(v) == 0}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        train["learning_rate"] = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        self.writers.scalars("train", epoch, train)
        validation = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        if validation:
            self.writers.scalars("validation", epoch, validation)
