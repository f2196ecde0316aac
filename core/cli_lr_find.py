"""The ``lr-find`` subcommand: its arguments and its handler, beside core/cli.py (kept short).

Everything the user can get wrong (settings, steps, a missing folder) is refused before TensorFlow
is imported, as ``train`` does."""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from core import jobs_lr_find
from core.cli_runs import absolute, parse_freeze
from core.backbones import BACKBONES, DEFAULT_BACKBONE
from core.errors import FolderNotFoundError
from core.limits import check_train_settings
from core.training.lr_find import DEFAULT_SUGGESTION, MAX_STEPS, MIN_STEPS, STEPS, SUGGESTIONS, check_sweep

TABLE_ROWS = 12  # the plain output's table: about one row per half decade of the sweep


def add_parser(commands: Any) -> None:
    finder = commands.add_parser("lr-find", help="sweep the learning rate over a short run and suggest one "
                                                 "(on cached features: seconds)")
    finder.add_argument("data_dir", help="one subfolder per class, as for 'train'")
    finder.add_argument("--backbone", default=DEFAULT_BACKBONE, choices=sorted(BACKBONES))
    finder.add_argument("--weights", default="imagenet", help="imagenet, none (from scratch) or a weights file")
    finder.add_argument("--freeze", default=None,
                        help="layers frozen from the input side (default: the whole backbone, i.e. the rate of "
                             "the new head, which --lr sets)")
    finder.add_argument("--image-size", type=int, default=None)
    finder.add_argument("--batch-size", type=int, default=32)
    finder.add_argument("--val-split", type=float, default=0.2, help="held out as in 'train' (same split)")
    finder.add_argument("--seed", type=int, default=42)
    finder.add_argument("--steps", type=int, default=STEPS, help=f"rates tried, {MIN_STEPS}-{MAX_STEPS} "
                                                                 f"(default {STEPS})")
    finder.add_argument("--suggest", default=DEFAULT_SUGGESTION, choices=SUGGESTIONS,
                        help="valley (default: the middle of the longest descent) or steepest (fastest fall)")
    finder.add_argument("--no-cache", action="store_true", help="run the frozen layers on every step")
    finder.add_argument("--json", action="store_true",
                        help='one object: {"suggested_lr", "method", "points": [[lr, loss], ...], ...}')


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    """Check everything, sweep, print the suggestion and a short table (or the JSON object)."""
    settings = dict(batch_size=args.batch_size, image_size=args.image_size, val_split=args.val_split, seed=args.seed)
    check_train_settings(SimpleNamespace(**settings))
    check_sweep(args.steps, args.suggest)
    if not Path(args.data_dir).is_dir():
        raise FolderNotFoundError(f"The folder '{args.data_dir}' does not exist.")
    from core.training.trainer import TrainConfig

    config = TrainConfig(data_dir=absolute(args.data_dir), backbone=args.backbone, weights=args.weights,
                         freeze=parse_freeze(args.freeze),
                         use_cache=not args.no_cache, **settings)
    result = jobs_lr_find.run_lr_find(config, progress, steps=args.steps, method=args.suggest)
    if args.json:
        out.write(json.dumps(result.to_json()) + "\n")
        return 0
    out.write(f"suggested learning rate: {result.suggested_lr:.2g} ({result.method}; --lr "
              f"{result.suggested_lr:.2g})\ntrained {result.trained}; {len(result.points)} of {args.steps} steps"
              f"{' (stopped early: the loss exploded)' if result.stopped_early else ''}\n\n")
    out.write(f"{'learning rate':>14s}  {'loss':>8s}\n")
    rows = result.points[::max(1, len(result.points) // TABLE_ROWS)]
    nearest = min(range(len(rows)), key=lambda i: abs(math.log(rows[i][0] / result.suggested_lr)))
    for index, (lr, loss) in enumerate(rows):
        out.write(f"{lr:14.2g}  {loss:8.4f}{'  <- suggested' if index == nearest else ''}\n")
    return 0
