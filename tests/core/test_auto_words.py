"""Auto's words by id (core/messages/names.py): the candidates' names, the leaderboard's statuses, the
fold scheme and the final model's note come from the catalog, so the window can show them in its
language, while the English, which the CLI prints and config.json keeps, is the text it always was;
a leaderboard row carries its status's id and parameters across the pipe, and the CLI's JSON lines
and the stored record leave them out. No TensorFlow: the search's own skip path, with a measured
backbone made up."""
from __future__ import annotations

import io
import json
import pickle
import threading
from types import SimpleNamespace

import numpy as np
import pytest

from core.auto.candidates import Candidate, Score
from core.auto.finetune import CandidateSkipped
from core.auto.search import _Backbone, _Search
from core.cli._auto import JsonLeaderboard, TableLeaderboard
from core.events import CandidateFinished, EventRecorder, english_fields
from core.messages import MESSAGES, message, render
from core.methods import METHOD_LABELS

OLD_ROW_FIELDS = {"name", "settings", "cv_accuracy", "cv_low", "cv_high", "seconds", "status", "folds"}


def skipped_rows(needed_s: float = 12.0) -> list[CandidateFinished]:
    """The rows the search sends when fine-tuning cannot fit its budget: each candidate "skipped
    (needs ~N s per fold)", N the search's own estimate (``needed_s`` here: a backbone measured at
    2 s to build and a forward pass that makes a fold from layer 10 of 20 take ``needed_s``)."""
    recorder = EventRecorder()
    search = _Search(SimpleNamespace(warmup_epochs=2), 10.0, recorder, threading.Event(), None)
    try:
        passes = 1 + 15 * (0.02 + 0.5) * 4 / 5  # search.modelled_fold's passes at 15 epochs, half trained
        features = {10: np.zeros((4, 2)), 20: np.zeros((4, 2))}
        search.backbones["lite0"] = _Backbone("lite0", None, features, (needed_s - 2.0) / passes, 2.0)
        search.successive_halving([Score(Candidate("lite0", "finetune", 10, augment=augment, epochs=15))
                                   for augment in (False, True)])
    finally:
        search.clock.close()
    return recorder.of_type(CandidateFinished)


def test_candidate_names_are_the_english_they_were() -> None:
    assert Candidate("lite0", "finetune", 116).name == "lite0: fine-tune from layer 116"
    assert Candidate("lite0", "finetune", 116, augment=True).name == "lite0: fine-tune from layer 116, augmented"
    assert Candidate("lite0", "logreg", 4, c=0.1).name == f"lite0: {METHOD_LABELS['logreg']} on layer 4 (C=0.1)"
    assert Candidate("lite0", "svm", 139, c=1.0).name == f"lite0: {METHOD_LABELS['svm']} on layer 139 (C=1)"


def test_a_skipped_candidates_row_says_it_in_english_and_carries_its_id() -> None:
    rows = skipped_rows(12.0)
    # with augmentation no feature cache: three whole passes per epoch, ~53 s
    assert [row.status for row in rows] == ["skipped (needs ~12 s per fold)", "skipped (needs ~53 s per fold)"]
    assert [row.name for row in rows] == ["lite0: fine-tune from layer 10", "lite0: fine-tune from layer 10, augmented"]
    row = rows[0]
    assert row.status_id == "auto.status.skipped_time" and row.status_params["needed"] == pytest.approx(12.0, abs=0.5)
    assert render(MESSAGES[row.status_id], row.status_params) == row.status  # what the window re-renders
    again = pickle.loads(pickle.dumps(row))  # as the engine's event crosses the pipe
    assert again == row and isinstance(again.status_params["needed"], float)


def test_the_other_statuses_and_notes_are_the_english_they_were() -> None:
    recorder = EventRecorder()
    search = _Search(SimpleNamespace(warmup_epochs=2), 10.0, recorder, threading.Event(), None)
    try:
        score = Score(Candidate("lite0", "finetune", 10, epochs=15))
        assert score.row().status == "waiting"
        search.finish(score, "auto.status.scored")
        search.finish(score, "auto.status.stopped")
        reason = CandidateSkipped.of("finetune.out_of_memory_smallest_batch", batch=4)
        search.finish(score, "auto.status.skipped", reason=str(reason))
    finally:
        search.clock.close()
    statuses = [row.status for row in recorder.of_type(CandidateFinished)]
    assert statuses == ["scored", "stopped", "skipped (out of memory even with batch size 4)"]
    assert reason.message_id == "finetune.out_of_memory_smallest_batch" and reason.params == {"batch": 4}
    assert message("auto.fold_scheme", k=5, repeats=2) == "5-fold x 2 repeated stratified"
    assert message("auto.fold_scheme_grouped", k=3, repeats=2) == "3-fold x 2 repeated stratified, grouped"
    assert [message(f"auto.refit.{key}") for key in ("all_images", "stopped", "out_of_memory", "final_stopped")] == [
        "all training images", "stopped: the model of the last cross-validation fold, not retrained on all images",
        "out of memory: the model of the last cross-validation fold",
        "stopped before its first epoch: the model of the last cross-validation fold"]


def test_the_cli_prints_the_rows_as_it_did() -> None:
    row = skipped_rows(12.0)[0]
    out = io.StringIO()
    JsonLeaderboard(out)(row)
    line = json.loads(out.getvalue())
    assert set(line) == OLD_ROW_FIELDS | {"event"} and line["status"] == "skipped (needs ~12 s per fold)"
    assert set(english_fields(row)) == OLD_ROW_FIELDS  # config.json's "auto" leaderboard rows
    table = io.StringIO()
    TableLeaderboard(table)(row)
    assert table.getvalue().rstrip().endswith(" s skipped (needs ~12 s per fold)")

