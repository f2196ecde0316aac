"""Bundles never destroy anything: only a bundle (or nothing) is ever replaced, saves survive
concurrency and kills (real processes), any file name round-trips, and hostile or damaged bundles
are refused within bounded memory while damaged optional files are merely ignored."""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import core.bundles.bundle as bundle_module
from core.bundles.bundle import BundleError, load_bundle, save_bundle, write_atomically

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model() -> Any:
    """A tiny trained Keras classifier (3 classes), compiled again after training as a run does when
    it moves the freeze point: its saved optimizer state no longer matches a fresh compile."""
    from core.training.model import keras

    keras.utils.set_random_seed(0)
    net = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Flatten(), keras.layers.Dense(3, "softmax")])
    net.compile("adam", "sparse_categorical_crossentropy")
    net.fit(np.random.rand(6, 8, 8, 3).astype("float32"), np.array([0, 1, 2] * 2), epochs=1, verbose=0)
    net.compile("adam", "sparse_categorical_crossentropy")
    return net


def _save(target: Path, model: Any, version: int = 1, **kwargs: Any) -> Path:
    return save_bundle(target, model, ["a", "b", "c"], {"version": version}, **kwargs)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _fake_fill(tag: str):
    """A bundle's three files, without Keras: enough for the swap, which never loads them."""
    def fill(folder: Path) -> None:
        for name in bundle_module.REQUIRED_FILES:
            (folder / name).write_text(tag)
    return fill


