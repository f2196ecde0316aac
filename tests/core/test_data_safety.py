"""Hostile and unlucky input in the data layer: decompression bombs, PNGs that end early, symlinks back
into the dataset, FIFOs and sockets, vanished files, names that are not UTF-8, and an empty-folder
message that says why. Every file is written by the test; nothing here may hang or stop a run."""
from __future__ import annotations

import os
import pickle
import socket
import stat
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.data.scan import (EmptyFolderError, SkippedFile, decode_error_reason, decode_images, load_image,
                       scan_folder)

REPO = Path(__file__).resolve().parents[2]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _scanlines(width: int, height: int, bits_per_pixel: int, interlace: int) -> list[int]:
    """Byte length of every filtered scanline, in stream order (each starts with a filter byte)."""
    def rows(w: int, h: int) -> list[int]:
        return [1 + (w * bits_per_pixel + 7) // 8] * h if w and h else []
    if not interlace:
        return rows(width, height)
    return [n for x0, y0, dx, dy in ADAM7
            for n in rows(max(0, (width - x0 + dx - 1) // dx), max(0, (height - y0 + dy - 1) // dy))]


def write_png(path: Path, width: int, height: int, *, color_type: int = 2, bit_depth: int = 8,
              interlace: int = 0, keep_rows: int | None = None, fill: int = 0x90) -> Path:
    """A hand-made PNG whose IDAT is a complete zlib stream of the first ``keep_rows`` scanlines.

    Solid colour, so even a 30000 x 30000 image is small on disk; ``keep_rows`` below the real count
    makes the file that Pillow used to decode as mostly black without complaint.
    """
    lines = _scanlines(width, height, CHANNELS[color_type] * bit_depth, interlace)
    lines = lines if keep_rows is None else lines[:keep_rows]
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(b"\0" + bytes([fill]) * (n - 1)) for n in lines) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    palette = _chunk(b"PLTE", bytes(range(48)) * 16) if color_type == 3 else b""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + palette + _chunk(b"IDAT", idat)
                     + _chunk(b"IEND", b""))
    return path


def _picture(path: Path, color: tuple[int, int, int] = (200, 40, 40)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (24, 24), color).save(path)
    return path


def _reasons(spec) -> dict[str, str]:
    return {s.path.name: s.reason for s in spec.skipped}


# 1. decompression bombs ------------------------------------------------------------------------

def test_decompression_bombs_are_skipped_with_their_size_at_scan_and_at_decode(tmp_path: Path) -> None:
    root = tmp_path / "data"
    for i in range(2):
        _picture(root / "cells" / f"ok_{i}.png")
    bomb = write_png(root / "cells" / "bomb.png", 30000, 30000, color_type=0, bit_depth=1, fill=0)
    legal = write_png(root / "cells" / "huge.png", 11600, 11600, color_type=0, bit_depth=1, fill=0xFF)
    assert bomb.stat().st_size < 200_000 and legal.stat().st_size < 100_000

    spec = scan_folder(root)
    assert [p.name for p in spec.files] == ["ok_0.png", "ok_1.png"]
    reasons = _reasons(spec)
    assert reasons["bomb.png"].startswith("too large: 30000 x 30000 pixels")
    assert reasons["huge.png"].startswith("too large: 11600 x 11600 pixels")  # legal for Pillow, too big for us

    images, failures = decode_images([bomb, legal, spec.files[0]], 32)
    assert set(failures) == {0, 1}
    assert failures[0].startswith("too large: 30000 x 30000") and failures[1].startswith("too large: 11600")
    assert images[2].mean() > 0
    with pytest.raises(ValueError, match="too large"):
        load_image(bomb, 32)


# 2. PNGs that end early -----------------------------------------------------------------------

@pytest.mark.parametrize("width,height,color_type,bit_depth,interlace", [
    (2000, 2000, 2, 8, 0), (300, 200, 0, 1, 0), (300, 200, 3, 4, 0), (301, 199, 6, 16, 0), (301, 199, 2, 8, 1),
    (5, 3, 4, 8, 1),
])
def test_a_png_that_holds_fewer_rows_than_its_header_claims_is_skipped(
        tmp_path: Path, width: int, height: int, color_type: int, bit_depth: int, interlace: int) -> None:
    options = dict(color_type=color_type, bit_depth=bit_depth, interlace=interlace)
    whole = write_png(tmp_path / "whole.png", width, height, **options)
    short = write_png(tmp_path / "short.png", width, height, keep_rows=height // 4 if height > 10 else 2, **options)
    assert load_image(whole, 16).shape == (16, 16, 3)  # complete files, interlaced or not, still decode
    black = write_png(tmp_path / "black.png", width, height, fill=0, **options)  # black last row: counted
    assert load_image(black, 16).shape == (16, 16, 3)
    short_black = write_png(tmp_path / "short_black.png", width, height, fill=0, keep_rows=height // 2, **options)
    assert decode_images([short_black], 16)[1] == {0: "truncated or corrupt image data"}
    images, failures = decode_images([whole, short], 16)
    assert failures == {1: "truncated or corrupt image data"}
    with pytest.raises(OSError, match="truncated"):
        load_image(short, 16)


# 3. symlinks ----------------------------------------------------------------------------------

def test_links_back_into_the_dataset_are_not_followed_and_links_out_are(tmp_path: Path) -> None:
    root = tmp_path / "data"
    outside = tmp_path / "elsewhere"
    for i in range(2):
        _picture(root / "cats" / f"cat_{i}.png")
        _picture(root / "dogs" / f"dog_{i}.png", (20, 20, 200))
        _picture(outside / "more" / f"extra_{i}.png", (20, 200, 20))
    (root / "everything").symlink_to(root, target_is_directory=True)  # the data root as a "class"
    (root / "cats" / "also_dogs").symlink_to(root / "dogs", target_is_directory=True)
    (root / "cats" / "twin.png").symlink_to(root / "dogs" / "dog_0.png")
    (root / "cats" / "up").symlink_to(tmp_path, target_is_directory=True)  # contains the dataset
    (root / "cats" / "loop_a.png").symlink_to(root / "cats" / "loop_b.png")
    (root / "cats" / "loop_b.png").symlink_to(root / "cats" / "loop_a.png")
    (root / "dogs" / "more").symlink_to(outside / "more", target_is_directory=True)  # outside: followed
    (outside / "more" / "again").symlink_to(outside / "more", target_is_directory=True)  # a loop outside
    (root / "dogs" / "more_again").symlink_to(outside / "more", target_is_directory=True)  # seen already

    spec = scan_folder(root)
    assert spec.class_names == ("cats", "dogs")
    names = sorted(str(p.relative_to(root)) for p in spec.files)
    assert names == ["cats/cat_0.png", "cats/cat_1.png", "dogs/dog_0.png", "dogs/dog_1.png",
                     "dogs/more/extra_0.png", "dogs/more/extra_1.png"]
    reasons = {str(s.path.relative_to(root)): s.reason for s in spec.skipped}
    assert reasons["everything"].startswith("link to a folder already in the dataset")
    assert reasons["cats/also_dogs"].startswith("link to a folder already in the dataset")
    assert reasons["cats/twin.png"].startswith("link to a file already in the dataset")
    assert reasons["cats/up"].startswith("link to a folder that contains the dataset")
    assert reasons["cats/loop_a.png"].startswith("broken link") and reasons["cats/loop_b.png"].startswith("broken")
    assert reasons["dogs/more_again"].startswith("link to a folder already in the dataset")
    assert reasons["dogs/more/again"].startswith("link to a folder already in the dataset")
    assert len(spec.skipped) == 8


# 4. FIFOs, sockets, devices -------------------------------------------------------------------

def test_special_files_are_never_opened(tmp_path: Path) -> None:
    root = tmp_path / "d"
    for i in range(2):
        _picture(root / "a" / f"ok_{i}.png")
    fifo = root / "a" / "pipe.png"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "a" / "sock.png"))
        spec = scan_folder(root)
    finally:
        server.close()
    reasons = _reasons(spec)
    assert reasons["pipe.png"] == "not a regular file (a FIFO)"
    assert reasons["sock.png"] == "not a regular file (a socket)"
    assert len(spec.files) == 2

    # predict and decode go through load_image: it must refuse a FIFO at once, not wait for a writer
    code = ("import sys; from core.data.scan import load_image, decode_images\n"
            "try:\n    load_image(sys.argv[1], 32)\nexcept ValueError as error:\n    print('refused:', error)\n"
            "print(decode_images([sys.argv[1]], 32)[1])")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "refused:" in done.stdout and "not a regular file" in done.stdout
    assert "{0: 'not a regular file (a FIFO)'}" in done.stdout
    with pytest.raises(ValueError, match="folder"):
        load_image(root / "a", 32)
    if Path("/dev/null").exists():
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
        assert decode_images(["/dev/null"], 8)[1] == {0: "not a regular file (a device)"}


# 5. missing and unreadable files --------------------------------------------------------------

def test_missing_and_unreadable_files_say_so(tmp_path: Path) -> None:
    gone = tmp_path / "gone.png"
    assert decode_error_reason(FileNotFoundError(2, "No such file or directory", str(gone))) == "file not found"
    assert decode_images([gone], 8)[1] == {0: "file not found"}
    assert decode_error_reason(PermissionError(13, "Permission denied")) == "unreadable (permission denied)"
    assert decode_error_reason(IsADirectoryError(21, "Is a directory")) == "a folder, not an image file"
    assert decode_error_reason(MemoryError()).startswith("too large to decode")
    locked = _picture(tmp_path / "locked.png")
    locked.chmod(0)
    try:
        if os.geteuid() != 0:  # root reads anything
            assert decode_images([locked], 8)[1] == {0: "unreadable (permission denied)"}
    finally:
        locked.chmod(0o644)


# 6. names that are not UTF-8 ------------------------------------------------------------------

def test_names_that_are_not_utf8_scan_decode_and_cache(tmp_path: Path) -> None:
    from core.data.image_cache import cached_decode

    root = tmp_path / "data"
    latin = root / os.fsdecode(b"cla\xdfe")  # Latin-1 "claße": a surrogate-escaped str in Python
    try:
        latin.mkdir(parents=True)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this filesystem only takes UTF-8 names")
    _picture(latin / os.fsdecode(b"caf\xe9.png"))
    _picture(latin / "plain.png")
    _picture(root / "ok" / os.fsdecode(b"\xff\xfe.png"), (10, 10, 200))
    _picture(root / "ok" / "b.png", (10, 10, 200))
    (latin / os.fsdecode(b"notes\xe9.jpg")).write_text("not a picture")

    spec = scan_folder(root)
    assert spec.class_names == (os.fsdecode(b"cla\xdfe"), "ok") and len(spec.files) == 4
    folder = tmp_path / "cache"
    first = cached_decode(spec.files, 16, folder=folder)
    assert first.failures == {} and first.decoded == 4
    again = cached_decode(spec.files, 16, folder=folder)
    assert again.decoded == 0
    np.testing.assert_array_equal(again.images, first.images)
    assert again.images[:2, ..., 0].mean() > 150 and again.images[2:, ..., 2].mean() > 150


# 7. an empty result says why ------------------------------------------------------------------

def test_no_usable_images_says_why_and_carries_the_skipped_list(tmp_path: Path) -> None:
    folder = tmp_path / "texts" / "a"
    folder.mkdir(parents=True)
    for name in ("a.jpg", "b.jpg", "c.png"):
        (folder / name).write_text("just some notes\n")
    (folder / "page.jpg").write_text("<!DOCTYPE html><html><body>a saved web page</body></html>")
    (folder / "readme.txt").write_text("hello")
    (folder / "zero.png").write_bytes(b"")
    (folder / os.fsdecode(b"\xe9t\xe9.jpg")).write_bytes(bytes(range(256)) * 4)

    with pytest.raises(EmptyFolderError) as caught:
        scan_folder(tmp_path / "texts")
    message = str(caught.value)
    message.encode("utf-8")  # printable whatever the file names are
    assert message.startswith(f"No usable images in '{tmp_path / 'texts'}': 7 files skipped")
    assert "5 files that are not pictures" in message and "'a.jpg' is a text file" in message
    assert "1 file of another type (.txt)" in message and "1 empty file" in message
    assert "Supported file types:" in message
    skipped = caught.value.skipped
    assert len(skipped) == 7 and all(isinstance(s, SkippedFile) for s in skipped)
    by_name = {s.path.name: s.reason for s in skipped}
    assert by_name["page.jpg"] == "not an image (a web page saved with an image name)"
    assert by_name["a.jpg"] == "not an image (a text file)"
    again = pickle.loads(pickle.dumps(caught.value))  # the window gets errors from another process
    assert str(again) == message and again.skipped == skipped

    (tmp_path / "one" / "a").mkdir(parents=True)
    (tmp_path / "one" / "a" / "x.jpg").write_text("text")
    with pytest.raises(EmptyFolderError, match=r": 1 file skipped \(1 file that is not a picture"):
        scan_folder(tmp_path / "one")


# 8. counts read as sentences ------------------------------------------------------------------

def test_counts_in_data_messages_are_never_plural_for_one(tmp_path: Path) -> None:
    from core.data.scan import TooFewImagesError, check_trainable
    from core.events import EventRecorder, LogMessage
    from core.data.image_cache import cached_decode

    root = tmp_path / "data"
    image = _picture(root / "full" / "a.png")
    (root / "blank").mkdir()
    (root / "blank" / "notes.txt").write_text("nothing yet")
    with pytest.raises(TooFewImagesError, match=r"at least 1 usable image;"):
        check_trainable(scan_folder(root), min_per_class=1)
    cached_decode([image], 16, folder=tmp_path / "cache")
    events = EventRecorder()
    cached_decode([image], 16, events, folder=tmp_path / "cache")
    assert "Read 1 decoded image from the cache." in [e.text for e in events.of_type(LogMessage)]


def test_a_hidden_class_folder_with_images_is_listed_as_skipped_with_its_reason(tmp_path: Path) -> None:
    """Issue 24: a class folder named '...' was dropped without a word. A folder with images that the
    scan passes over (its name starts with '.') is named in the skipped list; '.git' without images
    stays silent."""
    from core.data.scan import scan_folder

    for name in ("red", "blue", "..."):
        (tmp_path / name).mkdir()
        for index in range(2):
            Image.fromarray(np.full((8, 8, 3), index, np.uint8)).save(tmp_path / name / f"{index}.png")
    (tmp_path / ".git").mkdir()
    spec = scan_folder(tmp_path)
    assert spec.class_names == ("blue", "red")
    reasons = {item.path.name: item.reason for item in spec.skipped}
    assert set(reasons) == {"..."} and "hidden folder" in reasons["..."] and "2 images" in reasons["..."]


def test_an_error_about_a_thousand_classes_stays_one_readable_line(tmp_path: Path) -> None:
    """Issue 24: a 1000-class error line was 17,000 characters. Lists in messages name a few and
    count the rest."""
    from types import SimpleNamespace

    from core.bundles.evaluate import evaluate_folder
    from core.data.scan import scan_folder
    from core.errors import ClassMismatchError

    for name in ("zebra", "yak"):
        (tmp_path / name).mkdir()
        Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(tmp_path / name / "a.png")
    thousand = [f"imagenet_class_number_{index:04d}" for index in range(1000)]
    with pytest.raises(ClassMismatchError) as caught:
        scan_folder(tmp_path, expected_classes=thousand)
    assert len(str(caught.value)) < 600 and "and 992 more" in str(caught.value)
    with pytest.raises(ClassMismatchError) as caught:
        evaluate_folder(SimpleNamespace(class_names=thousand), tmp_path)
    assert len(str(caught.value)) < 600 and "and 992 more" in str(caught.value)


def test_a_split_that_leaves_almost_nothing_to_train_on_is_warned_about(tmp_path: Path) -> None:
    """Issue 24: --val-split 0.999 trained on ~2 images without a word. The split is checked where it
    happens (prepare_data), and the warning reaches the user as a LogMessage of level 'warning'."""
    from core.events import EventRecorder, LogMessage
    from core.training.trainer import TrainConfig, prepare_data

    for name in ("red", "blue"):
        (tmp_path / name).mkdir()
        for index in range(10):
            Image.fromarray(np.full((8, 8, 3), index, np.uint8)).save(tmp_path / name / f"{index}.png")
    events = EventRecorder()
    prepared = prepare_data(TrainConfig(data_dir=str(tmp_path), image_size=8, val_split=0.999, use_cache=False),
                            events)
    assert len(prepared.train) == 2
    warnings = [e for e in events.events if isinstance(e, LogMessage) and e.level == "warning"]
    assert len(warnings) == 1 and "2 training images" in warnings[0].text and "18" in warnings[0].text
    quiet = EventRecorder()
    prepare_data(TrainConfig(data_dir=str(tmp_path), image_size=8, use_cache=False), quiet)
    assert not [e for e in quiet.events if isinstance(e, LogMessage) and e.level == "warning"]
