"""Fixtures shared by the core tests."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import write_color_dataset


@pytest.fixture(scope="session")
def tiny_bundle(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> Path:
    """A tiny real bundle (MobileNetV2 x0.35 at 64 px, with its unfamiliar-image calibration), trained
    once for the session through the real CLI: the export and runtime tests read the same model."""
    from core.cli import main

    root = tmp_path_factory.mktemp("tiny-bundle")
    data = write_color_dataset(root / "colors", per_class=10)
    code = main(["train", str(data), "--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file),
                 "--image-size", "64", "--epochs", "1", "--warmup-epochs", "1", "--batch-size", "8",
                 "--out", str(root / "bundle"), "--json"], out=io.StringIO())
    assert code == 0
    return root / "bundle"


@pytest.fixture
def runtime_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A test converts models (core/runtime) into its own cache folder, with the default setting and
    no earlier verdicts, converting in the foreground."""
    import core.runtime.forward as forward

    monkeypatch.setenv("FTS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FTS_RUNTIME", raising=False)
    monkeypatch.setattr(forward, "_said", set())
    monkeypatch.setattr(forward, "_background", False)
    return tmp_path / "cache"
