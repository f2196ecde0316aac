"""Finished models kept on disk by the engine, so no crash loses one.

Why: a trained model used to live only in the engine process's memory until the user chose
File › Save; when the engine died (killed by the out-of-memory killer, a user, a driver crash)
the model was gone, and the window still offered to save it. Now the engine writes every finished
model (a training run, and each method of a comparison; a stopped run's best epoch too) as a
bundle into ``core.paths.user_data_dir() / "runs" / <run id> / <method>/`` with
:func:`core.jobs.save.keep_results` (atomic) *before* it reports the result to the window. The window's
Save then copies that bundle (:func:`copy_bundle`), which works the same whether or not the engine
still runs.

The folder is bounded: after each new run only the newest :data:`KEEP_RUNS` runs stay; older
ones are deleted. Only folders named like a run (``20250301-142233-001``) directly inside the
runs folder are ever deleted, and never through a link, so nothing the user saved elsewhere is
touched: Save makes an independent copy, and that copy is the user's. A later run store (the
experiments issue) owns this folder and may replace this policy.

This module is the folder's policy (names, pruning, copying); writing a run's bundles is
:func:`core.jobs.save.keep_results`, since it needs the training side. TensorFlow-free.
"""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Iterable

from core.bundles.bundle import check_save_target, write_atomically
from core.paths import user_data_dir
from core.runs.store import RUN_ID, RUNS_FOLDER

log = logging.getLogger("finetune_studio")

KEEP_RUNS = 20  # newest runs kept; older ones are deleted when a new run is kept


def runs_dir() -> Path:
    return user_data_dir() / RUNS_FOLDER


def new_run_dir(root: Path | None = None) -> Path:
    """A new, empty run folder named by the time and a counter (``20250301-142233-001``); created with
    an exclusive mkdir, so two engines (two windows) never share one."""
    root = root if root is not None else runs_dir()
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for counter in range(1, 1000):
        folder = root / f"{stamp}-{counter:03d}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise OSError(f"Could not create a new run folder in {root}.")


def run_dir(run_id: str | None, root: Path | None = None) -> Path:
    """The folder of the recorded run ``run_id`` (core/runs/store.py: one id names the record, its
    checkpoints and its kept bundles), created if missing; a new run folder without an id."""
    if not run_id or not RUN_ID.match(run_id):
        return new_run_dir(root)
    folder = (root if root is not None else runs_dir()) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def prune(root: Path, keep: int = KEEP_RUNS, spare: Path | Iterable[Path] | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` run folders in ``root`` (never one in ``spare``: a folder or
    several); the deleted ones.

    Only real folders whose name is a run id are considered; a link is never followed or removed."""
    spared = set() if spare is None else {spare} if isinstance(spare, Path) else set(spare)
    try:
        runs = sorted((p for p in root.iterdir() if RUN_ID.match(p.name) and p.is_dir() and not p.is_symlink()),
                      key=lambda p: p.name, reverse=True)
    except OSError:
        return []
    removed = []
    for folder in runs[max(keep, 1):]:
        if folder in spared:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    if removed:
        log.info("deleted %d old kept run(s) from %s (keeping the newest %d)", len(removed), root, keep)
    return removed


def copy_bundle(source: str | Path, target: str | Path) -> Path:
    """Copy the kept bundle ``source`` to ``target`` atomically (the Save of a kept model)."""
    source = Path(source)
    size = sum(item.stat().st_size for item in source.iterdir() if item.is_file())
    check_save_target(target, needed_bytes=size)  # not a bundle, or no room: refused before anything is written

    def fill(folder: Path) -> None:
        for item in source.iterdir():
            if item.is_file() and not item.is_symlink():
                shutil.copyfile(item, folder / item.name)  # new files: the user's umask applies

    return write_atomically(Path(target), fill)
