"""The hook into Keras' weight downloads, and the guard that names a weights file Keras failed to load.

keras.applications fetches its weight files through ``keras.src.utils.file_utils.get_file`` (a
private API: hence the upper bound on keras in pyproject.toml). :func:`install_weights_hook` wraps
that one function, once per process, so that pre-placed folders are searched first (each file
checked by :mod:`core.backbones.weights` before use) and a failed download becomes a
:class:`WeightsUnavailableError` naming the file, the folder and the URL. Should Keras still fail to
load a file we handed it, :func:`weights_load_guard` removes our copy and names the file
(:class:`WeightsFileError`).
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from core.backbones.weights import (bad_file_message, candidate_paths, short_reason, disk_reason, keras_cache_dir,
                                    weights_file_problem)
from core.errors import WeightsFileError, WeightsUnavailableError
from core.messages import Said

log = logging.getLogger("core.backbones.weights")


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
        raise WeightsFileError.of_said(bad_file_message(last.source, f"Keras could not load it ({short_reason(error)})",
                                                        last.url), last.source) from error
    finally:
        _served.files = outer


def _record(item: _Served) -> None:
    files = getattr(_served, "files", None)
    if files is not None:
        files.append(item)


def _copy_into_cache(local: Path, name: str) -> Path:
    """Keras expects the file in its cache; copy it once (atomically) so later runs find it there."""
    cache = keras_cache_dir()
    tmp = cache / f".{name}.{os.getpid()}.tmp"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, tmp)
        os.replace(tmp, cache / name)
    except OSError as error:  # a full disk must not leave half a file, nor end in a raw traceback
        raise WeightsFileError.of("keras_hook.could_not_copy_weights", local, local=local, cache=cache,
                                  disk_reason=disk_reason(error)) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return cache / name


def _local_weights(name: str, origin: str, file_hash: str | None) -> tuple[_Served | None, dict[Path, str]]:
    """The first good local file (copied into Keras' cache if needed), and the bad ones before it
    with the message that names each."""
    bad: dict[Path, Said] = {}
    cache = keras_cache_dir()
    for candidate in candidate_paths(name):
        if not candidate.is_file():
            continue
        problem = weights_file_problem(candidate, file_hash)
        if problem:
            log.info("skipping weights file %s: %s", candidate, problem)
            bad[candidate] = bad_file_message(candidate, problem, origin)
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
                        raise WeightsFileError.of_said(bad[first], first) from error
                    raise WeightsUnavailableError(name, origin or "", keras_cache_dir(), short_reason(error)) from error
                if path in bad:  # no published checksum: Keras hands back the damaged file it has
                    raise WeightsFileError.of_said(bad[path], path)
                local = _Served(path, path, origin or "", copied=False)
            _record(local)
            return str(local.path)

        file_utils.get_file = get_file
        _installed = True
