"""A classified folder as a table: thumbnail, file, predicted class, confidence; sortable, filtered by
class and by "confidence below", the selected image's top-5 in a detail pane, double-click opens it.

Why a model and a view rather than widgets per row (as Try it's cards): a folder can hold 100,000
images. A QTableView asks only for the rows it shows, so the rows cost a tuple each, and a
thumbnail is decoded only when its row is painted (:class:`ThumbnailLoader`, on a small thread
pool, at most a few thousand kept), never for the whole folder at once.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, QSize,
                            QSortFilterProxyModel, Qt, QThreadPool, QTimer, QUrl, Signal, Slot)
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView,
                               QLabel, QTableView, QVBoxLayout, QWidget)

from core.wording import plural
from .common import hint_label, read_thumbnail, set_names
from .prediction_cards import set_text

THUMB = 40
THUMB_COL, FILE_COL, CLASS_COL, CONFIDENCE_COL = range(4)
HEADERS = ("", "File", "Predicted class", "Confidence")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ALL_CLASSES = "All classes"
UNREADABLE = "Unreadable files"
KEEP_THUMBNAILS = 3000  # decoded thumbnails kept (~6 KB each at 40 px)
FILTER_DELAY_MS = 250  # the threshold filters once the spin box rests this long
MAX_PENDING = 96  # thumbnails queued at most; beyond (a fast scroll) the queue restarts from what is visible

Row = tuple  # core.engine.requests.predict.ClassifiedRow: (path, shown, top, error, unfamiliar, set)


def row_set(row: Row) -> str | None:
    """"A or B" when the row's prediction set holds two or more classes (rows of older engines have no set)."""
    return set_text(row[5] if len(row) > 5 else None)


def top_text(row: Row) -> str:
    """The row's top-k, one line per guess (the detail pane and the tooltip), or why it failed."""
    _path, shown, top, error, unfamiliar = row[:5]
    if error:
        return f"{shown}\nCould not be read: {error}"
    lines = [shown] + [f"{rank}. {label} — {probability * 100:.1f} %" for rank, (label, probability)
                       in enumerate(top, 1)]
    if unfamiliar:
        lines.append("Unlike any training image — this prediction may be meaningless.")
    undecided = row_set(row)
    if undecided:
        lines.append(QCoreApplication.translate("FolderResults", "Undecided: {0}").format(undecided))
    return "\n".join(lines)


