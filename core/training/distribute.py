"""Training beyond one device: which tf.distribute strategy, the cluster from ``TF_CONFIG``, the chief,
and the per-worker shard of the training images.

``none`` (the default, and the window's only mode) trains in this process as always. ``mirrored``
is ``tf.distribute.MirroredStrategy`` over every local GPU. ``multiworker`` is
``tf.distribute.MultiWorkerMirroredStrategy`` configured by the standard ``TF_CONFIG`` variable, so
any launcher (Slurm, a Kubernetes Indexed Job, a shell loop) can start it.

Why an explicit shard of the file list rather than tf.data's auto-shard: auto-shard by FILE needs
one input file per shard (our pipeline reads one decoded array, not files), and by DATA every worker
would decode every image and throw most of them away. So each worker decodes only files
``i, i + W, i + 2W, ...`` of the (identical, seeded) training split into its own image cache, and
feeds its replicas from those rows; auto-sharding is off. Every worker runs the same number of steps
per epoch (collectives must match), computed from the whole training set: a worker's epoch order
wraps around its shard to fill the last batch. ``--batch-size`` is the global batch.

Validation runs on every worker over the whole validation split with the same synchronised weights,
so every worker sees the same ``val_loss``: early stopping and the best epoch agree without extra
communication (a worker that stopped alone would leave the others waiting in a collective).

Keras 3 with the TensorFlow backend: everything that creates variables (the model, the optimizer
at ``compile``, the metrics) must be created inside ``strategy.scope()``; core/jobs/distribute.py
runs the whole of ``core.jobs.train.run_training`` inside it, and ``fit`` then distributes the steps.

This module imports TensorFlow only inside functions: the command line checks ``TF_CONFIG``
before TensorFlow loads, so a typo costs a second.
"""
from __future__ import annotations

import json
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import numpy as np

from core.errors import DistributeError

KINDS = ("none", "mirrored", "multiworker")
LOGICAL_CPUS_ENV = "FTS_LOGICAL_CPUS"  # tests only: "2" runs `mirrored` over two logical CPU devices
TF_CONFIG_EXAMPLE = ('TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
                     '"task": {"type": "worker", "index": 0}}\'')


@dataclass(frozen=True)
class Cluster:
    """The workers of a multi-worker run, in TF's order (a ``chief`` job first), and this one's place."""

    workers: tuple[str, ...]  # host:port of every worker
    index: int  # this worker's position in ``workers``; 0 is the chief

    @property
    def is_chief(self) -> bool:
        return self.index == 0

    @property
    def peers(self) -> tuple[str, ...]:
        return tuple(address for i, address in enumerate(self.workers) if i != self.index)

    def name(self, index: int | None = None) -> str:
        index = self.index if index is None else index
        return f"worker {index} ({self.workers[index]})"


def parse_tf_config(environ: Mapping[str, str] | None = None) -> Cluster:
    """The cluster described by ``TF_CONFIG``; a :class:`DistributeError` naming what is wrong."""
    raw = (os.environ if environ is None else environ).get("TF_CONFIG", "").strip()
    if not raw:
        raise DistributeError.of("distribute.distribute_multiworker_needs_tf", TF_CONFIG_EXAMPLE=TF_CONFIG_EXAMPLE)
    try:
        config = json.loads(raw)
    except ValueError as error:
        raise DistributeError.of("distribute.tf_config_not_valid", error=error, TF_CONFIG_EXAMPLE=TF_CONFIG_EXAMPLE) from None
    cluster = config.get("cluster") if isinstance(config, dict) else None
    task = config.get("task") if isinstance(config, dict) else None
    if not isinstance(cluster, dict) or not isinstance(task, dict):
        raise DistributeError.of("distribute.tf_config_needs_cluster", TF_CONFIG_EXAMPLE=TF_CONFIG_EXAMPLE)
    unknown = sorted(set(cluster) - {"chief", "worker"})
    if unknown:
        raise DistributeError.of("distribute.tf_config_s_cluster", unknown=', '.join(unknown))
    chief, workers = cluster.get("chief", []), cluster.get("worker", [])
    if not isinstance(chief, list) or not isinstance(workers, list) or len(chief) > 1:
        raise DistributeError.of("distribute.tf_config_s_cluster_2")
    addresses = [*chief, *workers]
    for address in addresses:
        host, _, port = str(address).rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise DistributeError.of("distribute.tf_config_lists_which", address=address)
    if not addresses:
        raise DistributeError.of("distribute.tf_config_s_cluster_3")
    kind, index = task.get("type"), task.get("index", 0)
    offset = {"chief": 0, "worker": len(chief)}.get(kind)
    jobs = {"chief": chief, "worker": workers}.get(kind, [])
    if offset is None or not isinstance(index, int) or not 0 <= index < len(jobs):
        raise DistributeError.of("distribute.tf_config_s_task", task=json.dumps(task), n_workers=len(workers) - 1)
    return Cluster(tuple(str(a) for a in addresses), offset + index)


