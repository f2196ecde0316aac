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

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from core.engine.requests.export import ExportQuestionRequest, ExportRequest

from ..dialogs import ask_yes_no, show_error
from ..engine_messages import engine_text
from ..model_in_use import ModelInUse
from ..widgets.common import hint_label, set_names, set_style_property
from ..widgets.path_edit import PathEdit
from ..worker import Worker, remote

# core.bundles.export.FORMATS, with what each is for, in a user's words: marked for lupdate here, translated
# when shown (format_words; this table is built at import, before any translator is installed).
FORMATS = {
    "tflite": (QT_TRANSLATE_NOOP("ExportDialog", "TFLite (float32)"),
               QT_TRANSLATE_NOOP("ExportDialog", "For phones, Raspberry Pi and instrument software: the app's exact "
                                                 "answers.")),
    "tflite-int8": (QT_TRANSLATE_NOOP("ExportDialog", "TFLite int8"),
                    QT_TRANSLATE_NOOP("ExportDialog", "Four times smaller and faster on microcontrollers and Edge "
                                                      "TPUs; may lose a little accuracy (reported).")),
    "onnx": ("ONNX", QT_TRANSLATE_NOOP("ExportDialog", "For C#, C++, Java or Python programs through ONNX Runtime.")),
    "savedmodel": (QT_TRANSLATE_NOOP("ExportDialog", "TensorFlow SavedModel"),
                   QT_TRANSLATE_NOOP("ExportDialog", "For TensorFlow and TensorFlow Serving on a PC or a server.")),
}


def format_words(fmt: str) -> tuple[str, str]:
    """A format's name and what it is for, in the window's language."""
    label, description = FORMATS[fmt]
    return QCoreApplication.translate("ExportDialog", label), QCoreApplication.translate("ExportDialog", description)


def result_text(report: dict[str, Any]) -> str:
    """The check of an export in plain words: agreement as n of n images, the largest probability
    difference, and for int8 the accuracy against the app's."""
    images = int(report["images"])
    folder = report.get("check_images")
    if images == 1 and folder:
        checked = QCoreApplication.translate("ExportDialog", "Checked with {runtime} on 1 image ({folder}): the same "
                                             "top class as the app on {agreeing} of {images} images; largest "
                                             "probability difference {difference}.")
    elif images == 1:
        checked = QCoreApplication.translate("ExportDialog", "Checked with {runtime} on 1 image: the same top class "
                                             "as the app on {agreeing} of {images} images; largest probability "
                                             "difference {difference}.")
    elif folder:
        checked = QCoreApplication.translate("ExportDialog", "Checked with {runtime} on {images} images ({folder}): "
                                             "the same top class as the app on {agreeing} of {images} images; "
                                             "largest probability difference {difference}.")
    else:
        checked = QCoreApplication.translate("ExportDialog", "Checked with {runtime} on {images} images: the same "
                                             "top class as the app on {agreeing} of {images} images; largest "
                                             "probability difference {difference}.")
    runtime = report.get("runtime") or QCoreApplication.translate("ExportDialog", "its runtime")
    exported = QCoreApplication.translate("ExportDialog", "Exported to {folder}.")
    lines = [exported.format(folder=Path(report["path"]).parent),
             checked.format(runtime=runtime, folder=folder, agreeing=round(report["agreement"] * images), images=images,
                            difference=f"{report['max_abs_diff']:.2g}")]
    drop = report.get("accuracy_drop_points")
    if report["format"] == "tflite-int8" and drop is not None:
        said = (QCoreApplication.translate("ExportDialog", "Accuracy {export} against the app's {app} ({points} points "
                                           "lower).") if drop >= 0 else
                QCoreApplication.translate("ExportDialog", "Accuracy {export} against the app's {app} ({points} points "
                                           "higher)."))
        lines.append(said.format(export=f"{report['accuracy_export']:.1%}", app=f"{report['accuracy_app']:.1%}",
                                 points=f"{abs(drop):.1f}"))
    return "\n".join(lines)


def replace_question_text(question: dict[str, str], out: str, bundle: str, name: str, fmt: str) -> str:
    """"'OUT' holds a TFLite export of model X. Replace it?": what would be deleted, named, before
    the user agrees (issue 25: an ONNX export silently deleted model.tflite)."""
    earlier = question.get("bundle") or ""
    same_model = not earlier or Path(earlier).expanduser().resolve() == Path(bundle).expanduser().resolve()
    model = name if same_model else Path(earlier).name
    earlier_format = question.get("format_word") or QCoreApplication.translate("ExportDialog", "model")
    return QCoreApplication.translate("ExportDialog", "'{folder}' holds a {earlier} export of model {model}. Replace "
                                      "it with the {format} export? The files there are deleted.").format(
        folder=out, earlier=earlier_format, model=model, format=format_words(fmt)[0])


