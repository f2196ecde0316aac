"""The forward pass of a model that does not train, on the fastest runtime verified for it.

:func:`fastest_forward` gives a callable ``batch -> outputs`` (what core.training.features.run_batched
takes as ``forward``) that runs the model converted for LiteRT (XNNPACK, one thread per core) where
its wheel exists, else for onnxruntime, else Keras' traced function. A converted model is used only
after it was **checked** against Keras on the first rows it is given (same top class and a largest
difference under 1e-4 on probabilities; under a relative 1e-3 on features); the verdict is kept
beside it in the cache (core/runtime/store.py), so a model that failed is never used nor rebuilt,
and the fallback is said once in the log.

When it is built: a job that will run at least ``MIN_ROWS_TO_BUILD`` rows builds it first (the
conversion pays for itself within the job); a long-lived process (the engine, after
:func:`allow_background_builds`) builds it on a thread while the caller goes on in Keras and switches
at the next batch once it is ready; anything else uses a converted model only when one is cached.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import threading
from typing import Any, Callable

import numpy as np

from core.runtime.aliases import fingerprint, recall, remember
from core.runtime.setting import chosen_runtime
from core.runtime.store import Entry, model_key

Source = tuple[str, str]  # the hash of the files a model is made from, and how (core/runtime/aliases.py)

PROBABILITY_TOLERANCE = 1e-4  # largest |difference| of a probability
FEATURE_TOLERANCE = 1e-3  # largest |difference| of a feature, relative to the largest |feature|
CHECK_ROWS = 8
MIN_ROWS_TO_BUILD = 300  # Lite0 converts in ~10 s on 2 cores; LiteRT then saves ~25 ms per image

log = logging.getLogger(__name__)
_background = False
_builds: dict[str, threading.Thread] = {}
_builds_lock = threading.Lock()
_said: set[str] = set()


def allow_background_builds(allowed: bool = True) -> None:
    """Let converted models be built on a thread (a long-lived process: the engine). A short CLI
    process never starts one: it would end before the model is ready, or wait for it at exit."""
    global _background
    _background = allowed


def preferred_format(choice: str | None = None) -> str | None:
    """"tflite" (LiteRT), "onnx" (onnxruntime) or None (Keras) for the setting ``choice``."""
    choice = choice or chosen_runtime()
    order = {"auto": ("tflite", "onnx"), "litert": ("tflite",), "onnx": ("onnx",)}.get(choice, ())
    needs = {"tflite": ("ai_edge_litert",), "onnx": ("onnxruntime", "tf2onnx")}
    for fmt in order:
        if all(importlib.util.find_spec(name) is not None for name in needs[fmt]):
            return fmt
    return None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _say_once(key: str, message: str, level: int = logging.WARNING) -> None:
    if key not in _said:
        _said.add(key)
        log.log(level, message)


def fastest_forward(model: Any, keras_forward: Callable[[Any], Any], *, classes: int = 0, rows: int | None = None,
                    label: str = "model", source: Source | None = None,
                    facts: dict[str, Any] | None = None) -> "Forward":
    """``model``'s forward pass on the fastest verified runtime (see the module docstring).

    ``classes``: how many leading output columns are class probabilities (the rest are features);
    ``rows``: how many rows the caller expects to run (None: unknown, maybe few); ``source``: the
    files ``model`` was loaded from, remembered with ``facts`` so a later job can find its converted
    model without loading Keras (:func:`verified_forward`).
    """
    choice = chosen_runtime()
    if choice == "keras":
        return Forward(keras_forward, label=label)
    fmt = preferred_format(choice)
    if fmt is None:
        _say_once(f"none:{choice}", f"No LiteRT or onnxruntime here for the runtime setting '{choice}'; "
                                    "forward passes run in Keras.")
        return Forward(keras_forward, label=label)
    try:
        entry = Entry(model_key(model, fmt), fmt)
    except Exception as error:  # a model whose weights cannot be read back: Keras, said once
        _say_once(f"key:{label}", f"{label}: runs in Keras ({type(error).__name__}: {error}).")
        return Forward(keras_forward, label=label)
    if source is not None:
        remember(fingerprint(*source, fmt=fmt), entry.key, fmt, **(facts or {}))
    forward = Forward(keras_forward, entry, classes, label)
    forward.prepare(model, rows)
    return forward


def verified_forward(source: Source, keras_forward: Callable[[Any], Any], *, classes: int = 0,
                     label: str = "model") -> tuple["Forward", dict[str, Any]] | None:
    """The converted model made from ``source``'s files, already checked against Keras, and the facts
    remembered with it; None when there is none (not converted yet, failed its check, the runtime
    setting is Keras, the files changed): then load the Keras model and call :func:`fastest_forward`.
    ``keras_forward`` runs only if the converted model no longer loads (it may load Keras lazily)."""
    fmt = preferred_format()
    if chosen_runtime() == "keras" or fmt is None:
        return None
    noted = recall(fingerprint(*source, fmt=fmt), fmt)
    if noted is None:
        return None
    entry = Entry(noted["key"], fmt)
    verdict = entry.verdict()
    if not (verdict is not None and verdict.get("ok") and entry.model_path.is_file()):
        return None
    forward = Forward(keras_forward, entry, classes, label)
    return (forward, noted) if forward._load(checked=True) else None


class Forward:
    """A callable ``batch -> np.ndarray``; ``runtime`` names what runs it now ("keras" until a
    converted model has passed its check)."""

    def __init__(self, keras_forward: Callable[[Any], Any], entry: Entry | None = None, classes: int = 0,
                 label: str = "model") -> None:
        self.keras, self.entry, self.classes, self.label = keras_forward, entry, classes, label
        self.runner: Callable[[np.ndarray], np.ndarray] | None = None
        self.runtime = "keras"
        self._waiting: threading.Thread | None = None  # a build on a thread
        self._unchecked = False  # a converted model is on disk and must pass its check first
        self._closed = entry is None  # Keras for good
        self._lock = threading.Lock()  # an interpreter runs one batch at a time (the engine's jobs share models)

    def prepare(self, model: Any, rows: int | None) -> None:
        """Use the cached model, or build it now / on a thread / not at all (module docstring)."""
        entry = self.entry
        assert entry is not None
        verdict = entry.verdict()
        if verdict is not None and not verdict.get("ok"):
            return self._fall_back(str(verdict.get("reason", "it failed before")))
        if entry.model_path.is_file():
            if verdict is not None:
                return self._load(checked=True)
            self._unchecked = True
        elif rows is not None and rows >= MIN_ROWS_TO_BUILD:
            try:
                entry.build(model, "outputs")
            except Exception as error:
                return self._fall_back(f"the conversion failed: {type(error).__name__}: {error}")
            self._unchecked = True
        elif _background:
            self._waiting = _build_on_thread(entry, model)
        else:
            self._closed = True

    def __call__(self, batch: Any) -> np.ndarray:
        with self._lock:
            return self._run(batch)

    def _run(self, batch: Any) -> np.ndarray:
        if not self._closed and self.runner is None:
            if self._waiting is not None and not self._waiting.is_alive():
                self._waiting = None
                verdict = self.entry.verdict() if self.entry else None
                if verdict is not None and not verdict.get("ok"):
                    self._fall_back(str(verdict.get("reason")))
                else:
                    self._unchecked = self.entry is not None and self.entry.model_path.is_file()
            if self._unchecked:
                self._unchecked = False
                self._check(np.asarray(batch, np.float32))
        if self.runner is not None:
            return self.runner(np.asarray(batch, np.float32))
        return np.asarray(self.keras(batch))

    def _load(self, checked: bool) -> bool:
        from core.runtime.convert import load_runner

        assert self.entry is not None
        try:
            self.runtime, self.runner = load_runner(self.entry.fmt, self.entry.model_path, cores(), per_row=True)
        except Exception as error:
            self.runner, self.runtime = None, "keras"
            self.entry.record(False, reason=f"it does not load: {type(error).__name__}: {error}"[:500])
            self._fall_back(f"it does not load: {type(error).__name__}: {error}")
            return False
        if checked:
            self._closed = True
            _say_once(f"use:{self.entry.key}", f"{self.label}: running on {self.runtime}.", logging.INFO)
        return True

    def _check(self, batch: np.ndarray) -> None:
        """Compare the converted model with Keras on the first rows; use it only if it agrees."""
        assert self.entry is not None
        sample = batch[:CHECK_ROWS]
        if not self._load(checked=False):
            return
        assert self.runner is not None
        problem = mismatch(np.asarray(self.keras(sample)), self.runner(sample), self.classes)
        if problem:
            self.runner, self.runtime = None, "keras"
            self.entry.record(False, reason=problem, checked_rows=len(sample))
            return self._fall_back(problem)
        self.entry.record(True, runtime=self.runtime, checked_rows=len(sample))
        self._closed = True
        _say_once(f"use:{self.entry.key}", f"{self.label}: running on {self.runtime} (checked against Keras on "
                                           f"{len(sample)} rows).", logging.INFO)

    def _fall_back(self, reason: str) -> None:
        self._closed, self.runner, self.runtime = True, None, "keras"
        key = self.entry.key if self.entry else self.label
        fmt = self.entry.fmt if self.entry else "converted"
        _say_once(f"fallback:{key}", f"{self.label}: the {fmt} model is not used ({reason}); running in Keras.")


def mismatch(expected: np.ndarray, got: np.ndarray, classes: int) -> str | None:
    """Why ``got`` (the converted model) may not stand in for ``expected`` (Keras), or None."""
    expected = np.asarray(expected, np.float64).reshape(len(expected), -1)
    got = np.asarray(got, np.float64).reshape(len(got), -1)
    if got.shape != expected.shape:
        return f"its output has the shape {got.shape[1:]} instead of {expected.shape[1:]}"
    if not np.isfinite(got).all():
        return "its output is not finite"
    if classes:
        ours, theirs = expected[:, :classes], got[:, :classes]
        differ = int(np.sum(ours.argmax(axis=1) != theirs.argmax(axis=1)))
        if differ:
            return f"another top class on {differ} of {len(ours)} check rows"
        largest = float(np.abs(ours - theirs).max())
        if largest >= PROBABILITY_TOLERANCE:
            return f"probabilities differ by up to {largest:.2g} (limit {PROBABILITY_TOLERANCE:g})"
    ours, theirs = expected[:, classes:], got[:, classes:]
    if ours.size:
        relative = float(np.abs(ours - theirs).max() / max(float(np.abs(ours).max()), 1e-12))
        if relative >= FEATURE_TOLERANCE:
            return f"features differ by up to {relative:.2g} of their scale (limit {FEATURE_TOLERANCE:g})"
    return None


def _build_on_thread(entry: Entry, model: Any) -> threading.Thread:
    """One build per key in this process (other processes wait on the entry's lock)."""
    with _builds_lock:
        thread = _builds.get(entry.key)
        if thread is None or not thread.is_alive():
            def build() -> None:
                try:
                    entry.build(model, "outputs")
                except Exception:  # recorded in the verdict by Entry.build
                    log.debug("background conversion failed", exc_info=True)

            thread = threading.Thread(target=build, name=f"runtime-build-{entry.key[:8]}", daemon=True)
            _builds[entry.key] = thread
            thread.start()
        return thread
