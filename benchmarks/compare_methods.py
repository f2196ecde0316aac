"""Fine-tuning vs embeddings + SVM vs embeddings + logistic regression on one dataset, side by side.

Why: the GUI suggests embeddings for small datasets; this measures whether that advice holds (and
what it saves) on a real one. All methods see the same split; images are decoded once (not timed
per method), each method's time includes its own feature extraction or training epochs and the
validation evaluation.

    .venv/bin/python benchmarks/compare_methods.py                 # the sample dataset, EfficientNet-Lite0
    .venv/bin/python benchmarks/compare_methods.py --val-split 0.9 --seed 1  # 7 training images per class
    .venv/bin/python benchmarks/compare_methods.py DATA_DIR --backbone mobilenet_v2 --epochs 15 --json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", help="class folders (default: the built-in sample dataset)")
    parser.add_argument("--backbone", default="efficientnet_lite0")
    parser.add_argument("--weights", default="imagenet")
    parser.add_argument("--methods", default="svm,logreg,finetune")
    parser.add_argument("--epochs", type=int, default=10, help="fine-tuning epochs, warm-up included")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--val-split", type=float, default=0.2,
                        help="e.g. 0.9 keeps only a tenth for training: the few-shot regime")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from core.jobs.train import run_training
    from core.training.trainer import TrainConfig, prepare_data

    data_dir = args.data_dir
    if data_dir is None:
        from resources.sample_data import ensure_sample_dataset

        data_dir = str(ensure_sample_dataset())
    config = TrainConfig(data_dir=data_dir, backbone=args.backbone, weights=args.weights, epochs=args.epochs,
                         warmup_epochs=min(2, args.epochs),  # the settings check refuses a warm-up longer than the run
                         seed=args.seed, val_split=args.val_split)
    started = time.perf_counter()
    data = prepare_data(config)
    decode_s = time.perf_counter() - started
    rows = []
    for method in args.methods.split(","):
        started = time.perf_counter()
        result = run_training(replace(config, method=method), data=data)
        seconds = time.perf_counter() - started
        metrics = result.metrics
        rows.append({"method": method, "val_accuracy": metrics["val_accuracy"], "val_loss": metrics["val_loss"],
                     "macro_f1": metrics["evaluation"]["macro_avg"]["f1"], "seconds": round(seconds, 1),
                     "detail": metrics.get("classifier") or {"best_epoch": metrics["best_epoch"]}})
    info = {"data_dir": data_dir, "backbone": args.backbone, "train_images": len(data.train),
            "val_images": len(data.val), "classes": len(data.class_names), "decode_s": round(decode_s, 1),
            "cpu_cores": os.cpu_count(), "epochs_finetune": args.epochs, "results": rows}
    if args.json:
        print(json.dumps(info, indent=1))
        return 0
    print(f"{info['data_dir']}: {info['classes']} classes, {info['train_images']} train / {info['val_images']} "
          f"validation images; backbone {args.backbone}; {info['cpu_cores']} CPU cores; decoding {decode_s:.1f} s")
    print(f"{'method':10s} {'val acc':>8s} {'val loss':>9s} {'macro F1':>9s} {'time':>8s}  detail")
    for row in rows:
        print(f"{row['method']:10s} {row['val_accuracy']:8.3f} {row['val_loss']:9.4f} {row['macro_f1']:9.3f} "
              f"{row['seconds']:7.1f}s  {row['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
