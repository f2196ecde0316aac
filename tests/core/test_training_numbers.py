"""Numbers that describe the saved model: precise BatchNorm after training from scratch, a loss
that explodes without becoming NaN, and the unfamiliar-image check calibrated on the training images."""
from __future__ import annotations

import json
import math
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.jobs.evaluate import run_evaluation
from core.jobs.train import run_training, save_training_result
from core.training.batchnorm import estimate_batchnorm_statistics, trained_batchnorm_layers
from core.training.model import keras
from core.training.trainer import TrainConfig, TrainingDivergedError, train
from core.training.callbacks import DivergenceCheck
from tests.conftest import write_color_dataset

TWO_COLOURS = {"red": (210, 50, 40), "blue": (40, 60, 200)}


# --- precise BatchNorm -------------------------------------------------------------------------------

def _bn_model() -> tuple[keras.Model, keras.Model]:
    """Conv -> BatchNorm -> pool -> Dropout -> Dense, and the model up to the BatchNorm's input."""
    keras.utils.set_random_seed(3)
    inputs = keras.Input((8, 8, 3))
    conv = keras.layers.Conv2D(4, 3, name="conv")(inputs)
    x = keras.layers.BatchNormalization(name="bn")(conv)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.5, seed=1, name="drop")(x)
    outputs = keras.layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs, outputs), keras.Model(inputs, conv)


def test_statistics_are_the_size_weighted_average_of_batch_statistics() -> None:
    model, to_bn = _bn_model()
    rows = np.random.default_rng(0).uniform(0, 255, (10, 8, 8, 3)).astype(np.float32)
    random_state = [v.numpy().copy() for v in model.variables if "seed_generator" in v.path]
    assert estimate_batchnorm_statistics(model, rows, batch_size=4, seed=5) == 1
    order = np.random.default_rng(5).permutation(10)
    batches = [np.sort(order[i:i + 4]) for i in range(0, 10, 4)]  # 4, 4 and 2 images
    acts = np.asarray(to_bn(rows))
    means = [acts[b].mean(axis=(0, 1, 2)) for b in batches]
    variances = [acts[b].var(axis=(0, 1, 2)) for b in batches]
    weights = np.array([len(b) for b in batches], float)[:, None] / 10
    bn = model.get_layer("bn")
    np.testing.assert_allclose(bn.moving_mean.numpy(), (weights * means).sum(0), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.moving_variance.numpy(), (weights * variances).sum(0), rtol=1e-4, atol=1e-3)
    assert bn.momentum == pytest.approx(0.99)  # restored
    # the pass does not consume the dropout's random numbers: training goes on as without it
    assert [v.numpy().tolist() for v in model.variables if "seed_generator" in v.path] == \
        [s.tolist() for s in random_state]


def test_a_cancel_during_the_pass_leaves_the_statistics_as_they_were() -> None:
    model, _ = _bn_model()
    bn = model.get_layer("bn")
    before = bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(InterruptedError):
        estimate_batchnorm_statistics(model, np.ones((6, 8, 8, 3), np.float32), 2, cancel=cancel)
    assert np.array_equal(bn.moving_mean.numpy(), before[0]) and np.array_equal(bn.moving_variance.numpy(), before[1])


def test_a_cancel_during_the_epoch_end_pass_discards_the_epoch() -> None:
    """The trainer's callback turns a cancel that arrives during the pass into a discarded epoch."""
    from core.training.batchnorm import PreciseBatchNorm

    model, _ = _bn_model()
    bn = model.get_layer("bn")
    before = bn.moving_mean.numpy().copy()
    cancel, interrupted = threading.Event(), []
    callback = PreciseBatchNorm(np.ones((6, 8, 8, 3), np.float32), 2, 0, cancel, lambda: False,
                                lambda: interrupted.append(True))
    callback.set_model(model)
    callback.on_epoch_end(0, {})
    assert not np.array_equal(bn.moving_mean.numpy(), before) and not interrupted  # re-estimated
    estimated = bn.moving_mean.numpy().copy()
    cancel.set()
    callback.on_epoch_end(1, {})
    assert interrupted and model.stop_training and np.array_equal(bn.moving_mean.numpy(), estimated)


def test_frozen_batchnorm_is_left_alone() -> None:
    model, _ = _bn_model()
    model.get_layer("bn").trainable = False
    assert trained_batchnorm_layers(model) == []
    assert estimate_batchnorm_statistics(model, np.ones((4, 8, 8, 3), np.float32), 2) == 0


