"""File › Export report…: the lab report (core/report/) of the model in use, written on a worker thread.

The report reads only the bundle's small files and draws with matplotlib's Agg canvas, no
TensorFlow (the import contracts check it), so it needs no engine; a QThread keeps the window
responsive meanwhile. The model in use is described by its bundle: the one it was saved to or
opened from, else the bundle the engine kept in the runs folder after training."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QStatusBar, QWidget

from ..dialogs import show_error
from ..model_in_use import ModelInUse
from ..worker import Worker


def report_bundle(model: ModelInUse) -> str | None:
    """The bundle a report of the model in use describes, or None (nothing in use, or not on disk)."""
    return model.bundle_path


class ReportExport(QObject):
    """The menu action, enabled while the model in use has a bundle on disk."""

    def __init__(self, model: ModelInUse, status: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.model, self.status, self.parent_widget = model, status, parent
        self.worker = Worker("report", self)
        self.action = QAction(self.tr("Export &report…"), parent)
        self.action.setObjectName("exportReportAction")
        self.action.setEnabled(False)
        self.action.triggered.connect(lambda: self.export())
        model.changed.connect(lambda _kind: self.action.setEnabled(report_bundle(model) is not None))

    def export(self, path: str | None = None) -> None:
        """Ask where (the save dialog confirms replacing a file), then write the report."""
        bundle = report_bundle(self.model)
        if bundle is None:
            return
        if path is None:
            suggested = str(Path.home() / f"{Path(bundle).name}-report.html")
            path, _ = QFileDialog.getSaveFileName(self.parent_widget, self.tr("Export report"), suggested,
                                                  self.tr("HTML report (*.html)"))
            if not path:
                return

        def run(_sink: Any, _cancel: Any) -> str:
            from core.jobs.report import write_report

            return str(write_report(bundle, path, overwrite=True))

        self.status.showMessage(self.tr("Writing the report…"))
        self.worker.start(run, "report", on_done=self._written, on_error=self._failed)

    def _written(self, written: str) -> None:
        self.status.showMessage(self.tr("Report written to {path}").format(path=written))

    def _failed(self, message: str, details: str) -> None:
        self.status.showMessage(self.tr("The report could not be written."))
        show_error(self.parent_widget, self.tr("Could not write the report"), message, details)


ORDER = 20


def install(window: Any) -> ReportExport:
    """File › Export report… (``window.report_export``)."""
    window.report_export = ReportExport(window.model_in_use, window.statusBar(), window)
    window.add_file_action(window.report_export.action)
    return window.report_export
