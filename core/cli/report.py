"""The ``report`` command: its arguments and its handler."""
from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from core.jobs import report as reporting


def add_parser(commands: Any) -> None:
    report = commands.add_parser("report", help="write a self-contained HTML lab report of a model (methods, "
                                                "dataset, curves, metrics, confusion matrix, hardest images)")
    report.add_argument("source", metavar="BUNDLE|RUN_ID", help="a bundle folder, or the id of a recorded run")
    report.add_argument("--out", required=True, metavar="report.html",
                        help="the HTML file to write (only a new file or an earlier report is replaced)")
    report.add_argument("--summary", default=None, metavar="COUNTS.csv",
                        help="add 'Results on new images' from a file written by 'predict FOLDER --summary'")
    report.add_argument("--json", action="store_true", help='one object: {"report": path}')


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    """Write the report (no TensorFlow: about a second) and say where."""
    path = reporting.write_report(args.source, args.out, summary=args.summary)
    out.write(json.dumps({"report": str(path)}) + "\n" if args.json else f"wrote {path}\n")
    return 0
