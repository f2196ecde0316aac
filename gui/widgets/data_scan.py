"""What the Data panel scans: the classes and counts of a training folder (and of an optional
validation folder), with the skipped files and one thumbnail per class, and the one-sentence reasons
why such data cannot be trained on. A model of the data apart from the widgets that show it
(gui/widgets/data_panel.py), so its words and rules are read in one place; the scan runs as a worker
job (thousands of headers take a while)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from .common import read_thumbnail

THUMB = 36
IMBALANCE_RATIO = 3.0  # largest class / smallest class above which we warn
MIN_PER_CLASS = 2  # images; fewer and a class can be neither learned nor checked


@dataclass
class ScanResult:
    train_dir: str
    val_dir: str | None
    class_names: tuple[str, ...]
    counts: dict[str, int]
    val_counts: dict[str, int] | None
    skipped: list[tuple[str, str]]  # (path, reason)
    thumbnails: dict[str, Any] = field(default_factory=dict)  # class -> QImage
    excluded: int = 0  # images left out by the user (Check my data), in both folders

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def problem(self) -> str | None:
        """Why this data cannot be trained on (one sentence, translated), or None when it can."""
        if len(self.class_names) < 2:
            if not self.class_names:
                return QCoreApplication.translate(
                    "ScanResult", "A classifier needs at least two classes (one subfolder each): found none.")
            return QCoreApplication.translate(
                "ScanResult", "A classifier needs at least two classes (one subfolder each): found {count}.").format(
                count=len(self.class_names))
        few = [name for name in self.class_names if self.counts.get(name, 0) < MIN_PER_CLASS]
        if not few:
            return None
        if len(few) == 1:
            count = self.counts.get(few[0], 0)
            text = (QCoreApplication.translate("ScanResult", "Class '{name}' has only {count} image: each class "
                                               "needs at least {minimum}. Add images or remove the folder.")
                    if count == 1 else
                    QCoreApplication.translate("ScanResult", "Class '{name}' has only {count} images: each class "
                                               "needs at least {minimum}. Add images or remove the folder."))
            return text.format(name=few[0], count=count, minimum=MIN_PER_CLASS)
        quoted = QCoreApplication.translate("ScanResult", "'{name}'")  # a class name in quotes, as the language quotes
        listed = ", ".join(quoted.format(name=name) for name in few[:4]) + (" …" if len(few) > 4 else "")
        return QCoreApplication.translate("ScanResult", "Classes {names} have fewer than {minimum} images each: each "
                                          "class needs at least {minimum}.").format(names=listed, minimum=MIN_PER_CLASS)

    def imbalance(self) -> tuple[str, int, str, int] | None:
        """(largest class, count, smallest class, count) when the ratio is worrying, else None."""
        if len(self.counts) < 2:
            return None
        big = max(self.counts, key=self.counts.get)  # type: ignore[arg-type]
        small = min(self.counts, key=self.counts.get)  # type: ignore[arg-type]
        if self.counts[small] == 0 or self.counts[big] / self.counts[small] >= IMBALANCE_RATIO:
            return big, self.counts[big], small, self.counts[small]
        return None


def scan_job(train_dir: str, val_dir: str | None):
    """The scan as a worker job. When the folder has no usable image at all the error carries the
    skipped files (core.data.scan.EmptyFolderError.skipped); they are kept in ``run.skipped`` so the
    panel can list them with their reasons, since the worker hands only the message over."""

    def run(_sink: Any, cancel: threading.Event) -> ScanResult:
        import core.data.scan

        try:
            spec = core.data.scan.scan_folder(train_dir)
        except core.data.scan.EmptyFolderError as error:
            run.skipped = [(str(s.path), s.reason) for s in getattr(error, "skipped", ())]
            raise
        val_spec = core.data.scan.scan_folder(val_dir, expected_classes=spec.class_names) if val_dir else None
        skipped = [(str(s.path), s.reason) for s in spec.skipped]
        if val_spec is not None:
            skipped += [(str(s.path), s.reason) for s in val_spec.skipped]
        thumbs: dict[str, Any] = {}
        first: dict[int, Path] = {}
        for path, label in zip(spec.files, spec.labels):
            first.setdefault(label, path)
        for label, path in first.items():
            if cancel.is_set():
                break
            image = read_thumbnail(str(path), THUMB * 2)
            if not image.isNull():
                thumbs[spec.class_names[label]] = image
        return ScanResult(train_dir, val_dir, spec.class_names, spec.counts,
                          val_spec.counts if val_spec is not None else None, skipped, thumbs,
                          len(spec.excluded) + (len(val_spec.excluded) if val_spec is not None else 0))

    run.skipped = []
    return run
