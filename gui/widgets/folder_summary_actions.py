"""Classify a folder: the coverage of the prediction sets the user picks, and Save summary CSV….

Why the coverage sits in the folder window and not in Settings: it is a question about this plate
("how sure must an 'A or B' answer be?"), asked where the answers are read; the window remembers it
for the next folder while it is open. It reaches ``predict`` through the engine
(core.engine.requests.predict.ClassifyFolderRequest.coverage, as ``predict --coverage``); sets are
made from the bundle's stored validation scores, so a new coverage costs no training, but the folder
is classified again (the engine keeps each image's top 5, not every probability).

Why the summary is written by the engine and not by the window: it is ``predict --summary``'s file,
the same rows through the same checks (outside the input folders and the model's datasets, never
over a file that is not such a summary) and the same atomic writer (core.jobs.predict).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from core.engine.requests.predict import SaveCountsSummaryRequest

from ..dialogs import show_error
from ..worker import Worker, remote
from .common import set_names

DEFAULT_COVERAGE = 90  # percent: core.stats.conformal.COVERAGE
COVERAGE_RANGE = (50, 99)


class CoverageChoice(QWidget):
    """The prediction sets' coverage in percent (a spin box) and Classify again, which is offered once
    the value differs from the coverage of the answers on screen. ``classifyAgain`` asks the window to
    classify the same folders at :meth:`coverage`."""

    classifyAgain = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.used: int | None = None  # the coverage (percent) of the answers on screen
        self.label = QLabel(self.tr("Prediction sets:"))
        self.spin = set_names(QSpinBox(), "coverageSpin", self.tr("Coverage of the prediction sets"),
                              self.tr("How often an “A or B” answer must hold the true class (measured on the "
                                      "model's validation images); a higher coverage gives more images an answer "
                                      "of two or more classes"))
        self.spin.setRange(*COVERAGE_RANGE)
        self.spin.setValue(DEFAULT_COVERAGE)
        self.spin.setSuffix(self.tr(" % coverage"))
        self.label.setBuddy(self.spin)
        self.again = set_names(QPushButton(self.tr("Classify again")), "classifyAgainButton",
                               self.tr("Classify again at this coverage"),
                               self.tr("The answers on screen were made at another coverage"))
        self.again.clicked.connect(self.classifyAgain)
        self.spin.valueChanged.connect(lambda _value: self.refresh())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.spin)
        layout.addWidget(self.again)
        self.refresh()

    def coverage(self) -> float:
        """The chosen coverage as a fraction (0.9), what the engine and ``predict --coverage`` take."""
        return self.spin.value() / 100

    def mark_used(self, percent: int | None) -> None:
        """The answers on screen were made at ``percent`` (None: there are none)."""
        self.used = percent
        self.refresh()

    def refresh(self, running: bool = False) -> None:
        self.spin.setEnabled(not running)
        self.again.setVisible(self.used is not None and self.used != self.spin.value())
        self.again.setEnabled(not running)


class SummaryCsvSaver(QObject):
    """Save summary CSV…: asks for a file, has the engine write the classification's counts there
    (``predict --summary``'s CSV) on ``worker``, and says how it went through ``say(text, state)``.
    ``saved(path)`` when written."""

    saved = Signal(str)

    def __init__(self, worker: Worker, say: Callable[[str, str], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.worker, self.say, self.parent_widget = worker, say, parent

    def save(self, classification_id: str | None, folders: list[str], rows: int, path: str | None = None) -> None:
        """Write the summary of ``classification_id`` (``rows`` rows) to ``path``, or to a file the user picks."""
        if classification_id is None or not rows or not folders:
            return
        if path is None:
            start = str(Path(folders[0]).parent / f"{Path(folders[0]).name}-summary.csv")
            path, _ = QFileDialog.getSaveFileName(self.parent_widget, self.tr("Save the summary as CSV"), start,
                                                  self.tr("CSV file (*.csv)"))
            if not path:
                return
        self.say(self.tr("Saving {path}…").format(path=path), "")
        self.worker.start(remote(SaveCountsSummaryRequest(classification_id, str(path))), "save summary CSV",
                          on_done=lambda written: self._saved(str(written), rows), on_error=self._failed)

    def _saved(self, path: str, rows: int) -> None:
        if rows == 1:
            text = self.tr("Saved the summary (1 row) to {path}.").format(path=path)
        else:
            text = self.tr("Saved the summary ({rows} rows) to {path}.").format(rows=rows, path=path)
        self.say(text, "ok")
        self.saved.emit(path)

    def _failed(self, message: str, details: str) -> None:
        title = self.tr("Could not save the summary")
        self.say(self.tr("Could not save the summary."), "warn")
        show_error(self.parent_widget, title, message, details)

