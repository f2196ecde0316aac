"""Arguments are checked before any work, in one place shared with the window; the command line
never hangs, never destroys a folder it was pointed at by mistake and never prints a traceback.

Each test ran red before its fix: the bad settings used to train (or fail late), ``--out DATA``
replaced the training folder, ``main.py trian`` opened the window and hung without a display,
``predict --backbone ID a b`` took ``a`` for a bundle, a closed pipe printed BrokenPipeError."""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image

from core.cli import main
from core.events import PhaseStarted
from core.config import LIMITS, SettingsError, check_train_settings

ROOT = Path(__file__).parents[2]
TINY = ["--backbone", "mobilenet_v2_035", "--image-size", "64", "--batch-size", "8"]


def _run_main_py(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run([sys.executable, "main.py", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, env=environment)


def _listing(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its checksum: what "left untouched" means."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# -- 1. ranges, in one table -------------------------------------------------------------------
@pytest.mark.parametrize("option, value", [
    ("--epochs", "0"), ("--epochs", "-1"), ("--batch-size", "0"), ("--batch-size", "-1"), ("--lr", "-1"),
    ("--lr", "1e6"), ("--warmup-epochs", "-1"), ("--image-size", "0"), ("--image-size", "-5"),
    ("--image-size", "100000"), ("--val-split", "1.5"), ("--early-stopping", "-2"), ("--seed", "-3"),
])
def test_out_of_range_settings_exit_2_naming_the_option(option: str, value: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    # The data folder does not exist: only a check that runs before the data is read names the option.
    out = io.StringIO()
    code = main(["train", str(tmp_path / "no-data"), "--out", str(tmp_path / "model"), option, value], out=out)
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and out.getvalue() == ""
    assert len(lines) == 1 and lines[0].startswith("error: ") and option in lines[0], lines


def test_bad_settings_stop_before_training_on_real_data(color_dataset: Path, tiny_weights_file: Path,
                                                        tmp_path: Path) -> None:
    before = _listing(color_dataset)
    started = time.monotonic()
    for option, value in [("--epochs", "0"), ("--batch-size", "-1"), ("--lr", "1e6"), ("--image-size", "0")]:
        done = _run_main_py("train", str(color_dataset), *TINY, "--weights", str(tiny_weights_file),
                            "--out", str(tmp_path / "model"), "--json", option, value)
        assert done.returncode == 2, done.stderr
        assert done.stdout == "" and done.stderr.count("\n") == 1 and option in done.stderr
    assert not (tmp_path / "model").exists() and _listing(color_dataset) == before
    assert time.monotonic() - started < 60  # no TensorFlow work: each is an argument check


def test_argument_errors_cost_no_tensorflow_import(color_dataset: Path, tmp_path: Path) -> None:
    """An argument error appears at once: neither the check nor the error report loads TensorFlow."""
    (tmp_path / "notes.txt").write_text("mine")
    code = ("import io, sys\nfrom core.cli import main\n"
            f"codes = [main(['train', {str(color_dataset)!r}, '--out', {str(tmp_path / 'm')!r}, '--epochs', '0']),\n"
            f"         main(['train', {str(color_dataset)!r}, '--out', {str(tmp_path / 'notes.txt')!r}])]\n"
            "print(codes, 'tensorflow' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "[2, 2] False", done.stdout + done.stderr


@pytest.mark.parametrize("args, words", [
    (["train", "data"], "--out"), (["train", "d", "--out", "m", "--epochs", "ten"], "--epochs"),
    (["predict"], "images"), (["evaluate", "b", "d", "--bogus"], "--bogus"), (["trian"], "trian"),
])
def test_argparse_errors_are_one_line_too(args: list[str], words: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as caught:
        main(args, out=io.StringIO())
    lines = capsys.readouterr().err.strip().splitlines()
    assert caught.value.code == 2 and len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines


def test_a_backbone_that_needs_larger_images_says_so_up_front() -> None:
    with pytest.raises(SettingsError, match="at least 75 for Inception V3"):
        check_train_settings(SimpleNamespace(backbone="inception_v3", image_size=64))
    check_train_settings(SimpleNamespace(backbone="inception_v3", image_size=75))
    check_train_settings(SimpleNamespace(backbone="no_such_backbone", image_size=64))  # reported elsewhere


def test_warmup_may_not_exceed_epochs_but_the_default_follows_them() -> None:
    with pytest.raises(SettingsError, match="Warm-up"):
        check_train_settings(SimpleNamespace(epochs=3, warmup_epochs=4))
    check_train_settings(SimpleNamespace(epochs=3, warmup_epochs=3, image_size=None, val_split=0.2))


def test_one_sentence_names_the_range_and_the_value() -> None:
    with pytest.raises(SettingsError) as caught:
        check_train_settings(SimpleNamespace(epochs=10, batch_size=0))
    assert str(caught.value) == "Batch size (--batch-size) must be a whole number from 1 to 4096 (got 0)."
    with pytest.raises(SettingsError, match="above 0 and below 1"):
        check_train_settings(SimpleNamespace(val_split=0.0, val_dir=None))
    check_train_settings(SimpleNamespace(val_split=0.0, val_dir="/some/validation/folder"))  # unused then
    for bad in (float("nan"), True, "3", 2.5):
        with pytest.raises(SettingsError):
            check_train_settings(SimpleNamespace(epochs=bad))


def test_the_window_fields_use_the_same_ranges(qtbot: Any) -> None:
    from gui.widgets.training_settings import TrainingSettings

    settings = TrainingSettings()
    qtbot.addWidget(settings)
    assert (settings.epochs.minimum(), settings.epochs.maximum()) == (LIMITS["epochs"].low, LIMITS["epochs"].high)
    assert settings.batch_size.maximum() == LIMITS["batch_size"].high
    assert settings.learning_rate.minimum() == LIMITS["learning_rate"].low
    assert settings.learning_rate.maximum() == LIMITS["learning_rate"].high
    assert settings.image_size.maximum() == LIMITS["image_size"].high
    settings.image_size.setValue(0)
    settings.image_size.stepBy(1)  # from "Backbone default" up: the smallest allowed size, not 16 px
    assert settings.image_size.value() == LIMITS["image_size"].low
    settings.epochs.setValue(1)
    check_train_settings(SimpleNamespace(**settings.values()))  # whatever the fields hold passes the check


# -- 2. the --out target is checked before training ---------------------------------------------
@pytest.mark.parametrize("target", ["data", "file"])
def test_out_that_is_not_a_bundle_is_refused_before_training(target: str, color_dataset: Path,
                                                             tiny_weights_file: Path, tmp_path: Path) -> None:
    (color_dataset / "thesis.txt").write_text("four years of work")
    notes = tmp_path / "notes.txt"
    notes.write_text("do not overwrite")
    out = color_dataset if target == "data" else notes
    before, notes_before = _listing(color_dataset), notes.read_bytes()
    started = time.monotonic()
    done = _run_main_py("train", str(color_dataset), *TINY, "--weights", str(tiny_weights_file), "--epochs", "1",
                        "--warmup-epochs", "0", "--out", str(out), "--json")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "EpochEnded" not in done.stdout and done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
    assert _listing(color_dataset) == before and notes.read_bytes() == notes_before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["colors", "notes.txt"])  # no hidden backups
    assert time.monotonic() - started < 60


# -- 3. main.py: a typo never opens the window --------------------------------------------------
@pytest.mark.parametrize("args", [["trian", "data", "--out", "x"], ["--bogus"], ["--demo", "extra-word"]])
def test_unknown_words_print_the_usage_and_exit_2(args: list[str], tmp_path: Path) -> None:
    done = _run_main_py(*args, timeout=60, XDG_CONFIG_HOME=str(tmp_path))  # the window would never return
    assert done.returncode == 2, done.stderr
    assert "usage:" in done.stderr and done.stderr.strip().splitlines()[-1].startswith("finetune-studio: error:")


def test_a_typo_suggests_the_command() -> None:
    done = _run_main_py("trian", timeout=60)
    assert done.returncode == 2 and "'train'" in done.stderr and "PySide6" not in done.stderr


def test_window_parser_rejects_unknown_options() -> None:
    from gui.app import _parse

    assert _parse(["--screenshot", "x.png", "--size", "1280x800"]).size == "1280x800"
    with pytest.raises(SystemExit) as caught:
        _parse(["--screenshot", "x.png", "--sise", "1280x800"])
    assert caught.value.code == 2


# -- 4. predict --backbone with several images --------------------------------------------------
def test_predict_with_a_backbone_takes_every_positional_as_an_image(tmp_path: Path) -> None:
    images = []
    for name, color in (("a.png", (200, 40, 40)), ("b.png", (40, 40, 200))):
        Image.new("RGB", (48, 48), color).save(tmp_path / name)
        images.append(str(tmp_path / name))
    out = io.StringIO()
    assert main(["predict", "--backbone", "efficientnet_lite0", *images, "--top", "2", "--json"], out=out) == 0
    assert [p["image"] for p in json.loads(out.getvalue())] == images
    out = io.StringIO()
    assert main(["predict", "--backbone", "efficientnet_lite0", images[1], "--json"], out=out) == 0
    assert [p["image"] for p in json.loads(out.getvalue())] == images[1:]


# -- 5. a closed pipe (| head) ends quietly -----------------------------------------------------
def test_a_closed_pipe_ends_quietly() -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line is written, as after `| head -0`
    try:
        done = subprocess.run([sys.executable, "main.py", "backbones"], stdout=writer, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(writer)
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == "" and done.returncode == 1


def test_head_reads_the_first_lines_without_an_error() -> None:
    done = subprocess.run(f"'{sys.executable}' main.py backbones | head -2", shell=True, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert len(done.stdout.splitlines()) == 2 and done.stderr == ""


# -- 6 and 7. messages: one line, cut between words; plurals ------------------------------------
def test_error_messages_are_one_line_cut_between_words() -> None:
    from core.cli import one_line

    long = "The bundle could not be read:\n" + " ".join(f"word{i}" for i in range(200))
    line = one_line(long, limit=120)
    assert "\n" not in line and len(line) <= 121 and line.endswith("…")
    assert line[:-1].rstrip().split(" ")[-1].startswith("word") and line[:-1].split(" ")[-1] in long.split()
    path = "/data/" + "x" * 300  # a path longer than the limit is kept whole: cutting it would mislead
    assert one_line(f"'{path}' does not exist", limit=120) == f"'{path}' does not exist"


def test_singular_counts_read_naturally(capsys: pytest.CaptureFixture) -> None:
    from core.cli import _TerminalProgress

    _TerminalProgress(sys.stderr)(PhaseStarted("warmup", 0, 1, 1e-3, 100))
    assert "1 epoch at" in capsys.readouterr().err


def test_text_summary_prints_the_saved_path_and_singular_counts(color_dataset: Path, tiny_weights_file: Path,
                                                                tmp_path: Path) -> None:
    (color_dataset / "red" / "readme.txt").write_text("lab notes")
    out = io.StringIO()
    code = main(["train", str(color_dataset), *TINY, "--weights", str(tiny_weights_file), "--epochs", "1",
                 "--warmup-epochs", "0", "--out", str(tmp_path / "model")], out=out)
    assert code == 0
    text = out.getvalue()
    assert text.startswith(f"Saved {tmp_path / 'model'}\n") and "; 1 file skipped" in text, text
    assert (tmp_path / "model" / "model.keras").is_file()


def test_every_user_facing_error_is_a_plain_exit_2() -> None:
    """The errors written for the user (core.errors) are recognised as such: a diverged run or a
    refused --csv target is one plain line with exit code 2, not 'error: TypeName: ...' with exit 1."""
    from core import errors
    from core.cli import user_errors

    for kind in (errors.TrainingDivergedError, errors.TrainingCancelled, errors.OutputTargetError,
                 errors.SettingsError, errors.BundleError, errors.DatasetError, errors.WeightsFileError):
        assert issubclass(kind, user_errors()), kind


def test_the_eta_waits_for_a_steady_epoch_of_the_last_phase(capsys: pytest.CaptureFixture) -> None:
    """Issue 25: core's estimate counts each phase's first epoch (caching, tracing) as typical."""
    from core.cli import _TerminalProgress
    from core.events import EpochEnded

    progress = _TerminalProgress(sys.stderr)

    def epoch(index: int, elapsed: float, core_eta: float) -> str:
        capsys.readouterr()
        progress(EpochEnded(index, 5, "x", 1.0, 0.5, 1.1, 0.5, 1e-3, elapsed, core_eta))
        return capsys.readouterr().err

    progress(PhaseStarted("warmup", 0, 2, 1e-3, 100))
    assert "ETA not yet known" in epoch(0, 40.0, 160.0), "the first epoch carried the cached-feature pass"
    assert "ETA not yet known" in epoch(1, 41.0, 82.0), "warm-up epochs say nothing of fine-tuning's"
    progress(PhaseStarted("finetune", 2, 3, 1e-4, 1000))
    assert "ETA not yet known" in epoch(2, 50.0, 33.0), "the first fine-tuning epoch carries the model's setup"
    assert "ETA 6 s" in epoch(3, 56.0, 14.0)  # one steady epoch of 6 s, one to go
    assert "ETA 0 s" in epoch(4, 62.0, 0.0)
