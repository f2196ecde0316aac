"""Headless front end: ``python main.py <command>``. Renders events as a terminal progress bar or as
JSON lines; errors become one readable line and a non-zero exit code, never a traceback.

Everything a user can get wrong is checked before any work: the settings against
:mod:`core.limits` (the ranges the window's fields use too) and ``--out`` with
:func:`core.bundles.bundle.check_save_target`, so a typo costs a second, not a training run, and never
replaces a folder that is not a model bundle."""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any, NoReturn, Sequence, TextIO

from core import cli_audit, cli_distribute, cli_explain, cli_export, cli_lr_find, cli_report, cli_runs, jobs, jobs_use
from core.methods import DEFAULT_METHOD, METHODS
from core.wording import plural
from core.backbones import BACKBONES, DEFAULT_BACKBONE
from core.events import BatchEnded, EpochEnded, Event, LogMessage, PhaseStarted, Progress
from core.errors import USER_ERRORS
from core.limits import check_train_settings

EXIT_USER_ERROR = 2
DEFAULT_WARMUP_EPOCHS = 2  # capped at --epochs unless given explicitly
ERROR_LINE_LIMIT = 300
# Commands that live in a module of their own: add_parser(commands) and run(args, out, progress).
COMMAND_MODULES = {"export": cli_export, "lr-find": cli_lr_find, "report": cli_report, "explain": cli_explain,
                   "runs": cli_runs, "audit": cli_audit}
log = logging.getLogger("finetune_studio")