class ThumbnailLoader(QObject):
    """Thumbnails decoded on a thread pool when a row is first painted; ``ready(path)`` when one is
    in. QImage is decoded off the GUI thread, the QPixmap made on it (QPixmap is GUI-thread only)."""

    ready = Signal(str)
    restarted = Signal()  # queued requests were dropped: ask again for what is visible
    _decoded = Signal(str, QImage)

    def __init__(self, size: int = THUMB, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size = size
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: set[str] = set()
        self._decoded.connect(self._store, Qt.ConnectionType.QueuedConnection)

    def get(self, path: str) -> QPixmap | None:
        pixmap = self._cache.get(path)
        if pixmap is not None:
            self._cache.move_to_end(path)
            return pixmap
        if path not in self._pending:
            if len(self._pending) >= MAX_PENDING:
                self.pool.clear()  # not-yet-started decodes of rows scrolled past
                self._pending.clear()
                self.restarted.emit()
            self._pending.add(path)
            self.pool.start(lambda: self._decoded.emit(path, read_thumbnail(path, self.size)))
        return None

    @Slot(str, QImage)
    def _store(self, path: str, image: QImage) -> None:
        if path not in self._pending:
            return  # dropped by a restart or a clear meanwhile
        self._pending.discard(path)
        self._cache[path] = QPixmap.fromImage(image) if not image.isNull() else QPixmap()
        while len(self._cache) > KEEP_THUMBNAILS:
            self._cache.popitem(last=False)
        self.ready.emit(path)

    def clear(self) -> None:
        self.pool.clear()
        self._pending.clear()
        self._cache.clear()

    def stop(self) -> None:
        """Drop the queue and wait for the decodes under way (a few ms): before the window goes."""
        self.pool.clear()
        self.pool.waitForDone()


class ClassifiedTable(QAbstractTableModel):
    """The rows of one folder classification, in the order the engine sent them."""

    def __init__(self, thumbnails: ThumbnailLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.names: list[str] = []  # the file column: relative to the classified folder
        self.top_labels: list[str | None] = []  # each row's top-1 class (None: unreadable), read by the filter
        self.top_probs: list[float] = []  # each row's top-1 probability (-1: unreadable)
        self._row_of: dict[str, int] = {}
        self.roots: list[str] = []
        self.thumbnails = thumbnails
        thumbnails.ready.connect(self._thumbnail_ready)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def clear(self, roots: Sequence[str] = ()) -> None:
        self.beginResetModel()
        self.rows, self.names, self._row_of, self.roots = [], [], {}, [str(r) for r in roots]
        self.top_labels, self.top_probs = [], []
        self.thumbnails.clear()
        self.endResetModel()

    def append(self, rows: Sequence[Row]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        for offset, row in enumerate(rows):
            self.rows.append(row)
            self.names.append(self._name(row[1]))
            self.top_labels.append(None if row[3] else row[2][0][0])
            self.top_probs.append(-1.0 if row[3] else row[2][0][1])
            self._row_of[row[0]] = first + offset
        self.endInsertRows()

    def _name(self, shown: str) -> str:
        for root in self.roots:
            if shown.startswith(root.rstrip(os.sep) + os.sep):
                return os.path.join(Path(root).name, os.path.relpath(shown, root))
        return shown

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        path, _shown, top, error, unfamiliar = row[:5]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == FILE_COL:
                return self.names[index.row()]
            if column == CLASS_COL:
                if error:
                    return "Unreadable"
                label = row_set(row) or top[0][0]
                return QCoreApplication.translate("FolderResults", "{label} (unlike the training images)").format(
                    label=label) if unfamiliar else label
            if column == CONFIDENCE_COL:
                return "" if error else f"{top[0][1] * 100:.1f} %"
        elif role == Qt.ItemDataRole.DecorationRole and column == THUMB_COL and not error:
            return self.thumbnails.get(path)
        elif role == Qt.ItemDataRole.ToolTipRole:
            return top_text(row)
        elif role == Qt.ItemDataRole.ForegroundRole and (error or unfamiliar) and column != THUMB_COL:
            return QColor("#b3261e")
        elif role == SORT_ROLE:
            if column == CONFIDENCE_COL:
                return -1.0 if error else top[0][1]
            if column == CLASS_COL:
                return "\uffff" if error else top[0][0].lower()
            return self.names[index.row()].lower()
        return None

    def _thumbnail_ready(self, path: str) -> None:
        row = self._row_of.get(path)
        if row is not None:
            index = self.index(row, THUMB_COL)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class ClassifiedFilter(QSortFilterProxyModel):
    """Sorts by each column's value (confidence as a number) and shows one class, the unreadable
    files, and/or only the images whose confidence is below a threshold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.label: str | None = None  # None: every class; UNREADABLE: the files that could not be read
        self.below: float | None = None
        self._table: ClassifiedTable | None = None

    def setSourceModel(self, model: Any) -> None:  # noqa: N802 (Qt naming)
        self._table = model  # filterAcceptsRow runs per row: no sourceModel() call each time
        super().setSourceModel(model)

    def set_filter(self, label: str | None, below: float | None) -> None:
        if (label, below) != (self.label, self.below):
            self.label, self.below = label, below
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        table: Any = self._table
        label = table.top_labels[source_row]
        if self.label == UNREADABLE:
            return label is None
        if self.label is not None and label != self.label:
            return False
        return self.below is None or (label is not None and table.top_probs[source_row] < self.below)


class FolderResultsView(QWidget):
    """The table with its filters and the detail pane. ``threshold()`` (0-1) is also the sort's
    confidence threshold: what the user filters as uncertain is what goes to ``uncertain/``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = ThumbnailLoader(THUMB, self)
        self.model = ClassifiedTable(self.thumbnails, self)
        self.proxy = ClassifiedFilter(self)
        self.proxy.setSourceModel(self.model)
        self._classes: set[str] = set()

        self.class_filter = set_names(QComboBox(), "classFilter", "Show class",
                                      "Show only the images predicted as this class")
        self.class_filter.addItems([ALL_CLASSES, UNREADABLE])
        self.below_check = set_names(QCheckBox("Only confidence below"), "belowFilter", "Only confidence below")
        self.threshold_spin = set_names(QDoubleSpinBox(), "confidenceThreshold", "Confidence threshold",
                                        "Below this the filter shows an image, and sorting puts it into 'uncertain'")
        self.threshold_spin.setRange(0.0, 100.0)
        self.threshold_spin.setDecimals(1)
        self.threshold_spin.setSuffix(" %")
        self.threshold_spin.setValue(50.0)
        self.count = hint_label("", "folderResultsCount")
        self.class_filter.currentIndexChanged.connect(self._filter_changed)
        self.below_check.toggled.connect(self._filter_changed)
        # Each step of the spin would filter every row again (~0.2 s at 100,000): once it rests.
        self._threshold_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._threshold_timer.timeout.connect(self._filter_changed)
        self.threshold_spin.valueChanged.connect(self._threshold_timer.start)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.class_filter)
        filters.addWidget(self.below_check)
        filters.addWidget(self.threshold_spin)
        filters.addStretch(1)
        filters.addWidget(self.count)

        self.table = set_names(QTableView(), "folderResultsTable", "Classified images",
                               "Click a column to sort; double-click an image to open it")
        table = self.table
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setIconSize(QSize(THUMB, THUMB))
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(THUMB + 6)
        header = table.horizontalHeader()
        header.setSectionResizeMode(THUMB_COL, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(THUMB_COL, THUMB + 12)
        header.setSectionResizeMode(FILE_COL, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(CLASS_COL, 180)
        header.resizeSection(CONFIDENCE_COL, 100)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the engine's order until a click
        table.setSortingEnabled(True)
        table.doubleClicked.connect(self.open_image)
        table.selectionModel().currentRowChanged.connect(self._show_detail)
        # A restarted queue: only the visible rows paint, and ask for their thumbnails again (queued:
        # it comes from data() while the view paints; never a dataChanged over every row).
        self.thumbnails.restarted.connect(table.viewport().update, Qt.ConnectionType.QueuedConnection)

        self.detail = hint_label("Select an image to see its top-5 classes.", "folderResultDetail")
        self.detail.setAccessibleName("Top classes of the selected image")
        self.detail.setMinimumWidth(220)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        middle = QHBoxLayout()
        middle.addWidget(table, 1)
        middle.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(middle, 1)
        self._update_count()

    # -- rows --------------------------------------------------------------------------------
    def clear(self, roots: Sequence[str] = ()) -> None:
        self.model.clear(roots)
        self._classes = set()
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItems([ALL_CLASSES, UNREADABLE])
        self.class_filter.blockSignals(False)
        self.proxy.set_filter(None, self.proxy.below)
        self.detail.setText("Select an image to see its top-5 classes.")
        self._update_count()

    def add_rows(self, rows: Sequence[Row]) -> None:
        new = sorted({row[2][0][0] for row in rows if not row[3] and row[2]} - self._classes)
        for label in new:  # the class list grows with the classes that occur, kept in order
            self._classes.add(label)
            position = 1 + sorted(self._classes).index(label)
            self.class_filter.insertItem(position, label)
        self.model.append(rows)
        self._update_count()

    def threshold(self) -> float:
        return self.threshold_spin.value() / 100

    def visible_rows(self) -> list[Row]:
        """The rows the filters let through, in the table's order (tests and scripts), with a threshold
        still being typed applied."""
        if self._threshold_timer.isActive():
            self._filter_changed()
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]

    # -- filters, detail, opening --------------------------------------------------------------
    def _filter_changed(self, *_: Any) -> None:
        self._threshold_timer.stop()
        text = self.class_filter.currentText()
        label = None if text in (ALL_CLASSES, "") else text
        self.proxy.set_filter(label, self.threshold() if self.below_check.isChecked() else None)
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count.setText(plural(total, "image") if shown == total else f"{shown} of {plural(total, 'image')}")

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail.setText(top_text(self.model.rows[self.proxy.mapToSource(current).row()]))

    def open_image(self, index: QModelIndex) -> None:
        """Open the image in the system's viewer (double-click)."""
        if index.isValid():
            path = self.model.rows[self.proxy.mapToSource(index).row()][0]
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))
