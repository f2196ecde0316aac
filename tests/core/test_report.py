"""The lab report of a real (tiny) trained bundle: one self-contained HTML file with its figures,
the methods paragraph, the hardest images; a run record (a stand-in for the run store's); the
embeddings case; a data folder that is gone; an output that must not be overwritten."""
from __future__ import annotations

import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from core import cli
from core.bundles.export_record import read_exports, record_export
from core.errors import ReportError
from core.jobs.report import write_report
from tests.conftest import write_color_dataset

TINY = "mobilenet_v2_035"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> Path:
    """One tiny fine-tuned bundle (warm-up 1 epoch, fine-tuning 1 epoch) for every test here."""
    from core.jobs.train import run_training, save_training_result
    from core.config import TrainConfig

    root = tmp_path_factory.mktemp("report")
    data = write_color_dataset(root / "colors", per_class=8, size=32)
    config = TrainConfig(data_dir=str(data), backbone=TINY, weights=str(tiny_weights_file), image_size=32,
                         epochs=2, warmup_epochs=1, batch_size=8, learning_rate=0.002, seed=7)
    return save_training_result(run_training(config), root / "model")


class _Page(HTMLParser):
    """Every tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> tuple[str, _Page]:
    document = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(document)
    page.close()
    return document, page


def _images(page: _Page) -> list[str]:
    return [attrs["src"] for tag, attrs in page.tags if tag == "img"]


def test_report_of_a_bundle_is_self_contained_with_its_figures(bundle: Path, tmp_path: Path) -> None:
    exported = tmp_path / "exports" / "cells" / "model.tflite"  # the list names only exports still there
    exported.parent.mkdir(parents=True)
    exported.write_bytes(b"tflite")
    record_export(bundle, {"format": "tflite", "path": str(exported), "runtime": "LiteRT",
                           "agreement": 1.0, "max_abs_diff": 1e-6, "images": 5})
    out = tmp_path / "report.html"
    assert write_report(bundle, out) == out
    document, page = _parse(out)
    assert "http://" not in document and "https://" not in document
    assert not [tag for tag, _ in page.tags if tag in ("script", "link", "iframe", "object", "embed")]
    sources = [attrs.get("src") for _, attrs in page.tags if "src" in attrs]
    assert sources and all(src.startswith("data:image/") for src in sources)
    plots = [src for src in _images(page) if src.startswith("data:image/png;base64,")]
    thumbs = [src for src in _images(page) if src.startswith("data:image/jpeg;base64,")]
    assert len(plots) == 3  # the curves, the confusion matrix and the reliability diagram
    assert 1 <= len(thumbs) <= 12
    text = " ".join(" ".join(page.text).split())
    methods = text.split("Methods", 1)[1].split("Dataset", 1)[0]
    for words in (TINY, "weights file", "frozen", "2 epochs", "1 epoch training only the new classification head",
                  "learning rate of 0.002", "0.0002", "seed 7", "32 × 32", "batch size 8", "augmentation: none",
                  "TensorFlow", "Keras"):
        assert words in methods, words
    assert "@media print" in document
    for name in ("red", "green", "blue"):
        assert f"<td>{name}</td>" in document
    assert "precision" in text and "LiteRT" in text and str(exported) in text


def test_report_of_a_run_record(bundle: Path, tmp_path: Path) -> None:
    """A stand-in for core.runs.store's RunRecord and RunStore.get (the run store is built elsewhere)."""
    config = json.loads((bundle / "config.json").read_text())
    metrics = json.loads((bundle / "metrics.json").read_text())
    record = SimpleNamespace(
        id="20261128-191500-ab12", status="stopped", started="2026-11-28T19:15:00+01:00", ended=None,
        data_dir=config["train"]["data_dir"], data_fingerprint="x", config=config["train"],
        history=[{"epoch": 1, "phase": "warmup", "loss": 1.2, "accuracy": 0.4, "val_loss": 1.0, "val_accuracy": 0.5}],
        metrics=metrics, bundle=None, versions={"python": "3.11.9", "tensorflow": "2.21.0"}, backbone=TINY,
        method="finetune", epochs=2, epochs_done=1, val_accuracy=metrics["val_accuracy"], error=None,
        checkpoint=None)
    asked: list[str] = []

    class Store:
        def get(self, run_id: str) -> Any:
            asked.append(run_id)
            return record

    out = write_report("20261128", tmp_path / "run.html", store=Store())
    document, page = _parse(out)
    assert asked == ["20261128"]
    text = " ".join(" ".join(page.text).split())
    assert "run 20261128-191500-ab12" in text and "stopped" in text
    assert "1 epoch training only the new classification head" in text and "of the 2 planned" in text
    assert "Python 3.11.9" in text and "seed 7" in text
    assert len([s for s in _images(page) if s.startswith("data:image/png")]) == 3  # + the reliability diagram


