"""The ``predict`` command: a bundle's (or a backbone's ImageNet) top-k for images, or every image
under folders, streamed: printed, as JSON, as a CSV, or copied into class folders."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from core.cli._shared import UsageError, add_runtime_option
from core.events import Event, Progress
from core.jobs import predict
from core.wording import plural


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("predict", help="classify images, or every image under folders (streaming)")
    parser.add_argument("bundle", nargs="?", help="a bundle folder written by 'train' (not with --backbone)")
    parser.add_argument("--backbone", default=None, help="use this backbone's ImageNet classifier instead")
    parser.add_argument("images", nargs="+", help="image files, or folders (searched recursively)")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--csv", default=None, metavar="OUT.csv",
                         help="one row per image: path,label,probability, the rest of the top-k, error")
    parser.add_argument("--sort-into", default=None, metavar="DIR",
                         help="copy each image into DIR/<class>/ (originals are never moved or changed)")
    parser.add_argument("--min-confidence", type=float, default=None, metavar="P",
                         help="with --sort-into: images below this probability go to DIR/uncertain/")
    parser.add_argument("--coverage", type=float, default=None, metavar="P",
                        help="prediction sets that hold the true class for a fraction P of images (default: "
                             "the bundle's 0.9); an image whose set has two or more classes is 'A or B'")
    parser.add_argument("--summary", default=None, metavar="COUNTS.csv",
                        help="with one FOLDER: per subfolder and class, the count, the proportion and the "
                             "proportion adjusted for the model's errors, with 95 %% intervals")
    parser.add_argument("--json", action="store_true")
    add_runtime_option(parser)


def run(args: argparse.Namespace, out: TextIO, progress: Any = None) -> int:
    images = list(args.images)
    if args.backbone is not None and args.bundle is not None:
        images.insert(0, args.bundle)  # with --backbone there is no bundle: argparse took the first image
    elif args.backbone is None and args.bundle is None:
        raise UsageError("give a bundle folder or --backbone ID before the images")
    if args.top < 1:
        raise UsageError(f"--top must be at least 1 (got {args.top})")
    if args.min_confidence is not None and not (args.sort_into and 0.0 <= args.min_confidence <= 1.0):
        raise UsageError("--min-confidence takes a probability from 0 to 1, and only with --sort-into "
                          f"(got {args.min_confidence:g})")
    if args.coverage is not None and not 0.0 < args.coverage < 1.0:
        raise UsageError(f"--coverage takes a fraction between 0 and 1, such as 0.9 (got {args.coverage:g})")
    if args.coverage is not None and args.backbone is not None:
        raise UsageError("--coverage needs a trained bundle: an ImageNet classifier has no prediction sets")
    if args.summary is not None and (len(images) != 1 or not Path(images[0]).expanduser().is_dir()):
        raise UsageError("--summary counts the subfolders of one folder: give exactly one FOLDER")
    from core.jobs.explain import class_names_of

    bundle = None if args.backbone is not None else args.bundle
    datasets = predict.datasets_of(bundle)  # the bundle's training and validation folders: only ever read
    names = class_names_of(args.backbone or args.bundle, args.backbone is not None) if args.sort_into else None
    predict.check_classify_targets(images, args.csv, args.sort_into, datasets, names,
                                   summary_path=args.summary)  # before the model loads
    printer = None if args.csv or args.sort_into or args.summary else PredictionPrinter(out, args.json)
    progress = ClassifyProgress(sys.stderr)

    def notes(lines: list[str]) -> None:  # on stderr: stdout stays the predictions (JSON stays JSON)
        for line in lines:
            sys.stderr.write(f"note: {line}\n")

    summary = predict.run_classification(args.backbone or args.bundle, images, args.top,
                                      imagenet_backbone=args.backbone is not None, csv_path=args.csv,
                                      sort_into=args.sort_into, min_confidence=args.min_confidence or 0.0,
                                      sink=progress, each=printer, datasets=datasets, coverage=args.coverage,
                                      summary_path=args.summary, notes=notes)
    notes(summary.notes)
    progress.close()
    if printer is not None:
        printer.close()
    elif args.json:
        out.write(json.dumps(summary.to_json(), ensure_ascii=False) + "\n")
    else:
        ignored = f"; {plural(summary.ignored, 'other file')} ignored" if summary.ignored else ""
        out.write(f"classified {plural(summary.images, 'image')}; {summary.unreadable} unreadable{ignored}\n")
        for written in (summary.csv, summary.summary):
            if written:
                out.write(f"wrote {written}\n")
        for folder, count in summary.sorted.items():
            out.write(f"  {count:6d} copied into {Path(args.sort_into) / folder}\n")
    return 0 if summary.unreadable == 0 else 1


class PredictionPrinter:
    """Each prediction as it comes (a folder's 100,000 are never held): text, or one JSON array."""

    def __init__(self, out: TextIO, as_json: bool) -> None:
        self.out, self.as_json, self.count = out, as_json, 0

    def __call__(self, prediction: Any) -> None:
        out, self.count = self.out, self.count + 1
        if self.as_json:
            out.write(("[\n" if self.count == 1 else ",\n") + json.dumps(prediction.to_json(), ensure_ascii=False))
            return
        out.write(f"{prediction.source}\n")
        if prediction.error:
            out.write(f"  could not read: {prediction.error}\n")
        if prediction.unfamiliar:
            out.write(f"  warning: unlike any training image (distance {prediction.distance:.2f}, limit "
                      f"{prediction.distance_limit:.2f}); this prediction may be meaningless\n")
        for guess in prediction.top:
            out.write(f"  {guess.probability * 100:6.2f} %  {guess.label}\n")
        if prediction.prediction_set and len(prediction.prediction_set) > 1:
            out.write(f"  answer: {' or '.join(prediction.prediction_set)} (the model cannot decide between them)\n")

    def close(self) -> None:
        if self.as_json:
            self.out.write("\n]\n" if self.count else "[]\n")


class ClassifyProgress:
    """Images classified so far and the rate, on stderr: a live line on a terminal, else a line
    every 1024 images (a log stays short)."""

    def __init__(self, stream: TextIO) -> None:
        import time

        self.stream, self.live, self.clock, self.start, self.done = stream, stream.isatty(), time.monotonic, 0.0, 0
        self.start = self.clock()

    def __call__(self, event: Event) -> None:
        if not isinstance(event, Progress):
            return
        self.done = event.done
        text = f"{event.message} ({event.done / max(self.clock() - self.start, 1e-6):.0f}/s)"
        if self.live:
            self.stream.write("\r" + text.ljust(60))
        elif event.done % 1024 == 0:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live and self.done:
            self.stream.write("\n")
