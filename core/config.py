"""The training settings: :class:`TrainConfig` and :class:`Augmentation`, their defaults (declared
once, on the dataclass) and the sensible range of each (:data:`LIMITS`), shared by the command
line, the engine, the requests that cross the pipe and the window's fields.

Why one TensorFlow-free home: the window builds the settings and the requests carry them typed, so
a misspelt field fails where the request is written, not silently in the engine; the CLI's defaults
and the window's spin boxes read the same numbers the trainer uses.

Why ranges: 
out-of-range values used to reach TensorFlow and fail late or not at all (a batch
size of 0 divided by zero, ``--lr 1e6`` "trained successfully", ``--image-size 100000`` made a
3 TB cache file, ``--epochs 0`` saved an untrained model). Checking them up front, with the same
numbers the GUI's spin boxes use, turns each into one plain sentence before any work starts.

This module imports nothing heavy (no TensorFlow, no Qt): the window process reads the ranges too.
"""
from __future__ import annotations

import logging
import numbers
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

from core.backbones import DEFAULT_BACKBONE
from core.errors import SettingsError  # noqa: F401 (raised here; importable from here)

__all__ = ["AUTO_BUDGET_MINUTES", "Augmentation", "LIMITS", "SettingRange", "SettingsError", "TrainConfig",
           "check_budget", "check_train_settings", "default"]


@dataclass(frozen=True)
class Augmentation:
    """Random pixel augmentation of training batches. All off by default: microscopy and
    documents are often orientation-sensitive, so the user opts in."""

    flip: bool = False
    rotation: bool = False
    zoom: bool = False
    contrast: bool = False

    @property
    def enabled(self) -> bool:
        return self.flip or self.rotation or self.zoom or self.contrast

    @classmethod
    def all(cls) -> "Augmentation":
        return cls(True, True, True, True)


@dataclass
class TrainConfig:
    """Every setting of one training run. A new setting is one field here (with its default) and,
    when it has a range, one row of :data:`LIMITS`; the CLI, the window and the run store read it."""

    data_dir: str
    backbone: str = DEFAULT_BACKBONE
    weights: str | None = "imagenet"
    freeze: int | str | None = None  # None: everything up to the last block (pretrained) / nothing (scratch)
    # total, warm-up included. 20, not 10 (issue 19 item 5): on 500 real digits (Lite0, default freeze
    # point) held-out accuracy 0.92 vs 0.89, for ~30 s more on 2 cores, as epochs after the frozen
    # prefix train on cached features (benchmarks/README.md, "auto_accuracy.py")
    epochs: int = 20
    warmup_epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 1e-3
    finetune_lr_factor: float = 0.1
    image_size: int | None = None
    val_dir: str | None = None
    val_split: float = 0.2
    group_by: str | None = None  # keep-together rule: "subfolder" or a file-name regex (core/data/groups.py)
    augment: Augmentation = field(default_factory=Augmentation)
    early_stopping_patience: int = 0  # 0: off
    dropout: float = 0.2
    seed: int = 42
    use_cache: bool = True  # decoded-image cache and frozen-layer feature cache (--no-cache turns both off)
    cache_memory_mb: float | None = None  # in-memory budget of each cache; None: a quarter of the RAM
    method: str = "finetune"  # an id of core.methods.METHODS (embeddings + classic classifier: core.training.classic)
    mixed_precision: bool = True  # mixed_float16 on GPUs that benefit (core.training.precision); False: never

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any], strict: bool = True) -> "TrainConfig":
        """From :meth:`to_json`'s form. An unknown key is a :class:`SettingsError` naming it
        (``strict``, the default: a request or a command must not lose a misspelt field); settings
        read back from disk (a run record or config.json written by another version) pass
        ``strict=False``: unknown keys are logged and ignored."""
        raw = dict(raw)
        augment = raw.get("augment", {})
        raw["augment"] = augment if isinstance(augment, Augmentation) else Augmentation(**augment)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown and strict:
            raise SettingsError.of("config.unknown_training_setting_s", unknown=', '.join(unknown),
                                   known=', '.join(sorted(known)))
        if unknown:
            logging.getLogger("finetune_studio").info("settings not understood by this version, ignored: %s",
                                                      ", ".join(unknown))
        return cls(**{k: v for k, v in raw.items() if k in known})


def default(name: str) -> Any:
    """The default of the TrainConfig field ``name``: the one declaration the CLI and the window read."""
    for item in fields(TrainConfig):
        if item.name == name:
            if item.default is not MISSING:
                return item.default
            if item.default_factory is not MISSING:  # type: ignore[misc]
                return item.default_factory()  # type: ignore[misc]
    raise KeyError(name)


