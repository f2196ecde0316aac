"""Decoded-image cache: every image is decoded, EXIF-rotated, converted and resized once per size.

Why: decoding JPEGs costs as much as a frozen network's forward pass on a laptop CPU, and users
retrain the same folder many times (another freeze point, another learning rate, another split).
An entry is one list of files at one input size, stored as an ``.npy`` of uint8 rows (only the
files that decoded) plus a JSON list of each file's path, size and mtime. A file whose size or
mtime changed is decoded again; rows of unchanged files are reused from any entry of the same
size, so a new split or a few added files cost only the new decodes.

In use, the array is a plain in-memory array when it fits the memory budget, otherwise a
read-only memory map of the entry (the operating system pages rows in as batches need them).
Everything lives in ``user_cache_dir()/decoded`` and is safe to delete; old entries are pruned.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from core.data.scan import decode_images
from core.errors import SettingsError
from core.events import EventSink, LogMessage, ignore_events
from core.paths import user_cache_dir

FORMAT_VERSION = 1
DISK_AIR_BYTES = 2**30  # a cache file never takes the disk's last GiB
DISK_BUDGET_BYTES = 20 * 2**30  # decoded entries beyond this are pruned, least recently used first

Signature = tuple[str, int, int]  # resolved path, size in bytes, mtime in ns


def default_memory_budget() -> int:
    """A quarter of physical memory: the rest is for the model, TensorFlow and the user's other work."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4)
    except (ValueError, OSError, AttributeError):
        return 2 * 2**30


def file_signature(path: str | Path) -> Signature:
    resolved = Path(path).resolve()
    try:
        stat = resolved.stat()
    except OSError:
        return (str(resolved), -1, -1)
    return (str(resolved), int(stat.st_size), int(stat.st_mtime_ns))


@dataclass
class DecodedImages:
    """Rows of ``images`` are the files that decoded, in input order; ``failures`` maps input index -> reason."""

    images: np.ndarray  # (n_ok, size, size, 3) uint8; an np.memmap when over the memory budget
    failures: dict[int, str]
    decoded: int  # files actually decoded this time (0 on a full cache hit)
    in_memory: bool

    def keep(self, count: int) -> list[int]:
        """Input indices of the rows of ``images``."""
        return [i for i in range(count) if i not in self.failures]


def cache_folder() -> Path:
    return user_cache_dir() / "decoded"


def _entry_paths(folder: Path, signatures: Sequence[Signature], size: int) -> tuple[Path, Path]:
    # os.fsencode, not str.encode: a name that is not valid UTF-8 is a str with surrogates in Python,
    # which str.encode refuses; fsencode gives back the file system's own bytes (the same for UTF-8 names)
    digest = hashlib.sha1(f"v{FORMAT_VERSION}|{size}|".encode() + b"\n".join(os.fsencode(s[0]) for s in signatures))
    stem = f"{digest.hexdigest()[:24]}_{size}px"
    return folder / f"{stem}.npy", folder / f"{stem}.json"


def _read_meta(meta_path: Path, size: int) -> dict | None:
    try:
        meta = json.loads(meta_path.read_text())
        if meta.get("version") == FORMAT_VERSION and meta.get("size") == size:
            return meta
    except (OSError, ValueError):
        pass
    return None


def _open_rows(npy: Path, rows: int, size: int) -> np.ndarray | None:
    try:
        array = np.load(npy, mmap_mode="r")
    except (OSError, ValueError):
        return None
    return array if array.shape == (rows, size, size, 3) and array.dtype == np.uint8 else None


def _known_rows(folder: Path, size: int) -> dict[Signature, tuple[Path, int | None, str | None]]:
    """signature -> (entry .npy, row, failure reason) over every entry of this size."""
    known: dict[Signature, tuple[Path, int | None, str | None]] = {}
    for meta_path in folder.glob(f"*_{size}px.json"):
        meta = _read_meta(meta_path, size)
        if meta is None:
            continue
        npy, row = meta_path.with_suffix(".npy"), 0
        for (path, nbytes, mtime), reason in zip(meta["files"], meta["reasons"]):
            known[(path, nbytes, mtime)] = (npy, None if reason else row, reason)
            row += 0 if reason else 1
    return known


