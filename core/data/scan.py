"""Class folders -> DatasetSpec; decoding through Pillow; stratified split.

Scanning only reads file headers (fast, even on thousands of files). Full decoding happens once
per input size in :func:`decode_images`; files that turn out to be truncated or corrupt there are
added to the skipped list, so a bad file never stops a run. Every file is opened through
:func:`core.data.image_files.open_image`, which refuses FIFOs, devices and decompression bombs before
any pixel is decoded. Links are followed only out of the dataset, never back into it, so a link
to the data folder cannot turn into a class of duplicates.
"""
from __future__ import annotations

import errno
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from core.messages import Said, said
from core.wording import name_list, plural
from core.events import EventSink, Progress, ignore_events
from core.data.image_files import (UnusableFileError, check_png_rows, decoding_slot, entry_is_dir, is_inside, open_image,
                          real_path, shown)
from core.data.exclusions import split_excluded
from core.errors import DatasetError, FolderNotFoundError, EmptyFolderError, TooFewClassesError, TooFewImagesError, ClassMismatchError  # noqa: F401 (raised here; importable from here)

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is reported, not silently padded with grey


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
    excluded: tuple[Path, ...] = field(default=())  # left out by the user (core/data/exclusions.py)

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


def check_image_header(path: Path) -> str | None:
    """Return why ``path`` cannot be used as an image, or None if its header looks fine."""
    if path.suffix.lower() not in IMAGE_EXTENSIONS:
        return f"not an image file type ({shown(path.suffix) or 'no extension'})"
    try:
        with open_image(path) as (image, _):
            image.size  # noqa: B018 - the header is parsed; nothing is decoded
    except (UnusableFileError, FileNotFoundError, PermissionError, IsADirectoryError) as error:
        return decode_error_reason(error)
    except Exception as error:  # noqa: BLE001 - a header no plugin can parse is a skipped file, never a stop
        return f"unreadable ({shown(str(error)) or type(error).__name__})"
    return None


class _Scan:
    """Walks class folders in a fixed order (files by name, then subfolders), following links only
    out of the dataset: every real folder is walked once, so link loops end and nothing is counted twice."""

    def __init__(self, root: Path) -> None:
        self.root_real = os.path.realpath(root)
        self.seen_dirs: set[str] = {self.root_real}
        self.seen_files: set[str] = set()
        self.files: list[Path] = []
        self.labels: list[int] = []
        self.skipped: list[SkippedFile] = []

    def link_reason(self, link: Path, is_dir: bool) -> tuple[str | None, str]:
        """(why not to follow ``link``, or None; its target's real path)."""
        try:
            target = real_path(link)
        except OSError as error:
            return f"broken link ({'a loop of links' if error.errno == errno.ELOOP else 'its target is missing'})", ""
        what = "folder" if is_dir else "file"
        if is_inside(target, self.root_real) or target in (self.seen_dirs if is_dir else self.seen_files):
            return f"link to a {what} already in the dataset (not followed, to avoid duplicates)", target
        if is_dir and is_inside(self.root_real, target):
            return "link to a folder that contains the dataset (not followed)", target
        return None, target

    def class_folders(self, root: Path) -> list[Path]:
        folders = []
        for entry in sorted(os.scandir(root), key=lambda e: e.name):
            if entry.name.startswith(".") and entry_is_dir(entry):
                self._hidden_class(root / entry.name)
                continue
            if entry.name.startswith(".") or not entry_is_dir(entry):
                continue  # hidden (.DS_Store), or a loose file at the top level: in no class
            path = root / entry.name
            target = os.path.join(self.root_real, entry.name)
            if entry.is_symlink():
                reason, target = self.link_reason(path, is_dir=True)
                if reason:
                    self.skipped.append(SkippedFile(path, reason))
                    continue
            self.seen_dirs.add(target)
            folders.append(path)
        return folders

    def _hidden_class(self, folder: Path) -> None:
        """A hidden top-level folder is never a class (.git, .cache); one that holds images (a class
        named '...' or '.old') is listed as skipped so that its images do not vanish without a word.
        Only its own entries are looked at: a quick check, not a second scan."""
        try:
            images = sum(1 for entry in os.scandir(folder) if not entry.name.startswith(".")
                         and Path(entry.name).suffix.lower() in IMAGE_EXTENSIONS)
        except OSError:
            return
        if images:
            self.skipped.append(SkippedFile(folder, f"hidden folder (its name starts with '.'), so not a class: "
                                                    f"{plural(images, 'image')} not used; rename it to use them"))

    def walk(self, class_dir: Path, label: int) -> None:
        stack = [(class_dir, os.path.realpath(class_dir))]
        while stack:
            folder, folder_real = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError as error:
                self.skipped.append(SkippedFile(folder, f"unreadable folder ({shown(error.strerror)})"))
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = folder / entry.name
                target = os.path.join(folder_real, entry.name)
                is_dir = entry_is_dir(entry)
                if entry.is_symlink():
                    reason, target = self.link_reason(path, is_dir)
                    if reason:
                        self.skipped.append(SkippedFile(path, reason))
                        continue
                if is_dir:
                    self.seen_dirs.add(target)  # when queued, so a second link to it is caught too
                    subfolders.append((path, target))
                    continue
                self.seen_files.add(target)
                reason = check_image_header(path)
                if reason:
                    self.skipped.append(SkippedFile(path, reason))
                else:
                    self.files.append(path)
                    self.labels.append(label)
            stack.extend(reversed(subfolders))


