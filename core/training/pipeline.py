"""tf.data pipelines over decoded uint8 images or cached activations: batch, augment, prefetch.

Training batches come from index permutations seeded by (seed, epoch) alone, so the order of an
epoch does not depend on which pipeline or which training phase produced it. That is what lets a
run on cached activations see exactly the same batches as a run on pixels (core/training/feature_cache.py).
Rows are gathered per batch, so a memory-mapped array is read batch by batch, never all at once:
with ``pread`` into fresh buffers (core/training/streaming.py), so the process's memory stays flat
when the decoded images are larger than the memory budget and stream from the on-disk cache.
"""
from __future__ import annotations

import numpy as np

from core.config import Augmentation  # noqa: F401 (the settings' TF-free home; importable from here)

from core.training.model import keras  # noqa: F401  (sets TF's log level before TensorFlow loads)
from core.training.streaming import RowReader, is_file_backed
import tensorflow as tf  # noqa: E402


def augmentation_layers(augment: Augmentation, seed: int) -> list:
    layers = []
    if augment.flip:
        layers.append(keras.layers.RandomFlip("horizontal", seed=seed))
    if augment.rotation:
        layers.append(keras.layers.RandomRotation(0.1, fill_mode="reflect", seed=seed + 1))
    if augment.zoom:
        layers.append(keras.layers.RandomZoom(0.15, fill_mode="reflect", seed=seed + 2))
    if augment.contrast:
        layers.append(keras.layers.RandomContrast(0.2, seed=seed + 3))
    return layers


def epoch_order(seed: int, epoch: int, count: int) -> np.ndarray:
    """The shuffled order of epoch ``epoch`` (0-based): a function of (seed, epoch, count) only."""
    return np.random.default_rng([seed, epoch]).permutation(count)


def batches_per_epoch(count: int, batch_size: int) -> int:
    return -(-count // batch_size)


COPY_LIMIT_BYTES = 64 * 2**20


def _row_gatherer(rows: np.ndarray):
    """idx -> rows[idx] as a tensor. Small arrays become one tensor (fastest); a memory map, or an
    array big enough that a second copy inside TensorFlow would matter, is indexed per batch."""
    if isinstance(rows, np.memmap) or rows.nbytes > COPY_LIMIT_BYTES:
        take = RowReader(rows) if is_file_backed(rows) else lambda index: np.asarray(rows[np.asarray(index)])

        def gather(index: tf.Tensor) -> tf.Tensor:
            out = tf.numpy_function(take, [index], tf.as_dtype(rows.dtype), stateful=False)
            return tf.ensure_shape(out, (None, *rows.shape[1:]))
        return gather
    constant = tf.constant(rows)
    return lambda index: tf.gather(constant, index)


def make_dataset(images: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = False,
                 seed: int = 0, augment: Augmentation = Augmentation(),
                 epochs: tuple[int, int] | None = None) -> tf.data.Dataset:
    """Batches of (float32 rows, int labels): uint8 pixels are cast to 0..255 floats, other arrays
    (cached activations) pass through. Augmentation runs in the pipeline, in parallel with the
    model, so it never sits inside the saved model.

    With ``epochs=(first, end)`` the dataset holds the batches of those epochs back to back, each
    in :func:`epoch_order` (pass ``steps_per_epoch=batches_per_epoch(...)`` to ``fit``). Without it,
    every iteration is one epoch, reshuffled each time when ``shuffle``.
    """
    count = len(images)
    labels_tensor = tf.constant(np.asarray(labels, np.int32))
    if epochs is not None:
        first, end = epochs
        orders = np.stack([epoch_order(seed, e, count) if shuffle else np.arange(count) for e in range(first, end)])
        index = tf.data.Dataset.from_tensor_slices(orders.astype(np.int64)).flat_map(
            lambda order: tf.data.Dataset.from_tensor_slices(order).batch(batch_size))
    else:
        index = tf.data.Dataset.range(count)
        if shuffle:
            index = index.shuffle(count, seed=seed, reshuffle_each_iteration=True)
        index = index.batch(batch_size)
    return _rows_dataset(index, images, labels_tensor, seed, augment)


def indexed_dataset(images: np.ndarray, labels: np.ndarray, stream: np.ndarray, batch_size: int, seed: int = 0,
                    augment: Augmentation = Augmentation()) -> tf.data.Dataset:
    """Batches of ``batch_size`` rows in the order of ``stream`` (row indices, e.g. one worker's
    shard epoch after epoch: core/training/distribute.py), cast and augmented like :func:`make_dataset`."""
    index = tf.data.Dataset.from_tensor_slices(np.asarray(stream, np.int64)).batch(batch_size)
    return _rows_dataset(index, images, tf.constant(np.asarray(labels, np.int32)), seed, augment)


def _rows_dataset(index: tf.data.Dataset, images: np.ndarray, labels_tensor: tf.Tensor, seed: int,
                  augment: Augmentation) -> tf.data.Dataset:
    gather = _row_gatherer(images)

    def rows_and_labels(idx: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        return tf.cast(gather(idx), tf.float32), tf.gather(labels_tensor, idx)

    dataset = index.map(rows_and_labels, num_parallel_calls=tf.data.AUTOTUNE)
    layers = augmentation_layers(augment, seed)
    if layers:
        def apply(x, y):
            for layer in layers:
                x = layer(x, training=True)
            return tf.clip_by_value(x, 0.0, 255.0), y

        dataset = dataset.map(apply, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)
