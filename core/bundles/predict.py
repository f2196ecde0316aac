"""Top-k predictions for a trained bundle or for a raw backbone's ImageNet classifier.

A trained model's probabilities are shown calibrated, with each image's prediction set, whenever
its bundle (or its training result) carries the validation statistics (core/bundles/statistics.py):
:meth:`Predictor.predictions` is the one step every front goes through (the CLI, Try it, folder
classification), so all of them show the same numbers. :meth:`Predictor.probabilities` stays the
model's raw output: evaluation, the export check and the calibration itself need that."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from core.methods import method_label
from core.backbones import get_backbone
from core.bundles.bundle import Bundle
from core.data.scan import decode_error_reason, load_image
from core.events import EventSink, Progress, ignore_events
from core.bundles.statistics import load_statistics
from core.stats.conformal import threshold_from_scores
from core.stats.validation import use_statistics
from core.training.familiarity import Familiarity, load_familiarity, with_embedding
from core.training.memory import check_memory

BATCH_SIZE = 32  # images per forward pass, unless memory asks for fewer

ImageSource = str | Path | np.ndarray


@dataclass(frozen=True)
class Guess:
    label: str
    probability: float


@dataclass(frozen=True)
class ImagePrediction:
    source: str
    top: list[Guess]
    error: str | None = None  # why this image could not be classified (the others still are)
    # Far from every class in the model's embedding space (core/familiarity.py)? None: the model
    # has no calibration (an ImageNet classifier, a bundle from before the check existed).
    unfamiliar: bool | None = None
    distance: float | None = None  # cosine distance to the nearest class centroid
    distance_limit: float | None = None  # beyond it, unfamiliar
    # The conformal prediction set, most probable first ("infected or dividing" when two or more);
    # None: the model has no statistics, too few validation images for the coverage, or no image.
    prediction_set: list[str] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"image": self.source, "top": [g.__dict__ for g in self.top],
                               "set": self.prediction_set}
        if self.unfamiliar is not None:
            out.update(unfamiliar=self.unfamiliar, distance=self.distance, distance_limit=self.distance_limit)
        if self.error:
            out["error"] = self.error
        return out


class Predictor:
    """Wraps a Keras model that takes raw RGB pixels, plus its class names and, when calibrated,
    the unfamiliar-image check."""

    def __init__(self, model: Any, class_names: Sequence[str], description: str = "",
                 familiarity: Familiarity | None = None, statistics: dict[str, Any] | None = None,
                 coverage: float | None = None, calibration_note: str | None = None,
                 backbone: str | None = None) -> None:
        """``statistics``: the bundle's validation record (core.stats.validation), which makes the
        shown probabilities calibrated and gives prediction sets at ``coverage`` (None: the stored
        90 %); ``calibration_note``: why a trained model has none (an old bundle), None otherwise;
        ``backbone``: for the memory check of the batch size."""
        self.model = model
        self.class_names = list(class_names)
        self.image_size = int(model.input_shape[1])
        self.description = description
        self.familiarity = familiarity
        self.statistics = statistics
        self.coverage = coverage
        self.calibration_note = calibration_note
        self._with_embedding: Any = None
        # Before any image is read: a batch that would not fit in memory is made smaller (the answers do
        # not depend on it); a model that cannot run even one image here is refused with the numbers.
        self.batch_size = check_memory(backbone or "", self.image_size, BATCH_SIZE, 0, training=False,
                                       reduce_batch=True, what="Predicting")
        self._rows: int | None = None  # how many images the caller means to classify (None: a few)
        self._forward: Any = None  # the model's forward pass on the fastest verified runtime
        self.source: Any = None  # the bundle's files the model came from (core/bundles/warm_predictor.py)
        self._setting: str | None = None  # the runtime setting the forward pass was chosen for (None: pinned)

    @property
    def runtime(self) -> str | None:
        """What ran the last forward pass ("keras", or the converted model's runtime); None before any."""
        return getattr(self._forward, "runtime", None)

    def expect(self, rows: int | None) -> None:
        """Say how many images are coming: enough of them pay for converting the model to a faster
        runtime before the first (core/runtime/forward.py); a few dropped images never wait for it."""
        self._rows = rows
        if getattr(self._forward, "runtime", None) == "keras":  # decided for a few images: decide again
            self._forward = None

    def keras_only(self) -> "Predictor":
        """Answer in Keras whatever the runtime setting: the reference an export is checked against."""
        from core.training.features import inference_function

        self._forward, self._setting = inference_function(self._answering_model()), None
        return self

    def _answering_model(self) -> Any:
        """The model, or with a calibration the model that also answers the embedding."""
        if self.familiarity is None:
            return self.model
        if self._with_embedding is None:
            self._with_embedding = with_embedding(self.model, self.familiarity.layer)
        return self._with_embedding

    def forward(self) -> Any:
        """The forward pass that answers (probabilities, then the embedding when calibrated), on the
        fastest runtime verified for this model; Keras with ``--runtime keras``."""
        from core.runtime.setting import chosen_runtime

        if self._forward is not None and self._setting not in (None, chosen_runtime()):
            self._forward = None  # the setting changed (Settings › Runtime reaches a running engine)
        if self._forward is None:
            from core.training.features import fastest_forward

            self._setting = chosen_runtime()

            answering = self._answering_model()
            facts = None if self.source is None else {
                "input_shape": list(self.model.input_shape), "output_shape": list(self.model.output_shape),
                "answering_shape": list(answering.output_shape), "embedding": getattr(self.familiarity, "layer", None)}
            self._forward = fastest_forward(answering, self._rows, len(self.class_names), self.description or "model",
                                            source=self.source, facts=facts)
        return self._forward

    @classmethod
    def from_bundle(cls, path: str | Path | Bundle, coverage: float | None = None,
                    embedding_fits: bool = False) -> "Predictor":
        """``embedding_fits``: the calibration is known to fit the model (checked when these files
        were loaded before: core/bundles/warm_predictor.py), so the model need not be asked."""
        from core.bundles.bundle_digest import answering_what, load_with_digest

        bundle, digest = (path, None) if isinstance(path, Bundle) else load_with_digest(path)
        kind = "fine-tuned" if bundle.method == "finetune" else method_label(bundle.method)
        familiarity = load_familiarity(bundle.path, bundle.config, len(bundle.class_names))
        if familiarity is not None and not embedding_fits and not familiarity.fits(bundle.model):
            familiarity = None  # a calibration for another model: predict without the check
        statistics, note = load_statistics(bundle.path, bundle.config, len(bundle.class_names))
        predictor = cls(bundle.model, bundle.class_names, f"{kind} model {bundle.path.name}", familiarity,
                        statistics, coverage, note, backbone=str(bundle.config.get("backbone") or ""))
        predictor.source = None if digest is None else (digest, answering_what(familiarity))
        return predictor

    @property
    def notes(self) -> list[str]:
        """What a user should know about the numbers (printed once by the CLI, shown by the window):
        the model is uncalibrated, or its sets cannot be made at this coverage (too few validation images)."""
        if self.statistics is None:
            return [self.calibration_note] if self.calibration_note else []
        stored = self.statistics["conformal"]
        if self.coverage is None or self.coverage == stored["coverage"]:
            message = None if stored.get("ok", True) else stored.get("message")
        else:
            message = threshold_from_scores(stored["scores"], self.coverage).message
        return [message] if message else []

    def shown_probabilities(self, probabilities: np.ndarray) -> tuple[np.ndarray, list[list[int]] | None]:
        """The probabilities a user sees (calibrated when the model has statistics) and each image's
        prediction set as class indices (None without statistics or with too few validation images)."""
        if self.statistics is None or not len(probabilities):
            return probabilities, None
        used = use_statistics(probabilities, self.statistics, self.coverage)
        return used["probabilities"], used["sets"]

    @classmethod
    def for_imagenet(cls, backbone_id: str) -> "Predictor":
        """The backbone with its 1000-class ImageNet top, preprocessing inside, ImageNet names."""
        from core.backbones.imagenet import imagenet_class_names
        from core.training.model import build_backbone, keras, pixel_input

        spec = get_backbone(backbone_id)
        classifier = build_backbone(spec, "imagenet", spec.input_size, include_top=True)
        inputs, x = pixel_input(spec, spec.input_size)
        model = keras.Model(inputs, classifier(x), name=f"imagenet_{backbone_id}")
        return cls(model, imagenet_class_names(), f"{spec.label} ImageNet classifier", backbone=backbone_id)

    def probabilities(self, pixels: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """Class probabilities for a (N, size, size, 3) uint8/float array of raw pixels."""
        if len(pixels) == 0:
            return np.zeros((0, len(self.class_names)), np.float32)
        return self._classify(pixels, batch_size)[0]

    def top_k(self, images: Sequence[ImageSource], k: int = 5, sink: EventSink = ignore_events,
              cancel: threading.Event | None = None) -> list[ImagePrediction]:
        """Predict each image; unreadable ones get an ``error`` instead of stopping the batch."""
        k = max(1, min(k, len(self.class_names)))
        pixels, ok, results = [], [], []
        for index, source in enumerate(images):
            if cancel is not None and cancel.is_set():
                break
            try:
                pixels.append(load_image(source, self.image_size))
                ok.append(index)
            except Exception as error:  # a bad file is reported per image, never fatal
                results.append((index, ImagePrediction(_name(source), [], decode_error_reason(error))))
            sink(Progress.of("predict", index + 1, len(images), "predict.reading_images"))
        if pixels:
            found = self.predictions(np.stack(pixels), [_name(images[index]) for index in ok], k)
            results.extend(zip(ok, found))
        return [prediction for _, prediction in sorted(results, key=lambda item: item[0])]

    def predictions(self, pixels: np.ndarray, names: Sequence[str], k: int = 5) -> list[ImagePrediction]:
        """Top-k (and the unfamiliar-image check) for already decoded ``pixels``, one per name: the
        step that both :meth:`top_k` and the streaming folder classifier (core/bundles/classify.py)
        run on each batch, so a folder gets exactly the answers of a dropped image."""
        k = max(1, min(k, len(self.class_names)))
        probs, distances = self._classify(pixels)
        probs, sets = self.shown_probabilities(probs)
        results = []
        for position, (name, row) in enumerate(zip(names, probs)):
            order = np.argsort(row)[::-1][:k]
            top = [Guess(self.class_names[i], float(row[i])) for i in order]
            check: dict[str, Any] = {}
            if sets is not None:
                check["prediction_set"] = [self.class_names[i] for i in sets[position]]
            if distances is not None:
                distance, limit = float(distances[position]), self.familiarity.threshold
                check.update(unfamiliar=distance > limit, distance=round(distance, 4),
                             distance_limit=round(limit, 4))
            results.append(ImagePrediction(name, top, **check))
        return results

    def _classify(self, pixels: np.ndarray, batch_size: int | None = None) -> tuple[np.ndarray, np.ndarray | None]:
        """Probabilities and, with a calibration, each image's distance from the training images,
        from one forward pass (the embedding rides along with the probabilities). One traced or
        converted forward pass: model.predict's per-call setup cost ~40 ms, most of a single dropped
        image's latency (benchmarks/README.md). A converted model runs here batch by batch without
        core.training (which imports TensorFlow: seconds a warm ``predict`` no longer spends)."""
        forward, size = self.forward(), batch_size or self.batch_size
        if getattr(forward, "runner", None) is not None and len(pixels):  # checked and converted: no TensorFlow
            both = np.concatenate([np.asarray(forward(pixels[start:start + size]), np.float32)
                                   for start in range(0, len(pixels), size)])
        else:
            from core.training.features import run_batched

            both = run_batched(self._answering_model(), pixels, size, forward=forward)
        n = len(self.class_names)
        if self.familiarity is None:
            return both, None
        return both[:, :n], self.familiarity.distances(both[:, n:])


def _name(source: ImageSource) -> str:
    return "<array>" if isinstance(source, np.ndarray) else str(source)
