"""The requests of ``predict``: Try it's top-k for a few images (:class:`PredictRequest`), and a
whole folder classified (:class:`ClassifyFolderRequest`), then saved as a CSV or sorted into class
folders. TensorFlow-free, like core.engine.protocol, whose :class:`~core.engine.protocol.Request`
they extend; the handlers are in core/engine/handlers/predict.py.

Why the classified rows come back as :class:`ClassifiedRows` events and not in the reply: a folder
can hold 100,000 images. One reply would sit whole in both processes and the table would stay empty
until the end; chunks of a few hundred rows fill the table as the engine goes, and Stop keeps what
already arrived. The engine keeps what it classified under ``classification_id`` (chosen by the
window), so Save as CSV and Sort into folders send only the id, never 100,000 rows back across the pipe.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from core.engine.protocol import Request


@dataclass(frozen=True)
class PredictRequest(Request):
    """Top-``k`` for ``paths`` from ``source``: ``{"kind": "imagenet", "backbone": id}`` or
    ``{"kind": "handle", "handle": handle}``."""

    source: dict[str, Any]
    paths: tuple[str, ...]
    k: int = 5
    name: ClassVar[str] = "predict"


PredictionRow = tuple[str, list[tuple[str, float]], "str | None", "dict[str, Any] | None"]
"""(image, top-k as (label, probability), why it could not be classified, extras): the last is
None when the model has neither check, else holds {"unfamiliar", "distance", "distance_limit"} (the
unfamiliar-image check), {"set": [labels]} (the prediction set, most probable first) and/or
{"notes": [text]} (the model is uncalibrated, or has no sets at this coverage)."""


ClassifiedRow = tuple[str, str, tuple[tuple[str, float], ...], "str | None", "bool | None", "tuple[str, ...] | None"]
"""(the file's path, its name as shown, top-k as (label, probability), why it could not be read,
whether the model finds it unlike every training image: None without a calibration, the prediction
set: None without validation statistics)."""


@dataclass(frozen=True)
class ClassifyFolderRequest(Request):
    """Every image under ``paths`` (folders recursively) with the model ``source`` (a PredictRequest
    source); rows stream back as :class:`ClassifiedRows`, the reply is a summary dict. A cancel
    still waits for the reply: the rows so far stay usable (CSV, sort). ``coverage``: the prediction
    sets' (``predict --coverage``); None keeps the bundle's stored one (90 %)."""

    source: dict[str, Any]
    paths: tuple[str, ...]
    classification_id: str
    k: int = 5
    coverage: float | None = None
    name: ClassVar[str] = "classify_folder"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class ClassifiedRows:
    """An event: the next rows of the classification ``classification_id``; ``done`` rows so far of ``total``
    (0 while the engine is still counting the files)."""

    classification_id: str
    rows: tuple[ClassifiedRow, ...]
    done: int
    total: int


@dataclass(frozen=True)
class SaveClassifiedCsvRequest(Request):
    """Write the rows of ``classification_id`` as the CLI's ``--csv`` file at ``path`` (atomic); replies the path."""

    classification_id: str
    path: str
    name: ClassVar[str] = "save_classified_csv"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class SaveCountsSummaryRequest(Request):
    """Write the counts per subfolder of ``classification_id`` (its Summary view) as ``predict --summary``'s
    CSV at ``path``: the same rows, atomically, never over a file that is not such a summary; replies the path."""

    classification_id: str
    path: str
    name: ClassVar[str] = "save_counts_summary"
    waits_on_cancel: ClassVar[bool] = True


@dataclass(frozen=True)
class SortClassifiedRequest(Request):
    """Copy the images of ``classification_id`` into ``target/<class>/``, or ``uncertain/`` below
    ``min_confidence``; replies ``{folder: copies}``."""

    classification_id: str
    target: str
    min_confidence: float = 0.0
    name: ClassVar[str] = "sort_classified"
    waits_on_cancel: ClassVar[bool] = True
