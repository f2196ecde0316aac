"""Evaluation: metrics equal scikit-learn's on known predictions; the CLI evaluates a bundle on a folder."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from core.bundles.evaluate import evaluate_probabilities, format_report, most_confused
from core.stats.calibration import expected_calibration_error
from core.stats.intervals import wilson_interval

NAMES = ["cat", "dog", "fox", "owl"]


def _known() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    labels = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 0, 1, 2])  # "owl" never occurs: support 0
    probs = rng.dirichlet(np.ones(4), size=len(labels))
    return probs, labels


def test_metrics_match_scikit_learn() -> None:
    probs, labels = _known()
    paths = [f"/data/{i}.png" for i in range(len(labels))]
    report = evaluate_probabilities(probs, labels, NAMES, paths, k=2)
    predicted = probs.argmax(axis=1)
    assert report["accuracy"] == pytest.approx(accuracy_score(labels, predicted))
    assert report["confusion_matrix"] == confusion_matrix(labels, predicted, labels=range(4)).tolist()
    p, r, f, s = precision_recall_fscore_support(labels, predicted, labels=range(4), zero_division=0)
    for i, row in enumerate(report["per_class"]):
        assert (row["class"], row["support"]) == (NAMES[i], s[i])
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((p[i], r[i], f[i]))
    top2 = np.mean([label in np.argsort(row)[-2:] for row, label in zip(probs, labels)])
    assert report["top_k"] == 2 and report["top5_accuracy"] == pytest.approx(top2)
    losses = -np.log(probs[np.arange(len(labels)), labels])
    assert report["loss"] == pytest.approx(losses.mean())
    assert report["hardest"][0]["path"] == paths[int(np.argmax(losses))]
    assert report["hardest"][0]["loss"] == pytest.approx(losses.max())
    assert [s["predicted"] for s in report["samples"]] == predicted.tolist()
    json.dumps(report)  # metrics.json material


def test_hand_made_case() -> None:
    # 3 cats: 2 right, 1 called dog (confidently); 2 dogs right.
    probs = np.array([[.9, .1], [.6, .4], [.05, .95], [.2, .8], [.3, .7]])
    report = evaluate_probabilities(probs, [0, 0, 0, 1, 1], ["cat", "dog"], ["a", "b", "c", "d", "e"])
    assert report["accuracy"] == pytest.approx(0.8) and report["top_k"] == 2 and report["top5_accuracy"] == 1.0
    assert report["confusion_matrix"] == [[2, 1], [0, 2]]
    assert report["most_confused"] == [{"true": "cat", "predicted": "dog", "count": 1, "fraction_of_true": 1 / 3}]
    worst = report["hardest"][0]
    assert (worst["path"], worst["correct"], worst["confidence"]) == ("c", False, pytest.approx(0.95))
    assert "WRONG" in format_report({**report, "data_dir": "x"})
    # the interval: Wilson's for 4 right of 5, worded once, and flagged rough (3 cats, 2 dogs)
    assert report["accuracy_ci"] == pytest.approx(list(wilson_interval(4, 5)))
    assert report["accuracy_text"] == "80 % (38-96 %) on 5 validation images"
    assert report["thin_evidence"] is True and "cat, dog" in report["accuracy_note"]
    assert report["ece"] == pytest.approx(expected_calibration_error(probs, [0, 0, 0, 1, 1]))
    assert sum(row["count"] for row in report["reliability"]) == 5
    assert "80 % (38-96 %) on 5 validation images" in format_report(report)


def test_most_confused_orders_by_count() -> None:
    pairs = most_confused([[5, 1, 3], [0, 4, 0], [2, 2, 1]], ["a", "b", "c"])
    assert [(p["true"], p["predicted"], p["count"]) for p in pairs] == [
        ("a", "c", 3), ("c", "a", 2), ("c", "b", 2), ("a", "b", 1)]


def test_empty_input() -> None:
    report = evaluate_probabilities(np.zeros((0, 2)), [], ["a", "b"])
    assert report["n_images"] == 0 and report["accuracy"] is None and report["accuracy_ci"] is None
    assert report["confusion_matrix"] == [[0, 0], [0, 0]]


def test_cli_evaluate_on_a_folder(tmp_path: Path, tiny_weights_file: Path, capsys: pytest.CaptureFixture) -> None:
    """A logreg bundle evaluated on a fresh folder holding two of its three classes (plus one corrupt file)."""
    from core import cli
    from core.jobs.train import run_training, save_training_result
    from core.config import TrainConfig
    from tests.conftest import COLORS, write_color_dataset

    train_dir = write_color_dataset(tmp_path / "train", per_class=8)
    config = TrainConfig(data_dir=str(train_dir), backbone="mobilenet_v2_035", weights=str(tiny_weights_file),
                         image_size=64, val_split=0.25, method="logreg", freeze="block_5_add")
    bundle = save_training_result(run_training(config), tmp_path / "bundle")
    test_dir = write_color_dataset(tmp_path / "test", per_class=4, seed=9,
                                   classes={k: COLORS[k] for k in ("red", "blue")})
    (test_dir / "red" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)

    assert cli.main(["evaluate", str(bundle), str(test_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["method"] == "logreg" and report["n_images"] == 8 and report["class_names"] == ["blue", "green",
                                                                                                  "red"]
    assert [row["support"] for row in report["per_class"]] == [4, 0, 4]
    assert np.asarray(report["confusion_matrix"]).sum() == 8
    correct = int(np.trace(report["confusion_matrix"]))
    assert report["accuracy_ci"] == pytest.approx(list(wilson_interval(correct, 8)))  # evaluate --json's interval
    assert report["accuracy_ci"][0] <= report["accuracy"] <= report["accuracy_ci"][1]
    assert report["accuracy_text"].endswith("on 8 images") and report["thin_evidence"] is True
    assert [Path(s["path"]).name for s in report["skipped"]] == ["broken.png"]
    assert cli.main(["evaluate", str(bundle), str(test_dir)]) == 0
    text = capsys.readouterr().out
    assert "confusion matrix" in text and "hardest examples" in text and "(95 % interval)" in text

    (test_dir / "zebra").mkdir()
    (test_dir / "zebra" / "z.png").write_bytes((test_dir / "red" / "img_000.png").read_bytes())
    assert cli.main(["evaluate", str(bundle), str(test_dir)]) == 2  # a class the model does not know
    assert "zebra" in capsys.readouterr().err
