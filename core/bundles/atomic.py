"""Swap a freshly written folder into place so that nothing is ever half-written or lost.

The folder is written into a hidden temporary sibling (``.NAME.saving-<pid>-<random>``), then,
under an exclusive lock on ``.NAME.lock``, the old folder is renamed to a unique backup
(``.NAME.previous-<time_ns>-<pid>-<random>``), the new one is renamed into place and the backup is
removed. The names carry the owner's pid so that whoever takes the lock next can tell leftovers
of a killed process (delete them) from work in progress (keep it), and the backup name carries
its time so that, after a kill between the two renames, the newest backup is the one restored.

This module knows nothing about what the folder holds; :mod:`core.bundles.bundle` decides which folders
may be replaced.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator

from core.files import pid_alive, umask  # umask: also used from here by callers that already import atomic

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; saves still never damage a folder, only races remain
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("finetune_studio.atomic")


def _between_renames() -> None:
    """Called after the old folder became a backup and before the new one is in place.

    A no-op: it exists so that tests can kill the process at the most delicate moment.
    """


def target_path(path: str | Path) -> Path:
    """Absolute path with the parent's symlinks resolved but not the last component's.

    Resolving the last component would silently replace the folder a symlink points to instead of
    seeing (and refusing) the symlink itself.
    """
    path = Path(path).expanduser()
    if path.name in ("", ".", ".."):
        return path.resolve()
    return path.parent.resolve() / path.name


def _pattern(target: Path, kind: str) -> re.Pattern[str]:
    name = re.escape(target.name)
    if kind == "saving":
        return re.compile(rf"\.{name}\.saving-(?P<pid>\d+)-[A-Za-z0-9_]+")
    return re.compile(rf"\.{name}\.previous-(?P<ns>\d+)-(?P<pid>\d+)-[0-9a-f]+")


def new_temporary(target: Path) -> Path:
    """An empty hidden sibling folder to fill (mode 0700 until :func:`apply_umask`)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.saving-{os.getpid()}-", dir=target.parent))


def _new_backup_name(target: Path) -> Path:
    return target.parent / f".{target.name}.previous-{time.time_ns()}-{os.getpid()}-{secrets.token_hex(4)}"


def apply_umask(folder: Path) -> None:
    """Give ``folder`` the mode a plain ``mkdir`` would (mkdtemp always makes 0700).

    The mode is measured by creating a probe folder rather than by ``os.umask``, which can only be
    read by changing it process-wide (a race with other threads creating files).
    """
    os.chmod(folder, 0o777 & ~umask(folder))


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the exclusive lock of ``target`` (``.NAME.lock`` beside it; removed on release).

    Removing the file on release is safe because a waiter that gets the lock checks that it still
    locks the file at that path, and starts over otherwise.
    """
    if fcntl is None:
        yield
        return
    lock_path = target.parent / f".{target.name}.lock"
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held = os.fstat(fd)
            try:
                current = os.stat(lock_path)
            except FileNotFoundError:
                current = None
        except BaseException:
            os.close(fd)
            raise
        if current is not None and (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(fd)  # the holder before us removed that file: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


def _leftovers(target: Path) -> tuple[list[tuple[int, int, Path]], list[tuple[int, Path]]]:
    """(backups as (time_ns, pid, path), temporaries as (pid, path)) found beside ``target``."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return [], []
    saving, previous = _pattern(target, "saving"), _pattern(target, "previous")
    backups, temporaries = [], []
    for name in names:
        if match := previous.fullmatch(name):
            backups.append((int(match["ns"]), int(match["pid"]), target.parent / name))
        elif match := saving.fullmatch(name):
            temporaries.append((int(match["pid"]), target.parent / name))
    return backups, temporaries


def has_leftovers(target: Path) -> bool:
    """Whether a killed or failed save left something to recover or tidy (no lock needed)."""
    backups, temporaries = _leftovers(target)
    return bool(backups or temporaries)


def recover_and_tidy(target: Path) -> None:
    """With the lock held: restore the newest backup if ``target`` is missing, then remove the
    backups and temporaries of processes that no longer exist."""
    backups, temporaries = _leftovers(target)
    if backups and not os.path.lexists(target):
        newest = max(backups)
        os.replace(newest[2], target)
        backups.remove(newest)
        log.warning("Restored '%s' from the backup left by an interrupted save.", target)
    for pid, path in [(pid, path) for _, pid, path in backups] + temporaries:
        if not pid_alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            log.info("Removed '%s', left behind by a save that was interrupted.", path)


def tidy_quietly(target: Path) -> None:
    """Recover and tidy if anything is left over; a folder we may not write is simply left as is."""
    if not has_leftovers(target):
        return
    try:
        with locked(target):
            recover_and_tidy(target)
    except OSError as error:
        log.warning("Could not tidy the leftovers of an interrupted save beside '%s': %s", target, error)


def swap_in(folder: Path, target: Path) -> None:
    """With the lock held: put ``folder`` at ``target``; whatever was there survives any failure.

    ``target`` must be missing, an empty folder or a folder the caller decided to replace.
    """
    backup = None
    if os.path.lexists(target):
        backup = _new_backup_name(target)
        os.replace(target, backup)
    _between_renames()
    try:
        os.replace(folder, target)
    except BaseException:
        if backup is not None:
            os.replace(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
