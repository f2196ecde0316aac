"""Counts per subfolder from a folder classification: ``predict BUNDLE FOLDER --summary counts.csv``
and the window's Summary view (TensorFlow-free; the numbers are core.stats.counts').

Each image counts for its subfolder (plate, well, condition) relative to the input folder it was
found under; with several input folders the folder's name leads (``plateA/well1``), so two inputs
with the same subfolders never mix. The adjusted proportions come from the bundle's statistics: by
EM on the calibrated probabilities (core/stats/label_shift.py, bundles saved with its record), else
by inverting the validation confusion matrix (core/stats/counts.py, bundles saved before it). A
model without statistics (a bundle saved before calibration, an ImageNet classifier) still gets the raw counts with their Wilson intervals, and the adjusted columns stay
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
from core.messages import message
from core.stats.counts import SUMMARY_COLUMNS, folder_summary, write_counts_csv
from core.stats.intervals import THIN_PER_CLASS
from core.stats.label_shift import em_summary, top_k_matrix

NO_ADJUSTMENT_NOTE = message("counts.no_adjustment")


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
    adjusted columns are empty, or that they rest on a thin validation set (fewer than 30 images in
    some class, core.stats.intervals' rule), or is None."""
    index = {name: i for i, name in enumerate(class_names)}
    roots = [Path(p).expanduser() for p in inputs if Path(p).expanduser().is_dir()]
    groups: dict[str, list[Any]] = {}
    for path, prediction in items:
        if prediction.error or not prediction.top:
            continue
        groups.setdefault(folder_label(path, roots), []).append(prediction)
    c = len(class_names)
    em_record = usable_label_shift(statistics, c)
    confusion = np.asarray(statistics["confusion_matrix"], np.int64) if statistics else np.eye(c, dtype=np.int64)
    rows = []
    for folder in sorted(groups):
        if em_record is not None:  # the calibrated probabilities' EM (core/stats/label_shift.py says why)
            tops = [[(index[g.label], float(g.probability)) for g in p.top] for p in groups[folder]]
            counted = em_summary(top_k_matrix(tops, c), em_record, class_names)
        else:  # an older bundle: the inverted validation confusion matrix
            labels = np.asarray([index[p.top[0].label] for p in groups[folder]], np.int64)
            counted = folder_summary(labels, confusion, class_names, bootstrap)
        for row in counted:
            if not statistics:
                row.update(adjusted=None, adjusted_low=None, adjusted_high=None)
            rows.append({"folder": folder, **row})
    if not statistics:
        return rows, NO_ADJUSTMENT_NOTE
    thin = bool((statistics.get("accuracy") or {}).get("thin_evidence"))
    return rows, message("counts.thin_validation", n=THIN_PER_CLASS) if thin and rows else None


def usable_label_shift(statistics: dict[str, Any] | None, n_classes: int) -> dict[str, Any] | None:
    """The statistics' EM record when it is there and well formed (bundles saved before it have none,
    a model with no validation error has None): else the counts use the confusion matrix."""
    record = (statistics or {}).get("label_shift")
    try:
        if (record and len(record["prior"]) == n_classes and len(record["temperatures"]) == len(record["priors"]) > 0
                and all(len(row) == n_classes for row in record["priors"]) and float(record["temperature"]) > 0
                and min(record["temperatures"]) > 0):
            return record
    except (KeyError, TypeError, ValueError):
        pass
    return None


def write_summary(path: str | Path, items: Sequence[tuple[Path, Any]], inputs: Sequence[str | Path],
                  class_names: Sequence[str], statistics: dict[str, Any] | None) -> tuple[Path, str | None]:
    """The summary CSV (core.stats.counts.write_counts_csv: exact columns, atomic) and the note."""
    rows, note = summarise_predictions(items, inputs, class_names, statistics)
    return write_counts_csv(path, rows), note
