"""The Data panel's two pieces of the audit ("Check my data"): its button (gui/operations/audit.py
runs it) and the line about images left out of training: "3 images excluded · Include all again".

Why in the Data panel: an exclusion (made in Check my data, gui/widgets/audit_view.py) changes what
training uses, so it must be visible where the data is, not only in the dialog that made it; and
undoing it must be one click. The list itself lives in the app's data folder
(core/data/exclusions.py, TensorFlow-free, so the window writes it directly)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from core.data import exclusions
from ..dialogs import show_error
from .common import hint_label, set_names


def can_check(result: Any, locked: bool) -> bool:
    """Check my data applies to a scanned folder of two classes or more, never while a run uses it."""
    return not locked and result is not None and len(result.class_names) >= 2


def check_data_button() -> QPushButton:
    name = QCoreApplication.translate("ExclusionsRow", "Check my data")
    button = set_names(QPushButton(name), "checkDataButton", name, QCoreApplication.translate(
        "ExclusionsRow", "Find duplicates (also between training and validation), likely wrong labels and "
        "outliers, using the chosen backbone"))
    button.setEnabled(False)  # until a folder with classes is scanned
    return button


class ExclusionsRow(QWidget):
    """Hidden while nothing is excluded. Emits ``changed()`` after "Include all again"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, on_change: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        if on_change is not None:
            self.changed.connect(on_change)
        self._folders: list[str] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = hint_label("", "excludedLabel")
        self.label.setAccessibleName(self.tr("Excluded images"))
        include = self.tr("Include all again")
        self.include_button = set_names(QPushButton(include), "includeAllButton", include,
                                        self.tr("Put every image you excluded from training back in"))
        self.include_button.setObjectName("flatButton")
        self.include_button.clicked.connect(self.include_all)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.include_button)
        self.setVisible(False)

    def show_count(self, count: int, folders: list[str | None]) -> None:
        """``count`` images of ``folders`` (the training and validation folders) are excluded."""
        self._folders = [f for f in folders if f]
        text = (self.tr("{count} image excluded from training.") if count == 1
                else self.tr("{count} images excluded from training."))
        self.label.setText(text.format(count=count))
        self.setVisible(count > 0)

    def show_result(self, result: Any) -> None:
        """The count of a Data panel scan (gui/widgets/data_panel.py ScanResult, or None)."""
        if result is None:
            self.show_count(0, [])
        else:
            self.show_count(result.excluded, [result.train_dir, result.val_dir])

    def include_all(self) -> None:
        try:
            for folder in self._folders:
                exclusions.include_again(folder)
        except OSError as error:
            show_error(self.window(), self.tr("Could not include the images again"), str(error))
        self.changed.emit()  # the counts show what was included before the error
