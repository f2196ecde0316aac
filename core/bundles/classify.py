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
written. The copies themselves (never a half file, never through a link) are
core/bundles/sorting.py's. Nothing here imports TensorFlow: the predictor comes in from core.jobs.
"""
from __future__ import annotations

import os
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
from core.bundles.sorting import UNCERTAIN, Sorter, copy_unique, folder_name, link_refusal, uncertain_name  # noqa: F401 (importable from here)

BATCH_SIZE = 32
PREFETCH_BATCHES = 2  # decoded ahead of the batch the model is on: enough to keep it busy, little memory
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


def classify_stream(predictor: Any, paths: Iterable[Path], k: int = 5, batch_size: int | None = None,
                    sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                    workers: int | None = None) -> Iterator[tuple[Path, Any]]:
    """Yield ``(path, ImagePrediction)`` per path, in order; an unreadable file gets its reason as
    ``error``. The path is the file itself (its name may not be text; the prediction's is shown).

    ``predictor`` is a core.bundles.predict.Predictor (``image_size``, ``predictions``). Decoding of
    the next batches overlaps the model's work on this one; stops between batches when ``cancel``
    is set. ``batch_size``: by default the predictor's own, which its memory check may have reduced
    (core.training.memory; a large image size at 32 images a batch once outgrew the machine's memory)."""
    from core.bundles.predict import ImagePrediction

    size = predictor.image_size
    batch_size = batch_size or getattr(predictor, "batch_size", None) or BATCH_SIZE
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
            sink(Progress.of("classify", done, 0, "classify.classified_images", done=done))
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
    summary: str | None = None  # the counts per subfolder (core/bundles/counting.py), when asked for
    notes: list[str] = field(default_factory=list)  # e.g. the model is uncalibrated: no adjusted counts

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def classify_into(predictor: Any, paths: Sequence[str | Path], k: int = 5, csv_path: str | Path | None = None,
                  sort_into: str | Path | None = None, min_confidence: float = 0.0,
                  sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                  each: Any = None, each_file: Any = None, datasets: Sequence[str | Path] = (),
                  summary_path: str | Path | None = None) -> Classified:
    """Classify every image under ``paths`` into a CSV, class folders and/or a counts summary per
    subfolder (``summary_path``: core/bundles/counting.py), handing each prediction
    to ``each`` as it comes (and ``(path, prediction)`` to ``each_file``: the window needs the file
    itself to show, open and later sort it). The targets are checked before the first image is read,
    also against ``datasets`` (the bundle's recorded training and validation folders:
    core.data.outputs.recorded_datasets)."""
    from core.errors import EmptyFolderError

    from core.bundles.counting import check_summary_target, write_summary

    check_targets(paths, csv_path, sort_into, datasets)
    if sort_into is not None:
        check_sort_folders(paths, sort_into, predictor.class_names)
    if summary_path is not None:
        check_summary_target(paths, summary_path, datasets)
    k = max(1, min(k, len(predictor.class_names)))
    listing, summary, counted = Listing(paths), Classified(), []
    writer = (CsvWriter(csv_path, k, predictor.familiarity is not None, getattr(predictor, "statistics", None) is not None)
              if csv_path is not None else None)
    sorter = Sorter(sort_into, predictor.class_names, min_confidence) if sort_into is not None else None
    try:
        for path, prediction in classify_stream(predictor, listing, k, sink=sink, cancel=cancel):
            summary.images += 1
            summary.unreadable += prediction.error is not None
            if writer:
                writer.write(prediction)
            if sorter:
                sorter.add(path, prediction)
            if summary_path is not None:
                counted.append((path, prediction))
            if each:
                each(prediction)
            if each_file:
                each_file(path, prediction)
        summary.ignored, summary.cancelled = listing.ignored, bool(cancel is not None and cancel.is_set())
        if not summary.images:
            raise EmptyFolderError.of("classify.no_images_found_image",
                                      items=name_list((repr(shown(p)) for p in paths)),
                                      IMAGE_EXTENSIONS=', '.join(sorted(IMAGE_EXTENSIONS)))
    except BaseException:
        if writer:
            writer.discard()
        raise
    summary.csv = str(writer.commit()) if writer else None
    if summary_path is not None:
        written, note = write_summary(summary_path, counted, paths, predictor.class_names,
                                      getattr(predictor, "statistics", None))
        summary.summary, summary.notes = str(written), [note] if note else []
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
                raise OutputTargetError.of("classify.inside_input_folder_which", what=what, target=shown(target),
                                           folder=shown(folder))
    if csv_path is not None:
        _check_csv_target(Path(csv_path).expanduser())
    if sort_into is not None:
        target = Path(sort_into).expanduser()
        if target.exists() and not target.is_dir():
            raise OutputTargetError.of("classify.sort_folder_exists_not", sort_into=shown(sort_into))


def check_sort_folders(paths: Sequence[str | Path], sort_into: str | Path, class_names: Sequence[str]) -> None:
    """Refuse a sort whose class folders would land inside an input folder (``--sort-into ~/x`` for
    the input ``~/x/red`` with a class 'red'): its copies would be listed and sorted again."""
    root = Path(os.path.realpath(Path(sort_into).expanduser()))
    for name in sorted({*map(folder_name, class_names), uncertain_name(class_names)}):
        if os.path.islink(root / name):
            raise OutputTargetError.of_said(link_refusal(root / name))
        for folder in input_folders(paths):
            if folder.is_relative_to(root / name):
                raise OutputTargetError.of("classify.sorting_into_would_copy", sort_into=shown(sort_into),
                                           folder=shown(folder))


def _check_csv_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise OutputTargetError.of("classify.folder_csv_file_does", path=shown(path))
    if not os.path.lexists(path):
        return
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise OutputTargetError.of("classify.exists_not_regular_file", path=shown(path))
    with open(path, "rb") as stream:
        head = stream.read(len(CSV_HEAD))
    if head != CSV_HEAD.encode():
        raise OutputTargetError.of("classify.exists_not_csv_written", path=shown(path))


def csv_columns(k: int, calibrated: bool, with_sets: bool = False) -> list[str]:
    """``calibrated``: the model has the unfamiliar-image check; ``with_sets``: it has validation
    statistics, so each row has its prediction set (``set``: the classes joined by ``|``, most
    probable first; empty when there were too few validation images for the coverage)."""
    columns = ["path", "label", "probability"]
    for rank in range(2, k + 1):
        columns += [f"label_{rank}", f"probability_{rank}"]
    return columns + (["unfamiliar"] if calibrated else []) + (["set"] if with_sets else []) + ["error"]


class CsvWriter:
    """One row per prediction into a temporary file beside ``path``, renamed over it only when the
    whole run succeeded: a spreadsheet never sees half a file, and a failed run leaves the old one.

    The temporary's name carries the pid (``.NAME.<pid>-<random>.part``): the next writer of that
    CSV removes the ones whose process was killed. Every cell made from a name goes through
    core.wording.csv_cell: one line of valid UTF-8, and never the start of a spreadsheet formula."""

    def __init__(self, path: str | Path, k: int, calibrated: bool, with_sets: bool = False) -> None:
        import csv

        self.path = Path(path).expanduser()
        self.k, self.calibrated, self.with_sets = k, calibrated, with_sets
        remove_dead_parts(self.path.parent, self.path.name)
        handle, self._temp = tempfile.mkstemp(prefix=part_prefix(self.path.name), suffix=".part",
                                              dir=self.path.parent)
        self._stream = open(handle, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._stream)
        self._writer.writerow(csv_columns(k, calibrated, with_sets))

    def write(self, prediction: Any) -> None:
        row: list[Any] = [csv_cell(prediction.source)]
        for rank in range(self.k):
            guess = prediction.top[rank] if rank < len(prediction.top) else None
            row += [csv_cell(guess.label), f"{guess.probability:.6f}"] if guess else ["", ""]
        if self.calibrated:
            row.append("" if prediction.unfamiliar is None else str(prediction.unfamiliar).lower())
        if self.with_sets:
            members = getattr(prediction, "prediction_set", None)
            row.append(csv_cell("|".join(members)) if members else "")
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
