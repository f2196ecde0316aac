"""Training under a tf.distribute strategy: the door the command line's ``--distribute mirrored |
multiworker`` goes through (core/cli/train.py). core/jobs/train.py's ``run_training``
does the work inside the strategy's scope, so a distributed run is the same run as a local one.

Multi-worker: every worker scans and splits the folder the same way (seeded), checks with the
others that they all see the same dataset, decodes only its shard of the training files, and
trains inside the strategy's scope; a watchdog ends it if a peer dies (core/training/peers.py).
Only the chief gets the events; the caller saves only on the chief.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from typing import Any, Callable

from core.jobs import train as training
from core.errors import DistributeError, WorkerLostError
from core.events import EventSink, LogMessage, ignore_events
from core.wording import first_line


@dataclass
class DistributedRun:
    result: Any  # the TrainResult (on a non-chief worker: its own copy, not to be saved)
    writes_bundle: bool  # True on the chief (and in a one-process mirrored run)


def run_distributed_training(config: Any, kind: str, cluster: Any = None, sink: EventSink = ignore_events,
                             status: Callable[[str], None] = lambda text: None,
                             cancel: threading.Event | None = None, tensorboard: str | None = None) -> DistributedRun:
    """Train ``config`` under ``kind`` ("mirrored" or "multiworker" with its ``cluster``); ``tensorboard``:
    a folder for event files (written by the chief alone)."""
    from core.training.distribute import make_strategy

    if kind == "mirrored":
        strategy = make_strategy(kind)
        devices = strategy.extended.worker_devices
        sink(LogMessage.of("distribute.mirroredstrategy_over_batch_split", n_devices=len(devices),
                           devices=', '.join(devices), batch_size=config.batch_size))
        with strategy.scope():
            return DistributedRun(training.run_training(config, sink, cancel, tensorboard=tensorboard), True)
    return _multiworker(config, cluster, sink, status, cancel, tensorboard)


def _fingerprint(train: Any, val_count: int) -> int:
    text = "|".join([*train.class_names, str(len(train)), str(val_count), *(str(p.name) for p in train.files)])
    return int.from_bytes(hashlib.sha1(text.encode("utf-8", "surrogateescape")).digest()[:3], "big")


def _same_everywhere(strategy: Any, value: int) -> bool:
    """Whether every worker computed ``value`` (a collective: all workers must call it)."""
    import tensorflow as tf

    number = tf.constant(float(value), tf.float64)  # exact for 24-bit values; reduce knows only SUM and MEAN
    mean = strategy.reduce("MEAN", number, axis=None)
    spread = strategy.reduce("MEAN", tf.square(number - mean), axis=None)
    return float(spread) == 0.0


def _multiworker(config: Any, cluster: Any, sink: EventSink, status: Callable[[str], None],
                 cancel: threading.Event | None, tensorboard: str | None = None) -> DistributedRun:
    import tensorflow as tf

    from core.training.distribute import ShardPlan, make_strategy, sharding
    from core.training.peers import Watchdog
    from core.training.trainer import prepare_data

    watchdog = Watchdog(cluster).start()  # before the strategy: a peer may die while we connect
    strategy = make_strategy("multiworker", cluster)
    replicas, workers = int(strategy.num_replicas_in_sync), len(cluster.workers)
    if config.batch_size % replicas:
        raise DistributeError.of("distribute.batch_size_global_batch", batch_size=config.batch_size,
                                 replicas=replicas, workers=workers)
    local_sink = sink if cluster.is_chief else ignore_events
    status(f"{cluster.name()} of {workers}: connected; training on its shard of the images"
           + ("" if cluster.is_chief else " (progress is shown by the chief, worker 0)"))
    whole: dict[str, Any] = {}

    def shard(train: Any) -> Any:
        whole["train"] = train
        if not _same_everywhere(strategy, _fingerprint(train, 0)):
            raise DistributeError.of("distribute.workers_see_different_images")
        return train.subset(range(cluster.index, len(train), workers))

    data = prepare_data(config, local_sink, cancel, shard=shard)
    local_sink(LogMessage.of("distribute.worker_trains_global_batch", workers=workers, replicas=replicas,
                             n_train=len(data.train), n_all=len(whole['train']), batch_size=config.batch_size))
    plan = ShardPlan(strategy, cluster, config.batch_size, len(whole["train"]))
    try:
        with strategy.scope(), sharding(plan):
            # only the chief records the run, checkpoints and logs: one writer of runs.sqlite (WAL
            # is unsupported over NFS, where a shared home would put every worker's), one run
            result = training.run_training(config, local_sink, cancel, data=data, tensorboard=tensorboard,
                                       record=cluster.is_chief)
    except (tf.errors.UnavailableError, tf.errors.DeadlineExceededError, tf.errors.CancelledError) as error:
        # TensorFlow's own health check noticed before the watchdog did: say it as plainly
        reason = first_line(RuntimeError(getattr(error, "message", "") or str(error)))
        raise WorkerLostError.of("distribute.another_worker_cluster_stopped", reason=reason) from None
    watchdog.disarm()
    full = replace(whole["train"], skipped=data.train.skipped)
    result.data = replace(result.data, train=full)  # config.json lists the whole split, not the chief's shard
    result.metrics["train_images"] = len(full)
    result.metrics["distribute"] = {"strategy": "multiworker", "workers": workers, "replicas": replicas}
    if not cluster.is_chief:
        status(f"{cluster.name()}: training done; waiting for the chief (worker 0) to write the bundle")
        watchdog.wait_for_chief()
    return DistributedRun(result, cluster.is_chief)
