"""The ``train`` command: fine-tune a backbone on a folder (or fit an embeddings method), continue a
recorded run (``--resume RUN_ID``), or train under a tf.distribute strategy (``--distribute``).

Everything a user can get wrong is checked before any work: the settings against
:mod:`core.config` (the ranges the window's fields use too), ``--distribute``, and ``--out`` with
:func:`core.bundles.bundle.check_save_target`, so a typo costs a second, not a training run, and never
replaces a folder that is not a model bundle.

A multi-worker run is the same command on every worker (only ``TF_CONFIG``'s task index differs).
The chief (worker 0) prints the progress and the ``--json`` lines and alone writes the bundle at
``--out``; the other workers print two status lines on stderr and never touch ``--out``, not even
to check it (on a shared file system the chief's save must be the only writer there).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from core.backbones import BACKBONES, DEFAULT_BACKBONE
from core.cli._shared import (JsonProgress, Parser, TerminalProgress, absolute, accuracy_lines, add_group_by,
                              add_runtime_option, groups_line, one_line, parse_freeze)
from core.config import AUTO_BUDGET_MINUTES, Augmentation, TrainConfig, check_train_settings, default
from core.jobs import runs, save
from core.jobs import train as training
from core.methods import DEFAULT_METHOD, METHODS
from core.training.distribute import KINDS, check_request
from core.wording import plural

EXIT_UNSAVED = 1  # trained, but the disk refused the bundle: the model waits in the run's checkpoints


def add_parser(commands: Any) -> None:
    train = commands.add_parser("train", help="fine-tune a backbone on a folder with one subfolder per class")
    train.add_argument("data_dir", nargs="?", help="one subfolder per class (not with --resume)")
    train.add_argument("--backbone", default=DEFAULT_BACKBONE, choices=sorted(BACKBONES))
    train.add_argument("--weights", default=default("weights"), help="imagenet, none (from scratch) or a weights file")
    train.add_argument("--freeze", default=None,
                       help="layers frozen from the input side: a count, a layer name or a stage (e.g. conv4)")
    train.add_argument("--epochs", type=int, default=None, help=f"default {default('epochs')} (--resume: the run's own)")
    train.add_argument("--warmup-epochs", type=int, default=None,
                       help=f"head-only epochs first (default {default('warmup_epochs')}, at most --epochs)")
    train.add_argument("--batch-size", type=int, default=default("batch_size"))
    train.add_argument("--lr", type=float, default=default("learning_rate"), help="head learning rate; fine-tuning uses a tenth")
    train.add_argument("--image-size", type=int, default=None)
    val = train.add_mutually_exclusive_group()
    val.add_argument("--val-dir", default=None)
    val.add_argument("--val-split", type=float, default=default("val_split"))
    add_group_by(train)
    train.add_argument("--augment", action="store_true", help="random flips, rotations, zoom and contrast")
    train.add_argument("--early-stopping", type=int, default=default("early_stopping_patience"), metavar="PATIENCE")
    train.add_argument("--seed", type=int, default=default("seed"))
    train.add_argument("--no-cache", action="store_true", help="disable the image and feature caches")
    train.add_argument("--method", default=DEFAULT_METHOD, choices=list(METHODS),
                       help="fine-tune the network, or fit a linear SVM / logistic regression on its features "
                            "(embeddings; better under ~1000 images; --freeze then picks the feature layer)")
    train.add_argument("--out", default=None, help="bundle folder to write (required unless --resume)")
    train.add_argument("--json", action="store_true", help="one JSON object per epoch and a summary line")
    train.add_argument("--distribute", default="none", choices=KINDS,
                       help="none (one process), mirrored (every local GPU) or multiworker (the cluster in "
                            "TF_CONFIG; --batch-size is the global batch; worker 0 writes the bundle)")
    train.add_argument("--no-mixed-precision", action="store_true",
                       help="train in float32 even on GPUs that benefit from mixed_float16")
    train.add_argument("--resume", default=None, metavar="RUN_ID",
                       help="continue a recorded run from its last checkpoint (no DATA_DIR; --epochs N extends it)")
    train.add_argument("--tensorboard", default=None, metavar="DIR", help="also write TensorBoard event files here")
    train.add_argument("--auto", action="store_true",
                       help="Auto: search backbones, methods, freeze points, learning rate and augmentation by "
                            "cross-validation on the training images within --budget, then train the best")
    train.add_argument("--budget", type=float, default=None, metavar="MINUTES",
                       help=f"Auto's time budget in minutes, the final training included (default {AUTO_BUDGET_MINUTES:g})")
    train.set_defaults(default_of=train.get_default)  # --resume refuses the options it would ignore
    add_runtime_option(train)


def run(args: argparse.Namespace, out: TextIO, progress: Any = None) -> int:
    if args.auto:
        from core.cli import _auto

        args.budget = AUTO_BUDGET_MINUTES if args.budget is None else args.budget
        return _auto.run(args, out, check_out)
    if args.budget is not None:
        Parser(prog="finetune-studio train").error("--budget goes with --auto")
    if args.resume:
        return resume(args, out, JsonProgress(out) if args.json else TerminalProgress(sys.stderr))
    if not args.data_dir or not args.out:
        Parser(prog="finetune-studio train").error("train needs DATA_DIR and --out DIR (or --resume RUN_ID)")
    args.data_dir, args.val_dir = absolute(args.data_dir), absolute(args.val_dir)  # as recorded
    args.epochs = default("epochs") if args.epochs is None else args.epochs
    if args.warmup_epochs is None:
        args.warmup_epochs = min(default("warmup_epochs"), max(args.epochs, 0))  # capped at --epochs
    settings = dict(epochs=args.epochs, warmup_epochs=args.warmup_epochs, batch_size=args.batch_size,
                    learning_rate=args.lr, image_size=args.image_size, val_dir=args.val_dir,
                    val_split=args.val_split, group_by=args.group_by, early_stopping_patience=args.early_stopping,
                    seed=args.seed)
    check_train_settings(SimpleNamespace(**settings))  # before TensorFlow is even imported (a bad --group-by too)
    check_distribute(args)
    target = check_out(args.out, (args.data_dir, args.val_dir), args.backbone) \
        if writes_bundle(args) else None
    training.check_tensorboard(args.tensorboard, (args.data_dir, args.val_dir))

    config = TrainConfig(
        data_dir=args.data_dir, backbone=args.backbone, weights=args.weights, freeze=parse_freeze(args.freeze),
        augment=Augmentation.all() if args.augment else Augmentation(), use_cache=not args.no_cache,
        method=args.method, mixed_precision=not args.no_mixed_precision, **settings)
    sink = JsonProgress(out) if args.json else TerminalProgress(sys.stderr)
    result = (training.run_training(config, sink, tensorboard=args.tensorboard) if args.distribute == "none"
              else train_distributed(args, config, sink))
    if result is None:
        return 0  # a non-chief worker: the chief writes the bundle
    path = save_or_say(result, args.out, target)
    if path is None:
        return EXIT_UNSAVED
    summary = {"event": "Summary", "run_id": getattr(result, "run_id", None), "bundle": str(path), "classes": list(result.class_names),
               "metrics": result.metrics, "best_epoch": result.best_epoch, "freeze": asdict(result.freeze),
               "skipped": [{"path": str(s.path), "reason": s.reason} for s in result.data.skipped],
               "excluded": len(set(result.data.train.excluded) | set(result.data.val.excluded))}  # Check my data
    if args.json:
        out.write(json.dumps(summary, default=str) + "\n")
    else:
        classifier = result.metrics.get("classifier")
        how = f"C = {classifier['C']:g}" if classifier else f"best epoch {result.best_epoch}"
        said, *note = accuracy_lines(result.metrics).splitlines()  # with its 95 % interval; the rough note
        out.write(f"Saved {path}\n{said} ({args.method}, {how}); {plural(len(summary['skipped']), 'file')} skipped"
                  + (f", {summary['excluded']} excluded\n" if summary["excluded"] else "\n"))
        out.write("".join(line + "\n" for line in note) + groups_line(result.metrics))
        for item in summary["skipped"]:
            out.write(f"  skipped {item['path']}: {item['reason']}\n")
    return 0


# What a resumed run takes from its record, so ``train --resume`` refuses them rather than ignore them.
_RESUME_IGNORES = (("backbone", "--backbone"), ("weights", "--weights"), ("freeze", "--freeze"),
                   ("warmup_epochs", "--warmup-epochs"), ("batch_size", "--batch-size"), ("lr", "--lr"),
                   ("image_size", "--image-size"), ("val_dir", "--val-dir"), ("val_split", "--val-split"),
                   ("group_by", "--group-by"),
                   ("augment", "--augment"), ("early_stopping", "--early-stopping"), ("seed", "--seed"),
                   ("no_cache", "--no-cache"), ("method", "--method"), ("distribute", "--distribute"),
                   ("no_mixed_precision", "--no-mixed-precision"))


def save_or_say(result: Any, out_dir: str, target: Any) -> Path | None:
    """Write the bundle; None after one ``error:`` line when the disk refused it (full, read-only). That line
    (core.runs.recorder.record_unsaved) names the reason, the run's checkpoints that keep the model, and the
    ``train --resume RUN_ID --out OTHER`` that writes it without training; the run is recorded not completed.
    Exit code 1, not 2: the command was right, the work failed at its end (the disk, not the user's input)."""
    from core.bundles.bundle import BundleError

    try:
        return training.save_training_result(result, out_dir, expect=target)
    except BundleError as error:
        if not isinstance(error.__cause__, OSError):
            raise  # a target that became something else meanwhile: the user's to fix, exit code 2
        sys.stderr.write(f"error: {one_line(str(error))}\n")
        return None


def check_out(out: str, image_folders: Any, backbone: str) -> Any:
    """Refuse an ``--out`` inside an image folder (only ever read), not a bundle, or without room for
    ``backbone``'s model, before any training; the target lets the save notice that another run
    saved there meanwhile."""
    from core.bundles.bundle import BundleError, check_save_target, estimated_bundle_bytes

    target = Path(out).expanduser().resolve()
    for folder in image_folders:
        if folder and target.is_relative_to(Path(folder).expanduser().resolve()):
            raise BundleError.of("train.model_folder_inside_image", out=out, folder=folder)
    info = BACKBONES.get(backbone)  # before the model exists: its weights all counted as trained (an upper bound)
    return check_save_target(out, estimated_bundle_bytes(params=int(info.params_m * 1e6)) if info else 0)


def resume(args: argparse.Namespace, out: TextIO, sink: Any) -> int:
    """``train --resume RUN_ID [--epochs N] [--out DIR]``: everything checked before TensorFlow
    trains; the model goes to ``--out``, or stays kept in the run's folder."""
    if args.data_dir:
        raise ValueError("give either DATA_DIR or --resume RUN_ID, not both (a resumed run trains on its own data)")
    default_of = getattr(args, "default_of", None)
    given = [flag for name, flag in _RESUME_IGNORES
             if default_of is not None and hasattr(args, name) and getattr(args, name) != default_of(name)]
    if given:
        raise ValueError(f"--resume continues a run with its own settings; {', '.join(given)} cannot change them "
                         "(only --epochs, --out, --tensorboard and --json go with --resume)")
    epochs = args.epochs  # None: the run's own total
    record, config, done = runs.resume_plan(args.resume, epochs)
    target = check_out(args.out, (config.data_dir, config.val_dir), config.backbone) if args.out else None
    training.check_tensorboard(args.tensorboard, (config.data_dir, config.val_dir))
    result = runs.resume_training(record.id, epochs, sink, tensorboard=args.tensorboard,
                                       plan=(record, config, done))
    if args.out:
        path = save_or_say(result, args.out, target)
        if path is None:
            return EXIT_UNSAVED
    else:
        kept, reason = save.keep_on_disk({"": result})
        if not kept:  # the disk refused the run's folder too: said as for --out (save_or_say)
            sys.stderr.write(f"error: {one_line(reason or 'the model could not be kept')}\n")
            return EXIT_UNSAVED
        path = kept[""]
    summary = {"event": "Summary", "run_id": record.id, "bundle": str(path), "classes": list(result.class_names),
               "metrics": result.metrics, "best_epoch": result.best_epoch, "epochs": config.epochs,
               "resumed_after": done}
    if args.json:
        out.write(json.dumps(summary, default=str) + "\n")
    else:
        what = (f"Wrote the model of run {record.id} from its best checkpoint ({plural(config.epochs, 'epoch')} "
                f"trained, none again)" if runs.finishes_without_training(config, done) else
                f"Continued run {record.id} after epoch {done} to {plural(config.epochs, 'epoch')}")
        out.write(f"{what}; model in {path}\n" +
                  accuracy_lines(result.metrics).replace("\n", f" (best epoch {result.best_epoch})\n", 1))
    return 0


def check_distribute(args: argparse.Namespace) -> None:
    """Refuse an impossible --distribute before TensorFlow loads; remember the cluster."""
    args.cluster = check_request(args.distribute, args.method, args.batch_size, args.early_stopping, args.weights)


def writes_bundle(args: argparse.Namespace) -> bool:
    """Whether this process writes (and so checks) ``--out``: all but a non-chief worker."""
    cluster = getattr(args, "cluster", None)
    return cluster is None or cluster.is_chief


def train_distributed(args: argparse.Namespace, config: Any, sink: Any) -> Any:
    """Run the distributed training; the TrainResult to save, or None on a non-chief worker."""
    from core.jobs.distribute import run_distributed_training

    def status(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    from core.errors import WorkerLostError

    try:
        run = run_distributed_training(config, args.distribute, args.cluster, sink, status,
                                       tensorboard=args.tensorboard)
    except WorkerLostError as error:  # plain words and exit code 1, like the watchdog's
        status(f"error: {error}")
        raise SystemExit(1) from None
    return run.result if run.writes_bundle else None
