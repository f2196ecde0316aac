"""Classify whole folders: a lazy listing, a streaming classifier, and the two things a lab does with
the answers (a CSV for the spreadsheet, a copy of each image in its class folder).

Why streaming: a lab's folder of new images can hold 100,000 files; a list of paths is fine, their
pixels are not (100,000 x 224 x 224 x 3 bytes is 15 GB). Files are listed lazily, one folder at a
time, decoded by threads (Pillow releases the GIL, as in core.data.scan.decode_images) a couple of
batches ahead while the model runs on the current batch, and each prediction is handed on and
forgotten. Memory stays a few batches of pixels whatever the folder size.

Why the checks on the targets: the user's images are only ever read. A CSV or a sort folder inside
an input folder would be listed while it is written (and a sort into it would never end), so both
are refused before any work, as is overwriting a file that is not a CSV this command could have
written. Nothing here imports TensorFlow: the predictor comes in from core.jobs.
"""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from core.bundles.atomic import umask
from core.files import part_prefix, remove_dead_parts
from core.data.outputs import check_output_outside_datasets, check_output_writable
from core.data.image_files import entry_is_dir, is_inside, real_path, shown
from core.data.scan import IMAGE_EXTENSIONS, decode_error_reason, load_image
from core.errors import OutputTargetError
from core.events import EventSink, Progress, ignore_events
from core.wording import csv_cell, name_list

BATCH_SIZE = 32
PREFETCH_BATCHES = 2  # decoded ahead of the batch the model is on: enough to keep it busy, little memory
UNCERTAIN = "uncertain"
CSV_HEAD = "path,label,probability"


@dataclass
class Listing:
    """Every image under ``paths`` in a fixed order (files by name, then subfolders), listed lazily.

    A path given as a file is classified whatever its type (the user named it; a text file gets its
    reason). Inside folders only image file types count; hidden entries are skipped; links are
    followed only out of the input folders and only once, so a link loop ends and nothing is
    classified twice. ``ignored`` counts the other files and links passed over."""

    paths: Sequence[str | Path]
    ignored: int = 0
    _roots: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Path]:
        self._roots = [str(folder) for folder in input_folders(self.paths)]
        seen_dirs: set[str] = set(self._roots)
        seen_files: set[str] = set()
        for given in self.paths:
            path = Path(given).expanduser()
            if not path.is_dir():
                seen_files.add(os.path.realpath(path))
                yield path
                continue
            stack = [path]
            while stack:
                folder = stack.pop()
                try:
                    entries = sorted(os.scandir(folder), key=lambda e: e.name)
                except OSError:
                    self.ignored += 1
                    continue
                subfolders = []
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    child = folder / entry.name
                    is_dir = entry_is_dir(entry)
                    if entry.is_symlink() and not self._follow(child, is_dir, seen_dirs, seen_files):
                        self.ignored += 1
                        continue
                    if is_dir:
                        seen_dirs.add(os.path.realpath(child))
                        subfolders.append(child)
                    elif Path(entry.name).suffix.lower() in IMAGE_EXTENSIONS:
                        seen_files.add(os.path.realpath(child))
                        yield child
                    else:
                        self.ignored += 1
                stack.extend(reversed(subfolders))

    def _follow(self, link: Path, is_dir: bool, seen_dirs: set[str], seen_files: set[str]) -> bool:
        """Whether a link leads out of every input folder to something not listed yet."""
        try:
            target = real_path(link)
        except OSError:
            return False  # broken, or a loop of links
        if any(is_inside(target, root) or (is_dir and is_inside(root, target)) for root in self._roots):
            return False
        return target not in (seen_dirs if is_dir else seen_files)


