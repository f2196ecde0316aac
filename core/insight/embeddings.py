"""The audit's inputs per image: the backbone's pooled embedding and a hash of the decoded pixels,
computed once and kept on disk like the decoded images.

Why a cache of its own: the audit is run again after every fix (a file excluded, moved, deleted),
and on thousands of images the backbone's forward pass dominates. Entries are per backbone,
weights and input size (``user_cache_dir()/embeddings/<key>/``): one ``entry.npz`` holding the rows
(float32, one row per file) and the index (each file's resolved path, size and mtime, its row and
its pixel hash), replaced in one rename so the index always vouches for the rows beside it.
A file whose size or mtime changed is computed again; only the new or changed files are decoded
(through :func:`core.data.image_cache.cached_decode`, so pixels shared with training are decoded
once) and run through the network. Random weights ("none") are never cached.

The pixel hash is SHA-1 over the image's size and its full-resolution RGB pixels after EXIF
rotation: two files with the same pixels (a PNG saved again as BMP, a byte copy) hash alike
whatever their bytes. It carries the image's perceptual hash (:func:`perceptual_hash`), which finds
copies that were resized and re-encoded.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, BinaryIO, Sequence

import numpy as np
from PIL import Image, ImageOps

from core.data.image_cache import cached_decode, file_signature
from core.data.image_files import decoding_slot, open_image
from core.data.scan import _to_rgb, decode_error_reason
from core.errors import TrainingCancelled
from core.events import EventSink, LogMessage, Progress, ignore_events
from core.files import write_file_atomic
from core.config import check_train_settings  # the one table of ranges
from core.paths import user_cache_dir

FORMAT_VERSION = 3  # 3: hashes carry the perceptual hash; 2: one entry.npz; 1 kept rows.npy and index.json apart
PERCEPTUAL_SIDE = 32  # the greyscale thumbnail whose lowest 8 x 8 DCT frequencies make the perceptual hash
ENTRY_FILE = "entry.npz"
MAX_ROWS = 200_000  # an entry keeps at most this many files (the most recently asked first)


def check_image_size(backbone_id: str, size: int) -> None:
    """:class:`SettingsError` for a size outside the one table of ranges (core.config), before anything is
    decoded or allocated: ``audit --image-size 99999`` once left a 4.2 TB sparse cache file and filled the
    machine's memory, and 0 quietly meant "the backbone's default"."""
    check_train_settings(SimpleNamespace(backbone=backbone_id, image_size=size))


def _dct_matrix(n: int) -> np.ndarray:
    """The orthonormal DCT-II matrix: ``m @ x @ m.T`` is the 2-D DCT of an n x n block."""
    k, i = np.arange(n)[:, None], np.arange(n)[None, :]
    matrix = np.cos(np.pi * (2 * i + 1) * k / (2 * n)) * np.sqrt(2 / n)
    matrix[0] /= np.sqrt(2)
    return matrix


_DCT = _dct_matrix(PERCEPTUAL_SIDE)


def perceptual_hash(image: Image.Image) -> int:
    """A 63-bit DCT perceptual hash (pHash): bit k says whether the k-th lowest-frequency DCT coefficient
    (the constant one left out) of the image's 32 x 32 greyscale thumbnail lies above their median.

    Why beside the embeddings: a copy resized and re-encoded as JPEG keeps its coarse layout of light and
    dark, so its hash differs from the original's in at most a few bits, while the backbone's embedding of a
    small image changes enough to sit among look-alikes (28 px digits: the copies' hashes were equal, the
    nearest different digits' at least 2 bits and typically 12 apart). Compared with
    :func:`core.insight.findings.hamming`."""
    grey = np.asarray(image.convert("L").resize((PERCEPTUAL_SIDE, PERCEPTUAL_SIDE), Image.Resampling.LANCZOS,
                                                reducing_gap=3.0), np.float64)
    low = (_DCT @ grey @ _DCT.T)[:8, :8].ravel()[1:]
    bits = low > np.median(low)
    return int(sum(1 << k for k in np.flatnonzero(bits)))


