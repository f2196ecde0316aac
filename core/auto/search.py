"""Auto's search: the best recipe the training images support, within a time budget.

Design (issue 19, item 2). Cheap first, then where the evidence points:

1. Embeddings, per backbone (offline or cached ones, cheapest first): one pass through the
   backbone gives the pooled features of the last few stage ends at once; standardise + logistic
   regression / linear SVM at two strengths each are scored on every fold (5 x 2 repeated
   stratified folds, group-aware). Seconds per backbone after the pass.
2. Fine-tuning of the backbone whose embeddings scored best, from the best feature layer and from
   the stage end before it, without and with (zoom, contrast) augmentation, at a learning rate from
   the learning-rate finder, with early stopping. Successive halving over folds: every fine-tuning
   candidate gets 1 fold, the better half 3, the best 5; a candidate is only started when its
   estimated time plus the final refit fits in what is left and its start-up (which nothing can
   stop: core/auto/startup.py) ends before the clock's stop, and the clock's stop token ends a fold
   that overruns (the fold is then dropped, never half-counted).
3. The winner (highest mean fold accuracy among candidates scored on at least 3 folds) is refit
   on all training images as an ordinary training result; the refit's time is reserved from the
   start of every fold, so the whole search ends within the budget plus 10 %.

Stop (the ``cancel`` Event) keeps the best candidate so far: an embeddings winner is refit anyway
(a few seconds: its features are already computed); a fine-tuning winner is not retrained: the
model of its last finished fold (trained on 4/5 of the training images) is returned, and the
result says so (``result.auto["refit"]``). Held-out validation images are never read by the search.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Sequence

import numpy as np

from core.auto.candidates import Candidate, Score, to_config
from core.auto.clock import Clock
from core.auto.embeddings import LOGREG_C, SVM_C, feature_layers, fold_accuracies, layer_features
from core.auto.finetune import CandidateSkipped, FoldStopped, memory_errors, run_fold
from core.auto.folds import cv_folds
from core.auto.startup import expected_startup
from core.errors import TrainingCancelled, WordedValueError
from core.events import CandidateFinished, EventSink, LogMessage, Progress, english_fields, ignore_events
from core.messages import message, said

log = logging.getLogger("finetune_studio")
DEFAULT_BUDGET_S = 300.0
OVERRUN = 0.10  # the budget may be exceeded by this fraction, never more
FOLDS, REPEATS = 5, 2
RUNGS = (1, 3, 5)  # successive halving: folds given to the fine-tuning candidates still in the race
MIN_FOLDS_TO_WIN = 3
MAX_EPOCHS = 15
EMBEDDINGS_SHARE = 0.4  # the embeddings stage never spends more than this share of the budget


@dataclass
class AutoResult:
    leaderboard: list[CandidateFinished]  # best first; candidates not scored last
    chosen: Any  # the TrainConfig of the final model (what the window's fields show)
    result: Any  # the final model: a TrainResult / ClassicResult, saved by core.jobs.save_training_result
    elapsed_s: float
    cancelled: bool = False
    record: dict[str, Any] = field(default_factory=dict)  # what config.json records under "auto"


def default_backbones(config: Any) -> list[str]:
    """The backbones whose ImageNet weights are on this computer (offline or cached), fewest
    parameters first; only the configured one when a weights file is given."""
    from core.backbones.catalog import list_backbones

    if config.weights != "imagenet":
        return [config.backbone]
    found = sorted((b for b in list_backbones() if b.weights in ("offline", "cached")), key=lambda b: b.params_m)
    return [b.id for b in found] or [config.backbone]


@dataclass
class _Backbone:
    id: str
    data: Any  # PreparedData at this backbone's image size
    features: dict[int, np.ndarray]
    pass_s: float  # one forward pass over the training images
    build_s: float  # reading the images and building the network: paid again by every fold


class _Search:
    def __init__(self, config: Any, budget_s: float, sink: EventSink, cancel: threading.Event | None,
                 groups: Sequence[str] | None) -> None:
        self.config, self.sink = config, sink
        self.clock = Clock(budget_s, cancel)
        self.groups = groups
        self.grouped = groups is not None
        self.scored_labels: Any = ()
        self.scores: list[Score] = []
        self.backbones: dict[str, _Backbone] = {}
        self.folds: list[Any] = []

    @property
    def k(self) -> int:
        """The folds of one repeat (5, fewer when a class or the groups are few)."""
        return max(len(self.folds) // REPEATS, 2)

    # -- bookkeeping --------------------------------------------------------------------------
    def say(self, message_id: str, level: str = "info", /, **params: Any) -> None:
        """A status line ("Auto: ..."), by its id in core/messages/progress.py."""
        self.sink(LogMessage.of(message_id, level, **params))

    def progress(self, message_id: str, /, **params: Any) -> None:
        budget = self.clock.budget_s
        self.sink(Progress.of("auto", int(min(self.clock.elapsed(), budget)), int(budget), message_id, **params))

    def finish(self, score: Score, status_id: str, /, **params: Any) -> None:
        """Send ``score``'s row with its status, by its id in core/messages/names.py."""
        score.status = said(status_id, **params)
        self.sink(score.row(self.k))

    def best(self, min_folds: int = MIN_FOLDS_TO_WIN) -> Score | None:
        ready = [s for s in self.scores if s.mean is not None and s.folds >= min_folds]
        return max(ready, key=lambda s: (s.mean, -s.seconds / max(s.folds, 1)), default=None)

    def refit_estimate(self, score: Score | None) -> float:
        """Seconds to refit ``score``'s recipe on all training images: a fold's time scaled to all
        the images, plus a margin for building the model."""
        if score is None:
            return 0.0
        if score.candidate.method != "finetune":  # features computed already: build the embedding model, one fit
            return 2.0 + self.backbones[score.candidate.backbone].build_s
        return float(np.mean(score.fold_seconds)) * FOLDS / (FOLDS - 1) + 10.0

    # -- stage 1: embeddings -------------------------------------------------------------------
    def embeddings(self, backbone_id: str) -> None:
        from core.training.trainer import prepare_data

        config = replace(self.config, backbone=backbone_id)
        started = time.perf_counter()
        data = prepare_data(config, self.sink, self.clock.stop)
        if not self.folds:
            labels = np.asarray(data.train.labels)
            groups = self.groups if self.groups is not None else data.train_groups  # config.group_by's, per image
            self.folds = cv_folds(labels, groups, FOLDS, REPEATS, self.config.seed)
            self.grouped = groups is not None
            if not self.folds:
                raise WordedValueError.of("search.auto_needs_least_training")
        layers = feature_layers(backbone_id, data.image_size)
        self.progress("auto.features", backbone_id=backbone_id, layers=", ".join(map(str, layers)))
        try:
            features, pass_s = layer_features(backbone_id, config.weights, data.image_size, layers,
                                              data.train_images, max(config.batch_size, 32), ignore_events,
                                              self.clock.stop)
        except InterruptedError:
            raise FoldStopped() from None
        backbone = _Backbone(backbone_id, data, features, pass_s, time.perf_counter() - started - pass_s)
        self.backbones[backbone_id] = backbone
        labels = np.asarray(data.train.labels)
        self.scored_labels = labels
        for layer in layers:
            for method, strengths in (("logreg", LOGREG_C), ("svm", SVM_C)):
                for c in strengths:
                    score = Score(Candidate(backbone_id, method, layer, c=c))
                    self.scores.append(score)
                    fitted = time.perf_counter()
                    score.fold_accuracies = fold_accuracies(method, c, features[layer], labels, self.folds,
                                                            self.config.seed)
                    score.fold_seconds = [(time.perf_counter() - fitted) / len(self.folds)] * len(self.folds)
                    self.finish(score, "auto.status.scored")

    # -- stage 2: fine-tuning ------------------------------------------------------------------
    def finetune_candidates(self, backbone_id: str) -> list[Score]:
        """From the best embeddings layer of ``backbone_id`` and the stage end before it."""
        from core.training.model import default_freeze_point, layer_table
        from core.backbones import get_backbone

        backbone = self.backbones[backbone_id]
        mine = [s for s in self.scores if s.candidate.backbone == backbone_id and s.mean is not None]
        best_layer = max(mine, key=lambda s: s.mean).candidate.layer
        table = layer_table(backbone_id, backbone.data.image_size)
        if best_layer >= len(table.names):  # the pooled output: fine-tune the last block
            best_layer = default_freeze_point(get_backbone(backbone_id), table.names)
        layers = sorted(backbone.features)
        earlier = [n for n in layers if n < best_layer]
        points = [best_layer] + earlier[-1:]
        return [Score(Candidate(backbone_id, "finetune", point, augment=augment, epochs=MAX_EPOCHS))
                for augment in (False, True) for point in points]

    def learning_rate(self, backbone_id: str, freeze: int) -> float:
        """The learning-rate finder's suggestion for training from ``freeze`` (clamped to a sane
        range); the configured rate when the sweep cannot run in time or fails."""
        from core.training.lr_find import find_learning_rate

        fallback = float(self.config.learning_rate)
        self.progress("auto.lr_finder", backbone_id=backbone_id, freeze=freeze)
        try:
            self.clock.until(self.clock.elapsed() + 0.15 * self.clock.budget_s)
            # freeze None: the sweep trains the new head on the pooled features, which is what the
            # learning-rate field drives first (the warm-up; the layers after the freeze point then
            # train at a tenth of it). Sweeping those layers and the head together (freeze=139 on
            # Lite0) suggested 2.5e-4 on the digits, and a fold at that rate reached only 0.78.
            found = find_learning_rate(replace(self.config, backbone=backbone_id, freeze=None, method="finetune"),
                                       ignore_events, self.clock.stop, steps=60)
            rate = float(min(max(found.suggested_lr, 1e-4), 1e-2))
        except Exception as error:  # noqa: BLE001 - a sweep is advice: fall back, never fail the search
            self.say("auto.lr_finder_skipped", error_type=type(error).__name__, fallback=fallback)
            return fallback
        self.say("auto.lr_finder_suggests", rate=rate, backbone_id=backbone_id, freeze=freeze)
        return rate

    def estimate_fold(self, score: Score) -> float:
        """A fold's seconds: measured when the candidate (or a like one) has run a fold, else from
        the backbone's measured forward pass: building the model and one pass for the frozen
        prefix's cached activations, then per epoch about ``trained`` of a pass three times over
        (forward, backward, update) for the layers after the freeze point, or three whole passes
        with augmentation (no cache). Measured on Lite0 (digits, 2 busy cores): from layer 139 an
        epoch costs ~0.08 of a pass, which this gives; the clock's stop token bounds any error."""
        if score.fold_seconds:
            return float(np.mean(score.fold_seconds))
        alike = [s for s in self.scores if s.candidate.method == "finetune" and s.fold_seconds
                 and s.candidate.augment == score.candidate.augment and s.candidate.backbone == score.candidate.backbone]
        calibration = float(np.mean(alike[0].fold_seconds)) / self.modelled_fold(alike[0]) if alike else 1.0
        return self.modelled_fold(score) * calibration

    def startup(self, score: Score) -> float:
        """Seconds before the clock's stop token can end a fold of ``score`` (core/auto/startup.py)."""
        backbone = self.backbones[score.candidate.backbone]
        return expected_startup(score.candidate, self.scores, backbone.build_s, backbone.pass_s,
                                self.config.warmup_epochs)

    def fold_needs(self, score: Score) -> float:
        """A fold's seconds: the estimate, but never less than its start-up (the estimate is advice)."""
        return max(self.estimate_fold(score), self.startup(score))

    def modelled_fold(self, score: Score) -> float:
        backbone = self.backbones[score.candidate.backbone]
        total = max(backbone.features)
        trained = (total - score.candidate.layer) / total
        per_epoch = 3.0 if score.candidate.augment else 0.02 + 1.0 * trained
        passes = 1.0 + score.candidate.epochs * per_epoch * (FOLDS - 1) / FOLDS
        return backbone.build_s + backbone.pass_s * passes

    def run_folds(self, score: Score, target: int) -> bool:
        """Give ``score`` folds up to ``target``; False when the budget or Stop ended it."""
        while score.folds < target:
            if self.clock.cancelled:
                return False
            needed = self.fold_needs(score)  # never less than the fold's start-up, whatever the estimate says
            reserve = max(self.refit_estimate(self.best()), self.refit_estimate(score) if score.fold_seconds
                          else needed * FOLDS / (FOLDS - 1))
            stop_at = self.clock.budget_s * 0.98 - self.refit_estimate(self.best())
            # the stop token ends a fold within a batch, but not its start-up (building the model,
            # tracing its steps: 15-20 s on a busy machine): a fold is only started when it can be past
            # its start-up before it would be stopped (core/auto/startup.py)
            if needed + reserve > self.clock.left() or self.clock.elapsed() + needed >= stop_at:
                self.say("auto.no_time_for_fold", candidate=score.candidate.name, needed=needed,
                         left=max(self.clock.left() - reserve, 0))
                if not score.folds:
                    self.finish(score, "auto.status.skipped_time", needed=needed)
                return False
            self.progress("auto.fold", candidate=score.candidate.name, fold=score.folds + 1, folds=target)
            # a fold still running then is stopped (within a batch) and dropped; 2 % of the budget
            # covers the stop's latency
            self.clock.until(stop_at)
            try:
                run_fold(self.config, score, self.backbones[score.candidate.backbone].data,
                         self.folds[score.folds], self.sink, self.clock.stop)
            except FoldStopped:
                return False
            self.finish(score, "auto.status.scored")  # sent again after each fold: the window replaces the row by name
        return True

    def successive_halving(self, candidates: list[Score]) -> None:
        """Rungs of 1, 3, 5 folds; after each, the better half goes on, and only while it is within
        one fold spread (at least 2 points) of the leader so far (often an embeddings candidate)."""
        alive = list(candidates)
        self.scores.extend(candidates)
        first = candidates[0]
        if self.fold_needs(first) * (1 + FOLDS / (FOLDS - 1)) > self.clock.left() - self.refit_estimate(self.best()):
            for score in candidates:
                self.finish(score, "auto.status.skipped_time", needed=self.fold_needs(score))
            self.say("auto.no_time_for_finetuning")
            return
        rate = self.learning_rate(first.candidate.backbone, first.candidate.layer)
        for score in candidates:
            score.candidate = replace(score.candidate, learning_rate=rate)
        for rung, target in enumerate(RUNGS):
            for score in alive:
                try:
                    if not self.run_folds(score, target):
                        alive = [s for s in alive if s is not score] if not score.folds else alive
                        if self.clock.cancelled or self.clock.left() <= 0:
                            return
                except CandidateSkipped as reason:
                    self.say("auto.candidate_skipped", "warning", candidate=score.candidate.name, reason=str(reason))
                    self.finish(score, "auto.status.skipped", reason=str(reason))
                    alive = [s for s in alive if s is not score]
            alive = [s for s in alive if s.folds >= target]
            alive.sort(key=lambda s: s.mean, reverse=True)
            leader = self.best()  # the evidence so far: a candidate clearly behind it gets no more folds
            if leader is not None:
                margin = max(0.0 if math.isnan(leader.spread) else leader.spread, 0.02)
                alive = [s for s in alive if s.mean >= leader.mean - margin]
            if rung + 1 < len(RUNGS):
                alive = alive[:max(1, math.ceil(len(alive) / 2))]
            if not alive:
                return

    # -- the whole search ------------------------------------------------------------------------
    def run(self, backbones: Sequence[str]) -> Score | None:
        for index, backbone_id in enumerate(backbones):
            if index and self.clock.elapsed() > self.clock.budget_s * EMBEDDINGS_SHARE / 2:
                self.say("auto.backbone_left_out", backbone_id=backbone_id)
                break
            # the first backbone may use the whole budget (without it there is nothing to choose);
            # later ones only the embeddings stage's share
            self.clock.until(self.clock.budget_s * (EMBEDDINGS_SHARE if index else 0.9))
            try:
                self.embeddings(backbone_id)
            except (FoldStopped, TrainingCancelled):
                self.say("auto.backbone_stopped", backbone_id=backbone_id)
                break
            except memory_errors():
                self.say("auto.backbone_out_of_memory", "warning", backbone_id=backbone_id)
        if not self.clock.cancelled and self.backbones:
            best = self.best()
            if best is not None:
                try:
                    self.successive_halving(self.finetune_candidates(best.candidate.backbone))
                except FoldStopped:
                    pass
        for score in self.scores:
            if score.status.message_id == "auto.status.waiting":  # never started: the budget or Stop came first
                self.finish(score, "auto.status.stopped")
        return self.best() or self.best(1)


