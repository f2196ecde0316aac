"""The offline ImageNet backbone is genuinely pretrained: on a small real-image dataset, fine-tuning it
beats the very same run from random weights by a clear margin."""
from __future__ import annotations

import shutil
from pathlib import Path

from core.jobs.train import run_training
from core.config import TrainConfig
from resources.sample_data import ensure_sample_dataset


def test_imagenet_weights_beat_random_weights(tmp_path: Path) -> None:
    sample = ensure_sample_dataset(tmp_path / "sample")
    small = tmp_path / "small"
    for class_dir in sorted(p for p in sample.iterdir() if p.is_dir()):
        (small / class_dir.name).mkdir(parents=True)
        for image in sorted(class_dir.glob("*.jpg"))[:20]:
            shutil.copy(image, small / class_dir.name / image.name)

    def accuracy(weights: str) -> float:
        config = TrainConfig(data_dir=str(small), backbone="efficientnet_lite0", weights=weights, image_size=96,
                             epochs=3, warmup_epochs=1, batch_size=16, learning_rate=3e-3, val_split=0.3, seed=0)
        return run_training(config).metrics["val_accuracy"]

    pretrained, random = accuracy("imagenet"), accuracy("none")
    # 1.0 vs 0.71. The random run used to score 0.46 only because its never-converged BatchNorm
    # statistics broke the saved model; precise BatchNorm (core/batchnorm.py) made the gap honest.
    assert pretrained >= random + 0.2, (pretrained, random)