def check_request(kind: str, method: str, batch_size: int, early_stopping: int, weights: str | None,
                  environ: Mapping[str, str] | None = None) -> Cluster | None:
    """Everything about ``--distribute`` that can be refused before TensorFlow loads; the cluster
    for ``multiworker``."""
    if kind not in KINDS:
        raise DistributeError.of("distribute.distribute_must_one_got", KINDS=', '.join(KINDS), kind=kind)
    if kind == "none":
        return None
    if method != "finetune":
        raise DistributeError.of("distribute.method_fits_classifier_features", method=method, kind=kind)
    if kind == "mirrored":
        return None
    cluster = parse_tf_config(environ)
    if batch_size % len(cluster.workers):
        raise DistributeError.of("distribute.batch_size_global_batch_2", batch_size=batch_size,
                                 n_workers=len(cluster.workers))
    if early_stopping and str(weights).lower() == "none":
        raise DistributeError.of("distribute.early_stopping_weights_none")
    return cluster


def _logical_cpus(count: int) -> list[str]:
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * count)
    return [device.name for device in tf.config.list_logical_devices("CPU")]


def make_strategy(kind: str, cluster: Cluster | None = None) -> Any:
    """The tf.distribute strategy for ``kind`` (never for "none"); a :class:`DistributeError` when
    ``mirrored`` finds no GPU. Installs the Keras fixes below first."""
    from core.training.model import keras  # noqa: F401  (quiet TensorFlow start-up first)
    import tensorflow as tf

    if kind not in ("mirrored", "multiworker"):
        raise ValueError(f"no strategy for --distribute {kind}")
    logical = int(os.environ.get(LOGICAL_CPUS_ENV, "0") or 0) if kind == "mirrored" else 0
    if kind == "mirrored" and logical < 2 and not tf.config.list_physical_devices("GPU"):
        raise DistributeError.of("distribute.distribute_mirrored_trains_machine")
    keras_fixes()
    if kind == "multiworker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.MirroredStrategy(_logical_cpus(logical) if logical > 1 else None)


_FIXED = False