class ExportDialog(QDialog):
    """Format, output folder (named after the format, and following it until the user types their
    own), optional check folder; Export asks the engine first whether the folder holds an earlier
    export of another format or model, asks the user before replacing it, then runs with progress
    and Cancel. ``exported(report)`` when an export is written (the report's fields as a dict)."""

    exported = Signal(object)

    def __init__(self, bundle: str, name: str, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export model"))
        self.bundle, self.name, self.worker = bundle, name, worker
        self.report: dict[str, Any] | None = None
        self.format_combo = set_names(QComboBox(), "exportFormat", self.tr("Export format"))
        for fmt in FORMATS:
            self.format_combo.addItem(format_words(fmt)[0], fmt)
        self.description = hint_label("", "exportFormatDescription")
        self.out_edit = set_names(PathEdit(self.tr("Clear the export folder")), "exportOut", self.tr("Export folder"),
                                  self.tr("A new folder for the model, labels.json and export.json"))
        self.check_edit = set_names(PathEdit(self.tr("Clear the check folder")), "exportCheckDir",
                                    self.tr("Check images folder"),
                                    self.tr("Optional: images to check the export with (default: the validation "
                                            "images)"))
        self.check_edit.setPlaceholderText(self.tr("the model's validation images"))
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format_combo)
        form.addRow("", self.description)
        form.addRow(self.tr("Save to"), self._with_browse(self.out_edit, self._browse_out))
        form.addRow(self.tr("Check on"), self._with_browse(self.check_edit, self._browse_check))
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setVisible(False)
        self.result = hint_label("", "exportResult")
        self.result.setAccessibleName(self.tr("Export check"))
        self.warning = hint_label("", "exportWarning")
        set_style_property(self.warning, "state", "warn")
        self.export_button = set_names(QPushButton(self.tr("Export")), "exportButton", self.tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.cancel_button = set_names(QPushButton(self.tr("Close")), "exportCancelButton", self.tr("Cancel or close"))
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
        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(browse)
        layout.addWidget(button)
        return row

    def format(self) -> str:
        return self.format_combo.currentData()

    def _format_changed(self, *_: Any) -> None:
        self.description.setText(format_words(self.format())[1])
        if self.out_edit.text() in ("", self._auto_out):  # follow the format until the user chose a folder
            folder = Path(self._auto_out).parent if self._auto_out else Path.home()
            self._auto_out = str(folder / f"{self.name}-{self.format()}")
            self.out_edit.setText(self._auto_out)

    def _browse_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export into a new folder"), self.out_edit.text(),
                                              self.tr("Folder (*)"))
        if path:
            self.out_edit.setText(path)

    def _browse_check(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Images to check the export with"), str(Path.home()))
        if folder:
            self.check_edit.setText(folder)

    # -- exporting ---------------------------------------------------------------------------
    def export(self) -> None:
        """Ask the engine what the folder holds (quick, no TensorFlow), then export or ask first."""
        out = self.out_edit.text().strip()
        if not out:
            show_error(self, self.tr("Export model"), self.tr("Choose a folder to export into."))
            return
        check, fmt = self.check_edit.text().strip() or None, self.format()
        self.report = None
        self.warning.setText("")
        self.worker.start(remote(ExportQuestionRequest(self.bundle, fmt, out, check)), "export question",
                          on_done=lambda question: QTimer.singleShot(0, lambda: self._answered(question, out, check,
                                                                                                fmt)),
                          on_error=self._failed)

    def _answered(self, question: dict[str, str] | None, out: str, check: str | None, fmt: str) -> None:
        replace = question is not None
        if replace and not ask_yes_no(self, self.tr("Replace the earlier export?"),
                                      replace_question_text(question, out, self.bundle, self.name, fmt)):
            self.result.setText(self.tr("Not exported: the earlier export was kept. Choose another folder."))
            return
        self._send(out, check, fmt, replace)

    def _send(self, out: str, check: str | None, fmt: str, replace: bool) -> None:
        self.result.setText(self.tr("Exporting as {format} and checking it against the app…").format(
            format=format_words(fmt)[0]))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.worker.start(remote(ExportRequest(self.bundle, fmt, out, check, replace=replace)), "export",
                          on_done=self._exported, on_cancelled=lambda _r: self._stopped(), on_error=self._failed)

    def _on_progress(self, event: Any) -> None:
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
        self.progress.setFormat(engine_text(event))

    def _exported(self, report: dict[str, Any]) -> None:
        self.report = report
        self.progress.setVisible(False)
        self.result.setText(result_text(report))
        self.warning.setText("\n".join(report.get("warnings") or []))
        self.exported.emit(report)

    def _stopped(self) -> None:
        self.progress.setVisible(False)
        self.result.setText(self.tr("Export cancelled; nothing was written."))

    def _failed(self, message: str, details: str) -> None:
        self.progress.setVisible(False)
        self.result.setText(self.tr("Not exported — see the message."))
        show_error(self, self.tr("Could not export the model"), message, details)

    def _busy_changed(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.format_combo.setEnabled(not busy)
        self.cancel_button.setText(self.tr("Cancel") if busy else self.tr("Close"))

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
        self.action = QAction(self.tr("&Export model…"), self)
        self.action.setEnabled(False)
        self.action.setToolTip(self.tr("Write the model as TFLite, ONNX or SavedModel, checked against the app"))
        self.action.triggered.connect(lambda: self.open_dialog())
        model.changed.connect(lambda _kind: self.action.setEnabled(model.handle is not None))

    def bundle(self) -> str | None:
        """The folder the export reads: the bundle in use, else the trained model's kept copy."""
        return self.model.bundle_path

    def open_dialog(self) -> ExportDialog | None:
        bundle = self.bundle()
        if bundle is None:
            show_error(self.dialog_parent, self.tr("Export model"), self.tr(
                "This model could not be kept on disk when training ended; save it first with File › Save model…, "
                "then export it."))
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
