"""Class folders -> DatasetSpec; decoding through Pillow; stratified split.

Scanning only reads file headers (fast, even on thousands of files). Full decoding happens once
per input size in :func:`decode_images`; files that turn out to be truncated or corrupt there are
added to the skipped list, so a bad file never stops a run.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from .events import EventSink, Progress, ignore_events

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is reported, not silently padded with grey
Image.MAX_IMAGE_PIXELS = 300_000_000  # whole-slide scans are big; refuse only absurd decompression bombs


class DatasetError(ValueError):
    """A problem with the user's data that the user can fix; the message says how."""


class FolderNotFoundError(DatasetError):
    pass


class EmptyFolderError(DatasetError):
    pass


class TooFewClassesError(DatasetError):
    pass


class TooFewImagesError(DatasetError):
    pass


class ClassMismatchError(DatasetError):
    pass


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str


@dataclass(frozen=True)
class DatasetSpec:
    """A labelled set of image files. ``labels[i]`` indexes ``class_names`` for ``files[i]``."""

    root: Path
    class_names: tuple[str, ...]
    files: tuple[Path, ...]
    labels: tuple[int, ...]
    skipped: tuple[SkippedFile, ...] = field(default=())

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.class_names, 0)
        for label in self.labels:
            counts[self.class_names[label]] += 1
        return counts

    def __len__(self) -> int:
        return len(self.files)

    def subset(self, indices: Iterable[int]) -> "DatasetSpec":
        indices = list(indices)
        return replace(self, files=tuple(self.files[i] for i in indices),
                       labels=tuple(self.labels[i] for i in indices))

    def without(self, failures: dict[int, str]) -> "DatasetSpec":
        """Drop files that failed to decode, recording why."""
        if not failures:
            return self
        kept = [i for i in range(len(self.files)) if i not in failures]
        extra = tuple(SkippedFile(self.files[i], reason) for i, reason in sorted(failures.items()))
        return replace(self.subset(kept), skipped=self.skipped + extra)


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


def check_image_header(path: Path) -> str | None:
    """Return why ``path`` cannot be used as an image, or None if its header looks fine."""
    if path.suffix.lower() not in IMAGE_EXTENSIONS:
        return f"not an image file type ({path.suffix or 'no extension'})"
    try:
        if path.stat().st_size == 0:
            return "empty file"
        with Image.open(path) as image:
            image.size  # noqa: B018 - forces the header parse
    except PermissionError:
        return "unreadable (permission denied)"
    except UnidentifiedImageError:
        return "not an image (contents are not a known image format)"
    except (OSError, SyntaxError, ValueError) as error:
        return f"unreadable ({error})"
    return None


def scan_folder(root: str | Path, expected_classes: Sequence[str] | None = None) -> DatasetSpec:
    """Scan ``root`` with one subfolder per class; images are found recursively inside each class."""
    root = Path(root).expanduser()
    if not root.is_dir():
        raise FolderNotFoundError(f"The folder '{root}' does not exist or is not a folder.")
    class_dirs = sorted((d for d in root.iterdir() if d.is_dir() and not _is_hidden(d)), key=lambda d: d.name)
    if not class_dirs:
        raise EmptyFolderError(
            f"'{root}' contains no class folders. Put the images of each class into their own subfolder, "
            "e.g. cells/healthy/*.jpg and cells/infected/*.jpg.")
    if expected_classes is not None:
        found = [d.name for d in class_dirs]
        missing = sorted(set(expected_classes) - set(found))
        extra = sorted(set(found) - set(expected_classes))
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + \
                    ([f"unexpected {', '.join(extra)}"] if extra else [])
            raise ClassMismatchError(
                f"The validation folder '{root}' must have the same class folders as the training folder "
                f"({'; '.join(parts)}).")
        class_dirs = [root / name for name in expected_classes]

    files: list[Path] = []
    labels: list[int] = []
    skipped: list[SkippedFile] = []
    for label, class_dir in enumerate(class_dirs):
        for dirpath, dirnames, filenames in os.walk(class_dir):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                reason = check_image_header(path)
                if reason:
                    skipped.append(SkippedFile(path, reason))
                else:
                    files.append(path)
                    labels.append(label)
    spec = DatasetSpec(root, tuple(d.name for d in class_dirs), tuple(files), tuple(labels), tuple(skipped))
    if not files:
        raise EmptyFolderError(f"No usable images were found in '{root}' "
                               f"({len(skipped)} files skipped). Supported: {', '.join(sorted(IMAGE_EXTENSIONS))}.")
    return spec


