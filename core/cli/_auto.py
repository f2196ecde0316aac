"""``train DATA --auto [--budget MINUTES] --out M [--json]``: Auto (core/jobs/auto.py) from the
command line. Not a command of its own (the leading "_"): Auto is a way to train, so it is an
option of ``train``, with its checks first (the budget, the options Auto chooses itself, ``--out``)
and the leaderboard as it fills: a table on stderr, or one JSON line per candidate on stdout.
"""
from __future__ import annotations

import argparse
import json
import sys
from types import SimpleNamespace
from typing import Any, TextIO

from core.cli._shared import JsonProgress, TerminalProgress, UsageError, accuracy_lines, groups_line
from core.config import TrainConfig, check_budget, check_train_settings
from core.events import BatchEnded, CandidateFinished, EpochEnded, Event, PhaseStarted, english_fields

# the options whose values Auto chooses: given with --auto they would be silently overridden
CHOSEN_BY_AUTO = (("freeze", "--freeze"), ("epochs", "--epochs"),
                  ("warmup_epochs", "--warmup-epochs"), ("lr", "--lr"), ("augment", "--augment"),
                  ("method", "--method"), ("early_stopping", "--early-stopping"))
NOT_WITH_AUTO = (("resume", "--resume"), ("distribute", "--distribute"))


def check(args: argparse.Namespace) -> float:
    """The budget in seconds, or one line (exit code 2) for a bad budget or an option Auto cannot
    take, before any work."""
    budget_s = check_budget(args.budget)
    default_of = getattr(args, "default_of", None)
    if default_of is not None:
        clash = [flag for name, flag in NOT_WITH_AUTO if getattr(args, name) != default_of(name)]
        if clash:
            raise UsageError(f"--auto cannot go with {', '.join(clash)}")
        chosen = [flag for name, flag in CHOSEN_BY_AUTO if getattr(args, name) != default_of(name)]
        if chosen:
            raise UsageError(f"--auto chooses {', '.join(chosen)} itself; leave {'it' if len(chosen) == 1 else 'them'} "
                             "out (or train without --auto)")
    if not args.data_dir or not args.out:
        raise UsageError("train --auto needs DATA_DIR and --out DIR")
    return budget_s


def run(args: argparse.Namespace, out: TextIO, check_out: Any) -> int:
    """Search, save the chosen model at ``--out`` and print the leaderboard (``check_out``:
    core.cli.train.check_out, the one check of the bundle's target)."""
    from core.cli._shared import absolute

    budget_s = check(args)
    args.data_dir, args.val_dir = absolute(args.data_dir), absolute(args.val_dir)
    settings = dict(batch_size=args.batch_size, image_size=args.image_size, val_dir=args.val_dir,
                    val_split=args.val_split, group_by=args.group_by, seed=args.seed)
    check_train_settings(SimpleNamespace(**settings))
    target = check_out(args.out, (args.data_dir, args.val_dir), args.backbone)
    # --backbone given: only that one is searched (with --weights FILE, the one those weights fit)
    given = getattr(args, "default_of", None) is not None and args.backbone != args.default_of("backbone")
    backbones = [args.backbone] if given else None
    config = TrainConfig(data_dir=args.data_dir, backbone=args.backbone, weights=args.weights, use_cache=not args.no_cache,
                         mixed_precision=not args.no_mixed_precision, **settings)
    from core.jobs import auto, train as training

    sink = JsonLeaderboard(out) if args.json else TableLeaderboard(sys.stderr)
    found = auto.run_auto_training(config, budget_s, sink, backbones=backbones)
    result = found.result
    path = training.save_training_result(result, args.out, expect=target)
    record = found.record
    if args.json:
        out.write(json.dumps({"event": "Summary", "run_id": getattr(result, "run_id", None), "bundle": str(path),
                              "classes": list(result.class_names), "chosen": found.chosen.to_json(),
                              "auto": {k: v for k, v in record.items() if k != "leaderboard"},
                              "elapsed_s": round(found.elapsed_s, 2), "cancelled": found.cancelled,
                              "metrics": result.metrics}, default=str) + "\n")
        return 0
    out.write(f"Saved {path}\n")
    out.write(f"Auto chose {record['name']} in {found.elapsed_s:.0f} s of a {budget_s:.0f} s budget "
              f"(final model: {record['refit']})\n")
    out.write(accuracy_lines(result.metrics) + groups_line(result.metrics))
    out.write("Leaderboard (cross-validated on the training images only):\n")
    from core.report.leaderboard import leaderboard_lines

    out.write("".join(f"  {line}\n" for line in leaderboard_lines(record)))
    return 0


class JsonLeaderboard(JsonProgress):
    """``--json``: the usual lines plus one per CandidateFinished (sent again after each fold of a
    fine-tuning candidate: the last line of a name is its row)."""

    def __call__(self, event: Event) -> None:
        if isinstance(event, CandidateFinished):
            self.stream.write(json.dumps({"event": "CandidateFinished", **english_fields(event)}) + "\n")
            self.stream.flush()
        else:
            super().__call__(event)


class TableLeaderboard(TerminalProgress):
    """A leaderboard row on stderr as each candidate is scored; the final table goes to stdout."""

    def __call__(self, event: Event) -> None:
        if isinstance(event, CandidateFinished):
            accuracy = "-" if event.cv_accuracy is None else (
                f"{100 * event.cv_accuracy:5.1f} % ({100 * event.cv_low:.0f}-{100 * event.cv_high:.0f} %)")
            self._end(f"{event.name:<55.55} {accuracy:<22} {event.folds:>2} folds {event.seconds:6.1f} s {event.status}")
        elif not isinstance(event, (BatchEnded, EpochEnded, PhaseStarted)):  # the folds' epochs: too many lines
            super().__call__(event)