def test_embeddings_bundle_has_no_curves_and_a_gone_folder_skips_thumbnails(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "svm-model"
    shutil.copytree(bundle, copy)
    config = json.loads((copy / "config.json").read_text())
    config["method"] = config["train"]["method"] = "svm"
    config["classifier"] = {"search": {"C": 0.1, "cv_folds": 3}}
    (copy / "config.json").write_text(json.dumps(config))
    metrics = json.loads((copy / "metrics.json").read_text())
    metrics["method"] = "svm"
    for item in metrics["evaluation"]["hardest"]:
        item["path"] = str(tmp_path / "moved-away" / Path(item["path"]).name)
    (copy / "metrics.json").write_text(json.dumps(metrics))
    document, page = _parse(write_report(copy, tmp_path / "svm.html"))
    text = " ".join(" ".join(page.text).split())
    assert "No training curves" in text and "C = 0.1 chosen by 3-fold" in text
    assert "no longer where they were" in text
    assert [s[:15] for s in _images(page)] == ["data:image/png;"] * 2  # the confusion matrix, the reliability diagram


def test_cli_writes_replaces_its_own_report_and_refuses_anything_else(bundle: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    for _ in range(2):  # the second run replaces the first report
        stdout = io.StringIO()
        assert cli.main(["report", str(bundle), "--out", str(out), "--json"], stdout) == 0
        assert json.loads(stdout.getvalue()) == {"report": str(out)}
    notes = tmp_path / "notes.html"
    notes.write_text("my notes")
    assert cli.main(["report", str(bundle), "--out", str(notes)], io.StringIO()) == 2
    assert notes.read_text() == "my notes"
    assert cli.main(["report", str(tmp_path), "--out", str(tmp_path / "x.html")], io.StringIO()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)
    assert "not an earlier report" in err[0] and "not a model bundle" in err[1]
    assert not (tmp_path / "x.html").exists() and not list(tmp_path.glob(".*.tmp"))


def test_export_list_is_bounded_and_survives_damage(tmp_path: Path) -> None:
    for index in range(55):
        (tmp_path / f"e{index}.onnx").write_bytes(b"onnx")  # exports no longer there are dropped from the list
        assert record_export(tmp_path, {"format": "onnx", "path": str(tmp_path / f"e{index}.onnx")})
    entries = read_exports(tmp_path)
    assert len(entries) == 50 and entries[-1]["path"] == str(tmp_path / "e54.onnx") and entries[-1]["exported"]
    (tmp_path / "exports.json").write_text("{damaged")
    assert read_exports(tmp_path) == []
    with pytest.raises(ReportError):
        write_report(tmp_path, tmp_path / "x.html", store=SimpleNamespace(get=lambda _id: (_ for _ in ()).throw(
            ReportError("unknown run"))))


def test_report_of_a_recorded_run_from_the_real_run_store(bundle: Path, tmp_path: Path) -> None:
    """Every run is recorded (core/runs/): the bundle's run id, or a unique beginning of it, names a
    run whose report is the saved bundle's, with the run's own status."""
    run_id = json.loads((bundle / "config.json").read_text())["run_id"]
    out = write_report(run_id[:-1], tmp_path / "recorded.html")
    _, page = _parse(out)
    text = " ".join(" ".join(page.text).split())
    assert f"run {run_id}" in text and "completed" in text and "seed 7" in text
    assert len([s for s in _images(page) if s.startswith("data:image/png")]) >= 2


def test_the_title_names_the_backbone_once() -> None:
    """Issue 25: the title said "EfficientNet-Lite0 (offline) (efficientnet_lite0)"."""
    from core.report.methods import backbone_name, backbone_words

    train = {"backbone": "efficientnet_lite0", "weights": "imagenet"}
    assert backbone_name(train) == "EfficientNet-Lite0 (offline)"
    words = backbone_words(train)
    assert words.startswith("EfficientNet-Lite0 (offline; efficientnet_lite0), initialised")  # the id once, for repeats
    assert backbone_name({"backbone": "not_a_backbone"}) == "not_a_backbone"
