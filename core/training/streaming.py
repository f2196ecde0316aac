"""Rows of a decoded-image (or activation) file on disk, read batch by batch with ``pread``.

Why not index the memory map: rows touched through a map stay mapped into the process, so its
resident memory climbs to the size of the file over the first epoch (the kernel can drop those
pages, but the process looks, and is accounted, as large as its dataset). ``pread`` copies each
batch into a fresh buffer instead; the file's pages live in the kernel's page cache, which is
shared and reclaimable, and the process's own memory stays flat however many images there are.
Consecutive rows of a batch are read with one call; the calls release the GIL, so tf.data's
parallel map overlaps them with the model.

The descriptor is opened when the reader is made, so the file stays readable if the image cache
prunes or clears it mid-run (the open descriptor keeps the inode alive). Where the file is already
gone, or the platform has no ``pread`` (Windows), the reader indexes the memory map instead (the map
keeps its own file alive).
"""
from __future__ import annotations

import mmap
import os
import threading
from typing import Any

import numpy as np


def is_file_backed(rows: Any) -> bool:
    """A whole-file memory map (``np.load(mmap_mode=...)`` / ``open_memmap``), not a view of one:
    only then do the file name and offset describe where row 0 lies."""
    return isinstance(rows, np.memmap) and isinstance(rows.base, mmap.mmap) and rows.flags.c_contiguous \
        and getattr(rows, "filename", None) is not None


class RowReader:
    """``reader(index)`` == ``rows[index]`` for a whole-file memory map, read with ``pread``
    (or, without a descriptor, by indexing the map)."""

    def __init__(self, rows: np.memmap) -> None:
        self.path, self.offset = rows.filename, int(rows.offset)
        self.shape, self.dtype = rows.shape, rows.dtype
        self.row_bytes = int(np.prod(rows.shape[1:], dtype=np.int64)) * rows.dtype.itemsize
        self._rows = rows  # the fallback: the map keeps its file alive even once deleted
        self._lock = threading.Lock()
        self._fd: int | None = None
        if hasattr(os, "pread"):
            try:
                self._fd = os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:  # pruned from the cache between mapping and now
                self._fd = None

    def __call__(self, index: np.ndarray) -> np.ndarray:
        index = np.asarray(index, np.int64).reshape(-1)
        out = np.empty((len(index), *self.shape[1:]), self.dtype)
        if not len(index):
            return out
        if index.min() < 0 or index.max() >= self.shape[0]:
            raise IndexError(f"row index out of range 0..{self.shape[0] - 1}")
        fd = self._fd
        if fd is None:
            return np.asarray(self._rows[index])
        order = np.argsort(index, kind="stable")
        wanted = index[order]
        flat = out.reshape(len(index), -1).view(np.uint8)
        start = 0
        while start < len(wanted):  # one read per run of consecutive rows
            end = start + 1
            while end < len(wanted) and wanted[end] == wanted[end - 1] + 1:
                end += 1
            size = self.row_bytes * (end - start)
            block = os.pread(fd, size, self.offset + int(wanted[start]) * self.row_bytes)
            got = len(block)
            if got != size:
                raise OSError(f"short read from {self.path}: {got} of {size} bytes")
            flat[order[start:end]] = np.frombuffer(block, np.uint8).reshape(end - start, -1)
            start = end
        return out

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: os may be gone
            pass