def run_auto(config: Any, budget_s: float = DEFAULT_BUDGET_S, sink: EventSink = ignore_events,
             cancel: threading.Event | None = None, backbones: Sequence[str] | None = None,
             groups: Sequence[str] | None = None) -> AutoResult:
    """Search recipes for ``config``'s data (a TrainConfig: data, validation split or folder, seed,
    weights, cache settings; its method, freeze point, rate and epochs are what Auto chooses) within
    ``budget_s`` seconds (+10 % at most, the final training included) and return the leaderboard,
    the chosen TrainConfig and the final model, trained on all training images.

    ``backbones``: the candidates' backbones (default :func:`default_backbones`); ``groups``: one
    group name per *training* image (slide, animal), so no group is split across folds. Emits a
    :class:`CandidateFinished` per scored candidate (again after each fine-tuning fold), Progress
    ("auto", seconds, budget) and LogMessages. Raises TrainingCancelled when stopped before any
    candidate was scored; ValueError when a class has fewer than 2 training images."""
    search = _Search(config, budget_s, sink, cancel, groups)
    try:
        best = search.run(list(backbones or default_backbones(config)))
        if best is None:
            raise TrainingCancelled("Auto was stopped before any candidate was scored; no model to keep.")
        search.say("auto.chose", candidate=best.candidate.name, accuracy=best.mean, folds=best.folds)
        search.progress("auto.final_training", candidate=best.candidate.name)
        result, how = _final_model(search, best)
    finally:
        search.clock.close()
    chosen = to_config(config, best)
    result.config = chosen
    leaderboard = sorted((s.row(search.k) for s in search.scores), reverse=True,  # the chosen one first among equals
                         key=lambda r: (-1.0 if r.cv_accuracy is None else r.cv_accuracy, r.name == best.candidate.name))
    record = {"chosen_by": "auto", "chosen": best.row(search.k).settings, "name": best.candidate.name,
              "cv_accuracy": best.mean, "cv_folds": best.folds, "budget_s": budget_s,
              "elapsed_s": round(search.clock.elapsed(), 2), "refit": how, "cancelled": search.clock.cancelled,
              "fold_scheme": message("auto.fold_scheme_grouped" if search.grouped else "auto.fold_scheme",
                                     k=search.k, repeats=REPEATS), "folds_k": search.k, "repeats": REPEATS,
              "train_images": len(search.scored_labels),
              "leaderboard": [english_fields(row) for row in leaderboard]}
    result.auto = record
    return AutoResult(leaderboard, chosen, result, search.clock.elapsed(), search.clock.cancelled, record)


def _final_model(search: _Search, best: Score) -> tuple[Any, str]:
    from core.auto.refit import refit

    backbone = search.backbones[best.candidate.backbone]
    if search.clock.cancelled and best.candidate.method == "finetune" and best.kept is not None:
        kept = best.kept  # Stop: no retraining; the last finished fold's model (4/5 of the training images)
        kept.data = backbone.data
        return kept, message("auto.refit.stopped")
    hard = search.clock.budget_s * (1 + OVERRUN) - 5.0  # a fine-tuning refit keeps its best epoch at this time
    search.clock.until(hard)
    stop = None if best.candidate.method != "finetune" else search.clock.stop
    try:
        refitted = refit(search.config, best, backbone.data, backbone.features, search.sink, stop)
        return refitted, message("auto.refit.all_images")
    except (TrainingCancelled, *memory_errors()) as error:  # stopped before its first epoch, or out of memory
        if best.kept is None:
            raise
        search.say("auto.final_out_of_memory" if not isinstance(error, TrainingCancelled) else "auto.final_stopped",
                   "warning")
        best.kept.data = backbone.data
        return best.kept, message("auto.refit.out_of_memory" if not isinstance(error, TrainingCancelled)
                                  else "auto.refit.final_stopped")
