"""Review fixes in runs, resume, pruning and streaming (fast: no training)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from core.training.streaming import RowReader


def _mapped(tmp_path: Path) -> tuple[np.ndarray, np.ndarray, Path]:
    rows = np.random.default_rng(1).integers(0, 256, (20, 4, 4, 3), dtype=np.uint8)
    path = tmp_path / "rows.npy"
    np.save(path, rows)
    return rows, np.load(path, mmap_mode="r"), path


def test_row_reader_survives_the_cache_file_being_deleted_after_it_was_made(tmp_path: Path) -> None:
    rows, mapped, path = _mapped(tmp_path)
    reader = RowReader(mapped)
    path.unlink()  # image_cache.prune / clear
    index = np.array([3, 4, 5, 0, 19])
    np.testing.assert_array_equal(reader(index), rows[index])
    np.testing.assert_array_equal(RowReader(mapped)(index), rows[index])  # made after: reads the map


def test_row_reader_without_pread_indexes_the_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, mapped, _ = _mapped(tmp_path)
    monkeypatch.delattr(os, "pread", raising=False)  # Windows: neither pread nor preadv
    monkeypatch.delattr(os, "preadv", raising=False)
    index = np.array([7, 2, 2, 11])
    np.testing.assert_array_equal(RowReader(mapped)(index), rows[index])
