"""Save and load a trained model bundle, atomically, never destroying anything else.

A bundle is a folder: model.keras (raw RGB 0-255 in, probabilities out), labels.json, config.json,
history.csv, metrics.json; an "embeddings + classifier" bundle (config.json "method": "svm" or
"logreg") also holds classifier.npz, checked against config.json and model.keras on load. It is
written into a temporary sibling folder and swapped into place (:mod:`core.bundles.atomic`), so a crash, a
kill or a full disk mid-save never leaves a half-written bundle or damages the previous one.

A save only ever replaces a bundle (a folder holding model.keras, labels.json and config.json) or
a missing path; anything else at the target (an image folder, a file, a symlink) is refused before
anything is written. Loading treats the bundle as untrusted input: sizes are bounded and optional
files that are damaged are ignored with a warning instead of rejecting the model.
"""
from __future__ import annotations

import csv
import hashlib
import itertools
import json
import logging
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from core.files import size_words
from core.wording import first_line as _first_line
from core.bundles import atomic
from core.bundles.untrusted import (MAX_JSON_BYTES, MAX_OPTIONAL_BYTES, Unreadable, check_model_archive, read_history,
                                    read_json)
from core.data.outputs import check_output_writable
from core.errors import BundleError, OutputTargetError  # noqa: F401 (raised here; importable from here)

MODEL_FILE = "model.keras"
LABELS_FILE = "labels.json"
CONFIG_FILE = "config.json"
HISTORY_FILE = "history.csv"
METRICS_FILE = "metrics.json"
REQUIRED_FILES = (MODEL_FILE, LABELS_FILE, CONFIG_FILE)


log = logging.getLogger("finetune_studio.bundle")


@dataclass
class Bundle:
    path: Path
    model: Any
    class_names: list[str]
    config: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # optional files that were damaged and ignored

    @property
    def image_size(self) -> int:
        return int(self.model.input_shape[1])

    @property
    def method(self) -> str:
        """"finetune" (also for bundles written before methods existed), "svm" or "logreg"."""
        return str(self.config.get("method", "finetune"))


@dataclass(frozen=True)
class SaveTarget:
    """Where a run will save, as checked before training: ``fingerprint`` identifies the bundle
    that was there (None: nothing was), so a save can tell that another run saved there meanwhile."""
    path: Path
    fingerprint: str | None = None


def is_bundle(path: str | Path) -> bool:
    """A real folder (not a symlink) holding the three files every bundle has."""
    path = Path(path)
    return not path.is_symlink() and path.is_dir() and all((path / name).is_file() for name in REQUIRED_FILES)


def _state(path: Path) -> str:
    """"missing" (also an empty folder: nothing to lose), "bundle", or "other" (never replaced)."""
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    if not stat.S_ISDIR(info.st_mode):
        return "other"
    if is_bundle(path):
        return "bundle"
    try:
        return "other" if os.listdir(path) else "missing"
    except OSError:
        return "other"


def _settled_state(path: Path) -> tuple[str, str | None]:
    """(:func:`_state`, :func:`_fingerprint`) read under the target's lock when its folder exists: without the lock, a
    concurrent save's two renames can be seen half-way (the old folder gone and the new one in
    place between two checks), which reads as "a folder that is not a bundle"."""
    if not path.parent.is_dir():
        return "missing", None
    try:
        with atomic.locked(path):
            return _state(path), _fingerprint(path)
    except OSError:  # a folder we may not write: nobody can be saving there, the plain read is settled
        return _state(path), _fingerprint(path)


def _fingerprint(path: Path) -> str | None:
    """Changes whenever another save puts a new folder there (a new folder inode, new files and file
    times). The folder's own time is left out: recording an export (exports.json) changes it."""
    if not is_bundle(path):
        return None
    folder = os.stat(path)
    files = [os.stat(path / name) for name in REQUIRED_FILES]
    key = repr([(folder.st_dev, folder.st_ino)] + [(s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns) for s in files])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _refusal(path: Path) -> BundleError:
    kind = "a symlink" if path.is_symlink() else "a folder" if path.is_dir() else "a file"
    return BundleError.of("bundle.not_model_bundle_so", path=path, kind=kind)


ARCHITECTURE_BYTES = 256 << 10  # model.keras's config.json (165 KB for MobileNetV2) and the small JSON files


