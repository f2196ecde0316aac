"""Auto (core/auto/): the budget holds, Stop keeps the best so far, out-of-memory candidates are
retried or skipped, the leaderboard arrives as events, cross-validation reads only the training
images, and the result saves as an ordinary bundle that predicts. Real tiny Keras models."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import write_color_dataset

BUDGET_S = 40.0  # enough for the tiny network's embeddings and a few short fine-tuning folds


def _config(data: Path, weights: Path, val_dir: Path | None = None):
    from core.training.trainer import TrainConfig

    return TrainConfig(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(weights), image_size=64,
                       batch_size=16, val_dir=str(val_dir) if val_dir else None, seed=0)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("auto")
    return {"train": write_color_dataset(root / "train", per_class=10, seed=1),
            "held_out": write_color_dataset(root / "held_out", per_class=6, seed=2)}


@pytest.fixture(scope="module")
def searched(folders: dict[str, Path], tiny_weights_file: Path) -> dict:
    """One real search with a 20 s budget, watched: every file the trainer and the feature pass saw."""
    from core.auto import search as auto
    from core.jobs.train import validation_metrics
    from core.events import EventRecorder
    from core.training import trainer

    seen: list[str] = []
    real_train, real_features = trainer.train, auto.layer_features

    def spy_train(config, sink, cancel, data, **kwargs):
        seen.extend(str(p) for p in (*data.train.files, *data.val.files))
        return real_train(config, sink, cancel, data=data, **kwargs)

    def spy_features(backbone, weights, size, layers, images, *args):
        seen.append(f"{len(images)} feature rows")
        return real_features(backbone, weights, size, layers, images, *args)

    recorder = EventRecorder()
    patch = pytest.MonkeyPatch()
    patch.setattr(auto, "MAX_EPOCHS", 2)  # short folds, so fine-tuning candidates run within the budget
    patch.setattr(trainer, "train", spy_train)
    patch.setattr(auto, "layer_features", spy_features)
    try:
        started = time.perf_counter()
        found = auto.run_auto(_config(folders["train"], tiny_weights_file, folders["held_out"]), BUDGET_S, recorder)
        elapsed = time.perf_counter() - started
    finally:
        patch.undo()
    found.result.metrics = validation_metrics(found.result)
    return {"found": found, "elapsed": elapsed, "events": recorder, "seen": seen}


def test_budget_holds_and_leaderboard_arrives(searched: dict) -> None:
    from core.events import CandidateFinished

    assert searched["elapsed"] <= BUDGET_S * 1.1
    rows = searched["events"].of_type(CandidateFinished)
    scored = [r for r in rows if r.status == "scored"]
    assert len(scored) >= 8  # 4 layers x (2 logistic regressions + 2 SVMs) at least
    assert all(0 <= r.cv_low <= r.cv_accuracy <= r.cv_high <= 1 and r.folds >= 1 for r in scored)
    found = searched["found"]
    board = found.leaderboard
    assert board[0].cv_accuracy == max(r.cv_accuracy for r in board if r.cv_accuracy is not None)
    assert found.chosen.method in ("logreg", "svm", "finetune") and found.chosen.freeze == board[0].settings["layer"]
    assert found.result.metrics["val_accuracy"] >= 0.6  # random tiny network, separable colours; chance is 1/3
    finetuned = [r for r in rows if r.settings["method"] == "finetune"]
    assert finetuned and all(r.status == "scored" or r.status.startswith("skipped (needs") for r in finetuned)


def test_cross_validation_reads_training_images_only(searched: dict, folders: dict[str, Path],
                                                      tiny_weights_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.auto.candidates import Candidate, Score
    from core.auto.finetune import run_fold
    from core.auto.folds import cv_folds
    from core.training import trainer

    held_out = {str(p) for p in folders["held_out"].rglob("*.png")}
    train = {str(p) for p in folders["train"].rglob("*.png")}
    # the search's feature pass saw exactly the training images (and whatever folds it had time for)
    files = [s for s in searched["seen"] if not s.endswith("feature rows")]
    assert set(files) <= train and not set(files) & held_out
    assert set(s for s in searched["seen"] if s.endswith("feature rows")) == {f"{len(train)} feature rows"}
    # a fine-tuning fold, run for real: fits and validates on training images only, disjoint parts
    config = _config(folders["train"], tiny_weights_file, folders["held_out"])
    data = trainer.prepare_data(config)
    assert {str(p) for p in data.val.files} == held_out  # the split the final numbers are reported on
    folds = cv_folds(np.asarray(data.train.labels), None, k=3, repeats=1, seed=0)
    seen: list[tuple[set, set]] = []
    real_train = trainer.train

    def spy(config, sink, cancel, data, **kwargs):
        seen.append(({str(p) for p in data.train.files}, {str(p) for p in data.val.files}))
        return real_train(config, sink, cancel, data=data, **kwargs)

    monkeypatch.setattr(trainer, "train", spy)
    score = Score(Candidate("mobilenet_v2_035", "finetune", 143, learning_rate=1e-3, epochs=2))
    run_fold(config, score, data, folds[0], lambda event: None, threading.Event())
    (fit, scored), = seen
    assert fit | scored <= train and not (fit | scored) & held_out and not fit & scored
    assert score.folds == 1 and 0 <= score.fold_accuracies[0] <= 1 and score.chosen_epochs in (1, 2)


def test_result_saves_as_an_ordinary_bundle_that_predicts(searched: dict, tmp_path: Path,
                                                          folders: dict[str, Path]) -> None:
    from core.bundles.bundle import load_bundle
    from core.jobs.train import save_training_result
    from core.bundles.predict import Predictor

    written = save_training_result(searched["found"].result, tmp_path / "model")
    config = json.loads((written / "config.json").read_text())
    assert config["auto"]["chosen_by"] == "auto" and config["auto"]["leaderboard"]
    assert config["train"]["method"] == searched["found"].chosen.method
    predictor = Predictor.from_bundle(load_bundle(written))
    image = next((folders["held_out"] / "red").glob("*.png"))
    assert predictor.top_k([image], k=1)[0].top[0].label == "red"


def test_stop_returns_the_best_so_far(folders: dict[str, Path], tiny_weights_file: Path) -> None:
    from core.auto.search import run_auto
    from core.events import CandidateFinished

    cancel = threading.Event()
    rows: list = []

    def sink(event) -> None:
        if isinstance(event, CandidateFinished):
            rows.append(event)
            cancel.set()  # Stop as soon as the first candidate is on the board

    started = time.perf_counter()
    found = run_auto(_config(folders["train"], tiny_weights_file), 60.0, sink, cancel)
    assert time.perf_counter() - started < 30 and found.cancelled
    assert found.result.model is not None and found.record["cancelled"]
    assert found.record["cv_accuracy"] == max(r.cv_accuracy for r in rows if r.cv_accuracy is not None)


def test_out_of_memory_is_retried_with_a_smaller_batch(folders: dict[str, Path], tiny_weights_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import tensorflow as tf

    from core.auto.candidates import Candidate, Score
    from core.auto.finetune import run_fold
    from core.auto.folds import cv_folds
    from core.events import EventRecorder
    from core.training import trainer

    config = _config(folders["train"], tiny_weights_file)
    data = trainer.prepare_data(config)
    batches: list[int] = []
    real_train = trainer.train

    def once_out_of_memory(config, *args, **kwargs):
        batches.append(config.batch_size)
        if len(batches) == 1:
            raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")
        return real_train(config, *args, **kwargs)

    monkeypatch.setattr(trainer, "train", once_out_of_memory)
    recorder = EventRecorder()
    score = Score(Candidate("mobilenet_v2_035", "finetune", 143, learning_rate=1e-3, epochs=1))
    run_fold(config, score, data, cv_folds(np.asarray(data.train.labels), k=3, repeats=1)[0], recorder,
             threading.Event())
    assert batches == [16, 8] and score.folds == 1
    assert "ran out of memory with batch size 16; retrying with 8" in recorder.events[0].text


def test_out_of_memory_everywhere_skips_the_candidate(folders: dict[str, Path], tiny_weights_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import tensorflow as tf

    from core.auto import search
    from core.events import CandidateFinished, EventRecorder
    from core.training import trainer

    batches: list[int] = []

    def out_of_memory(config, *args, **kwargs):
        batches.append(config.batch_size)
        raise tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor")

    monkeypatch.setattr(trainer, "train", out_of_memory)
    monkeypatch.setattr(search, "MAX_EPOCHS", 1)
    recorder = EventRecorder()
    found = search.run_auto(_config(folders["train"], tiny_weights_file), 90.0, recorder)  # time is not the limit
    assert batches[:3] == [16, 8, 4]  # halved down to the smallest batch, then skipped
    skipped = [r for r in recorder.of_type(CandidateFinished) if r.status.startswith("skipped (out of memory")]
    assert skipped and found.chosen.method in ("logreg", "svm")  # the search went on without them
    logs = " ".join(e.text for e in recorder.events if hasattr(e, "text"))
    assert "ran out of memory with batch size 16; retrying with 8" in logs


def test_fine_tuning_candidates_get_the_learning_rate_finders_rate(folders: dict[str, Path],
                                                                    tiny_weights_file: Path) -> None:
    from core.auto.search import _Search
    from core.events import EventRecorder

    recorder = EventRecorder()
    search = _Search(_config(folders["train"], tiny_weights_file), 300.0, recorder, None, None)  # 15 %: 45 s
    try:
        rate = search.learning_rate("mobilenet_v2_035", 143)
    finally:
        search.clock.close()
    assert 1e-4 <= rate <= 1e-2
    assert any("learning-rate finder suggests" in getattr(e, "text", "") for e in recorder.events), recorder.events


def test_a_fold_that_overruns_is_stopped_by_the_clock(folders: dict[str, Path], tiny_weights_file: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost model is only advice: a fold it badly underestimates is ended by the clock's stop
    token (within a batch) and dropped, and the search still finishes within the budget + 10 %."""
    from core.auto import finetune, search
    from core.events import BatchEnded, CandidateFinished, EventRecorder, PhaseStarted
    from core.training import trainer

    budget = 45.0
    # a fold that would run for minutes (500 epochs of a tiny model on cached features could end within
    # the seconds it trains here on a quiet machine, and a finished fold rightly counts; a million would
    # take 15 s just to lay out the epochs' shuffled orders before its last phase) ...
    monkeypatch.setattr(search, "MAX_EPOCHS", 10_000)
    monkeypatch.setattr(finetune, "PATIENCE", 0)  # (no early stopping to end it sooner)
    monkeypatch.setattr(search._Search, "modelled_fold", lambda self, score: 0.5)  # ... believed to take 0.5 s
    searches: list = []
    batches: list[float] = []  # the clock's time at the end of each batch of the last phase
    stop_at: list[float] = []

    def learning_rate(self, backbone: str, layer: int) -> float:
        searches.append(self)
        return 1e-3

    def train(config, sink, cancel, data, **kwargs):
        phases: list[str] = []

        def watch(event) -> None:
            phases.extend([event.name] if isinstance(event, PhaseStarted) else [])
            if isinstance(event, BatchEnded) and phases[-1] == "finetune":
                clock = searches[0].clock
                batches.append(clock.elapsed())
                if len(batches) == 1:  # training, past every start-up: the clock moves on to 2 s before
                    # the stop (as if the fold had trained that long; the test need not wait for it)
                    stop_at.append(clock.budget_s * 0.98 - searches[0].refit_estimate(searches[0].best()))
                    clock._started -= max(stop_at[0] - 2.0 - clock.elapsed(), 0.0)
            sink(event)
        return real_train(config, watch, cancel, data=data, **kwargs)

    real_train = trainer.train
    monkeypatch.setattr(search._Search, "learning_rate", learning_rate)
    monkeypatch.setattr(trainer, "train", train)
    recorder = EventRecorder()
    found = search.run_auto(_config(folders["train"], tiny_weights_file), budget, recorder)
    assert found.elapsed_s <= budget * 1.1
    assert stop_at and stop_at[0] - 1.0 <= batches[-1] <= stop_at[0] + 2.0  # it trained until the stop, no longer
    finetuned = [r for r in recorder.of_type(CandidateFinished) if r.settings["method"] == "finetune"]
    assert finetuned and all(r.folds == 0 for r in finetuned)  # the stopped fold counts nowhere
    assert found.chosen.method in ("logreg", "svm") and found.result.model is not None


