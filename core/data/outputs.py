"""Checks every command that writes an output makes before any work: never inside a dataset, and
writable for the real reason when not.

Why in core.data: the datasets are what these checks protect, and both fronts (the CLI and the
engine behind the window) call them before a model is loaded. TensorFlow-free.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Iterable

from core.data.image_files import shown
from core.errors import OutputTargetError


def check_output_outside_datasets(out: str | Path, datasets: Iterable[str | Path | None]) -> None:
    """Refuse an output at, inside, or (through a link) resolving into any of ``datasets``.

    Why: the next ``train`` of that dataset would read the app's own output as images (a class
    ``heatmaps``) or fail on it; the user's folders are only ever read. Both the path as written
    and as resolved are compared, so neither a link in the output's path nor one in the dataset's
    hides the overlap. None (a folder the bundle did not record) is passed over."""
    given = Path(out).expanduser()
    places = {Path(os.path.abspath(given)), Path(os.path.realpath(given))}
    for dataset in datasets:
        if dataset is None or str(dataset) == "":
            continue
        folder = Path(dataset).expanduser()
        folders = {Path(os.path.abspath(folder)), Path(os.path.realpath(folder))}
        if any(place == root or place.is_relative_to(root) for place in places for root in folders):
            raise OutputTargetError.of("outputs.inside_dataset_folder_which", out=shown(out), dataset=shown(dataset))


_REASONS = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EROFS: "the disk is read-only", errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up",
            errno.ENOENT: "a system folder, not a place for files"}


def check_output_writable(path: str | Path, folder: bool = False) -> None:
    """Refuse, with the real reason, an output the command could not write: a folder wanted where a
    file is (or the reverse), a parent that is a file, a place that takes no new files (permission,
    a read-only disk, ``/proc``). ``folder``: the output is a folder (``export --out``, ``explain
    --out``, ``--sort-into``, ``--tensorboard``) rather than a file (``report --out``, ``--csv``).

    Why a probe file rather than ``os.access``: root passes every ``access`` check, and a
    pseudo-filesystem or a read-only mount only says no when asked to create. The probe is a hidden
    file created and removed at once in the nearest existing folder; nothing else is created."""
    path = Path(path).expanduser()
    if os.path.lexists(path):
        if folder and not path.is_dir():
            raise OutputTargetError.of("outputs.file_not_folder_choose", path=shown(path))
        if not folder and path.is_dir():
            raise OutputTargetError.of("outputs.folder_not_file_choose", path=shown(path))
        place = path if folder else path.parent
    else:
        place = path.parent
        while not os.path.lexists(place) and place != place.parent:
            place = place.parent
        if not place.is_dir():
            raise OutputTargetError.of("outputs.file_not_folder_so", place=shown(place), path=shown(path))
    try:
        handle, probe = tempfile.mkstemp(prefix=".fts-write-probe-", dir=place)
    except OSError as error:
        reason = _REASONS.get(error.errno or 0, error.strerror or type(error).__name__)
        raise OutputTargetError.of("outputs.cannot_written_folder_takes", path=shown(path), place=shown(place),
                                   reason=reason) from None
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def recorded_datasets(bundle_dir: str | Path) -> list[str]:
    """The dataset folders a bundle's config.json records (``train.data_dir``, ``train.val_dir``):
    the folders an output of a command on that bundle must stay out of (with the images' own
    folders). [] for a bundle without them or a config.json that cannot be read (bounded: 4 MB)."""
    try:
        with open(Path(bundle_dir).expanduser() / "config.json", "rb") as handle:
            raw = handle.read((4 << 20) + 1)
        config = json.loads(raw.decode("utf-8")) if len(raw) <= 4 << 20 else {}
    except (OSError, ValueError, RecursionError):
        return []
    train = config.get("train") if isinstance(config, dict) else None
    if not isinstance(train, dict):
        return []
    return [str(train[key]) for key in ("data_dir", "val_dir") if isinstance(train.get(key), str) and train[key]]