def estimated_bundle_bytes(model: Any = None, *, params: int | None = None,
                           trainable_params: int | None = None) -> int:
    """About how many bytes the bundle of ``model`` (or of ``params`` weights, ``trainable_params``
    of them trained) takes on disk, 20 % over: model.keras holds every weight (4 bytes) and Adam's
    two moments of each trained weight (8 bytes), plus the architecture. For a model in hand the
    optimizer's own variables are counted. Without a trainable count every weight is assumed
    trained (an upper bound). The old "12 bytes per weight" was ~3x the bundle of a model whose
    backbone was mostly frozen."""
    if model is not None:
        params = int(model.count_params())
        optimizer = getattr(model, "optimizer", None)
        variables = list(getattr(optimizer, "variables", None) or []) if optimizer is not None else []
        moments = sum(int(np.prod(v.shape)) for v in variables) if variables else \
            2 * sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    else:
        params = int(params or 0)
        moments = 2 * int(params if trainable_params is None else trainable_params)
    return int((4 * params + 4 * moments) * 1.2) + ARCHITECTURE_BYTES  # HDF5 adds ~13 % over the raw values


def check_save_target(path: str | Path, needed_bytes: int = 0) -> SaveTarget:
    """Refuse, before any training, a place a bundle could not or must not be saved to.

    Accepted: a missing path, an empty folder or an existing bundle, whose nearest existing
    ancestor is a writable folder with at least ``needed_bytes`` free. Nothing is created.
    """
    target = atomic.target_path(path)
    atomic.tidy_quietly(target)  # a bundle hidden by a killed save counts as the bundle it was
    state, fingerprint = _settled_state(target)
    if state == "other":
        raise _refusal(target)
    ancestor = target.parent
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise BundleError.of("bundle.cannot_save_file_not", target=target, ancestor=ancestor)
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise BundleError.of("bundle.cannot_save_folder_not", target=target, ancestor=ancestor)
    try:  # root passes os.access, and /proc or a read-only mount has "0 bytes free": ask the folder itself
        check_output_writable(target, folder=True)
    except OutputTargetError as error:
        raise BundleError.of("bundle.cannot_save_there", error=error) from None
    free = shutil.disk_usage(ancestor).free
    if free < needed_bytes:
        raise BundleError.of("bundle.not_enough_free_space", target=target, needed_bytes=size_words(needed_bytes),
                             free=size_words(free))
    return SaveTarget(target, fingerprint)


