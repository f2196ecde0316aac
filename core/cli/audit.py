"""The ``audit`` command ("Check my data" in the window): its arguments and its handler."""
from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from core.cli._shared import add_runtime_option
from core.jobs import audit as auditing
from core.backbones import BACKBONES, DEFAULT_BACKBONE
from core.wording import plural


def add_parser(commands: Any) -> None:
    audit = commands.add_parser("audit", help="check a data folder: duplicates (and train/validation leaks), "
                                              "likely wrong labels, outliers")
    audit.add_argument("data_dir", help="one subfolder per class")
    audit.add_argument("--val-dir", default=None, help="the validation folder (same classes): leaks are checked")
    audit.add_argument("--backbone", default=DEFAULT_BACKBONE, choices=sorted(BACKBONES))
    audit.add_argument("--weights", default="imagenet", help="imagenet, none or a weights file")
    audit.add_argument("--image-size", type=int, default=None, help="input size (default: the backbone's)")
    audit.add_argument("--clear-exclusions", action="store_true",
                       help="include every image excluded from training (in the window) again, then stop")
    audit.add_argument("--json", action="store_true", help='one object: {"duplicates", "suspected_mislabeled", '
                                                           '"outliers", "skipped"}')
    add_runtime_option(audit)


def run(args: argparse.Namespace, out: TextIO, progress: Any) -> int:
    auditing.check_audit_settings(args.backbone, args.image_size)  # the one table of ranges, as train
    auditing.check_audit_folders(args.data_dir, args.val_dir)
    if args.clear_exclusions:
        count = sum(auditing.clear_exclusions(folder) for folder in (args.data_dir, args.val_dir) if folder)
        out.write(json.dumps({"included_again": count}) + "\n" if args.json else
                  f"{plural(count, 'excluded image')} included again\n")
        return 0
    report = auditing.run_audit(args.data_dir, args.val_dir, args.backbone, args.weights, args.image_size,
                                  progress)
    if args.json:
        out.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        return 0
    out.write(summary(report))
    return 0


def summary(report: Any) -> str:
    """The plain-text report: counts first, then each finding on its own lines."""
    lines = [f"checked {plural(report.images, 'image')} in {len(report.class_names)} classes"
             + (f" ({report.excluded} excluded)" if report.excluded else "")]
    lines.append(f"{plural(len(report.duplicates), 'group')} of duplicates, "
                 f"{plural(len(report.suspected_mislabeled), 'suspected wrong label')}, "
                 f"{plural(len(report.outliers), 'outlier')}, {len(report.skipped)} skipped")
    names = {"train-val": "in training AND validation (inflates validation accuracy)",
             "cross-class": "under different classes (conflicting labels)", "same-class": "within one class"}
    for group in report.duplicates:
        lines.append(f"duplicate ({group['kind']}) {names[group['scope']]}:")
        lines += [f"  {path}" for path in group["paths"]]
    for item in report.suspected_mislabeled:
        lines.append(f"suspected wrong label (score {item['score']:.2f}): {item['path']}\n"
                     f"  labelled '{item['given']}', looks like '{item['suggested']}'")
    for item in report.outliers:
        lines.append(f"outlier (score {item['score']:.2f}, far from every class): {item['path']}")
    for item in report.skipped:
        lines.append(f"skipped {item['path']}: {item['reason']}")
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines) + "\n"
