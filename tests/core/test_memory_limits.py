"""The machine is never brought down by a setting (issue 24, item 1): an image size outside the one
table of ranges is refused inside the functions that allocate (the audit's embeddings, the decoded-image
cache), a cache file never outgrows the disk, and a run's estimated memory is compared with what the
machine has before any work, with the numbers in the message."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.errors import SettingsError


def _images(folder: Path, count: int = 2) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"img{index}.png"
        Image.fromarray(np.full((8, 8, 3), index * 40, np.uint8)).save(path)
        paths.append(path)
    return paths


@pytest.fixture()
def no_decoding(monkeypatch):
    """Decoding at a huge size would exhaust the machine before the fix: stop it at the door."""
    from core.data import image_cache
    from core.insight import embeddings

    def refuse(*args, **kwargs):
        raise RuntimeError("reached the decoder: the size was not checked")

    monkeypatch.setattr(embeddings, "cached_decode", refuse)
    monkeypatch.setattr(image_cache, "_fill", refuse)


@pytest.mark.parametrize("size", [99999, 0, -5, 31])
def test_the_audit_refuses_an_image_size_outside_the_table(tmp_path: Path, size: int, no_decoding) -> None:
    from core.insight.audit import run_audit

    for name in ("a", "b"):
        _images(tmp_path / "data" / name)
    with pytest.raises(SettingsError, match=r"Image size \(--image-size\)"):
        run_audit(tmp_path / "data", image_size=size, use_cache=False)


def test_embeddings_refuse_an_image_size_outside_the_table(tmp_path: Path, no_decoding) -> None:
    from core.insight.embeddings import embed_files

    files = _images(tmp_path)
    with pytest.raises(SettingsError, match="99999"):
        embed_files(files, lambda: None, "efficientnet_lite0", None, 99999, use_cache=False)


def test_the_decoded_cache_never_makes_a_file_larger_than_the_free_disk(tmp_path: Path, monkeypatch,
                                                                          no_decoding) -> None:
    from core.data import image_cache

    files = _images(tmp_path / "images")
    monkeypatch.setattr(image_cache, "_free_disk_bytes", lambda folder: 1 << 30)
    cache = tmp_path / "cache"
    with pytest.raises(SettingsError, match=r"needs about .* GB .* 1\.0 GB free"):
        image_cache.cached_decode(files, 20_000, memory_budget=0, folder=cache)  # 2 x 1.2 GB rows
    assert not list(cache.glob("*.npy")) and not list(cache.glob(".*"))
    with pytest.raises(SettingsError):
        image_cache.cached_decode(files, 0, folder=cache)
