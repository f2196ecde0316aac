"""The one freeze resolver (core/backbones/freeze.py): "none given", a count (negative from the end),
a layer name or a stage -> a count, the same for every use; and the door refuses a bad freeze point
on the backbone's cached layer table before any image is read."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.backbones import get_backbone
from core.backbones.freeze import freeze_count, resolve_freeze_point

ROOT = Path(__file__).resolve().parents[2]
# A ResNet-like table: stages conv2 and conv3 of two blocks each (names only: no TensorFlow needed).
NAMES = ["input", "stem", "conv2_block1_out", "x", "conv2_block2_out", "y", "conv3_block1_out", "z",
         "conv3_block2_out", "top"]
SPEC = get_backbone("resnet50")


def test_a_count_a_negative_count_a_layer_and_a_stage() -> None:
    assert resolve_freeze_point(NAMES, SPEC, 3) == 3
    assert resolve_freeze_point(NAMES, SPEC, 0) == 0 and resolve_freeze_point(NAMES, SPEC, len(NAMES)) == len(NAMES)
    assert resolve_freeze_point(NAMES, SPEC, -1) == len(NAMES) - 1  # fastai's freeze_to(-1): all but the last
    assert resolve_freeze_point(NAMES, SPEC, -len(NAMES)) == 0
    assert resolve_freeze_point(NAMES, SPEC, "stem") == 2  # frozen through the named layer
    assert resolve_freeze_point(NAMES, SPEC, "conv2") == 5  # through the stage's last block
    for wrong in (len(NAMES) + 1, -len(NAMES) - 1):
        with pytest.raises(ValueError, match="freeze point must be between"):
            resolve_freeze_point(NAMES, SPEC, wrong)
    with pytest.raises(ValueError, match="neither a layer nor a stage"):
        resolve_freeze_point(NAMES, SPEC, "conv9")


def test_none_given_means_each_use_s_default() -> None:
    assert freeze_count(None, NAMES, SPEC, pretrained=True) == 7  # up to the last block (end of the one before)
    assert freeze_count(None, NAMES, SPEC, pretrained=False) == 0  # from scratch: everything trains
    assert freeze_count(None, NAMES, SPEC, purpose="embeddings") == len(NAMES)  # the pooled output
    assert freeze_count(None, NAMES, SPEC, pretrained=True, purpose="lr_find") == len(NAMES)  # the head alone
    assert freeze_count(None, NAMES, SPEC, pretrained=False, purpose="lr_find") == 0
    assert freeze_count(-2, NAMES, SPEC, purpose="embeddings") == len(NAMES) - 2  # a given point is the same for all


def test_the_resolver_imports_no_tensorflow() -> None:
    code = "import sys, core.backbones.freeze; assert 'tensorflow' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=120).returncode == 0


def test_a_bad_freeze_point_is_refused_before_any_image_is_read(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from core.config import TrainConfig
    from core.jobs import train
    from core.training import trainer

    def no_images(*args, **kwargs):
        raise AssertionError("images were read before the freeze point was checked")

    monkeypatch.setattr(trainer, "prepare_data", no_images)
    monkeypatch.setattr(trainer, "scan_folder", no_images)
    config = TrainConfig(data_dir=str(tmp_path / "not there"), backbone="mobilenet_v2_035", weights=None,
                         image_size=64, freeze="no_such_layer")
    with pytest.raises(ValueError, match="neither a layer nor a stage"):
        train.run_training(config, record=False)
    with pytest.raises(ValueError, match="freeze point must be between"):
        train.run_training(TrainConfig(**{**config.to_json(), "augment": config.augment, "freeze": 10_000}),
                           record=False)
