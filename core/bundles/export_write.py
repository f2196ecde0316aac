"""The conversions behind :mod:`core.bundles.export`, and the images they are checked with.

All formats go through one traced function, ``pixels -> {"probabilities": model(pixels)}``, so the
input and output names are the same everywhere and the model's preprocessing stays inside.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import numpy as np

from core.data.scan import IMAGE_EXTENSIONS, load_image

MAX_CHECK_IMAGES = 2000  # the check is exact per image; beyond this it only costs time
ONNX_OPSET = 17  # opset of ONNX 1.12 (2022): loaded by the onnxruntime releases of recent years


def check_images(bundle: Any, check_dir: str | Path | None) -> tuple[list[str], np.ndarray, list[int | None], str]:
    """(names, uint8 pixels, true class index or None, where they came from): ``check_dir`` if
    given, else the bundle's validation images (config.json's split), else its training images."""
    if check_dir is not None:
        files, source = _listed(Path(check_dir).expanduser()), f"--check-dir {check_dir}"
    else:
        split = bundle.config.get("split") or {}
        files = [Path(p) for p in split.get("val") or [] if Path(p).is_file()]
        source = "the bundle's validation images"
        if not files:
            files = [Path(p) for p in split.get("train") or [] if Path(p).is_file()]
            source = "the bundle's training images"
    names, pixels, truth = [], [], []
    for path in files[:MAX_CHECK_IMAGES]:
        try:
            pixels.append(load_image(path, bundle.image_size))
        except Exception:  # an unreadable image cannot be compared; the others still are
            continue
        names.append(str(path))
        truth.append(bundle.class_names.index(path.parent.name) if path.parent.name in bundle.class_names else None)
    if not names:
        raise FileNotFoundError(f"No images to check the export with ({source} has none that can be read); "
                                "give a folder of images with --check-dir.")
    return names, np.stack(pixels), truth, source


def _listed(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"The folder '{folder}' does not exist or is not a folder.")
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())


def representative_images(bundle: Any, check_dir: str | Path | None) -> np.ndarray:
    """Calibration pixels for full-integer quantization: the training images (what the model will
    see), else the check images."""
    files = [Path(p) for p in (bundle.config.get("split") or {}).get("train") or [] if Path(p).is_file()]
    if not files and check_dir is not None:
        files = _listed(Path(check_dir).expanduser())
    step = max(1, len(files) // 100)
    pixels = []
    for path in files[::step][:100]:
        try:
            pixels.append(load_image(path, bundle.image_size))
        except Exception:
            continue
    if not pixels:
        raise FileNotFoundError("No training images left to calibrate the int8 model with; give --check-dir.")
    return np.stack(pixels)


def _serving(model: Any) -> tuple[Any, Any]:
    import tensorflow as tf

    size = int(model.input_shape[1])
    spec = tf.TensorSpec([None, size, size, 3], tf.float32, name="pixels")
    return (lambda pixels: {"probabilities": model(pixels, training=False)}), spec


def write_model(model: Any, fmt: str, path: Path, work: Path, calibration: np.ndarray | None = None) -> Path:
    """Write ``model`` as ``fmt`` at ``path`` (scratch files in ``work``); returns ``path``."""
    import tensorflow as tf

    fn, spec = _serving(model)
    if fmt == "onnx":
        import tf2onnx

        tf2onnx.convert.from_function(tf.function(fn), input_signature=[spec], opset=ONNX_OPSET,
                                      output_path=str(path))
        return path
    saved = path if fmt == "savedmodel" else work / "saved_model"
    import keras

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(name="serving_default", fn=fn, input_signature=[spec])
    archive.write_out(str(saved), verbose=False)
    if fmt == "savedmodel":
        return path
    converter = tf.lite.TFLiteConverter.from_saved_model(str(saved))
    if fmt == "tflite-int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: _calibration(calibration)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8  # raw pixels, scale 1 (see _calibration)
        converter.inference_output_type = tf.float32  # probabilities, as the other formats
    path.write_bytes(converter.convert())
    return path


def _calibration(pixels: np.ndarray | None) -> Iterator[list[np.ndarray]]:
    """One image at a time; the first is given one black and one white value so that the input's
    range is exactly 0-255 (scale 1, zero point 0): a client then feeds raw uint8 pixels as they are."""
    assert pixels is not None
    for index, image in enumerate(pixels):
        sample = image[None].astype(np.float32)
        if index == 0:
            sample[0, 0, 0, 0], sample[0, 0, 0, 1] = 0.0, 255.0
        yield [sample]