def one_line(text: str, limit: int = ERROR_LINE_LIMIT) -> str:
    """A message as one line for ``error: ...``. The first line is kept whole (it names the problem,
    often with a long path that must not be cut); further lines are joined after it up to ``limit``
    characters, cut between words with an ellipsis, never inside a word."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    head, rest = lines[0], re.sub(r"\s+", " ", " ".join(lines[1:]))
    if not rest or len(head) >= limit:
        return head + (" …" if rest else "")
    if len(head) + 1 + len(rest) <= limit:
        return f"{head} {rest}"
    cut = rest[:limit - len(head)]  # one character past the room: a space there, the last word fits whole
    kept = cut.rsplit(" ", 1)[0] if " " in cut else ""
    return f"{head} {kept}…" if kept else f"{head} …"


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong argument is one ``error: ...`` line like every other user error (the
    usage block is one ``--help`` away); the exit code stays argparse's 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"error: {message} (see '{self.prog} --help')\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="finetune-studio", description="Fine-tune pretrained image classifiers.")
    commands = parser.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("backbones", help="list the available backbones")
    listing.add_argument("--json", action="store_true")

    train = commands.add_parser("train", help="fine-tune a backbone on a folder with one subfolder per class")
    train.add_argument("data_dir", nargs="?", help="one subfolder per class (not with --resume)")
    train.add_argument("--backbone", default=DEFAULT_BACKBONE, choices=sorted(BACKBONES))
    train.add_argument("--weights", default="imagenet", help="imagenet, none (from scratch) or a weights file")
    train.add_argument("--freeze", default=None,
                       help="layers frozen from the input side: a count, a layer name or a stage (e.g. conv4)")
    train.add_argument("--epochs", type=int, default=None, help="default 10 (--resume: the run's own)")
    train.add_argument("--warmup-epochs", type=int, default=None,
                       help=f"head-only epochs first (default {DEFAULT_WARMUP_EPOCHS}, at most --epochs)")
    train.add_argument("--batch-size", type=int, default=32)
    train.add_argument("--lr", type=float, default=1e-3, help="head learning rate; fine-tuning uses a tenth")
    train.add_argument("--image-size", type=int, default=None)
    val = train.add_mutually_exclusive_group()
    val.add_argument("--val-dir", default=None)
    val.add_argument("--val-split", type=float, default=0.2)
    train.add_argument("--augment", action="store_true", help="random flips, rotations, zoom and contrast")
    train.add_argument("--early-stopping", type=int, default=0, metavar="PATIENCE")
    train.add_argument("--seed", type=int, default=42)
    train.add_argument("--no-cache", action="store_true", help="disable the image and feature caches")
    train.add_argument("--method", default=DEFAULT_METHOD, choices=list(METHODS),
                       help="fine-tune the network, or fit a linear SVM / logistic regression on its features "
                            "(embeddings; better under ~1000 images; --freeze then picks the feature layer)")
    train.add_argument("--out", default=None, help="bundle folder to write (required unless --resume)")
    train.add_argument("--json", action="store_true", help="one JSON object per epoch and a summary line")
    cli_distribute.add_train_options(train)

    evaluate = commands.add_parser("evaluate", help="accuracy, per-class metrics, confusion matrix and hardest "
                                                    "examples of a bundle on a labelled folder")
    evaluate.add_argument("bundle")
    evaluate.add_argument("data_dir", help="one subfolder per class, named like the model's classes")
    evaluate.add_argument("--json", action="store_true", help="the whole report as one JSON object")

    predict = commands.add_parser("predict", help="classify images, or every image under folders (streaming)")
    predict.add_argument("bundle", nargs="?", help="a bundle folder written by 'train' (not with --backbone)")
    predict.add_argument("--backbone", default=None, help="use this backbone's ImageNet classifier instead")
    predict.add_argument("images", nargs="+", help="image files, or folders (searched recursively)")
    predict.add_argument("--top", type=int, default=5)
    predict.add_argument("--csv", default=None, metavar="OUT.csv",
                         help="one row per image: path,label,probability, the rest of the top-k, error")
    predict.add_argument("--sort-into", default=None, metavar="DIR",
                         help="copy each image into DIR/<class>/ (originals are never moved or changed)")
    predict.add_argument("--min-confidence", type=float, default=None, metavar="P",
                         help="with --sort-into: images below this probability go to DIR/uncertain/")
    predict.add_argument("--json", action="store_true")
    cli_runs.add_train_options(train)
    for module in COMMAND_MODULES.values():
        module.add_parser(commands)
    return parser


class _TerminalProgress:
    """A one-line progress bar on stderr (only when it is a terminal; otherwise one line per epoch)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, event: Event) -> None:
        if isinstance(event, Progress) and self.live:
            self._line(f"{event.message}")
        elif isinstance(event, PhaseStarted):
            self._end(f"phase {event.name}: {plural(event.epochs, 'epoch')} at learning rate "
                      f"{event.learning_rate:g}")
        elif isinstance(event, BatchEnded) and self.live:
            filled = int(20 * (event.batch + 1) / max(event.batches, 1))
            self._line(f"epoch {event.epoch + 1} [{'#' * filled}{'.' * (20 - filled)}] "
                       f"{event.batch + 1}/{event.batches} loss {event.loss:.4f} acc {event.accuracy:.3f}")
        elif isinstance(event, EpochEnded):
            val = "" if event.val_loss is None else f" val_loss {event.val_loss:.4f} val_acc {event.val_accuracy:.3f}"
            self._end(f"epoch {event.epoch + 1}/{event.epochs} loss {event.loss:.4f} acc {event.accuracy:.3f}{val} "
                      f"({event.elapsed_s:.0f} s, ETA {event.eta_s:.0f} s)")
        elif isinstance(event, LogMessage):
            self._end(event.text)

    def _line(self, text: str) -> None:
        self.stream.write("\r" + text[:120].ljust(120))
        self.stream.flush()

    def _end(self, text: str) -> None:
        self.stream.write(("\r" if self.live else "") + text.ljust(120 if self.live else 0) + "\n")
        self.stream.flush()


class _JsonProgress:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: Event) -> None:
        if isinstance(event, (EpochEnded, PhaseStarted, LogMessage)):
            self.stream.write(json.dumps({"event": type(event).__name__, **asdict(event)}) + "\n")
            self.stream.flush()


