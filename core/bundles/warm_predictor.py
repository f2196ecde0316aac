"""A bundle's predictor that runs its verified converted model without loading Keras.

Why: with the converted model cached and checked, loading model.keras into Keras was the largest
fixed cost left in classifying a folder (benchmarks/README.md, runtime section). The first job on a
bundle remembers which converted model its files make (core/runtime/aliases.py); a later job
hashes the same files, finds that model and its verdict, and hands the predictor a stand-in that
knows the model's shapes and loads the Keras model only if something needs it (a fallback after a
converted model stops loading). Anything else (files changed, no verdict, ``--runtime keras``)
returns None: the caller loads the bundle as before.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from core.bundles.bundle import load_bundle
from core.bundles.bundle_digest import answering_what, bundle_files


class DeferredModel:
    """A model's input and output shapes now; the model itself on first use of anything else."""

    def __init__(self, load: Callable[[], Any], input_shape: Any = None, output_shape: Any = None) -> None:
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.output_shape = None if output_shape is None else tuple(output_shape)
        self._load, self._model = load, None

    def loaded(self) -> Any:
        if self._model is None:
            self._model = self._load()
        return self._model

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.loaded(), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.loaded()(*args, **kwargs)


def warm_bundle_predictor(path: str | Path, coverage: float | None = None) -> Any:
    """A Predictor on the bundle's verified converted model with Keras not loaded, or None (module
    docstring). The bundle's labels, config, calibration and statistics are read as always."""
    from core.bundles.predict import Predictor
    from core.methods import method_label
    from core.runtime.aliases import files_digest
    from core.runtime.forward import verified_forward
    from core.runtime.setting import chosen_runtime
    from core.training.familiarity import load_familiarity

    folder = Path(path).expanduser()
    if chosen_runtime() == "keras" or not folder.is_dir():
        return None
    try:
        digest = files_digest(bundle_files(folder))
    except OSError:
        return None
    model = DeferredModel(lambda: load_bundle(folder).model)
    bundle = load_bundle(folder, model=model)
    familiarity = load_familiarity(bundle.path, bundle.config, len(bundle.class_names))
    held: list[Any] = []

    def keras_forward(batch: Any) -> Any:  # only if the converted model stops loading
        from core.training.features import inference_function

        return inference_function(held[0]._answering_model())(batch)

    kind = "fine-tuned" if bundle.method == "finetune" else method_label(bundle.method)
    label = f"{kind} model {folder.name}"
    found = verified_forward((digest, answering_what(familiarity)), keras_forward,
                             classes=len(bundle.class_names), label=label)
    if found is None:
        return None
    forward, noted = found
    model.input_shape, model.output_shape = tuple(noted["input_shape"]), tuple(noted["output_shape"])
    predictor = Predictor.from_bundle(bundle, coverage, embedding_fits=True)
    if familiarity is not None:
        layer = familiarity.layer
        predictor._with_embedding = DeferredModel(lambda: _with_embedding(model.loaded(), layer),
                                                  noted["input_shape"], noted["answering_shape"])
    predictor._forward, predictor._setting = forward, chosen_runtime()
    held.append(predictor)
    return predictor


def _with_embedding(model: Any, layer: str) -> Any:
    from core.training.familiarity import with_embedding

    return with_embedding(model, layer)
