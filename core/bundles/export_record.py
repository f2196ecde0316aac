"""The bundle's own list of its exports (``exports.json`` in the bundle folder), for the report.

Why on the bundle's side: an export folder's export.json names the bundle it came from, but the
bundle cannot find its exports (they live wherever the user put them). Each verified export
appends one small entry here; the list keeps the newest :data:`MAX_EXPORTS`. It is written to a
temporary sibling and renamed over the old list, so a crash leaves the old list or the new one,
never half of either. Recording is best effort: a read-only bundle still exports (logged).
TensorFlow-free.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

EXPORTS_FILE = "exports.json"
MAX_EXPORTS = 50
MAX_BYTES = 1 << 20
KEYS = ("format", "path", "runtime", "agreement", "max_abs_diff", "images", "accuracy_app", "accuracy_export")

log = logging.getLogger("finetune_studio")


def read_exports(bundle_dir: str | Path) -> list[dict[str, Any]]:
    """The recorded exports, oldest first; [] when none are recorded or the list is damaged."""
    path = Path(bundle_dir) / EXPORTS_FILE
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        entries = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BYTES else []
    except (OSError, ValueError, RecursionError):
        return []
    return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []


def record_export(bundle_dir: str | Path, report: dict[str, Any]) -> bool:
    """Append ``report`` (ExportReport's fields) with the time; False (logged) when it cannot be written."""
    folder = Path(bundle_dir)
    entry = {key: report.get(key) for key in KEYS}
    entry["exported"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    entries = (read_exports(folder) + [entry])[-MAX_EXPORTS:]
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{EXPORTS_FILE}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entries, stream, indent=1, ensure_ascii=True)
            os.replace(tmp, folder / EXPORTS_FILE)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as error:
        log.warning("could not record the export in %s: %s", folder, error)
        return False
    return True
