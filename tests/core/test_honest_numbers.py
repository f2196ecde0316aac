"""Issue 19 items 3 and 4 at the fronts: every accuracy written with its Wilson 95 % interval and the
"rough number" note, and ``--group-by`` reaching the split, the record and the run store."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy.stats import binomtest

from core.stats.intervals import recorded_accuracy

ROOT = Path(__file__).resolve().parents[2]


def test_recorded_accuracy_of_an_old_record_is_recomputed_from_its_count() -> None:
    ci = binomtest(46, 50).proportion_ci(method="wilson")  # 0.8116-0.9685
    firm = recorded_accuracy({"val_accuracy": 0.92, "val_images": 50})
    assert firm["accuracy_ci"] == pytest.approx([ci.low, ci.high])
    assert firm["text"] == "92 % (81-97 %) on 50 validation images" and firm["note"] is None
    per_class = [{"class": "a", "support": 25}, {"class": "b", "support": 25}]  # under 30 each: rough
    rough = recorded_accuracy({"val_accuracy": 0.92, "val_images": 50, "evaluation": {"per_class": per_class}})
    assert rough["thin_evidence"] and "rough" in rough["note"] and "in a, b" in rough["note"]
    assert recorded_accuracy({"val_accuracy": None}) is None and recorded_accuracy({}) is None
    kept = {"val_accuracy": 0.5, "val_images": 4, "val_accuracy_ci": [0.1, 0.9], "val_accuracy_text": "as written",
            "val_accuracy_note": "rough"}
    assert recorded_accuracy(kept)["text"] == "as written"  # what training wrote is what is shown


def _slides(root: Path, slides: int = 4, per_slide: int = 4) -> Path:
    """Colour classes, each image in its slide's subfolder (class/slideN/img.png)."""
    rng = np.random.default_rng(0)
    for name, colour in {"red": (210, 50, 40), "green": (40, 170, 60), "blue": (40, 60, 200)}.items():
        for slide in range(slides):
            folder = root / name / f"{name}_slide{slide}"
            folder.mkdir(parents=True)
            for index in range(per_slide):
                pixels = np.clip(np.asarray(colour) + rng.normal(0, 25, (40, 40, 3)), 0, 255).astype(np.uint8)
                Image.fromarray(pixels).save(folder / f"img{index}.png")
    return root


def test_train_writes_the_interval_the_note_and_the_groups(tmp_path: Path, tiny_weights_file: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    from core import cli
    from core.runs.store import RunStore

    data, out = _slides(tmp_path / "slides"), tmp_path / "bundle"
    code = cli.main(["train", str(data), "--method", "logreg", "--backbone", "mobilenet_v2_035", "--weights",
                     str(tiny_weights_file), "--image-size", "64", "--freeze", "block_5_add", "--val-split", "0.25",
                     "--group-by", "subfolder", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    metrics = json.loads((out / "metrics.json").read_text())
    n, accuracy = metrics["val_images"], metrics["val_accuracy"]
    ci = binomtest(round(accuracy * n), n).proportion_ci(method="wilson")
    assert metrics["val_accuracy_ci"] == pytest.approx([ci.low, ci.high])
    assert metrics["val_accuracy_text"] in printed and f"on {n} validation images" in metrics["val_accuracy_text"]
    assert metrics["thin_evidence"] and "the number is rough" in metrics["val_accuracy_note"]
    assert metrics["val_accuracy_note"] in printed  # said plainly on the command line too
    assert metrics["groups"]["group_by"] == "subfolder" and metrics["groups"]["groups"] == 12
    assert "kept whole" in printed
    config = json.loads((out / "config.json").read_text())
    assert config["train"]["group_by"] == "subfolder"  # --group-by reached the TrainConfig
    val_slides = {Path(p).parent.name for p in config["split"]["val"]}
    assert val_slides.isdisjoint(Path(p).parent.name for p in config["split"]["train"])  # no slide on both sides
    record = RunStore().get(metrics.get("run_id") or config["run_id"])
    assert record.group_by == "subfolder" and record.accuracy()["text"] == metrics["val_accuracy_text"]
    assert record.summary()["val_accuracy_ci"] == pytest.approx(metrics["val_accuracy_ci"])


@pytest.mark.parametrize("command", ["train", "lr-find"])
def test_a_bad_group_by_is_one_line_and_exit_2_before_any_work(tmp_path: Path, command: str) -> None:
    data = _slides(tmp_path / "slides", slides=1, per_slide=1)
    extra = ["--out", str(tmp_path / "never")] if command == "train" else []
    check = ("import sys, runpy; sys.argv = ['main.py', *sys.argv[1:]]\n"
             "try:\n    runpy.run_path('main.py', run_name='__main__')\n"
             "finally:\n    print('tensorflow' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", check, command, str(data), "--group-by", "(slide", *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert lines[0].startswith("error: Keep-together rule (--group-by) '(slide' is not a valid regular expression")
    assert lines[1:] == ["False"]  # one line, and TensorFlow never loaded
    assert not (tmp_path / "never").exists()


def test_lr_find_passes_group_by_to_its_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core import cli
    from core.jobs import lr_find

    seen = {}

    def fake(config, progress, steps, method):  # the door's signature; records what the CLI built
        seen["config"] = config
        raise ValueError("stop here")

    monkeypatch.setattr(lr_find, "run_lr_find", fake)
    assert cli.main(["lr-find", str(_slides(tmp_path / "s", 1, 1)), "--group-by", r"^(\w+_slide\d)"]) == 2
    assert seen["config"].group_by == r"^(\w+_slide\d)"


def test_the_report_says_the_interval_the_rough_note_and_the_groups() -> None:
    from core.report.html_report import render
    from core.report.methods import methods_paragraph
    from core.report.source import ReportSource

    per_class = [{"class": name, "precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 25} for name in "ab"]
    evaluation = {"n_images": 50, "accuracy": 0.92, "top_k": 2, "top5_accuracy": 1.0, "per_class": per_class,
                  "class_names": ["a", "b"], "confusion_matrix": [[23, 2], [2, 23]]}  # saved before intervals
    source = ReportSource("cells", {"val_split": 0.2, "seed": 1, "group_by": "subfolder", "method": "logreg"},
                          ["a", "b"], metrics={"val_accuracy": 0.92, "val_images": 50, "method": "logreg",
                                               "evaluation": evaluation,
                                               "groups": {"group_by": "subfolder", "train_groups": 8, "val_groups": 2}})
    text = methods_paragraph(source)
    assert "validation accuracy of 92 % (81-97 %) on 50 validation images (in parentheses the Wilson 95 %" in text
    assert "the number is rough" in text and "kept 8 groups for training and 2 for validation" in text
    page = render(source)
    assert "92 % (81-97 %) on 50 validation images" in page and "the number is rough" in page


def test_resume_refuses_group_by(capsys: pytest.CaptureFixture[str]) -> None:
    """A resumed run keeps its own split; --group-by would be ignored, so it is refused."""
    import io

    from core import cli

    assert cli.main(["train", "--resume", "20261128-000000-abcdef", "--group-by", "subfolder"], out=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --resume continues a run") and "--group-by" in err and err.count("\n") == 1
