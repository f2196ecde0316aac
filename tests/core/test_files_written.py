"""Files the app writes or moves: one atomic writer with the umask's mode, a file move that
undoes itself on any failure, overlays that never land on a file appearing meanwhile, report
thumbnails through the app's own RGB conversion, an export list that leaves the bundle's fingerprint
alone, one-file embedding cache entries, and messages that name exclusions. No TensorFlow here."""
from __future__ import annotations

import base64
import errno
import io
import os
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from tests.conftest import write_color_dataset
from core import files
from core.data import exclusions, move_file
from core.data.scan import check_trainable, scan_folder
from core.errors import DatasetError, EmptyFolderError, TooFewImagesError


def _mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


def test_atomic_write_has_the_umask_mode_and_a_failure_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "list.json"
    files.write_file_atomic(target, "old")
    assert target.read_text() == "old" and _mode(target) == 0o666 & ~files.umask(tmp_path)

    def broken(stream) -> None:
        stream.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        files.write_file_atomic(target, broken)
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["list.json"]


def test_a_new_file_never_replaces_one_even_if_it_appears_meanwhile(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"theirs")
    written = files.write_new_file([tmp_path / "a.png", tmp_path / "b.png"], b"ours")
    assert written == tmp_path / "b.png" and written.read_bytes() == b"ours"
    assert (tmp_path / "a.png").read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png"]
    with pytest.raises(FileExistsError):
        files.write_new_file([tmp_path / "a.png"], b"ours")


@pytest.fixture
def colours(tmp_path: Path) -> Path:
    root = write_color_dataset(tmp_path / "colours", per_class=3, size=8)
    for index in range(3):  # names no other class has
        (root / "red" / f"img_{index:03d}.png").rename(root / "red" / f"odd_{index}.png")
    return root


def _no_links(*_args, **_kwargs) -> None:
    raise OSError(errno.EXDEV, "Invalid cross-device link")


def test_a_failed_copy_moves_nothing_and_keeps_the_exclusion(colours: Path, monkeypatch) -> None:
    source = colours / "red" / "odd_0.png"
    exclusions.exclude(colours, [source])
    before = source.read_bytes()

    def disk_full(reader, writer, *_args) -> None:
        writer.write(reader.read(10))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(move_file.os, "link", _no_links)
    monkeypatch.setattr(move_file.shutil, "copyfileobj", disk_full)
    with pytest.raises(DatasetError, match="nothing was moved"):
        move_file.move_to_class(source, colours, "green")
    assert source.read_bytes() == before and not (colours / "green" / "odd_0.png").exists()
    assert "red/odd_0.png" in exclusions.excluded(colours)


@pytest.mark.parametrize("links", [True, False])
def test_a_source_that_cannot_be_removed_moves_nothing(colours: Path, monkeypatch, links: bool) -> None:
    source = colours / "red" / "odd_1.png"
    exclusions.exclude(colours, [source])
    unlink = Path.unlink

    def read_only_folder(self: Path, *args, **kwargs) -> None:
        if self == source:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        unlink(self, *args, **kwargs)

    if not links:
        monkeypatch.setattr(move_file.os, "link", _no_links)
        monkeypatch.setattr(move_file.shutil, "copystat", _no_links)  # FAT: times and modes cannot be set
    monkeypatch.setattr(Path, "unlink", read_only_folder)
    with pytest.raises(DatasetError, match="nothing was moved"):
        move_file.move_to_class(source, colours, "green")
    assert source.is_file() and not (colours / "green" / "odd_1.png").exists()
    assert "red/odd_1.png" in exclusions.excluded(colours)


def test_a_move_without_links_or_times_still_moves(colours: Path, monkeypatch) -> None:
    source = colours / "red" / "odd_2.png"
    before = source.read_bytes()
    monkeypatch.setattr(move_file.os, "link", _no_links)
    monkeypatch.setattr(move_file.shutil, "copystat", _no_links)
    moved = move_file.move_to_class(source, colours, "green")
    assert moved.read_bytes() == before and not source.exists()


def test_messages_name_the_exclusions(colours: Path) -> None:
    every = sorted(colours.rglob("*.png"))
    exclusions.exclude(colours, every)
    with pytest.raises(EmptyFolderError, match="all 9 images are excluded from training"):
        scan_folder(colours)
    exclusions.include_again(colours, [p for p in every if p.parent.name != "red"])
    exclusions.include_again(colours, [colours / "red" / "odd_0.png"])
    with pytest.raises(TooFewImagesError, match=r"'red' \(1; 2 excluded\)"):
        check_trainable(scan_folder(colours))


def _thumbnail_pixels(uri: str) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"), np.int16)


