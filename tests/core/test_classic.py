"""Embeddings + classic classifier: learns, folds exactly into Keras layers, round-trips, refuses tampering."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core.jobs.compare import run_comparison
from core.jobs.train import save_training_result
from core.bundles.bundle import BundleError, load_bundle
from core.training.classic import CLASSIFIER_FILE, ClassicHead, fit_head, resolve_layer
from core.bundles.predict import Predictor
from core.config import TrainConfig


def _config(data_dir: Path, weights: Path, method: str, freeze: int | str | None = "block_5_add") -> TrainConfig:
    # The test weights are random: an early block keeps the colour signal that deep random layers blur.
    return TrainConfig(data_dir=str(data_dir), backbone="mobilenet_v2_035", weights=str(weights), image_size=64,
                       batch_size=16, val_split=0.25, method=method, seed=3, freeze=freeze)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> dict:
    """Both embeddings methods on one colour dataset (one comparison run: images decoded once)."""
    from tests.conftest import write_color_dataset

    root = tmp_path_factory.mktemp("classic")
    data = write_color_dataset(root / "colors", per_class=16)
    results = run_comparison(_config(data, tiny_weights_file, "svm"), methods=("svm", "logreg"))
    bundles = {m: save_training_result(r, root / f"bundle_{m}") for m, r in results.items()}
    return {"results": results, "bundles": bundles, "data": data}


@pytest.mark.parametrize("method", ["svm", "logreg"])
def test_embeddings_beat_chance_and_record_method(trained: dict, method: str) -> None:
    result = trained["results"][method]
    assert result.metrics["method"] == method
    assert result.metrics["val_accuracy"] >= 0.8  # chance is 1/3
    assert result.metrics["classifier"]["C"] > 0
    assert result.freeze.cut_layer == "block_5_add" and result.head.mean.shape == (16,)  # the freeze point's layer
    evaluation = result.metrics["evaluation"]
    assert np.asarray(evaluation["confusion_matrix"]).sum() == result.metrics["val_images"]
    config = json.loads((trained["bundles"][method] / "config.json").read_text())
    assert config["method"] == method and config["train"]["method"] == method
    assert config["classifier"]["labels"] == ["blue", "green", "red"]
    metrics = json.loads((trained["bundles"][method] / "metrics.json").read_text())
    assert metrics["evaluation"]["per_class"][0]["class"] == "blue"


@pytest.mark.parametrize("method", ["svm", "logreg"])
def test_bundle_round_trip_predicts_the_same(trained: dict, method: str) -> None:
    result = trained["results"][method]
    bundle = load_bundle(trained["bundles"][method])
    assert bundle.method == method
    pixels = result.data.val_images
    before = Predictor(result.model, result.class_names).probabilities(pixels)
    after = Predictor.from_bundle(bundle).probabilities(pixels)
    np.testing.assert_allclose(after, before, atol=1e-5)
    # the folded Keras head gives scikit-learn's probabilities
    np.testing.assert_allclose(after, result.val_probabilities, atol=1e-4)
    top = Predictor.from_bundle(bundle).top_k([result.data.val.files[0]], k=2)[0]
    assert top.top[0].label == result.class_names[result.data.val.labels[0]]


def _copy(bundle: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(bundle, tmp_path / "copy"))


def test_tampered_coefficients_are_refused(trained: dict, tmp_path: Path) -> None:
    bundle = _copy(trained["bundles"]["logreg"], tmp_path)
    with np.load(bundle / CLASSIFIER_FILE) as npz:
        arrays = dict(npz)
    arrays["coef"] = arrays["coef"] * -1
    np.savez(bundle / CLASSIFIER_FILE, **arrays)
    with pytest.raises(BundleError, match="checksum"):
        load_bundle(bundle)


def test_consistent_checksum_but_wrong_shapes_or_content_is_refused(trained: dict, tmp_path: Path) -> None:
    import hashlib

    bundle = _copy(trained["bundles"]["svm"], tmp_path)
    config_path = bundle / "config.json"

    def write(**arrays: np.ndarray) -> None:
        np.savez(bundle / CLASSIFIER_FILE, **arrays)
        config = json.loads(config_path.read_text())
        config["classifier"]["sha256"] = hashlib.sha256((bundle / CLASSIFIER_FILE).read_bytes()).hexdigest()
        config_path.write_text(json.dumps(config))

    with np.load(bundle / CLASSIFIER_FILE) as npz:
        good = dict(npz)
    write(**{**good, "coef": good["coef"][:2]})  # a class dropped
    with pytest.raises(BundleError, match="shapes"):
        load_bundle(bundle)
    write(**{**good, "coef": np.array([["x"] * good["coef"].shape[1]] * 3)})  # not numbers
    with pytest.raises(BundleError, match="floating"):
        load_bundle(bundle)
    write(**{**good, "intercept": np.array([object()] * 3, dtype=object)})  # would need a pickle
    with pytest.raises(BundleError, match="plain array"):
        load_bundle(bundle)
    write(**{**good, "intercept": good["intercept"] + 1.0})  # numbers that disagree with model.keras
    with pytest.raises(BundleError, match="different classifiers"):
        load_bundle(bundle)
    (bundle / CLASSIFIER_FILE).unlink()
    with pytest.raises(BundleError, match="missing"):
        load_bundle(bundle)


def test_label_mismatch_is_refused(trained: dict, tmp_path: Path) -> None:
    bundle = _copy(trained["bundles"]["logreg"], tmp_path)
    config = json.loads((bundle / "config.json").read_text())
    config["classifier"]["labels"] = ["red", "green", "blue"]
    (bundle / "config.json").write_text(json.dumps(config))
    with pytest.raises(BundleError, match="labels.json"):
        load_bundle(bundle)


@pytest.mark.parametrize("kind", ["svm", "logreg"])
@pytest.mark.parametrize("n_classes", [2, 4])
def test_folding_matches_scikit_learn(kind: str, n_classes: int) -> None:
    """Binary and multi-class, both kinds: the arrays reproduce predict_proba (fit_head checks it too)."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(n_classes), 12)
    features = rng.normal(size=(len(labels), 8)) + labels[:, None] * 0.7
    head, search, estimator = fit_head(kind, features, labels, n_classes, seed=0)
    assert isinstance(head, ClassicHead) and search["cv_folds"] == 5
    test = rng.normal(size=(20, 8)) * 2
    np.testing.assert_allclose(head.predict_proba(test), estimator.predict_proba(test), atol=1e-9)
    again, _, _ = fit_head(kind, features, labels, n_classes, seed=0)
    np.testing.assert_array_equal(again.coef, head.coef)  # seeded


