"""Is the learning-rate finder's suggestion a good rate to train with? (issue 25)

On real handwritten digits (benchmarks/real_digits.py: 50 per class to train on, the rest held out),
one sweep (core.training.lr_find.find_learning_rate, the window's Find… button) and then the
default fine-tuning recipe (EfficientNet-Lite0, default freeze point, 2 warm-up epochs of the head,
then the unfrozen layers at ``learning_rate x finetune_lr_factor``) side by side at:

- the default rate (1e-3);
- the suggested rate, used for both phases as the window's "Use this rate" did (fine-tuning at a
  tenth of it);
- the suggested rate for the head only, fine-tuning at no more than the default's fine-tuning rate
  (what "Use this rate" does now: the sweep measures the head, not the unfrozen layers).

For each: the validation loss and accuracy per epoch (the run's own 20 % split), the largest jump of
the validation loss once fine-tuning starts (the spike the issue saw: loss 3.1, 57 %), and the
held-out accuracy with its 95 % Wilson interval.

    .venv/bin/python benchmarks/lr_find_check.py [--per-class 50] [--epochs 8] [--also 0.015] [--seed 42] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--also", type=float, action="append", default=[],
                        help="another rate to train with, both ways (the issue saw 0.015 suggested)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from benchmarks.auto_accuracy import held_out_accuracy
    from benchmarks.real_digits import write_digits
    from core.jobs.train import run_training
    from core.config import TrainConfig, default
    from core.training.lr_find import find_learning_rate

    root = Path(tempfile.mkdtemp(prefix="lr-check-"))
    parts = write_digits(root, {"train": args.per_class, "test": None}, seed=0)
    base = TrainConfig(data_dir=str(parts["train"]), seed=args.seed, epochs=args.epochs, method="finetune")
    started = time.perf_counter()
    sweep = find_learning_rate(base)
    suggested = sweep.suggested_lr
    print(f"suggested rate {suggested:.3g} ({sweep.method}; sweep {time.perf_counter() - started:.0f} s)", flush=True)
    default_lr, factor = default("learning_rate"), default("finetune_lr_factor")
    recipes = [("default rate", replace(base, learning_rate=default_lr)),
               ("suggested rate, both phases", replace(base, learning_rate=suggested)),
               ("suggested rate, head only", replace(base, learning_rate=suggested,
                                                     finetune_lr_factor=min(factor, default_lr * factor / suggested)))]
    for rate in args.also:
        recipes += [(f"rate {rate:g}, both phases", replace(base, learning_rate=rate)),
                    (f"rate {rate:g}, head only", replace(base, learning_rate=rate,
                                                         finetune_lr_factor=min(factor, default_lr * factor / rate)))]
    rows = []
    for name, config in recipes:
        started = time.perf_counter()
        result = run_training(config, record=False)
        seconds = time.perf_counter() - started
        history = result.history
        head = [r for r in history if r["phase"] != "finetune"]
        tuned = [r for r in history if r["phase"] == "finetune"]
        before = head[-1]["val_loss"] if head else None
        spike = max((r["val_loss"] for r in tuned), default=None)
        row = {"recipe": name, "learning_rate": config.learning_rate,
               "finetune_rate": config.learning_rate * config.finetune_lr_factor,
               "val_loss_before_finetuning": before, "largest_val_loss_finetuning": spike,
               "lowest_val_accuracy_finetuning": min((r["val_accuracy"] for r in tuned), default=None),
               "epochs": [(r["epoch"], r["phase"], round(r["val_loss"], 3), round(r["val_accuracy"], 3))
                          for r in history],
               "held_out": held_out_accuracy(result, parts["test"]), "seconds": round(seconds, 1)}
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            held = row["held_out"]
            print(f"{name:<30} lr {row['learning_rate']:.3g} / {row['finetune_rate']:.3g}: val loss "
                  f"{before:.3f} -> max {spike:.3f} (lowest val acc {row['lowest_val_accuracy_finetuning']:.3f}); "
                  f"held-out {held['accuracy']:.3f} ({held['ci'][0]:.3f}-{held['ci'][1]:.3f}) in {seconds:.0f} s",
                  flush=True)
            print("   " + "  ".join(f"{e}:{p[:4]} {loss}/{acc}" for e, p, loss, acc in row["epochs"]), flush=True)
    if args.json:
        print(json.dumps({"suggested": suggested, "rows": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
