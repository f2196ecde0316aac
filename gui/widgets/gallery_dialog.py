"""The Results tab's gallery: thumbnails of the images behind a confusion-matrix cell, a confused pair
or the hardest examples, each with its true and predicted class and confidence.

A module of its own because it is a window of its own (gui/widgets/results_panel.py opens it and
gui/widgets/explain_view.py adds its Explain toggle to it): it loads the thumbnails a few at a time
on a zero-interval timer, so a cell of hundreds of images never stalls the window.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from .common import hint_label, read_thumbnail, set_names

THUMB = 120
MAX_GALLERY = 300  # thumbnails per gallery; more would only slow the dialog down


class GalleryDialog(QDialog):
    """Thumbnails of some images with their true and predicted class; loads them a few at a time so
    the window stays responsive on large cells."""

    def __init__(self, title: str, items: list[dict[str, Any]], class_names: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryDialog")
        self.setWindowTitle(title)
        self.resize(760, 520)
        self.items = items[:MAX_GALLERY]
        self.class_names = class_names
        layout = QVBoxLayout(self)
        self.header = hint_label(self._header_text(title, len(items)))
        layout.addWidget(self.header)
        self.list = set_names(QListWidget(), "galleryList", self.tr("Images"),
                              self.tr("Double-click shows the file's path"))
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 36, THUMB + 56))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout.addWidget(self.list, 1)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        for item in self.items:
            self.list.addItem(self._entry(item))
        self.loaded = 0
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._load_some)
        if self.items:
            self._timer.start()

    def _header_text(self, title: str, count: int) -> str:
        if count > MAX_GALLERY:
            return self.tr("{title}: {count} images (showing the first {shown})").format(
                title=title, count=count, shown=MAX_GALLERY)
        if count == 1:
            return self.tr("{title}: 1 image").format(title=title)
        return self.tr("{title}: {count} images").format(title=title, count=count)

    def _entry(self, item: dict[str, Any]) -> QListWidgetItem:
        true, predicted = self._name(item["true"]), self._name(item["predicted"])
        text = self.tr("true: {true}\npredicted: {predicted} ({confidence})").format(
            true=true, predicted=predicted, confidence=f"{item['confidence']:.0%}")
        entry = QListWidgetItem(text)
        path = item.get("path") or ""
        entry.setToolTip(f"{path}\n{text}")
        entry.setData(Qt.ItemDataRole.UserRole, path)
        if true != predicted:
            entry.setForeground(QColor("#b3261e"))
        return entry

    def _name(self, value: Any) -> str:
        return self.class_names[value] if isinstance(value, int) and 0 <= value < len(self.class_names) else str(value)

    def _load_some(self, batch: int = 12) -> None:
        for index in range(self.loaded, min(self.loaded + batch, len(self.items))):
            path = self.items[index].get("path")
            image = read_thumbnail(path, THUMB) if path else None
            pixmap = QPixmap.fromImage(image) if image is not None and not image.isNull() else _missing()
            self.list.item(index).setIcon(QIcon(pixmap))
        self.loaded = min(self.loaded + batch, len(self.items))
        if self.loaded >= len(self.items):
            self._timer.stop()


def _missing() -> QPixmap:
    pixmap = QPixmap(THUMB, THUMB)
    pixmap.fill(QColor("#d9dde3"))
    return pixmap
