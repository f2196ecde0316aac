"""Exceptions -> plain words with what to do next. The traceback goes to the log file, never to
the screen. Matching is by type: the user-facing errors live in core/errors.py, and an error from
the engine process arrives as itself where its type can be imported here, else as
core.engine.protocol.EngineError (its type's name and text) or the nearest built-in type; none of
that imports TensorFlow."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from core.engine.protocol import EngineError
from core.errors import (BundleError, DatasetError, SettingsError, TrainingDivergedError, UnknownBackboneError,
                         WeightMappingError, WeightsUnavailableError)
from core.wording import first_line as _first_line
from core.wording import shorten  # noqa: F401 (the window quotes errors with it)

from .engine_messages import engine_text

OWN_WORDS = (DatasetError, BundleError, SettingsError, WeightsUnavailableError, TrainingDivergedError,
             UnknownBackboneError, WeightMappingError)
"""core's errors whose message is a sentence for the user, shown whole."""


def log_path() -> Path | None:
    try:
        from core.logs import log_file

        return log_file()
    except Exception:  # noqa: BLE001 - a missing log folder must never hide the real error
        return None


def weights_message(error: BaseException) -> str:
    """core.backbones.weights.WeightsUnavailableError in the window's words: the file, where to put it (the weights
    folder chosen in the Settings menu, else Keras' cache) and where to get it. One whole sentence per
    case, so that each translates as a whole."""
    try:
        from core.paths import weights_dirs

        folders = weights_dirs()
    except Exception:  # noqa: BLE001
        folders = []
    words = {"file": error.file_name, "folder": folders[0] if folders else getattr(error, "cache_dir", ""),
             "url": getattr(error, "url", "")}
    if folders and words["url"]:
        text = QCoreApplication.translate(
            "Errors", "The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no "
            "internet connection?). On a computer with internet access, download it from {url}, copy it into "
            "{folder} — your weights folder (Settings › Weights folder…) — and try again. Or choose "
            "EfficientNet-Lite0, whose weights are included and work offline.")
    elif folders:
        text = QCoreApplication.translate(
            "Errors", "The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no "
            "internet connection?). On a computer with internet access, download it, copy it into {folder} — your "
            "weights folder (Settings › Weights folder…) — and try again. Or choose EfficientNet-Lite0, whose "
            "weights are included and work offline.")
    elif words["url"]:
        text = QCoreApplication.translate(
            "Errors", "The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no "
            "internet connection?). On a computer with internet access, download it from {url}, copy it into "
            "{folder} — Keras' weights folder (or a folder of your own, chosen with Settings › Weights "
            "folder…) — and try again. Or choose EfficientNet-Lite0, whose weights are included and work offline.")
    else:
        text = QCoreApplication.translate(
            "Errors", "The ImageNet weights file “{file}” is not on this computer and could not be downloaded (no "
            "internet connection?). On a computer with internet access, download it, copy it into {folder} — "
            "Keras' weights folder (or a folder of your own, chosen with Settings › Weights folder…) — and try "
            "again. Or choose EfficientNet-Lite0, whose weights are included and work offline.")
    return text.format(**words)


def user_message(error: BaseException) -> tuple[str, str]:
    """(message for a dialog, details such as the log file location)."""
    where = log_path()
    details = QCoreApplication.translate("Errors", "Technical details were written to {path}.").format(
        path=where) if where else ""
    text = str(error).strip()
    if isinstance(error, WeightsUnavailableError) and getattr(error, "file_name", None):
        return weights_message(error), details
    if isinstance(error, OWN_WORDS):
        return engine_text(error, text), details  # core's own sentences for the user, whole, translated by id
    # Only a real allocation failure is called "out of memory" (the engine sends TensorFlow's
    # ResourceExhaustedError as a MemoryError); guessing it from words in a message (or from a dead
    # engine, see core.engine.client.describe_exit) sent users chasing the wrong cause.
    if isinstance(error, MemoryError):
        return QCoreApplication.translate("Errors", "The computer ran out of memory. Try a smaller batch size, a "
                                          "smaller image size or a smaller backbone, close other programs, and "
                                          "train again."), details
    if isinstance(error, FileNotFoundError):
        return QCoreApplication.translate("Errors", "A file or folder could not be found: {error}. Check that it "
                                          "still exists (for example that a USB drive or network share is "
                                          "connected).").format(error=_first_line(error)), details
    if isinstance(error, PermissionError):
        return QCoreApplication.translate("Errors", "Permission denied: {error}. Choose a folder you can write to, "
                                          "or ask your administrator for access.").format(
                                              error=_first_line(error)), details
    if isinstance(error, OSError) and getattr(error, "errno", None) == 28:
        return QCoreApplication.translate("Errors", "The disk is full. Free some space and try again."), details
    if isinstance(error, ValueError) and text:
        # core raises ValueError with sentences meant for the user (sizes, splits, freeze points)
        return engine_text(error, text), details
    kind = error.type_name if isinstance(error, EngineError) else type(error).__name__
    return QCoreApplication.translate("Errors", "Something unexpected went wrong ({kind}: {error}). Try again; if "
                                      "it keeps happening, send the log file to whoever looks after this "
                                      "tool.").format(kind=kind, error=_first_line(error)), details
