"""The ``evaluate`` command: a bundle on a labelled folder, as text or one JSON object."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from core.cli._shared import TerminalProgress, add_runtime_option
from core.jobs import evaluate


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("evaluate", help="accuracy, per-class metrics, confusion matrix and hardest "
                                                    "examples of a bundle on a labelled folder")
    parser.add_argument("bundle")
    parser.add_argument("data_dir", help="one subfolder per class, named like the model's classes")
    parser.add_argument("--json", action="store_true", help="the whole report as one JSON object")
    add_runtime_option(parser)


def run(args: argparse.Namespace, out: TextIO, progress: Any = None) -> int:
    from core.bundles.evaluate import format_report

    report = evaluate.run_evaluation(args.bundle, args.data_dir, TerminalProgress(sys.stderr))  # stdout stays clean
    out.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n" if args.json else format_report(report))
    return 0