def test_a_cached_suffix_gets_the_same_statistics_as_the_full_model(tiny_weights_file: Path) -> None:
    """When only a suffix trains (feature cache), the pass over cached activations must re-estimate
    the full model's layers exactly as a pass over pixels would."""
    from core.training.feature_cache import ModelSplitter
    from core.training.model import build_model, freeze_to, get_backbone_layer

    model = build_model("mobilenet_v2_035", 2, str(tiny_weights_file), 64, seed=0)
    cut = [l.name for l in get_backbone_layer(model).layers].index("block_15_add") + 1
    freeze_to(model, cut)
    for layer in get_backbone_layer(model).layers[cut:]:  # BatchNorm that trains after the cut
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = True
    pixels = np.random.default_rng(1).integers(0, 256, (12, 64, 64, 3)).astype(np.uint8)
    splitter = ModelSplitter(model)
    suffix = splitter.suffix(cut)
    layers = trained_batchnorm_layers(suffix)
    assert layers and all(layer in trained_batchnorm_layers(model) for layer in layers)
    estimate_batchnorm_statistics(model, pixels, 4, seed=2)
    from_pixels = [layer.moving_mean.numpy().copy() for layer in layers]
    for layer in layers:
        layer.moving_mean.assign(np.zeros(layer.moving_mean.shape, np.float32))
    activations = np.asarray(splitter.segment(0, cut)(pixels.astype(np.float32)))
    estimate_batchnorm_statistics(suffix, activations, 4, seed=2)
    for layer, expected in zip(layers, from_pixels):
        np.testing.assert_allclose(layer.moving_mean.numpy(), expected, rtol=1e-3, atol=1e-4)


def test_a_scratch_run_saves_the_model_its_validation_describes(tmp_path: Path) -> None:
    """From random weights, ~20 steps: batch statistics learn, the moving averages (momentum 0.99)
    do not. Before precise BatchNorm the saved model predicted one class for everything
    (validation loss ln 2, accuracy 0.5) although training accuracy was 0.86."""
    data = write_color_dataset(tmp_path / "data", per_class=24, classes=TWO_COLOURS)
    held_out = write_color_dataset(tmp_path / "held", per_class=10, seed=9, classes=TWO_COLOURS)
    config = TrainConfig(data_dir=str(data), backbone="mobilenet_v2_035", weights=None, image_size=64, epochs=5,
                         batch_size=8, learning_rate=1e-3, val_split=0.25, seed=1)
    result = run_training(config)
    last = result.history[result.best_epoch - 1]
    assert abs(last["val_loss"] - math.log(2)) > 0.05  # not the one-class model
    bundle = save_training_result(result, tmp_path / "bundle")
    report = run_evaluation(bundle, held_out)
    assert report["accuracy"] >= 0.8  # was 0.5 (one class for everything)
    # the validation figures recorded for the kept epoch are the saved model's own
    assert result.metrics["val_accuracy"] == pytest.approx(last["val_accuracy"], abs=1e-6)
    assert result.metrics["val_loss"] == pytest.approx(last["val_loss"], rel=1e-3)


# --- a loss that explodes ---------------------------------------------------------------------------

def test_divergence_check_ignores_a_noisy_loss_and_stops_an_exploding_one() -> None:
    check = DivergenceCheck(n_classes=2)
    assert not any(check.exploded(loss) for loss in (0.9, 3.0, 25.0, 0.4, 120.0))  # noisy, not exploded
    assert check.exploded(2e3) and "exploded" in check.message(1e6) and "1e+06" in check.message(1e6)
    nan = DivergenceCheck(10)
    assert nan.exploded(math.inf) and "NaN or infinite" in nan.message(0.1)


def test_an_exploding_loss_stops_like_a_nan(tmp_path: Path) -> None:
    """lr 1e6: the logits grow to ~1e9 and so does the loss, but it never becomes NaN."""
    data = write_color_dataset(tmp_path / "data", per_class=8)
    config = TrainConfig(data_dir=str(data), backbone="mobilenet_v2_035", weights=None, image_size=32, epochs=2,
                         batch_size=8, learning_rate=1e6, val_split=0.25, seed=1)
    with pytest.raises(TrainingDivergedError, match="exploded.*Lower the learning rate"):
        train(config)


# --- unfamiliar images --------------------------------------------------------------------------------

