"""Run an export with its own runtime and compare it with the app's answers.

Why a separate check: the exports that peers hand out fail in the user's hands (Teachable
Machine's most reported breakage is an export that loads differently or answers differently).
Each export is therefore loaded the way its consumer will load it (TensorFlow's SavedModel loader,
the LiteRT/TFLite interpreter, onnxruntime), given the same decoded pixels as the app, and its
top-1 answers and probabilities are compared with :class:`core.bundles.predict.Predictor`'s.
Nothing here imports project code on the runtime side, exactly like the README's clients.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

BATCH = 32


@dataclass(frozen=True)
class Comparison:
    """How an export's answers compare with the app's on the same images."""
    images: int
    agreement: float  # share of images with the same top-1 class
    max_abs_diff: float  # largest |probability difference| over all images and classes
    disagreeing: list[str]  # the images whose top-1 differs (names, for the message)
    accuracy_app: float | None  # on images whose true class is known (folder name), else None
    accuracy_export: float | None


def runtime_for(fmt: str, model_path: Path) -> tuple[str, Callable[[np.ndarray], np.ndarray]]:
    """(runtime name, probabilities for a batch of raw pixels) using the format's own runtime."""
    if fmt == "savedmodel":
        import tensorflow as tf

        serve = tf.saved_model.load(str(model_path)).signatures["serving_default"]
        return f"tensorflow {tf.__version__} (tf.saved_model.load)", \
            lambda x: serve(pixels=tf.constant(x, tf.float32))["probabilities"].numpy()
    if fmt in ("tflite", "tflite-int8"):
        return _tflite(model_path, np.uint8 if fmt == "tflite-int8" else np.float32)
    if fmt == "onnx":
        import onnxruntime as ort

        session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        return f"onnxruntime {ort.__version__}", lambda x: session.run(None, {name: x.astype(np.float32)})[0]
    raise ValueError(f"Unknown export format '{fmt}'.")


def _tflite(model_path: Path, dtype: type) -> tuple[str, Callable[[np.ndarray], np.ndarray]]:
    """LiteRT's interpreter (the runtime that replaces tf.lite), TensorFlow's where LiteRT is missing."""
    try:
        from ai_edge_litert.interpreter import Interpreter
        import ai_edge_litert

        name = f"ai-edge-litert {getattr(ai_edge_litert, '__version__', '')}".strip()
    except ImportError:  # no LiteRT wheel for this platform
        import tensorflow as tf

        Interpreter, name = tf.lite.Interpreter, f"tensorflow {tf.__version__} (tf.lite.Interpreter)"
    interpreter = Interpreter(model_path=str(model_path))
    source, target = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    scale, zero = source["quantization"]
    if dtype is np.uint8 and (abs(scale - 1.0) > 1e-6 or zero != 0):
        raise RuntimeError(f"The int8 model's input is not plain 0-255 pixels (scale {scale}, zero point {zero}).")
    shape: list[int] = []

    def run(x: np.ndarray) -> np.ndarray:
        if list(x.shape) != shape:  # one resize per batch size, not per call
            interpreter.resize_tensor_input(source["index"], list(x.shape))
            interpreter.allocate_tensors()
            shape[:] = list(x.shape)
        interpreter.set_tensor(source["index"], x.astype(dtype))
        interpreter.invoke()
        return np.array(interpreter.get_tensor(target["index"]), np.float32)

    return name, run


def in_batches(run: Callable[[np.ndarray], np.ndarray], pixels: np.ndarray) -> np.ndarray:
    return np.concatenate([run(pixels[i:i + BATCH]) for i in range(0, len(pixels), BATCH)])


def compare(app: np.ndarray, exported: np.ndarray, names: Sequence[str],
            truth: Sequence[int | None]) -> Comparison:
    """Top-1 agreement and the largest probability difference; accuracies where the truth is known."""
    ours, theirs = app.argmax(axis=1), exported.argmax(axis=1)
    same = ours == theirs
    known = [i for i, label in enumerate(truth) if label is not None]
    accuracy = (lambda top: float(np.mean([top[i] == truth[i] for i in known]))) if known else (lambda top: None)
    return Comparison(len(names), float(same.mean()), float(np.abs(app - exported).max()),
                      [names[i] for i in np.flatnonzero(~same)], accuracy(ours), accuracy(theirs))