def pixel_hash(path: str | Path) -> str:
    """``"<SHA-1>:<perceptual hash>"``: SHA-1 of the full-resolution decoded RGB pixels (after EXIF rotation)
    and their size, then :func:`perceptual_hash` in 16 hex digits. Equal strings mean equal pixels (the
    perceptual hash follows from the pixels); :func:`perceptual_of` reads the second part back."""
    with open_image(path) as (image, _):
        with decoding_slot(image):
            image.load()
            rgb = _to_rgb(ImageOps.exif_transpose(image))
            digest = hashlib.sha1(f"{rgb.size[0]}x{rgb.size[1]}|".encode())
            digest.update(rgb.tobytes())
            perceptual = perceptual_hash(rgb)
    return f"{digest.hexdigest()}:{perceptual:016x}"


def perceptual_of(hashes: Sequence[str]) -> np.ndarray:
    """The perceptual hashes inside :func:`pixel_hash` strings, as uint64 (0 where a string has none)."""
    return np.asarray([int(h.partition(":")[2] or "0", 16) for h in hashes], np.uint64)


@dataclass
class Embedded:
    """Rows of ``embeddings`` and ``hashes`` are the input files that could be read, in order;
    ``failures`` maps the others' input index to the reason."""

    embeddings: np.ndarray
    hashes: list[str]
    failures: dict[int, str]
    computed: int  # files run through the network this time (0: all from the cache)

    def kept(self, count: int) -> list[int]:
        return [i for i in range(count) if i not in self.failures]


def weights_identity(weights: Any) -> str | None:
    """What identifies the weights in a cache key; None when they must not be cached (random)."""
    if weights is None or str(weights).lower() == "none":
        return None
    if str(weights) == "imagenet":
        return "imagenet"
    signature = file_signature(weights)
    return f"file:{signature[0]}|{signature[1]}|{signature[2]}"


def _entry_folder(backbone_id: str, weights_id: str, size: int) -> Path:
    digest = hashlib.sha1(f"v{FORMAT_VERSION}|{backbone_id}|{weights_id}|{size}".encode()).hexdigest()[:20]
    return user_cache_dir() / "embeddings" / f"{backbone_id}_{size}px_{digest}"


def _load_entry(folder: Path) -> tuple[dict[tuple, tuple[int, str]], np.ndarray | None]:
    try:
        with np.load(folder / ENTRY_FILE, allow_pickle=False) as entry:
            index, rows = json.loads(entry["index"].tobytes().decode("utf-8")), entry["rows"]
        if index.get("version") != FORMAT_VERSION or len(index["files"]) != len(rows):
            return {}, None
        return {tuple(sig): (row, digest) for row, (sig, digest) in enumerate(zip(index["files"], index["hashes"]))}, rows
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return {}, None  # missing or damaged: computed again


def _store_entry(folder: Path, signatures: list[tuple], rows: np.ndarray, hashes: list[str]) -> None:
    """The rows and the index that vouches for them in one file, replaced in one rename: two
    processes storing at once leave one's entry or the other's, never one's index over the other's rows."""
    folder.mkdir(parents=True, exist_ok=True)
    index = json.dumps({"version": FORMAT_VERSION, "files": [list(s) for s in signatures], "hashes": hashes})

    def save(stream: BinaryIO) -> None:
        np.savez(stream, rows=rows.astype(np.float32), index=np.frombuffer(index.encode("utf-8"), np.uint8))

    write_file_atomic(folder / ENTRY_FILE, save, fsync=False)  # a cache: a crash only costs a recomputation


def _hash_all(files: Sequence[Path], sink: EventSink, cancel: threading.Event | None) -> tuple[list[str | None], dict[int, str]]:
    hashes: list[str | None] = [None] * len(files)
    failures: dict[int, str] = {}

    def work(index: int) -> None:
        if cancel is not None and cancel.is_set():
            return
        try:
            hashes[index] = pixel_hash(files[index])
        except Exception as error:  # noqa: BLE001 - a file that cannot be read is skipped, never the run
            failures[index] = decode_error_reason(error)

    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) * 2)) as pool:
        for done, _ in enumerate(pool.map(work, range(len(files))), start=1):
            if done % 16 == 0 or done == len(files):
                sink(Progress.of("hash", done, len(files), "embeddings.comparing_pixels", done=done,
                                 n_files=len(files)))
    return hashes, failures


