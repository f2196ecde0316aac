"""Each export format round-trips through its own runtime and gives the app's answers."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from tests.conftest import write_color_dataset


@pytest.fixture
def bundle(tiny_bundle: Path) -> Path:
    """The session's tiny real bundle (tests/core/conftest.py)."""
    return tiny_bundle


def _export(bundle: Path, fmt: str, out: Path, *extra: str) -> dict:
    stdout = io.StringIO()
    assert main(["export", str(bundle), "--format", fmt, "--out", str(out), "--json", *extra], out=stdout) == 0
    return json.loads(stdout.getvalue())


def _app(bundle: Path, pixels: np.ndarray) -> np.ndarray:
    from core.bundles.predict import Predictor

    return Predictor.from_bundle(bundle).probabilities(pixels)


def _val_pixels(bundle: Path) -> np.ndarray:
    from core.data.scan import load_image

    split = json.loads((bundle / "config.json").read_text())["split"]
    return np.stack([load_image(p, 64) for p in split["val"]])


@pytest.mark.parametrize("fmt", ["savedmodel", "tflite"])
def test_float_export_runs_in_its_runtime_and_agrees(bundle: Path, fmt: str, tmp_path: Path) -> None:
    summary = _export(bundle, fmt, tmp_path / "out")
    assert set(summary) == {"format", "path", "agreement", "max_abs_diff", "images"}
    assert summary["format"] == fmt and summary["agreement"] == 1.0 and summary["max_abs_diff"] < 1e-4
    assert summary["images"] == len(json.loads((bundle / "config.json").read_text())["split"]["val"])
    report = json.loads((tmp_path / "out" / "export.json").read_text())
    assert report["agreement"] == 1.0 and report["path"] == summary["path"]
    assert json.loads((tmp_path / "out" / "labels.json").read_text()) == ["blue", "green", "red"]
    from core.bundles.export_record import read_exports  # the bundle's own list, for the report

    assert read_exports(bundle)[-1]["path"] == summary["path"]

    pixels = _val_pixels(bundle).astype(np.float32)  # a client's view: the runtime only, raw pixels
    if fmt == "savedmodel":
        import tensorflow as tf

        serve = tf.saved_model.load(summary["path"]).signatures["serving_default"]
        probs = serve(pixels=tf.constant(pixels))["probabilities"].numpy()
    else:
        from ai_edge_litert.interpreter import Interpreter

        interpreter = Interpreter(model_path=summary["path"])
        source = interpreter.get_input_details()[0]
        interpreter.resize_tensor_input(source["index"], list(pixels.shape))
        interpreter.allocate_tensors()
        interpreter.set_tensor(source["index"], pixels)
        interpreter.invoke()
        probs = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(probs, _app(bundle, pixels), atol=1e-4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-4)

    again = _export(bundle, fmt, tmp_path / "out")  # an earlier export of ours may be replaced
    assert again["agreement"] == 1.0


def test_int8_export_takes_uint8_pixels_and_reports_the_drop(bundle: Path, tmp_path: Path) -> None:
    from ai_edge_litert.interpreter import Interpreter

    summary = _export(bundle, "tflite-int8", tmp_path / "int8")
    report = json.loads((tmp_path / "int8" / "export.json").read_text())
    assert 0.0 <= summary["agreement"] <= 1.0 and report["accuracy_drop_points"] is not None
    interpreter = Interpreter(model_path=summary["path"])
    source = interpreter.get_input_details()[0]
    assert source["dtype"] == np.uint8 and source["quantization"] == (1.0, 0)
    pixels = _val_pixels(bundle)
    interpreter.resize_tensor_input(source["index"], list(pixels.shape))
    interpreter.allocate_tensors()
    interpreter.set_tensor(source["index"], pixels)
    interpreter.invoke()
    probs = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    assert np.abs(probs - _app(bundle, pixels)).max() == pytest.approx(summary["max_abs_diff"], abs=1e-6)


def test_onnx_export_runs_in_onnxruntime_on_check_dir(bundle: Path, tmp_path: Path) -> None:
    import onnxruntime as ort

    check = write_color_dataset(tmp_path / "check", per_class=3, size=50, seed=7)
    summary = _export(bundle, "onnx", tmp_path / "onnx", "--check-dir", str(check))
    assert summary["images"] == 9 and summary["agreement"] == 1.0 and summary["max_abs_diff"] < 1e-4
    session = ort.InferenceSession(summary["path"], providers=["CPUExecutionProvider"])
    pixels = _val_pixels(bundle).astype(np.float32)
    probs = session.run(None, {session.get_inputs()[0].name: pixels})[0]
    np.testing.assert_allclose(probs, _app(bundle, pixels), atol=1e-4)


def test_image_folder_as_out_is_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    images = write_color_dataset(tmp_path / "photos", per_class=2)
    before = sorted(p.relative_to(images) for p in images.rglob("*"))
    code = main(["export", str(tmp_path / "no-bundle-needed"), "--format", "onnx", "--out", str(images)])
    assert code == 2
    assert "is not an earlier export" in capsys.readouterr().err
    assert sorted(p.relative_to(images) for p in images.rglob("*")) == before


def test_float_export_that_answers_differently_is_refused_and_not_written(
        bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from core.bundles import export_check

    real = export_check.runtime_for

    def swapped_classes(fmt: str, path: Path):  # a runtime whose answers come back in another order
        name, run = real(fmt, path)
        return name, lambda x: run(x)[:, ::-1]

    monkeypatch.setattr(export_check, "runtime_for", swapped_classes)
    code = main(["export", str(bundle), "--format", "savedmodel", "--out", str(tmp_path / "bad")])
    assert code == 1
    assert "answers differently from the app" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists() and [p.name for p in tmp_path.iterdir()] == []


def test_int8_calibration_spans_0_to_255_so_clients_feed_raw_pixels() -> None:
    """Dark training images alone would give the uint8 input a scale other than 1 (raw pixels
    would then be wrong); the calibration pins the range to exactly 0-255."""
    from core.runtime.convert import _calibration

    dark = np.full((3, 8, 8, 3), 40, np.uint8)
    samples = [batch[0] for batch in _calibration(dark)]
    assert len(samples) == 3 and samples[0].dtype == np.float32
    assert samples[0].min() == 0.0 and samples[0].max() == 255.0
