"""Writing one file so that nobody ever sees half of it: the app's one temporary-file-and-rename.

Every small file the app writes for keeps (the exclusion list, a bundle's list of exports, a report,
Grad-CAM overlays, converted weights) goes through here: the bytes go to a hidden temporary sibling
(``.NAME.<random>.tmp``, so a leftover is recognisable), are flushed to disk, get the mode a plain
``open()`` would give (``mkstemp`` makes 0600, which a colleague could not read), and are then
renamed into place. Any failure removes the temporary file and leaves the old file as it was.

:func:`write_new_file` never replaces anything: the name is claimed with a hard link, which fails
when the name exists, so there is no window between "is it free?" and "write it".

Stdlib only and TensorFlow-free: the lowest layer, so that every part of ``core`` may use it.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Union

Data = Union[bytes, str, Callable[[BinaryIO], None]]  # bytes, text (UTF-8) or a writer of the stream


def umask(folder: Path) -> int:
    """The process's umask, measured with a probe folder inside ``folder``: ``os.umask`` can only be
    read by changing it process-wide (a race with other threads creating files)."""
    probe = Path(folder) / f".mode-probe-{os.getpid()}-{secrets.token_hex(4)}"
    os.mkdir(probe, 0o777)
    try:
        return 0o777 & ~os.stat(probe).st_mode
    finally:
        os.rmdir(probe)


def _temporary(target: Path, data: Data, fsync: bool) -> Path:
    """``data`` written completely into a hidden sibling of ``target`` with the umask's mode."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            if fsync:
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~umask(target.parent))  # the mode a plain open() would give
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_file_atomic(target: str | Path, data: Data, fsync: bool = True) -> None:
    """Write ``data`` to ``target``, replacing it in one rename: readers see the old file or the new
    one, and a failure (disk full, a kill) leaves the old one and no temporary file."""
    target = Path(target)
    temporary = _temporary(target, data, fsync)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _claim(temporary: Path, target: Path) -> None:
    """Put ``temporary``'s file at ``target`` unless that name exists (FileExistsError then)."""
    try:
        os.link(temporary, target)  # fails if the name exists: no window between check and write
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network drives): claim the name, then rename over our own claim
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        try:
            os.replace(temporary, target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise


def write_new_file(candidates: Iterable[str | Path], data: Data, fsync: bool = True) -> Path:
    """Write ``data`` under the first of ``candidates`` (all in one folder, tried lazily, in order) that
    does not exist yet and return it: never over an existing file, even one that appears while this
    runs. FileExistsError when every name is taken."""
    names = iter(candidates)
    first = next(names, None)
    if first is None:
        raise FileExistsError("No free file name to write to.")
    first = Path(first)
    temporary = _temporary(first, data, fsync)
    try:
        for target in itertools.chain([first], map(Path, names)):
            try:
                _claim(temporary, target)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"No free file name for '{first.name}' in '{first.parent}'.")
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


# -- temporaries that carry their owner's pid --------------------------------------------------------
# ``.NAME.<pid>-<random>.part``: a CSV being written, an image being copied into a sort folder. The
# pid tells whoever writes there next whether the owner still runs (leave it) or was killed (remove it).
_PART = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-[A-Za-z0-9_]+\.part")


def part_prefix(name: str) -> str:
    """The start of a temporary's name for ``name`` (``mkstemp(prefix=..., suffix='.part')``)."""
    return f".{name}.{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (anyone's). On Windows always True: ``os.kill(pid, 0)`` would
    end it there, and a leftover kept is harmless, a live one removed is not."""
    if os.name == "nt" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's live process
        return True
    return True


def remove_dead_parts(folder: str | Path | int, name: str | None = None) -> int:
    """Remove the ``.part`` temporaries in ``folder`` (a path or an open folder descriptor) whose
    owner process is gone; only those of ``name`` when given. Returns how many were removed; a
    folder that cannot be listed or a file that cannot be removed is left as is."""
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    removed = 0
    for entry in names:
        match = _PART.fullmatch(entry)
        if not match or (name is not None and match["name"] != name) or pid_alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            if isinstance(folder, int):
                os.unlink(entry, dir_fd=folder)
            else:
                os.unlink(Path(folder) / entry)
            removed += 1
    return removed


class RefusedFile(ValueError):
    """A file that was not read: not a regular file (a device, a pipe, a folder) or larger than the
    limit its reader sets. The message names the file and why, in words for the user."""


def size_words(size: int) -> str:
    """A size as people read it: 1.5 GB, 300 MB."""
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The whole content of the regular file ``path``, at most ``limit`` bytes, or :class:`RefusedFile`.

    Why: files the app reads back (a bundle's labels, classifier, calibration, lists of exports) come
    from wherever the user got the bundle. ``familiarity.npz`` as a symlink to ``/dev/zero`` made a
    plain ``read_bytes()`` read until the machine ran out of memory, and a named pipe blocks a plain
    ``open()`` forever. So the file is opened without blocking, checked to be a regular file, and
    never read past ``limit + 1`` bytes (the size on disk can change between the check and the read).
    OSError (missing, unreadable) is left to the caller, as ``open`` raises it.
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    with open(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile(f"{path.name} is not a regular file (a device, a pipe or a folder)")
        if info.st_size > limit:
            raise RefusedFile(f"{path.name} is larger than {size_words(limit)} ({size_words(info.st_size)})")
        raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise RefusedFile(f"{path.name} is larger than {size_words(limit)}")
    return raw
