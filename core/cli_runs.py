"""The ``runs`` subcommand (list, show, delete recorded runs) and ``train --resume RUN_ID``, beside
core/cli.py (kept short), and the checks ``train``, ``train --resume`` and ``lr-find`` share (the
image folders as absolute paths, ``--freeze``, ``--out``). Listing and deleting never import TensorFlow."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from core import jobs, jobs_runs
from core.backbones import BACKBONES
from core.wording import plural

BYTES_PER_PARAM = 4 * 3  # float32 weights, the optimizer's two moments, and slack for the archive
COLUMNS = ("id", "status", "started", "data_dir", "backbone", "method", "epochs_done", "epochs", "val_accuracy",
           "bundle")


def add_parser(commands: Any) -> None:
    runs = commands.add_parser("runs", help="list the recorded training runs; 'runs show ID', 'runs delete ID'")
    runs.add_argument("action", nargs="?", choices=("list", "show", "delete"), default="list")
    runs.add_argument("run_id", nargs="?", help="a run id, or a unique beginning of one")
    runs.add_argument("--json", action="store_true", help="a list of objects (show: the whole record)")


def add_train_options(train: argparse.ArgumentParser) -> None:
    """``train``'s options for runs: continue a recorded run, and TensorBoard logs."""
    train.add_argument("--resume", default=None, metavar="RUN_ID",
                       help="continue a recorded run from its last checkpoint (no DATA_DIR; --epochs N extends it)")
    train.add_argument("--tensorboard", default=None, metavar="DIR", help="also write TensorBoard event files here")
    train.set_defaults(default_of=train.get_default)  # --resume refuses the options it would ignore


# What a resumed run takes from its record, so ``train --resume`` refuses them rather than ignore them.
_RESUME_IGNORES = (("backbone", "--backbone"), ("weights", "--weights"), ("freeze", "--freeze"),
                   ("warmup_epochs", "--warmup-epochs"), ("batch_size", "--batch-size"), ("lr", "--lr"),
                   ("image_size", "--image-size"), ("val_dir", "--val-dir"), ("val_split", "--val-split"),
                   ("augment", "--augment"), ("early_stopping", "--early-stopping"), ("seed", "--seed"),
                   ("no_cache", "--no-cache"), ("method", "--method"), ("distribute", "--distribute"),
                   ("no_mixed_precision", "--no-mixed-precision"))


def absolute(folder: str | None) -> str | None:
    """An image folder as the absolute path recorded with the run, so that a resumed run, from any
    working directory, trains on the same folder (``cells/`` as typed would not)."""
    return str(Path(folder).expanduser().resolve()) if folder else folder


def parse_freeze(raw: str | None) -> int | str | None:
    """``--freeze``: a layer index (negative counts from the end) or a layer name."""
    if raw is None:
        return None
    return int(raw) if raw.lstrip("-").isdigit() else raw


def check_out(out: str, image_folders: Any, backbone: str) -> Any:
    """Refuse an ``--out`` inside an image folder (only ever read), not a bundle, or without room for
    ``backbone``'s model, before any training; the target lets the save notice that another run
    saved there meanwhile."""
    from core.bundles.bundle import BundleError, check_save_target

    target = Path(out).expanduser().resolve()
    for folder in image_folders:
        if folder and target.is_relative_to(Path(folder).expanduser().resolve()):
            raise BundleError(f"The model folder '{out}' is inside the image folder '{folder}', which is "
                              "only ever read; choose a folder outside it.")
    info = BACKBONES.get(backbone)
    return check_save_target(out, int(info.params_m * 1e6 * BYTES_PER_PARAM) if info else 0)


def run(args: argparse.Namespace, out: TextIO, progress: Any = None) -> int:
    """``runs [list]``, ``runs show ID``, ``runs delete ID`` (quick: no progress to show)."""
    if args.action != "list" and not args.run_id:
        raise ValueError(f"'runs {args.action}' needs a run id (see 'runs' for the list)")
    if args.action == "delete":
        out.write(f"deleted run {jobs_runs.delete_run(args.run_id)}\n")
        return 0
    if args.action == "show":
        record = jobs_runs.get_run(args.run_id)
        if args.json:
            out.write(json.dumps(record.to_json(), ensure_ascii=False, default=str) + "\n")
        else:
            _show(record, out)
        return 0
    records = jobs_runs.list_runs()
    if args.json:
        out.write(json.dumps([r.summary() for r in records], ensure_ascii=False, default=str) + "\n")
        return 0
    for r in records:
        accuracy = "-" if r.val_accuracy is None else f"{r.val_accuracy:.3f}"
        epochs = f"{r.epochs_done}/{r.epochs}" if r.epochs else "-"
        out.write(f"{r.id}  {r.status:11s} {r.started}  {r.backbone} {r.method} epochs {epochs} "
                  f"val_acc {accuracy}  {r.data_dir or ''}\n")
    if not records:
        out.write("no runs recorded yet\n")
    return 0


def _show(record: Any, out: TextIO) -> None:
    for key in (*COLUMNS, "ended", "data_fingerprint", "error", "checkpoint"):
        out.write(f"{key:16s} {getattr(record, key)}\n")
    out.write(f"{'versions':16s} {json.dumps(record.versions)}\n")
    for row in record.history:
        val = "" if row.get("val_accuracy") is None else f" val_acc {row['val_accuracy']:.3f}"
        out.write(f"  epoch {row.get('epoch')} ({row.get('phase')}) loss {row.get('loss', float('nan')):.4f}{val}\n")


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
    record, config, done = jobs_runs.resume_plan(args.resume, epochs)
    target = check_out(args.out, (config.data_dir, config.val_dir), config.backbone) if args.out else None
    result = jobs_runs.resume_training(record.id, epochs, sink, tensorboard=args.tensorboard,
                                       plan=(record, config, done))
    if args.out:
        path = jobs.save_training_result(result, args.out, expect=target)
    else:
        kept, reason = jobs.keep_on_disk({"": result})
        path = kept.get("") or reason
    summary = {"event": "Summary", "run_id": record.id, "bundle": str(path), "classes": list(result.class_names),
               "metrics": result.metrics, "best_epoch": result.best_epoch, "epochs": config.epochs,
               "resumed_after": done}
    if args.json:
        out.write(json.dumps(summary, default=str) + "\n")
    else:
        out.write(f"Continued run {record.id} after epoch {done} to {plural(config.epochs, 'epoch')}; model in "
                  f"{path}\nvalidation accuracy {result.metrics['val_accuracy']:.3f} (best epoch "
                  f"{result.best_epoch})\n")
    return 0
