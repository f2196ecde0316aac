""""Move to class…": the one action that ever changes the user's folders, and only when asked.

Why here and so careful: a data folder is the user's, usually the only copy of their work. The
window asks and confirms first; this module then moves exactly one file into a sibling class
folder of the same data folder and never overwrites: the new name is claimed with a hard link
(which fails if the name exists, with no window between check and write), and only then is the
old name removed. Where hard links are impossible (another disk, some file systems) the file is
copied to an exclusively created name and the original removed after the copy is complete.
"""
from __future__ import annotations

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
        raise DatasetError(f"'{source}' is not an image inside the data folder '{root}'.")
    if class_name in ("", ".", "..") or os.sep in class_name or not folder.is_dir():
        raise DatasetError(f"The data folder '{root}' has no class folder '{class_name}'.")
    target = folder / source.name
    if os.path.realpath(target.parent) == os.path.realpath(source.parent):
        raise DatasetError(f"'{source.name}' is already in the class '{class_name}'.")
    try:
        os.link(source, target)
    except FileExistsError:
        raise DatasetError(f"'{class_name}' already has a file named '{source.name}'; nothing was moved "
                           "(rename one of them first).") from None
    except OSError:
        try:
            with open(source, "rb") as reader, open(target, "xb") as writer:  # "x": never overwrite
                shutil.copyfileobj(reader, writer)
        except FileExistsError:
            raise DatasetError(f"'{class_name}' already has a file named '{source.name}'; nothing was moved.") \
                from None
        shutil.copystat(source, target)
    exclusions.include_again(root, [source])
    source.unlink()
    return target