def embed_files(files: Sequence[Path], model_factory: Any, backbone_id: str, weights: Any, size: int,
                sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                use_cache: bool = True, batch_size: int = 32) -> Embedded:
    """Embeddings and pixel hashes of ``files`` (``model_factory()`` builds the embedding model, only
    when some file is not in the cache)."""
    from core.training.features import fastest_forward, run_batched

    check_image_size(backbone_id, size)
    files = [Path(f) for f in files]
    signatures = [file_signature(f) for f in files]
    weights_id = weights_identity(weights) if use_cache else None
    folder = _entry_folder(backbone_id, weights_id, size) if weights_id else None
    known, old_rows = _load_entry(folder) if folder else ({}, None)
    todo = [i for i, s in enumerate(signatures) if s not in known or s[1] < 0]
    hashes: list[str | None] = [known[s][1] if s in known else None for s in signatures]
    failures: dict[int, str] = {}
    new_rows = np.zeros((0, 0), np.float32)
    if todo:
        sink(LogMessage.of("embeddings.computing_embeddings_images_from", n_todo=len(todo), n_files=len(files),
                           n_cached=len(files) - len(todo)))
        todo_hashes, hash_failures = _hash_all([files[i] for i in todo], sink, cancel)
        if cancel is not None and cancel.is_set():
            raise TrainingCancelled("Check cancelled.")
        decoded = cached_decode([files[i] for i in todo], size, sink, cancel)
        if cancel is not None and cancel.is_set():
            raise TrainingCancelled("Check cancelled.")
        local_fail = {**decoded.failures, **hash_failures}
        ok = decoded.keep(len(todo))
        try:
            model = model_factory()
            computed = run_batched(model, decoded.images, batch_size, sink, cancel, task="embed",
                                   step_id="features.embeddings",
                                   forward=fastest_forward(model, len(decoded.images), label="embeddings"))
        except InterruptedError:
            raise TrainingCancelled("Check cancelled.") from None
        by_local = dict(zip(ok, computed))
        new_rows = np.zeros((len(todo), computed.shape[1] if len(computed) else 0), np.float32)
        for local, index in enumerate(todo):
            if local in local_fail:
                failures[index] = local_fail[local]
            else:
                new_rows[local] = by_local[local]
                hashes[index] = todo_hashes[local]
    width = new_rows.shape[1] if todo and new_rows.size else (old_rows.shape[1] if old_rows is not None else 0)
    out = np.zeros((len(files), width), np.float32)
    todo_at = {index: local for local, index in enumerate(todo)}
    for index, signature in enumerate(signatures):
        if index in todo_at:
            if index not in failures:
                out[index] = new_rows[todo_at[index]]
        elif old_rows is not None:
            out[index] = old_rows[known[signature][0]]
    kept = [i for i in range(len(files)) if i not in failures]
    if folder is not None and todo and width:
        _remember(folder, known, old_rows, [signatures[i] for i in kept], out[kept], [hashes[i] for i in kept], sink)
    return Embedded(out[kept], [hashes[i] for i in kept], failures, len(todo))  # type: ignore[misc]


def _remember(folder: Path, known: dict, old_rows: np.ndarray | None, signatures: list[tuple], rows: np.ndarray,
              hashes: list[Any], sink: EventSink) -> None:
    """Write this call's rows first, then older rows not asked for this time, up to MAX_ROWS."""
    asked = set(signatures)
    extra = [(sig, row, digest) for sig, (row, digest) in known.items() if sig not in asked][:max(0, MAX_ROWS - len(rows))]
    all_rows = rows if not extra or old_rows is None else np.concatenate([rows, old_rows[[r for _, r, _ in extra]]])
    try:
        _store_entry(folder, signatures + [s for s, _, _ in extra], all_rows, hashes + [d for _, _, d in extra])
    except OSError as error:
        sink(LogMessage.of("embeddings.could_not_save_embeddings", "warning", error=error))
