"""The learning-rate finder: a real sweep of a tiny backbone's head on cached features, and the
sweep itself on a small real Keras model (weights restored, BatchNorm statistics included)."""
from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import cli
from core.training.lr_find import suggest, sweep
from tests.conftest import write_color_dataset

TINY = "mobilenet_v2_035"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_color_dataset(tmp_path_factory.mktemp("lr") / "colors", per_class=10, size=32)


def _config(data: Path, weights: Path, **extra: Any) -> Any:
    from core.config import TrainConfig

    settings = {"image_size": 32, "batch_size": 8, "seed": 3, **extra}
    return TrainConfig(data_dir=str(data), backbone=TINY, weights=str(weights), **settings)


def test_sweep_restores_every_weight_and_suggests_a_swept_rate() -> None:
    from core.training.model import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8), keras.layers.BatchNormalization(),
                              keras.layers.Dense(3, activation="softmax")])
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 64)
    rows = (rng.normal(0, 1, (64, 6)) + labels[:, None]).astype(np.float32)
    before = [np.array(w) for w in model.get_weights()]
    result = sweep(model, rows, labels, batch_size=16, seed=1, steps=60)
    after = model.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(before, after))  # moving statistics too
    assert len(result.losses) == len(result.smoothed) == len(result.learning_rates) <= 60
    assert len(set(np.round(result.losses, 6))) > 10, "the sweep trained nothing"
    assert result.learning_rates == sorted(result.learning_rates)
    for method in ("valley", "steepest"):
        lr = suggest(result.learning_rates, result.smoothed, method)
        assert lr in result.learning_rates


def test_suggestions_on_a_textbook_curve() -> None:
    """Flat, then a fall between 1e-4 and 1e-2, then an explosion: both methods land in the fall."""
    lrs = list(np.geomspace(1e-7, 10, 100))
    x = np.log10(lrs)
    losses = list(1.1 - 1.0 / (1 + np.exp(-(x + 3) * 3)) + np.where(x > -1, (x + 1) ** 2 * 3, 0))
    for method in ("valley", "steepest"):
        lr = suggest(lrs, losses, method)
        assert 1e-5 < lr < 1e-1, (method, lr)
    with pytest.raises(ValueError):
        suggest(lrs, losses, "guess")


def test_find_on_cached_features_is_reproducible(data: Path, tiny_weights_file: Path) -> None:
    from core.jobs.lr_find import run_lr_find

    first = run_lr_find(_config(data, tiny_weights_file), steps=40)
    second = run_lr_find(_config(data, tiny_weights_file), steps=40)
    assert first.points == second.points and first.suggested_lr == second.suggested_lr
    lrs = [lr for lr, _ in first.points]
    assert first.start_lr <= min(lrs) <= first.suggested_lr <= max(lrs) <= first.end_lr
    assert first.suggested_lr in lrs
    assert "features computed once" in first.trained and "head" in first.trained
    assert first.method == "valley"
    other_seed = run_lr_find(_config(data, tiny_weights_file, **{"seed": 4}), steps=40)
    assert other_seed.points != first.points


def test_cli_json(data: Path, tiny_weights_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    code = cli.main(["lr-find", str(data), "--backbone", TINY, "--weights", str(tiny_weights_file),
                     "--image-size", "32", "--batch-size", "8", "--steps", "30", "--suggest", "steepest",
                     "--json"], out)
    assert code == 0, capsys.readouterr().err
    report = json.loads(out.getvalue())
    assert {"suggested_lr", "method", "points"} <= set(report)
    assert report["method"] == "steepest" and isinstance(report["suggested_lr"], float)
    assert all(len(point) == 2 and all(isinstance(v, float) for v in point) for point in report["points"])
    assert report["suggested_lr"] in [lr for lr, _ in report["points"]]
    assert all(math.isfinite(loss) for _, loss in report["points"][:-1])


@pytest.mark.parametrize("argv, words", [
    (["--steps", "5"], "Steps (--steps)"),
    (["--batch-size", "0"], "Batch size"),
    (["--folder-missing"], "does not exist"),
])
def test_cli_refuses_bad_input_in_one_line(tmp_path: Path, data: Path, argv: list[str], words: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(tmp_path / "nowhere") if argv == ["--folder-missing"] else str(data)
    argv = [] if argv == ["--folder-missing"] else argv
    assert cli.main(["lr-find", folder, *argv], io.StringIO()) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and words in err[0]
