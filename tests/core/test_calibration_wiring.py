"""Issue 20 end to end on a tiny real bundle: the validation statistics stored at save time, the
temperature applied to what predict shows, prediction sets in --json and the CSV, uncertain/ for
"A or B", the --summary counts CSV read back, and an old bundle predicting with its note."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from core.cli import main
from core.stats.counts import SUMMARY_COLUMNS, read_counts_csv
from tests.conftest import write_color_dataset

# Close colours and strong noise: a tiny model makes mistakes here, so the temperature has errors to learn from.
CLOSE = {"red": (200, 60, 50), "orange": (200, 95, 45), "brown": (160, 80, 50)}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> Path:
    """Embeddings + logistic regression (seconds), 36 validation images: enough for 90 % sets."""
    root = tmp_path_factory.mktemp("calibrated")
    data = write_color_dataset(root / "data", per_class=24, size=32, classes=CLOSE)
    out = root / "bundle"
    code = main(["train", str(data), "--method", "logreg", "--backbone", "mobilenet_v2_035",
                 "--weights", str(tiny_weights_file), "--image-size", "64", "--val-split", "0.5",
                 "--out", str(out), "--json"], out=io.StringIO())
    assert code == 0
    return out


def _plates(root: Path) -> Path:
    """New images in two subfolders (plates) with different class mixes."""
    write_color_dataset(root / "plateA", per_class=4, size=32, seed=5, classes=CLOSE)
    write_color_dataset(root / "plateB", per_class=2, size=32, seed=6, classes={"red": CLOSE["red"]})
    return root


def _predict_json(bundle: Path, images: Path, *extra: str) -> list[dict]:
    out = io.StringIO()
    assert main(["predict", str(bundle), str(images), "--json", "--top", "3", *extra], out=out) == 0
    return json.loads(out.getvalue())


def _set_temperature(bundle: Path, temperature: float, floor: float | None = None) -> None:
    """Rewrite the stored temperature and floor (and the checksum in config.json), as a different fit would."""
    record = json.loads((bundle / "statistics.json").read_text())
    record["calibration"]["temperature"] = temperature
    if floor is not None:
        record["calibration"]["floor"] = floor
    payload = json.dumps(record).encode("ascii")
    (bundle / "statistics.json").write_bytes(payload)
    config = json.loads((bundle / "config.json").read_text())
    config["statistics"]["sha256"] = hashlib.sha256(payload).hexdigest()
    (bundle / "config.json").write_text(json.dumps(config))


def test_statistics_are_stored_checksummed_and_match_the_validation_images(bundle: Path) -> None:
    from core.bundles.predict import Predictor
    from core.data.scan import decode_images
    from core.stats.validation import validation_statistics

    config = json.loads((bundle / "config.json").read_text())
    payload = (bundle / "statistics.json").read_bytes()
    assert config["statistics"]["sha256"] == hashlib.sha256(payload).hexdigest()
    record = json.loads(payload)
    assert record["conformal"]["n"] == len(config["split"]["val"]) >= 9 and record["conformal"]["ok"]
    names = json.loads((bundle / "labels.json").read_text())
    files = [Path(p) for p in config["split"]["val"]]
    predictor = Predictor.from_bundle(bundle)
    images, failures = decode_images(files, predictor.image_size)
    assert not failures
    again = validation_statistics(predictor.probabilities(images), [names.index(f.parent.name) for f in files], names)
    assert record["calibration"]["temperature"] == pytest.approx(again["calibration"]["temperature"], rel=1e-3)
    assert record["confusion_matrix"] == again["confusion_matrix"]
    metrics = json.loads((bundle / "metrics.json").read_text())
    assert metrics["calibration"]["ece_after"] == pytest.approx(record["calibration"]["ece_after"])


def test_a_stored_temperature_and_floor_are_what_predict_shows(bundle: Path, tmp_path: Path) -> None:
    from core.bundles.predict import Predictor
    from core.bundles.statistics import DAMAGED_NOTE
    from core.data.scan import load_image
    from core.stats.calibration import calibrate_probabilities

    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    _set_temperature(copy, 3.0, floor=0.1)
    images = _plates(tmp_path / "new")
    shown = _predict_json(copy, images / "plateB")
    predictor = Predictor.from_bundle(copy)
    raw = predictor.probabilities(np.stack([load_image(images / "plateB" / "red" / f"img_00{i}.png", 64)
                                            for i in range(2)]))
    expected = calibrate_probabilities(raw, 3.0, 0.1)
    for row, probs, before in zip(shown, expected, raw):
        assert row["top"][0]["probability"] == pytest.approx(float(probs.max()), abs=1e-5)
        assert row["top"][0]["probability"] < float(before.max())  # T = 3 softens
    out = io.StringIO()
    assert main(["evaluate", str(copy), str(images / "plateA"), "--json"], out=out) == 0
    check = json.loads(out.getvalue())["calibration"]
    assert check["calibrated"] and check["temperature"] == 3.0 and check["floor"] == 0.1
    assert 0 <= check["set_coverage"] <= 1 and check["ece_before"] is not None and check["ece_after"] is not None
    _set_temperature(copy, 3.0, floor=1.5)  # no such floor: the file is not what training wrote
    assert Predictor.from_bundle(copy).calibration_note == DAMAGED_NOTE


def test_every_json_row_has_its_set_and_the_csv_a_set_column(bundle: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    _set_temperature(copy, 20.0)  # nearly uniform probabilities: every set holds two or more classes
    images = _plates(tmp_path / "new")
    rows = _predict_json(copy, images)
    assert rows and all("set" in row for row in rows)
    assert all(len(row["set"]) >= 2 and row["set"][0] == row["top"][0]["label"] for row in rows)
    table, sorted_into = tmp_path / "out.csv", tmp_path / "sorted"
    assert main(["predict", str(copy), str(images), "--csv", str(table), "--top", "1",
                 "--sort-into", str(sorted_into)], out=io.StringIO()) == 0
    with open(table, newline="", encoding="utf-8") as stream:
        read = list(csv.DictReader(stream))
    assert "set" in read[0] and all(len(row["set"].split("|")) >= 2 for row in read)
    assert [p.name for p in sorted_into.iterdir()] == ["uncertain"]  # "A or B" is not sorted into A


def test_too_few_validation_images_for_the_coverage_is_said(bundle: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    rows = _predict_json(bundle, _plates(tmp_path / "new") / "plateB", "--coverage", "0.99")
    assert all(row["set"] is None for row in rows)
    assert "need at least 99 validation images" in capsys.readouterr().err


def test_summary_csv_has_the_exact_columns_per_subfolder_and_class(bundle: Path, tmp_path: Path) -> None:
    images = _plates(tmp_path / "new")
    counts = tmp_path / "counts.csv"
    out = io.StringIO()
    assert main(["predict", str(bundle), str(images), "--summary", str(counts)], out=out) == 0
    assert f"wrote {counts}" in out.getvalue()
    assert counts.read_text().splitlines()[0] == ",".join(SUMMARY_COLUMNS)
    rows = read_counts_csv(counts)
    assert {(row["folder"], row["class"]) for row in rows} == {(f"plate{p}/{c}", name) for p, cs in
                                                              (("A", CLOSE), ("B", ["red"])) for c in cs for name in CLOSE}
    for folder in {row["folder"] for row in rows}:
        mine = [row for row in rows if row["folder"] == folder]
        assert sum(row["count"] for row in mine) == (2 if folder.startswith("plateB") else 4)
        assert sum(row["adjusted"] for row in mine) == pytest.approx(1.0, abs=1e-5)
        assert all(row["adjusted_low"] <= row["adjusted"] + 1e-9 <= row["adjusted_high"] + 2e-9 for row in mine)
    assert main(["predict", str(bundle), str(images), "--summary", str(images / "in.csv")],
                out=io.StringIO()) == 2  # never into the folder being read
    report = tmp_path / "report.html"
    assert main(["report", str(bundle), "--out", str(report), "--summary", str(counts)], out=io.StringIO()) == 0
    page = report.read_text(encoding="utf-8")
    assert "Results on new images" in page and "plateB/red" in page and "Adjusted" in page
    assert "alt='Reliability diagram'" in page and "alt='Proportions per folder'" in page
    plain = tmp_path / "plain.html"
    assert main(["report", str(bundle), "--out", str(plain)], out=io.StringIO()) == 0
    assert "Results on new images" not in plain.read_text(encoding="utf-8")


def test_an_old_bundle_without_statistics_predicts_as_before_with_a_note(bundle: Path, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from core.stats.validation import UNCALIBRATED_NOTE

    old = tmp_path / "old"
    shutil.copytree(bundle, old)
    (old / "statistics.json").unlink()
    config = json.loads((old / "config.json").read_text())
    del config["statistics"]
    (old / "config.json").write_text(json.dumps(config))
    images = _plates(tmp_path / "new")
    rows = _predict_json(old, images / "plateA")
    assert len(rows) == 12 and all(row["set"] is None and row["top"] for row in rows)
    assert UNCALIBRATED_NOTE in capsys.readouterr().err
    table, counts = tmp_path / "old.csv", tmp_path / "counts.csv"
    assert main(["predict", str(old), str(images), "--csv", str(table), "--top", "1", "--summary", str(counts)],
                out=io.StringIO()) == 0
    assert "set" not in table.read_text().splitlines()[0].split(",")
    assert all(row["adjusted"] is None and row["proportion"] is not None for row in read_counts_csv(counts))
