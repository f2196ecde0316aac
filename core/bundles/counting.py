"""Counts per subfolder from a folder classification: ``predict BUNDLE FOLDER --summary counts.csv``
and the window's Summary view (TensorFlow-free; the numbers are core.stats.counts').

Each image counts for its subfolder (plate, well, condition) relative to the input folder it was
found under; with several input folders the folder's name leads (``plateA/well1``), so two inputs
with the same subfolders never mix. The adjusted proportions need the validation confusion matrix
of the bundle's statistics; a model without them (a bundle saved before calibration, an ImageNet
classifier) still gets the raw counts with their Wilson intervals, and the adjusted columns stay
empty with a note, rather than a correction made up from nothing.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from core.data.image_files import shown
from core.data.outputs import check_output_outside_datasets, check_output_writable
from core.errors import OutputTargetError
from core.stats.counts import SUMMARY_COLUMNS, folder_summary, write_counts_csv

NO_ADJUSTMENT_NOTE = ("This model has no validation statistics (saved before calibration), so only the raw "
                      "counts are given; train it again to get adjusted proportions.")
ADJUSTED_MEANING = ("“Adjusted” corrects each proportion for the model's own mistakes, measured on its "
                    "validation images; it matters when a folder's mix of classes differs from the training "
                    "images' (a rare class is over-counted by the errors of the common ones).")


def check_summary_target(paths: Sequence[str | Path], summary_path: str | Path,
                         datasets: Sequence[str | Path] = ()) -> None:
    """Refuse, before any work, a summary CSV inside an input folder or a dataset, one that would
    replace a file that is not a counts summary, or a place that cannot be written."""
    target = Path(summary_path).expanduser()
    check_output_outside_datasets(target, datasets)
    check_output_writable(target)
    resolved = Path(os.path.realpath(target))
    for given in paths:
        folder = Path(os.path.realpath(Path(given).expanduser()))
        if folder.is_dir() and resolved.is_relative_to(folder):
            raise OutputTargetError.of("counting.summary_file_inside_input", target=shown(target),
                                       folder=shown(folder))
    if not target.parent.is_dir():
        raise OutputTargetError.of("counting.folder_summary_file_does", target=shown(target))
    if os.path.lexists(target):
        if not target.is_file() or target.is_symlink():
            raise OutputTargetError.of("counting.exists_not_regular_file", target=shown(target))
        head = ",".join(SUMMARY_COLUMNS).encode()
        with open(target, "rb") as stream:
            if stream.read(len(head)) != head:
                raise OutputTargetError.of("counting.exists_not_counts_summary", target=shown(target))


def folder_label(path: str | Path, roots: Sequence[str | Path]) -> str:
    """The image's folder relative to the input folder holding it ("." for that folder itself);
    with several inputs, prefixed by the input folder's name. A file given by itself: its folder's name."""
    parent = Path(path).parent
    for root in roots:
        root = Path(root)
        if parent == root or root in parent.parents:
            inside = parent.relative_to(root).as_posix()
            if len(roots) == 1:
                return inside
            return root.name if inside == "." else f"{root.name}/{inside}"
    return parent.name or "."


def summarise_predictions(items: Sequence[tuple[Path, Any]], inputs: Sequence[str | Path],
                          class_names: Sequence[str], statistics: dict[str, Any] | None,
                          bootstrap: int = 1000) -> tuple[list[dict[str, Any]], str | None]:
    """``(rows, note)``: one row per subfolder and class (:data:`SUMMARY_COLUMNS` plus ``n_images``),
    from ``(path, ImagePrediction)`` pairs; unreadable images are not counted. ``note`` says why the
    adjusted columns are empty, or None."""
    index = {name: i for i, name in enumerate(class_names)}
    roots = [Path(p).expanduser() for p in inputs if Path(p).expanduser().is_dir()]
    groups: dict[str, list[int]] = {}
    for path, prediction in items:
        if prediction.error or not prediction.top:
            continue
        groups.setdefault(folder_label(path, roots), []).append(index[prediction.top[0].label])
    c = len(class_names)
    confusion = np.asarray(statistics["confusion_matrix"], np.int64) if statistics else np.eye(c, dtype=np.int64)
    rows = []
    for folder in sorted(groups):
        for row in folder_summary(np.asarray(groups[folder], np.int64), confusion, class_names, bootstrap):
            if not statistics:
                row.update(adjusted=None, adjusted_low=None, adjusted_high=None)
            rows.append({"folder": folder, **row})
    return rows, None if statistics else NO_ADJUSTMENT_NOTE


def write_summary(path: str | Path, items: Sequence[tuple[Path, Any]], inputs: Sequence[str | Path],
                  class_names: Sequence[str], statistics: dict[str, Any] | None) -> tuple[Path, str | None]:
    """The summary CSV (core.stats.counts.write_counts_csv: exact columns, atomic) and the note."""
    rows, note = summarise_predictions(items, inputs, class_names, statistics)
    return write_counts_csv(path, rows), note