def test_default_layer_is_the_whole_backbone(tmp_path: Path) -> None:
    config = TrainConfig(data_dir=str(tmp_path), backbone="mobilenet_v2_035", image_size=64, freeze=None)
    layer, freeze = resolve_layer(config, 64)
    assert layer is None and freeze.frozen_layers == freeze.total_layers
    layer, freeze = resolve_layer(replace(config, freeze="block_5_add"), 64)
    assert layer == freeze.frozen_layers < freeze.total_layers and freeze.cut_layer == "block_5_add"


def test_svm_needs_two_images_per_class() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        fit_head("svm", np.eye(3), np.array([0, 1, 2]), 3)


def test_cli_train_method(color_dataset: Path, tiny_weights_file: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture) -> None:
    from core import cli

    out = tmp_path / "bundle"
    code = cli.main(["train", str(color_dataset), "--method", "svm", "--backbone", "mobilenet_v2_035",
                     "--weights", str(tiny_weights_file), "--image-size", "64", "--freeze", "block_5_add",
                     "--out", str(out), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["metrics"]["method"] == "svm" and (out / CLASSIFIER_FILE).is_file()
    assert load_bundle(out).method == "svm"


def test_cancel_before_fit(trained: dict) -> None:
    import threading

    from core.training.classic import fit_classic
    from core.training.trainer import TrainingCancelled

    result = trained["results"]["svm"]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(TrainingCancelled):
        fit_classic(result.config, cancel=cancel, data=result.data)