def scan_folder(root: str | Path, expected_classes: Sequence[str] | None = None,
                honour_exclusions: bool = True) -> DatasetSpec:
    """Scan ``root`` with one subfolder per class; images are found recursively inside each class.
    Files on the folder's exclusion list (core/data/exclusions.py) are left out and listed in ``excluded``."""
    root = Path(root).expanduser()
    if not root.is_dir():
        raise FolderNotFoundError.of("scan.folder_does_not_exist", root=shown(root))
    scan = _Scan(root)
    class_dirs = scan.class_folders(root)
    if not class_dirs:
        raise EmptyFolderError.of("scan.contains_no_class_folders", scan.skipped, root=shown(root))
    if expected_classes is not None:
        found = [d.name for d in class_dirs]
        missing = sorted(set(expected_classes) - set(found))
        extra = sorted(set(found) - set(expected_classes))
        if missing or extra:
            if missing and extra:
                raise ClassMismatchError.of("scan.validation_classes_differ", root=shown(root),
                                            missing=name_list(missing), unexpected=name_list(extra))
            if missing:
                raise ClassMismatchError.of("scan.validation_classes_missing", root=shown(root),
                                            missing=name_list(missing))
            raise ClassMismatchError.of("scan.validation_classes_unexpected", root=shown(root),
                                        unexpected=name_list(extra))
        class_dirs = [root / name for name in expected_classes]
    for label, class_dir in enumerate(class_dirs):
        scan.walk(class_dir, label)
    kept, excluded = split_excluded(root, scan.files) if honour_exclusions else (range(len(scan.files)), [])
    if not kept:
        if excluded:
            raise EmptyFolderError.of("scan.no_images_use_all", scan.skipped, root=shown(root),
                                      n_excluded=len(excluded))
        raise EmptyFolderError.of_said(no_usable_images_message(root, scan.skipped), scan.skipped)
    return DatasetSpec(root, tuple(d.name for d in class_dirs), tuple(scan.files[i] for i in kept),
                       tuple(scan.labels[i] for i in kept), tuple(scan.skipped), tuple(excluded))


_KINDS = (  # skipped-reason prefix -> how a count of them reads in a summary
    ("not an image file type", "file of another type", "files of other types"),
    ("not an image", "file that is not a picture", "files that are not pictures"),
    ("empty file", "empty file", "empty files"),
    ("too large", "image too large to decode", "images too large to decode"),
    ("truncated", "truncated or corrupt image", "truncated or corrupt images"),
    ("not a regular file", "FIFO, socket or device file", "FIFO, socket or device files"),
    ("link to", "link back into the dataset", "links back into the dataset"),
    ("broken link", "broken link", "broken links"),
    ("file not found", "missing file", "missing files"),
    ("unreadable", "unreadable file or folder", "unreadable files or folders"),
    ("hidden folder", "hidden folder with images", "hidden folders with images"),
)


def _detail(reason: str) -> str:
    return reason[reason.index("(") + 1:reason.rindex(")")] if "(" in reason and reason.endswith(")") else ""


