"""Converted models on disk, keyed by what they were made from, built once, with their verdict.

Layout under the cache folder (core/paths.py; safe to delete at any time)::

    runtime/<key>/model.tflite | model.onnx    the converted model, written atomically
    runtime/<key>/verdict.json                 {"ok": true|false, ...}: its check against Keras
    runtime/<key>.lock                         held (flock) while it is built: never built twice at once

The key is a hash of the model's structure *without layer names* (Keras numbers them per process:
``functional_3``), its input and output shapes, every weight's bytes, the format and the library
versions. So the frozen prefix of an ImageNet backbone cut at one freeze point has the same key in
every run, and a bundle retrained, other weights or another cut get a new one. A failed conversion
or check is remembered in the verdict, so it is not rebuilt every time.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from core.files import write_file_atomic
from core.paths import user_cache_dir

SCHEMA = 1  # bump when the conversion changes in a way the versions below do not show
MODEL_FILES = {"tflite": "model.tflite", "onnx": "model.onnx"}
VERDICT = "verdict.json"


def library_versions(fmt: str) -> str:
    import tensorflow as tf
    import keras

    parts = [f"schema {SCHEMA}", f"tensorflow {tf.__version__}", f"keras {keras.__version__}"]
    if fmt == "tflite":
        from core.runtime.convert import litert_interpreter

        parts.append(litert_interpreter()[1])
    else:
        import onnxruntime
        import tf2onnx

        parts += [f"onnxruntime {onnxruntime.__version__}", f"tf2onnx {tf2onnx.__version__}"]
    return ", ".join(parts)


def _structure(model: Any) -> str:
    """The layers' classes and settings in order, names and trainable flags left out (they change
    between processes and runs without changing what the model computes)."""
    import keras

    parts: list[Any] = [list(model.input_shape), list(model.output_shape)]
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, keras.Model):
            parts.append(type(layer).__name__)
            continue
        try:
            config = layer.get_config()
        except Exception:  # a layer without a config: its class and weights still tell it apart
            config = {}
        parts.append([type(layer).__name__, {k: v for k, v in config.items() if k not in ("name", "trainable")}])
    return json.dumps(parts, sort_keys=True, default=str)


def model_key(model: Any, fmt: str) -> str:
    """What the converted model is made from, as 32 hex digits (see the module docstring)."""
    digest = hashlib.sha256()
    digest.update(f"{fmt}\n{library_versions(fmt)}\n{_structure(model)}\n".encode())
    for variable in model.weights:
        value = np.ascontiguousarray(variable.numpy())
        digest.update(f"{value.dtype}{value.shape}".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()[:32]


class Entry:
    """One converted model's folder in the cache."""

    def __init__(self, key: str, fmt: str, root: Path | None = None) -> None:
        self.key, self.fmt = key, fmt
        self.root = root or user_cache_dir() / "runtime"
        self.folder = self.root / key
        self.model_path = self.folder / MODEL_FILES[fmt]

    def verdict(self) -> dict[str, Any] | None:
        """The recorded check ({"ok": ...}), or None when the model was never checked."""
        try:
            verdict = json.loads((self.folder / VERDICT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return verdict if isinstance(verdict, dict) and "ok" in verdict else None

    def record(self, ok: bool, **details: Any) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_file_atomic(self.folder / VERDICT, json.dumps({"ok": ok, **details}, indent=1, default=str))

    @contextlib.contextmanager
    def build_lock(self) -> Iterator[None]:
        """Exclusive across processes (flock; released by the kernel if the holder dies)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / f"{self.key}.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def build(self, model: Any, output: str) -> Path:
        """Convert ``model`` into the cache unless it is there already (built by another process
        while this one waited for the lock); a conversion that fails is recorded and re-raised."""
        from core.runtime.convert import write_model

        with self.build_lock():
            verdict = self.verdict()
            if self.model_path.is_file() or (verdict is not None and not verdict.get("ok")):
                return self.model_path
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / VERDICT).unlink(missing_ok=True)  # a verdict on a model file since deleted
            try:
                with tempfile.TemporaryDirectory(prefix=".build-", dir=self.root) as work:
                    scratch = write_model(model, self.fmt, Path(work) / self.model_path.name, Path(work),
                                          output=output)
                    write_file_atomic(self.model_path, scratch.read_bytes())
            except Exception as error:
                self.record(False, reason=f"conversion failed: {type(error).__name__}: {error}"[:500])
                raise
            return self.model_path
