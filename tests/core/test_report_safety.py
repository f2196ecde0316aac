"""Issue 24's hostile cases for ``report``, at the domain level and without TensorFlow: a bundle
whose class names are not text (bytes that are not UTF-8, a newline), and a ``metrics.json`` that
names images outside the model's data folders as its "hardest examples". Hand-written bundle files:
the report reads files, never the model."""
from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import numpy as np
from PIL import Image

from core.report.html_report import write_report
from core.report.source import from_bundle


def _bundle(root: Path, class_names: list[str], hardest: list[str], data: Path) -> Path:
    folder = root / "model"
    folder.mkdir(parents=True)
    (folder / "model.keras").write_bytes(b"not read by the report")
    (folder / "labels.json").write_text(json.dumps(class_names))
    (folder / "config.json").write_text(json.dumps({"method": "finetune", "train": {"data_dir": str(data)}}))
    n = len(class_names)
    evaluation = {"class_names": class_names, "confusion_matrix": np.eye(n, dtype=int).tolist(), "accuracy": 1.0,
                  "n_images": n, "hardest": [{"path": path, "true": class_names[0], "predicted": class_names[0],
                                              "correct": True, "confidence": 0.9, "true_probability": 0.9}
                                             for path in hardest]}
    (folder / "metrics.json").write_text(json.dumps({"evaluation": evaluation}))
    return folder


def _picture(path: Path, value: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((16, 16, 3), value, np.uint8)).save(path)
    return path


def test_class_names_that_are_not_text_still_make_a_report(tmp_path: Path) -> None:
    names = [os.fsdecode(b"cla\xdfe"), "two\nlines", "=1+1"]
    data = tmp_path / "data"
    out = write_report(from_bundle(_bundle(tmp_path, names, [], data)), tmp_path / "report.html")
    document = out.read_text(encoding="utf-8")
    assert "cla\\xdfe" in document and "<td>two\\nlines</td>" in document


def test_only_images_under_the_recorded_data_folders_are_embedded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    inside = _picture(data / "a" / "img.png", 10)
    secret = _picture(tmp_path / "home" / "private.png", 200)
    (data / "a" / "link.png").symlink_to(secret)
    folder = _bundle(tmp_path, ["a", "b"], [str(secret), str(data / "a" / "link.png"), str(inside)], data)
    document = write_report(from_bundle(folder), tmp_path / "report.html").read_text(encoding="utf-8")
    thumbnails = [part.split("'")[0] for part in document.split("src='data:image/jpeg;base64,")[1:]]
    assert len(thumbnails) == 1
    shown = Image.open(__import__("io").BytesIO(base64.b64decode(thumbnails[0])))
    assert abs(int(np.asarray(shown).mean()) - 10) < 3  # the dataset's image, not the private one
    assert "data folders, so not shown" in document


def test_the_report_lists_only_exports_still_there_and_says_which_are_gone(tmp_path: Path) -> None:
    from core.bundles.export_record import record_export

    folder = _bundle(tmp_path, ["a", "b"], [], tmp_path / "data")
    kept, gone = tmp_path / "x" / "model.onnx", tmp_path / "y" / "model.tflite"
    for model in (kept, gone):
        model.parent.mkdir()
        model.write_bytes(b"model")
        record_export(folder, {"format": model.suffix[1:], "path": str(model), "runtime": "R-" + model.suffix[1:]})
    gone.unlink()  # an ONNX export replaced it, or the user deleted it
    document = write_report(from_bundle(folder), tmp_path / "report.html").read_text(encoding="utf-8")
    assert "R-onnx" in document and "R-tflite" not in document
    assert "no longer there" in document and str(gone) in document
