"""The learning-rate finder (Smith 2017, "Cyclical Learning Rates", section 3.3; fastai's ``lr_find``).

One short run whose learning rate grows exponentially from ``start_lr`` to ``end_lr``, one step per
batch, recording the loss: too small a rate and the loss does not move, too large and it explodes;
a good rate lies where the loss falls fastest. The curve is smoothed (an exponential moving average,
debiased) and the sweep stops early once the smoothed loss exceeds ``DIVERGE_FACTOR`` times the
best seen, as fastai does: the rest of the sweep would only measure an exploded model.

What is swept is what the learning-rate field drives first: the new head on top of the frozen
backbone (the warm-up or head phase), trained on the pooled features computed once by the feature
cache (core/training/feature_cache.py), so a sweep of a few hundred steps takes seconds. With an
explicit freeze point below the top, the layers after it train, on the cached activations at the
cut where a single tensor crosses it, else on the decoded images. Pixel augmentation is not
applied (it would forbid the cache and hardly moves the loss scale). The model is built for the
sweep and its weights are restored afterwards, so nothing the sweep touches changes.

The suggestion (:func:`suggest`) is an index of the swept rates, so it always lies inside the
sweep. Default "valley" (fastai's default since 2.4): the middle of the longest stretch over which
the smoothed loss keeps falling. Why not "steepest descent" by default: the steepest point of a
short, noisy curve often sits at its very start or just before the blow-up, one decade off; the
valley looks at the whole descent and is stable from seed to seed. "steepest" is kept for those
who know it (the point where the smoothed loss falls fastest per decade, before its minimum).
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from core.errors import SettingsError, TrainingCancelled, WordedValueError
from core.events import EventSink, LogMessage, Progress, ignore_events

# TensorFlow is imported inside the functions: the CLI checks its arguments against these first.
START_LR, END_LR, STEPS = 1e-7, 10.0, 100
MIN_STEPS, MAX_STEPS = 20, 1000
SMOOTHING = 0.98  # fastai's beta: the moving average over roughly the last 50 steps
DIVERGE_FACTOR = 4.0  # stop once the smoothed loss is this many times the best so far
MIN_STEPS_BEFORE_STOP = 10  # the first smoothed values still carry the start's noise
SUGGESTIONS = ("valley", "steepest")
DEFAULT_SUGGESTION = "valley"


def check_sweep(steps: int, method: str) -> None:
    """Refuse a step count or suggestion method we do not offer, in one sentence, before any work."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not MIN_STEPS <= steps <= MAX_STEPS:
        raise SettingsError.of("lr_find.steps_steps_must_whole", MIN_STEPS=MIN_STEPS, MAX_STEPS=MAX_STEPS,
                               steps=repr(steps))
    if method not in SUGGESTIONS:
        raise SettingsError.of("lr_find.unknown_suggestion_method_choose", method=method,
                               SUGGESTIONS=', '.join(SUGGESTIONS))


@dataclass
class LrSweep:
    """One sweep: the rates tried, the raw and smoothed losses, and whether it stopped early."""

    learning_rates: list[float]
    losses: list[float]
    smoothed: list[float]
    stopped_early: bool = False


@dataclass
class LrFindResult:
    suggested_lr: float
    method: str  # "valley" or "steepest"
    points: list[tuple[float, float]]  # (learning rate, smoothed loss) for every step taken
    raw_losses: list[float] = field(default_factory=list)
    start_lr: float = START_LR
    end_lr: float = END_LR
    stopped_early: bool = False
    trained: str = ""  # what the sweep trained, in words ("the new head, on cached features")

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json``: ``suggested_lr``, ``method`` and ``points`` as [[lr, loss], ...], plus
        the sweep's range, whether it stopped early, what it trained and the unsmoothed losses."""
        return {"suggested_lr": self.suggested_lr, "method": self.method,
                "points": [[lr, loss] for lr, loss in self.points], "start_lr": self.start_lr,
                "end_lr": self.end_lr, "stopped_early": self.stopped_early, "trained": self.trained,
                "raw_losses": list(self.raw_losses)}


