"""The bundle's own list of its exports (``exports.json`` in the bundle folder), for the report.

Why on the bundle's side: an export folder's export.json names the bundle it came from, but the
bundle cannot find its exports (they live wherever the user put them). Each verified export
appends one small entry here, under the bundle's lock; the list keeps the newest :data:`MAX_EXPORTS`.
It is written to a temporary sibling and renamed over the old list (core.files), so a crash leaves
the old list or the new one, never half of either. Writing it changes the bundle folder's time,
which is why a bundle's fingerprint (core.bundles.bundle) leaves that time out. Recording is best effort: a read-only bundle still exports (logged).
TensorFlow-free.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from core.bundles import atomic
from core.files import read_bounded, write_file_atomic

EXPORTS_FILE = "exports.json"
MAX_EXPORTS = 50
MAX_BYTES = 1 << 20
KEYS = ("format", "path", "runtime", "agreement", "max_abs_diff", "images", "accuracy_app", "accuracy_export")

log = logging.getLogger("finetune_studio")


def read_exports(bundle_dir: str | Path) -> list[dict[str, Any]]:
    """The recorded exports, oldest first; [] when none are recorded or the list is damaged."""
    path = Path(bundle_dir) / EXPORTS_FILE
    try:
        entries = json.loads(read_bounded(path, MAX_BYTES).decode("utf-8"))  # never a pipe or a device
    except (OSError, ValueError, RecursionError):  # RefusedFile is a ValueError
        return []
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def existing_exports(bundle_dir: str | Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(exports still there, exports gone), oldest first: an entry is there when its model file (or
    SavedModel folder) exists. An export folder hidden by a killed swap (core.bundles.atomic) is
    restored first, as a bundle is on its next load, so it counts as there. For the report and the
    window, which must not list a model file that an export of another format replaced or that the
    user deleted, nor drop one silently (the caller says which are gone)."""
    present, gone = [], []
    for entry in read_exports(bundle_dir):
        path = Path(str(entry.get("path") or ""))
        if not path.name:
            gone.append(entry)
            continue
        folder = atomic.target_path(path.parent)
        if not os.path.lexists(folder):
            atomic.tidy_quietly(folder)
        (present if os.path.lexists(path) else gone).append(entry)
    return present, gone


def record_export(bundle_dir: str | Path, report: dict[str, Any]) -> bool:
    """Append ``report`` (ExportReport's fields) with the time; False (logged) when it cannot be written.
    Under the bundle's lock (core.bundles.atomic.locked, as a save takes it), so two exports of one
    bundle at once both stay on the list."""
    folder = Path(bundle_dir)
    entry = {key: report.get(key) for key in KEYS}
    entry["exported"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    try:
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(atomic.locked(atomic.target_path(folder)))
            except OSError:  # a parent folder we may not write: nobody can save a bundle there either
                pass
            present, gone = existing_exports(folder)
            for old in gone:
                log.info("export %s of %s is no longer there; dropped from %s", old.get("path"), folder, EXPORTS_FILE)
            entries = (present + [entry])[-MAX_EXPORTS:]
            write_file_atomic(folder / EXPORTS_FILE, json.dumps(entries, indent=1, ensure_ascii=True), fsync=False)
    except OSError as error:
        log.warning("could not record the export in %s: %s", folder, error)
        return False
    return True
