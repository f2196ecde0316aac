"""Weight files on this computer never crash the app nor linger damaged: a full cache folder during
the first EfficientNet-Lite0 conversion is one plain error, a damaged converted file is rebuilt, and
a bad pre-placed Keras weights file is refused (not copied into Keras' cache) with its path named."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

from core.backbones import efficientnet_lite as lite0
from core.backbones import lite_weights
from core.backbones import get_backbone
from core.training.model import build_backbone, keras
from core.backbones.weights import WeightsUnavailableError

ROOT = Path(__file__).parents[2]
WANTED = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
RESNET = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"FTS_DATA_DIR": str(tmp_path / "data"), "FTS_CACHE_DIR": str(tmp_path / "cache"),
            "KERAS_HOME": str(tmp_path / "keras"), "https_proxy": "http://127.0.0.1:9",
            "PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "", **extra}


def _small_file_limit() -> None:
    """In the child: a 'disk' that takes at most 100 kB per file, as a full cache folder would.

    Writes beyond the limit fail with EFBIG instead of killing the process (SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))


def test_full_cache_folder_during_first_conversion_is_one_plain_error(tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    Image.fromarray(np.full((40, 40, 3), 128, np.uint8)).save(image)
    done = subprocess.run([sys.executable, "main.py", "predict", "--backbone", "efficientnet_lite0", str(image)],
                          capture_output=True, text=True, env=_env(tmp_path), cwd=ROOT, timeout=300,
                          preexec_fn=_small_file_limit)
    assert done.returncode == 2, (done.returncode, done.stderr[-3000:])  # not -11 (segfault) nor 1
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr[-3000:]
    assert str(tmp_path / "cache") in errors[0] and "too large" in errors[0], errors[0]
    assert "h5py" not in done.stderr and "HDF5" not in done.stderr
    weights = tmp_path / "cache" / "weights"
    assert not weights.exists() or list(weights.iterdir()) == []  # nothing a later run would load


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FTS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "weights"


@pytest.mark.parametrize("damage", ["truncated", "text"])
def test_damaged_converted_weights_are_rebuilt_not_loaded(private_cache: Path, damage: str) -> None:
    good = lite_weights.imagenet_weights_path(include_top=False)
    size = good.stat().st_size
    if damage == "truncated":  # e.g. a machine that lost power while an older version wrote it
        with open(good, "r+b") as handle:
            handle.truncate(size // 2)
    else:
        good.write_text("not weights")
    again = lite_weights.imagenet_weights_path(include_top=False)
    assert again == good and again.stat().st_size == size
    with h5py.File(again, "r"):
        pass
    model = lite0.EfficientNetLite0(include_top=False, input_shape=(64, 64, 3))
    assert float(np.abs(model.get_layer("top_bn").get_weights()[2]).sum()) > 0  # ImageNet statistics
    assert not [p for p in private_cache.iterdir() if p.name.startswith(".")]


def _write_legacy_h5(model: keras.Model, path: Path) -> None:
    from keras.src.legacy.saving import legacy_h5_format

    with h5py.File(path, "w") as handle:
        legacy_h5_format.save_weights_to_hdf5_group(handle, model)


def _bad_file(kind: str, path: Path) -> None:
    if kind == "text":
        path.write_text("<html>404 Not Found</html>")  # a download that saved an error page
    elif kind == "truncated":
        keras.utils.set_random_seed(3)
        _write_legacy_h5(build_backbone(get_backbone("mobilenet_v2_035"), None, 96), path)
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size // 2)
    else:  # "other model": valid HDF5 weights, but of a different network
        dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense_x")])
        _write_legacy_h5(dense, path)


@pytest.mark.parametrize("kind", ["text", "truncated", "other model"])
def test_bad_preplaced_weights_are_named_and_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      kind: str) -> None:
    folder = tmp_path / "lab-weights"
    folder.mkdir()
    bad = folder / WANTED
    _bad_file(kind, bad)
    monkeypatch.setenv("FTS_WEIGHTS_DIR", str(folder))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    with pytest.raises(WeightsUnavailableError) as caught:
        build_backbone(get_backbone("mobilenet_v2_035"), "imagenet", 96)
    message = str(caught.value)
    assert str(bad) in message, message
    assert "storage.googleapis.com" in message and "download" in message.lower()
    cache = tmp_path / "keras-home" / "models"
    assert not (cache / WANTED).exists()  # never copied, or our copy removed
    assert not cache.exists() or not [p for p in cache.iterdir() if p.name.startswith(".")]
    assert bad.is_file()  # the administrator's file is theirs: named, not deleted


def test_preplaced_file_whose_checksum_keras_publishes_must_match(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lab-weights"
    folder.mkdir()
    _bad_file("other model", folder / RESNET)  # loads as HDF5, but is not Keras' ResNet50 file
    monkeypatch.setenv("FTS_WEIGHTS_DIR", str(folder))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    with pytest.raises(WeightsUnavailableError, match="checksum") as caught:
        build_backbone(get_backbone("resnet50"), "imagenet", 64)
    assert str(folder / RESNET) in str(caught.value)
    assert not (tmp_path / "keras-home" / "models" / RESNET).exists()


def test_good_file_is_used_when_a_bad_one_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    _bad_file("text", first / WANTED)
    keras.utils.set_random_seed(5)
    source = build_backbone(get_backbone("mobilenet_v2_035"), None, 96)
    _write_legacy_h5(source, second / WANTED)
    monkeypatch.setenv("FTS_WEIGHTS_DIR", os.pathsep.join([str(first), str(second)]))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    loaded = build_backbone(get_backbone("mobilenet_v2_035"), "imagenet", 96)
    np.testing.assert_array_equal(loaded.weights[0].numpy(), source.weights[0].numpy())
    copied = tmp_path / "keras-home" / "models" / WANTED
    assert copied.read_bytes() == (second / WANTED).read_bytes()


def test_cli_names_a_bad_preplaced_file_in_one_line(tmp_path: Path, color_dataset: Path) -> None:
    folder = tmp_path / "lab-weights"
    folder.mkdir()
    (folder / RESNET).write_bytes(b"\0" * 1000)
    done = subprocess.run([sys.executable, "main.py", "train", str(color_dataset), "--backbone", "resnet50",
                           "--image-size", "64", "--epochs", "1", "--out", str(tmp_path / "b")],
                          capture_output=True, text=True, env=_env(tmp_path, FTS_WEIGHTS_DIR=str(folder)),
                          cwd=ROOT, timeout=300)
    assert done.returncode == 2, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert str(folder / RESNET) in done.stderr
    assert not (tmp_path / "keras" / "models" / RESNET).exists()


def test_full_keras_cache_while_copying_a_preplaced_file_is_one_plain_error(tmp_path: Path) -> None:
    folder = tmp_path / "lab-weights"
    folder.mkdir()
    keras.utils.set_random_seed(5)
    _write_legacy_h5(build_backbone(get_backbone("mobilenet_v2_035"), None, 96), folder / WANTED)
    assert (folder / WANTED).stat().st_size > 100_000
    script = ("from core.backbones import get_backbone\nfrom core.training.model import build_backbone\n"
              "from core.backbones.weights import WeightsFileError\n"
              "try:\n    build_backbone(get_backbone('mobilenet_v2_035'), 'imagenet', 96)\n"
              "except WeightsFileError as error:\n    print(error)\n    raise SystemExit(2)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env=_env(tmp_path, FTS_WEIGHTS_DIR=str(folder)), preexec_fn=_small_file_limit)
    assert done.returncode == 2, done.stderr[-3000:]
    assert str(folder / WANTED) in done.stdout and "too large" in done.stdout, done.stdout
    assert list((tmp_path / "keras" / "models").iterdir()) == []  # no partial copy