def sweep(model: Any, rows: np.ndarray, labels: np.ndarray, batch_size: int, seed: int, start_lr: float = START_LR,
          end_lr: float = END_LR, steps: int = STEPS, sink: EventSink = ignore_events,
          cancel: threading.Event | None = None) -> LrSweep:
    """Train ``model`` (its trainable part) one batch per rate of the exponential schedule, with a
    fresh Adam optimizer, then put every weight back (BatchNorm statistics included): the model
    leaves as it came. Batches follow :func:`core.training.pipeline.epoch_order`, so a seed gives
    the same sweep."""
    from core.training.model import keras
    from core.training.pipeline import epoch_order

    if not 0 < start_lr < end_lr:
        raise WordedValueError.of("lr_find.sweep_needs_start_end", start_lr=start_lr, end_lr=end_lr)
    rates = np.geomspace(start_lr, end_lr, steps)
    saved = [np.array(w) for w in model.get_weights()]
    model.compile(optimizer=keras.optimizers.Adam(start_lr), loss="sparse_categorical_crossentropy")
    labels = np.asarray(labels, np.int32)
    count = len(rows)
    per_epoch = max(1, -(-count // batch_size))
    result = LrSweep([], [], [])
    average, best = 0.0, math.inf
    try:
        for step, lr in enumerate(rates):
            if cancel is not None and cancel.is_set():
                raise TrainingCancelled("The learning-rate sweep was stopped.")
            epoch, batch = divmod(step, per_epoch)
            index = np.sort(epoch_order(seed, epoch, count)[batch * batch_size:(batch + 1) * batch_size])
            model.optimizer.learning_rate.assign(float(lr))
            loss = float(np.asarray(model.train_on_batch(np.asarray(rows[index], np.float32), labels[index])))
            average = SMOOTHING * average + (1 - SMOOTHING) * loss
            smooth = average / (1 - SMOOTHING ** (step + 1))  # debiased: the average starts at 0
            result.learning_rates.append(float(lr))
            result.losses.append(loss)
            result.smoothed.append(smooth)
            sink(Progress.of("lr_find", step + 1, steps, "lr_find.learning_rate_sweep_rate", step=step + 1,
                             steps=steps, lr=lr, loss=loss))
            best = min(best, smooth)
            if not math.isfinite(smooth) or (step >= MIN_STEPS_BEFORE_STOP and smooth > DIVERGE_FACTOR * best):
                result.stopped_early = True
                break
    finally:
        model.set_weights(saved)
    return result


def suggest(learning_rates: list[float], smoothed: list[float], method: str = DEFAULT_SUGGESTION) -> float:
    """A rate of the sweep (see the module docstring for the two methods); non-finite losses are
    ignored. Always one of ``learning_rates``."""
    if method not in SUGGESTIONS:
        raise ValueError(f"Unknown suggestion method '{method}' (choose {', '.join(SUGGESTIONS)}).")
    finite = [i for i, loss in enumerate(smoothed) if math.isfinite(loss)]
    if not finite:
        raise WordedValueError.of("lr_find.loss_not_finite_any")
    lrs = [learning_rates[i] for i in finite]
    losses = [smoothed[i] for i in finite]
    index = _valley(losses) if method == "valley" else _steepest(lrs, losses)
    return float(lrs[index])


def _valley(losses: list[float]) -> int:
    """fastai's valley: the longest decreasing subsequence of the loss, then a point two thirds
    of the way... as fastai writes it: a third plus a sixth of its span from its start."""
    n = len(losses)
    longest = [1] * n
    start = end = 0
    for i in range(1, n):
        for j in range(i):
            if losses[i] < losses[j] and longest[i] < longest[j] + 1:
                longest[i] = longest[j] + 1
        if longest[end] < longest[i]:
            end, start = i, i - longest[i]
    sections = (end - start) / 3
    return min(n - 1, max(0, start + int(sections) + int(sections / 2)))


def _steepest(lrs: list[float], losses: list[float]) -> int:
    """Where the smoothed loss falls fastest per decade, up to its minimum (after the minimum the
    curve only rises)."""
    if len(losses) < 3:
        return int(np.argmin(losses))
    bottom = int(np.argmin(losses))
    gradient = np.gradient(np.asarray(losses), np.log10(lrs))
    return int(np.argmin(gradient[:max(bottom, 1) + 1]))


def find_learning_rate(config: Any, sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                       steps: int = STEPS, method: str = DEFAULT_SUGGESTION, start_lr: float = START_LR,
                       end_lr: float = END_LR) -> LrFindResult:
    """Sweep the rate for ``config`` (a TrainConfig: data, backbone, weights, freeze, batch size,
    image size, seed; ``freeze`` None means the head only). See the module docstring."""
    from core.backbones import get_backbone
    from core.backbones.weights import resolve_weights
    from core.training.feature_cache import FeatureCache
    from core.training.model import build_model, freeze_count, freeze_to, get_backbone_layer, keras
    from core.config import Augmentation
    from core.training.trainer import memory_budget, prepare_data

    check_sweep(steps, method)
    config = replace(config, augment=Augmentation())
    keras.utils.set_random_seed(config.seed)
    data = prepare_data(config, sink, cancel)
    pretrained = resolve_weights(config.weights) is not None
    model = build_model(config.backbone, len(data.class_names), config.weights, data.image_size, config.dropout,
                        seed=config.seed)
    names = [layer.name for layer in get_backbone_layer(model).layers]
    n_layers, spec = len(names), get_backbone(config.backbone)
    info = freeze_to(model, freeze_count(config.freeze, names, spec, pretrained, "lr_find"), pretrained, spec)
    rows, fit_model, trained = data.train_images, model, _trained_words(info.frozen_layers, n_layers)
    cache = None
    if config.use_cache and pretrained and info.frozen_layers > 0:
        cache = FeatureCache(model, data.train_images, data.val_images[:0], memory_budget(config), sink, cancel,
                             batch_size=max(config.batch_size, 32))
    try:
        cached = cache.get(info.frozen_layers) if cache is not None else None
        if cached is not None:
            rows, fit_model = cached.train, cache.splitter.suffix(info.frozen_layers)
            trained += ", on features computed once"
        else:
            trained += ", on the images"
        sink(LogMessage.of("lr_find.learning_rate_sweep_steps", steps=steps, start_lr=start_lr, end_lr=end_lr,
                           trained=trained))
        result = sweep(fit_model, rows, np.asarray(data.train.labels), config.batch_size, config.seed, start_lr,
                       end_lr, steps, sink, cancel)
    except InterruptedError:
        raise TrainingCancelled("The learning-rate sweep was stopped.") from None
    finally:
        if cache is not None:
            cache.close()
    return LrFindResult(suggest(result.learning_rates, result.smoothed, method), method,
                        list(zip(result.learning_rates, result.smoothed)), result.losses, start_lr, end_lr,
                        result.stopped_early, trained)


def _trained_words(frozen: int, total: int) -> str:
    if frozen >= total:
        return "the new head (backbone frozen)"
    if frozen == 0:
        return "the whole network"
    return f"the layers after the first {frozen} of {total} and the new head"
