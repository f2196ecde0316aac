"""Where the application keeps its files. Environment variables override the XDG defaults so
tests, CI and labs with shared machines can redirect everything."""
from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "finetune-studio"


class AppFolderError(ValueError):
    """The app's own data or cache folder cannot be made or used; the message names it and the
    setting that chose it. A ValueError, so the CLI shows it as one line (exit code 2) and the run
    recorder goes on without a store; defined here because core.errors is a sibling this module
    may not import (pyproject.toml's layers)."""


def _dir(env_var: str, xdg_var: str, fallback: str) -> Path:
    explicit = os.environ.get(env_var)
    base = Path(explicit) if explicit else Path(os.environ.get(xdg_var) or Path.home() / fallback) / APP_NAME
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        why = ("it is a file, not a folder" if isinstance(error, (FileExistsError, NotADirectoryError))
               else (error.strerror or type(error).__name__).lower())
        chosen = f" (set by {env_var})" if explicit else f" (choose another one with {env_var})"
        raise AppFolderError(f"The app's folder '{base}'{chosen} cannot be used: {why}. Point {env_var} at a "
                             "folder you can write to.") from None
    if not base.is_dir():
        raise AppFolderError(f"The app's folder '{base}' is not a folder; point {env_var} at a folder you can "
                             "write to.")
    return base


def user_data_dir() -> Path:
    """Logs, the sample dataset and other files the user may want to keep."""
    return _dir("FTS_DATA_DIR", "XDG_DATA_HOME", ".local/share")


def user_cache_dir() -> Path:
    """Converted weights, decoded-image and feature caches: safe to delete at any time."""
    return _dir("FTS_CACHE_DIR", "XDG_CACHE_HOME", ".cache")


def folder_problem(folder: str | Path, needed_bytes: int = 0) -> str | None:
    """None when ``folder`` can be created and written with ``needed_bytes`` free; otherwise why not, in
    words ("the disk holding ... is full", "... cannot be written (Read-only file system)").

    Why a real probe (a folder made, a file written and removed) rather than ``os.access``: permissions do
    not show a read-only mount or a full disk, and root ignores them. A read-only or full ``FTS_DATA_DIR``
    used to be found out by the checkpoint writer after the first epoch, in a 67-line traceback."""
    import errno
    import shutil

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        with open(probe, "wb") as handle:
            handle.write(b"\0")
        probe.unlink()
        free = shutil.disk_usage(folder).free
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"the disk holding '{folder}' is full"
        return f"'{folder}' cannot be written ({error.strerror or error})"
    if free < needed_bytes:
        return f"the disk holding '{folder}' has only {free / 2**20:.0f} MB free"
    return None


def weights_dirs() -> list[Path]:
    """Folders searched for pre-placed ImageNet weight files before Keras tries to download.

    ``FTS_WEIGHTS_DIR`` may hold several folders separated by ``os.pathsep``; the GUI setting
    is passed the same way.
    """
    raw = os.environ.get("FTS_WEIGHTS_DIR", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


TENSORBOARD_ENV = "FTS_TENSORBOARD_DIR"


def tensorboard_run_dir(run_id: str) -> str | None:
    """Where a run writes TensorBoard event files when no ``--tensorboard DIR`` was given: a folder
    per run id under ``$FTS_TENSORBOARD_DIR`` (the window's Settings › TensorBoard logs sets it for
    the engine), so ``tensorboard --logdir`` on that folder lists every run beside the others."""
    root = os.environ.get(TENSORBOARD_ENV, "").strip()
    return str(Path(root) / run_id) if root else None
