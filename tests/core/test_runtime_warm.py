"""The warm path of a folder classification (core/bundles/warm_predictor.py): once a bundle's converted
model is cached and verified, ``predict`` answers from it without loading the Keras model (a new
process does not even import TensorFlow), with the same answers; changed files or a failed verdict
load Keras again."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main
from tests.conftest import write_color_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def own_cache(runtime_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import core.runtime.forward as forward

    monkeypatch.setattr(forward, "MIN_ROWS_TO_BUILD", 1)  # the few test images convert like 1,000 would
    return runtime_cache


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every model.keras that Keras loads."""
    from core.training.model import keras

    seen: list[str] = []
    real = keras.saving.load_model
    monkeypatch.setattr(keras.saving, "load_model", lambda path, *a, **k: (seen.append(str(path)), real(path, *a, **k))[1])
    return seen


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _predict(bundle: Path, images: Path, target: Path, *extra: str) -> list[dict[str, str]]:
    target.unlink(missing_ok=True)
    assert main(["predict", str(bundle), str(images), "--csv", str(target), *extra], out=io.StringIO()) == 0
    return _rows(target)


def test_a_warm_classification_skips_keras_until_the_files_or_the_verdict_change(
        tiny_bundle: Path, tmp_path: Path, loads: list[str], own_cache: Path) -> None:
    """One test (one conversion: ~20 s of the suite): the same answers, Keras skipped only while the
    bundle's files are those the verified model was made from and its verdict says ok."""
    import json

    from core.runtime.store import VERDICT

    bundle = Path(shutil.copytree(tiny_bundle, tmp_path / "bundle"))
    images = write_color_dataset(tmp_path / "images", per_class=3)
    keras_rows = _predict(bundle, images, tmp_path / "keras.csv", "--runtime", "keras")
    cold = _predict(bundle, images, tmp_path / "cold.csv")  # converts, checks, remembers the files
    assert len(loads) == 2 and list((own_cache / "runtime" / "sources").glob("*.json"))
    warm = _predict(bundle, images, tmp_path / "warm.csv")
    assert len(loads) == 2  # the verified converted model answered; model.keras was not loaded
    for ours, warm_row in zip(keras_rows, warm):
        assert ours["label"] == warm_row["label"]
        assert abs(float(ours["probability"]) - float(warm_row["probability"])) < 1e-4
        assert ours["unfamiliar"] == warm_row["unfamiliar"]  # the embedding rides along without Keras
    assert cold == warm
    probe = ("import io, sys; from core.cli import main; "
             f"code = main(['predict', {str(bundle)!r}, {str(images)!r}, '--csv', {str(tmp_path / 'fresh.csv')!r}], "
             "out=io.StringIO()); print(code, 'tensorflow' in sys.modules)")
    fresh = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert fresh.stdout.split() == ["0", "False"], fresh.stderr[-2000:]  # a new process: TensorFlow never imported
    assert _rows(tmp_path / "fresh.csv") == warm
    config = json.loads((bundle / "config.json").read_text())
    (bundle / "config.json").write_text(json.dumps({**config, "note": "edited"}))  # one file changed
    _predict(bundle, images, tmp_path / "a.csv")
    assert len(loads) == 3  # another fingerprint: Keras loaded, the key computed again
    assert _predict(bundle, images, tmp_path / "a.csv") == warm and len(loads) == 3
    for verdict in (own_cache / "runtime").glob(f"*/{VERDICT}"):  # as if the check had failed
        verdict.write_text(json.dumps({"ok": False, "reason": "test"}))
    _predict(bundle, images, tmp_path / "a.csv")
    assert len(loads) == 4  # never run unverified: Keras answers