def classify_stream(predictor: Any, paths: Iterable[Path], k: int = 5, batch_size: int = BATCH_SIZE,
                    sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                    workers: int | None = None) -> Iterator[tuple[Path, Any]]:
    """Yield ``(path, ImagePrediction)`` per path, in order; an unreadable file gets its reason as
    ``error``. The path is the file itself (its name may not be text; the prediction's is shown).

    ``predictor`` is a core.bundles.predict.Predictor (``image_size``, ``predictions``). Decoding of
    the next batches overlaps the model's work on this one; stops between batches when ``cancel``
    is set."""
    from core.bundles.predict import ImagePrediction

    size = predictor.image_size
    batches = _chunks(iter(paths), batch_size)
    pool = ThreadPoolExecutor(max_workers=workers or min(8, (os.cpu_count() or 2) * 2))
    pending: deque[list[tuple[Path, Future]]] = deque()

    def submit_next() -> None:
        batch = next(batches, None)
        if batch:
            pending.append([(path, pool.submit(load_image, path, size)) for path in batch])

    done = 0
    try:
        for _ in range(1 + PREFETCH_BATCHES):
            submit_next()
        while pending and not (cancel is not None and cancel.is_set()):
            batch = pending.popleft()
            submit_next()
            pixels, decoded, results = [], [], {}
            for index, (path, future) in enumerate(batch):
                try:
                    pixels.append(future.result())
                    decoded.append(index)
                except Exception as error:  # noqa: BLE001 - a bad file is a row with its reason, never a stop
                    results[index] = ImagePrediction(shown(path), [], decode_error_reason(error))
            if pixels:
                found = predictor.predictions(np.stack(pixels), [shown(batch[i][0]) for i in decoded], k)
                results.update(zip(decoded, found))
            for index, (path, _) in enumerate(batch):
                yield path, results[index]
            done += len(batch)
            sink(Progress("classify", done, 0, f"Classified {done} images"))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterator[Path], size: int) -> Iterator[list[Path]]:
    while True:
        chunk = [item for _, item in zip(range(size), items)]
        if not chunk:
            return
        yield chunk


@dataclass
class Classified:
    """What a folder run did: counts, where the CSV went, how many copies went into which folder."""

    images: int = 0
    unreadable: int = 0
    ignored: int = 0  # files of other types and links passed over inside the folders
    cancelled: bool = False
    csv: str | None = None
    sorted: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def classify_into(predictor: Any, paths: Sequence[str | Path], k: int = 5, csv_path: str | Path | None = None,
                  sort_into: str | Path | None = None, min_confidence: float = 0.0,
                  sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                  each: Any = None, each_file: Any = None, datasets: Sequence[str | Path] = ()) -> Classified:
    """Classify every image under ``paths`` into a CSV and/or class folders, handing each prediction
    to ``each`` as it comes (and ``(path, prediction)`` to ``each_file``: the window needs the file
    itself to show, open and later sort it). The targets are checked before the first image is read,
    also against ``datasets`` (the bundle's recorded training and validation folders:
    core.data.outputs.recorded_datasets)."""
    from core.errors import EmptyFolderError

    check_targets(paths, csv_path, sort_into, datasets)
    if sort_into is not None:
        check_sort_folders(paths, sort_into, predictor.class_names)
    k = max(1, min(k, len(predictor.class_names)))
    listing, summary = Listing(paths), Classified()
    writer = CsvWriter(csv_path, k, predictor.familiarity is not None) if csv_path is not None else None
    sorter = Sorter(sort_into, predictor.class_names, min_confidence) if sort_into is not None else None
    try:
        for path, prediction in classify_stream(predictor, listing, k, sink=sink, cancel=cancel):
            summary.images += 1
            summary.unreadable += prediction.error is not None
            if writer:
                writer.write(prediction)
            if sorter:
                sorter.add(path, prediction)
            if each:
                each(prediction)
            if each_file:
                each_file(path, prediction)
        summary.ignored, summary.cancelled = listing.ignored, bool(cancel is not None and cancel.is_set())
        if not summary.images:
            raise EmptyFolderError(f"No images found in {name_list(repr(shown(p)) for p in paths)} "
                                   f"(image types: {', '.join(sorted(IMAGE_EXTENSIONS))}).")
    except BaseException:
        if writer:
            writer.discard()
        raise
    summary.csv = str(writer.commit()) if writer else None
    summary.sorted = dict(sorted(sorter.counts.items())) if sorter else {}
    return summary