def _python(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (core importable, no TensorFlow needed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


# -- 1. only a bundle or nothing is ever replaced -------------------------------------------------

def test_a_data_folder_at_the_target_is_refused_before_anything_is_written(model, tmp_path: Path) -> None:
    data = tmp_path / "cells"
    (data / "healthy").mkdir(parents=True)
    Image.fromarray(np.full((8, 8, 3), 200, np.uint8)).save(data / "healthy" / "img_001.png")
    (data / "thesis.txt").write_text("four years of work")
    before = _snapshot(data)
    filled = []
    with pytest.raises(BundleError, match="not a model bundle") as caught:
        write_atomically(data, lambda folder: filled.append(folder))
    assert str(data) in str(caught.value) and "\n" not in str(caught.value)
    with pytest.raises(BundleError, match="not a model bundle"):
        _save(data, model)
    assert filled == []  # refused before anything was written
    assert _snapshot(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cells"]  # no temporary, backup or lock


def test_a_regular_file_or_a_symlink_at_the_target_is_refused_and_untouched(model, tmp_path: Path) -> None:
    paper = tmp_path / "paper.docx"
    paper.write_bytes(b"precious")
    with pytest.raises(BundleError, match="is a file"):
        _save(paper, model)
    assert paper.read_bytes() == b"precious"
    real = _save(tmp_path / "real", model)
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(BundleError, match="symlink"):
        _save(link, model, version=2)
    assert link.is_symlink() and load_bundle(real).config == {"version": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "paper.docx", "real"]


def test_an_empty_folder_or_a_bundle_is_replaced(model, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _save(empty, model) == empty and load_bundle(empty).config == {"version": 1}
    assert _save(empty, model, version=2) == empty and load_bundle(empty).config == {"version": 2}


# -- 2. checked before training; two runs to one --out keep both models ------------------------------

def test_check_save_target_refuses_bad_places_before_training(tmp_path: Path) -> None:
    check = bundle_module.check_save_target
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.png").write_bytes(b"")
    with pytest.raises(BundleError, match="not a model bundle"):
        check(tmp_path / "data")
    (tmp_path / "file").write_text("")
    with pytest.raises(BundleError, match="is a file, not a folder"):
        check(tmp_path / "file" / "sub" / "out")
    free = shutil.disk_usage(tmp_path).free
    with pytest.raises(BundleError, match="free space"):
        check(tmp_path / "new" / "out", needed_bytes=free * 2 + 2**40)
    target = check(tmp_path / "new" / "out", needed_bytes=1)
    assert target == bundle_module.SaveTarget(tmp_path / "new" / "out", None)
    assert not (tmp_path / "new").exists()  # checking creates nothing


def test_two_runs_saving_to_one_target_both_keep_their_models(model, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = bundle_module.check_save_target(out)
    second = bundle_module.check_save_target(out)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("finetune_studio.bundle").addHandler(handler)
    try:
        assert _save(out, model, 1, expect=first) == out
        assert _save(out, model, 2, expect=second) == tmp_path / "out-2"
        assert _save(out, model, 3, expect=second) == tmp_path / "out-3"
    finally:
        logging.getLogger("finetune_studio.bundle").removeHandler(handler)
    assert [load_bundle(tmp_path / n).config["version"] for n in ("out", "out-2", "out-3")] == [1, 2, 3]
    assert any("out-2" in message for message in records)
    again = bundle_module.check_save_target(out)
    assert again.fingerprint is not None
    assert _save(out, model, 4, expect=again) == out  # the bundle seen at check time is replaced
    assert load_bundle(out).config["version"] == 4


# -- 3. concurrency and kills, with real processes --------------------------------------------------

def test_concurrent_saves_to_one_target_all_succeed(tmp_path: Path) -> None:
    target, go = tmp_path / "model", tmp_path / "go"
    code = f"""
        import sys, time
        from pathlib import Path
        from core.bundles.bundle import write_atomically
        while not Path({str(go)!r}).exists():
            time.sleep(0.005)
        for round in range(5):
            def fill(folder, tag=f"{{sys.argv[-1]}}-{{round}}"):
                for name in ("model.keras", "labels.json", "config.json"):
                    (folder / name).write_text(tag)
            write_atomically(Path({str(target)!r}), fill)
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(n)], cwd=ROOT, env=env,
                                  stderr=subprocess.PIPE, text=True) for n in range(12)]
    time.sleep(0.5)
    go.touch()
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 12, errors
    assert bundle_module.is_bundle(target)
    tags = {(target / name).read_text() for name in bundle_module.REQUIRED_FILES}
    assert len(tags) == 1  # one complete save, never a mixture
    assert sorted(p.name for p in tmp_path.iterdir()) == ["go", "model"]


def _killed_save(target: Path, where: str) -> None:
    """Save into ``target`` in a subprocess that kills itself between the renames or during the fill."""
    code = f"""
        import os, signal
        from pathlib import Path
        import core.bundles.atomic
        from core.bundles.bundle import write_atomically
        die = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
        if {where!r} == "between renames":
            core.bundles.atomic._between_renames = die
        def fill(folder):
            for name in ("model.keras", "labels.json", "config.json"):
                (folder / name).write_text("new")
            if {where!r} == "fill":
                die()
        write_atomically(Path({str(target)!r}), fill)
    """
    assert _python(code).returncode == -signal.SIGKILL


def test_a_kill_between_the_renames_is_recovered_by_the_next_load_or_save(model, tmp_path: Path) -> None:
    target = _save(tmp_path / "model", model, version=1)
    _killed_save(target, "between renames")
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != ".model.lock")  # the killed one held the lock
    assert not target.exists() and [name.split("-")[0] for name in left] == [".model.previous", ".model.saving"]
    assert load_bundle(target).config == {"version": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]

    _killed_save(target, "between renames")
    with pytest.raises(OSError, match="disk full"):  # the failed save still recovered what was there
        def fail(_folder: Path) -> None:
            raise OSError("disk full")
        write_atomically(target, fail)
    assert load_bundle(target).config == {"version": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_a_kill_during_the_fill_leaves_a_temporary_that_the_next_save_removes(model, tmp_path: Path) -> None:
    target = _save(tmp_path / "model", model, version=1)
    _killed_save(target, "fill")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "model"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".model.saving-")
    assert load_bundle(target).config == {"version": 1}
    _save(target, model, version=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    assert load_bundle(target).config == {"version": 2}


def test_a_live_process_temporary_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "model"
    write_atomically(target, _fake_fill("1"))
    working = tmp_path / f".model.saving-{os.getppid()}-abc123"  # our parent is alive
    working.mkdir()
    write_atomically(target, _fake_fill("2"))
    assert working.is_dir()


# -- 4. any file name the filesystem allows -----------------------------------------------------

def test_names_that_are_not_utf8_round_trip(model, tmp_path: Path) -> None:
    if sys.getfilesystemencoding().lower() != "utf-8":
        pytest.skip("needs a UTF-8 filesystem encoding to produce surrogate-escaped names")
    image = tmp_path / os.fsdecode(b"caf\xe9.png")
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(image)
    assert image.exists()
    classes = ["a", os.fsdecode(b"\xff-class"), "c"]
    config = {"split": {"train": [str(image)], "val": []}, "skipped": [{"file": str(image), "reason": "x"}]}
    out = save_bundle(tmp_path / "out", model, classes, config, metrics={"files": [str(image)]})
    loaded = load_bundle(out)
    assert loaded.class_names == classes and loaded.config == config
    assert Path(loaded.config["split"]["train"][0]).exists()


# -- 5. hostile and damaged bundles -------------------------------------------------------------

@pytest.fixture()
def copy(model, tmp_path: Path) -> Path:
    return _save(tmp_path / "bundle", model)


def test_a_model_file_whose_config_inflates_is_refused_before_keras_reads_it(copy: Path) -> None:
    with zipfile.ZipFile(copy / "model.keras", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config.json", "{" + " " * (40 << 20) + "}")
        archive.writestr("metadata.json", "{}")
    assert (copy / "model.keras").stat().st_size < 1 << 20
    with pytest.raises(BundleError, match="config.json would unpack to 40 MB"):
        load_bundle(copy)


@pytest.mark.parametrize("name, content, message", [
    ("labels.json", b'["a", "b", "c"' + b" " * (17 << 20) + b"]", "larger than 16 MB"),
    ("config.json", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ("labels.json", '["ä", "b", "c"]'.encode("latin-1"), "not UTF-8"),
])
def test_oversized_or_deep_required_files_are_refused(copy: Path, name: str, content: bytes, message: str) -> None:
    (copy / name).write_bytes(content)
    with pytest.raises(BundleError, match=message):
        load_bundle(copy)


@pytest.mark.parametrize("name, content, message", [
    ("history.csv", b"epoch,loss\n" + b"1,0.5\n" * 1_000_000, "larger than"),
    ("history.csv", "epoch,phase\n1,t\xe9te\n".encode("latin-1"), "not UTF-8"),
    ("history.csv", b"\x00\x01junk\x00,\n\x00", "not a CSV|header"),
    ("history.csv", b"epoch,loss\none,0.5\n", "epoch"),
    ("history.csv", b"epoch,loss\n1,0.5,7,8\n", "header"),
    ("metrics.json", b"{not json", "not valid JSON"),
    ("metrics.json", b"[1, 2]", "not a JSON object"),
])
def test_damaged_optional_files_are_ignored_with_a_warning(copy: Path, name: str, content: bytes,
                                                           message: str) -> None:
    (copy / name).write_bytes(content)
    loaded = load_bundle(copy)
    assert loaded.class_names == ["a", "b", "c"]
    assert loaded.history == [] and loaded.metrics == {}
    assert len(loaded.warnings) == 1 and name in loaded.warnings[0]
    assert __import__("re").search(message, loaded.warnings[0])


# -- 6-8. quiet loading, the umask, readable messages -------------------------------------------

def test_loading_and_predicting_print_no_optimizer_warning(copy: Path) -> None:
    from core.bundles.predict import Predictor

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        predictor = Predictor.from_bundle(copy)
        probabilities = predictor.probabilities(np.zeros((2, 8, 8, 3), np.uint8))
    assert probabilities.shape == (2, 3)
    assert not [w for w in caught if "Skipping variable loading" in str(w.message)]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o002, 0o775), (0o077, 0o700)])
def test_bundle_folders_get_the_mode_the_umask_allows(tmp_path: Path, umask: int, mode: int) -> None:
    previous = os.umask(umask)
    try:
        out = write_atomically(tmp_path / "out", _fake_fill("x"))
    finally:
        os.umask(previous)
    assert out.stat().st_mode & 0o777 == mode


def test_long_messages_are_cut_at_a_word_boundary() -> None:
    words = "the quick brown fox jumps over the lazy dog " * 10
    line = bundle_module._first_line(ValueError(words + "\nsecond line"))
    assert len(line) <= 200 and line.endswith("…")
    assert words.startswith(line[:-1]) and words[len(line) - 1] == " "  # a whole word, not a fragment
    assert bundle_module._first_line(ValueError("short\nmore")) == "short"


def test_a_place_that_takes_no_files_is_named_for_what_it_is_not_for_free_space(tmp_path: Path) -> None:
    """Issue 24: '/proc/xx' as --out read "not enough free space" (root passes os.access, and /proc
    has 0 bytes free): the real reason is that nothing can be created there."""
    with pytest.raises(BundleError) as caught:
        bundle_module.check_save_target("/proc/xx", needed_bytes=1)
    assert "free space" not in str(caught.value) and "takes no new files" in str(caught.value)


@pytest.mark.parametrize("frozen", [True, False])
def test_the_space_estimate_is_close_to_the_saved_bundle(tmp_path: Path, frozen: bool) -> None:
    """Issue 24: the save-space estimate was ~3x the bundle's size. model.keras holds 4 bytes per
    weight and Adam's two moments (8 bytes) per trainable weight: the estimate counts exactly that."""
    from core.training.model import keras

    net = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Flatten(), keras.layers.Dense(200, "relu"),
                            keras.layers.Dense(3, "softmax")])
    net.layers[1].trainable = not frozen  # a backbone frozen below the freeze point
    net.compile("adam", "sparse_categorical_crossentropy")
    net.fit(np.random.rand(6, 16, 16, 3).astype("float32"), np.array([0, 1, 2] * 2), epochs=1, verbose=0)
    saved = _save(tmp_path / "b", net)
    actual = sum(path.stat().st_size for path in saved.iterdir())
    estimate = bundle_module.estimated_bundle_bytes(net)
    assert actual <= estimate <= actual * 1.25 + 2**18, (actual, estimate)
