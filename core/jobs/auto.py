"""The door of Auto (``train --auto`` and the window's "Auto (recommended)"): the best recipe the
training images support, within a time budget (core/auto/search.py), as one ordinary training run.

Why a door of its own rather than a method of ``run_training``: Auto does not train one config, it
chooses one. What comes out is still an ordinary run: checked first (settings, budget, output
places), recorded in the run store under one id (with the *chosen* settings once they are known,
so the Runs tab and ``runs show`` read what the final model was trained with), its validation
metrics computed on the held-out images the search never read, and a bundle written by
:func:`core.jobs.train.save_training_result` whose config.json carries "auto" (the choice, the fold
scheme and the leaderboard). Groups come from the config's ``group_by``, one per training image
(core.training.trainer.prepare_data, core.data.groups.spec_groups), so no group crosses a fold.
"""
from __future__ import annotations

import threading
from typing import Any, Sequence

from core.config import AUTO_BUDGET_MINUTES, check_budget, check_train_settings
from core.events import EventSink, ignore_events


def run_auto_training(config: Any, budget_s: float = AUTO_BUDGET_MINUTES * 60, sink: EventSink = ignore_events,
                      cancel: threading.Event | None = None, backbones: Sequence[str] | None = None) -> Any:
    """Search recipes for ``config``'s data within ``budget_s`` seconds (+10 % at most), train the
    chosen one on all training images and evaluate it on the validation images. Returns the search's
    ``AutoResult``: ``result`` is the final TrainResult / ClassicResult (``run_id``, ``metrics``,
    ``auto``), ready for :func:`core.jobs.train.save_training_result`. Stop (``cancel``) keeps the best
    candidate so far; raises TrainingCancelled when stopped before any candidate was scored."""
    check_train_settings(config)
    check_budget(budget_s / 60.0)
    from core.auto.search import run_auto
    from core.jobs.train import recorded
    from core.runs.recorder import RunRecorder

    recorder = RunRecorder.begin(config.to_json())
    found: dict[str, Any] = {}

    def search() -> Any:
        # the folds' epochs are not the run's history: the plain sink, not recorder.sink
        found["auto"] = run_auto(config, budget_s, sink, cancel, backbones)
        chosen = found["auto"].chosen
        if recorder.store is not None:  # the record says what the final model was trained with
            recorder._write("the chosen settings", recorder.store.update, config=chosen.to_json())  # noqa: SLF001
        return found["auto"].result

    recorded(recorder, search)  # validation metrics (held-out interval), then recorded as finished
    return found["auto"]