# -- where the answers go -------------------------------------------------------------------------
def input_folders(paths: Sequence[str | Path]) -> list[Path]:
    return [Path(os.path.realpath(Path(p).expanduser())) for p in paths if Path(p).expanduser().is_dir()]


def check_targets(paths: Sequence[str | Path], csv_path: str | Path | None = None,
                  sort_into: str | Path | None = None, datasets: Sequence[str | Path] = ()) -> None:
    """Refuse, before any work, a target inside an input folder or one of ``datasets`` (the
    bundle's training and validation folders: a sort into them adds images to a class), a CSV path
    that holds something this command did not write, a sort folder that is a file, and a place
    that cannot be written (core.data.outputs)."""
    folders = input_folders(paths)
    for what, target in (("CSV file", csv_path), ("sort folder", sort_into)):
        if target is None:
            continue
        check_output_outside_datasets(target, datasets)
        check_output_writable(target, folder=what == "sort folder")
        resolved = Path(os.path.realpath(Path(target).expanduser()))
        for folder in folders:
            if resolved.is_relative_to(folder):
                raise OutputTargetError(f"The {what} '{shown(target)}' is inside the input folder '{shown(folder)}', "
                                        "which is only ever read; choose a place outside it.")
    if csv_path is not None:
        _check_csv_target(Path(csv_path).expanduser())
    if sort_into is not None:
        target = Path(sort_into).expanduser()
        if target.exists() and not target.is_dir():
            raise OutputTargetError(f"The sort folder '{shown(sort_into)}' exists and is not a folder.")


def check_sort_folders(paths: Sequence[str | Path], sort_into: str | Path, class_names: Sequence[str]) -> None:
    """Refuse a sort whose class folders would land inside an input folder (``--sort-into ~/x`` for
    the input ``~/x/red`` with a class 'red'): its copies would be listed and sorted again."""
    root = Path(os.path.realpath(Path(sort_into).expanduser()))
    for name in sorted({*map(folder_name, class_names), uncertain_name(class_names)}):
        if os.path.islink(root / name):
            raise OutputTargetError(_link_refusal(root / name))
        for folder in input_folders(paths):
            if folder.is_relative_to(root / name):
                raise OutputTargetError(f"Sorting into '{shown(sort_into)}' would copy images into the input "
                                        f"folder '{shown(folder)}'; choose a sort folder elsewhere.")


def _link_refusal(folder: Path) -> str:
    return (f"The class folder '{shown(folder)}' is a link; a sort never writes through a link (it could lead "
            "into a dataset and add images to a class). Remove the link or choose another sort folder.")


def _check_csv_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise OutputTargetError(f"The folder of the CSV file '{shown(path)}' does not exist.")
    if not os.path.lexists(path):
        return
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise OutputTargetError(f"'{shown(path)}' exists and is not a regular file; it will not be overwritten.")
    with open(path, "rb") as stream:
        head = stream.read(len(CSV_HEAD))
    if head != CSV_HEAD.encode():
        raise OutputTargetError(f"'{shown(path)}' exists and is not a CSV written by 'predict'; it will not be "
                                "overwritten. Choose a new file name.")


def csv_columns(k: int, calibrated: bool) -> list[str]:
    columns = ["path", "label", "probability"]
    for rank in range(2, k + 1):
        columns += [f"label_{rank}", f"probability_{rank}"]
    return columns + (["unfamiliar"] if calibrated else []) + ["error"]


