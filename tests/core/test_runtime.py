"""The fastest verified runtime (core/runtime): converted models answer like Keras, a converted model
that answers differently is refused and never used, the cache follows the weights, --runtime keras
keeps everything in TensorFlow."""
from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from tests.conftest import write_color_dataset


@pytest.fixture(autouse=True)
def own_cache(runtime_cache: Path) -> Path:
    """Each test converts into its own cache folder (tests/core/conftest.py)."""
    return runtime_cache


@pytest.fixture
def bundle(tiny_bundle: Path) -> Path:
    """The session's tiny real bundle (tests/core/conftest.py)."""
    return tiny_bundle


def _pixels(bundle: Path) -> np.ndarray:
    from core.data.scan import load_image

    split = json.loads((bundle / "config.json").read_text())["split"]
    return np.stack([load_image(p, 64) for p in split["train"] + split["val"]])


def _dense(seed: int) -> object:
    """A small model that converts in a second: pixels -> softmax over 3 classes."""
    from core.training.model import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Rescaling(1 / 255)(inputs)
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Flatten()(x))
    return keras.Model(inputs, outputs)


def _forward(model: object, rows: int | None = 1000, classes: int = 3) -> object:
    from core.training.features import fastest_forward

    return fastest_forward(model, rows, classes, label="test model")


def test_the_converted_bundle_gives_the_same_predictions(bundle: Path) -> None:
    from core.bundles.predict import Predictor

    pixels = _pixels(bundle)
    keras_answers = Predictor.from_bundle(bundle).keras_only().predictions(pixels, [str(i) for i in range(len(pixels))])
    fast = Predictor.from_bundle(bundle)
    fast.expect(1000)
    answers = fast.predictions(pixels, [str(i) for i in range(len(pixels))])
    assert fast.forward().runtime.startswith("ai-edge-litert")  # not Keras: the test compares two runtimes
    assert fast.familiarity is not None  # the embedding rides along and is checked as features
    for ours, theirs in zip(keras_answers, answers):
        assert ours.top[0].label == theirs.top[0].label
        assert max(abs(a.probability - b.probability) for a, b in zip(ours.top, theirs.top)) < 1e-4
        assert ours.unfamiliar == theirs.unfamiliar
    again = Predictor.from_bundle(bundle)  # a new process would find the checked model in the cache
    again.expect(None)
    assert again.forward().runtime.startswith("ai-edge-litert")


