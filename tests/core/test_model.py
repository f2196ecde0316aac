"""Block boundaries, freezing, preprocessing parity and BatchNorm behaviour of the built model."""
from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from core.backbones import BACKBONES, block_boundaries, get_backbone
from core.training.model import (build_backbone, build_model, freeze_to, get_backbone_layer, keras, layer_table,
                        preprocessing_layers)


def test_resnet50_stage_boundaries_and_the_four_stage_cut() -> None:
    table = layer_table("resnet50")
    stage_ends = [b.layer_name for b in table.boundaries if b.stage_end]
    assert stage_ends == ["conv2_block3_out", "conv3_block4_out", "conv4_block6_out", "conv5_block3_out"]
    model = build_model("resnet50", 3, weights=None, input_size=64)
    info = freeze_to(model, "conv4")  # the seed's example, one call: first four stages (conv1..conv4) frozen
    assert info.cut_layer == "conv4_block6_out"
    layers = get_backbone_layer(model).layers
    assert info.frozen_layers == [l.name for l in layers].index("conv4_block6_out") + 1
    assert not any(l.trainable for l in layers[: info.frozen_layers])
    assert all(l.trainable for l in layers[info.frozen_layers:] if not isinstance(l, keras.layers.BatchNormalization))
    assert not any(l.trainable for l in layers if isinstance(l, keras.layers.BatchNormalization))
    assert info.trainable_params == sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert table.freeze_info(info.frozen_layers, head_params=3 * 2048 + 3).trainable_params == info.trainable_params


def test_mobilenet_v2_blocks_follow_add_or_project_layers() -> None:
    names = [l.name for l in build_backbone(get_backbone("mobilenet_v2_035"), None, 64).layers]
    boundaries = block_boundaries(get_backbone("mobilenet_v2_035"), names)
    assert [b.layer_name for b in boundaries[:4]] == ["expanded_conv_project_BN", "block_1_project_BN",
                                                       "block_2_add", "block_3_project_BN"]
    assert boundaries[-1].layer_name == "block_16_project_BN"
    assert all(names[b.n_layers - 1] == b.layer_name for b in boundaries)


@pytest.mark.parametrize("backbone_id", ["vgg16", "resnet50", "inception_v3", "densenet121", "mobilenet_v2",
                                         "efficientnet_lite0"])
def test_preprocessing_layers_match_keras_preprocess_input(backbone_id: str) -> None:
    spec = get_backbone(backbone_id)
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 5, 5, 3)).astype(np.float32)
    x = keras.ops.convert_to_tensor(pixels)
    for layer in preprocessing_layers(spec.preprocess):
        x = layer(x)
    ours = keras.ops.convert_to_numpy(x)
    if spec.preprocess_module:
        expected = importlib.import_module(spec.preprocess_module).preprocess_input(pixels.copy())
    else:
        expected = (pixels - 127.0) / 128.0
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-4)


def test_registry_descriptions_and_ids() -> None:
    assert {"vgg16", "resnet50", "inception_v3", "mobilenet", "mobilenet_v2", "mobilenet_v3_small",
            "mobilenet_v3_large", "efficientnet_b0", "efficientnet_v2_b0", "densenet121", "xception",
            "resnet50_v2", "convnext_tiny", "efficientnet_lite0"} <= set(BACKBONES)
    for spec in BACKBONES.values():
        assert spec.id.islower() and " " not in spec.id
        assert "M parameters" in spec.description and f"{spec.input_size} px" in spec.description


def test_from_scratch_freezes_nothing_and_trains_batchnorm() -> None:
    model = build_model("mobilenet_v2_035", 3, weights=None, input_size=64)
    layers = get_backbone_layer(model).layers
    assert all(l.trainable for l in layers)


def test_pretrained_default_leaves_only_the_last_block_trainable(tiny_weights_file: Path) -> None:
    model = build_model("mobilenet_v2_035", 3, weights=str(tiny_weights_file), input_size=64)
    layers = get_backbone_layer(model).layers
    names = [l.name for l in layers]
    first_trainable = next(i for i, l in enumerate(layers) if l.trainable)
    assert names[first_trainable - 1] == "block_15_add"  # end of the second-to-last block
    assert not any(l.trainable for l in layers if isinstance(l, keras.layers.BatchNormalization))


def test_batchnorm_statistics_survive_fine_tuning(tiny_weights_file: Path) -> None:
    model = build_model("mobilenet_v2_035", 2, weights=str(tiny_weights_file), input_size=64)
    freeze_to(model, 0, pretrained=True)  # everything trainable except BatchNorm
    bn_layers = [l for l in get_backbone_layer(model).layers if isinstance(l, keras.layers.BatchNormalization)]
    before = [np.array(v.numpy()) for l in bn_layers for v in l.weights]
    conv_before = np.array(get_backbone_layer(model).get_layer("Conv1").kernel.numpy())
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.uniform(0, 255, (16, 64, 64, 3)), rng.integers(0, 2, 16), epochs=1, batch_size=8, verbose=0)
    after = [np.array(v.numpy()) for l in bn_layers for v in l.weights]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
    assert not np.array_equal(conv_before, get_backbone_layer(model).get_layer("Conv1").kernel.numpy())


def test_pretrained_backbone_is_deterministic_even_inside_fit() -> None:
    """Keras 3 passes fit's training=True into nested models; the frozen backbone must still run in
    inference mode (BatchNorm statistics and no drop-connect), or cached features would be wrong."""
    model = build_model("efficientnet_lite0", 2, weights="imagenet", input_size=64, dropout=0.0)
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 64, 64, 3)).astype(np.float32)
    training = keras.ops.convert_to_numpy(model(pixels, training=True))
    inference = keras.ops.convert_to_numpy(model(pixels, training=False))
    np.testing.assert_allclose(training, inference, rtol=1e-5, atol=1e-6)