def _odd_images(folder: Path) -> list[Path]:
    """Images unlike red or blue noise: checkerboards, uniform noise, grey, and a cat photo."""
    from skimage import data as photos

    folder.mkdir(parents=True)
    yy, xx = np.mgrid[:40, :40]
    paths = []
    for cell in (2, 5, 10):
        board = ((((yy // cell) + (xx // cell)) % 2) * 255).astype(np.uint8)
        paths.append(folder / f"checker{cell}.png")
        Image.fromarray(np.repeat(board[..., None], 3, -1)).save(paths[-1])
    rng = np.random.default_rng(4)
    for index in range(2):
        paths.append(folder / f"noise{index}.png")
        Image.fromarray(rng.integers(0, 256, (40, 40, 3)).astype(np.uint8)).save(paths[-1])
    paths.append(folder / "grey.png")
    Image.fromarray(np.full((40, 40, 3), 128, np.uint8)).save(paths[-1])
    paths.append(folder / "cat.png")
    Image.fromarray(photos.chelsea()).save(paths[-1])
    return paths


@pytest.fixture(scope="module")
def colour_and_odd(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path] | Path]:
    root = tmp_path_factory.mktemp("familiar")
    data = write_color_dataset(root / "data", per_class=16, classes=TWO_COLOURS)
    held = write_color_dataset(root / "held", per_class=6, seed=9, classes=TWO_COLOURS)
    return {"root": root, "data": data, "familiar": sorted(held.rglob("*.png")), "odd": _odd_images(root / "odd")}


@pytest.mark.parametrize("method,freeze", [("finetune", None), ("finetune", "all"), ("svm", None)])
def test_images_unlike_any_class_are_flagged(colour_and_odd: dict, method: str, freeze: str | None) -> None:
    """The real offline ImageNet backbone at a small size; fine-tuned (cached suffix), head only
    (cached pooled features), and embeddings + SVM."""
    from core.training.model import layer_table
    from core.bundles.predict import Predictor

    if freeze == "all":
        freeze = len(layer_table("efficientnet_lite0", 64).names)
    config = TrainConfig(data_dir=str(colour_and_odd["data"]), backbone="efficientnet_lite0", image_size=64,
                         epochs=2, warmup_epochs=1, batch_size=8, learning_rate=1e-2, val_split=0.25, seed=1,
                         method=method, freeze=freeze)
    result = run_training(config)
    bundle = save_training_result(result, colour_and_odd["root"] / f"bundle_{method}_{freeze}")
    recorded = json.loads((bundle / "config.json").read_text())["familiarity"]
    assert recorded["file"] == "familiarity.npz" and recorded["threshold"] > 0
    predictor = Predictor.from_bundle(bundle)
    familiar = predictor.top_k(colour_and_odd["familiar"])
    odd = predictor.top_k(colour_and_odd["odd"])
    assert [p.unfamiliar for p in familiar] == [False] * len(familiar)
    assert [p.unfamiliar for p in odd] == [True] * len(odd), [(p.source, p.distance, p.distance_limit) for p in odd]
    as_json = odd[-1].to_json()  # what `predict --json` prints for the cat photo
    assert as_json["unfamiliar"] is True and as_json["distance"] > as_json["distance_limit"] > 0
    assert familiar[0].to_json()["unfamiliar"] is False


def test_bundles_without_a_usable_calibration_still_predict(colour_and_odd: dict, tmp_path: Path) -> None:
    """Older bundles have no calibration; a damaged familiarity.npz is ignored, never fatal."""
    import shutil

    from core.bundles.predict import Predictor

    config = TrainConfig(data_dir=str(colour_and_odd["data"]), backbone="efficientnet_lite0", image_size=64,
                         batch_size=8, val_split=0.25, seed=1, method="logreg")
    bundle = save_training_result(run_training(config), tmp_path / "bundle")
    assert Predictor.from_bundle(bundle).familiarity is not None
    old = tmp_path / "old"
    shutil.copytree(bundle, old)
    settings = json.loads((old / "config.json").read_text())
    del settings["familiarity"]
    (old / "config.json").write_text(json.dumps(settings))
    (old / "familiarity.npz").unlink()
    prediction = Predictor.from_bundle(old).top_k(colour_and_odd["odd"][:1])[0]
    assert prediction.unfamiliar is None and "unfamiliar" not in prediction.to_json() and prediction.top
    (bundle / "familiarity.npz").write_bytes(b"not an array file")
    predictor = Predictor.from_bundle(bundle)
    assert predictor.familiarity is None and predictor.top_k(colour_and_odd["odd"][:1])[0].top
