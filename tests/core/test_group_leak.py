"""Issue 19's planted leak: four slightly noisy copies of each source image, named ``src017_a.png`` ..
``src017_d.png``, and a separate test folder of fresh images. A random validation split puts copies of
one source on both sides, so the validation accuracy is inflated (above the test folder's interval);
keeping each source's copies together (``group_by='^(src\\d+)_'``) puts no source on both sides, and
the validation accuracy agrees with the test folder's accuracy within its 95 % Wilson interval.

The data: each source is a random 8 x 8 colour texture (upsampled to 64 px) whose colour is shifted
towards red (class a) or blue (class b) by less than the textures vary, so the class generalises only
partly from colour; the copies differ by noise of one grey level, small enough that the tiny random
backbone's pooled features (1280 of them) of a copy sit next to its source's, so logistic regression can
recognise memorised sources. Embeddings + logistic regression keeps the test to seconds.

Not one lucky draw: with data and split seeds 0 to 4 (this test uses 0), the random split's validation
accuracy was above the test folder's interval and the grouped one inside it every time (random
split 0.81-0.93 against test 0.62-0.73; grouped 0.66-0.80 against test 0.67-0.78).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

SIZE = 64
SOURCES = 60  # per class, in the training folder
COPIES = "abcd"
FRESH = 60  # per class, in the test folder
SHIFT = 50.0  # the class's colour shift, against textures uniform in 0..255
GROUP_BY = r"^(src\d+)_"


def wilson(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % for z = 1.96). A local copy: the project's own
    (core/stats/intervals.py) is being written beside this; the two must agree."""
    p = correct / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def test_wilson_known_cases() -> None:
    low, high = wilson(81, 263)  # Newcombe (1998), method 3: 0.2553-0.3662 (continuity uncorrected)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == pytest.approx(1.0)


def _source(rng: np.random.Generator, label: int) -> np.ndarray:
    texture = rng.uniform(0, 255, (8, 8, 3)).astype(np.uint8)
    pixels = np.asarray(Image.fromarray(texture).resize((SIZE, SIZE), Image.Resampling.BILINEAR), np.float64)
    sign = 1.0 if label == 1 else -1.0
    pixels[..., 0] += sign * SHIFT
    pixels[..., 2] -= sign * SHIFT
    return pixels


def _save(path: Path, pixels: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(path)


def write_leaky_dataset(root: Path, seed: int = 0) -> tuple[Path, Path]:
    """(training folder with four near-copies of each source, test folder of fresh sources)."""
    rng = np.random.default_rng(seed)
    for label, name in enumerate(("a", "b")):
        for s in range(SOURCES):
            source = _source(rng, label)
            for copy in COPIES:
                _save(root / "train" / name / f"src{label}{s:03d}_{copy}.png", source + rng.normal(0, 1.0, source.shape))
        for t in range(FRESH):
            _save(root / "test" / name / f"fresh{t:03d}.png", _source(rng, label))
    return root / "train", root / "test"


def _accuracies(train_dir: Path, test_dir: Path, weights: Path, group_by: str | None) -> dict:
    from core.bundles.evaluate import evaluate_folder
    from core.bundles.predict import Predictor
    from core.training.classic import fit_classic
    from core.training.trainer import TrainConfig

    config = TrainConfig(data_dir=str(train_dir), backbone="mobilenet_v2_035", weights=str(weights),
                         image_size=SIZE, val_split=0.3, method="logreg", seed=0, group_by=group_by)
    result = fit_classic(config)
    labels = np.asarray(result.data.val.labels)
    test = evaluate_folder(Predictor(result.model, result.class_names), test_dir)
    n_test = int(np.asarray(test["confusion_matrix"]).sum())
    return {"val": float((result.val_probabilities.argmax(axis=1) == labels).mean()), "test": test["accuracy"],
            "n_test": n_test, "result": result}


def _sources(files) -> set[str]:
    return {Path(f).name.split("_")[0] for f in files}


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> dict:
    train_dir, test_dir = write_leaky_dataset(tmp_path_factory.mktemp("leak"))
    return {"random": _accuracies(train_dir, test_dir, tiny_weights_file, None),
            "grouped": _accuracies(train_dir, test_dir, tiny_weights_file, GROUP_BY)}


def test_a_random_split_leaks_and_inflates_validation(leaky: dict) -> None:
    run = leaky["random"]
    data = run["result"].data
    leaked = _sources(data.train.files) & _sources(data.val.files)
    assert len(leaked) >= 0.9 * len(_sources(data.val.files))  # nearly every validation source has copies in training
    low, high = wilson(round(run["test"] * run["n_test"]), run["n_test"])
    assert run["val"] > high, (run["val"], run["test"], (low, high))


def test_keeping_groups_together_gives_an_honest_validation_accuracy(leaky: dict) -> None:
    run = leaky["grouped"]
    data = run["result"].data
    assert not _sources(data.train.files) & _sources(data.val.files)
    assert data.groups["groups"] == 2 * SOURCES and data.groups["group_by"] == GROUP_BY
    low, high = wilson(round(run["test"] * run["n_test"]), run["n_test"])
    assert low <= run["val"] <= high, (run["val"], run["test"], (low, high))
    assert run["val"] < leaky["random"]["val"]
    from core.training.trainer import bundle_config

    recorded = bundle_config(run["result"])  # config.json: the rule and where the groups went
    assert recorded["train"]["group_by"] == GROUP_BY and recorded["groups"] == data.groups
    assert data.groups["train_groups"] + data.groups["val_groups"] == 2 * SOURCES
    assert bundle_config(leaky["random"]["result"])["groups"] is None
    assert 0.5 < run["test"] < 0.95  # the classes generalise only partly: room for memorising to show


def test_the_audit_suggests_the_rule_for_copies(tmp_path: Path, tiny_weights_file: Path) -> None:
    """Exact copies are found by their pixels, whatever the backbone: the audit's note names the rule."""
    from core.insight.audit import run_audit

    rng = np.random.default_rng(1)
    for label, name in enumerate(("a", "b")):
        for s in range(4):
            source = _source(rng, label)
            for copy in "ab":
                _save(tmp_path / "data" / name / f"src{label}{s:03d}_{copy}.png", source)
    report = run_audit(tmp_path / "data", backbone="mobilenet_v2_035", weights=str(tiny_weights_file),
                       image_size=32, use_cache=False)
    assert len([d for d in report.duplicates if d["kind"] == "exact"]) == 8
    assert report.suggested_group_by == GROUP_BY
    assert any("8 sets of copies would fall on both sides" in note and GROUP_BY in note for note in report.notes)
    assert report.to_dict()["suggested_group_by"] == GROUP_BY