@dataclass(frozen=True)
class SettingRange:
    """Allowed values of one TrainConfig attribute. ``option`` is the command-line spelling,
    ``label`` the name the window shows; the error names both so either user finds the field."""

    label: str
    option: str  # "" when the command line has no such option
    low: float
    high: float
    integer: bool = True
    low_open: bool = False  # True: ``low`` itself is not allowed
    high_open: bool = False

    def contains(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        if self.integer and not float(value).is_integer():
            return False
        if value != value:  # NaN
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def describe(self) -> str:
        """The range in words: "a whole number from 1 to 10000", "a number above 0 and below 1"."""
        kind = "a whole number" if self.integer else "a number"
        low = f"above {self.low:g}" if self.low_open else f"from {self.low:g}"
        high = f"below {self.high:g}" if self.high_open else f"to {self.high:g}"
        if self.low_open or self.high_open:
            high = high if self.high_open else f"at most {self.high:g}"
            low = low if self.low_open else f"at least {self.low:g}"
            return f"{kind} {low} and {high}"
        return f"{kind} {low} {high}"


# Upper ends are generous but finite: each one stops a value that could only be a typo from
# exhausting memory or disk (image size) or running for weeks (epochs).
LIMITS: dict[str, SettingRange] = {
    "epochs": SettingRange("Epochs", "--epochs", 1, 10_000),
    "warmup_epochs": SettingRange("Warm-up epochs", "--warmup-epochs", 0, 10_000),  # and <= epochs
    "batch_size": SettingRange("Batch size", "--batch-size", 1, 4096),
    "learning_rate": SettingRange("Learning rate", "--lr", 1e-7, 1.0, integer=False),
    "image_size": SettingRange("Image size", "--image-size", 32, 1024),  # or None: the backbone's own
    "val_split": SettingRange("Validation split", "--val-split", 0.0, 1.0, integer=False,
                              low_open=True, high_open=True),
    "early_stopping_patience": SettingRange("Early stopping patience", "--early-stopping", 0, 10_000),
    "seed": SettingRange("Random seed", "--seed", 0, 2**31 - 1),
    "dropout": SettingRange("Dropout", "", 0.0, 1.0, integer=False, high_open=True),  # no CLI option
    # Auto's time budget (not a TrainConfig field: Auto chooses the settings within it). Under 6 s
    # not even the embeddings of the smallest backbone finish; a day is the most a lab would wait.
    "budget_minutes": SettingRange("Auto budget (minutes)", "--budget", 0.1, 1440, integer=False),
}
AUTO_BUDGET_MINUTES = 5.0  # the default budget: the CLI's --budget and the window's field


def _fail(limit: SettingRange, value: Any) -> SettingsError:
    name = f"{limit.label} ({limit.option})" if limit.option else limit.label
    return SettingsError.of("config.must_got", name=name, describe=limit.describe(), value=repr(value))


def check_train_settings(config: Any) -> None:
    """Raise :class:`SettingsError` for the first setting of ``config`` outside its range.

    ``config`` is a TrainConfig or any object with its attribute names (the CLI checks its
    arguments before it builds one); attributes it lacks are skipped. ``image_size`` None means the
    backbone's default; 0 is an error rather than a silent "default". ``val_split`` is only
    checked when there is no separate validation folder, since it is unused otherwise.
    """
    for name, limit in LIMITS.items():
        if not hasattr(config, name):
            continue
        value = getattr(config, name)
        if name == "image_size" and value is None:
            continue
        if name == "val_split" and getattr(config, "val_dir", None):
            continue
        if not limit.contains(value):
            raise _fail(limit, value)
    _check_backbone_size(config)
    epochs, warmup = getattr(config, "epochs", None), getattr(config, "warmup_epochs", None)
    if epochs is not None and warmup is not None and warmup > epochs:
        raise SettingsError.of("config.warm_up_epochs_warmup", epochs=epochs, warmup=repr(warmup))
    group_by = getattr(config, "group_by", None)  # the CLI checks its arguments before building a TrainConfig
    if group_by:
        from core.data.groups import parse_group_by  # TensorFlow-free

        parse_group_by(group_by)  # GroupByError (a SettingsError) for a rule that is not one


def check_budget(minutes: Any) -> float:
    """Auto's budget in seconds, or :class:`SettingsError` for minutes outside :data:`LIMITS`."""
    limit = LIMITS["budget_minutes"]
    if not limit.contains(minutes):
        raise _fail(limit, minutes)
    return float(minutes) * 60.0


def _check_backbone_size(config: Any) -> None:
    """Some backbones need more than the general minimum (Inception V3: 75 px); say so before the
    data is read rather than when the network is built."""
    from core.backbones import BACKBONES  # TensorFlow-free registry

    spec, size = BACKBONES.get(getattr(config, "backbone", None) or ""), getattr(config, "image_size", None)
    if spec is not None and size is not None and size < spec.min_input_size:
        raise SettingsError.of("config.image_size_image_size", min_input_size=spec.min_input_size, label=spec.label,
                               size=repr(size))
