"""File › Export model…: the model in use as SavedModel, TFLite (float or int8) or ONNX, checked by
its own runtime against the app before it is written (core/bundles/export.py), and the check's
result in plain words.

The export runs in the engine (``ExportRequest`` -> core.jobs.export.run_export) on a bundle folder: the
opened or saved one, or, for a trained model not saved yet, the copy the engine kept when training
ended (core/bundles/kept_runs.py), as File › Save does. :class:`ModelExport` owns the menu action
(enabled only while a model is in use) and the worker; :class:`ExportDialog` asks and shows.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from core.engine.requests.export import ExportRequest
from core.wording import plural

from ..dialogs import show_error
from ..model_in_use import ModelInUse
from ..widgets.common import hint_label, set_names, set_style_property
from ..widgets.path_edit import PathEdit
from ..worker import Worker, remote

FORMATS = {  # core.bundles.export.FORMATS, with what each is for, in a user's words
    "tflite": ("TFLite (float32)", "For phones, Raspberry Pi and instrument software: the app's exact answers."),
    "tflite-int8": ("TFLite int8", "Four times smaller and faster on microcontrollers and Edge TPUs; may lose "
                                   "a little accuracy (reported)."),
    "onnx": ("ONNX", "For C#, C++, Java or Python programs through ONNX Runtime."),
    "savedmodel": ("TensorFlow SavedModel", "For TensorFlow and TensorFlow Serving on a PC or a server."),
}


def result_text(report: dict[str, Any]) -> str:
    """The check of an export in plain words: agreement as n of n images, the largest probability
    difference, and for int8 the accuracy against the app's."""
    images = int(report["images"])
    agreeing = round(report["agreement"] * images)
    lines = [f"Exported to {Path(report['path']).parent}.",
             f"Checked with {report.get('runtime') or 'its runtime'} on {plural(images, 'image')}"
             + (f" ({report['check_images']})" if report.get("check_images") else "")
             + f": the same top class as the app on {agreeing} of {images} images; largest probability "
               f"difference {report['max_abs_diff']:.2g}."]
    drop = report.get("accuracy_drop_points")
    if report["format"] == "tflite-int8" and drop is not None:
        lines.append(f"Accuracy {report['accuracy_export']:.1%} against the app's {report['accuracy_app']:.1%} "
                     f"({abs(drop):.1f} points {'lower' if drop >= 0 else 'higher'}).")
    return "\n".join(lines)


