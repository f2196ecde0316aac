"""The engine's one state object, passed to every handler: the models it holds by handle and the
folders it classified, so nothing the window refers to lives in a module-level variable.

The models: the last training job's results (one job's models in memory at a time; the previous
ones are dropped when a new one finishes) and the predictors built for them, for opened bundles and
for ImageNet classifiers. The classifications: the few newest, kept under the window's
``classification_id`` so Save as CSV and Sort into folders work on exactly the rows the window shows.
TensorFlow-free: the predictors are built through core.jobs when first asked for.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from core.errors import WordedValueError

KEEP_CLASSIFICATIONS = 3  # classifications kept for a later CSV or sort (the window uses the newest)


@dataclass
class Classification:
    """One folder classification the engine keeps: its inputs, the model's classes and its rows."""

    inputs: list[str]
    class_names: list[str]
    k: int
    calibrated: bool
    items: list[tuple[Path, Any]] = field(default_factory=list)  # (file, ImagePrediction), in order
    datasets: list[str] = field(default_factory=list)  # the model's training/validation folders: never written
    counts: list[dict[str, Any]] = field(default_factory=list)  # the Summary view's rows, once classified


class EngineState:
    """The models this engine holds, by handle, and the folders it classified, by id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.results: dict[str, Any] = {}  # handle -> TrainResult
        self.predictors: dict[str, Any] = {}  # handle -> Predictor
        self.classifications: OrderedDict[str, Classification] = OrderedDict()
        self.counter = 0

    def hold_results(self, results: dict[str, Any]) -> dict[str, str]:
        """Hold ``{key: TrainResult}`` (replacing every earlier trained model); ``{key: handle}``."""
        with self.lock:
            self.counter += 1
            for old in list(self.results):
                self.results.pop(old, None)
                self.predictors.pop(old, None)
            handles = {}
            for key, result in results.items():
                handle = f"trained:{self.counter}" + (f":{key}" if key else "")
                self.results[handle] = result
                handles[key] = handle
        return handles

    def result(self, handle: str) -> Any:
        with self.lock:
            return self.results.get(handle)

    def hold_predictor(self, handle: str, predictor: Any) -> None:
        with self.lock:
            self.predictors[handle] = predictor

    def predictor(self, source: dict[str, Any]) -> Any:
        """The predictor for a PredictRequest's source, built (through core.jobs) on first use."""
        from core.jobs import predict

        if source.get("kind") == "imagenet":
            handle = f"imagenet:{source['backbone']}"
            build: Callable[[], Any] = lambda: predict.imagenet_predictor(source["backbone"])  # noqa: E731
        else:
            handle = source.get("handle", "")
            result = self.result(handle)
            if result is not None:
                build = lambda: predict.trained_predictor(result)  # noqa: E731
            elif handle.startswith("bundle:"):  # e.g. a kept bundle the window switched to after a restart
                build = lambda: predict.bundle_predictor(handle[len("bundle:"):])  # noqa: E731
            else:
                build = None  # type: ignore[assignment]
        with self.lock:
            predictor = self.predictors.get(handle)
        if predictor is None:
            if build is None:
                raise WordedValueError.of("state.model_no_longer_memory")
            predictor = build()
            self.hold_predictor(handle, predictor)
        return predictor

    def datasets(self, source: dict[str, Any]) -> list[str]:
        """The dataset folders of a PredictRequest's model (its training and validation folders),
        which a CSV or a sort of its answers must stay out of; none for an ImageNet classifier."""
        if source.get("kind") == "imagenet":
            return []
        handle = source.get("handle", "")
        result = self.result(handle)
        if result is not None:
            config = result.config
            return [str(folder) for folder in (config.data_dir, getattr(config, "val_dir", None)) if folder]
        if handle.startswith("bundle:"):
            from core.jobs.predict import datasets_of

            return datasets_of(handle[len("bundle:"):])
        return []

    def keep_classification(self, classification_id: str, classification: Classification) -> None:
        with self.lock:
            self.classifications[classification_id] = classification
            while len(self.classifications) > KEEP_CLASSIFICATIONS:
                self.classifications.popitem(last=False)

    def classification(self, classification_id: str) -> Classification:
        with self.lock:
            found = self.classifications.get(classification_id)
        if found is None:
            raise WordedValueError.of("state.those_results_no_longer")
        return found
