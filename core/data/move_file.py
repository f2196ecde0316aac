""""Move to class…": the one action that ever changes the user's folders, and only when asked.

Why here and so careful: a data folder is the user's, usually the only copy of their work. The
window asks and confirms first; this module then moves exactly one file into a sibling class
folder of the same data folder and never overwrites: the new name is claimed with a hard link
(which fails if the name exists, with no window between check and write), and only then is the
old name removed. Where hard links are impossible (another disk, some file systems) the file is
copied to an exclusively created name and the original removed after the copy is complete. Any
step that fails (a full disk mid-copy, a source folder that cannot be changed) removes the new name
again: the file is then in its old class only, still on the exclusion list if it was, and the user
is told that nothing was moved.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from core.data import exclusions
from core.errors import DatasetError


def move_to_class(path: str | Path, root: str | Path, class_name: str) -> Path:
    """Move ``path`` (an image inside the data folder ``root``) into ``root/class_name/``; return
    the new path. Refuses (DatasetError) a missing class folder, a file outside ``root`` and a name
    already taken in the target folder. An exclusion of the file is dropped (it is a new file now)."""
    source, folder = Path(path), Path(root) / class_name
    if exclusions.relative_to_root(source, root) is None or not source.is_file():
        raise DatasetError.of("move_file.not_image_inside_data", source=source, root=root)
    if class_name in ("", ".", "..") or os.sep in class_name or not folder.is_dir():
        raise DatasetError.of("move_file.data_folder_no_class", root=root, class_name=class_name)
    target = folder / source.name
    if os.path.realpath(target.parent) == os.path.realpath(source.parent):
        raise DatasetError.of("move_file.already_class", source_name=source.name, class_name=class_name)
    try:
        os.link(source, target)
    except FileExistsError:
        raise DatasetError.of("move_file.already_file_named_nothing", class_name=class_name, source_name=source.name) from None
    except OSError:
        _copy_to_new_name(source, target, class_name)
    try:
        source.unlink()  # the new name holds the whole file: only now does the old one go
    except BaseException as error:
        target.unlink(missing_ok=True)  # undo: the image stays where it was, in one class only
        if isinstance(error, OSError):
            raise DatasetError.of("move_file.could_not_move_could", source_name=source.name, class_name=class_name,
                                  reason=error.strerror or error) from error
        raise
    exclusions.include_again(root, [source])  # it is a new file now
    return target


def _copy_to_new_name(source: Path, target: Path, class_name: str) -> None:
    """Copy ``source`` to the new name ``target`` (never over a file); on any failure the partial copy
    is removed and nothing has changed."""
    try:
        writer = open(target, "xb")  # "x": never overwrite
    except FileExistsError:
        raise DatasetError.of("move_file.already_file_named_nothing_2", class_name=class_name,
                              source_name=source.name) from None
    except OSError as error:
        raise DatasetError.of("move_file.could_not_move_nothing", source_name=source.name, class_name=class_name,
                              reason=error.strerror or error) from error
    try:
        with writer, open(source, "rb") as reader:
            shutil.copyfileobj(reader, writer)
    except BaseException as error:
        target.unlink(missing_ok=True)  # a partial copy (disk full) must not stay in the class folder
        if isinstance(error, OSError):
            raise DatasetError.of("move_file.could_not_copy_nothing", source_name=source.name, class_name=class_name,
                                  reason=error.strerror or error) from error
        raise
    with contextlib.suppress(OSError):  # FAT and some network drives cannot set times or modes: the pixels are moved
        shutil.copystat(source, target)