class ExportDialog(QDialog):
    """Format, output folder, optional check folder; Export runs with progress and Cancel.
    ``exported(report)`` when an export is written (the report's fields as a dict)."""

    exported = Signal(object)

    def __init__(self, bundle: str, name: str, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export model")
        self.bundle, self.name, self.worker = bundle, name, worker
        self.report: dict[str, Any] | None = None
        self.format_combo = set_names(QComboBox(), "exportFormat", "Export format")
        for fmt, (label, _) in FORMATS.items():
            self.format_combo.addItem(label, fmt)
        self.description = hint_label("", "exportFormatDescription")
        self.out_edit = set_names(PathEdit("Clear the export folder"), "exportOut", "Export folder",
                                  "A new folder for the model, labels.json and export.json")
        self.check_edit = set_names(PathEdit("Clear the check folder"), "exportCheckDir", "Check images folder",
                                    "Optional: images to check the export with (default: the validation images)")
        self.check_edit.setPlaceholderText("the model's validation images")
        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        form.addRow("", self.description)
        form.addRow("Save to", self._with_browse(self.out_edit, self._browse_out))
        form.addRow("Check on", self._with_browse(self.check_edit, self._browse_check))
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setVisible(False)
        self.result = hint_label("", "exportResult")
        self.result.setAccessibleName("Export check")
        self.warning = hint_label("", "exportWarning")
        set_style_property(self.warning, "state", "warn")
        self.export_button = set_names(QPushButton("Export"), "exportButton", "Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.cancel_button = set_names(QPushButton("Close"), "exportCancelButton", "Cancel or close")
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.warning)
        layout.addLayout(buttons)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.worker.progress.connect(self._on_progress)
        self.worker.busyChanged.connect(self._busy_changed)
        self._busy_changed(worker.is_busy())
        self._auto_out = ""
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    def _with_browse(self, edit: PathEdit, browse: Any) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton("Browse…")
        button.clicked.connect(browse)
        layout.addWidget(button)
        return row

    def format(self) -> str:
        return self.format_combo.currentData()

    def _format_changed(self, *_: Any) -> None:
        self.description.setText(FORMATS[self.format()][1])
        if self.out_edit.text() in ("", self._auto_out):  # follow the format until the user chose a folder
            self._auto_out = str(Path.home() / f"{self.name}-{self.format()}")
            self.out_edit.setText(self._auto_out)

    def _browse_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export into a new folder", self.out_edit.text(), "Folder (*)")
        if path:
            self.out_edit.setText(path)

    def _browse_check(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Images to check the export with", str(Path.home()))
        if folder:
            self.check_edit.setText(folder)

    # -- exporting ---------------------------------------------------------------------------
    def export(self) -> None:
        out = self.out_edit.text().strip()
        if not out:
            show_error(self, "Export model", "Choose a folder to export into.")
            return
        check = self.check_edit.text().strip() or None
        self.report = None
        self.result.setText(f"Exporting as {FORMATS[self.format()][0]} and checking it against the app…")
        self.warning.setText("")
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.worker.start(remote(ExportRequest(self.bundle, self.format(), out, check)), "export",
                          on_done=self._exported, on_cancelled=lambda _r: self._stopped(), on_error=self._failed)

    def _on_progress(self, event: Any) -> None:
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
        self.progress.setFormat(event.message)

    def _exported(self, report: dict[str, Any]) -> None:
        self.report = report
        self.progress.setVisible(False)
        self.result.setText(result_text(report))
        self.warning.setText("\n".join(report.get("warnings") or []))
        self.exported.emit(report)

    def _stopped(self) -> None:
        self.progress.setVisible(False)
        self.result.setText("Export cancelled; nothing was written.")

    def _failed(self, message: str, details: str) -> None:
        self.progress.setVisible(False)
        self.result.setText("Not exported — see the message.")
        show_error(self, "Could not export the model", message, details)

    def _busy_changed(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.format_combo.setEnabled(not busy)
        self.cancel_button.setText("Cancel" if busy else "Close")

    def _cancel_or_close(self) -> None:
        if self.worker.is_busy():
            self.worker.cancel()  # the engine stops between steps; nothing half-written stays
        else:
            self.close()


class ModelExport(QObject):
    """File › Export model…: enabled while a model is in use; opens :class:`ExportDialog` on its bundle."""

    def __init__(self, model: ModelInUse, parent: QWidget) -> None:
        super().__init__(parent)
        self.model, self.dialog_parent = model, parent
        self.worker = Worker("export", self)
        self.dialog: ExportDialog | None = None
        self.action = QAction("&Export model…", self)
        self.action.setEnabled(False)
        self.action.setToolTip("Write the model as TFLite, ONNX or SavedModel, checked against the app")
        self.action.triggered.connect(lambda: self.open_dialog())
        model.changed.connect(lambda _kind: self.action.setEnabled(model.handle is not None))

    def bundle(self) -> str | None:
        """The folder the export reads: the bundle in use, else the trained model's kept copy."""
        return self.model.bundle_path

    def open_dialog(self) -> ExportDialog | None:
        bundle = self.bundle()
        if bundle is None:
            show_error(self.dialog_parent, "Export model", "This model could not be kept on disk when training "
                       "ended; save it first with File › Save model…, then export it.")
            return None
        busy = self.worker.is_busy()  # an export under way (its dialog closed or not) stays on screen
        if self.dialog is not None and (busy or (self.dialog.isVisible() and self.dialog.bundle == bundle)):
            self.dialog.show()
            self.dialog.raise_()
            return self.dialog
        if self.dialog is not None:
            self.dialog.deleteLater()
        result = self.model.result
        name = Path(self.model.path).name if self.model.path else f"{Path(result.data_dir).name or 'my'}-model"
        self.dialog = ExportDialog(bundle, name, self.worker, self.dialog_parent)
        self.dialog.show()
        return self.dialog


ORDER = 10  # File menu: Export model… first, then Export report…


def install(window: Any) -> ModelExport:
    """File › Export model… (``window.model_export``, ``window.export_action``)."""
    window.model_export = ModelExport(window.model_in_use, window)
    window.export_action = window.model_export.action
    window.add_file_action(window.export_action)
    return window.model_export
