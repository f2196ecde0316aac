"""Try it › Classify a folder: every image under a folder (or a dropped one), recursively, in a
window of its own with progress and Stop, the results table (gui/widgets/folder_results.py), and
Save as CSV… / Sort into folders….

All the work runs in the engine (core/engine/handlers/predict.py): the classification streams its rows
back in chunks, which the table shows as they come; the CSV and the sorting are the CLI's own
writer and sorter (core.bundles.classify), run in the engine on the rows it kept, so the window
never decodes a folder or holds a file open. A window of its own rather than a part of the Try-it
panel: a table of thousands of rows needs room, and the panel's size must not change while the
training curves sit beside it (prediction_cards.py says why).
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QMessageBox, QProgressBar, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)

from core.engine.requests.predict import (ClassifiedRows, ClassifyFolderRequest, SaveClassifiedCsvRequest,
                                           SortClassifiedRequest)

from ..dialogs import ask_yes_no, show_error
from ..engine_messages import engine_text, engine_words
from ..worker import Worker, remote
from .common import hint_label, set_names, set_style_property
from .folder_results import FolderResultsView
from .folder_summary import CountsSummaryView
from .folder_summary_actions import CoverageChoice, SummaryCsvSaver

TOP_K = 5


class FolderClassifyWindow(QDialog):
    """Signals for scripts and tests: ``classified(summary, stopped)`` when a run ends (the engine's
    summary dict), ``csvSaved(path)``, ``sortedInto(target, {folder: copies})``."""

    classified = Signal(object, bool)
    csvSaved = Signal(str)
    sortedInto = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folderClassifyWindow")
        self.setWindowTitle(self.tr("Classify a folder"))
        self.setModal(False)
        self.resize(900, 600)
        self.worker = Worker("classify folder", self)
        self.files_worker = Worker("classified files", self)
        self.classification_id: str | None = None
        self.folders: list[str] = []
        self.summary: dict[str, Any] | None = None
        self.last_sort_text = ""
        self._stopping = False  # the progress bar says "Stopping…" (never read back from its translated text)
        self._last: tuple[dict[str, Any], list[str], str] | None = None  # what Classify again repeats

        self.heading = hint_label("", "folderClassifyHeading")
        self.progress = QProgressBar()
        self.progress.setObjectName("folderClassifyProgress")
        self.progress.setAccessibleName(self.tr("Classification progress"))
        self.stop_button = set_names(QPushButton(self.tr("Stop")), "stopClassifyButton", self.tr("Stop classifying"),
                                     self.tr("Stop after the current batch; the images classified so far stay"))
        self.stop_button.clicked.connect(self.stop)
        top = QHBoxLayout()
        self.coverage = CoverageChoice()
        self.coverage.classifyAgain.connect(lambda: self._last and self.classify(*self._last))
        top.addWidget(self.progress, 1)
        top.addWidget(self.coverage)
        top.addWidget(self.stop_button)
        self.results = FolderResultsView()
        self.counts = CountsSummaryView()
        self.views = QTabWidget()
        self.views.setObjectName("folderClassifyViews")
        self.views.addTab(self.results, self.tr("Images"))
        self.views.addTab(self.counts, self.tr("Summary"))
        self.summary_csv = SummaryCsvSaver(self.files_worker, self._say, self)
        self.counts.saveRequested.connect(lambda: self.summary_csv.save(
            self.classification_id, self.folders, len(self.counts.rows)))
        self.message = hint_label("", "folderClassifyMessage")
        self.csv_button = set_names(QPushButton(self.tr("Save as CSV…")), "saveCsvButton", self.tr("Save as CSV"),
                                    self.tr("One row per image: path, class, probability, the rest of the top 5, "
                                            "errors"))
        self.csv_button.clicked.connect(lambda: self.save_csv())
        self.sort_button = set_names(QPushButton(self.tr("Sort into folders…")), "sortIntoButton",
                                     self.tr("Sort into folders"), self.tr(
                                         "Copy each image into <folder>/<class>/, or uncertain/ below the threshold; "
                                         "the originals are never moved or changed"))
        self.sort_button.clicked.connect(lambda: self.sort_into())
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.sort_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.views, 1)
        layout.addLayout(buttons)
        self.worker.jobEvent.connect(self._on_event)
        self.worker.busyChanged.connect(self._busy_changed)
        self.files_worker.busyChanged.connect(lambda _busy: self._update_buttons())
        self.files_worker.progress.connect(self._on_sort_progress)
        self._update_buttons()

    # -- classifying -------------------------------------------------------------------------
    def classify(self, source: dict[str, Any], folders: Sequence[str], description: str = "") -> None:
        """Classify every image under ``folders`` with the engine's model ``source`` (a PredictRequest
        source); the table is emptied first. A run still going is stopped and replaced."""
        self.folders = [str(Path(folder)) for folder in folders]
        self._last = (dict(source), list(self.folders), description)
        self.coverage.mark_used(self.coverage.spin.value())
        self.classification_id, self.summary = uuid.uuid4().hex, None
        self.results.clear(self.folders)
        self.counts.set_counts([], [])
        names = ", ".join(f"“{Path(f).name or f}”" for f in self.folders)
        self.heading.setText(
            self.tr("Every image in {folders} and its subfolders, by {model}.").format(folders=names, model=description)
            if description else self.tr("Every image in {folders} and its subfolders.").format(folders=names))
        self.progress.setRange(0, 0)  # busy until the engine has counted the files
        self._show_progress(self.tr("Listing and classifying…"))
        self._say("")
        job = remote(ClassifyFolderRequest(dict(source), tuple(self.folders), self.classification_id, TOP_K,
                                           coverage=self.coverage.coverage()))
        classification_id = self.classification_id
        self.worker.start(job, "classify folder", on_done=lambda s: self._ended(classification_id, s, False),
                          on_cancelled=lambda s: self._ended(classification_id, s, True),
                          on_error=lambda m, d: self._failed(classification_id, m, d))
        self._update_buttons()
        self.show()
        self.raise_()

    def stop(self) -> None:
        """Stop after the engine's current batch; the rows already shown stay (and can be saved)."""
        self.worker.cancel()
        self._show_progress(self.tr("Stopping…"))
        self._stopping = True

    def is_classifying(self) -> bool:
        return self.worker.is_busy()

    def _on_event(self, event: Any) -> None:
        if not isinstance(event, ClassifiedRows) or event.classification_id != self.classification_id:
            return
        self.results.add_rows(event.rows)
        if event.total:
            self.progress.setRange(0, max(event.total, event.done))
            self.progress.setValue(event.done)
            text = (self.tr("{done} of {total} image") if event.total == 1
                    else self.tr("{done} of {total} images"))
            self._show_progress(text.format(done=event.done, total=event.total))
        else:
            text = (self.tr("{count} image classified…") if event.done == 1
                    else self.tr("{count} images classified…"))
            self._show_progress(text.format(count=event.done))

    def _ended(self, classification_id: str, summary: Any, stopped: bool) -> None:
        if classification_id != self.classification_id:
            return
        self.summary = summary if isinstance(summary, dict) else None
        done = self.results.model.rowCount()
        self.progress.setRange(0, max(1, done))
        self.progress.setValue(done)
        unreadable = (self.summary or {}).get("unreadable", 0)
        text = self._stopped_text(done) if stopped else (
            self.tr("Classified {count} image.") if done == 1 else self.tr("Classified {count} images.")).format(
            count=done)
        self._show_progress(text)
        if unreadable:
            text = (self.tr("{summary} {count} file could not be read (shown as “Unreadable”).") if unreadable == 1
                    else self.tr("{summary} {count} files could not be read (shown as “Unreadable”).")).format(
                summary=text, count=unreadable)
        notes = [engine_words(note) for note in (self.summary or {}).get("notes") or []]
        self.counts.set_counts((self.summary or {}).get("counts") or [], notes)
        text = " ".join([text, *notes])
        self._say(text, "warn" if unreadable or notes else "ok")
        self._update_buttons(ended=True)
        self.classified.emit(self.summary, stopped)

    def _failed(self, classification_id: str, message: str, details: str) -> None:
        if classification_id != self.classification_id:
            return
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._show_progress(self.tr("Not classified"))
        self._say(self.tr("Could not classify the folder — see the message."), "warn")
        self._update_buttons()
        show_error(self, self.tr("Could not classify the folder"), message, details)

    # -- what to do with the answers ---------------------------------------------------------
    def save_csv(self, path: str | None = None) -> None:
        """Write every classified row (not only the filtered ones) as the CLI's --csv file."""
        if self.classification_id is None or not self.results.model.rowCount():
            return
        if path is None:
            start = str(Path(self.folders[0]).parent / f"{Path(self.folders[0]).name}-classified.csv")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the classification as CSV"), start,
                                                  self.tr("CSV file (*.csv)"))
            if not path:
                return
        self._say(self.tr("Saving {path}…").format(path=path))
        self.files_worker.start(remote(SaveClassifiedCsvRequest(self.classification_id, str(path))), "save CSV",
                                on_done=self._csv_saved,
                                on_error=lambda m, d: self._files_failed(self.tr("Could not save the CSV file"), m, d))

    def _csv_saved(self, path: str) -> None:
        rows = self.results.model.rowCount()
        text = self.tr("Saved {count} row to {path}.") if rows == 1 else self.tr("Saved {count} rows to {path}.")
        self._say(text.format(count=rows, path=path), "ok")
        self.csvSaved.emit(path)

    def sort_into(self, target: str | None = None) -> None:
        """Copy each classified image into ``target/<class>/`` (``uncertain/`` below the threshold),
        after a confirmation; the originals are only read."""
        if self.classification_id is None or not self.results.model.rowCount():
            return
        if target is None:
            target = QFileDialog.getExistingDirectory(self, self.tr("Sort copies into which folder?"),
                                                      str(Path(self.folders[0]).parent))
            if not target:
                return
        threshold = self.results.threshold()
        count = self.results.model.rowCount()
        question = (self.tr("Copy {count} image into class folders inside “{target}”? Images below "
                            "{threshold:.0%} confidence, and those the model cannot decide between two or more "
                            "classes for, go into “uncertain”. The originals are not moved or changed; a name that "
                            "is taken gets a number.")
                    if count == 1 else
                    self.tr("Copy {count} images into class folders inside “{target}”? Images below "
                            "{threshold:.0%} confidence, and those the model cannot decide between two or more "
                            "classes for, go into “uncertain”. The originals are not moved or changed; a name that "
                            "is taken gets a number."))
        if not ask_yes_no(self, self.tr("Sort into folders"),
                          question.format(count=count, target=target, threshold=threshold)):
            return
        self._say(self.tr("Copying into {target}…").format(target=target))
        self.files_worker.start(remote(SortClassifiedRequest(self.classification_id, str(target), threshold)), "sort copies",
                                on_done=lambda counts: self._sorted(str(target), counts),
                                on_cancelled=lambda counts: self._sorted(str(target), counts or {}),
                                on_error=lambda m, d: self._files_failed(self.tr("Could not sort the images"), m, d))

    def _on_sort_progress(self, event: Any) -> None:
        if event.task == "sort":
            self._say(engine_text(event))

    def _sorted(self, target: str, counts: dict[str, int]) -> None:
        lines = [(self.tr("{folder}/: {count} image") if n == 1 else self.tr("{folder}/: {count} images")).format(
            folder=folder, count=n) for folder, n in counts.items()]
        copied = sum(counts.values())
        head = (self.tr("Copied {count} image into {target}:") if copied == 1
                else self.tr("Copied {count} images into {target}:")).format(count=copied, target=target)
        self.last_sort_text = "\n".join([head, *lines])
        skipped = self.results.model.rowCount() - copied
        if skipped:
            not_copied = (self.tr("{count} image not copied (unreadable).") if skipped == 1
                          else self.tr("{count} images not copied (unreadable)."))
            self.last_sort_text += "\n" + not_copied.format(count=skipped)
        self._say((self.tr("Copied {count} image into {target}.") if copied == 1
                   else self.tr("Copied {count} images into {target}.")).format(count=copied, target=target), "ok")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Sorted into folders"), self.last_sort_text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("sortSummaryBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        self.sortedInto.emit(target, counts)

    def _files_failed(self, title: str, message: str, details: str) -> None:
        self._say(self.tr("{title}.").format(title=title), "warn")
        show_error(self, title, message, details)

    # -- state -------------------------------------------------------------------------------
    def _busy_changed(self, busy: bool) -> None:
        if not busy and self._stopping:  # stopped before any image was done
            self.progress.setRange(0, 1)
            self._show_progress(self._stopped_text(self.results.model.rowCount()))
        self._update_buttons()

    def _stopped_text(self, count: int) -> str:
        return (self.tr("Stopped after {count} image.") if count == 1
                else self.tr("Stopped after {count} images.")).format(count=count)

    def _show_progress(self, text: str) -> None:
        """The progress bar's words; any but "Stopping…" (which :meth:`stop` marks) end the stopping state."""
        self._stopping = False
        self.progress.setFormat(text)

    def _update_buttons(self, ended: bool = False) -> None:
        """``ended``: the classification's reply is in (the worker still counts as busy until its
        execution winds down a moment later), so Save and Sort are ready when ``classified`` fires."""
        running, writing = self.worker.is_busy() and not ended, self.files_worker.is_busy()
        has_rows = self.results.model.rowCount() > 0
        self.stop_button.setEnabled(running)
        self.csv_button.setEnabled(has_rows and not running and not writing)
        self.sort_button.setEnabled(has_rows and not running and not writing)
        self.counts.set_saving_allowed(not running and not writing)
        self.coverage.refresh(running)

    def _say(self, text: str, state: str = "") -> None:
        self.message.setText(text)
        set_style_property(self.message, "state", state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        """Closing stops a classification (the rows stay for when the window is opened again)."""
        if self.worker.is_busy():
            self.stop()
        self.results.thumbnails.stop()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Before the main window goes: no thumbnail decode may outlive its receiver."""
        self.results.thumbnails.stop()
