"""A fine-tuning fold's start-up: the part of a fold the clock's stop token cannot end.

Why it matters: the clock ends a fold within one batch (core/auto/clock.py), but only while it
trains. Before its first batch a fold builds its model, computes the frozen prefix's activations
(the feature cache) and compiles and traces its training step; its last phase (the layers after
the freeze point, after the warm-up's head) compiles and traces a step of its own. A stop that
arrives during a build or a trace is honoured only at the next batch: seconds later on a quiet
machine, 15-20 s on two busy cores, and the search overran its budget by that much. So a fold is
only started when it can be past its last phase's first batch before the clock's stop, whatever the
cost model says. That loses nothing: a stopped fold is dropped (core/auto/finetune.py), so a fold
that cannot get that far before the stop could never have counted.

The start-up is timed on every fold that finishes, kept per backbone and augmentation
(augmentation turns the feature cache off and traces through the whole network: a different
start), and the largest seen is used, with a margin for a machine that gets busier. Before a fold
of that kind has finished: :func:`prior_startup`, from what the embeddings stage measured.
"""
from __future__ import annotations

import time
from typing import Any, Iterable

from core.auto.candidates import Candidate, Score
from core.events import BatchEnded, EventSink, PhaseStarted

MARGIN = 1.25  # on the largest start-up seen: the load of a shared machine changes from fold to fold


class StartupWatch:
    """A fold's event sink: notes when the first batch of the fold's latest phase ended (seconds
    since ``began``, the fold's start), and passes every event on to ``sink``."""

    def __init__(self, sink: EventSink, began: float) -> None:
        self.sink, self.began = sink, began
        self.waiting = True  # no batch yet since the fold, or its latest phase, started
        self.seconds: float | None = None

    def __call__(self, event: Any) -> None:
        if isinstance(event, PhaseStarted):
            self.waiting = True
        elif isinstance(event, BatchEnded) and self.waiting:
            self.waiting, self.seconds = False, time.perf_counter() - self.began
        self.sink(event)


def fold_phases(candidate: Candidate, warmup_epochs: int) -> tuple[int, int]:
    """(phases, epochs before the last one) of ``candidate``'s fold, as core.training.trainer
    plans them (the warm-up is capped at the fold's epochs, as core.auto.finetune.fold_config does)."""
    warmup = min(warmup_epochs, candidate.epochs)
    phases = int(warmup > 0) + int(candidate.epochs > warmup)
    return phases, warmup if phases == 2 else 0


def prior_startup(candidate: Candidate, build_s: float, pass_s: float, warmup_epochs: int) -> float:
    """A fold's start-up before any fold of its kind has finished, in units of what the embeddings
    stage measured on this machine, at its current load (so a busy machine gets a longer prior):
    ``build_s`` (reading the images, building the backbone, tracing its forward pass) prices the
    fold's model build and each phase's trace, 2.5 times that with augmentation (a training step
    through every layer, the augmentation included); ``pass_s`` (one forward pass over the training
    images) prices the feature cache (none with augmentation) and each warm-up epoch before the last
    phase (about nothing on cached features; three passes with augmentation, as
    ``_Search.modelled_fold`` counts them). Timed on 2 quiet cores, 30 images, 2 warm-up epochs:
    EfficientNet-Lite0 (build_s 4.7, pass_s 1.2) took 7-9 s without and 19-20 s with augmentation
    (this gives 15 and 35); the tests' MobileNetV2 x0.35 at 64 px (1.1 and 0.8) 3.4 and 9-9.6 s
    (this gives 4.2 and 12). Too long a prior only keeps the first fold of a kind waiting for more
    budget (and the estimate is often longer anyway); too short a one is what let the search overrun."""
    phases, warm_epochs = fold_phases(candidate, warmup_epochs)
    trace = build_s * (2.5 if candidate.augment else 1.0)
    cache = 0.0 if candidate.augment else pass_s
    per_epoch = 3.0 if candidate.augment else 0.02
    return build_s + cache + phases * trace + warm_epochs * per_epoch * pass_s


def expected_startup(candidate: Candidate, scores: Iterable[Score], build_s: float, pass_s: float,
                     warmup_epochs: int) -> float:
    """Seconds from a fold's start until the stop token can end it: the largest start-up timed on a
    finished fold of the same backbone and augmentation, times ``MARGIN``; else the prior, or the
    other augmentation's timed start-up when that is longer (the machine is evidently slower than
    the prior thinks)."""
    def timed(augment: bool) -> list[float]:
        return [seconds for score in scores if score.candidate.method == "finetune"
                and score.candidate.backbone == candidate.backbone and score.candidate.augment == augment
                for seconds in score.fold_startups]

    if same := timed(candidate.augment):
        return MARGIN * max(same)
    return max([prior_startup(candidate, build_s, pass_s, warmup_epochs)]
               + [MARGIN * seconds for seconds in timed(not candidate.augment)])
