"""Every error whose message is written for the user, in one TensorFlow-free module.

Why one module: both fronts must recognise these without importing what raises them. The CLI
turns them into one ``error: ...`` line and exit code 2; the window shows their text in a plain
dialog; the engine process sends them across the pipe (hence ``__reduce__`` wherever ``__init__``
takes other arguments than the message, so they unpickle intact on the window's side). Keeping
them here also means no module imports another just for its exception type (which is how
``bundle`` and ``classic`` came to import each other).

Each is :class:`core.messages.Worded`: raised as ``SomeError.of("message.id", **params)`` it keeps the
id and parameters of its sentence, so the window shows it in the user's language (issue 22).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Sequence

from core.messages import Worded, message


class DatasetError(Worded, ValueError):
    """A problem with the user's data that the user can fix; the message says how."""


class FolderNotFoundError(DatasetError):
    pass


class EmptyFolderError(DatasetError):
    """No usable images; ``skipped`` lists every file that was passed over and why (core.data's
    SkippedFile records), so the window can show them."""

    def __init__(self, message: str, skipped: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.skipped: tuple[Any, ...] = tuple(skipped)

    def __reduce__(self) -> tuple:
        return type(self), (str(self), self.skipped), self.__dict__


class TooFewClassesError(DatasetError):
    pass


class TooFewImagesError(DatasetError):
    pass


class ClassMismatchError(DatasetError):
    pass


class WordedValueError(Worded, ValueError):
    """A ValueError whose message is a sentence for the user (a freeze point out of range, a model no
    longer in memory): raised with an id so the window shows it translated. The CLI and the window
    treat it as they treat any ValueError (exit code 2; its text shown whole)."""


class SettingsError(Worded, ValueError):
    """A training setting outside its range; the message is one sentence written for the user."""


class GroupByError(SettingsError):
    """A keep-together rule (``group_by``: 'subfolder' or a regular expression) that cannot be used."""


class BundleError(Worded, RuntimeError):
    """A bundle that is missing, incomplete or damaged, or a place a bundle may not be saved to;
    the message says which, in one sentence."""


class UnknownBackboneError(Worded, ValueError):
    def __init__(self, backbone_id: str, choices: Sequence[str] = ()) -> None:
        self.backbone_id, self.choices = backbone_id, tuple(choices)
        params = {"backbone_id": backbone_id, "choices": ", ".join(self.choices)}
        super().__init__(message("backbone.unknown", **params))
        self.worded("backbone.unknown", params)

    def __reduce__(self) -> tuple:
        return type(self), (self.backbone_id, self.choices), self.__dict__


class WeightsUnavailableError(Worded, RuntimeError):
    """ImageNet weights could not be found locally nor downloaded."""

    def __init__(self, file_name: str, url: str, cache_dir: Path, cause: str) -> None:
        self.file_name, self.url, self.cache_dir, self.cause = file_name, url, cache_dir, cause
        params = {"file_name": file_name, "cause": cause, "url": url, "cache_dir": cache_dir}
        super().__init__(message("weights.unavailable", **params))
        self.worded("weights.unavailable", params)

    def __reduce__(self) -> tuple:
        return type(self), (self.file_name, self.url, self.cache_dir, self.cause), self.__dict__


class WeightsFileError(WeightsUnavailableError):
    """A weights file on this computer is damaged, or could not be written: the message names the
    file and what to do. A subclass so every place that reports missing weights plainly (the CLI's
    exit code 2, the window's dialog) reports this one plainly too."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        RuntimeError.__init__(self, message)  # not the parent's "could not be downloaded" sentence
        self.path = path
        self.file_name = None  # the window words WeightsUnavailableError with a file_name as a download
        self.url, self.cache_dir = "", (path.parent if path else None)

    def __reduce__(self) -> tuple:
        return type(self), (str(self), self.path), self.__dict__


class WeightMappingError(Worded, ValueError):
    """The PyTorch state dict and the Keras model do not correspond one-to-one."""


class OutputTargetError(Worded, ValueError):
    """A --csv or --sort-into target that would write into the user's images or over a foreign file."""


class TrainingDivergedError(Worded, RuntimeError):
    """The loss became NaN, infinite or exploded; the message says which and what to change."""


class ReportError(Worded, ValueError):
    """A report could not be written: not a bundle or a run, or an output that must not be replaced."""


class DistributeError(Worded, ValueError):
    """A ``--distribute`` setting that cannot work here: no GPU for ``mirrored``, a missing or invalid
    ``TF_CONFIG`` for ``multiworker``, a batch size the workers cannot share. Said before any work."""


class WorkerLostError(Worded, RuntimeError):
    """Another worker of a multi-worker run died or became unreachable; nothing was saved. Not a
    user error (exit code 1), but its text is written for the user all the same."""


class TrainingCancelled(Exception):
    """Raised when a run is cancelled before any epoch finished (no usable model yet)."""


class RunError(Worded, ValueError):
    """A run of the run store (core/runs/store.py) that cannot be found, resumed or deleted; the
    message says why in one sentence."""


class RunNotFoundError(RunError):
    """No run has that id (or several runs start with it)."""


class RunInUseError(RunError):
    """The run is still running in another process."""


class RunStoreError(RunError, sqlite3.OperationalError):
    """The run store's file could not be read or written (a full disk, a read-only folder); the
    message names the file. Also an ``sqlite3.Error``, so every caller that already survives a
    store failure (the recorder: "the run goes on unrecorded") survives this one unchanged."""


USER_ERRORS: tuple[type[BaseException], ...] = (
    DatasetError, SettingsError, BundleError, UnknownBackboneError, WeightsUnavailableError, WeightMappingError,
    OutputTargetError, TrainingDivergedError, TrainingCancelled, ReportError, RunError, DistributeError)
"""Errors whose text is shown as is (CLI: exit code 2)."""
