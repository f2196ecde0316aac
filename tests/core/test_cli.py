"""The headless front end end to end: train then predict from the command line, JSON output."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from core.cli import main

ROOT = Path(__file__).parents[2]


def test_train_then_predict_round_trip(color_dataset: Path, tiny_weights_file: Path, tmp_path: Path) -> None:
    (color_dataset / "red" / "readme.txt").write_text("lab notes")
    out = io.StringIO()
    code = main(["train", str(color_dataset), "--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file),
                 "--image-size", "64", "--epochs", "2", "--warmup-epochs", "1", "--batch-size", "8",
                 "--out", str(tmp_path / "bundle"), "--json"], out=out)
    assert code == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["epoch"] for line in lines if line["event"] == "EpochEnded"] == [0, 1]
    summary = lines[-1]
    assert summary["event"] == "Summary" and summary["classes"] == ["blue", "green", "red"]
    assert summary["skipped"] == [{"path": str(color_dataset / "red" / "readme.txt"),
                                   "reason": "not an image file type (.txt)"}]
    assert 0.0 <= summary["metrics"]["val_accuracy"] <= 1.0

    out = io.StringIO()
    image = color_dataset / "blue" / "img_000.png"
    assert main(["predict", str(tmp_path / "bundle"), str(image), "--top", "2", "--json"], out=out) == 0
    predictions = json.loads(out.getvalue())
    assert predictions[0]["image"] == str(image)
    top = predictions[0]["top"]
    assert len(top) == 2 and top[0]["probability"] >= top[1]["probability"]
    assert {t["label"] for t in top} <= {"blue", "green", "red"}


def test_imagenet_top5_offline_from_the_command_line(tmp_path: Path) -> None:
    from skimage import data

    cat = tmp_path / "cat.jpg"
    Image.fromarray(data.chelsea()).save(cat)
    out = io.StringIO()
    assert main(["predict", "--backbone", "efficientnet_lite0", str(cat), "--top", "5", "--json"], out=out) == 0
    labels = [t["label"].lower() for t in json.loads(out.getvalue())[0]["top"]]
    assert len(labels) == 5 and any("cat" in label or "mau" in label for label in labels[:2])


@pytest.mark.parametrize("args, message", [
    (["train", "/definitely/not/here", "--out", "x"], "does not exist"),
    (["predict", "/no/bundle", "img.jpg"], "No model bundle"),
])
def test_bad_input_exits_2_with_one_readable_line(args: list[str], message: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], done.stderr


def test_core_never_imports_qt() -> None:
    code = ("import sys, core.jobs, core.cli, core.data.scan, core.training.trainer, core.bundles.predict, core.bundles.bundle, core.training.features;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6')];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
