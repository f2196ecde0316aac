"""The decoded-image cache and the frozen-prefix feature cache: a cached run is the same run, only
faster; caches are invalidated by file changes and fall back gracefully when memory is short."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.bundles.bundle import load_bundle, save_bundle
from core.events import EventRecorder, LogMessage
from core.config import Augmentation
from core.training.trainer import TrainConfig, TrainResult, bundle_config, train
from tests.conftest import write_color_dataset

TIGHT = dict(rel=1e-5, abs=1e-6)


def _config(data: Path, weights: Path | str, **overrides) -> TrainConfig:
    settings = dict(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(weights), image_size=64,
                    epochs=2, warmup_epochs=1, batch_size=8, learning_rate=1e-3, val_split=0.25, seed=3)
    settings.update(overrides)
    return TrainConfig(**settings)


def _losses(result: TrainResult) -> list[tuple[float, float]]:
    return [(row["loss"], row["val_loss"]) for row in result.history]


def _logs(events: EventRecorder) -> str:
    return "\n".join(e.text for e in events.of_type(LogMessage))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_color_dataset(tmp_path_factory.mktemp("cache-data") / "colors")


@pytest.fixture(scope="module")
def uncached(dataset: Path, tiny_weights_file: Path) -> TrainResult:
    """The reference: warm-up + fine-tune with every cache off (what --no-cache runs)."""
    return train(_config(dataset, tiny_weights_file, use_cache=False))


def test_no_cache_means_no_cache(uncached: TrainResult) -> None:
    losses = [loss for loss, _ in _losses(uncached)]
    assert losses[1] < losses[0] and all(abs(loss - np.log(3)) > 0.01 for loss in losses)  # it really learns
    assert uncached.cache == {"images": "off", "warmup": "off", "finetune": "off"}
    assert not isinstance(uncached.data.train_images, np.memmap)


def test_cached_run_equals_uncached_run_and_saves_an_ordinary_bundle(
        dataset: Path, tiny_weights_file: Path, uncached: TrainResult, tmp_path: Path) -> None:
    cached = train(_config(dataset, tiny_weights_file))
    assert cached.cache == {"images": "memory", "warmup": "memory", "finetune": "memory"}
    assert [row["phase"] for row in cached.history] == ["warmup", "finetune"]
    assert _losses(cached) == [(pytest.approx(a, **TIGHT), pytest.approx(b, **TIGHT)) for a, b in _losses(uncached)]
    assert cached.best_epoch == uncached.best_epoch
    bundles = []
    for name, result in (("cached", cached), ("uncached", uncached)):
        path = save_bundle(tmp_path / name, result.model, result.class_names, bundle_config(result), result.history)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            bundles.append(load_bundle(path))
        assert not [w for w in caught if "optimizer" in str(w.message)]  # the same optimizer state is saved
    assert [layer.name for layer in bundles[0].model.layers] == [layer.name for layer in bundles[1].model.layers]
    pixels = np.asarray(uncached.data.val_images, np.float32)  # raw 0..255 pixels in, as for any user
    probs = [np.asarray(b.model.predict(pixels, verbose=0)) for b in bundles]
    np.testing.assert_allclose(probs[0], probs[1], rtol=1e-5, atol=1e-6)


def test_lite0_drop_connect_stays_off_so_cached_and_uncached_runs_match(dataset: Path) -> None:
    """Keras 3 overrides the backbone's training=False during fit; without the trainer switching
    the backbone's Dropout off, Lite0's drop-connect would make the uncached run differ."""
    from core.backbones.lite_weights import imagenet_weights_path
    from core.training.model import get_backbone_layer

    imagenet_weights_path(include_top=False)  # a first-time conversion draws random numbers: do it before
    runs = [train(_config(dataset, "imagenet", backbone="efficientnet_lite0", epochs=1, use_cache=use))
            for use in (False, True)]
    assert runs[1].cache["warmup"] == "memory"
    assert _losses(runs[1]) == [(pytest.approx(a, **TIGHT), pytest.approx(b, **TIGHT)) for a, b in _losses(runs[0])]
    dropouts = [layer for layer in get_backbone_layer(runs[1].model).layers if "drop" in layer.name]
    assert dropouts and all(layer.rate == 0 for layer in dropouts)


def test_features_over_the_memory_budget_go_to_disk_then_to_no_cache(
        dataset: Path, tiny_weights_file: Path, uncached: TrainResult, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.training import feature_cache
    from core.paths import user_cache_dir

    events = EventRecorder()
    on_disk = train(_config(dataset, tiny_weights_file, cache_memory_mb=0.01), events)  # 10 KB: nothing fits
    assert on_disk.cache == {"images": "disk", "warmup": "disk", "finetune": "disk"}
    assert isinstance(on_disk.data.train_images, np.memmap)
    assert "exceed the memory budget" in _logs(events) and "temporary file" in _logs(events)
    assert not list((user_cache_dir() / "features").glob("*.npy"))  # temporary files are gone
    assert _losses(on_disk) == [(pytest.approx(a, **TIGHT), pytest.approx(b, **TIGHT)) for a, b in _losses(uncached)]

    monkeypatch.setattr(feature_cache, "free_disk_bytes", lambda folder: 0)
    events = EventRecorder()
    without = train(_config(dataset, tiny_weights_file, cache_memory_mb=0.01, epochs=1), events)
    assert without.cache == {"images": "disk", "warmup": "off"}
    assert "fit neither the memory budget nor the free disk space" in _logs(events)
    assert _losses(without)[0] == (pytest.approx(_losses(uncached)[0][0], **TIGHT),
                                   pytest.approx(_losses(uncached)[0][1], **TIGHT))


def test_augmentation_turns_the_feature_cache_off(dataset: Path, tiny_weights_file: Path) -> None:
    events = EventRecorder()
    result = train(_config(dataset, tiny_weights_file, epochs=1, augment=Augmentation(flip=True)), events)
    assert result.cache == {"images": "memory", "warmup": "off"}
    assert "augmentation is on" in _logs(events)


def test_a_freeze_point_inside_a_residual_block_trains_without_the_feature_cache(
        dataset: Path, tiny_weights_file: Path) -> None:
    from core.training.model import layer_table

    table = layer_table("mobilenet_v2_035", 64)
    assert all(table.can_cache(b.n_layers) for b in table.boundaries)
    inside = table.names.index("block_15_expand") + 1  # block_15's skip connection crosses this cut
    assert not table.can_cache(inside) and table.can_cache(table.names.index("block_1_expand") + 1)
    events = EventRecorder()
    result = train(_config(dataset, tiny_weights_file, freeze=inside, epochs=2), events)
    assert result.cache == {"images": "memory", "warmup": "memory", "finetune": "off"}
    assert "skip connection" in _logs(events)


def test_split_model_computes_what_the_full_model_computes(tiny_weights_file: Path) -> None:
    from core.training.feature_cache import ModelSplitter
    from core.training.model import build_model

    model = build_model("mobilenet_v2_035", 3, str(tiny_weights_file), 64, seed=0)
    splitter = ModelSplitter(model)
    pixels = np.random.default_rng(0).uniform(0, 255, (4, 64, 64, 3)).astype(np.float32)
    expected = np.asarray(model(pixels, training=False))
    for position in (1, 30, splitter.n_layers - 3, splitter.n_layers):
        assert splitter.can_split(position)
        activations = splitter.segment(0, position)(pixels, training=False)
        np.testing.assert_allclose(splitter.suffix(position)(activations, training=False), expected,
                                   rtol=1e-5, atol=1e-6)


def _write(path: Path, color: tuple[int, int, int]) -> None:
    Image.fromarray(np.full((40, 40, 3), color, np.uint8)).save(path)


def test_decoded_images_are_reused_until_a_file_changes(tmp_path: Path) -> None:
    from core.data.image_cache import cached_decode

    root = write_color_dataset(tmp_path / "data", per_class=4)
    files = sorted(root.rglob("*.png"))
    folder = tmp_path / "decoded"
    first = cached_decode(files, 32, folder=folder)
    assert first.decoded == len(files) and first.in_memory
    again = cached_decode(files, 32, folder=folder)
    assert again.decoded == 0
    np.testing.assert_array_equal(again.images, first.images)
    assert cached_decode(files[::2], 32, folder=folder).decoded == 0  # another split reuses the rows

    changed = files[5]
    _write(changed, (1, 2, 3))
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    refreshed = cached_decode(files, 32, folder=folder)
    assert refreshed.decoded == 1
    assert (refreshed.images[5] == (1, 2, 3)).all()
    np.testing.assert_array_equal(np.delete(refreshed.images, 5, axis=0), np.delete(first.images, 5, axis=0))

    files[2].write_bytes(b"not an image any more")
    broken = cached_decode(files, 32, folder=folder)
    assert set(broken.failures) == {2} and len(broken.images) == len(files) - 1
    assert cached_decode(files, 32, folder=folder).failures == broken.failures  # remembered, not retried


def test_decoded_images_over_the_memory_budget_are_memory_mapped(tmp_path: Path) -> None:
    from core.data.image_cache import cached_decode

    files = sorted(write_color_dataset(tmp_path / "data", per_class=3).rglob("*.png"))
    in_memory = cached_decode(files, 32, folder=tmp_path / "a")
    events = EventRecorder()
    mapped = cached_decode(files, 32, events, memory_budget=0, folder=tmp_path / "b")
    assert isinstance(mapped.images, np.memmap) and not mapped.in_memory
    assert "exceed the memory budget" in _logs(events)
    np.testing.assert_array_equal(mapped.images, in_memory.images)
    reread = cached_decode(files, 32, memory_budget=0, folder=tmp_path / "b")
    assert reread.decoded == 0 and isinstance(reread.images, np.memmap)
