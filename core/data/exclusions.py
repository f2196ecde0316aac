"""Images the user chose to leave out of training ("Exclude from training" in Check my data).

Why a list in the app's data folder and not a change to the user's folders: the user's folders are
only ever read (the one exception, "Move to class…", asks first; see :mod:`core.data.move_file`).
The list lives in ``$FTS_DATA_DIR/exclusions.json``, keyed by the data folder's *real* path (a
link to the folder shares its list), each entry a path relative to that folder, so the list
survives the folder being reached by another name. :func:`core.data.scan.scan_folder` leaves these
files out and counts them, so training (window and CLI), evaluation and the audit all honour it.

Writes are atomic (a temporary file renamed over the old one) under an advisory lock, because the
window writes while the engine process may be reading.
"""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Iterable, Iterator

from core.errors import WordedValueError
from core.files import write_file_atomic
from core.paths import user_data_dir

try:
    import fcntl
except ImportError:  # Windows: no advisory lock; the rename is still atomic
    fcntl = None  # type: ignore[assignment]

FILE_NAME = "exclusions.json"
VERSION = 1


def exclusions_file() -> Path:
    return user_data_dir() / FILE_NAME


def folder_key(root: str | Path) -> str:
    """The key of a data folder: its real path (symlinks resolved), as text."""
    return os.path.realpath(os.path.expanduser(str(root)))


def relative_to_root(path: str | Path, root: str | Path) -> str | None:
    """``path`` relative to ``root`` in POSIX form, or None when it is not inside it. Tried on the
    paths as given first (as the scan reports them), then with links resolved."""
    for resolve in (os.path.abspath, os.path.realpath):
        rel = os.path.relpath(resolve(os.path.expanduser(str(path))), resolve(os.path.expanduser(str(root))))
        if rel != "." and not rel.startswith(".." + os.sep) and rel != ".." and not os.path.isabs(rel):
            return Path(rel).as_posix()
    return None


def _read(file: Path) -> dict[str, list[str]]:
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: nothing excluded (training then simply uses every image)
    folders = raw.get("folders") if isinstance(raw, dict) else None
    if not isinstance(folders, dict):
        return {}
    return {str(k): [str(p) for p in v] for k, v in folders.items() if isinstance(v, list)}


@contextlib.contextmanager
def _locked() -> Iterator[Path]:
    file = exclusions_file()
    lock_path = file.with_name(f".{FILE_NAME}.lock")
    with open(lock_path, "a+") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield file
        finally:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _write(file: Path, folders: dict[str, list[str]]) -> None:
    payload = json.dumps({"version": VERSION, "folders": {k: sorted(set(v)) for k, v in folders.items() if v}},
                         ensure_ascii=False, indent=1)
    write_file_atomic(file, payload)


def excluded(root: str | Path) -> set[str]:
    """The excluded files of the data folder ``root``, relative to it (POSIX form)."""
    return set(_read(exclusions_file()).get(folder_key(root), []))


def exclude(root: str | Path, paths: Iterable[str | Path]) -> int:
    """Add ``paths`` (files inside ``root``) to its exclusion list; returns how many are excluded now.
    A path outside ``root`` is refused with a ValueError naming it (nothing is written then)."""
    rels = []
    for path in paths:
        rel = relative_to_root(path, root)
        if rel is None:
            raise WordedValueError.of("exclusions.not_inside_data_folder", path=path, root=root)
        rels.append(rel)
    with _locked() as file:
        folders = _read(file)
        key = folder_key(root)
        folders[key] = sorted(set(folders.get(key, [])) | set(rels))
        _write(file, folders)
        return len(folders[key])


def include_again(root: str | Path, paths: Iterable[str | Path] | None = None) -> int:
    """Take ``paths`` (None: every file) of ``root`` off its exclusion list; returns how many were removed."""
    with _locked() as file:
        folders = _read(file)
        key = folder_key(root)
        before = set(folders.get(key, []))
        if paths is None:
            after: set[str] = set()
        else:
            after = before - {rel for rel in (relative_to_root(p, root) for p in paths) if rel}
        if after == before:
            return 0
        folders[key] = sorted(after)
        _write(file, folders)
        return len(before) - len(after)


def split_excluded(root: str | Path, files: Iterable[Path]) -> tuple[list[int], list[Path]]:
    """(indices of ``files`` that are kept, the excluded files) for a scan of ``root``."""
    names = excluded(root)
    kept, dropped = [], []
    for index, path in enumerate(files):
        if names and relative_to_root(path, root) in names:
            dropped.append(path)
        else:
            kept.append(index)
    return kept, dropped
