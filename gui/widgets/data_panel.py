"""Step 1, the data: training folder (button, typing or drag-drop), optional validation folder or
split, then a table of classes with counts and thumbnails, an imbalance warning and the skipped
files with their reasons. Scanning runs on a worker thread (thousands of headers take a while):
gui/widgets/data_scan.py is the scan and its result."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QSpinBox, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTableWidget, QTableWidgetItem, QWidget)

from ..dialogs import show_error
from ..worker import Worker
from ..settings import Field, field_values, restore_fields, widget_field
from .common import Collapsible, Section, hint_label, set_names, set_style_property
from .audit_controls import ExclusionsRow, can_check, check_data_button
from .data_scan import THUMB, ScanResult, scan_job
from .path_edit import PathEdit


class _CountBarDelegate(QStyledItemDelegate):
    """Draws the image count over a light bar proportional to the largest class."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.maximum = 1

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        count = index.data(Qt.ItemDataRole.UserRole) or 0
        painter.save()
        rect = option.rect.adjusted(4, 6, -4, -6)
        width = int(rect.width() * min(1.0, count / max(1, self.maximum)))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e4ebf7"))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(QColor("#9db7e6"))
        painter.drawRoundedRect(QRect(rect.left(), rect.top(), width, rect.height()), 3, 3)
        painter.setPen(QColor("#1d2430"))
        painter.drawText(rect.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        painter.restore()


def _folder_row(label: str, edit: QLineEdit, browse: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(QLabel(label))
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class DataPanel(Section):
    """Emits ``datasetChanged(ScanResult | None)`` whenever the scanned dataset changes."""

    datasetChanged = Signal(object)
    scanFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Data"), 1, self.tr("One subfolder per class, e.g. photos/cats/*.jpg and "
                                                     "photos/dogs/*.jpg. Drop a folder here or choose it."), parent)
        self.setAcceptDrops(True)
        self.worker = Worker("scan", self)
        self.result: ScanResult | None = None
        self._locked = False  # a run uses the folders on screen
        self._last_dir = ""
        self.last_session_train_dir = ""  # the training folder when the app last closed (restore_settings)

        self.train_edit = set_names(PathEdit(self.tr("Clear training folder")), "trainDirEdit",
                                    self.tr("Training folder"),
                                    self.tr("Folder with one subfolder of images per class"))
        self.train_edit.setPlaceholderText(self.tr("Training folder…"))
        self.train_edit.setMinimumWidth(150)
        self.train_edit.editingFinished.connect(self._train_edited)
        self.train_browse = set_names(QPushButton(self.tr("Choose…")), "trainDirButton",
                                      self.tr("Choose training folder"))
        self.train_browse.clicked.connect(self.browse_train)
        self.body.addLayout(_folder_row(self.tr("Training"), self.train_edit, self.train_browse))

        self.val_edit = set_names(PathEdit(self.tr("Clear validation folder")), "valDirEdit", self.tr(
            "Validation folder"), self.tr("Optional folder with the same class subfolders, used only to measure "
                                          "accuracy; without it, a share of the training images is held out"))
        self.val_edit.setPlaceholderText(self.tr("Optional"))
        self.val_edit.setMinimumWidth(150)
        self.val_edit.editingFinished.connect(self._val_edited)
        self.val_edit.textChanged.connect(self._update_split_enabled)
        self.val_browse = set_names(QPushButton(self.tr("Choose…")), "valDirButton",
                                    self.tr("Choose validation folder"))
        self.val_browse.clicked.connect(self.browse_val)
        self.body.addLayout(_folder_row(self.tr("Validation"), self.val_edit, self.val_browse))

        self.split_spin = set_names(QSpinBox(), "valSplitSpin", self.tr("Validation share"), self.tr(
            "Share of each class held out to measure accuracy when no validation folder is given"))
        self.split_spin.setRange(5, 50)
        self.split_spin.setSingleStep(5)
        self.split_spin.setValue(20)
        self.split_spin.setSuffix(self.tr(" %"))
        row = QHBoxLayout()
        self.split_label = QLabel(self.tr("Hold out for validation"))
        row.addWidget(self.split_label)
        row.addWidget(self.split_spin)
        row.addStretch(1)
        self.body.addLayout(row)

        self.summary = hint_label(self.tr("No folder chosen yet."), "dataSummary")
        self.body.addWidget(self.summary)
        self.check_button = check_data_button()  # gui/operations/audit.py's DataCheck runs it
        self.header_layout.addWidget(self.check_button)
        self.exclusions_row = ExclusionsRow(on_change=self.scan)
        self.body.addWidget(self.exclusions_row)

        self.table = set_names(QTableWidget(0, 3), "classTable", self.tr("Classes"),
                               self.tr("Classes found and their image counts"))
        self.table.setHorizontalHeaderLabels(["", self.tr("Class"), self.tr("Images")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 6)
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Class table columns: thumbnail, class, images"))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, THUMB + 10)
        self.table.setColumnWidth(2, 110)
        self._bar_delegate = _CountBarDelegate(self.table)
        self.table.setItemDelegateForColumn(2, self._bar_delegate)
        self.table.setMinimumHeight(120)
        self.body.addWidget(self.table, 1)

        self.warning = hint_label("", "imbalanceWarning")
        self.warning.setVisible(False)
        self.body.addWidget(self.warning)

        self.skipped_list = set_names(QListWidget(), "skippedList", self.tr("Skipped files"),
                                      self.tr("Files that are not used, with the reason"))
        self.skipped_list.setMaximumHeight(120)
        self.skipped_box = Collapsible(self.tr("Skipped files"), self.skipped_list)
        self.skipped_box.setVisible(False)
        self.body.addWidget(self.skipped_box)
        self._update_split_enabled()

    # -- public API ------------------------------------------------------------------------
    def train_dir(self) -> str:
        return self.train_edit.text().strip()

    def val_dir(self) -> str | None:
        return self.val_edit.text().strip() or None

    def val_split(self) -> float:
        return self.split_spin.value() / 100.0

    def set_train_dir(self, path: str | Path, scan: bool = True) -> None:
        self.train_edit.setText(str(path))
        if scan:
            self.scan()

    def set_val_dir(self, path: str | Path | None, scan: bool = True) -> None:
        self.val_edit.setText(str(path) if path else "")
        if scan and self.train_dir():
            self.scan()

    def scan(self) -> None:
        train = self.train_dir()
        if not train:
            self._show_result(None)
            return
        self.summary.setText(self.tr("Scanning…"))
        job = scan_job(train, self.val_dir())
        self.worker.start(job, "scan", on_done=self._show_result,
                          on_error=lambda message, details: self._scan_failed(message, details, job.skipped))

    # -- settings --------------------------------------------------------------------------
    def _setting_fields(self) -> dict[str, Field]:
        return {"trainDir": Field(self.train_dir, self._remember_train_dir),
                "valSplit": widget_field(self.split_spin),
                "valDir": Field(lambda: self.val_dir() or "", self._restore_val_dir)}

    def settings(self) -> dict[str, Any]:
        return field_values(self._setting_fields())

    def restore_settings(self, values: dict[str, Any]) -> None:
        """The split and the validation folder (if it still exists) come back at once, unscanned; the
        training folder is only remembered in ``last_session_train_dir``: the window loads it (a scan)
        once it is on screen."""
        restore_fields(self._setting_fields(), values)

    def _remember_train_dir(self, raw: Any) -> None:
        self.last_session_train_dir = str(raw)

    def _restore_val_dir(self, raw: Any) -> None:
        if str(raw) and Path(str(raw)).is_dir():
            self.set_val_dir(str(raw), scan=False)

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        for widget in (self.train_edit, self.train_browse, self.val_edit, self.val_browse, self.exclusions_row):
            widget.setEnabled(not locked)
        self.check_button.setEnabled(can_check(self.result, locked))
        self.setAcceptDrops(not locked)
        self.split_spin.setEnabled(not locked and not self.val_edit.text().strip())

    def last_dir(self) -> str:
        return self._last_dir or (str(Path(self.train_dir()).parent) if self.train_dir() else str(Path.home()))

    def browse_train(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the training folder"), self.train_dir() or
                                                  self.last_dir())
        if folder:
            self._last_dir = str(Path(folder).parent)
            self.set_train_dir(folder)

    def browse_val(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the validation folder"), self.val_dir() or
                                                  self.last_dir())
        if folder:
            self.set_val_dir(folder)

    # -- drag and drop of a folder ----------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt naming)
        if self._dropped_folders(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        folders = self._dropped_folders(event)
        if not folders:
            event.ignore()
            return
        event.acceptProposedAction()
        self.set_train_dir(folders[0])

    @staticmethod
    def _dropped_folders(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and Path(url.toLocalFile()).is_dir()]

    # -- internals -------------------------------------------------------------------------
    def _train_edited(self) -> None:
        if self.result is None or self.result.train_dir != self.train_dir():
            self.scan()

    def _val_edited(self) -> None:
        if self.result is not None and self.result.val_dir != self.val_dir():
            self.scan()

    def _update_split_enabled(self) -> None:
        enabled = not self.val_edit.text().strip()
        self.split_spin.setEnabled(enabled)
        self.split_label.setEnabled(enabled)

    def _scan_failed(self, message: str, details: str, skipped: list[tuple[str, str]] | None = None) -> None:
        self._show_result(None, message)
        if skipped:  # e.g. every file is a text file named .jpg: say so, file by file
            self._show_skipped(skipped)
            self.skipped_box.set_expanded(True)
        self.scanFailed.emit(message)
        show_error(self.window(), self.tr("This folder cannot be used"), message, details)

    def _show_result(self, result: ScanResult | None, error: str = "") -> None:
        self.result = result
        self.table.setRowCount(0)
        self.skipped_list.clear()
        self.warning.setVisible(False)
        self.skipped_box.setVisible(False)
        self.check_button.setEnabled(can_check(result, self._locked))
        self.exclusions_row.show_result(result)
        if result is None:
            self.summary.setText(error or self.tr("No folder chosen yet."))
            set_style_property(self.summary, "state", "error" if error else "")
            self.datasetChanged.emit(None)
            return
        set_style_property(self.summary, "state", "")
        n_classes = len(result.class_names)
        self.summary.setText(self._summary_text(result))
        self._bar_delegate.maximum = max(result.counts.values(), default=1)
        self.table.setRowCount(n_classes)
        for row, name in enumerate(result.class_names):
            thumb = QTableWidgetItem()
            image = result.thumbnails.get(name)
            if image is not None:
                thumb.setIcon(QIcon(QPixmap.fromImage(image)))
            self.table.setItem(row, 0, thumb)
            self.table.setItem(row, 1, QTableWidgetItem(name))
            count = result.counts.get(name, 0)
            shown = self.tr("{count} (+{val} val)").format(count=count, val=result.val_counts.get(name, 0)) \
                if result.val_counts else f"{count}"
            item = QTableWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, count)
            self.table.setItem(row, 2, item)
        imbalance = result.imbalance()
        if imbalance:
            big, n_big, small, n_small = imbalance
            self.warning.setText(self.tr(
                "⚠ The classes are imbalanced: '{big}' has {n_big} images but '{small}' only {n_small}. "
                "The model may favour the larger classes; add images to the smaller ones if you can.").format(
                big=big, n_big=n_big, small=small, n_small=n_small))
            self.warning.setVisible(True)
        if result.skipped:
            self._show_skipped(result.skipped)
        self.datasetChanged.emit(result)

    def _show_skipped(self, skipped: list[tuple[str, str]]) -> None:
        title = self.tr("{count} file skipped") if len(skipped) == 1 else self.tr("{count} files skipped")
        self.skipped_box.set_title(title.format(count=len(skipped)))
        for path, reason in skipped:
            item = QListWidgetItem(f"{Path(path).name} — {reason}")
            item.setToolTip(f"{path}\n{reason}")
            self.skipped_list.addItem(item)
        self.skipped_box.setVisible(True)

    def _summary_text(self, result: ScanResult) -> str:
        """"2 classes · 40 images · 10 validation images in a separate folder": the facts joined by "·",
        each one translated whole."""
        n_classes, total = len(result.class_names), result.total
        facts = [(self.tr("{count} class") if n_classes == 1 else self.tr("{count} classes")).format(count=n_classes),
                 (self.tr("{count} image") if total == 1 else self.tr("{count} images")).format(count=total)]
        if result.val_counts is not None:
            facts.append(self.tr("{count} validation images in a separate folder").format(
                count=sum(result.val_counts.values())))
        text = " · ".join(facts)
        if n_classes < 2:
            text = self.tr("{summary} — a classifier needs at least two class folders.").format(summary=text)
        return text
