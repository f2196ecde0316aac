"""Two-phase training, cancellation within a batch, divergence and early stopping, on real tiny models."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core.events import BatchEnded, EpochEnded, EventRecorder, PhaseStarted
from core.training.trainer import TrainConfig, TrainingCancelled, TrainingDivergedError, train


def _config(data: Path, weights: Path | str, **overrides) -> TrainConfig:
    settings = dict(data_dir=str(data), backbone="mobilenet_v2_035", weights=str(weights), image_size=64,
                    epochs=3, warmup_epochs=1, batch_size=8, learning_rate=1e-2, val_split=0.25, seed=1)
    settings.update(overrides)
    return TrainConfig(**settings)


def test_two_phases_beat_chance_and_report_every_epoch(color_dataset: Path) -> None:
    events = EventRecorder()  # the real offline ImageNet backbone, at a small size to stay fast
    result = train(_config(color_dataset, "imagenet", backbone="efficientnet_lite0", epochs=4, warmup_epochs=2,
                           learning_rate=1e-2), events)
    phases = events.of_type(PhaseStarted)
    assert [p.name for p in phases] == ["warmup", "finetune"]
    assert phases[1].learning_rate == pytest.approx(phases[0].learning_rate / 10)
    assert phases[1].trainable_params > phases[0].trainable_params
    epochs = events.of_type(EpochEnded)
    assert [e.epoch for e in epochs] == [0, 1, 2, 3] and all(e.val_accuracy is not None for e in epochs)
    assert len(events.of_type(BatchEnded)) == 4 * 4  # 27 training images / batch 8
    assert [row["phase"] for row in result.history] == ["warmup", "warmup", "finetune", "finetune"]
    assert max(e.val_accuracy for e in epochs) >= 0.8  # chance is 1/3


def test_cancel_stops_within_one_batch_and_keeps_the_best_epoch(color_dataset: Path, tiny_weights_file: Path) -> None:
    cancel = threading.Event()
    seen: list = []

    def sink(event) -> None:
        seen.append(event)
        if isinstance(event, BatchEnded) and event.epoch == 1 and event.batch == 0:
            cancel.set()

    result = train(_config(color_dataset, tiny_weights_file, epochs=5), sink, cancel)
    batches = [e for e in seen if isinstance(e, BatchEnded)]
    assert batches[-1].epoch == 1 and batches[-1].batch == 0  # no batch ran after the cancel
    assert result.cancelled and result.best_epoch == 1
    assert [row["epoch"] for row in result.history] == [1]  # the interrupted epoch is not recorded
    assert result.model.predict(result.data.val_images[:2], verbose=0).shape == (2, 3)


def test_cancel_before_the_first_epoch_ends_raises(color_dataset: Path, tiny_weights_file: Path) -> None:
    cancel = threading.Event()

    def sink(event) -> None:
        if isinstance(event, BatchEnded):
            cancel.set()

    with pytest.raises(TrainingCancelled):
        train(_config(color_dataset, tiny_weights_file, epochs=2, warmup_epochs=0), sink, cancel)


def test_nan_loss_stops_with_a_clear_message(color_dataset: Path, tiny_weights_file: Path) -> None:
    with pytest.raises(TrainingDivergedError, match="Lower the learning rate"):
        train(_config(color_dataset, tiny_weights_file, epochs=3, warmup_epochs=0, learning_rate=1e38,
                      freeze=0))


def test_early_stopping_ends_the_run(color_dataset: Path, tiny_weights_file: Path) -> None:
    result = train(_config(color_dataset, tiny_weights_file, epochs=30, warmup_epochs=0,
                           early_stopping_patience=1, learning_rate=0.3))
    assert result.stopped_early and len(result.history) < 30