class CsvWriter:
    """One row per prediction into a temporary file beside ``path``, renamed over it only when the
    whole run succeeded: a spreadsheet never sees half a file, and a failed run leaves the old one.

    The temporary's name carries the pid (``.NAME.<pid>-<random>.part``): the next writer of that
    CSV removes the ones whose process was killed. Every cell made from a name goes through
    core.wording.csv_cell: one line of valid UTF-8, and never the start of a spreadsheet formula."""

    def __init__(self, path: str | Path, k: int, calibrated: bool) -> None:
        import csv

        self.path = Path(path).expanduser()
        self.k, self.calibrated = k, calibrated
        remove_dead_parts(self.path.parent, self.path.name)
        handle, self._temp = tempfile.mkstemp(prefix=part_prefix(self.path.name), suffix=".part",
                                              dir=self.path.parent)
        self._stream = open(handle, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._stream)
        self._writer.writerow(csv_columns(k, calibrated))

    def write(self, prediction: Any) -> None:
        row: list[Any] = [csv_cell(prediction.source)]
        for rank in range(self.k):
            guess = prediction.top[rank] if rank < len(prediction.top) else None
            row += [csv_cell(guess.label), f"{guess.probability:.6f}"] if guess else ["", ""]
        if self.calibrated:
            row.append("" if prediction.unfamiliar is None else str(prediction.unfamiliar).lower())
        self._writer.writerow(row + [csv_cell(prediction.error or "")])

    def commit(self) -> Path:
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        os.chmod(self._temp, 0o666 & ~umask(self.path.parent))  # the mode a plain open() would give
        os.replace(self._temp, self.path)
        return self.path

    def discard(self) -> None:
        self._stream.close()
        try:
            os.unlink(self._temp)
        except FileNotFoundError:
            pass


def folder_name(label: str) -> str:
    """A class name as one safe folder name (ImageNet names hold '/', a class could be '..')."""
    name = "".join("_" if ch in "/\\\0" else ch for ch in label).strip()
    return name if name and not name.startswith(".") else f"_{name}"


def uncertain_name(class_names: Sequence[str]) -> str:
    """'uncertain', unless a class is called that: then '_uncertain', so the two never mix."""
    names = {folder_name(name) for name in class_names}
    return UNCERTAIN if UNCERTAIN not in names else f"_{UNCERTAIN}"


class Sorter:
    """Copies each classified image into ``root/<class>/``, or ``root/uncertain/`` when its
    probability is below ``min_confidence`` or the model finds it unlike every training image.
    Originals are only read; a name already taken by another image gets a suffix (``name (2).jpg``),
    one taken by this very image (a rerun) is counted and not copied again (see :func:`copy_unique`)."""

    def __init__(self, root: str | Path, class_names: Sequence[str], min_confidence: float = 0.0) -> None:
        self.root = Path(root).expanduser()
        self.min_confidence = min_confidence
        self.uncertain = uncertain_name(class_names)
        self.counts: dict[str, int] = {}

    def add(self, path: Path, prediction: Any) -> Path | None:
        """Copy the image at ``path``; None for an unreadable one (nothing to sort)."""
        if prediction.error or not prediction.top:
            return None
        best = prediction.top[0]
        sure = best.probability >= self.min_confidence and not prediction.unfamiliar
        folder = folder_name(best.label) if sure else self.uncertain
        copied = copy_unique(path, self.root / folder, tidy=folder not in self.counts)
        self.counts[folder] = self.counts.get(folder, 0) + 1
        return copied


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FDS = {os.open, os.link, os.rename, os.unlink} <= os.supports_dir_fd  # os.replace goes with os.rename and bool(_NOFOLLOW)