def _cmd_backbones(args: argparse.Namespace, out: TextIO) -> int:
    infos = jobs.list_backbones()
    if args.json:
        out.write(json.dumps([info.to_json() for info in infos], indent=1) + "\n")
    else:
        for info in infos:
            default = " (default)" if info.id == DEFAULT_BACKBONE else ""
            out.write(f"{info.id:20s} {info.description}; weights: {info.weights}{default}\n")
    return 0


def _cmd_train(args: argparse.Namespace, out: TextIO) -> int:
    if args.resume:
        return cli_runs.resume(args, out, _JsonProgress(out) if args.json else _TerminalProgress(sys.stderr))
    if not args.data_dir or not args.out:
        _Parser(prog="finetune-studio train").error("train needs DATA_DIR and --out DIR (or --resume RUN_ID)")
    args.data_dir, args.val_dir = cli_runs.absolute(args.data_dir), cli_runs.absolute(args.val_dir)  # as recorded
    args.epochs = 10 if args.epochs is None else args.epochs
    if args.warmup_epochs is None:
        args.warmup_epochs = min(DEFAULT_WARMUP_EPOCHS, max(args.epochs, 0))
    settings = dict(epochs=args.epochs, warmup_epochs=args.warmup_epochs, batch_size=args.batch_size,
                    learning_rate=args.lr, image_size=args.image_size, val_dir=args.val_dir,
                    val_split=args.val_split, early_stopping_patience=args.early_stopping, seed=args.seed)
    check_train_settings(SimpleNamespace(**settings))  # before TensorFlow is even imported
    cli_distribute.check(args)
    target = cli_runs.check_out(args.out, (args.data_dir, args.val_dir), args.backbone) \
        if cli_distribute.writes_bundle(args) else None

    from core.training.pipeline import Augmentation
    from core.training.trainer import TrainConfig

    config = TrainConfig(
        data_dir=args.data_dir, backbone=args.backbone, weights=args.weights, freeze=cli_runs.parse_freeze(args.freeze),
        augment=Augmentation.all() if args.augment else Augmentation(), use_cache=not args.no_cache,
        method=args.method, mixed_precision=not args.no_mixed_precision, **settings)
    sink = _JsonProgress(out) if args.json else _TerminalProgress(sys.stderr)
    result = (jobs.run_training(config, sink, tensorboard=args.tensorboard) if args.distribute == "none"
              else cli_distribute.train(args, config, sink))
    if result is None:
        return 0  # a non-chief worker: the chief writes the bundle
    path = jobs.save_training_result(result, args.out, expect=target)
    summary = {"event": "Summary", "run_id": getattr(result, "run_id", None), "bundle": str(path), "classes": list(result.class_names),
               "metrics": result.metrics, "best_epoch": result.best_epoch, "freeze": asdict(result.freeze),
               "skipped": [{"path": str(s.path), "reason": s.reason} for s in result.data.skipped],
               "excluded": len(set(result.data.train.excluded) | set(result.data.val.excluded))}  # Check my data
    if args.json:
        out.write(json.dumps(summary, default=str) + "\n")
    else:
        classifier = result.metrics.get("classifier")
        how = f"C = {classifier['C']:g}" if classifier else f"best epoch {result.best_epoch}"
        out.write(f"Saved {path}\nvalidation accuracy {result.metrics['val_accuracy']:.3f} "
                  f"({args.method}, {how}); {plural(len(summary['skipped']), 'file')} skipped"
                  + (f", {summary['excluded']} excluded\n" if summary["excluded"] else "\n"))
        for item in summary["skipped"]:
            out.write(f"  skipped {item['path']}: {item['reason']}\n")
    return 0


def _cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from core.bundles.evaluate import format_report

    report = jobs.run_evaluation(args.bundle, args.data_dir, _TerminalProgress(sys.stderr))  # stdout stays clean
    out.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n" if args.json else format_report(report))
    return 0