def no_usable_images_message(root: Path, skipped: Sequence[SkippedFile]) -> Said:
    """Say why a folder gave no images: the skip reasons, counted, with an example of each."""
    extensions = ", ".join(sorted(IMAGE_EXTENSIONS))
    if not skipped:
        return said("scan.no_files", root=shown(root), extensions=extensions)
    groups: dict[tuple[str, str], list[SkippedFile]] = {}
    for item in skipped:
        kind = next(((one, many) for prefix, one, many in _KINDS if item.reason.startswith(prefix)),
                    ("file with another problem", "files with other problems"))
        groups.setdefault(kind, []).append(item)
    parts = []
    for (one, many), items in sorted(groups.items(), key=lambda group: -len(group[1])):
        first = items[0]
        if one == "file of another type":
            example = ", ".join(sorted({_detail(item.reason) for item in items})[:4])
        elif one == "file that is not a picture":
            example = f"e.g. '{shown(first.path.name)}' is {_detail(first.reason)}"
        else:
            example = f"e.g. '{shown(first.path.name)}'"
        parts.append(f"{plural(len(items), one, many)} ({example})")
    more = f"; and {plural(len(parts) - 4, 'other kind')}" if len(parts) > 4 else ""
    return said("scan.no_usable_images", root=shown(root), n_skipped=len(skipped), kinds="; ".join(parts[:4]) + more,
                extensions=extensions)


def check_trainable(spec: DatasetSpec, min_per_class: int = 2) -> None:
    """Raise a plain-English error if ``spec`` cannot be trained on."""
    if len(spec.class_names) < 2:
        raise TooFewClassesError.of("scan.found_only_classifier_needs", n_class_names=len(spec.class_names),
                                    root=shown(spec.root))
    left_out = Counter(path.relative_to(spec.root).parts[0] for path in spec.excluded
                       if path.is_relative_to(spec.root))  # excluded images per class folder
    short = [name for name, count in spec.counts.items() if count < min_per_class]
    if short:
        small = [f"'{shown(name)}' ({spec.counts[name]}" + (f"; {left_out[name]} excluded)" if left_out[name] else ")")
                 for name in short]
        raise TooFewImagesError.of("scan.too_few_images_excluded" if any(left_out[name] for name in short) else
                                   "scan.every_class_needs_least", min_per_class=min_per_class, small=name_list(small))


def stratified_split(spec: DatasetSpec, val_fraction: float, seed: int) -> tuple[DatasetSpec, DatasetSpec]:
    """Seeded per-class split; every class keeps at least one image on each side."""
    if not 0.0 < val_fraction < 1.0:
        raise DatasetError.of("groups.validation_split_must_between", val_fraction=val_fraction)
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


def split_warning(train: DatasetSpec, val: DatasetSpec) -> Said | None:
    """A plain warning when a split holds out more images than it trains on (``--val-split 0.999``
    trains on one image per class), else None. Not an error: a user may mean it (a quick check of a
    held-out set); the usual split is 0.1 to 0.3."""
    if len(val) <= len(train):
        return None
    return said("scan.split_warning", n_train=len(train), n_val=len(val))


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
        with open_image(source) as (image, stream):  # refuses FIFOs, devices and oversized images first
            image.draft("RGB", (size, size))  # JPEG: let libjpeg decode at reduced scale, much faster
            with decoding_slot(image):
                image.load()
                if image.format == "PNG":
                    check_png_rows(stream, image)  # Pillow decodes a PNG that ends rows early as black rows
                return _resized_rgb(image, size)
    with image:
        return _resized_rgb(image, size)


def _resized_rgb(image: Image.Image, size: int) -> np.ndarray:
    image = ImageOps.exif_transpose(image)
    image = _to_rgb(image)
    if image.size != (size, size):
        image = image.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=3.0)
    return np.asarray(image, dtype=np.uint8)


def decode_error_reason(error: BaseException) -> str:
    """The skipped-list text for a file that failed to decode (or to open, in ``predict``)."""
    if isinstance(error, UnusableFileError):
        return error.reason
    for kind, reason in ((FileNotFoundError, "file not found"), (PermissionError, "unreadable (permission denied)"),
                         (IsADirectoryError, "a folder, not an image file"),
                         (MemoryError, "too large to decode (out of memory)"),
                         (UnidentifiedImageError, "not an image (not in any known image format)")):
        if isinstance(error, kind):
            return reason
    text = shown(str(error))
    if "truncated" in text.lower() or isinstance(error, EOFError):
        return "truncated or corrupt image data"
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
                sink(Progress.of("decode", done, total, "scan.reading_images", done=done, total=total))
    return images, failures
