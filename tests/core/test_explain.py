"""Grad-CAM on real tiny models: the heatmap's peak falls on the thing that decides the class, for
a fine-tuned bundle, an embeddings + classifier model and a raw ImageNet backbone; the CLI's
``explain`` writes overlays and its --json, and refuses bad input before any work."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core import cli
from core.jobs import explain as jobs_explain
from core.jobs.compare import run_comparison
from core.jobs.predict import imagenet_predictor, trained_predictor
from core.jobs.train import save_training_result
from core.bundles.predict import Predictor
from core.errors import SettingsError

SIZE = 128  # Lite0 at 128 px: a 4 x 4 map at its last spatial layer
SHAPES = {"red": (220, 40, 30), "blue": (30, 60, 220)}


def write_shapes(root: Path, per_class: int, seed: int) -> dict[str, tuple[int, int, int, int]]:
    """A disc of the class's colour at a random place on a grey, slightly noisy background;
    returns each file's disc box (x0, y0, x1, y1)."""
    rng = np.random.default_rng(seed)
    boxes = {}
    for name, colour in SHAPES.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            image = Image.fromarray(np.clip(rng.normal(128, 8, (SIZE, SIZE, 3)), 0, 255).astype(np.uint8))
            side = SIZE // 3
            x, y = (int(v) for v in rng.integers(0, SIZE - side, 2))
            ImageDraw.Draw(image).ellipse([x, y, x + side, y + side], fill=colour)
            path = root / name / f"{index:03d}.png"
            image.save(path)
            boxes[str(path)] = (x, y, x + side, y + side)
    return boxes


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Fine-tuned and logistic-regression models on one split of the shapes (images decoded once)."""
    from core.config import TrainConfig

    root = tmp_path_factory.mktemp("explain")
    write_shapes(root / "train", per_class=12, seed=0)
    test = write_shapes(root / "test", per_class=6, seed=1)
    config = TrainConfig(data_dir=str(root / "train"), backbone="efficientnet_lite0", image_size=SIZE, epochs=3,
                         warmup_epochs=3, batch_size=16, learning_rate=1e-2, val_split=0.25, seed=1)
    results = run_comparison(config, ("finetune", "logreg"))
    bundle = save_training_result(results["finetune"], root / "bundle")
    return {"root": root, "test": test, "bundle": bundle, "results": results}


def _on_shape(peak: tuple[int, int], box: tuple[int, int, int, int], margin: int = SIZE // 8) -> bool:
    """Within the disc's box, or less than half a map cell (16 px) outside it."""
    x0, y0, x1, y1 = box
    return x0 - margin <= peak[0] <= x1 + margin and y0 - margin <= peak[1] <= y1 + margin


def test_a_chosen_class_is_explained_and_an_unknown_one_refused(shapes: dict) -> None:
    red = [p for p in shapes["test"] if "/red/" in p][:2]
    predictor = trained_predictor(shapes["results"]["finetune"])
    chosen = jobs_explain.explain(predictor, red, class_name="blue", preview_side=64)
    assert [r.label for r in chosen] == ["blue", "blue"] and all(r.probability < 0.5 for r in chosen)
    assert all(r.heatmap.shape == (4, 4) for r in chosen)  # may be all zero: nothing there says "blue"
    with Image.open(io.BytesIO(chosen[0].preview)) as preview:
        assert preview.size == (64, 64)
    with pytest.raises(SettingsError, match="no class 'purple'"):
        jobs_explain.explain(predictor, red, class_name="purple")


def test_embeddings_classifier_and_raw_backbone_give_heatmaps(shapes: dict) -> None:
    images = list(shapes["test"])[:3]
    result = shapes["results"]["logreg"]
    classic = jobs_explain.explain(trained_predictor(result), images)
    probabilities = Predictor(result.model, result.class_names).probabilities(
        np.stack([np.asarray(Image.open(p).convert("RGB")) for p in images]))
    assert [r.probability for r in classic] == pytest.approx(probabilities.max(axis=1).tolist(), abs=1e-4)
    assert all(r.heatmap.shape == (4, 4) and r.heatmap.max() > 0 for r in classic)

    imagenet = jobs_explain.explain(imagenet_predictor("efficientnet_lite0"), images[:1])
    assert imagenet[0].heatmap.shape == (7, 7) and imagenet[0].heatmap.max() > 0  # 224 px / 32
    from core.backbones.imagenet import imagenet_class_names

    assert imagenet[0].label in imagenet_class_names()


def _cli(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(args, out), out.getvalue()


def test_the_peak_falls_on_the_shape_and_the_cli_writes_overlays_and_json(shapes: dict, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture) -> None:
    """One ``explain --json`` over the test images (the bundle's own path, as a user runs it), a
    copy under the same name in another folder, and a file that is not an image."""
    test = shapes["test"]
    images = list(test)
    twin = tmp_path / "elsewhere" / Path(images[0]).name
    twin.parent.mkdir()
    twin.write_bytes(Path(images[0]).read_bytes())
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image at all")
    out = tmp_path / "overlays"
    out.mkdir()
    (out / f"{Path(images[1]).stem}.gradcam.png").write_bytes(b"someone else's file")
    code, text = _cli(["explain", str(shapes["bundle"]), *images, str(twin), str(broken), "--out", str(out), "--json"])
    assert code == 1  # one file could not be read; the others were explained
    assert f"skipped {broken}" in capsys.readouterr().err
    rows = json.loads(text)
    assert [row["image"] for row in rows] == [str(Path(p).resolve()) for p in [*images, twin]]
    hits = [_on_shape(row["peak"], test[str(Path(row["image"]))]) for row in rows[:-1]]
    assert sum(hits) >= 0.75 * len(hits), hits  # chance: a disc's box and margin cover ~1/4 of the image

    result = shapes["results"]["finetune"]  # the bundle's model, still in memory: the same answers
    expected = Predictor(result.model, result.class_names).top_k(images, k=1)
    assert [row["label"] for row in rows[:-1]] == [p.top[0].label for p in expected]  # the predicted class
    assert np.allclose([row["probability"] for row in rows[:-1]], [p.top[0].probability for p in expected], atol=1e-4)
    for row in rows:
        assert set(row) == {"image", "label", "probability", "peak", "overlay"}
        assert Path(row["overlay"]).is_absolute() and Path(row["overlay"]).parent == out
        with Image.open(row["overlay"]) as overlay:
            assert overlay.size == (SIZE, SIZE) and overlay.format == "PNG"  # the original's size
        assert len(row["peak"]) == 2 and all(0 <= v < SIZE for v in row["peak"])
    assert len({row["overlay"] for row in rows}) == len(rows)  # red/000.png, blue/000.png, the twin: own files
    assert (out / f"{Path(images[1]).stem}.gradcam.png").read_bytes() == b"someone else's file"  # never replaced


@pytest.mark.parametrize("extra, message", [(["--class", "purple"], "no class 'purple'"),
                                            ([], "holds the image")])
def test_cli_refuses_bad_input_in_one_line_before_any_work(shapes: dict, tmp_path: Path, extra: list[str],
                                                           message: str, capsys: pytest.CaptureFixture) -> None:
    image = list(shapes["test"])[0]
    out = tmp_path / "new" if extra else Path(image).parent  # the second case: --out is the image's own folder
    before = sorted(Path(image).parent.iterdir())
    code, text = _cli(["explain", str(shapes["bundle"]), image, "--out", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 2 and text == "" and err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not (tmp_path / "new").exists() and sorted(Path(image).parent.iterdir()) == before
