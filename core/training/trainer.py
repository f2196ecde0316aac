"""Two-phase fine-tuning with progress events, cooperative cancellation and best-epoch restore.

Phase "warmup" trains the new head with the whole backbone frozen at the base learning rate (a
randomly initialised head would otherwise send large gradients into the pretrained layers); phase
"finetune" unfreezes the backbone down to the freeze point at a learning rate ``finetune_lr_factor``
times smaller. A fully frozen backbone has one phase, "head"; training from scratch one, "train".

Caching (``TrainConfig.use_cache``): images are decoded once per (files, size) through
core/data/image_cache.py, and a phase whose frozen layers are a pure function of the image trains only
the layers after the freeze point on activations computed once (core/training/feature_cache.py). Batches
come in an order fixed by (seed, epoch), so a cached run and an uncached run are the same run.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.backbones import get_backbone
from core.data.groups import group_split, parse_group_by, shared_groups, spec_groups
from core.data.scan import DatasetSpec, check_trainable, decode_images, scan_folder, split_warning, stratified_split
from core.training.batchnorm import PreciseBatchNorm, trained_batchnorm_layers
from core.events import EventSink, LogMessage, PhaseStarted, Progress, ignore_events
from core.training.familiarity import Familiarity, RowSubset, calibrate, embeddings_of
from core.training.feature_cache import CachedValidation, FeatureCache, snapshot_variables
from core.training.features import run_batched
from core.data.image_cache import cached_decode, default_memory_budget
from core.training.model import POOL_LAYER, FreezeInfo, build_model, freeze_count, freeze_to, get_backbone_layer, keras
from core.training.pipeline import make_dataset
from core.config import Augmentation, TrainConfig  # noqa: F401 (the settings' TF-free home; importable from here)
from core.training.callbacks import BestWeights, DivergenceCheck, ProgressCallback
from core.training.checkpoints import RunFiles, changeable_variables
from core.training import distribute, memory
from core.backbones.weights import resolve_weights
from core.errors import TrainingDivergedError, TrainingCancelled, WordedValueError  # noqa: F401 (raised here; importable from here)


# XLA for the cached suffix's training step and for the feature pass: measured on a 2-core CPU by
# benchmarks/train_speed.py; see benchmarks/README.md for the numbers behind these choices.
JIT_CACHED_STEP = False
JIT_FEATURES = False
CALIBRATION_IMAGES = 2000  # enough for a 99th percentile; bounds the end-of-run pass on large datasets


@dataclass
class PreparedData:
    train: DatasetSpec
    val: DatasetSpec
    train_images: np.ndarray
    val_images: np.ndarray
    image_size: int
    groups: dict[str, Any] | None = None  # the split's groups (core.data.groups.group_split), when group_by is set
    train_groups: np.ndarray | None = None  # group id of each training image, for group-aware cross-validation

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.train.class_names

    @property
    def skipped(self) -> list:
        seen, out = set(), []
        for item in (*self.train.skipped, *self.val.skipped):
            if item.path not in seen:
                seen.add(item.path)
                out.append(item)
        return out


@dataclass
class TrainResult:
    model: Any  # keras.Model taking raw RGB pixels
    class_names: tuple[str, ...]
    config: TrainConfig
    history: list[dict[str, Any]]
    best_epoch: int | None
    freeze: FreezeInfo
    data: PreparedData
    cancelled: bool = False
    stopped_early: bool = False
    elapsed_s: float = 0.0
    metrics: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # what was cached where, e.g. {"warmup": "memory"}
    familiarity: Any = None  # core.training.familiarity.Familiarity: calibrated on the training images, or None
    auto: dict[str, Any] | None = None  # chosen by Auto (core/auto/): its choice and leaderboard, for config.json


def prepare_data(config: TrainConfig, sink: EventSink = ignore_events,
                 cancel: threading.Event | None = None, shard: Any = None) -> PreparedData:
    """Scan, split and decode once. Files that fail to decode join the skipped list. ``shard``
    (DatasetSpec -> DatasetSpec) keeps this worker's part of the training split (multi-worker)."""
    size = config.image_size or get_backbone(config.backbone).input_size
    sink(Progress.of("scan", 0, 1, "audit.scanning", data_dir=config.data_dir))
    group_by = config.group_by
    if group_by:
        parse_group_by(group_by)  # a bad rule is the user's error, before any scanning
    spec = scan_folder(config.data_dir)
    groups = None
    if config.val_dir:
        train, val = spec, scan_folder(config.val_dir, expected_classes=spec.class_names)
        if group_by:
            both = shared_groups(train, val, group_by)
            groups = {"group_by": group_by, "in_both_folders": len(both)}
            if both:
                sink(LogMessage.of("trainer.groups_images_both_training", "warning", n_both=len(both),
                                   group_by=group_by, both=', '.join(both[:3])))
    elif group_by:
        check_trainable(spec)
        train, val, groups = group_split(spec, config.val_split, config.seed, group_by)
        sink(LogMessage.of("trainer.validation_keeps_groups_whole", group_by=group_by,
                           train_groups=groups['train_groups'], val_groups=groups['val_groups']))
    else:
        check_trainable(spec)
        train, val = stratified_split(spec, config.val_split, config.seed)
    if not config.val_dir and (warning := split_warning(train, val)):
        logging.getLogger("finetune_studio").warning(str(warning))
        sink(LogMessage.of(warning.message_id, "warning", **warning.params))
    train = shard(train) if shard is not None else train
    # Before any image is decoded: a run that cannot fit in memory is refused with the numbers.
    memory.check_memory(config.backbone, size, config.batch_size, len(train) + len(val), what="Training",
                        cache_budget=memory_budget(config) if config.use_cache else None)
    train_images, train_failures = _decode(train.files, size, config, sink, cancel)
    val_images, val_failures = _decode(val.files, size, config, sink, cancel)
    if cancel is not None and cancel.is_set():
        raise TrainingCancelled("Cancelled while reading images.")
    train, val = train.without(train_failures), val.without(val_failures)
    check_trainable(train, min_per_class=1)
    if len(val) == 0:
        raise WordedValueError.of("trainer.no_usable_validation_images")
    return PreparedData(train, val, train_images, val_images, size, groups,
                        spec_groups(train, group_by) if group_by else None)


