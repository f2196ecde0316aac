"""The ``label`` command ("Label images…" in the window): the next images to label, or one copied in.

    python main.py label DATASET UNLABELLED --suggest 20 [--strategy diverse|uncertain|random] [--json]
    python main.py label DATASET --assign PATH CLASS
    python main.py label DATASET --add-class NAME
"""
from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from core.backbones import BACKBONES, DEFAULT_BACKBONE
from core.cli._shared import UsageError
from core.insight.labelling import DEFAULT_STRATEGY, STRATEGIES
from core.jobs import label as labelling
from core.stats.intervals import format_accuracy
from core.wording import plural


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("label", help="label as you go: the unlabelled images that would teach the model "
                                               "most, or copy one into a class (originals never change)")
    parser.add_argument("dataset", help="the dataset: one subfolder per class (may be almost empty)")
    parser.add_argument("unlabelled", nargs="?", default=None, help="the folder of unlabelled images (only read)")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--suggest", type=int, metavar="N", help="print the next N images to label")
    action.add_argument("--assign", nargs=2, metavar=("PATH", "CLASS"),
                        help="copy the image PATH into DATASET/CLASS/ (a name clash gets a suffix)")
    action.add_argument("--add-class", metavar="NAME", help="add an empty class folder DATASET/NAME")
    parser.add_argument("--strategy", default=DEFAULT_STRATEGY, choices=STRATEGIES,
                        help="diverse (default: the most uncertain, spread out), uncertain (smallest margin) or random")
    parser.add_argument("--target", type=float, default=90.0, help="accuracy in %% the forecast aims at (default 90)")
    parser.add_argument("--backbone", default=DEFAULT_BACKBONE, choices=sorted(BACKBONES))
    parser.add_argument("--weights", default="imagenet", help="imagenet or a weights file")
    parser.add_argument("--image-size", type=int, default=None, help="input size (default: the backbone's)")
    parser.add_argument("--json", action="store_true",
                        help='one object: {"suggestions": [{"path", "suggested", "probability", "score"}], '
                             '"counts", "estimate", "forecast", ...}')


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    if args.add_class is not None:
        labelling.check_label_folders(args.dataset)
        folder = labelling.add_label_class(args.dataset, args.add_class)
        out.write(json.dumps({"class_folder": str(folder)}) + "\n" if args.json else f"class folder {folder}\n")
        return 0
    if args.assign is not None:
        labelling.check_label_folders(args.dataset)
        copied = labelling.assign_label(args.assign[0], args.dataset, args.assign[1])
        out.write(json.dumps(copied.to_dict(), ensure_ascii=False) + "\n" if args.json else
                  f"copied {copied.source} -> {copied.target}\n")
        return 0
    if args.unlabelled is None:
        raise UsageError("--suggest needs the unlabelled folder: label DATASET UNLABELLED --suggest N")
    if args.suggest < 1:
        raise UsageError("--suggest must be at least 1")
    if not 0 < args.target < 100:
        raise UsageError("--target must lie between 0 and 100 (a percentage)")
    labelling.check_label_folders(args.dataset, args.unlabelled)
    result = labelling.suggest_labels(args.dataset, args.unlabelled, args.suggest, args.strategy, args.backbone,
                                      args.weights, args.image_size, target=args.target / 100, sink=progress)
    if args.json:  # the whole pool's predictions are the window's (Accept all above X %), not the terminal's
        data = {key: value for key, value in result.to_dict().items() if key != "predictions"}
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        out.write(summary(result.to_dict()))
    return 1 if result.skipped else 0


def progress_line(result: dict[str, Any]) -> str:
    """"42 labelled (4-6 per class) · estimated accuracy 78 % (70-85 %)"."""
    counts = list(result["counts"].values())
    line = f"{sum(counts)} labelled"
    if counts:
        line += f" ({min(counts)}-{max(counts)} per class)" if min(counts) != max(counts) else \
            f" ({counts[0]} per class)"
    estimate = result["estimate"]
    if estimate.get("accuracy") is not None:
        line += " · estimated accuracy " + format_accuracy(estimate["accuracy"], estimate["low"], estimate["high"],
                                                           1).split(" on ")[0]
    return line


def summary(result: dict[str, Any]) -> str:
    lines = [progress_line(result) + f" · {plural(result['pool'], 'unlabelled image')} left",
             result["forecast"]["text"]]
    lines += [f"note: {note}" for note in result["notes"]]
    for item in result["suggestions"]:
        guess = f"{item['suggested']} ({100 * item['probability']:.0f} %)" if item["suggested"] else "?"
        lines.append(f"{item['path']}\t{guess}\tscore {item['score']:.2f}")
    lines += [f"skipped {item['path']}: {item['reason']}" for item in result["skipped"]]
    return "\n".join(lines) + "\n"
