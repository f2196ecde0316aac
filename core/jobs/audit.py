"""The door of ``audit`` (labelled "Check my data" in the window): what both fronts run for the
audit and clearing the exclusion list. (Excluding and "Move to class…" are core.data.exclusions and
core.data.move_file, called directly by the window.)"""
from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from core.events import EventSink, ignore_events


def run_audit(data_dir: str | Path, val_dir: str | Path | None = None, backbone: str | None = None,
              weights: Any = "imagenet", image_size: int | None = None, sink: EventSink = ignore_events,
              cancel: threading.Event | None = None) -> Any:
    """Duplicates, suspected mislabelled images and outliers: core.insight.audit.AuditReport."""
    from core.backbones import DEFAULT_BACKBONE

    check_audit_settings(backbone or DEFAULT_BACKBONE, image_size)
    from core.insight.audit import run_audit as audit

    return audit(data_dir, val_dir, backbone or DEFAULT_BACKBONE, weights, image_size, sink, cancel)


def check_audit_settings(backbone: str | None, image_size: int | None) -> None:
    """Refuse an image size outside the one table of ranges (core.config.LIMITS, as ``train``
    does), before TensorFlow is imported: ``--image-size 99999`` took the whole machine's memory
    and left a 4 TB sparse cache file, ``0`` was taken as a size."""
    from core.config import check_train_settings

    check_train_settings(SimpleNamespace(backbone=backbone, image_size=image_size))


def check_audit_folders(data_dir: str | Path, val_dir: str | Path | None = None) -> None:
    """Refuse a missing folder before TensorFlow is imported (a typo costs a second)."""
    from core.errors import FolderNotFoundError

    for folder in (data_dir, val_dir):
        if folder is not None and not Path(folder).expanduser().is_dir():
            raise FolderNotFoundError.of("audit.folder_does_not_exist", folder=folder)


def clear_exclusions(root: str | Path) -> int:
    """Include every excluded image of ``root`` again; returns how many were excluded."""
    from core.data.exclusions import include_again

    return include_again(root)