def memory_budget(config: TrainConfig) -> int:
    return default_memory_budget() if config.cache_memory_mb is None else int(config.cache_memory_mb * 2**20)


def _decode(files: tuple[Path, ...], size: int, config: TrainConfig, sink: EventSink,
            cancel: threading.Event | None) -> tuple[np.ndarray, dict[int, str]]:
    """Rows of the files that decoded (failed files dropped) and {index: reason} for the others."""
    if config.use_cache:
        decoded = cached_decode(files, size, sink, cancel, memory_budget(config))
        return decoded.images, decoded.failures
    images, failures = decode_images(files, size, sink, cancel)
    if failures:
        images = images[[i for i in range(len(images)) if i not in failures]]
    return images, failures


@dataclass(frozen=True)
class Phase:
    name: str
    first_epoch: int
    end_epoch: int
    freeze: int
    learning_rate: float


def plan_phases(config: TrainConfig, pretrained: bool, n_layers: int, freeze: int) -> list[Phase]:
    lr = config.learning_rate
    if not pretrained:
        return [Phase("train", 0, config.epochs, freeze, lr)]
    if freeze >= n_layers:
        return [Phase("head", 0, config.epochs, n_layers, lr)]
    warmup = min(config.warmup_epochs, config.epochs)
    phases = []
    if warmup > 0:
        phases.append(Phase("warmup", 0, warmup, n_layers, lr))
    if config.epochs > warmup:
        phases.append(Phase("finetune", warmup, config.epochs, freeze, lr * config.finetune_lr_factor))
    return phases


def _feature_cache(config: TrainConfig, pretrained: bool, model: Any, data: PreparedData, phases: list[Phase],
                   sink: EventSink, cancel: threading.Event | None) -> FeatureCache | None:
    """A feature cache when the frozen layers are a pure function of the image, else None (logged)."""
    positions = [p.freeze for p in phases if p.freeze > 0]
    if not config.use_cache or not pretrained or not positions:
        return None  # switched off, or from scratch: nothing frozen, nothing to cache
    if config.augment.enabled:
        sink(LogMessage.of("trainer.pixel_augmentation_frozen_layers"))
        return None
    cache = FeatureCache(model, data.train_images, data.val_images, memory_budget(config), sink, cancel,
                         batch_size=max(config.batch_size, 32), jit_compile=JIT_FEATURES)
    try:
        cache.prepare(positions)
    except InterruptedError:
        cache.close()
        raise TrainingCancelled("Cancelled while computing the frozen layers' features.") from None
    except BaseException:
        cache.close()  # never leave temporary activation files behind
        raise
    return cache


