"""``train --distribute none|mirrored|multiworker`` and ``--no-mixed-precision``: the options and the
distributed branch of the ``train`` command, beside core/cli.py (kept short).

A multi-worker run is the same command on every worker (only ``TF_CONFIG``'s task index differs).
The chief (worker 0) prints the progress and the ``--json`` lines and alone writes the bundle at
``--out``; the other workers print two status lines on stderr and never touch ``--out``, not even
to check it (on a shared file system the chief's save must be the only writer there).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from core.training.distribute import KINDS, check_request


def add_train_options(train: argparse.ArgumentParser) -> None:
    train.add_argument("--distribute", default="none", choices=KINDS,
                       help="none (one process), mirrored (every local GPU) or multiworker (the cluster in "
                            "TF_CONFIG; --batch-size is the global batch; worker 0 writes the bundle)")
    train.add_argument("--no-mixed-precision", action="store_true",
                       help="train in float32 even on GPUs that benefit from mixed_float16")


def check(args: argparse.Namespace) -> None:
    """Refuse an impossible --distribute before TensorFlow loads; remember the cluster."""
    args.cluster = check_request(args.distribute, args.method, args.batch_size, args.early_stopping, args.weights)


def writes_bundle(args: argparse.Namespace) -> bool:
    """Whether this process writes (and so checks) ``--out``: all but a non-chief worker."""
    cluster = getattr(args, "cluster", None)
    return cluster is None or cluster.is_chief


def train(args: argparse.Namespace, config: Any, sink: Any) -> Any:
    """Run the distributed training; the TrainResult to save, or None on a non-chief worker."""
    from core.jobs_distribute import run_distributed_training

    def status(text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    from core.errors import WorkerLostError

    try:
        run = run_distributed_training(config, args.distribute, args.cluster, sink, status,
                                       tensorboard=args.tensorboard)
    except WorkerLostError as error:  # plain words and exit code 1, like the watchdog's
        status(f"error: {error}")
        raise SystemExit(1) from None
    return run.result if run.writes_bundle else None
