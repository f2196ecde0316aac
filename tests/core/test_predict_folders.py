"""``predict`` on whole folders: the CSV a spreadsheet opens, copies sorted into class folders with
the originals untouched, refusals before any work, and the streaming that keeps 100,000 images out
of memory. Real image files, a real (tiny) trained bundle, the real command line."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest
from PIL import Image

from core.cli import main
from tests.conftest import write_color_dataset

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> Path:
    """One tiny fine-tuned bundle for the module (with its unfamiliar-image calibration)."""
    root = tmp_path_factory.mktemp("train")
    data = write_color_dataset(root / "colors", per_class=6, size=32)
    out = root / "bundle"
    code = main(["train", str(data), "--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file),
                 "--image-size", "64", "--epochs", "1", "--warmup-epochs", "1", "--batch-size", "8",
                 "--out", str(out), "--json"], out=io.StringIO())
    assert code == 0
    return out


def _new_images(root: Path) -> Path:
    """A folder of new images as a lab gets them: nested, a name used twice, a hidden file, notes,
    and one file that claims to be a PNG but is not."""
    write_color_dataset(root / "batch1", per_class=2, size=24, seed=3)  # batch1/{red,green,blue}/img_00x.png
    Image.fromarray(np.full((20, 20, 3), 200, np.uint8)).save(root / "img_000.png")  # same name as in batch1
    (root / "notes.txt").write_text("plate 7")
    (root / ".hidden.png").write_bytes(b"not even an image")
    (root / "broken.png").write_text("this is not a picture")
    return root


def _checksums(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_csv_has_one_row_per_image_with_top_k_unfamiliar_and_error_columns(bundle: Path, tmp_path: Path) -> None:
    images = _new_images(tmp_path / "new")
    table = tmp_path / "out.csv"
    out = io.StringIO()
    code = main(["predict", str(bundle), str(images), "--csv", str(table), "--top", "2"], out=out)
    assert code == 1  # one file unreadable
    with open(table, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["path", "label", "probability", "label_2", "probability_2", "unfamiliar", "set", "error"]
    body = {Path(row[0]).relative_to(images).as_posix(): row for row in rows[1:]}
    assert set(body) == {"broken.png", "img_000.png", *(f"batch1/{c}/img_00{i}.png" for c in ("blue", "green", "red")
                                                        for i in range(2))}
    broken = body.pop("broken.png")
    assert broken[1:7] == ["", "", "", "", "", ""] and broken[7] == "not an image (a text file)"
    for row in body.values():
        assert row[1] in {"red", "green", "blue"} and row[3] in {"red", "green", "blue"} and row[1] != row[3]
        assert 1.0 >= float(row[2]) >= float(row[4]) >= 0.0
        assert row[5] in {"true", "false"} and row[7] == ""
        assert row[6] == ""  # no prediction set: 3 validation images are too few for 90 % (a note says so)
    assert "classified 8 images; 1 unreadable; 1 other file ignored" in out.getvalue()
    assert not list(tmp_path.glob(".out.csv.*"))  # the temporary file was renamed, not left behind


def test_sort_copies_into_class_folders_and_never_changes_the_originals(bundle: Path, tmp_path: Path) -> None:
    images = _new_images(tmp_path / "new")
    before = _checksums(images)
    target = tmp_path / "sorted"
    out = io.StringIO()
    assert main(["predict", str(bundle), str(images), "--sort-into", str(target), "--json"], out=out) == 1
    summary = json.loads(out.getvalue())
    assert summary["images"] == 8 and summary["unreadable"] == 1
    assert sum(summary["sorted"].values()) == 7 and set(summary["sorted"]) <= {"red", "green", "blue", "uncertain"}
    assert _checksums(images) == before
    copies = sorted(path for path in target.rglob("*") if path.is_file())
    assert len(copies) == 7
    names = [path.name for path in copies]
    assert names.count("img_000.png") + names.count("img_000 (2).png") + names.count("img_000 (3).png") == 4
    originals = {digest for digest in before.values()}
    assert all(hashlib.sha256(path.read_bytes()).hexdigest() in originals for path in copies)

    # Again into the same folder (issue 24: a rerun must not add 'name (2).png' beside the same image): each
    # image finds its own copy under its name or its suffixed name, nothing is copied twice or overwritten.
    assert main(["predict", str(bundle), str(images / "batch1"), "--sort-into", str(target)], out=io.StringIO()) == 0
    assert sorted(path for path in target.rglob("*") if path.is_file()) == copies
    assert all(hashlib.sha256(path.read_bytes()).hexdigest() in originals for path in target.rglob("*.png"))
    assert _checksums(images) == before


def test_below_min_confidence_goes_to_uncertain(bundle: Path, tmp_path: Path) -> None:
    images = write_color_dataset(tmp_path / "new", per_class=1, size=24, seed=5)
    target = tmp_path / "sorted"
    out = io.StringIO()
    assert main(["predict", str(bundle), str(images), "--sort-into", str(target), "--min-confidence", "1",
                 "--json"], out=out) == 0
    assert json.loads(out.getvalue())["sorted"] == {"uncertain": 3}
    assert sorted(path.name for path in (target / "uncertain").iterdir()) == ["img_000 (2).png", "img_000 (3).png",
                                                                             "img_000.png"]


def test_a_folder_without_images_is_a_user_error_and_leaves_no_csv(bundle: Path, tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("nothing here")
    table = tmp_path / "out.csv"
    assert main(["predict", str(bundle), str(tmp_path / "empty"), "--csv", str(table)], out=io.StringIO()) == 2
    assert not table.exists() and [p.name for p in tmp_path.iterdir()] == ["empty"]


@pytest.mark.parametrize("where, message", [
    ("sort-inside", "is inside the input folder"),
    ("csv-inside", "is inside the input folder"),
    ("csv-foreign", "is not a CSV written by 'predict'"),
    ("min-confidence-alone", "only with --sort-into"),
])
def test_targets_in_the_input_or_over_foreign_files_are_refused_before_any_work(
        where: str, message: str, tmp_path: Path) -> None:
    images = write_color_dataset(tmp_path / "new", per_class=1, size=16)
    before = _checksums(images)
    (tmp_path / "thesis.csv").write_text("my thesis data\n")
    args = {"sort-inside": ["--sort-into", str(images / "sorted")],
            "csv-inside": ["--csv", str(images / "red" / "out.csv")],
            "csv-foreign": ["--csv", str(tmp_path / "thesis.csv")],
            "min-confidence-alone": ["--min-confidence", "0.5"]}[where]
    # No such bundle: a refusal that costs a model load would say 'No model bundle' instead.
    done = subprocess.run([sys.executable, "main.py", "predict", str(tmp_path / "no-bundle"), str(images), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], done.stderr
    assert _checksums(images) == before and (tmp_path / "thesis.csv").read_text() == "my thesis data\n"


def test_backbone_classifies_a_folder(tmp_path: Path) -> None:
    images = write_color_dataset(tmp_path / "new", per_class=1, size=32)
    out = io.StringIO()
    assert main(["predict", "--backbone", "efficientnet_lite0", str(images), "--top", "3", "--json"], out=out) == 0
    predictions = json.loads(out.getvalue())
    assert [Path(p["image"]).parent.name for p in predictions] == ["blue", "green", "red"]
    assert all(len(p["top"]) == 3 and "unfamiliar" not in p for p in predictions)
    table = tmp_path / "imagenet.csv"
    assert main(["predict", "--backbone", "efficientnet_lite0", str(images), "--top", "1", "--csv", str(table)],
                out=io.StringIO()) == 0
    assert table.read_text().splitlines()[0] == "path,label,probability,error"


def test_links_are_followed_out_of_the_inputs_but_never_back_inside(tmp_path: Path) -> None:
    from core.bundles.classify import Listing

    outside = write_color_dataset(tmp_path / "elsewhere", per_class=1, size=8, classes={"x": (1, 2, 3)})
    images = write_color_dataset(tmp_path / "new", per_class=2, size=8, classes={"a": (9, 9, 9)})
    (images / "a" / "loop").symlink_to(images, target_is_directory=True)
    (images / "again.png").symlink_to(images / "a" / "img_000.png")
    (images / "more").symlink_to(outside, target_is_directory=True)
    listing = Listing([images])
    assert [p.relative_to(images).as_posix() for p in listing] == ["a/img_000.png", "a/img_001.png",
                                                                   "more/x/img_000.png"]
    assert listing.ignored == 2


def test_folders_are_streamed_in_batches_of_32_never_listed_whole(tmp_path: Path) -> None:
    """The listing is pulled a few batches ahead of the model, not to the end: 100,000 files would
    otherwise sit in memory as paths and pixels before the first answer."""
    from core.bundles.classify import PREFETCH_BATCHES, classify_stream
    from core.bundles.predict import ImagePrediction

    picture = tmp_path / "one.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(picture)
    pulled = 0

    def endless() -> Iterator[Path]:
        nonlocal pulled
        while True:
            pulled += 1
            yield picture

    class Model:
        image_size, batches = 8, []

        def predictions(self, pixels: np.ndarray, names: list[str], k: int) -> list[ImagePrediction]:
            self.batches.append(len(pixels))
            return [ImagePrediction(name, []) for name in names]

    model = Model()
    stream = classify_stream(model, endless(), k=1)
    for _ in range(100):
        next(stream)
    stream.close()
    assert model.batches == [32] * 4
    assert pulled <= 32 * (4 + 1 + PREFETCH_BATCHES)  # the batches done, the one decoding, those queued


def test_folders_are_streamed_in_the_predictors_memory_checked_batches(tmp_path: Path) -> None:
    """The predictor's batch size, reduced by its memory check at a large image size, is the one a folder is
    classified with: a fixed 32 at 1024 px outgrew the memory the check had just made room for."""
    from core.bundles.classify import classify_stream
    from core.bundles.predict import ImagePrediction

    picture = tmp_path / "one.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(picture)

    class Reduced:
        image_size, batch_size, batches = 8, 5, []

        def predictions(self, pixels: np.ndarray, names: list[str], k: int) -> list[ImagePrediction]:
            self.batches.append(len(pixels))
            return [ImagePrediction(name, []) for name in names]

    model = Reduced()
    assert len(list(classify_stream(model, [picture] * 12, k=1))) == 12
    assert model.batches == [5, 5, 2]
