"""Bundles: plain-Keras parity, atomic saves that never damage the previous bundle, clear errors."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from PIL import Image

from core.bundles.bundle import BundleError, load_bundle, save_bundle
from core.jobs.train import run_training, save_training_result
from core.training.model import keras
from core.bundles.predict import Predictor
from core.config import TrainConfig


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path):
    from tests.conftest import write_color_dataset

    data = write_color_dataset(tmp_path_factory.mktemp("data") / "colors", per_class=6)
    config = TrainConfig(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(tiny_weights_file),
                         image_size=64, epochs=2, warmup_epochs=1, batch_size=8, val_split=0.34)
    result = run_training(config)
    bundle = save_training_result(result, tmp_path_factory.mktemp("out") / "bundle")
    return result, bundle, data


def test_plain_keras_client_gets_the_same_probabilities_as_the_predictor(trained) -> None:
    result, bundle, data = trained
    images = sorted((data / "red").glob("*.png"))[:3]
    ours = Predictor.from_bundle(bundle).top_k(images, k=3)
    from core.data.scan import load_image

    plain = keras.saving.load_model(bundle / "model.keras", safe_mode=True)  # no help from this package
    with_pil_only = np.stack([np.asarray(Image.open(p).convert("RGB").resize((64, 64), Image.Resampling.BILINEAR))
                              for p in images])
    np.testing.assert_array_equal(with_pil_only, np.stack([load_image(p, 64) for p in images]))
    pixels = with_pil_only.astype(np.float32)  # raw RGB 0..255: the model preprocesses by itself
    probabilities = plain.predict(pixels, verbose=0)
    # The predictor shows them calibrated (issue 20): softmax(log p / T), T from statistics.json.
    from core.stats.calibration import calibrate_probabilities

    temperature = json.loads((bundle / "statistics.json").read_text())["calibration"]["temperature"]
    probabilities = calibrate_probabilities(probabilities, temperature)
    for prediction, row in zip(ours, probabilities):
        by_label = {g.label: g.probability for g in prediction.top}
        expected = dict(zip(result.class_names, row))
        for label, value in by_label.items():
            assert value == pytest.approx(float(expected[label]), abs=1e-6)


def test_bundle_files_and_reproducibility_record(trained) -> None:
    result, bundle, _ = trained
    loaded = load_bundle(bundle)
    assert loaded.class_names == list(result.class_names)
    assert loaded.config["train"]["seed"] == result.config.seed
    assert loaded.config["train"]["backbone"] == "mobilenet_v2_035"
    assert set(loaded.config["versions"]) >= {"tensorflow", "keras", "numpy", "python"}
    assert len(loaded.config["split"]["val"]) == len(result.data.val)
    assert len(loaded.history) == 2 and "val_loss" in loaded.history[0]
    assert {"history.csv", "metrics.json", "labels.json", "config.json", "model.keras"} <= {
        p.name for p in bundle.iterdir()}


def test_a_failed_save_leaves_the_previous_bundle_intact(trained, tmp_path: Path) -> None:
    result, _, _ = trained
    target = tmp_path / "model"
    save_bundle(target, result.model, result.class_names, {"version": 1})
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def explode(_folder: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(BundleError, match="disk full"):  # says where the model is (core.runs.recorder.record_unsaved)
        save_bundle(target, result.model, result.class_names, {"version": 2}, extra_files=explode)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no temporary folders left behind


def test_missing_and_damaged_bundles_give_clear_errors(trained, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="No model bundle"):
        load_bundle(tmp_path / "nothing")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "labels.json").write_text('["a", "b"]')
    with pytest.raises(BundleError, match="missing model.keras"):
        load_bundle(broken)
    (broken / "config.json").write_text("{}")
    (broken / "model.keras").write_bytes(b"this is not a zip file")
    with pytest.raises(BundleError, match="could not be loaded"):
        load_bundle(broken)
