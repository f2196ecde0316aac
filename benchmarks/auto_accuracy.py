"""Auto against fixed recipes, side by side in one process, on real handwritten digits (issue 19).

Data: benchmarks/real_digits.py, 50 digits per class to train on, the other 1,297 held out. Every
recipe trains on the 500 training images only and is scored once on the held-out images (95 %
Wilson interval). Auto cross-validates on the 500 and never sees the held-out ones (they are its
``val_dir``: evaluated after the search, as after any run). Fixed recipes, as a user runs them:
fine-tuning holds out 20 % of the 500 for its best epoch (the default ``val_split``); the
embeddings recipes fit on all 500.

    .venv/bin/python benchmarks/auto_accuracy.py                    # Auto 8 min + the fixed recipes
    .venv/bin/python benchmarks/auto_accuracy.py --budget 4 --only auto --json
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def wilson(correct: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default)."""
    if total == 0:
        return 0.0, 1.0
    p = correct / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


def held_out_accuracy(result: Any, test_dir: Path) -> dict[str, Any]:
    import numpy as np

    from core.bundles.predict import Predictor
    from core.data.image_cache import cached_decode
    from core.data.scan import scan_folder

    spec = scan_folder(test_dir, expected_classes=result.class_names)
    images = cached_decode(spec.files, result.data.image_size).images
    predicted = Predictor(result.model, result.class_names).probabilities(images).argmax(axis=1)
    correct = int((predicted == np.asarray(spec.labels)).sum())
    low, high = wilson(correct, len(spec))
    return {"accuracy": correct / len(spec), "ci": [round(low, 4), round(high, 4)], "images": len(spec)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=8.0, help="Auto's budget in minutes")
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--only", choices=("all", "auto", "fixed"), default="all")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from benchmarks.real_digits import write_digits
    from core.jobs.train import run_training
    from core.auto.search import run_auto
    from core.events import CandidateFinished, LogMessage
    from core.training.trainer import TrainConfig

    root = Path(tempfile.mkdtemp(prefix="auto-bench-"))
    parts = write_digits(root, {"train": args.per_class, "test": None}, seed=0)
    rows: list[dict[str, Any]] = []

    def report(name: str, result: Any, seconds: float, metrics: dict | None = None, **extra: Any) -> None:
        """``metrics``: the run's own validation metrics when its validation folder is the held-out one."""
        if metrics is not None:
            correct = round(metrics["val_accuracy"] * metrics["val_images"])
            low, high = wilson(correct, metrics["val_images"])
            scored = {"accuracy": metrics["val_accuracy"], "ci": [round(low, 4), round(high, 4)],
                      "images": metrics["val_images"]}
        else:
            scored = held_out_accuracy(result, parts["test"])
        row = {"recipe": name, **scored, "seconds": round(seconds, 1), **extra}
        rows.append(row)
        print(json.dumps(row) if args.json else
              f"{name:<58} {row['accuracy']:.3f} ({row['ci'][0]:.3f}-{row['ci'][1]:.3f})  {seconds:6.1f} s", flush=True)

    def log(event: Any) -> None:
        if isinstance(event, CandidateFinished) and not args.json:
            acc = "-" if event.cv_accuracy is None else f"{event.cv_accuracy:.3f} ({event.cv_low:.3f}-{event.cv_high:.3f})"
            print(f"  [{event.status}] {event.name}: CV {acc} on {event.folds} folds, {event.seconds:.0f} s", flush=True)
        elif isinstance(event, LogMessage) and event.text.startswith("Auto:") and not args.json:
            print(f"  {event.text}", flush=True)

    base = TrainConfig(data_dir=str(parts["train"]), seed=42)
    if args.only in ("all", "auto"):
        started = time.perf_counter()
        found = run_auto(replace(base, val_dir=str(parts["test"])), args.budget * 60, log)
        seconds = time.perf_counter() - started
        report(f"Auto, {args.budget:g} min budget: {found.record['name']}", found.result, seconds,
               budget_s=args.budget * 60, within_budget=seconds <= args.budget * 66,
               leaderboard=[asdict(r) for r in found.leaderboard])
    if args.only in ("all", "fixed"):
        recipes = [("fine-tune, default (10 epochs, val split 0.2)", replace(base, epochs=10), False),
                   ("fine-tune, 20 epochs (val split 0.2)", replace(base, epochs=20), False),
                   ("logistic regression, default (pooled) layer", replace(base, method="logreg"), True),
                   ("logistic regression, layer 139 (block6d)", replace(base, method="logreg", freeze=139), True)]
        for name, config, all_images in recipes:
            config = replace(config, val_dir=str(parts["test"])) if all_images else config
            started = time.perf_counter()
            result = run_training(config, record=False)
            seconds = time.perf_counter() - started  # embeddings: includes the held-out images' features
            report(name, result, seconds, metrics=result.metrics if all_images else None)
    if args.json:
        print(json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
