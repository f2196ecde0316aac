"""Test isolation: every test session writes its caches, logs, Keras home and Qt settings into a
temporary folder, never into the user's home; Qt runs offscreen."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="fts-tests-"))
os.environ["FTS_DATA_DIR"] = str(_SESSION_HOME / "data")
os.environ["FTS_CACHE_DIR"] = str(_SESSION_HOME / "cache")
os.environ["KERAS_HOME"] = str(_SESSION_HOME / "keras")
os.environ["XDG_CONFIG_HOME"] = str(_SESSION_HOME / "config")
os.environ.pop("FTS_WEIGHTS_DIR", None)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

COLORS = {"red": (210, 50, 40), "green": (40, 170, 60), "blue": (40, 60, 200)}


def write_color_dataset(root: Path, per_class: int = 12, size: int = 40, seed: int = 0,
                        classes: dict[str, tuple[int, int, int]] | None = None) -> Path:
    """A small, clearly separable dataset: noisy images whose mean colour is the class."""
    rng = np.random.default_rng(seed)
    for name, color in (classes or COLORS).items():
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            noise = rng.normal(0, 25, (size, size, 3))
            pixels = np.clip(np.asarray(color)[None, None, :] + noise, 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(folder / f"img_{index:03d}.png")
    return root


@pytest.fixture
def color_dataset(tmp_path: Path) -> Path:
    return write_color_dataset(tmp_path / "colors")


@pytest.fixture(scope="session")
def tiny_weights_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 'pretrained' MobileNetV2 x0.35 weights file written by the test session (no download).

    Random convolutions, but BatchNorm statistics calibrated on one batch of varied images, the way
    real pretrained statistics match their convolutions; with the default 0/1 statistics the
    activations of a random deep network vanish. Loaded through the same path as real weights.
    """
    from core.backbones import get_backbone
    from core.training.model import build_backbone, keras

    keras.utils.set_random_seed(1)
    backbone = build_backbone(get_backbone("mobilenet_v2_035"), None, 64)
    rng = np.random.default_rng(0)
    calibration = rng.uniform(-1, 1, (32, 64, 64, 3)) * rng.uniform(0, 1, (32, 1, 1, 3))
    for layer in backbone.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = 0.0  # moving statistics := this batch's statistics
    backbone(calibration.astype(np.float32), training=True)
    path = tmp_path_factory.mktemp("weights") / "mobilenet_v2_035_test.weights.h5"
    backbone.save_weights(path)
    return path
