"""Issue 24 items 3, 7, 8 and issue 25 through the command line: every output a command writes is
refused inside a dataset it knows of (the inputs, the bundle's recorded training and validation
folders), through a link, or where nothing can be written, with one line and exit code 2 before
any model loads (TensorFlow is never imported); an earlier export of another format needs
``--replace``; a damaged run store is named with its fresh one.

Each case ran red before the wiring: the commands wrote into the dataset (a class ``heatmaps``, 45
"zero" images copied into "one"), or trained to the end and failed on a ``--tensorboard`` file."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from core.cli import main

ROOT = Path(__file__).parents[2]


def _world(root: Path) -> dict[str, Path]:
    """A dataset with two classes, a bundle recording it (no model: nothing may load it), a sort
    folder whose class folder ``zero`` is a link into the class ``one``, an earlier TFLite export."""
    data = root / "data"
    for name in ("zero", "one"):
        (data / name).mkdir(parents=True)
        for i in range(2):
            Image.new("RGB", (16, 16), (40 * i, 0, 0)).save(data / name / f"{i}.png")
    bundle = root / "bundle"
    bundle.mkdir()
    (bundle / "config.json").write_text(json.dumps({"train": {"data_dir": str(data), "val_dir": None}}))
    (bundle / "labels.json").write_text(json.dumps(["one", "zero"]))
    (bundle / "model.keras").write_bytes(b"")
    sort = root / "sort"
    sort.mkdir()
    (sort / "zero").symlink_to(data / "one")
    earlier = root / "exported"
    earlier.mkdir()
    (earlier / "model.tflite").write_bytes(b"tflite")
    (earlier / "labels.json").write_text("[]")
    (earlier / "export.json").write_text(json.dumps({"kind": "finetune-studio export", "format": "tflite",
                                                     "bundle": str(bundle), "path": str(earlier / "model.tflite")}))
    (root / "notes.txt").write_text("mine")
    return {"data": data, "bundle": bundle, "sort": sort, "exported": earlier, "file": root / "notes.txt"}


def _cases(w: dict[str, Path], root: Path) -> list[tuple[list[str], str]]:
    data, bundle = str(w["data"]), str(w["bundle"])
    image = str(w["data"] / "zero" / "0.png")
    return [
        (["predict", bundle, f"{data}/zero", "--sort-into", str(w["sort"])], "is a link"),
        (["predict", bundle, str(root / "elsewhere.png"), "--csv", f"{data}/answers.csv"], "inside the dataset"),
        (["predict", bundle, str(root / "elsewhere.png"), "--sort-into", f"{data}/sorted"], "inside the dataset"),
        (["explain", bundle, image, "--out", f"{data}/heatmaps"], "inside the dataset"),
        (["explain", bundle, image, "--out", str(w["file"])], "is a file"),
        (["export", bundle, "--format", "onnx", "--out", f"{data}/exported"], "inside the dataset"),
        (["export", bundle, "--format", "onnx", "--out", "/proc/fts-export"], "takes no new files"),
        (["export", bundle, "--format", "onnx", "--out", str(w["exported"])], "holds a TFLite export"),
        (["report", bundle, "--out", f"{data}/one/report.html"], "inside the dataset"),
        (["train", data, "--out", str(root / "m"), "--tensorboard", str(w["file"])], "is a file"),
        (["train", data, "--out", str(root / "m"), "--tensorboard", f"{data}/zero/tb"], "inside the dataset"),
        (["audit", data, "--image-size", "99999"], "--image-size"),
        (["audit", data, "--image-size", "0"], "--image-size"),
    ]


def test_outputs_inside_datasets_links_files_and_bad_sizes_are_one_line_before_any_model(tmp_path: Path) -> None:
    world = _world(tmp_path)
    cases = _cases(world, tmp_path)
    before = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    script = ("import contextlib, io, json, sys\nfrom core.cli import main\nresults = []\n"
              "for args in json.loads(sys.argv[1]):\n"
              "    err = io.StringIO()\n"
              "    with contextlib.redirect_stderr(err):\n"
              "        code = main(args, out=io.StringIO())\n"
              "    results.append([code, err.getvalue()])\n"
              "print(json.dumps({'results': results, 'tensorflow': 'tensorflow' in sys.modules}))\n")
    done = subprocess.run([sys.executable, "-c", script, json.dumps([args for args, _ in cases])], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FTS_DATA_DIR": str(tmp_path / "app")})
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    for (args, words), (code, err) in zip(cases, answer["results"]):
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], (args, err)
    assert not answer["tensorflow"]  # every refusal came before a model (or TensorFlow) was loaded
    after = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if not p.is_relative_to(tmp_path / "app"))
    assert after == before  # nothing written anywhere, in the dataset least of all
    assert sorted(p.name for p in (world["data"] / "one").iterdir()) == ["0.png", "1.png"]


def test_export_replace_is_passed_through_and_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    from core.bundles.export import ExportReport
    from core.jobs import export as exporting

    world = _world(tmp_path)
    calls: list[dict[str, Any]] = []

    def fake_export(bundle: Any, fmt: str, out: Any, check_dir: Any = None, sink: Any = None, cancel: Any = None,
                    replace: bool = False) -> ExportReport:
        calls.append({"format": fmt, "replace": replace})
        return ExportReport(fmt, str(Path(out) / "model.onnx"), 1.0, 0.0, 3, "onnxruntime")

    monkeypatch.setattr(exporting, "export_bundle", fake_export, raising=False)
    monkeypatch.setattr("core.bundles.export.export_bundle", fake_export)
    args = ["export", str(world["bundle"]), "--format", "onnx", "--out", str(world["exported"])]
    assert main(args, out=io.StringIO()) == 2 and not calls
    assert "TFLite export" in capsys.readouterr().err
    assert main([*args, "--replace"], out=io.StringIO()) == 0
    assert calls == [{"format": "onnx", "replace": True}]
    assert (world["exported"] / "model.tflite").is_file()  # the fake wrote nothing; the real one swaps atomically
    question = exporting.replace_question(world["exported"], "onnx", world["bundle"])
    assert question is not None and question["format_word"] == "TFLite" and question["bundle"] == str(world["bundle"])
    assert exporting.replace_question(world["exported"], "tflite", world["bundle"]) is None  # same model, same format


def test_runs_names_a_damaged_store_and_its_fresh_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path))
    (tmp_path / "runs.sqlite").write_bytes(b"not a database at all" * 100)
    out = io.StringIO()
    assert main(["runs"], out=out) == 0
    err = capsys.readouterr().err.strip().splitlines()
    damaged = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(err) == 1 and err[0].startswith("note: ") and len(damaged) == 1
    assert str(damaged[0]) in err[0] and str(tmp_path / "runs.sqlite") in err[0]
    assert "no runs recorded yet" in out.getvalue()
    assert main(["runs"], out=io.StringIO()) == 0 and capsys.readouterr().err == ""  # said once, when it happened


def test_an_unknown_command_prints_one_usage_line() -> None:
    done = subprocess.run([sys.executable, "main.py", "trian"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 2, lines
    assert lines[0].startswith("usage: ") and lines[1].startswith("finetune-studio: error: unknown command 'trian'")


def test_the_windows_folder_classification_never_saves_into_the_models_datasets(tmp_path: Path) -> None:
    """The engine's Save as CSV and Sort into folders (the window's folder classification) check the
    model's recorded datasets too: an opened bundle's, and a just-trained model's own folders."""
    import threading
    from types import SimpleNamespace

    from core.engine.handlers.predict import save_csv, save_summary, sort_into
    from core.engine.requests.predict import SaveClassifiedCsvRequest, SaveCountsSummaryRequest, SortClassifiedRequest
    from core.engine.state import Classification, EngineState
    from core.errors import OutputTargetError

    world = _world(tmp_path)
    state = EngineState()
    data = str(world["data"])
    assert state.datasets({"handle": f"bundle:{world['bundle']}"}) == [data]
    assert state.datasets({"kind": "imagenet", "backbone": "mobilenet_v2"}) == []
    handle = state.hold_results({"": SimpleNamespace(config=SimpleNamespace(data_dir=data, val_dir=None))})[""]
    assert state.datasets({"handle": handle}) == [data]
    inputs = [str(tmp_path / "elsewhere")]
    state.keep_classification("c1", Classification(inputs, ["one", "zero"], 2, False, datasets=[data]))
    for handler, request in ((save_csv, SaveClassifiedCsvRequest("c1", f"{data}/answers.csv")),
                             (save_summary, SaveCountsSummaryRequest("c1", f"{data}/counts.csv")),
                             (sort_into, SortClassifiedRequest("c1", f"{data}/sorted"))):
        with pytest.raises(OutputTargetError, match="inside the dataset"):
            handler(request, lambda _e: None, threading.Event(), state)
    assert sorted(p.name for p in world["data"].iterdir()) == ["one", "zero"]


