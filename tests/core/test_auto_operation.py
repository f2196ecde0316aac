"""Auto as an operation (core/jobs/auto.py, ``train --auto``, the engine's AutoRequest): the command
finishes within its budget + 10 %, prints the leaderboard as JSON lines, writes an ordinary bundle
that predicts and whose config.json carries "auto", records the run with the chosen settings; a bad
budget is one line before any work; the engine answers an AutoRequest, and its Stop keeps the best
candidate so far. Real tiny Keras models, real image files, the real engine process."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_color_dataset

ROOT = Path(__file__).parents[2]
BUDGET_MIN = 0.5  # 30 s: the tiny network's embeddings at every layer and a fine-tuning fold or two. At
# 12 s the fixed costs (building the network, the first traced passes) left so little that one run of the
# whole suite ended at 15.0 s against 13.2; the budget + 10 % bound itself is unchanged
GROUP_BY = r"^img_\d\d(\d)"  # ten groups by the last digit of the file name, each across all classes


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_color_dataset(tmp_path_factory.mktemp("auto_op") / "colors", per_class=12, seed=3)


def test_score_row_carries_the_nadeau_bengio_interval() -> None:
    """The leaderboard's interval is cv_interval's, wider than mean +- one standard deviation."""
    from core.auto.candidates import Candidate, Score
    from core.stats.intervals import cv_interval

    scores = [0.8, 0.9, 1.0, 0.9, 0.85, 0.95, 0.9, 0.8, 1.0, 0.9]
    row = Score(Candidate("b", "logreg", 3, c=1.0), fold_accuracies=scores).row(5)
    honest = cv_interval(scores, folds=5)
    assert (row.cv_low, row.cv_high) == pytest.approx((honest["low"], honest["high"]))
    assert row.cv_low < row.cv_accuracy - 0.0725  # one standard deviation (the old interval) is ~0.07


def test_train_auto_json_within_budget_saves_a_bundle_that_predicts(data: Path, tiny_weights_file: Path,
                                                                     tmp_path: Path) -> None:
    from core.auto import search
    from core.bundles.bundle import load_bundle
    from core.bundles.predict import Predictor
    from core.cli import main
    from core.runs.store import RunStore

    out, model = io.StringIO(), tmp_path / "model"
    patch = pytest.MonkeyPatch()
    patch.setattr(search, "MAX_EPOCHS", 2)  # short folds, as in tests/core/test_auto.py
    try:
        started = time.perf_counter()
        code = main(["train", str(data), "--auto", "--budget", str(BUDGET_MIN), "--out", str(model), "--json",
                     "--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file), "--image-size", "64",
                     "--batch-size", "16", "--group-by", GROUP_BY], out)
        wall = time.perf_counter() - started
    finally:
        patch.undo()
    assert code == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    rows = [line for line in lines if line["event"] == "CandidateFinished"]
    summary = lines[-1]
    assert summary["event"] == "Summary" and len(rows) >= 8
    old_fields = {"name", "settings", "cv_accuracy", "cv_low", "cv_high", "folds", "seconds", "status"}
    assert set(rows[0]) == old_fields | {"event"}  # the status's id is the window's: the JSON lines are as they were
    assert summary["elapsed_s"] <= BUDGET_MIN * 60 * 1.1  # the search and the final training
    assert wall <= BUDGET_MIN * 60 * 1.1 + 15  # + validation and the save, outside the budget
    config = json.loads((model / "config.json").read_text())
    auto = config["auto"]
    assert auto["chosen_by"] == "auto" and auto["leaderboard"] and auto["fold_scheme"].endswith("grouped")
    assert set(auto["leaderboard"][0]) == old_fields
    assert config["train"]["method"] == summary["chosen"]["method"] and config["train"]["group_by"] == GROUP_BY
    metrics = json.loads((model / "metrics.json").read_text())
    assert metrics["val_accuracy_ci"] and "validation image" in metrics["val_accuracy_text"]
    record = RunStore().get(summary["run_id"])
    assert record.status == "completed" and record.config["method"] == summary["chosen"]["method"]
    assert record.config["freeze"] == summary["chosen"]["freeze"]
    predictor = Predictor.from_bundle(load_bundle(model))
    assert predictor.top_k([next((data / "red").glob("*.png"))], k=1)[0].top[0].label == "red"


@pytest.mark.parametrize("argv, said", [
    (["--budget", "0"], "--budget"), (["--budget", "5000"], "--budget"), (["--lr", "0.1"], "--lr"),
    (["--resume", "abc"], "--resume")])
def test_a_bad_budget_or_option_is_one_line_before_any_work(argv: list[str], said: str, data: Path,
                                                           tmp_path: Path) -> None:
    model = tmp_path / "model"
    done = subprocess.run([sys.executable, "main.py", "train", str(data), "--auto", "--out", str(model), *argv],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not model.exists() and done.stdout == ""


def test_the_engine_runs_auto_and_stop_keeps_the_best_so_far(data: Path, tiny_weights_file: Path) -> None:
    from core.engine import protocol
    from core.engine.client import EngineClient
    from core.engine.requests.auto import AutoRequest
    from core.engine.requests.train import TrainSummary
    from core.events import CandidateFinished

    config = {"data_dir": str(data), "backbone": "mobilenet_v2_035", "weights": str(tiny_weights_file),
              "image_size": 64, "batch_size": 16}
    engine = EngineClient()
    rows: list[Any] = []
    replies: list[Any] = []
    done = threading.Event()

    def on_reply(reply: Any) -> None:
        if isinstance(reply, protocol.EventMessage):
            if isinstance(reply.event, CandidateFinished):
                rows.append(reply.event)
                engine.cancel(job)  # Stop as soon as the first candidate is on the board
        else:
            replies.append(reply)
            done.set()

    try:
        job = engine.submit(AutoRequest(config, budget_s=60.0, backbones=("mobilenet_v2_035",)), on_reply)
        assert done.wait(120), "no answer from the engine"
    finally:
        engine.shutdown()
    [reply] = replies
    assert isinstance(reply, protocol.Done), reply
    summary = reply.result
    assert isinstance(summary, TrainSummary) and summary.handle and rows
    assert summary.auto["cancelled"] and summary.auto["config"]["method"] in ("logreg", "svm", "finetune")
    assert summary.auto["cv_accuracy"] == max(r.cv_accuracy for r in rows if r.cv_accuracy is not None)
    kept = json.loads((Path(summary.kept_path) / "config.json").read_text())
    assert kept["auto"]["leaderboard"] and summary.metrics["val_accuracy"] is not None


def test_the_report_of_an_auto_bundle_has_the_leaderboard(tmp_path: Path) -> None:
    from core.report.html_report import render
    from core.report.source import from_bundle

    auto = {"chosen_by": "auto", "name": "lite0: embeddings + logistic regression on layer 116 (C=1)",
            "budget_s": 300.0, "elapsed_s": 287.4, "refit": "all training images", "cancelled": False,
            "fold_scheme": "5-fold x 2 repeated stratified, grouped", "folds_k": 5, "repeats": 2, "train_images": 40,
            "leaderboard": [
                {"name": "lite0: embeddings + logistic regression on layer 116 (C=1)", "settings": {}, "folds": 10,
                 "cv_accuracy": 0.9, "cv_low": 0.8, "cv_high": 0.96, "seconds": 1.2, "status": "scored"},
                {"name": "lite0: fine-tune from layer 116 <b>", "settings": {}, "folds": 1, "cv_accuracy": 0.85,
                 "cv_low": 0.0, "cv_high": 1.0, "seconds": 30.0, "status": "scored"}]}
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.keras").write_bytes(b"")
    (folder / "labels.json").write_text('["a", "b"]')
    (folder / "config.json").write_text(json.dumps({"train": {"backbone": "efficientnet_lite0", "method": "logreg"},
                                                    "auto": auto}))
    page = render(from_bundle(folder))
    section = page.split("<h2>Auto's search</h2>")[1].split("</section>")[0]
    assert "Auto chose lite0: embeddings + logistic regression on layer 116 (C=1)" in section
    assert "90 % (80-96 %) on 40 training images (5-fold cross-validation, 2 repeats)" in section
    assert "85 % (0-100 %) on 40 training images (5-fold cross-validation, 1 of 10 folds)" in section
    assert "&lt;b&gt;" in section and "<b>" not in section  # names escaped
    assert "validation images were not read" in section
    (folder / "config.json").write_text(json.dumps({"train": {"backbone": "efficientnet_lite0"}}))
    assert "Auto's search" not in render(from_bundle(folder))
