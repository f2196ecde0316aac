"""Step 1, the data: training folder (button, typing or drag-drop), optional validation folder or
split, then a table of classes with counts and thumbnails, an imbalance warning and the skipped
files with their reasons. Scanning runs on a worker thread (thousands of headers take a while)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QSpinBox, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTableWidget, QTableWidgetItem, QWidget)

from core.wording import plural
from ..dialogs import show_error
from ..worker import Worker
from ..settings import Field, field_values, restore_fields, widget_field
from .common import Collapsible, Section, hint_label, read_thumbnail, set_names, set_style_property
from .audit_controls import ExclusionsRow, can_check, check_data_button
from .path_edit import PathEdit

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
        """Why this data cannot be trained on (one sentence), or None when it can."""
        if len(self.class_names) < 2:
            found = f"found {len(self.class_names)}" if self.class_names else "found none"
            return f"A classifier needs at least two classes (one subfolder each): {found}."
        few = [name for name in self.class_names if self.counts.get(name, 0) < MIN_PER_CLASS]
        if not few:
            return None
        if len(few) == 1:
            count = self.counts.get(few[0], 0)
            return (f"Class '{few[0]}' has only {count} image{'' if count == 1 else 's'}: each class needs at "
                    f"least {MIN_PER_CLASS}. Add images or remove the folder.")
        listed = ", ".join(f"'{name}'" for name in few[:4]) + (" …" if len(few) > 4 else "")
        return f"Classes {listed} have fewer than {MIN_PER_CLASS} images each: each class needs at least 2."

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
        super().__init__("Data", 1, "One subfolder per class, e.g. photos/cats/*.jpg and photos/dogs/*.jpg. "
                                    "Drop a folder here or choose it.", parent)
        self.setAcceptDrops(True)
        self.worker = Worker("scan", self)
        self.result: ScanResult | None = None
        self._locked = False  # a run uses the folders on screen
        self._last_dir = ""
        self.last_session_train_dir = ""  # the training folder when the app last closed (restore_settings)

        self.train_edit = set_names(PathEdit("Clear training folder"), "trainDirEdit", "Training folder",
                                    "Folder with one subfolder of images per class")
        self.train_edit.setPlaceholderText("Training folder…")
        self.train_edit.setMinimumWidth(150)
        self.train_edit.editingFinished.connect(self._train_edited)
        self.train_browse = set_names(QPushButton("Choose…"), "trainDirButton", "Choose training folder")
        self.train_browse.clicked.connect(self.browse_train)
        self.body.addLayout(_folder_row("Training", self.train_edit, self.train_browse))

        self.val_edit = set_names(PathEdit("Clear validation folder"), "valDirEdit", "Validation folder",
                                  "Optional folder with the same class subfolders, used only to measure accuracy; "
                                  "without it, a share of the training images is held out")
        self.val_edit.setPlaceholderText("Optional")
        self.val_edit.setMinimumWidth(150)
        self.val_edit.editingFinished.connect(self._val_edited)
        self.val_edit.textChanged.connect(self._update_split_enabled)
        self.val_browse = set_names(QPushButton("Choose…"), "valDirButton", "Choose validation folder")
        self.val_browse.clicked.connect(self.browse_val)
        self.body.addLayout(_folder_row("Validation", self.val_edit, self.val_browse))

        self.split_spin = set_names(QSpinBox(), "valSplitSpin", "Validation share",
                                    "Share of each class held out to measure accuracy when no validation "
                                    "folder is given")
        self.split_spin.setRange(5, 50)
        self.split_spin.setSingleStep(5)
        self.split_spin.setValue(20)
        self.split_spin.setSuffix(" %")
        row = QHBoxLayout()
        self.split_label = QLabel("Hold out for validation")
        row.addWidget(self.split_label)
        row.addWidget(self.split_spin)
        row.addStretch(1)
        self.body.addLayout(row)

        self.summary = hint_label("No folder chosen yet.", "dataSummary")
        self.body.addWidget(self.summary)
        self.check_button = check_data_button()  # gui/operations/audit.py's DataCheck runs it
        self.header_layout.addWidget(self.check_button)
        self.exclusions_row = ExclusionsRow(on_change=self.scan)
        self.body.addWidget(self.exclusions_row)

        self.table = set_names(QTableWidget(0, 3), "classTable", "Classes", "Classes found and their image counts")
        self.table.setHorizontalHeaderLabels(["", "Class", "Images"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 6)
        header = self.table.horizontalHeader()
        header.setAccessibleName("Class table columns: thumbnail, class, images")
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

        self.skipped_list = set_names(QListWidget(), "skippedList", "Skipped files",
                                      "Files that are not used, with the reason")
        self.skipped_list.setMaximumHeight(120)
        self.skipped_box = Collapsible("Skipped files", self.skipped_list)
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
        self.summary.setText("Scanning…")
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
        folder = QFileDialog.getExistingDirectory(self, "Choose the training folder", self.train_dir() or
                                                  self.last_dir())
        if folder:
            self._last_dir = str(Path(folder).parent)
            self.set_train_dir(folder)

    def browse_val(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the validation folder", self.val_dir() or
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
        show_error(self.window(), "This folder cannot be used", message, details)

    def _show_result(self, result: ScanResult | None, error: str = "") -> None:
        self.result = result
        self.table.setRowCount(0)
        self.skipped_list.clear()
        self.warning.setVisible(False)
        self.skipped_box.setVisible(False)
        self.check_button.setEnabled(can_check(result, self._locked))
        self.exclusions_row.show_result(result)
        if result is None:
            self.summary.setText(error or "No folder chosen yet.")
            set_style_property(self.summary, "state", "error" if error else "")
            self.datasetChanged.emit(None)
            return
        set_style_property(self.summary, "state", "")
        n_classes = len(result.class_names)
        text = f"{plural(n_classes, 'class', 'classes')} · {plural(result.total, 'image')}"
        if result.val_counts is not None:
            text += f" · {sum(result.val_counts.values())} validation images in a separate folder"
        if n_classes < 2:
            text += " — a classifier needs at least two class folders."
        self.summary.setText(text)
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
            shown = f"{count}" + (f" (+{result.val_counts.get(name, 0)} val)" if result.val_counts else "")
            item = QTableWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, count)
            self.table.setItem(row, 2, item)
        imbalance = result.imbalance()
        if imbalance:
            big, n_big, small, n_small = imbalance
            self.warning.setText(
                f"⚠ The classes are imbalanced: '{big}' has {n_big} images but '{small}' only {n_small}. "
                "The model may favour the larger classes; add images to the smaller ones if you can.")
            self.warning.setVisible(True)
        if result.skipped:
            self._show_skipped(result.skipped)
        self.datasetChanged.emit(result)

    def _show_skipped(self, skipped: list[tuple[str, str]]) -> None:
        self.skipped_box.set_title(f"{len(skipped)} file{'' if len(skipped) == 1 else 's'} skipped")
        for path, reason in skipped:
            item = QListWidgetItem(f"{Path(path).name} — {reason}")
            item.setToolTip(f"{path}\n{reason}")
            self.skipped_list.addItem(item)
        self.skipped_box.setVisible(True)
