"""The ``runs`` command: list, show and delete recorded training runs (``train --resume RUN_ID``
continues one: core/cli/train.py). Listing and deleting never import TensorFlow."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from core.cli._shared import accuracy_lines, groups_line
from core.jobs import runs

COLUMNS = ("id", "status", "started", "data_dir", "backbone", "method", "epochs_done", "epochs", "val_accuracy",
           "bundle")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("runs", help="list the recorded training runs; 'runs show ID', 'runs delete ID'")
    parser.add_argument("action", nargs="?", choices=("list", "show", "delete"), default="list")
    parser.add_argument("run_id", nargs="?", help="a run id, or a unique beginning of one")
    parser.add_argument("--json", action="store_true", help="a list of objects (show: the whole record)")


def run(args: argparse.Namespace, out: TextIO, progress: Any = None) -> int:
    """``runs [list]``, ``runs show ID``, ``runs delete ID`` (quick: no progress to show)."""
    if args.action != "list" and not args.run_id:
        raise ValueError(f"'runs {args.action}' needs a run id (see 'runs' for the list)")
    store = runs.open_store()
    notice = store.damaged_notice()
    if notice:  # on stderr: --json on stdout stays one parsable value
        sys.stderr.write(f"note: {notice}\n")
    if args.action == "delete":
        out.write(f"deleted run {runs.delete_run(args.run_id, store)}\n")
        return 0
    if args.action == "show":
        record = runs.get_run(args.run_id, store)
        if args.json:
            out.write(json.dumps(record.to_json(), ensure_ascii=False, default=str) + "\n")
        else:
            _show(record, out)
        return 0
    records = runs.list_runs(store)
    if args.json:
        out.write(json.dumps([r.summary() for r in records], ensure_ascii=False, default=str) + "\n")
        return 0
    for r in records:
        said, *rough = accuracy_lines(r.metrics or {"val_accuracy": r.val_accuracy}, "val_acc").splitlines()
        said += " (rough)" if rough else ""  # under 30 validation images per class; 'runs show ID' says why
        epochs = f"{r.epochs_done}/{r.epochs}" if r.epochs else "-"
        out.write(f"{r.id}  {r.status:11s} {r.started}  {r.backbone} {r.method} epochs {epochs} "
                  f"{said}  {r.data_dir or ''}\n")
    if not records:
        out.write("no runs recorded yet\n")
    return 0


def _show(record: Any, out: TextIO) -> None:
    for key in (*COLUMNS, "ended", "data_fingerprint", "error", "checkpoint"):
        out.write(f"{key:16s} {getattr(record, key)}\n")
    out.write(f"{'versions':16s} {json.dumps(record.versions)}\n")
    out.write(accuracy_lines(record.metrics or {"val_accuracy": record.val_accuracy}) + groups_line(record.metrics))
    for row in record.history:
        val = "" if row.get("val_accuracy") is None else f" val_acc {row['val_accuracy']:.3f}"
        out.write(f"  epoch {row.get('epoch')} ({row.get('phase')}) loss {row.get('loss', float('nan')):.4f}{val}\n")