def test_a_wrong_converted_model_is_refused_and_keras_answers(caplog: pytest.LogCaptureFixture,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from core.runtime.store import Entry

    right, wrong = _dense(1), _dense(2)
    x = np.random.default_rng(0).integers(0, 255, (16, 8, 8, 3)).astype(np.float32)
    built = _forward(wrong)
    built(x)
    assert built.runtime.startswith("ai-edge-litert")
    target = _forward(right, rows=None)  # nothing cached, no build: Keras
    assert target.runtime == "keras"
    # the wrong model's file where the right one's belongs, as if the conversion had gone wrong
    target.entry.model_path.parent.mkdir(parents=True, exist_ok=True)
    target.entry.model_path.write_bytes(built.entry.model_path.read_bytes())
    with caplog.at_level(logging.WARNING, logger="core.runtime.forward"):
        forward = _forward(right, rows=None)
        answers = forward(x)
    assert forward.runtime == "keras"
    np.testing.assert_allclose(answers, np.asarray(right(x)), atol=1e-6)  # Keras' answers, not the file's
    refused = [r.getMessage() for r in caplog.records if "is not used" in r.getMessage()]
    assert len(refused) == 1 and "running in Keras" in refused[0]
    assert Entry(target.entry.key, "tflite").verdict()["ok"] is False  # remembered: never rebuilt
    monkeypatch.setattr(Entry, "build", lambda *a: pytest.fail("a refused model must not be rebuilt"))
    with caplog.at_level(logging.WARNING, logger="core.runtime.forward"):
        again = _forward(right)
        again(x)
    assert again.runtime == "keras"
    assert len([r for r in caplog.records if "is not used" in r.getMessage()]) == 1  # said once


def test_a_perturbed_output_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.runtime.convert as convert

    real = convert.load_runner

    def perturbed(*args: object, **kwargs: object) -> tuple[str, object]:
        name, run = real(*args, **kwargs)
        return name, lambda x: run(x) + np.float32(2e-4)  # the top class stays; the probabilities drift

    monkeypatch.setattr(convert, "load_runner", perturbed)
    model = _dense(3)
    x = np.random.default_rng(1).integers(0, 255, (8, 8, 8, 3)).astype(np.float32)
    forward = _forward(model)
    forward(x)
    assert forward.runtime == "keras"
    assert "probabilities differ" in forward.entry.verdict()["reason"]


def test_the_cache_follows_the_weights_and_not_the_layer_names(bundle: Path) -> None:
    from core.bundles.bundle import load_bundle
    from core.runtime.store import model_key

    first, second = load_bundle(bundle).model, load_bundle(bundle).model
    assert model_key(first, "tflite") == model_key(second, "tflite")
    x = np.random.default_rng(2).integers(0, 255, (4, 64, 64, 3)).astype(np.float32)
    fast = _forward(first)
    before = fast(x)
    assert fast.runtime.startswith("ai-edge-litert")
    kernel = second.weights[-2]  # the head's kernel: a retrained bundle
    kernel.assign(kernel.numpy() * 1.5)
    changed = _forward(second, rows=None)
    assert changed.entry.key != fast.entry.key and changed.runtime == "keras"  # not the old model
    after = changed(x)
    np.testing.assert_allclose(after, np.asarray(second(x)), atol=1e-5)
    assert np.abs(after - before).max() > 1e-3  # the change shows: the old converted model would hide it
    a, b = _dense(4), _dense(4)  # the same weights, other layer names
    assert [layer.name for layer in a.layers] != [layer.name for layer in b.layers]
    assert model_key(a, "tflite") == model_key(b, "tflite")


def test_the_feature_pass_and_embeddings_run_converted(monkeypatch: pytest.MonkeyPatch, tiny_weights_file: Path) -> None:
    import core.runtime.forward as forward
    from core.training.feature_cache import FeatureCache
    from core.training.features import embedding_model, extract_features, inference_function, run_batched
    from core.training.model import build_model

    monkeypatch.setattr(forward, "MIN_ROWS_TO_BUILD", 1)
    made: list[forward.Forward] = []
    real = forward.fastest_forward
    monkeypatch.setattr(forward, "fastest_forward", lambda *a, **k: made.append(real(*a, **k)) or made[-1])
    images = np.random.default_rng(3).integers(0, 255, (12, 64, 64, 3)).astype(np.uint8)
    model = build_model("mobilenet_v2_035", 3, str(tiny_weights_file), 64)
    cache = FeatureCache(model, images[:8], images[8:], memory_budget=1 << 30)
    position = cache.splitter.n_layers
    activations = cache.get(position)
    segment = cache.splitter.segment(0, position)
    expected = run_batched(segment, images[:8], forward=inference_function(segment))
    assert np.abs(activations.train - expected).max() < 1e-3 * np.abs(expected).max()
    embedding = embedding_model("mobilenet_v2_035", str(tiny_weights_file), 64)
    embedded = extract_features(embedding, images)
    keras_embedded = run_batched(embedding, images, forward=inference_function(embedding))
    assert np.abs(embedded - keras_embedded).max() < 1e-3 * np.abs(keras_embedded).max()
    assert len(made) == 2 and all(f.runtime.startswith("ai-edge-litert") for f in made)
    assert made[0].entry.key == made[1].entry.key  # the whole backbone pooled: one conversion serves both


def test_runtime_keras_really_uses_keras(bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.runtime.convert as convert
    import core.runtime.forward as forward

    monkeypatch.setattr(forward, "MIN_ROWS_TO_BUILD", 1)  # auto would convert even these few images
    loaded: list[str] = []
    real = convert.load_runner
    monkeypatch.setattr(convert, "load_runner", lambda *a, **k: (loaded.append(str(a[1])), real(*a, **k))[1])
    images = write_color_dataset(tmp_path / "images", per_class=2)
    args = ["predict", str(bundle), str(images), "--json"]
    assert main([*args, "--runtime", "keras"], out=io.StringIO()) == 0
    assert loaded == [] and not (tmp_path / "cache" / "runtime").exists()  # not even converted
    out = io.StringIO()
    assert main(args, out=out) == 0  # the same command without the flag does convert: the test can fail
    assert len(loaded) == 1 and loaded[0].endswith("model.tflite")
    assert json.loads(out.getvalue())


def test_a_background_build_switches_after_keras_answered() -> None:
    import core.runtime.forward as forward

    forward.allow_background_builds(True)  # own_cache resets it after the test
    model = _dense(5)
    x = np.random.default_rng(4).integers(0, 255, (4, 8, 8, 3)).astype(np.float32)
    fast = _forward(model, rows=None)
    first = fast(x)  # answered at once, in Keras, while the thread converts
    assert fast.runtime == "keras" and fast._waiting is not None
    fast._waiting.join(120)
    second = fast(x)
    assert fast.runtime.startswith("ai-edge-litert")
    np.testing.assert_allclose(first, second, atol=1e-4)


def test_the_setting_is_read_in_one_place(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from core.runtime.forward import preferred_format
    from core.runtime.setting import chosen_runtime, runtime_setting

    with runtime_setting("keras"):
        assert chosen_runtime() == "keras" and preferred_format() is None
    assert chosen_runtime() == "auto" and preferred_format() == "tflite"  # restored after the command
    monkeypatch.setenv("FTS_RUNTIME", "tpu")
    with caplog.at_level(logging.WARNING, logger="core.runtime.setting"):
        assert chosen_runtime() == "auto" and chosen_runtime() == "auto"
    assert len([r for r in caplog.records if "FTS_RUNTIME" in r.getMessage()]) == 1
    with pytest.raises(SystemExit) as stopped:  # a wrong --runtime is one line before any work
        main(["predict", "--backbone", "mobilenet_v2", "x.png", "--runtime", "tpu"], out=io.StringIO())
    assert stopped.value.code == 2


def test_onnxruntime_where_litert_is_not_wanted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second choice of auto (no LiteRT wheel) is onnxruntime, checked the same way."""
    monkeypatch.setenv("FTS_RUNTIME", "onnx")
    model = _dense(6)
    x = np.random.default_rng(5).integers(0, 255, (8, 8, 8, 3)).astype(np.float32)
    fast = _forward(model)
    answers = fast(x)
    assert fast.runtime.startswith("onnxruntime") and fast.entry.model_path.name == "model.onnx"
    np.testing.assert_allclose(answers, np.asarray(model(x)), atol=1e-5)