def _cmd_predict(args: argparse.Namespace, out: TextIO) -> int:
    images = list(args.images)
    if args.backbone is not None and args.bundle is not None:
        images.insert(0, args.bundle)  # with --backbone there is no bundle: argparse took the first image
    elif args.backbone is None and args.bundle is None:
        raise _UsageError("give a bundle folder or --backbone ID before the images")
    if args.top < 1:
        raise _UsageError(f"--top must be at least 1 (got {args.top})")
    if args.min_confidence is not None and not (args.sort_into and 0.0 <= args.min_confidence <= 1.0):
        raise _UsageError("--min-confidence takes a probability from 0 to 1, and only with --sort-into "
                          f"(got {args.min_confidence:g})")
    jobs_use.check_classify_targets(images, args.csv, args.sort_into)  # before the model is loaded
    printer = None if args.csv or args.sort_into else _PredictionPrinter(out, args.json)
    progress = _ClassifyProgress(sys.stderr)
    summary = jobs_use.run_classification(args.backbone or args.bundle, images, args.top,
                                      imagenet_backbone=args.backbone is not None, csv_path=args.csv,
                                      sort_into=args.sort_into, min_confidence=args.min_confidence or 0.0,
                                      sink=progress, each=printer)
    progress.close()
    if printer is not None:
        printer.close()
    elif args.json:
        out.write(json.dumps(summary.to_json(), ensure_ascii=False) + "\n")
    else:
        ignored = f"; {plural(summary.ignored, 'other file')} ignored" if summary.ignored else ""
        out.write(f"classified {plural(summary.images, 'image')}; {summary.unreadable} unreadable{ignored}\n")
        if summary.csv:
            out.write(f"wrote {summary.csv}\n")
        for folder, count in summary.sorted.items():
            out.write(f"  {count:6d} copied into {Path(args.sort_into) / folder}\n")
    return 0 if summary.unreadable == 0 else 1


class _PredictionPrinter:
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

    def close(self) -> None:
        if self.as_json:
            self.out.write("\n]\n" if self.count else "[]\n")


class _ClassifyProgress:
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


class _UsageError(Exception):
    pass


def user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions whose message is written for the user: shown as-is, exit code 2. They all live in
    the TensorFlow-free core.errors, so recognising one never imports TensorFlow."""
    return (_UsageError, FileNotFoundError, *USER_ERRORS)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; the exit code: 0, 1 (a failure or some images unreadable), 2 (a user error)."""
    out = out or sys.stdout
    try:
        try:
            return _run(argv, out)
        finally:
            out.flush()
            sys.stdout.flush()  # argparse's help and usage
    except BrokenPipeError:
        # The reader left (``| head``). As the Python docs advise (signal module, "Note on SIGPIPE"):
        # point stdout at devnull so the interpreter's last flush cannot raise again, and end quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # no real stdout (embedded): nothing left to flush there
            pass
        return 1


def _run(argv: Sequence[str] | None, out: TextIO) -> int:
    args = _build_parser().parse_args(argv)
    handlers: dict[str, Any] = {"backbones": _cmd_backbones, "train": _cmd_train, "predict": _cmd_predict,
                                "evaluate": _cmd_evaluate}
    try:
        if args.command in COMMAND_MODULES:  # run(args, out, progress) of core/cli_<command>.py
            return COMMAND_MODULES[args.command].run(args, out, _TerminalProgress(sys.stderr))
        return handlers[args.command](args, out)
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    except BrokenPipeError:
        raise  # not an error of the command: main() ends quietly
    except Exception as error:
        from core.logs import log_file, setup_logging

        setup_logging()
        if isinstance(error, ImportError):  # a broken install: user_errors() itself would fail to import
            log.exception("%s failed", args.command)
            sys.stderr.write(f"error: a required package is missing ({one_line(str(error))}); reinstall with "
                             "'pip install -e .'\n")
            return 1
        if isinstance(error, user_errors()) or isinstance(error, ValueError):
            log.warning("%s failed: %s", args.command, error)
            sys.stderr.write(f"error: {one_line(str(error))}\n")
            return EXIT_USER_ERROR
        log.exception("%s failed", args.command)
        sys.stderr.write(f"error: {type(error).__name__}: {one_line(str(error))} (details in {log_file()})\n")
        return 1