def _describe_cache(config: TrainConfig, data: PreparedData, features: FeatureCache | None,
                    phases: list[Phase]) -> dict[str, Any]:
    report: dict[str, Any] = {"images": "off" if not config.use_cache else
                              "disk" if isinstance(data.train_images, np.memmap) else "memory"}
    for phase in phases:
        cached = features.cached.get(phase.freeze) if features is not None else None
        report[phase.name] = cached.storage if cached is not None else "off"
    return report


def train(config: TrainConfig, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
          data: PreparedData | None = None, files: RunFiles | None = None) -> TrainResult:
    """Run a whole fine-tuning job. Returns the best model so far even when cancelled mid-run.
    ``files``: checkpoints each epoch (and resumes from the last one), TensorBoard logs."""
    started = time.perf_counter()
    keras.utils.set_random_seed(config.seed)
    data = data or prepare_data(config, sink, cancel)
    spec = get_backbone(config.backbone)
    pretrained = resolve_weights(config.weights) is not None
    model = build_model(config.backbone, len(data.class_names), config.weights, data.image_size,
                        config.dropout, seed=config.seed)
    names = [layer.name for layer in get_backbone_layer(model).layers]
    final_freeze = freeze_to(model, freeze_count(config.freeze, names, spec, pretrained), pretrained, spec)
    phases = plan_phases(config, pretrained, len(names), final_freeze.frozen_layers)
    train_labels, val_labels = np.asarray(data.train.labels), np.asarray(data.val.labels)
    batches = distribute.steps_per_epoch(len(data.train), config.batch_size)
    best = BestWeights(snapshot_variables(model, final_freeze.frozen_layers))
    divergence = DivergenceCheck(len(data.class_names))
    variables = changeable_variables(model, final_freeze.frozen_layers)
    start, history = files.restore(model, variables, best, config) if files is not None else (0, [])
    checkpointed = list(history)  # the checkpoints' own record, appended at each epoch's end
    phases = [phase for phase in phases if phase.end_epoch > start]  # a resumed run skips finished phases
    result = TrainResult(model, data.class_names, config, history, None, final_freeze, data)
    features = _feature_cache(config, pretrained, model, data, phases, sink, cancel)
    result.cache = _describe_cache(config, data, features, phases)
    fit_model = model
    try:
        for phase in phases:
            first = max(phase.first_epoch, start)
            info = freeze_to(model, phase.freeze, pretrained, spec)
            cached = features.get(phase.freeze) if features is not None and phase.freeze > 0 else None
            if cached is not None:  # same layers, same variables: training the suffix trains the model
                fit_model, x_train, x_val = features.splitter.suffix(phase.freeze), cached.train, cached.val
            else:
                fit_model, x_train, x_val = model, data.train_images, data.val_images
            fit_model.compile(optimizer=keras.optimizers.Adam(phase.learning_rate),
                              loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                              jit_compile=JIT_CACHED_STEP if cached is not None else False)
            if files is not None:
                files.restore_optimizer(fit_model, first, phase.first_epoch)
            sink(PhaseStarted(phase.name, first, phase.end_epoch - first, phase.learning_rate, info.trainable_params))
            train_ds = distribute.training_dataset(x_train, train_labels, config.batch_size, config.seed,
                                                   config.augment, (first, phase.end_epoch))
            progress = ProgressCallback(sink, cancel, phase.name, config.epochs, batches, started, divergence)
            best.progress = progress
            callbacks: list[Any] = [progress, best, *(files.callbacks(variables, best, progress, phase.name,
                                                                     config.seed, checkpointed) if files else [])]
            precise_bn = bool(trained_batchnorm_layers(fit_model))  # their statistics must be re-estimated
            val_ds = None
            if cached is not None or precise_bn or distribute.validates_locally():  # after a re-estimation
                callbacks.insert(0, CachedValidation(x_val, val_labels, progress.discarded,
                                                     batch_size=256 if cached is not None else config.batch_size))
            else:
                val_ds = make_dataset(x_val, val_labels, config.batch_size)
            if precise_bn:
                callbacks.insert(0, PreciseBatchNorm(x_train, config.batch_size, config.seed, cancel,
                                                     progress.discarded, progress.cancel_epoch))
            if config.early_stopping_patience > 0:
                callbacks.append(keras.callbacks.EarlyStopping(patience=config.early_stopping_patience))
            fit = fit_model.fit(train_ds, validation_data=val_ds, epochs=phase.end_epoch,
                                initial_epoch=first, steps_per_epoch=batches,
                                callbacks=callbacks, verbose=0, shuffle=False)  # the dataset shuffles
            completed = len(fit.history.get("loss", [])) - (1 if progress.cancelled else 0)
            for offset in range(completed):  # a cancelled epoch is partial: it is not part of the record
                row = {key: float(values[offset]) for key, values in fit.history.items()}
                history.append({"epoch": first + offset + 1, "phase": phase.name, **row})
            if progress.diverged:
                best.restore(model)
                raise divergence.error(phase.learning_rate)
            if progress.cancelled:
                result.cancelled = True
                break
            ran = len(fit.history.get("loss", []))
            if ran < phase.end_epoch - first and phase.name != "warmup":
                result.stopped_early = True  # early stopping ended the run; a stopped warm-up moves on
                break
        freeze_to(model, final_freeze.frozen_layers, pretrained, spec)
        if best.best is None and result.cancelled:
            raise TrainingCancelled("Training was stopped before the first epoch finished; no model to keep.")
        best.restore(model)
        result.familiarity = _calibrate_familiarity(model, data, features, final_freeze.frozen_layers, config, sink)
    finally:
        if features is not None:
            features.close()
    if fit_model is not model:  # the last phase trained a cached suffix: hand its optimizer (whose
        # slots belong to the same variables, in the same order) to the full model, so the saved
        # model.keras is what an uncached run saves, optimizer state included
        model.compile(optimizer=fit_model.optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    result.best_epoch = None if best.best_epoch is None else best.best_epoch + 1
    result.elapsed_s = time.perf_counter() - started
    if result.cancelled:
        sink(LogMessage.of("trainer.stopped_user_keeping_best", best_epoch=result.best_epoch))
    return result


def _calibrate_familiarity(model: Any, data: PreparedData, features: FeatureCache | None, frozen: int,
                           config: TrainConfig, sink: EventSink) -> Familiarity:
    """Calibrate the unfamiliar-image check (core/familiarity.py) on the kept model's embeddings of
    (at most ``CALIBRATION_IMAGES`` of) the training images. It runs even after a Stop: the model
    is kept, so it should flag unfamiliar images like any other. The feature cache makes it cheap:
    the frozen prefix's activations are still valid (it never trained), so only the layers after
    the freeze point run, and nothing at all runs when only the head trained."""
    index = np.sort(np.random.default_rng(config.seed).permutation(len(data.train))[:CALIBRATION_IMAGES])
    cached = features.cached.get(frozen) if features is not None else None
    batch = max(config.batch_size, 32)
    if cached is not None and frozen == features.splitter.n_layers:  # pooled features of a frozen backbone
        embeddings = np.asarray(cached.train[index])
    elif cached is not None:
        to_pooled = features.splitter.segment(frozen, features.splitter.n_layers)
        embeddings = run_batched(to_pooled, RowSubset(cached.train, index), batch, sink, task="calibrate",
                                 step_id="features.calibrating")
    else:
        embeddings = embeddings_of(model, POOL_LAYER, RowSubset(data.train_images, index), batch, sink)
    labels = np.asarray(data.train.labels)[index]
    return calibrate(embeddings, labels, len(data.class_names), POOL_LAYER)


def bundle_config(result: TrainResult) -> dict[str, Any]:
    """Everything needed to reproduce the run, for config.json."""
    import platform

    import PIL
    import sklearn
    import tensorflow as tf

    data = result.data
    return {
        "train": result.config.to_json(),
        "image_size": data.image_size,
        "freeze": {"frozen_layers": result.freeze.frozen_layers, "total_layers": result.freeze.total_layers,
                   "cut_layer": result.freeze.cut_layer},
        "split": {"train": [str(Path(p)) for p in data.train.files], "val": [str(Path(p)) for p in data.val.files]},
        "skipped": [{"path": str(s.path), "reason": s.reason} for s in data.skipped],
        "groups": data.groups,
        "best_epoch": result.best_epoch,
        "cancelled": result.cancelled,
        **({"auto": result.auto} if getattr(result, "auto", None) else {}),
        "versions": {"python": platform.python_version(), "tensorflow": tf.__version__,
                     "keras": keras.__version__, "numpy": np.__version__, "pillow": PIL.__version__,
                     "scikit-learn": sklearn.__version__},
    }
