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
            entries = (read_exports(folder) + [entry])[-MAX_EXPORTS:]
            write_file_atomic(folder / EXPORTS_FILE, json.dumps(entries, indent=1, ensure_ascii=True), fsync=False)
    except OSError as error:
        log.warning("could not record the export in %s: %s", folder, error)
        return False
    return True
