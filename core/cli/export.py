"""The ``export`` command: its arguments and its handler."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from core.jobs import export as exporting

FORMATS = ("savedmodel", "tflite", "tflite-int8", "onnx")  # core.bundles.export.FORMATS, without TensorFlow


def add_parser(commands: Any) -> None:
    export = commands.add_parser("export", help="write the model as SavedModel, TFLite (float or int8) or ONNX, "
                                                "checked against the app by its own runtime")
    export.add_argument("bundle", help="a bundle folder written by 'train'")
    export.add_argument("--format", required=True, choices=FORMATS)
    export.add_argument("--out", required=True, metavar="PATH",
                        help="new folder for the export (model, labels.json, export.json)")
    export.add_argument("--check-dir", default=None, metavar="DIR",
                        help="images to check the export with (default: the bundle's validation images)")
    export.add_argument("--replace", action="store_true",
                        help="replace an earlier export of another format or model in --out (refused without it)")
    export.add_argument("--json", action="store_true",
                        help='one object: {"format", "path", "agreement", "max_abs_diff", "images"}')


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    """Check --out before TensorFlow is imported (inside a dataset, unwritable, or an earlier export
    of another format or model without --replace: one line, exit 2), export, print the comparison;
    1 when the export answers differently from the app (nothing was written then)."""
    exporting.check_export_target(args.out, args.format, args.bundle, args.replace, args.check_dir)
    from core.bundles.export import ExportMismatch

    try:
        report = exporting.run_export(args.bundle, args.format, args.out, args.check_dir, progress,
                                      replace=args.replace)
    except ExportMismatch as error:
        sys.stderr.write(f"error: {error}\n")
        return 1
    for warning in report.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if args.json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        return 0
    out.write(f"wrote {report.path}\n  checked with {report.runtime} on {report.images} images "
              f"({report.check_images}): same top class on {report.agreement:.1%}, largest probability "
              f"difference {report.max_abs_diff:.2g}\n")
    if report.accuracy_drop_points is not None and args.format == "tflite-int8":
        out.write(f"  accuracy {report.accuracy_export:.1%} (app {report.accuracy_app:.1%}, "
                  f"{report.accuracy_drop_points:.1f} points lower)\n")
    return 0