def _open_folder(folder: Path) -> int | None:
    """``folder`` made if missing and opened without following a link (a descriptor every later
    step works relative to, so a link swapped in meanwhile is never followed); None where the
    system has no such calls (then the path is checked for a link instead)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
    if os.path.islink(folder):
        raise OutputTargetError(_link_refusal(folder))
    if not _DIR_FDS:
        return None
    try:
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(folder):
            raise OutputTargetError(_link_refusal(folder)) from None
        raise


def _same_start(name: str, source_fd: int, size: int, folder_fd: int | None) -> str:
    """How the regular file ``name`` in the folder compares with the source: 'same' (identical),
    'prefix' (shorter and equal as far as it goes: a copy that a killed run cut short), else 'other'."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC, dir_fd=folder_fd)
    except OSError:
        return "other"
    with open(fd, "rb") as existing:
        status = os.fstat(existing.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > size:
            return "other"
        os.lseek(source_fd, 0, os.SEEK_SET)
        remaining = status.st_size
        while remaining:
            chunk = existing.read(min(remaining, 1 << 20))
            if not chunk or os.read(source_fd, len(chunk)) != chunk:
                return "other"
            remaining -= len(chunk)
    return "same" if status.st_size == size else "prefix"


def copy_unique(source: Path, folder: Path, tidy: bool = True) -> Path:
    """Copy ``source`` into ``folder`` under its own name, or ``name (2)``, ``(3)``... when another
    image holds it, and return where it is.

    Never half a file under a real name: the bytes go to ``.NAME.<pid>-<random>.part`` first and
    the finished copy is then linked to its name (a hard link fails when the name exists: no window
    in which two runs could overwrite each other's copies). A kill leaves only that hidden
    temporary, which the next sort into the folder removes (``tidy``). A rerun never duplicates: a
    name that already holds exactly this image is the answer (no copy is made), and a name that
    holds a shorter start of it (a copy cut short by a kill in a version before this one, or an
    empty file from an exclusive create that was killed) is completed in place. Never through a
    link: the folder is opened without following one, and everything happens relative to it."""
    folder_fd = _open_folder(folder)
    at = (lambda name: name) if folder_fd is not None else (lambda name: str(folder / name))
    try:
        if tidy:
            remove_dead_parts(folder_fd if folder_fd is not None else folder)
        with open(source, "rb") as reading:
            status = os.fstat(reading.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise OSError(errno.EINVAL, "not a regular file", str(source))
            part = f"{part_prefix(source.name)}{secrets.token_hex(4)}.part"
            handle = os.open(at(part), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600,
                             dir_fd=folder_fd)
            try:
                with open(handle, "wb") as writing:
                    shutil.copyfileobj(reading, writing, 1 << 20)
                    os.fchmod(writing.fileno(), stat.S_IMODE(status.st_mode))
                    os.utime(writing.fileno(), ns=(status.st_atime_ns, status.st_mtime_ns))
                return _claim_copy(source, part, folder, folder_fd, at, reading.fileno(), status.st_size)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(at(part), dir_fd=folder_fd)
    finally:
        if folder_fd is not None:
            os.close(folder_fd)


def _claim_copy(source: Path, part: str, folder: Path, folder_fd: int | None, at: Any, source_fd: int,
                size: int) -> Path:
    """Give the finished temporary ``part`` the first free name (see :func:`copy_unique`)."""
    stem, suffix = source.stem, source.suffix
    for number in range(1, 100_000):
        name = source.name if number == 1 else f"{stem} ({number}){suffix}"
        try:
            os.link(at(part), at(name), src_dir_fd=folder_fd, dst_dir_fd=folder_fd, follow_symlinks=False)
            return folder / name
        except FileExistsError:
            pass
        except OSError:  # no hard links here (FAT, some network drives): claim the name, then rename over it
            try:
                os.close(os.open(at(name), os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600, dir_fd=folder_fd))
            except FileExistsError:
                pass
            else:
                os.replace(at(part), at(name), src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
                return folder / name
        found = _same_start(at(name), source_fd, size, folder_fd)
        if found == "same":
            return folder / name
        if found == "prefix":
            os.replace(at(part), at(name), src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
            return folder / name
    raise OSError(errno.EEXIST, "too many files of that name", str(folder / source.name))