def check_trainable(spec: DatasetSpec, min_per_class: int = 2) -> None:
    """Raise a plain-English error if ``spec`` cannot be trained on."""
    if len(spec.class_names) < 2:
        raise TooFewClassesError(
            f"Found only {len(spec.class_names)} class folder in '{spec.root}'. A classifier needs at least "
            "two classes: make one subfolder per class.")
    small = [f"'{name}' ({count})" for name, count in spec.counts.items() if count < min_per_class]
    if small:
        raise TooFewImagesError(
            f"Every class needs at least {min_per_class} usable images; too few in {', '.join(small)}.")


def stratified_split(spec: DatasetSpec, val_fraction: float, seed: int) -> tuple[DatasetSpec, DatasetSpec]:
    """Seeded per-class split; every class keeps at least one image on each side."""
    if not 0.0 < val_fraction < 1.0:
        raise DatasetError(f"The validation split must be between 0 and 1 (got {val_fraction}).")
    rng = np.random.default_rng(seed)
    labels = np.asarray(spec.labels)
    train_idx, val_idx = [], []
    for label in range(len(spec.class_names)):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        n_val = min(max(1, round(val_fraction * len(members))), len(members) - 1)
        val_idx.extend(members[:n_val].tolist())
        train_idx.extend(members[n_val:].tolist())
    return spec.subset(sorted(train_idx)), spec.subset(sorted(val_idx))


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode -> 8-bit RGB: 16-bit and float scaled, transparency composited on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        low, high = float(array.min()), float(array.max())
        scale = 255.0 / (high - low) if high > low else 0.0
        image = Image.fromarray(((array - low) * scale).astype(np.uint8), "L")
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image.convert("RGB") if image.mode != "RGB" else image


def load_image(source: str | Path | np.ndarray | Image.Image, size: int) -> np.ndarray:
    """Decode, apply EXIF orientation, convert to RGB and resize to ``size`` x ``size`` (uint8).

    The one function every path uses (training, prediction, evaluation), so a bundle sees exactly
    the pixels it was trained on.
    """
    if isinstance(source, np.ndarray):
        array = source
        if array.dtype != np.uint8:
            array = np.clip(array, 0, 255).astype(np.uint8)
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        image = Image.fromarray(array[..., :3])
    elif isinstance(source, Image.Image):
        image = source
    else:
        image = Image.open(source)
        image.draft("RGB", (size, size))  # JPEG: let libjpeg decode at reduced scale, much faster
    with image:
        image = ImageOps.exif_transpose(image)
        image = _to_rgb(image)
        if image.size != (size, size):
            image = image.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=3.0)
        return np.asarray(image, dtype=np.uint8)


def decode_error_reason(error: Exception) -> str:
    text = str(error)
    if "truncated" in text.lower() or isinstance(error, EOFError):
        return "truncated or corrupt image data"
    if isinstance(error, PermissionError):
        return "unreadable (permission denied)"
    return f"corrupt image ({text or type(error).__name__})"


def decode_images(files: Sequence[Path], size: int, sink: EventSink = ignore_events,
                  cancel: threading.Event | None = None, out: np.ndarray | None = None,
                  workers: int | None = None) -> tuple[np.ndarray, dict[int, str]]:
    """Decode ``files`` in parallel into an (N, size, size, 3) uint8 array.

    Returns the array and ``{index: reason}`` for files that failed (their rows stay zero).
    Pillow releases the GIL while decoding, so threads give real parallelism.
    """
    images = out if out is not None else np.zeros((len(files), size, size, 3), np.uint8)
    failures: dict[int, str] = {}
    total = len(files)

    def work(index: int) -> None:
        if cancel is not None and cancel.is_set():
            return
        try:
            images[index] = load_image(files[index], size)
        except Exception as error:  # any decoder failure means "skip this file", never "stop the run"
            failures[index] = decode_error_reason(error)

    step = max(1, total // 50)
    with ThreadPoolExecutor(max_workers=workers or min(8, (os.cpu_count() or 2) * 2)) as pool:
        for done, _ in enumerate(pool.map(work, range(total)), start=1):
            if done % step == 0 or done == total:
                sink(Progress("decode", done, total, f"Reading images {done}/{total}"))
    return images, failures
