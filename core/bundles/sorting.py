"""Copies of classified images sorted into class folders (``predict --sort-into``), never a half
file and never through a link.

Why a module of its own: the copy is where a kill, a rerun or a link swapped into the sort target
could damage a user's folder (issue 24: a link ``sorted/zero -> data/one`` added 45 mislabelled
images to a training class; a kill left truncated copies under the images' own names; a rerun
added ``name (2).png`` beside an identical copy). :func:`copy_unique` answers all three; see its
docstring. TensorFlow-free.
"""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from pathlib import Path
from typing import Any, Sequence

from core.data.image_files import shown
from core.errors import OutputTargetError
from core.files import part_prefix, remove_dead_parts
from core.messages import Said, said

UNCERTAIN = "uncertain"


def link_refusal(folder: Path) -> Said:
    return said("sorting.link_refusal", folder=shown(folder))


def folder_name(label: str) -> str:
    """A class name as one safe folder name (ImageNet names hold '/', a class could be '..')."""
    name = "".join("_" if ch in "/\\\0" else ch for ch in label).strip()
    return name if name and not name.startswith(".") else f"_{name}"


def uncertain_name(class_names: Sequence[str]) -> str:
    """'uncertain', unless a class is called that: then '_uncertain', so the two never mix."""
    names = {folder_name(name) for name in class_names}
    return UNCERTAIN if UNCERTAIN not in names else f"_{UNCERTAIN}"


class Sorter:
    """Copies each classified image into ``root/<class>/``, or ``root/uncertain/`` when its
    probability is below ``min_confidence``, the model finds it unlike every training image, or its
    prediction set holds two or more classes ("infected or dividing": core/stats/conformal.py).
    Originals are only read; a name already taken by another image gets a suffix (``name (2).jpg``),
    one taken by this very image (a rerun) is counted and not copied again (see :func:`copy_unique`)."""

    def __init__(self, root: str | Path, class_names: Sequence[str], min_confidence: float = 0.0) -> None:
        self.root = Path(root).expanduser()
        self.min_confidence = min_confidence
        self.uncertain = uncertain_name(class_names)
        self.counts: dict[str, int] = {}

    def add(self, path: Path, prediction: Any) -> Path | None:
        """Copy the image at ``path``; None for an unreadable one (nothing to sort)."""
        if prediction.error or not prediction.top:
            return None
        best = prediction.top[0]
        undecided = len(getattr(prediction, "prediction_set", None) or ()) > 1
        sure = best.probability >= self.min_confidence and not prediction.unfamiliar and not undecided
        folder = folder_name(best.label) if sure else self.uncertain
        copied = copy_unique(path, self.root / folder, tidy=folder not in self.counts)
        self.counts[folder] = self.counts.get(folder, 0) + 1
        return copied


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FDS = {os.open, os.link, os.rename, os.unlink} <= os.supports_dir_fd  # os.replace goes with os.rename and bool(_NOFOLLOW)


def _open_folder(folder: Path) -> int | None:
    """``folder`` made if missing and opened without following a link (a descriptor every later
    step works relative to, so a link swapped in meanwhile is never followed); None where the
    system has no such calls (then the path is checked for a link instead)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
    if os.path.islink(folder):
        raise OutputTargetError.of_said(link_refusal(folder))
    if not _DIR_FDS:
        return None
    try:
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(folder):
            raise OutputTargetError.of_said(link_refusal(folder)) from None
        raise


def _same_start(name: str, source_fd: int, size: int, folder_fd: int | None) -> str:
    """How the regular file ``name`` in the folder compares with the source: 'same' (identical),
    'prefix' (shorter and equal as far as it goes: a copy that a killed run cut short), else 'other'."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC, dir_fd=folder_fd)
    except OSError:
        return "other"
    with open(fd, "rb") as existing:
        status = os.fstat(existing.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > size:
            return "other"
        os.lseek(source_fd, 0, os.SEEK_SET)
        remaining = status.st_size
        while remaining:
            chunk = existing.read(min(remaining, 1 << 20))
            if not chunk or os.read(source_fd, len(chunk)) != chunk:
                return "other"
            remaining -= len(chunk)
    return "same" if status.st_size == size else "prefix"


def copy_unique(source: Path, folder: Path, tidy: bool = True) -> Path:
    """Copy ``source`` into ``folder`` under its own name, or ``name (2)``, ``(3)``... when another
    image holds it, and return where it is.

    Never half a file under a real name: the bytes go to ``.NAME.<pid>-<random>.part`` first and
    the finished copy is then linked to its name (a hard link fails when the name exists: no window
    in which two runs could overwrite each other's copies). A kill leaves only that hidden
    temporary, which the next sort into the folder removes (``tidy``). A rerun never duplicates: a
    name that already holds exactly this image is the answer (no copy is made), and a name that
    holds a shorter start of it (a copy cut short by a kill in a version before this one, or an
    empty file from an exclusive create that was killed) is completed in place. Never through a
    link: the folder is opened without following one, and everything happens relative to it."""
    folder_fd = _open_folder(folder)
    at = (lambda name: name) if folder_fd is not None else (lambda name: str(folder / name))
    try:
        if tidy:
            remove_dead_parts(folder_fd if folder_fd is not None else folder)
        with open(source, "rb") as reading:
            status = os.fstat(reading.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise OSError(errno.EINVAL, "not a regular file", str(source))
            part = f"{part_prefix(source.name)}{secrets.token_hex(4)}.part"
            handle = os.open(at(part), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600,
                             dir_fd=folder_fd)
            try:
                with open(handle, "wb") as writing:
                    shutil.copyfileobj(reading, writing, 1 << 20)
                    writing.flush()  # before the times are set: a later flush would change them
                    if hasattr(os, "fchmod"):  # not on Windows before Python 3.13
                        os.fchmod(writing.fileno(), stat.S_IMODE(status.st_mode))
                    if os.utime in os.supports_fd:
                        os.utime(writing.fileno(), ns=(status.st_atime_ns, status.st_mtime_ns))
                return _claim_copy(source, part, folder, folder_fd, at, reading.fileno(), status.st_size)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(at(part), dir_fd=folder_fd)
    finally:
        if folder_fd is not None:
            os.close(folder_fd)


def _claim_copy(source: Path, part: str, folder: Path, folder_fd: int | None, at: Any, source_fd: int,
                size: int) -> Path:
    """Give the finished temporary ``part`` the first free name (see :func:`copy_unique`)."""
    stem, suffix = source.stem, source.suffix
    for number in range(1, 100_000):
        name = source.name if number == 1 else f"{stem} ({number}){suffix}"
        try:
            os.link(at(part), at(name), src_dir_fd=folder_fd, dst_dir_fd=folder_fd, follow_symlinks=False)
            return folder / name
        except FileExistsError:
            pass
        except OSError:  # no hard links here (FAT, some network drives): claim the name, then rename over it
            try:
                os.close(os.open(at(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600, dir_fd=folder_fd))
            except FileExistsError:
                pass
            else:
                os.replace(at(part), at(name), src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
                return folder / name
        found = _same_start(at(name), source_fd, size, folder_fd)
        if found == "same":
            return folder / name
        if found == "prefix":
            os.replace(at(part), at(name), src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
            return folder / name
    raise OSError(errno.EEXIST, "too many files of that name", str(folder / source.name))
