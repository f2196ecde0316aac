"""The bundled sample dataset: real images, several classes, built once and atomically."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from resources import sample_data
from resources.sample_data import ensure_sample_dataset


def class_files(root: Path) -> dict[str, list[Path]]:
    return {d.name: sorted(d.glob("*.jpg")) for d in sorted(root.iterdir()) if d.is_dir()}


def test_builds_default_location_once(tmp_path, monkeypatch):
    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path))
    root = ensure_sample_dataset()
    assert root == tmp_path / "sample-dataset"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample-dataset"]  # temp folder renamed away

    files = class_files(root)
    assert len(files) >= 3
    assert set(files) == set(sample_data.SAMPLE_CLASSES)
    total = sum(len(f) for f in files.values())
    assert 200 <= total <= 500
    assert "scikit-image" in (root / "README.txt").read_text(encoding="utf-8")

    means = {}
    for name, paths in files.items():
        assert len(paths) >= 50
        for path in paths[:: max(1, len(paths) // 5)]:
            with Image.open(path) as image:
                image.load()
                assert image.format == "JPEG" and image.mode == "RGB"
                assert 128 <= image.width == image.height <= 160
                means.setdefault(name, []).append(np.asarray(image, np.float32).std())
    assert all(min(stds) > 5 for stds in means.values())  # real texture, not blank crops

    stamp = (root / "README.txt").stat().st_mtime_ns
    first = paths[0].read_bytes()
    assert ensure_sample_dataset() == root  # idempotent: nothing rebuilt
    assert (root / "README.txt").stat().st_mtime_ns == stamp
    assert paths[0].read_bytes() == first


def test_explicit_root_is_deterministic(tmp_path):
    a = ensure_sample_dataset(tmp_path / "a" / "data")
    b = ensure_sample_dataset(tmp_path / "b")
    assert a == tmp_path / "a" / "data"
    name = sorted(sample_data.SAMPLE_CLASSES)[0]
    assert (a / name / f"{name}_000.jpg").read_bytes() == (b / name / f"{name}_000.jpg").read_bytes()
