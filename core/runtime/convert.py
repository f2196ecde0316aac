"""Write a Keras model as SavedModel, TFLite (float32 or full-integer int8) or ONNX, and load a written
model in its own runtime. Shared by the verified exports (core/bundles/export*.py) and by the fast
runtime of the forward passes that do not train (core/runtime/forward.py).

All formats go through one traced function, ``input -> {output: model(input)}`` with a free batch
dimension, so the input and output names are the same everywhere and the model's preprocessing stays
inside.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

ONNX_OPSET = 17  # opset of ONNX 1.12 (2022): loaded by the onnxruntime releases of recent years

Runner = Callable[[np.ndarray], np.ndarray]


def serving_function(model: Any, output: str = "probabilities", input_name: str = "pixels") -> tuple[Any, Any]:
    """(``x -> {output: model(x)}``, its input signature with a free batch dimension)."""
    import tensorflow as tf

    spec = tf.TensorSpec([None, *model.input_shape[1:]], tf.float32, name=input_name)
    return (lambda x: {output: model(x, training=False)}), spec


def write_model(model: Any, fmt: str, path: Path, work: Path, calibration: np.ndarray | None = None,
                output: str = "probabilities") -> Path:
    """Write ``model`` as ``fmt`` at ``path`` (scratch files in ``work``); returns ``path``."""
    import tensorflow as tf

    fn, spec = serving_function(model, output)
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


def load_runner(fmt: str, model_path: Path, threads: int | None = None, per_row: bool = False) -> tuple[str, Runner]:
    """(runtime name, outputs for a batch of inputs) using the format's own runtime. ``threads``:
    the interpreter's / session's threads (None: the runtime's default); ``per_row``: LiteRT invokes
    one row at a time (on 2 cores XNNPACK ran Lite0 at 38 images/s per row, 27 in batches of 32),
    and with ``threads`` > 1 on as many interpreters of one thread each, the rows split between them
    (:func:`_rows_in_parallel`)."""
    if fmt == "savedmodel":
        import tensorflow as tf

        serve = tf.saved_model.load(str(model_path)).signatures["serving_default"]
        return f"tensorflow {tf.__version__} (tf.saved_model.load)", \
            lambda x: next(iter(serve(pixels=tf.constant(x, tf.float32)).values())).numpy()
    if fmt in ("tflite", "tflite-int8"):
        dtype = np.uint8 if fmt == "tflite-int8" else np.float32
        if per_row and threads and threads > 1:
            return _rows_in_parallel([_tflite(model_path, dtype, 1, per_row=True) for _ in range(threads)])
        return _tflite(model_path, dtype, threads, per_row)
    if fmt == "onnx":
        import onnxruntime as ort

        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        return f"onnxruntime {ort.__version__}", lambda x: session.run(None, {name: x.astype(np.float32)})[0]
    raise ValueError(f"Unknown export format '{fmt}'.")


def litert_interpreter() -> tuple[Any, str]:
    """(Interpreter class, runtime name): LiteRT's (the runtime that replaces tf.lite), TensorFlow's
    where the LiteRT wheel is missing."""
    try:
        from ai_edge_litert.interpreter import Interpreter
        import ai_edge_litert

        return Interpreter, f"ai-edge-litert {getattr(ai_edge_litert, '__version__', '')}".strip()
    except ImportError:  # no LiteRT wheel for this platform
        import tensorflow as tf

        return tf.lite.Interpreter, f"tensorflow {tf.__version__} (tf.lite.Interpreter)"


def _tflite(model_path: Path, dtype: type, threads: int | None, per_row: bool = False) -> tuple[str, Runner]:
    """LiteRT's interpreter; XNNPACK is its default CPU delegate for float models."""
    from core.logs import quiet_native_stderr

    Interpreter, name = litert_interpreter()
    with quiet_native_stderr():  # "INFO: Created TensorFlow Lite XNNPACK delegate for CPU."
        interpreter = Interpreter(model_path=str(model_path), num_threads=threads or os.cpu_count() or 1)
    source, target = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    scale, zero = source["quantization"]
    if dtype is np.uint8 and (abs(scale - 1.0) > 1e-6 or zero != 0):
        raise RuntimeError(f"The int8 model's input is not plain 0-255 pixels (scale {scale}, zero point {zero}).")
    shape: list[int] = []

    def run(x: np.ndarray) -> np.ndarray:
        if list(x.shape) != shape:  # one resize per batch size, not per call
            interpreter.resize_tensor_input(source["index"], list(x.shape))
            with quiet_native_stderr():  # the delegate is created here
                interpreter.allocate_tensors()
            shape[:] = list(x.shape)
        interpreter.set_tensor(source["index"], np.ascontiguousarray(x, dtype))
        interpreter.invoke()
        return np.array(interpreter.get_tensor(target["index"]), np.float32)

    if per_row:
        return name, lambda x: np.concatenate([run(x[i:i + 1]) for i in range(len(x))]) if len(x) else run(x)
    return name, run


def _rows_in_parallel(runners: list[tuple[str, Runner]]) -> tuple[str, Runner]:
    """One batch split into contiguous parts, each run on its own single-threaded interpreter on its
    own thread (the interpreter releases the GIL while it invokes). Why not one interpreter with
    several threads: XNNPACK's threads meet after every layer, so when another program takes one of
    the 2 cores, every layer waits for the thread that lost its core (benchmarks/README.md, runtime)."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(len(runners), thread_name_prefix="litert-rows")
    name = f"{runners[0][0]}, {len(runners)} interpreters"

    def run(x: np.ndarray) -> np.ndarray:
        if len(x) < 2:
            return runners[0][1](x)
        parts = [part for part in np.array_split(np.arange(len(x)), len(runners)) if len(part)]
        futures = [pool.submit(runner, x[part[0]:part[-1] + 1]) for (_, runner), part in zip(runners, parts)]
        return np.concatenate([future.result() for future in futures])

    return name, run
