"""Where ImageNet weights come from: a pre-placed folder, the Keras cache, or a download.

keras.applications fetches its weight files through ``keras.src.utils.file_utils.get_file``. We wrap
that one function (once, process-wide) so that (1) admin-provided folders are searched first and
(2) a failed download becomes a :class:`WeightsUnavailableError` that names the exact file, the
folder to put it in and the URL to fetch it from. Wrapping keeps the exact file names Keras wants
without copying its tables.

A pre-placed file is checked before it is used (it must open as a complete HDF5 file and match the
checksum Keras publishes for it, when there is one): a damaged copy must not be copied into Keras'
cache, where it would fail every later run. Should Keras still fail to load a file we handed it,
:func:`weights_load_guard` removes our copy and names the file (:class:`WeightsFileError`).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from core.wording import shorten
from core.backbones import BackboneSpec
from core.paths import weights_dirs
from core.errors import WeightsUnavailableError, WeightsFileError  # noqa: F401 (raised here; importable from here)

WeightsArg = str | Path | None  # "imagenet", None (random init) or a path to a weights file

log = logging.getLogger(__name__)


def keras_cache_dir() -> Path:
    """Where Keras keeps downloaded application weights ($KERAS_HOME/models)."""
    keras_home = os.environ.get("KERAS_HOME") or str(Path.home() / ".keras")
    return Path(keras_home).expanduser() / "models"


def _candidates(file_name: str) -> list[Path]:
    return [folder / file_name for folder in [*weights_dirs(), keras_cache_dir()]]


def find_preplaced(file_name: str) -> Path | None:
    """The first non-empty file of that name in the pre-placed folders or Keras' cache (unchecked:
    cheap enough for the backbone list; :func:`install_weights_hook` checks before use)."""
    for candidate in _candidates(file_name):
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
        return f"it is damaged or incomplete ({_short(error)})"
    return None


def _bad_file_message(path: Path, reason: str, url: str) -> str:
    source = f" from {url}" if url else ""
    return (f"The ImageNet weights file {path} cannot be used: {reason}. Delete it, download it again{source} "
            f"and copy it to the same place, then try again. Or choose the offline backbone 'efficientnet_lite0'.")


@dataclass
class _Served:
    """A weights file handed to Keras during one :func:`weights_load_guard` block."""

    path: Path
    source: Path
    url: str
    copied: bool  # we made ``path`` (a copy of ``source`` in Keras' cache): ours to remove


_served = threading.local()


@contextlib.contextmanager
def weights_load_guard() -> Iterator[None]:
    """Around building a keras.applications model: if Keras fails to load a weights file that the
    hook handed it (valid HDF5 holding another network, for example), remove the copy we made in
    Keras' cache and raise :class:`WeightsFileError` naming the file, instead of Keras' layer-count
    message that names neither file."""
    outer = getattr(_served, "files", None)
    _served.files = []
    try:
        yield
    except WeightsUnavailableError:
        raise
    except Exception as error:
        served: list[_Served] = _served.files
        if not served:
            raise
        for item in served:
            if item.copied:
                with contextlib.suppress(OSError):
                    item.path.unlink()
        last = served[-1]
        raise WeightsFileError(_bad_file_message(last.source, f"Keras could not load it ({_short(error)})",
                                                 last.url), last.source) from error
    finally:
        _served.files = outer


def _record(item: _Served) -> None:
    files = getattr(_served, "files", None)
    if files is not None:
        files.append(item)


def disk_reason(error: OSError) -> str:
    """An OSError from writing a file, in words (the errno names mean little to users)."""
    return {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
            errno.EFBIG: "the file is too large for this system's file-size limit",
            errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EROFS: "the disk is read-only"}.get(error.errno or 0, error.strerror or str(error))


def _copy_into_cache(local: Path, name: str) -> Path:
    """Keras expects the file in its cache; copy it once (atomically) so later runs find it there."""
    cache = keras_cache_dir()
    tmp = cache / f".{name}.{os.getpid()}.tmp"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, tmp)
        os.replace(tmp, cache / name)
    except OSError as error:  # a full disk must not leave half a file, nor end in a raw traceback
        raise WeightsFileError(f"Could not copy the weights file {local} into Keras' weights folder {cache}: "
                               f"{disk_reason(error)}. Make room there (or set KERAS_HOME to a folder you can write to), "
                               "then try again.", local) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return cache / name


def _local_weights(name: str, origin: str, file_hash: str | None) -> tuple[_Served | None, dict[Path, str]]:
    """The first good local file (copied into Keras' cache if needed), and the bad ones before it
    with the message that names each."""
    bad: dict[Path, str] = {}
    cache = keras_cache_dir()
    for candidate in _candidates(name):
        if not candidate.is_file():
            continue
        problem = weights_file_problem(candidate, file_hash)
        if problem:
            log.info("skipping weights file %s: %s", candidate, problem)
            bad[candidate] = _bad_file_message(candidate, problem, origin)
            continue
        if candidate.parent == cache:
            return _Served(candidate, candidate, origin, copied=False), bad
        return _Served(_copy_into_cache(candidate, name), candidate, origin, copied=True), bad
    return None, bad


_install_lock = threading.Lock()
_installed = False


def install_weights_hook() -> None:
    """Route keras.applications downloads through the pre-placed folders first. Idempotent."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from keras.src.utils import file_utils

        original = file_utils.get_file

        def get_file(fname: str | None = None, origin: str | None = None, *args: Any, **kwargs: Any) -> str:
            name = fname or (origin or "").rsplit("/", 1)[-1]
            if kwargs.get("cache_subdir", "datasets") != "models":
                return original(fname, origin, *args, **kwargs)
            local, bad = _local_weights(name, origin or "", kwargs.get("file_hash"))
            if local is None:
                try:  # Keras re-downloads a file in its cache whose checksum is wrong
                    path = Path(original(fname, origin, *args, **kwargs))
                except Exception as error:  # urllib/HTTP/OS errors: all mean "not available offline"
                    if bad:  # the user did place a file: what is wrong with it is the useful news
                        first = next(iter(bad))
                        raise WeightsFileError(bad[first], first) from error
                    raise WeightsUnavailableError(name, origin or "", keras_cache_dir(), _short(error)) from error
                if path in bad:  # no published checksum: Keras hands back the damaged file it has
                    raise WeightsFileError(bad[path], path)
                local = _Served(path, path, origin or "", copied=False)
            _record(local)
            return str(local.path)

        file_utils.get_file = get_file
        _installed = True


def _short(error: Exception) -> str:
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
