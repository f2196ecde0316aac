"""Issue 25's export dialog without an engine: the folder is named after the format and follows it
(until the user types their own), and an earlier export of another format is replaced only after
the question "… holds a TFLite export of model X. Replace it?" (answered No: nothing sent; Yes: the
export is sent with replace=True). The question's answer is the engine's real handler, run here.

Before: the folder stayed ``mnist-tflite`` when the format changed to ONNX, and Export deleted
model.tflite without a word."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from core.engine.handlers.export import HANDLES
from core.engine.requests.export import ExportQuestionRequest, ExportRequest
from core.engine.state import EngineState
from gui.operations.export import ExportDialog


class FakeWorker(QObject):
    """The Worker's face: a question runs the engine's real handler at once; an export is recorded."""

    progress = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Any] = []

    def is_busy(self) -> bool:
        return False

    def start(self, job: Any, name: str, on_done: Any = None, on_error: Any = None, on_cancelled: Any = None) -> None:
        request = job.request
        self.sent.append(request)
        if isinstance(request, ExportQuestionRequest):
            try:
                answer = HANDLES[ExportQuestionRequest](request, lambda _e: None, threading.Event(), EngineState())
            except ValueError as error:
                on_error(str(error), "")
                return
            on_done(answer)

    def cancel(self) -> None:
        pass


def _earlier_tflite(folder: Path, bundle: Path) -> None:
    folder.mkdir()
    (folder / "model.tflite").write_bytes(b"tflite")
    (folder / "export.json").write_text(json.dumps({"kind": "finetune-studio export", "format": "tflite",
                                                    "bundle": str(bundle), "path": str(folder / "model.tflite")}))


def test_the_folder_follows_the_format_and_replacing_asks_first(qtbot: Any, tmp_path: Path,
                                                                 message_boxes: Any) -> None:
    bundle = tmp_path / "mnist"
    bundle.mkdir()
    (bundle / "config.json").write_text(json.dumps({"train": {"data_dir": str(tmp_path / "digits")}}))
    worker = FakeWorker()
    dialog = ExportDialog(str(bundle), "mnist", worker)
    qtbot.addWidget(dialog)
    assert Path(dialog.out_edit.text()).name == "mnist-tflite"
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("onnx"))
    assert Path(dialog.out_edit.text()).name == "mnist-onnx"  # follows the format
    mine = tmp_path / "mnist-tflite"
    _earlier_tflite(mine, bundle)
    dialog.out_edit.setText(str(mine))  # the user's own choice: no longer follows
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("savedmodel"))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("onnx"))
    assert dialog.out_edit.text() == str(mine)

    message_boxes.answer = QMessageBox.StandardButton.No
    dialog.export()
    qtbot.waitUntil(lambda: bool(message_boxes.questions))
    question = message_boxes.questions[-1]
    assert "holds a TFLite export of model mnist" in question and "Replace it" in question and str(mine) in question
    qtbot.waitUntil(lambda: "earlier export was kept" in dialog.result.text())
    assert not any(isinstance(r, ExportRequest) for r in worker.sent) and (mine / "model.tflite").is_file()

    message_boxes.answer = QMessageBox.StandardButton.Yes
    dialog.export()
    qtbot.waitUntil(lambda: any(isinstance(r, ExportRequest) for r in worker.sent))
    sent = [r for r in worker.sent if isinstance(r, ExportRequest)]
    assert sent == [ExportRequest(str(bundle), "onnx", str(mine), None, replace=True)]
    assert len(message_boxes.questions) == 2

    worker.sent.clear()
    fresh = tmp_path / "fresh"
    dialog.out_edit.setText(str(fresh))  # nothing there: no question, no replace
    dialog.export()
    qtbot.waitUntil(lambda: any(isinstance(r, ExportRequest) for r in worker.sent))
    assert [r.replace for r in worker.sent if isinstance(r, ExportRequest)] == [False]
    assert len(message_boxes.questions) == 2

    dialog.out_edit.setText(str(tmp_path / "digits" / "exported"))  # inside the model's dataset: refused, plainly
    dialog.export()
    qtbot.waitUntil(lambda: bool(message_boxes.errors))
    assert "inside the dataset folder" in message_boxes.errors[-1][1]
