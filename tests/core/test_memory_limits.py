"""The machine is never brought down by a setting (issue 24, item 1): an image size outside the one
table of ranges is refused inside the functions that allocate (the audit's embeddings, the decoded-image
cache), a cache file never outgrows the disk, and a run's estimated memory is compared with what the
machine has before any work, with the numbers in the message."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.errors import SettingsError


def _images(folder: Path, count: int = 2) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"img{index}.png"
        Image.fromarray(np.full((8, 8, 3), index * 40, np.uint8)).save(path)
        paths.append(path)
    return paths


@pytest.fixture()
def no_decoding(monkeypatch):
    """Decoding at a huge size would exhaust the machine before the fix: stop it at the door."""
    from core.data import image_cache
    from core.insight import embeddings

    def refuse(*args, **kwargs):
        raise RuntimeError("reached the decoder: the size was not checked")

    monkeypatch.setattr(embeddings, "cached_decode", refuse)
    monkeypatch.setattr(image_cache, "_fill", refuse)


@pytest.mark.parametrize("size", [99999, 0, -5, 31])
def test_the_audit_refuses_an_image_size_outside_the_table(tmp_path: Path, size: int, no_decoding) -> None:
    from core.insight.audit import run_audit

    for name in ("a", "b"):
        _images(tmp_path / "data" / name)
    with pytest.raises(SettingsError, match=r"Image size \(--image-size\)"):
        run_audit(tmp_path / "data", image_size=size, use_cache=False)


def test_embeddings_refuse_an_image_size_outside_the_table(tmp_path: Path, no_decoding) -> None:
    from core.insight.embeddings import embed_files

    files = _images(tmp_path)
    with pytest.raises(SettingsError, match="99999"):
        embed_files(files, lambda: None, "efficientnet_lite0", None, 99999, use_cache=False)


def test_the_decoded_cache_never_makes_a_file_larger_than_the_free_disk(tmp_path: Path, monkeypatch,
                                                                          no_decoding) -> None:
    from core.data import image_cache

    files = _images(tmp_path / "images")
    monkeypatch.setattr(image_cache, "_free_disk_bytes", lambda folder: 1 << 30)
    cache = tmp_path / "cache"
    with pytest.raises(SettingsError, match=r"needs about .* GB .* 1\.0 GB free"):
        image_cache.cached_decode(files, 20_000, memory_budget=0, folder=cache)  # 2 x 1.2 GB rows
    assert not list(cache.glob("*.npy")) and not list(cache.glob(".*"))
    with pytest.raises(SettingsError):
        image_cache.cached_decode(files, 0, folder=cache)


def test_the_estimate_grows_with_the_image_and_the_batch_and_names_its_parts() -> None:
    from core.training.memory import estimate_memory

    base = estimate_memory("efficientnet_lite0", 224, 32, 1000)
    assert set(base.parts) == {"activations", "weights", "decoded images", "runtime"}
    assert 2 * 2**30 < base.total < 40 * 2**30  # a sane order of magnitude for the everyday setting
    assert estimate_memory("efficientnet_lite0", 448, 32, 1000).parts["activations"] == 4 * base.parts["activations"]
    assert estimate_memory("efficientnet_lite0", 224, 64, 1000).parts["activations"] == 2 * base.parts["activations"]
    assert estimate_memory("efficientnet_lite0", 224, 32, 1000, training=False).total < base.total
    assert "activations" in base.describe() and "GB" in base.describe()


def test_available_memory_reads_meminfo_and_a_cgroup_limit(tmp_path: Path) -> None:
    from core.training.memory import available_memory

    proc, cgroup = tmp_path / "proc", tmp_path / "cgroup"
    proc.mkdir()
    cgroup.mkdir()
    (proc / "meminfo").write_text("MemTotal: 32000000 kB\nMemFree: 1000 kB\nMemAvailable: 20971520 kB\n")
    assert available_memory(proc, cgroup) == 20 * 2**30
    (cgroup / "memory.max").write_text("max\n")
    assert available_memory(proc, cgroup) == 20 * 2**30
    (cgroup / "memory.max").write_text(f"{8 * 2**30}\n")
    (cgroup / "memory.current").write_text(f"{2 * 2**30}\n")
    assert available_memory(proc, cgroup) == 6 * 2**30
    assert available_memory(tmp_path / "nowhere", tmp_path / "nothing") is None
    assert available_memory() is None or available_memory() > 0  # this machine


def test_check_memory_refuses_with_the_numbers_or_reduces_an_inference_batch() -> None:
    from core.training.memory import check_memory

    assert check_memory("efficientnet_lite0", 224, 32, 500, available=64 * 2**30) == 32
    with pytest.raises(SettingsError, match=r"needs about [\d,.]+ GB .*this machine has 22\.0 GB free\. "
                                            r"Use a smaller --image-size or --batch-size"):
        check_memory("efficientnet_lite0", 1024, 256, 500, available=22 * 2**30)
    smaller = check_memory("efficientnet_lite0", 1024, 256, 0, training=False, reduce_batch=True,
                           available=22 * 2**30)
    assert 1 <= smaller < 256
    with pytest.raises(SettingsError):  # not even one image fits
        check_memory("efficientnet_lite0", 1024, 8, 0, training=False, reduce_batch=True, available=2**30)


def test_training_is_refused_before_any_image_is_decoded(tmp_path: Path, monkeypatch) -> None:
    from core.training import memory, trainer

    for name in ("a", "b"):
        _images(tmp_path / "data" / name, 4)
    monkeypatch.setattr(memory, "available_memory", lambda *args: 4 * 2**30)

    def decode(*args, **kwargs):
        raise RuntimeError("decoding started: memory was not checked")

    monkeypatch.setattr(trainer, "_decode", decode)
    config = trainer.TrainConfig(data_dir=str(tmp_path / "data"), backbone="efficientnet_lite0", image_size=1024,
                                 batch_size=512, epochs=1)
    with pytest.raises(SettingsError, match="this machine has 4.0 GB free"):
        trainer.prepare_data(config)


def test_the_audit_reduces_its_batch_to_fit(tmp_path: Path, monkeypatch) -> None:
    from core.insight import audit
    from core.training import memory

    for name in ("a", "b"):
        _images(tmp_path / "data" / name)
    monkeypatch.setattr(memory, "available_memory", lambda *args: 3 * 2**30)
    seen = {}

    def embed(files, factory, backbone, weights, size, sink, cancel, use_cache, batch_size=32):
        seen["batch"] = batch_size
        raise RuntimeError("stop here")

    monkeypatch.setattr(audit, "embed_files", embed)
    with pytest.raises(RuntimeError, match="stop here"):
        audit.run_audit(tmp_path / "data", image_size=1024, use_cache=False)
    assert 1 <= seen["batch"] < 32


def test_predicting_reduces_its_batch_or_refuses_a_model_too_large_for_the_machine(monkeypatch) -> None:
    from core.bundles.predict import Predictor
    from core.training import memory
    from core.training.model import keras

    model = keras.Sequential([keras.Input((512, 512, 3)), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(2, activation="softmax")])
    monkeypatch.setattr(memory, "available_memory", lambda *args: 64 * 2**30)
    assert Predictor(model, ["a", "b"]).batch_size == 32
    monkeypatch.setattr(memory, "available_memory", lambda *args: int(1.6 * 2**30))
    predictor = Predictor(model, ["a", "b"])
    assert 1 <= predictor.batch_size < 32
    pixels = np.zeros((3, 512, 512, 3), np.uint8)
    assert predictor.probabilities(pixels).shape == (3, 2)
    monkeypatch.setattr(memory, "available_memory", lambda *args: 2**30)
    with pytest.raises(SettingsError, match="Predicting needs about"):
        Predictor(model, ["a", "b"])
