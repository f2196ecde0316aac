"""The ``lr-find`` command: its arguments and its handler.

Everything the user can get wrong (settings, steps, a missing folder) is refused before TensorFlow
is imported, as ``train`` does."""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from core.cli._shared import absolute, add_group_by, parse_freeze
from core.jobs import lr_find as finder
from core.backbones import BACKBONES, DEFAULT_BACKBONE
from core.errors import FolderNotFoundError
from core.config import TrainConfig, check_train_settings, default
from core.training.lr_find import DEFAULT_SUGGESTION, MAX_STEPS, MIN_STEPS, STEPS, SUGGESTIONS, check_sweep

TABLE_ROWS = 12  # the plain output's table: about one row per half decade of the sweep


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("lr-find", help="sweep the learning rate over a short run and suggest one "
                                                 "(on cached features: seconds)")
    parser.add_argument("data_dir", help="one subfolder per class, as for 'train'")
    parser.add_argument("--backbone", default=DEFAULT_BACKBONE, choices=sorted(BACKBONES))
    parser.add_argument("--weights", default=default("weights"), help="imagenet, none (from scratch) or a weights file")
    parser.add_argument("--freeze", default=None,
                        help="layers frozen from the input side (default: the whole backbone, i.e. the rate of "
                             "the new head, which --lr sets)")
    parser.add_argument("--image-size", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=default("batch_size"))
    parser.add_argument("--val-split", type=float, default=default("val_split"), help="held out as in 'train' (same split)")
    add_group_by(parser)
    parser.add_argument("--seed", type=int, default=default("seed"))
    parser.add_argument("--steps", type=int, default=STEPS, help=f"rates tried, {MIN_STEPS}-{MAX_STEPS} "
                                                                 f"(default {STEPS})")
    parser.add_argument("--suggest", default=DEFAULT_SUGGESTION, choices=SUGGESTIONS,
                        help="valley (default: the middle of the longest descent) or steepest (fastest fall)")
    parser.add_argument("--no-cache", action="store_true", help="run the frozen layers on every step")
    parser.add_argument("--json", action="store_true",
                        help='one object: {"suggested_lr", "method", "points": [[lr, loss], ...], ...}')


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    """Check everything, sweep, print the suggestion and a short table (or the JSON object)."""
    settings = dict(batch_size=args.batch_size, image_size=args.image_size, val_split=args.val_split, seed=args.seed,
                    group_by=args.group_by)  # the same split as 'train --group-by' (checked here: exit 2)
    check_train_settings(SimpleNamespace(**settings))
    check_sweep(args.steps, args.suggest)
    if not Path(args.data_dir).is_dir():
        raise FolderNotFoundError.of("lr_find.folder_does_not_exist", data_dir=args.data_dir)
    config = TrainConfig(data_dir=absolute(args.data_dir), backbone=args.backbone, weights=args.weights,
                         freeze=parse_freeze(args.freeze),
                         use_cache=not args.no_cache, **settings)
    result = finder.run_lr_find(config, progress, steps=args.steps, method=args.suggest)
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