def test_the_windows_training_refuses_its_tensorboard_folder_inside_the_dataset(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's door (the window's Train): the TensorBoard folder of Settings (FTS_TENSORBOARD_DIR)
    or a regular file is refused before the run is recorded or any image decoded."""
    from core.config import TrainConfig
    from core.errors import OutputTargetError
    from core.jobs.train import run_training

    world = _world(tmp_path)
    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path / "app"))
    config = TrainConfig(data_dir=str(world["data"]))
    with pytest.raises(OutputTargetError, match="is a file"):
        run_training(config, tensorboard=str(world["file"]))
    monkeypatch.setenv("FTS_TENSORBOARD_DIR", str(world["data"] / "logs"))
    with pytest.raises(OutputTargetError, match="inside the dataset"):
        run_training(config)
    assert not (tmp_path / "app").exists()  # nothing recorded


def test_the_save_space_check_uses_the_bundle_estimate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture) -> None:
    """Issue 24 item 8: the space asked for is estimated_bundle_bytes (was 12 bytes per weight, ~3x
    a mostly frozen model's bundle): before training from the backbone's size (every weight counted
    as trained), and at a save without an early check from the model itself, before writing."""
    import shutil as shutil_module
    from types import SimpleNamespace

    import keras

    from core.backbones import BACKBONES
    from core.bundles import bundle as bundle_module
    from core.bundles.bundle import BundleError, estimated_bundle_bytes
    from core.files import size_words as _human
    from core.jobs.train import save_training_result

    world = _world(tmp_path)
    usage = shutil_module.disk_usage(tmp_path)
    monkeypatch.setattr(bundle_module.shutil, "disk_usage", lambda _p: usage._replace(free=1 << 20))
    needed = estimated_bundle_bytes(params=int(BACKBONES["mobilenet_v2"].params_m * 1e6))
    code = main(["train", str(world["data"]), "--out", str(tmp_path / "m"), "--backbone", "mobilenet_v2"],
                out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2 and f"about {_human(needed)} needed" in err and "1 MB free" in err, err

    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(4096)])  # 266,240 weights: ~2.8 MB bundle
    with pytest.raises(BundleError, match=f"about {_human(estimated_bundle_bytes(model))} needed"):
        save_training_result(SimpleNamespace(model=model), tmp_path / "saved")
    assert not (tmp_path / "saved").exists()