def _prepare(target: Path, expect: SaveTarget | None) -> None:
    """Before anything is written: recover an interrupted save, refuse a non-bundle, make the parent."""
    if expect is not None and atomic.target_path(expect.path) != target:
        raise ValueError(f"expect describes '{expect.path}', not '{target}'")
    atomic.tidy_quietly(target)
    if expect is None and _settled_state(target)[0] == "other":
        raise _refusal(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BundleError.of("bundle.cannot_create_folder_choose", target_parent=target.parent,
                             reason=error.strerror or error) from None


def _swap_into_free_sibling(folder: Path, target: Path) -> Path:
    """Put ``folder`` at the first of NAME-2, NAME-3, ... that is free (with the target's lock held)."""
    for number in itertools.count(2):
        sibling = target.with_name(f"{target.name}-{number}")
        if _state(sibling) != "missing" and not atomic.has_leftovers(sibling):
            continue
        with atomic.locked(sibling):
            atomic.recover_and_tidy(sibling)
            if _state(sibling) == "missing":
                atomic.swap_in(folder, sibling)
                return sibling
    raise AssertionError("unreachable")


def write_atomically(target: Path, fill: Callable[[Path], None], *, expect: SaveTarget | None = None) -> Path:
    """Create a bundle via ``fill(tmp_dir)`` and swap it into ``target``; return where it went.

    ``target`` may be missing, an empty folder (treated as missing) or a bundle; anything else is
    refused with :class:`BundleError` before anything is written. With ``expect`` (from
    :func:`check_save_target`), a target that no longer holds what was checked (another run saved
    there meanwhile) is left alone and the bundle goes to a free sibling ``NAME-2``, ``NAME-3``...
    """
    target = atomic.target_path(target)
    _prepare(target, expect)
    tmp = atomic.new_temporary(target)
    try:
        fill(tmp)
        if not is_bundle(tmp):
            raise BundleError.of("bundle.internal_error_save_into", target=target,
                                 REQUIRED_FILES=', '.join(REQUIRED_FILES))
        atomic.apply_umask(tmp)
        with atomic.locked(target):
            atomic.recover_and_tidy(target)
            state = _state(target)
            if state == "missing" or (state == "bundle" and (expect is None or _fingerprint(target) == expect.fingerprint)):
                atomic.swap_in(tmp, target)
                return target
            if expect is None:
                raise _refusal(target)
            saved = _swap_into_free_sibling(tmp, target)
            log.warning("'%s' changed after it was checked (another run saved there?); saved to '%s' instead.",
                        target, saved)
            return saved
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _dump(value: Any) -> str:
    # ensure_ascii: any str round-trips, including names that are not valid UTF-8 (lone surrogates)
    return json.dumps(value, ensure_ascii=True, indent=1, default=str)


def save_bundle(path: str | Path, model: Any, class_names: list[str] | tuple[str, ...], config: dict[str, Any],
                history: list[dict[str, Any]] | None = None, metrics: dict[str, Any] | None = None,
                extra_files: Callable[[Path], None] | None = None, *, expect: SaveTarget | None = None) -> Path:
    """Write a bundle and return its path (a sibling of ``path`` if ``expect`` says another run saved
    there meanwhile); ``extra_files`` may add method-specific files (e.g. a classic classifier)."""

    def fill(folder: Path) -> None:
        model.save(folder / MODEL_FILE)
        (folder / LABELS_FILE).write_text(_dump(list(class_names)), encoding="ascii")
        (folder / CONFIG_FILE).write_text(_dump(config), encoding="ascii")
        (folder / METRICS_FILE).write_text(_dump(metrics or {}), encoding="ascii")
        rows = history or []
        with open(folder / HISTORY_FILE, "w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
            fields = list(dict.fromkeys(key for row in rows for key in row)) or ["epoch"]
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        if extra_files is not None:
            extra_files(folder)

    try:
        return write_atomically(Path(path), fill, expect=expect)
    except OSError as error:  # a full disk, a read-only folder: the old bundle is intact, the new one must not be lost
        from core.runs.recorder import record_unsaved

        raise BundleError.of_said(record_unsaved(config.get("run_id"), atomic.target_path(path), error)) from error


def load_bundle(path: str | Path, model: Any = None) -> Bundle:
    """Load with ``safe_mode=True``: a bundle can never run code it carries.

    ``compile=False``: predicting needs no optimizer, and restoring one only prints Keras'
    "Skipping variable loading for optimizer" warning. A bundle hidden by a save that was killed
    mid-swap is restored first. ``model``: a stand-in for model.keras that loads it only when used
    (core/bundles/warm_predictor.py, for files that loaded and passed the checks below before).
    """
    folder = Path(path).expanduser()
    atomic.tidy_quietly(atomic.target_path(folder))
    if not folder.is_dir():
        raise BundleError.of("bundle.no_model_bundle_expected", folder=folder, MODEL_FILE=MODEL_FILE)
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise BundleError.of("bundle.not_complete_model_bundle", folder=folder, missing=', '.join(missing))
    try:
        class_names = read_json(folder / LABELS_FILE, MAX_JSON_BYTES)
        config = read_json(folder / CONFIG_FILE, MAX_JSON_BYTES)
    except Unreadable as error:
        raise BundleError.of("bundle.bundle_damaged_3", folder=folder, error=error) from None
    if not isinstance(config, dict):
        raise BundleError.of("bundle.bundle_damaged", folder=folder, CONFIG_FILE=CONFIG_FILE)
    if not isinstance(class_names, list) or not all(isinstance(c, str) for c in class_names):
        raise BundleError.of("bundle.bundle_damaged_2", folder=folder, LABELS_FILE=LABELS_FILE)
    warnings: list[str] = []
    metrics = _optional(folder / METRICS_FILE, lambda p: read_json(p, MAX_OPTIONAL_BYTES), {}, warnings)
    if not isinstance(metrics, dict):
        warnings.append(f"{METRICS_FILE} is not a JSON object; ignored.")
        metrics = {}
    history = _optional(folder / HISTORY_FILE, read_history, [], warnings)
    for warning in warnings:
        log.warning("Bundle '%s': %s", folder, warning)
    if model is not None:
        return Bundle(folder, model, class_names, config, metrics, history, warnings)
    check_model_archive(folder / MODEL_FILE)
    from core.training.model import keras

    try:
        model = keras.saving.load_model(folder / MODEL_FILE, compile=False, safe_mode=True)
    except Exception as error:  # zip, h5 and deserialisation errors all mean "damaged model file"
        raise BundleError.of("bundle.model_file_could_not", folder=folder, error=_first_line(error)) from None
    if int(model.output_shape[-1]) != len(class_names):
        raise BundleError.of("bundle.bundle_inconsistent_labels_but", folder=folder, n_labels=len(class_names),
                             n_outputs=model.output_shape[-1])
    if config.get("method", "finetune") != "finetune":
        from core.training.classic import CLASSIC_METHODS, verify_classifier

        if config["method"] not in CLASSIC_METHODS:
            raise BundleError.of("bundle.bundle_uses_unknown_method", folder=folder, method=config["method"])
        verify_classifier(folder, config, model, class_names)
    return Bundle(folder, model, class_names, config, metrics, history, warnings)


def _optional(path: Path, read: Callable[[Path], Any], default: Any, warnings: list[str]) -> Any:
    """An optional file's content, or ``default`` (and a warning) if it is damaged: never fatal."""
    if not path.is_file():
        return default
    try:
        return read(path)
    except (Unreadable, OSError) as error:
        warnings.append(f"{error}; ignored.")
        return default

