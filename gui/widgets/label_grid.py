"""The labelling window's queue as a thumbnail grid: a model over the suggestions, a QListView in
icon mode, and the job that decodes the thumbnails off the GUI thread.

Why a model and not a QListWidget: the queue is replaced after every refit and rows leave it on
every key press; a model changes one row or resets at once, and the thumbnails (decoded off the GUI
thread as QImages, turned into pixmaps here) are looked up by path, so a re-ranked queue reuses
them instead of decoding again.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QSpinBox, QWidget

from .common import read_thumbnail

THUMB = 112


def percent_box(box: QSpinBox, low: int, high: int, value: int) -> QSpinBox:
    """``box`` set up for a whole percentage."""
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(" %")
    return box


def thumbnails_job(paths: list[str], size: int) -> Callable[[Any, threading.Event], dict[str, Any]]:
    """Decode ``paths`` scaled to ``size`` (QImages: safe off the GUI thread)."""

    def run(_sink: Any, cancel: threading.Event) -> dict[str, Any]:
        images = {}
        for path in paths:
            if cancel.is_set():
                break
            images[path] = read_thumbnail(path, size)
        return images

    return run


class SuggestionModel(QAbstractListModel):
    """Rows: the suggestions (dicts with ``path``, ``suggested``, ``probability``, ``score``)."""

    PathRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.images: dict[str, QImage] = {}
        self._pixmaps: dict[str, QPixmap] = {}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802,B008 (Qt naming)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if row.get("suggested") is None:
                return "?"
            return f"{row['suggested']} · {100 * float(row['probability']):.0f} %"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmap(row["path"])
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["path"]
        if role == self.PathRole:
            return row["path"]
        return None

    def _pixmap(self, path: str) -> QPixmap | None:
        if path not in self._pixmaps and path in self.images and not self.images[path].isNull():
            self._pixmaps[path] = QPixmap.fromImage(self.images[path])
        return self._pixmaps.get(path)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def take(self, row: int) -> dict[str, Any]:
        self.beginRemoveRows(QModelIndex(), row, row)
        item = self.rows.pop(row)
        self.endRemoveRows()
        return item

    def put(self, row: int, item: dict[str, Any]) -> None:
        row = max(0, min(row, len(self.rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.insert(row, item)
        self.endInsertRows()

    def missing_thumbnails(self) -> list[str]:
        return [row["path"] for row in self.rows if row["path"] not in self.images]

    def add_thumbnails(self, images: dict[str, QImage]) -> None:
        self.images.update(images)
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1), [Qt.ItemDataRole.DecorationRole])


def thumbnail_grid(model: SuggestionModel, parent: QWidget | None = None) -> QListView:
    view = QListView(parent)
    view.setObjectName("labelGrid")
    view.setAccessibleName(QCoreApplication.translate("LabelWindow", "Images to label"))  # the label window's grid
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setMovement(QListView.Movement.Static)
    view.setIconSize(QSize(THUMB, THUMB))
    view.setGridSize(QSize(THUMB + 24, THUMB + 36))
    view.setUniformItemSizes(True)
    view.setWordWrap(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setModel(model)
    return view
