"""Where ImageNet weights come from: a pre-placed folder, the Keras cache, or a download.

keras.applications fetches its weight files through ``keras.src.utils.file_utils.get_file``. We wrap
that one function (once, process-wide) so that (1) admin-provided folders are searched first and
(2) a failed download becomes a :class:`WeightsUnavailableError` that names the exact file, the
folder to put it in and the URL to fetch it from. Wrapping keeps the exact file names Keras wants
without copying its tables.

A pre-placed file is checked before it is used (it must open as a complete HDF5 file and match the
checksum Keras publishes for it, when there is one): a damaged copy must not be copied into Keras'
cache, where it would fail every later run.

This module is TensorFlow-free (the window asks it which weights are on this computer); the hook
into Keras itself, and the guard that names a file Keras failed to load, are in
:mod:`core.backbones.keras_hook`.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
from pathlib import Path

from core.backbones import BackboneSpec
from core.errors import WeightsFileError, WeightsUnavailableError  # noqa: F401 (importable from here)
from core.messages import Said, said
from core.paths import weights_dirs
from core.wording import shorten

WeightsArg = str | Path | None  # "imagenet", None (random init) or a path to a weights file

log = logging.getLogger(__name__)


def keras_cache_dir() -> Path:
    """Where Keras keeps downloaded application weights ($KERAS_HOME/models)."""
    keras_home = os.environ.get("KERAS_HOME") or str(Path.home() / ".keras")
    return Path(keras_home).expanduser() / "models"


def candidate_paths(file_name: str) -> list[Path]:
    return [folder / file_name for folder in [*weights_dirs(), keras_cache_dir()]]


def find_preplaced(file_name: str) -> Path | None:
    """The first non-empty file of that name in the pre-placed folders or Keras' cache (unchecked:
    cheap enough for the backbone list; :func:`install_weights_hook` checks before use)."""
    for candidate in candidate_paths(file_name):
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    return None


def _hash_matches(path: Path, file_hash: str) -> bool:
    """Keras publishes sha256 (64 hex digits) or md5 (32) hashes for most application weights."""
    digest = hashlib.sha256() if len(file_hash) == 64 else hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest() == file_hash.lower()


def weights_file_problem(path: Path, file_hash: str | None = None) -> str | None:
    """Why ``path`` cannot be the weights file Keras wants, or None when it looks right.

    Opening it with h5py catches text files (a saved error page) and truncated copies (HDF5 stores
    the file's length); the checksum catches a different or damaged file of the right name."""
    import h5py

    try:
        if not h5py.is_hdf5(path):
            return "it is not an HDF5 weights file"
        with h5py.File(path, "r"):
            pass
        if file_hash and not _hash_matches(path, file_hash):
            return "its checksum differs from the one Keras publishes for this file (damaged or a different file)"
    except OSError as error:
        return f"it is damaged or incomplete ({short_reason(error)})"
    return None


def bad_file_message(path: Path, reason: str, url: str) -> Said:
    if url:
        return said("weights.bad_file_from_url", path=path, reason=reason, url=url)
    return said("weights.bad_file", path=path, reason=reason)


def disk_reason(error: OSError) -> str:
    """An OSError from writing a file, in words (the errno names mean little to users)."""
    return {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
            errno.EFBIG: "the file is too large for this system's file-size limit",
            errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EROFS: "the disk is read-only"}.get(error.errno or 0, error.strerror or str(error))


def short_reason(error: Exception) -> str:
    """The reason without Keras' repetition of the URL ("URL fetch failure on URL: code -- reason")."""
    text = str(error).strip() or type(error).__name__
    return shorten(text.rsplit(" -- ", 1)[-1].splitlines()[0])


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