def _free_disk_bytes(folder: Path) -> int:
    """Free bytes on the disk that holds ``folder`` (or its nearest existing parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def _gb(nbytes: float) -> str:
    return f"{nbytes / 2**30:.1f} GB"


def check_room(count: int, size: int, in_memory: bool, budget: int, folder: Path) -> None:
    """:class:`SettingsError` before anything is allocated when ``count`` decoded rows at ``size`` px fit
    neither the memory budget nor the free disk: ``audit --image-size 99999`` once left a 4.2 TB sparse
    ``.tmp.npy`` here (a memory map is created instantly, whatever its size, and fails only when
    written). The range of sizes itself is the settings table's business (core.config, a layer above)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise SettingsError.of("image_cache.image_size_image_size", size=repr(size))
    needed = count * size * size * 3
    if in_memory:
        return
    free = _free_disk_bytes(folder)
    if needed > free - DISK_AIR_BYTES:
        raise SettingsError.of("image_cache.decoding_px_needs_about", n_images=count, size=size, needed=_gb(needed),
                               fit=_gb(budget), folder=folder, free=_gb(free))


def _allocate(shape: tuple[int, ...], in_memory: bool, folder: Path) -> tuple[np.ndarray, Path | None]:
    if in_memory:
        return np.zeros(shape, np.uint8), None
    tmp = folder / f".{uuid.uuid4().hex}.tmp.npy"
    return np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=shape), tmp


def _fill(files: Sequence[Path], signatures: list[Signature], size: int, out: np.ndarray, folder: Path,
          sink: EventSink, cancel: threading.Event | None) -> tuple[dict[int, str], int]:
    """Fill ``out`` (full-length rows) from known rows where possible, decoding the rest."""
    known = _known_rows(folder, size) if folder.is_dir() else {}
    failures: dict[int, str] = {}
    by_source: dict[Path, list[tuple[int, int]]] = {}
    todo: list[int] = []
    for index, signature in enumerate(signatures):
        hit = known.get(signature)
        if hit is None or signature[1] < 0:
            todo.append(index)
        elif hit[2]:
            failures[index] = hit[2]
        else:
            by_source.setdefault(hit[0], []).append((index, hit[1]))
    for npy, pairs in by_source.items():
        rows = None
        try:
            source = np.load(npy, mmap_mode="r")
            rows = source[[row for _, row in pairs]]
        except (OSError, ValueError, IndexError):
            todo.extend(index for index, _ in pairs)  # entry vanished or damaged: decode instead
        if rows is not None:
            out[[index for index, _ in pairs]] = rows
    todo.sort()
    if len(todo) == len(files):  # nothing known: decode straight into ``out``
        failures.update(decode_images(files, size, sink, cancel, out=out)[1])
    elif todo:
        buffer, new_failures = decode_images([files[i] for i in todo], size, sink, cancel)
        out[todo] = buffer
        failures.update({todo[i]: reason for i, reason in new_failures.items()})
    return failures, len(todo)