def keras_fixes() -> None:
    """Two fixes to Keras 3's TensorFlow trainer without which ``fit`` fails under tf.distribute
    (tensorflow/tensorflow#72388; the only documented workaround was Keras 2). Both are small
    replacements of module-level functions, applied only when a strategy is made:

    * ``_maybe_symbolic_build`` passes the whole ``(x, y)`` batch, a tuple of per-replica values, to
      ``strategy.reduce``, which takes one tensor ("Attempt to convert a value (PerReplica...)").
      It only needs the shapes of a batch, so the first replica's values serve.
    * ``reduce_per_replica`` reduces the step's scalar metrics across workers with ``axis=0``
      ("Invalid reduction dimension 0 for input with 0 dimensions"). A mean over the workers,
      element-wise (``axis=None``), is what it means; every worker then logs the same numbers.
    """
    global _FIXED
    if _FIXED:
        return
    import tensorflow as tf
    from keras.src import tree
    from keras.src.backend.tensorflow import trainer as tf_trainer

    original_reduce = tf_trainer.reduce_per_replica

    def reduce_per_replica(values: Any, strategy: Any, reduction: str) -> Any:
        if reduction in ("auto", "mean") and tf_trainer._collective_all_reduce_multi_worker(strategy):
            return tree.map_structure(lambda value: strategy.reduce("MEAN", value, axis=None), values)
        return original_reduce(values, strategy, reduction)

    def maybe_symbolic_build(self: Any, iterator: Any = None, data_batch: Any = None) -> None:
        if self._distribute_strategy is None:
            return
        strategy = self.distribute_strategy
        if iterator is not None:
            for _, _, batches in iterator:
                data_batch = tree.map_structure(
                    lambda value: strategy.experimental_local_results(value)[0]
                    if isinstance(value, tf.distribute.DistributedValues) else value, next(batches))
                break
        with strategy.scope():
            self._symbolic_build(data_batch=data_batch)

    tf_trainer.reduce_per_replica = reduce_per_replica
    tf_trainer.TensorFlowTrainer._maybe_symbolic_build = maybe_symbolic_build
    _FIXED = True


@dataclass(frozen=True)
class ShardPlan:
    """How this worker feeds its replicas: its shard, the global batch, the steps every worker runs."""

    strategy: Any
    cluster: Cluster
    global_batch: int
    total_train: int  # training images over all workers (as scanned), which fixes the steps per epoch

    @property
    def replicas(self) -> int:
        return int(self.strategy.num_replicas_in_sync)

    @property
    def replica_batch(self) -> int:
        return self.global_batch // self.replicas

    @property
    def worker_batch(self) -> int:
        return self.global_batch // len(self.cluster.workers)

    def steps_per_epoch(self) -> int:
        return max(1, math.ceil(self.total_train / self.global_batch))

    def index_stream(self, count: int, seed: int, epochs: tuple[int, int]) -> np.ndarray:
        """Row indices of this worker's shard for ``epochs``, each epoch its own seeded order,
        wrapped around to exactly ``steps_per_epoch * worker_batch`` rows."""
        from core.training.pipeline import epoch_order

        rows = self.steps_per_epoch() * self.worker_batch
        return np.concatenate([np.resize(epoch_order(seed, epoch, count), rows) for epoch in range(*epochs)])


_PLAN: ShardPlan | None = None


@contextmanager
def sharding(plan: ShardPlan) -> Iterator[ShardPlan]:
    """Make the trainer feed ``plan``'s shard (see :func:`steps_per_epoch`, :func:`training_dataset`)."""
    global _PLAN
    previous, _PLAN = _PLAN, plan
    try:
        yield plan
    finally:
        _PLAN = previous


def steps_per_epoch(count: int, batch_size: int) -> int:
    """Training steps per epoch: the whole dataset's under a multi-worker plan, else this one's."""
    from core.training.pipeline import batches_per_epoch

    return _PLAN.steps_per_epoch() if _PLAN is not None else batches_per_epoch(count, batch_size)


def validates_locally() -> bool:
    """Whether validation must run outside ``fit`` (on every worker, over the whole split)."""
    return _PLAN is not None


def training_dataset(images: Any, labels: np.ndarray, batch_size: int, seed: int, augment: Any,
                     epochs: tuple[int, int]) -> Any:
    """The training batches of ``epochs``: :func:`core.training.pipeline.make_dataset` in one
    process, this worker's shard as a distributed dataset under a multi-worker plan."""
    from core.training.pipeline import indexed_dataset, make_dataset

    plan = _PLAN
    if plan is None:
        return make_dataset(images, labels, batch_size, shuffle=True, seed=seed, augment=augment, epochs=epochs)
    stream = plan.index_stream(len(images), seed, epochs)

    def worker_dataset(context: Any) -> Any:
        return indexed_dataset(images, labels, stream, plan.replica_batch, seed, augment).repeat()

    return plan.strategy.distribute_datasets_from_function(worker_dataset)
