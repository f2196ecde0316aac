"""tf.data pipelines over decoded uint8 images: shuffle, batch, augment (training only), prefetch."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import keras  # noqa: F401  (sets TF's log level before TensorFlow loads)
import tensorflow as tf  # noqa: E402


@dataclass(frozen=True)
class Augmentation:
    """Random pixel augmentation of training batches. All off by default: microscopy and
    documents are often orientation-sensitive, so the user opts in."""

    flip: bool = False
    rotation: bool = False
    zoom: bool = False
    contrast: bool = False

    @property
    def enabled(self) -> bool:
        return self.flip or self.rotation or self.zoom or self.contrast

    @classmethod
    def all(cls) -> "Augmentation":
        return cls(True, True, True, True)


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


def make_dataset(images: np.ndarray, labels: np.ndarray, batch_size: int, shuffle: bool = False,
                 seed: int = 0, augment: Augmentation = Augmentation()) -> tf.data.Dataset:
    """Batches of (float32 pixels 0..255, int labels). Augmentation runs in the pipeline, in
    parallel with the model, so it never sits inside the saved model."""
    dataset = tf.data.Dataset.from_tensor_slices((images, np.asarray(labels, np.int32)))
    if shuffle:
        dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size)
    dataset = dataset.map(lambda x, y: (tf.cast(x, tf.float32), y), num_parallel_calls=tf.data.AUTOTUNE)
    layers = augmentation_layers(augment, seed)
    if layers:
        def apply(x, y):
            for layer in layers:
                x = layer(x, training=True)
            return tf.clip_by_value(x, 0.0, 255.0), y

        dataset = dataset.map(apply, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)