def cached_decode(files: Sequence[str | Path], size: int, sink: EventSink = ignore_events,
                  cancel: threading.Event | None = None, memory_budget: int | None = None,
                  folder: Path | None = None) -> DecodedImages:
    """Decoded (size x size) RGB rows for ``files``, from the cache where still valid.

    Unlike :func:`core.data.scan.decode_images`, failed files have no row at all, so the caller never
    has to copy a (possibly memory-mapped) array to drop them.
    """
    files = [Path(f) for f in files]
    folder = folder or cache_folder()
    budget = default_memory_budget() if memory_budget is None else memory_budget
    signatures = [file_signature(f) for f in files]
    npy, meta_path = _entry_paths(folder, signatures, size)
    row_bytes = size * size * 3
    meta = _read_meta(meta_path, size)
    if meta is not None and [tuple(s) for s in meta["files"]] == signatures:
        failures = {i: r for i, r in enumerate(meta["reasons"]) if r}
        rows = _open_rows(npy, len(files) - len(failures), size)
        if rows is not None:
            try:
                os.utime(meta_path)  # recently used: pruned last
            except OSError:
                pass  # a read-only cache still serves
            in_memory = rows.nbytes <= budget
            sink(LogMessage.of("image_cache.read_from_cache", n_rows=len(rows)))
            return DecodedImages(np.array(rows) if in_memory else rows, failures, 0, in_memory)

    in_memory = len(files) * row_bytes <= budget
    check_room(len(files), size, in_memory, budget, folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        full, tmp = _allocate((len(files), size, size, 3), in_memory, folder)
    except OSError as error:
        if not in_memory and len(files) * row_bytes > 2 * budget:  # twice the budget may still fit; more would not
            raise SettingsError.of("image_cache.cannot_use_image_cache", folder=folder,
                                   reason=error.strerror or error, n_files=len(files), size=size,
                                   needed=_gb(len(files) * row_bytes)) from None
        sink(LogMessage.of("image_cache.cannot_use_image_cache_2", "warning", folder=folder, error=error))
        full, tmp, in_memory = np.zeros((len(files), size, size, 3), np.uint8), None, True
    if not in_memory:
        sink(LogMessage.of("image_cache.decoded_images_mb_exceed", size_mb=len(files) * row_bytes / 2 ** 20,
                           budget=budget / 2 ** 20, folder=folder))
    try:
        failures, decoded = _fill(files, signatures, size, full, folder, sink, cancel)
        if cancel is not None and cancel.is_set():
            return DecodedImages(full, failures, decoded, in_memory)  # incomplete: never stored
        keep = [i for i in range(len(files)) if i not in failures]
        if decoded and decoded < len(files):
            sink(LogMessage.of("image_cache.decoded_came_from_cache", decoded=decoded, n_files=len(files) - decoded))
        images = _store(full, tmp, keep, npy, meta_path, signatures, failures, size, in_memory, folder, sink)
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
    return DecodedImages(images, failures, decoded, in_memory)


def _store(full: np.ndarray, tmp: Path | None, keep: list[int], npy: Path, meta_path: Path,
           signatures: list[Signature], failures: dict[int, str], size: int, in_memory: bool,
           folder: Path, sink: EventSink) -> np.ndarray:
    """Write the entry (rows of decoded files only) and return the array to train on."""
    compact = full if len(keep) == len(full) else None
    try:
        if in_memory:
            compact = full[keep] if compact is None else compact
            staging = folder / f".{uuid.uuid4().hex}.tmp.npy"
            np.save(staging, compact)
        elif compact is None:  # drop failed rows into a second map, chunk by chunk
            staging = folder / f".{uuid.uuid4().hex}.tmp.npy"
            target = np.lib.format.open_memmap(staging, mode="w+", dtype=np.uint8, shape=(len(keep), size, size, 3))
            for start in range(0, len(keep), 512):
                target[start:start + 512] = full[keep[start:start + 512]]
            target.flush()
            del target
        else:
            full.flush()
            staging = tmp
        os.replace(staging, npy)  # rows first, then the list that vouches for them
        meta = {"version": FORMAT_VERSION, "size": size, "files": signatures,
                "reasons": [failures.get(i) for i in range(len(signatures))]}
        staging_meta = meta_path.with_suffix(f".{uuid.uuid4().hex}.tmp")
        staging_meta.write_text(json.dumps(meta))
        os.replace(staging_meta, meta_path)
        prune(folder, keep_paths={npy})
    except OSError as error:
        sink(LogMessage.of("image_cache.could_not_save_decoded", "warning", error=error))
        if in_memory:
            return full[keep] if compact is None else compact
        raise
    if in_memory:
        return compact
    return np.load(npy, mmap_mode="r")


def prune(folder: Path, budget: int = DISK_BUDGET_BYTES, keep_paths: set[Path] = frozenset()) -> None:
    """Delete the least recently used entries until the folder fits ``budget``; also stale temp files."""
    now = time.time()
    for tmp in folder.glob(".*.tmp*"):
        try:
            if now - tmp.stat().st_mtime > 86400:  # left behind by a crashed run a day ago
                tmp.unlink()
        except OSError:
            pass
    entries = []
    for meta_path in folder.glob("*.json"):
        npy = meta_path.with_suffix(".npy")
        try:
            entries.append((meta_path.stat().st_mtime, meta_path, npy, npy.stat().st_size if npy.exists() else 0))
        except OSError:
            continue
    total = sum(e[3] for e in entries)
    for _, meta_path, npy, nbytes in sorted(entries):
        if total <= budget:
            break
        if npy in keep_paths:
            continue
        for path in (meta_path, npy):
            path.unlink(missing_ok=True)
        total -= nbytes


def clear(folder: Path | None = None) -> None:
    """Remove every decoded-image entry (the cache is rebuilt on the next run)."""
    shutil.rmtree(folder or cache_folder(), ignore_errors=True)