def test_report_thumbnails_use_the_apps_conversion_and_name_any_decoding_error(tmp_path: Path,
                                                                               monkeypatch) -> None:
    from core.report.figures import thumbnail

    ramp = np.tile(np.linspace(0, 3000, 64).astype(np.uint16), (64, 1))  # 16-bit microscopy: 3000 is its white
    Image.fromarray(ramp).save(tmp_path / "micro.png")
    uri, why = thumbnail(tmp_path / "micro.png")
    assert why is None and _thumbnail_pixels(uri)[:, :8].mean() < 40  # dark stays dark (was all white)
    clear = np.zeros((32, 32, 4), np.uint8)  # fully transparent: training sees white
    Image.fromarray(clear, "RGBA").save(tmp_path / "clear.png")
    uri, why = thumbnail(tmp_path / "clear.png")
    assert why is None and _thumbnail_pixels(uri).min() > 240

    def cut_short(self, *_args) -> None:
        raise EOFError()

    monkeypatch.setattr(ImageFile.ImageFile, "load", cut_short)
    assert thumbnail(tmp_path / "micro.png") == (None, "truncated or corrupt image data")


def _fake_bundle(folder: Path) -> Path:
    from core.bundles.bundle import REQUIRED_FILES

    folder.mkdir()
    for name in REQUIRED_FILES:
        (folder / name).write_text("{}")
    return folder


def test_recording_an_export_keeps_the_bundle_fingerprint_and_loses_no_entry(tmp_path: Path) -> None:
    from core.bundles import bundle
    from core.bundles.export_record import EXPORTS_FILE, read_exports, record_export

    folder = _fake_bundle(tmp_path / "cells")
    before = bundle._fingerprint(folder)
    os.utime(folder, ns=(1, 1))  # the folder's time is not part of it: exports.json changes it
    exported = tmp_path / "e"  # exports.json lists only exports still there: each entry's file exists
    exported.mkdir()
    for name in ["first"] + [f"{i}-{j}" for i in range(6) for j in range(3)]:
        (exported / name).write_bytes(b"model")
    assert record_export(folder, {"format": "onnx", "path": str(exported / "first")})
    assert bundle._fingerprint(folder) == before
    assert _mode(folder / EXPORTS_FILE) == 0o666 & ~files.umask(folder)
    threads = [threading.Thread(target=lambda i=i: [record_export(folder, {"path": str(exported / f"{i}-{j}")})
                                                    for j in range(3)])
               for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(read_exports(folder)) == 19
    (folder / "model.keras").write_text('{"changed": 1}')
    assert bundle._fingerprint(folder) != before


def test_an_embeddings_cache_entry_is_one_file(tmp_path: Path) -> None:
    from core.insight import embeddings

    rows = np.arange(6, dtype=np.float32).reshape(3, 2)
    signatures = [("/a", 1, 2), ("/b", 3, 4), ("/c", 5, 6)]
    embeddings._store_entry(tmp_path, signatures, rows, ["h1", "h2", "h3"])
    embeddings._store_entry(tmp_path, signatures[:1], rows[:1] + 10, ["h9"])
    known, loaded = embeddings._load_entry(tmp_path)
    assert known == {("/a", 1, 2): (0, "h9")} and loaded.tolist() == [[10.0, 11.0]]
    assert [p.name for p in tmp_path.iterdir()] == [embeddings.ENTRY_FILE]


def test_neighbours_need_no_negated_copy(monkeypatch) -> None:
    from core.insight import findings

    rng = np.random.default_rng(1)
    unit = findings.unit_rows(rng.normal(size=(50, 8)))
    monkeypatch.setattr(findings, "BLOCK_CELLS", 50 * 4)
    index, value = findings.neighbours(unit, np.arange(50))
    full = unit @ unit.T
    np.fill_diagonal(full, -np.inf)
    assert np.array_equal(index[:, 0], full.argmax(axis=1))
    assert np.all(np.diff(value, axis=1) <= 0)


def test_explain_with_backbone_refuses_a_bundle_folder_as_an_image(tmp_path: Path, capsys) -> None:
    from core import cli

    folder = _fake_bundle(tmp_path / "cells")
    image = tmp_path / "x.png"
    Image.new("RGB", (8, 8)).save(image)
    assert cli.main(["explain", str(folder), str(image), "--backbone", "efficientnet_lite0",
                     "--out", str(tmp_path / "out")], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--backbone" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()
    shutil.rmtree(folder)


def test_an_overlay_never_lands_on_a_file_that_appears_after_the_check(tmp_path: Path, monkeypatch) -> None:
    from core.insight import overlays

    (tmp_path / "cell.gradcam.png").write_bytes(b"someone else's")
    monkeypatch.setattr(Path, "exists", lambda self: False)  # it appears between the check and the write
    written = overlays.write_overlay(np.zeros((4, 4, 3), np.uint8), tmp_path, "cell", set())
    assert written.name == "cell (2).gradcam.png" and Image.open(written).size == (4, 4)
    assert (tmp_path / "cell.gradcam.png").read_bytes() == b"someone else's"


def test_a_finished_run_is_kept_on_disk_before_it_is_held(monkeypatch) -> None:
    from core.engine.handlers import train as answers
    from core.jobs import save as jobs

    calls = []
    monkeypatch.setattr(jobs, "keep_on_disk", lambda results: calls.append("kept") or ({"": "/runs/a"}, None))
    monkeypatch.setattr(answers.TrainSummary, "of", staticmethod(lambda *args: args))

    class State:
        def hold_results(self, results):
            calls.append("held")
            return {key: f"trained:1{key}" for key in results}

    assert answers.answer_result("result", State()) == ("trained:1", "result", "/runs/a", None)
    assert calls == ["kept", "held"]