def test_folds_keep_groups_together_and_stratify() -> None:
    from core.auto.folds import cv_folds

    labels = np.repeat([0, 1, 2], 20)
    groups = [f"slide{i // 4}" for i in range(60)]  # 15 slides of 4 images, each slide one class
    folds = cv_folds(labels, groups, k=5, repeats=2, seed=0)
    assert len(folds) == 10
    for fit, score in folds:
        assert not {groups[i] for i in fit} & {groups[i] for i in score}
        assert set(labels[score]) == {0, 1, 2}
    for repeat in (folds[:5], folds[5:]):  # each repeat scores every image exactly once
        assert sorted(np.concatenate([score for _, score in repeat]).tolist()) == list(range(60))
    assert cv_folds([0, 0, 1], None) == []  # a class with one image: no cross-validation


def test_a_fold_is_not_started_when_its_start_up_would_outlast_the_clock(
        folders: dict[str, Path], tiny_weights_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fold's start (building the model, tracing its steps) cannot be stopped: on a busy machine
    it takes seconds after the clock's stop that the budget does not have. Simulated here: every
    fold's model build takes 10 s more. Once a fold has shown that, a fold is not started when its
    start-up could not end before the clock stops it, whatever the cost model says (0.5 s here)."""
    from core.auto import search
    from core.events import CandidateFinished, EventRecorder
    from core.training import trainer

    budget, slow_start, gap = 50.0, 10.0, 1.0  # the budget leaves a busy machine time for the first fold
    monkeypatch.setattr(search, "MAX_EPOCHS", 1)  # short folds: the first one finishes and is timed
    monkeypatch.setattr(search._Search, "estimate_fold", lambda self, score: 0.5)  # the cost model: wrong
    monkeypatch.setattr(search._Search, "learning_rate", lambda self, backbone, layer: 1e-3)
    builds: list[float] = []
    real_build, real_finish = trainer.build_model, search._Search.finish

    def slow_build(*args, **kwargs):
        builds.append(time.perf_counter())
        time.sleep(slow_start)
        return real_build(*args, **kwargs)

    def finish(self, score, status_id: str, /, **params) -> None:
        """After the first fold, move the search's clock on to ``gap`` s before the stop (as if a
        busy machine had used that time: the test need not wait for it)."""
        real_finish(self, score, status_id, **params)
        if score.candidate.method == "finetune" and status_id == "auto.status.scored" and len(builds) == 1:
            stop_at = self.clock.budget_s * 0.98 - self.refit_estimate(self.best())
            self.clock._started -= max(stop_at - gap - self.clock.elapsed(), 0.0)

    monkeypatch.setattr(trainer, "build_model", slow_build)
    monkeypatch.setattr(search._Search, "finish", finish)
    recorder = EventRecorder()
    found = search.run_auto(_config(folders["train"], tiny_weights_file), budget, recorder)
    rows = recorder.of_type(CandidateFinished)
    finetuned = {r.name: r for r in rows if r.settings["method"] == "finetune"}  # each candidate's last row
    assert sum(r.folds for r in finetuned.values()) == 1, rows  # the first fold ran and was timed ...
    assert len(builds) == 1, "a fold was started that could not get past its start-up before the stop"
    assert all(r.status.startswith("skipped (needs") for r in finetuned.values() if not r.folds)  # ... no other
    assert found.elapsed_s <= budget * 1.1 and found.result.model is not None


def test_a_folds_start_up_is_the_longest_timed_else_a_prior_from_the_embeddings_stage() -> None:
    from dataclasses import replace

    from core.auto.candidates import Candidate, Score
    from core.auto.startup import MARGIN, expected_startup, fold_phases, prior_startup
    from core.training.trainer import TrainConfig, plan_phases

    plain, augmented = (Candidate("b", "finetune", 100, augment=a, epochs=15) for a in (False, True))
    prior = prior_startup(plain, 2.0, 1.0, 2)
    assert expected_startup(plain, [], 2.0, 1.0, 2) == prior < prior_startup(augmented, 2.0, 1.0, 2)
    assert prior_startup(plain, 4.0, 1.0, 2) > prior  # a slower build (a busier machine): a longer prior
    timed = [Score(plain, fold_startups=[3.0, 5.0]), Score(replace(plain, backbone="other"), fold_startups=[99.0])]
    assert expected_startup(plain, timed, 2.0, 1.0, 2) == MARGIN * 5.0  # timed on this backbone: replaces the prior
    slow = [Score(plain, fold_startups=[60.0])]  # the machine is slower than the prior thinks
    assert expected_startup(augmented, slow, 2.0, 1.0, 2) == MARGIN * 60.0
    for epochs, warmup in ((15, 2), (2, 2), (1, 2), (5, 0)):  # the phases are the trainer's
        config = TrainConfig(data_dir=".", epochs=epochs, warmup_epochs=min(warmup, epochs))
        phases = plan_phases(config, True, 150, 100)
        assert fold_phases(replace(plain, epochs=epochs), warmup) == (len(phases), phases[-1].first_epoch)
