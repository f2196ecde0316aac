"""Issue 24's hostile cases for what ``predict`` writes, at the domain level: a sort never writes
through a link into a dataset, CSV cells never start a spreadsheet formula, a killed copy or CSV
never leaves a half file under a real name, and class names that are not text still make a CSV.
Also the two up-front checks every command with an output calls before any work.

The predictor is a stand-in (no TensorFlow): these are about the files, not the model. Real image
files, real links, a real killed process."""
from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest
from PIL import Image

from core.errors import OutputTargetError, USER_ERRORS

ROOT = Path(__file__).parents[2]


class StandIn:
    """A predictor that calls every image its first class with 90 %, its second with 10 %."""

    image_size, familiarity = 8, None

    def __init__(self, class_names: Sequence[str]) -> None:
        self.class_names = list(class_names)

    def predictions(self, pixels: np.ndarray, names: list[str], k: int) -> list:
        from core.bundles.predict import Guess, ImagePrediction

        guesses = [Guess(self.class_names[0], 0.9), Guess(self.class_names[1], 0.1)][:k]
        return [ImagePrediction(name, guesses) for name in names]


def _images(folder: Path, names: Sequence[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index, name in enumerate(names):
        Image.fromarray(np.full((8, 8, 3), index * 20, np.uint8)).save(folder / name, format="PNG")
    return folder


# -- item 3: never write through a link out of the sort target -----------------------------------------
def test_a_class_folder_that_is_a_link_into_a_dataset_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    from core.bundles.classify import classify_into

    data = tmp_path / "data"
    _images(data / "one", ["a.png"])
    images = _images(tmp_path / "new", ["x.png", "y.png"])
    target = tmp_path / "sortlink"
    target.mkdir()
    (target / "zero").symlink_to(data / "one", target_is_directory=True)
    with pytest.raises(OutputTargetError, match="link"):
        classify_into(StandIn(["zero", "one"]), [images], sort_into=target)
    assert sorted(p.name for p in (data / "one").iterdir()) == ["a.png"]


def test_a_link_swapped_in_during_the_sort_is_not_followed(tmp_path: Path) -> None:
    """The check before the work is not enough: the copy itself never follows a link."""
    from core.bundles.classify import Sorter
    from core.bundles.predict import Guess, ImagePrediction

    data = _images(tmp_path / "data" / "one", ["a.png"])
    images = _images(tmp_path / "new", ["x.png"])
    sorter = Sorter(tmp_path / "sorted", ["zero", "one"])
    (tmp_path / "sorted").mkdir()
    (tmp_path / "sorted" / "zero").symlink_to(data, target_is_directory=True)
    with pytest.raises(OutputTargetError, match="link"):
        sorter.add(images / "x.png", ImagePrediction("x.png", [Guess("zero", 0.9)]))
    assert sorted(p.name for p in data.iterdir()) == ["a.png"]


# -- the up-front checks of every output -------------------------------------------------------------
def test_an_output_inside_or_through_a_link_into_a_dataset_is_refused(tmp_path: Path) -> None:
    from core.data.outputs import check_output_outside_datasets

    data = _images(tmp_path / "data" / "faces", ["a.png"])
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "link").symlink_to(data, target_is_directory=True)
    for out in (data / "heatmaps", data, data / "face" / "report.html", tmp_path / "link" / "exported"):
        with pytest.raises(OutputTargetError, match="inside the dataset"):
            check_output_outside_datasets(out, [tmp_path / "gone", data.parent])
    check_output_outside_datasets(tmp_path / "elsewhere" / "out", [data.parent, tmp_path / "gone"])
    assert OutputTargetError in USER_ERRORS


def test_an_output_that_cannot_be_written_is_named_with_the_real_reason(tmp_path: Path) -> None:
    from core.data.outputs import check_output_writable

    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    with pytest.raises(OutputTargetError, match="is a file, not a folder"):
        check_output_writable(a_file, folder=True)
    with pytest.raises(OutputTargetError, match="is a file, not a folder"):
        check_output_writable(a_file / "report.html")
    with pytest.raises(OutputTargetError, match="is a folder, not a file"):
        check_output_writable(tmp_path, folder=False)
    with pytest.raises(OutputTargetError, match="cannot be written") as caught:
        check_output_writable(Path("/proc/xx"), folder=True)
    assert "free space" not in str(caught.value)
    check_output_writable(tmp_path / "new" / "deeper", folder=True)
    check_output_writable(tmp_path / "report.html")
    assert not (tmp_path / "new").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# -- item 4: no cell starts a formula ---------------------------------------------------------------
def test_csv_cells_from_names_never_start_a_formula(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.bundles.classify import classify_into

    names = ["=HYPERLINK(1).png", "@SUM(1+1).png", "+1.png", "-1.png", "plain.png", "\tx.png"]
    monkeypatch.chdir(_images(tmp_path / "new", names))
    table = tmp_path / "out.csv"
    classify_into(StandIn(["=1+1", "@cmd"]), names, k=2, csv_path=table)
    with open(table, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))[1:]
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    assert {row[0] for row in rows} >= {"'=HYPERLINK(1).png", "'@SUM(1+1).png", "'+1.png", "'-1.png", "plain.png"}
    assert rows[0][1:4:2] == ["'=1+1", "'@cmd"]


# -- item 6: names that are not text ----------------------------------------------------------------
def test_classes_with_undecodable_bytes_and_newlines_still_make_a_csv(tmp_path: Path) -> None:
    from core.bundles.classify import classify_into

    latin = os.fsdecode(b"cla\xdfe")  # a surrogate-escaped str
    images = _images(tmp_path / "in", ["a.png"])
    table = tmp_path / "out.csv"
    classify_into(StandIn([latin, "two\nlines"]), [images], k=2, csv_path=table)
    rows = list(csv.reader(open(table, newline="", encoding="utf-8")))
    assert rows[1][1] == "cla\\xdfe" and rows[1][3] == "two\\nlines"


# -- item 5: a killed sort or CSV ---------------------------------------------------------------------
KILLED_COPY = """
import sys, time, shutil
from pathlib import Path
import core.bundles.classify as classify
def slow(reading, writing, length=0):
    writing.write(reading.read(100)); writing.flush()
    print("copying", flush=True); time.sleep(60)
shutil.copyfileobj = slow
classify.copy_unique(Path(sys.argv[1]), Path(sys.argv[2]))
"""

KILLED_CSV = """
import sys, time
from pathlib import Path
from core.bundles.classify import CsvWriter
writer = CsvWriter(Path(sys.argv[1]), 1, False)
print("writing", flush=True); time.sleep(60)
"""


def _killed(script: str, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout.readline().strip() in ("copying", "writing")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)


def test_a_copy_killed_midway_leaves_no_half_file_and_a_rerun_finishes_it(tmp_path: Path) -> None:
    from core.bundles.classify import copy_unique

    source = tmp_path / "big.bmp"
    source.write_bytes(b"BM" + os.urandom(50_000))
    folder = tmp_path / "sorted" / "zero"
    _killed(KILLED_COPY, str(source), str(folder))
    assert not (folder / "big.bmp").exists()  # never a truncated file under the image's own name
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []
    copied = copy_unique(source, folder)
    assert copied == folder / "big.bmp" and copied.read_bytes() == source.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["big.bmp"]  # the dead run's temporary is gone
    assert copy_unique(source, folder) == copied  # a rerun: the same image is already there, no 'big (2).bmp'
    assert sorted(p.name for p in folder.iterdir()) == ["big.bmp"]
    other = tmp_path / "other" / "big.bmp"
    other.parent.mkdir()
    other.write_bytes(b"BM other")
    assert copy_unique(other, folder).name == "big (2).bmp"  # a different image of that name: a new name


def test_a_truncated_copy_left_by_an_older_version_is_finished(tmp_path: Path) -> None:
    from core.bundles.classify import copy_unique

    source = tmp_path / "big.bmp"
    source.write_bytes(b"BM" + os.urandom(5_000))
    folder = tmp_path / "sorted" / "zero"
    folder.mkdir(parents=True)
    (folder / "big.bmp").write_bytes(source.read_bytes()[:1000])
    assert copy_unique(source, folder) == folder / "big.bmp"
    assert (folder / "big.bmp").read_bytes() == source.read_bytes() and len(list(folder.iterdir())) == 1


def test_a_killed_csv_leaves_no_temporary_after_the_next_write(tmp_path: Path) -> None:
    from core.bundles.classify import CsvWriter

    table = tmp_path / "out.csv"
    _killed(KILLED_CSV, str(table))
    assert len(list(tmp_path.glob(".out.csv.*"))) == 1 and not table.exists()
    writer = CsvWriter(table, 1, False)
    writer.commit()
    assert table.exists() and not list(tmp_path.glob(".out.csv.*"))


def test_predict_outputs_inside_the_bundles_recorded_datasets_are_refused_before_any_work(tmp_path: Path) -> None:
    import json

    from core.bundles.classify import classify_into
    from core.data.outputs import recorded_datasets

    data = _images(tmp_path / "faces" / "face", ["a.png"]).parent
    bundle = tmp_path / "model"
    bundle.mkdir()
    (bundle / "config.json").write_text(json.dumps({"train": {"data_dir": str(data), "val_dir": None}}))
    assert recorded_datasets(bundle) == [str(data)]
    images = _images(tmp_path / "new", ["x.png"])
    for target in ({"csv_path": data / "face" / "out.csv"}, {"sort_into": data / "sorted"}):
        with pytest.raises(OutputTargetError, match="inside the dataset"):
            classify_into(StandIn(["face", "other"]), [images], datasets=recorded_datasets(bundle), **target)
    assert sorted(p.name for p in data.rglob("*")) == ["a.png", "face"]
    with pytest.raises(OutputTargetError, match="takes no new files"):
        classify_into(StandIn(["face", "other"]), [images], csv_path="/proc/out.csv")


def test_a_sorted_copy_keeps_the_originals_time_and_mode(tmp_path: Path) -> None:
    from core.bundles.classify import copy_unique

    source = _images(tmp_path / "in", ["a.png"]) / "a.png"
    os.chmod(source, 0o640)
    os.utime(source, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    copied = copy_unique(source, tmp_path / "sorted" / "a")
    assert copied.stat().st_mtime_ns == 1_600_000_000_000_000_000 and copied.stat().st_mode & 0o777 == 0o640
