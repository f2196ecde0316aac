"""Labelling by copying: an image from an unlabelled folder becomes a training image of one class.

Why copies and never moves: the unlabelled folder is the user's, often the instrument's only
export; labelling must not change it, so a mistake (a wrong key, a crash, an undo) costs nothing
there. The copy goes into ``<dataset>/<class>/`` under the file's own name, or ``name-2.png``,
``name-3.png``... when that name is taken (never over a file: :func:`core.files.write_new_file`
claims the name with a hard link, so two labellers cannot overwrite each other's copies), and it
appears complete or not at all (written to a hidden temporary first). An undo removes only the
copy this module made, and only while its bytes are still the ones copied (a checksum kept with
the record): a file the user has since edited or replaced is left alone.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from core.errors import DatasetError
from core.files import write_new_file

CHUNK = 1 << 20


def check_class_name(name: str) -> str:
    """``name`` stripped, or DatasetError when it cannot be a class folder's name (empty, '.', '..',
    a path separator, hidden, or a control character)."""
    cleaned = str(name).strip()
    if cleaned in ("", ".", ".."):
        raise DatasetError.of("copy_in.cannot_class_name_give", name=name)
    if "/" in cleaned or "\\" in cleaned or (os.altsep and os.altsep in cleaned) or os.sep in cleaned:
        raise DatasetError.of("copy_in.cannot_class_name_must", cleaned=cleaned)
    if cleaned.startswith("."):
        raise DatasetError.of("copy_in.cannot_class_name_name", cleaned=cleaned)
    if any(ord(c) < 32 for c in cleaned):
        raise DatasetError.of("copy_in.cannot_class_name_contains", cleaned=repr(cleaned))
    return cleaned


def add_class(dataset: str | Path, name: str) -> Path:
    """Create the class folder ``dataset/name`` (nothing happens if it exists); returns it."""
    root = Path(dataset).expanduser()
    if not root.is_dir():
        raise DatasetError.of("copy_in.dataset_folder_does_not", root=root)
    folder = root / check_class_name(name)
    if folder.exists() and not folder.is_dir():
        raise DatasetError.of("copy_in.exists_not_folder_choose", folder=folder)
    folder.mkdir(exist_ok=True)
    return folder


@dataclass(frozen=True)
class Copied:
    """One labelling step: ``source`` copied to ``target`` (whose bytes hash to ``sha256``)."""

    source: str
    target: str
    class_name: str
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _names(folder: Path, name: str) -> Iterator[Path]:
    stem, suffix = os.path.splitext(name)
    yield folder / name
    for number in itertools.count(2):
        yield folder / f"{stem}-{number}{suffix}"


def _is_inside(path: Path, folder: Path) -> bool:
    path_real, folder_real = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([path_real, folder_real]) == folder_real


def copy_into_class(source: str | Path, dataset: str | Path, class_name: str, create: bool = False) -> Copied:
    """Copy the image ``source`` into ``dataset/class_name/`` (created first when ``create``).

    Refuses (DatasetError) a missing source, a source already inside the dataset and a class
    folder that does not exist (unless ``create``). The original is only read."""
    src, root = Path(source).expanduser(), Path(dataset).expanduser()
    class_name = check_class_name(class_name)
    if not src.is_file():
        raise DatasetError.of("copy_in.not_image_file", src=src)
    if not root.is_dir():
        raise DatasetError.of("copy_in.dataset_folder_does_not", root=root)
    if _is_inside(src, root):
        raise DatasetError.of("copy_in.already_inside_dataset", src=src, root=root)
    folder = add_class(root, class_name) if create else root / class_name
    if not folder.is_dir():
        raise DatasetError.of("copy_in.dataset_no_class_add", root=root, class_name=class_name)
    digest = hashlib.sha256()

    def write(stream: BinaryIO) -> None:
        with open(src, "rb") as reader:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                stream.write(chunk)

    try:
        target = write_new_file(_names(folder, src.name), write)
    except OSError as error:
        raise DatasetError.of("copy_in.could_not_copy_into", src_name=src.name, class_name=class_name,
                              reason=error.strerror or error) from error
    try:
        shutil.copystat(src, target)  # the original's times: "when was this taken" survives labelling
    except OSError:
        pass  # some file systems cannot set times; the pixels are what matter
    return Copied(str(src), str(target), class_name, digest.hexdigest())


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def undo_copy(copied: Copied | dict[str, Any]) -> bool:
    """Remove the copy ``copied`` made, if it is still there unchanged: True when removed, False
    when it is already gone. DatasetError (and the file kept) when it has changed since."""
    record = copied if isinstance(copied, Copied) else Copied(**copied)
    target = Path(record.target)
    try:
        current = file_sha256(target)
    except FileNotFoundError:
        return False
    if current != record.sha256:
        raise DatasetError.of("copy_in.changed_since_copied_kept", target_name=target.name,
                              class_name=record.class_name)
    target.unlink()
    return True
