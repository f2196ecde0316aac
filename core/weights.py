"""Where ImageNet weights come from: a pre-placed folder, the Keras cache, or a download.

keras.applications fetches its weight files through ``keras.src.utils.file_utils.get_file``. We wrap
that one function (once, process-wide) so that (1) admin-provided folders are searched first and
(2) a failed download becomes a :class:`WeightsUnavailableError` that names the exact file, the
folder to put it in and the URL to fetch it from. Wrapping keeps the exact file names Keras wants
without copying its tables.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

from .backbones import BackboneSpec
from .paths import weights_dirs

WeightsArg = str | Path | None  # "imagenet", None (random init) or a path to a weights file


class WeightsUnavailableError(RuntimeError):
    """ImageNet weights could not be found locally nor downloaded."""

    def __init__(self, file_name: str, url: str, cache_dir: Path, cause: str) -> None:
        self.file_name, self.url, self.cache_dir = file_name, url, cache_dir
        super().__init__(
            f"The ImageNet weights file '{file_name}' is not on this computer and could not be downloaded "
            f"({cause}). On a computer with internet access, download it from {url} and copy it into "
            f"{cache_dir} (or into a folder named in the FTS_WEIGHTS_DIR setting), then try again. "
            f"Alternatively choose the offline backbone 'efficientnet_lite0'."
        )


def keras_cache_dir() -> Path:
    """Where Keras keeps downloaded application weights ($KERAS_HOME/models)."""
    keras_home = os.environ.get("KERAS_HOME") or str(Path.home() / ".keras")
    return Path(keras_home).expanduser() / "models"


def find_preplaced(file_name: str) -> Path | None:
    for folder in [*weights_dirs(), keras_cache_dir()]:
        candidate = folder / file_name
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    return None


_install_lock = threading.Lock()
_installed = False


def install_weights_hook() -> None:
    """Route keras.applications downloads through :func:`find_preplaced` first. Idempotent."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from keras.src.utils import file_utils

        original = file_utils.get_file

        def get_file(fname: str | None = None, origin: str | None = None, *args: Any, **kwargs: Any) -> str:
            name = fname or (origin or "").rsplit("/", 1)[-1]
            local = find_preplaced(name) if kwargs.get("cache_subdir", "datasets") == "models" else None
            if local is not None:
                cache = keras_cache_dir()
                if local.parent != cache:  # Keras expects it in its cache; copy once so later runs find it
                    cache.mkdir(parents=True, exist_ok=True)
                    tmp = cache / f".{name}.tmp"
                    shutil.copyfile(local, tmp)
                    os.replace(tmp, cache / name)
                    local = cache / name
                return str(local)
            try:
                return original(fname, origin, *args, **kwargs)
            except Exception as error:  # urllib/HTTP/OS errors: all mean "not available offline"
                raise WeightsUnavailableError(name, origin or "", keras_cache_dir(), _short(error)) from error

        file_utils.get_file = get_file
        _installed = True


def _short(error: Exception) -> str:
    """The reason without Keras' repetition of the URL ("URL fetch failure on URL: code -- reason")."""
    text = str(error).strip() or type(error).__name__
    return text.rsplit(" -- ", 1)[-1].splitlines()[0][:200]


def weights_status(spec: BackboneSpec) -> str:
    """'offline' (shipped in a package), 'cached' (found locally) or 'download' (needs internet)."""
    if spec.notop_weights_file is None:
        return "offline"
    return "cached" if find_preplaced(spec.notop_weights_file) else "download"


def resolve_weights(weights: WeightsArg) -> str | None:
    """Normalise the user's choice: 'imagenet', None, or an existing file path (checked here)."""
    if weights is None or str(weights).lower() in ("none", "random", "scratch"):
        return None
    if str(weights).lower() == "imagenet":
        return "imagenet"
    path = Path(weights).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"Weights file not found: {path}")
    return str(path)
