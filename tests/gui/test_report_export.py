"""File › Export report…: enabled once the model in use has a bundle, written on a worker thread
(the report needs no engine), the file self-contained."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from PySide6.QtWidgets import QMainWindow

from gui.model_in_use import ModelInUse
from gui.operations.report import ReportExport


def _bundle(folder: Path) -> Path:
    """The small files a report reads (the model file itself is never opened by the report)."""
    folder.mkdir()
    (folder / "model.keras").write_bytes(b"not read by the report")
    (folder / "labels.json").write_text(json.dumps(["cat", "dog"]))
    (folder / "config.json").write_text(json.dumps({"train": {"backbone": "mobilenet_v2_035", "weights": "imagenet",
                                                              "learning_rate": 0.001, "seed": 1, "epochs": 1}}))
    (folder / "history.csv").write_text("epoch,phase,loss,accuracy,val_loss,val_accuracy\n1,head,0.9,0.6,0.8,0.7\n")
    return folder


def test_export_report_of_the_model_in_use(qtbot: Any, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    model = ModelInUse(window)
    export = ReportExport(model, window.statusBar(), window)
    assert not export.action.isEnabled()
    bundle = _bundle(tmp_path / "pets")
    model.use_opened(str(bundle), SimpleNamespace(handle="bundle:x", metrics={}))
    assert export.action.isEnabled()
    out = tmp_path / "pets.html"
    with qtbot.waitSignal(export.worker.finished, timeout=30_000):
        export.export(str(out))
    document = out.read_text(encoding="utf-8")
    assert "mobilenet_v2_035" in document and "src='data:image/png;base64," in document
    assert "Report written to" in window.statusBar().currentMessage()
