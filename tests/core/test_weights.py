"""Pre-placed weight files are found before any download; a failed download names the file, the
folder and the URL, and the CLI reports it in one line with exit code 2."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from core.backbones import get_backbone
from core.training.model import build_backbone, keras
from core.backbones.weights import WeightsUnavailableError, weights_status

WANTED = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"


def _write_legacy_h5(model: keras.Model, path: Path) -> None:
    """The layout of Keras' downloadable application weights (legacy HDF5 by layer name)."""
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as handle:
        legacy_h5_format.save_weights_to_hdf5_group(handle, model)


def test_preplaced_weights_folder_is_searched_before_downloading(tmp_path: Path, monkeypatch) -> None:
    spec = get_backbone("mobilenet_v2_035")
    keras.utils.set_random_seed(7)
    source = build_backbone(spec, None, 96)
    folder = tmp_path / "lab-weights"
    folder.mkdir()
    _write_legacy_h5(source, folder / WANTED)
    monkeypatch.setenv("FTS_WEIGHTS_DIR", str(folder))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")  # any download attempt fails at once
    loaded = build_backbone(spec, "imagenet", 96)
    for ours, theirs in zip(loaded.weights, source.weights):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert (tmp_path / "keras-home" / "models" / WANTED).is_file()  # copied into Keras' cache for next time


def test_missing_weights_raise_an_actionable_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "empty-keras-home"))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    with pytest.raises(WeightsUnavailableError) as caught:
        build_backbone(get_backbone("mobilenet_v2_035"), "imagenet", 96)
    message = str(caught.value)
    assert WANTED in message
    assert str(tmp_path / "empty-keras-home" / "models") in message
    assert f"https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/{WANTED}" in message
    assert weights_status(get_backbone("resnet50")) == "download"
    assert weights_status(get_backbone("efficientnet_lite0")) == "offline"


def test_cli_reports_missing_weights_in_one_line(tmp_path: Path, color_dataset: Path) -> None:
    env = {"KERAS_HOME": str(tmp_path / "k"), "https_proxy": "http://127.0.0.1:9",
           "FTS_DATA_DIR": str(tmp_path / "d"), "FTS_CACHE_DIR": str(tmp_path / "c"), "PATH": "/usr/bin:/bin",
           "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "main.py", "train", str(color_dataset), "--backbone", "resnet50",
                           "--image-size", "64", "--epochs", "1", "--out", str(tmp_path / "b")],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).parents[2], timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5" in done.stderr
    assert not (tmp_path / "b").exists()
