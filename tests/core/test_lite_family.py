"""EfficientNet-Lite1 and Lite2: converted ImageNet weights classify real photos, and the Keras models
reproduce an independent numpy forward pass of the PyTorch checkpoints within float32 rounding.

The stored logits (lite_reference_logits.npz) come from tests/core/lite_reference.py, which runs the
checkpoint's raw tensors in float64 without any of the Keras code; Lite0 is checked against the
same reference, as a check of the reference itself on the backbone already known to be right.
"""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

from core.backbones import BACKBONES, efficientnet_lite, get_backbone, lite_weights
from core.backbones.catalog import list_backbones
from core.backbones.imagenet import imagenet_class_names
from core.backbones.torch_pickle import load_torch_state_dict
from tests.core import lite_reference

NEW = ("lite1", "lite2")
# What each reference photo shows, as ImageNet classes: top-5 must contain one of them.
EXPECTED = {
    "chelsea": {281, 282, 283, 284, 285, 286, 287},  # tabby, tiger cat, Persian, Siamese, Egyptian, cougar, lynx
    "coffee": {967, 968, 504},  # espresso, cup, coffee mug
    "rocket": {657, 744, 812},  # missile, projectile, space shuttle
}
# Float32 rounding through ~20 blocks: measured at most 7e-6 on logits of magnitude ~10 (relative
# 1e-6); a wrong padding, stride or transposed kernel moves logits by 0.1 or more.
LOGIT_ATOL = 1e-4


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A private weights cache for this module, counting the conversions that really run."""
    calls = []
    original = lite_weights._convert_to_cache

    def counting(folder, name="lite0"):
        calls.append(efficientnet_lite.variant(name).name)
        return original(folder, name)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FTS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.setattr(lite_weights, "_convert_to_cache", counting)
        yield calls


@pytest.fixture(scope="module")
def logit_models(cache):
    """Each Lite size with its ImageNet head and no softmax: the logits themselves."""
    build = {"lite0": efficientnet_lite.EfficientNetLite0, "lite1": efficientnet_lite.EfficientNetLite1,
             "lite2": efficientnet_lite.EfficientNetLite2}
    return {name: fn(classifier_activation=None) for name, fn in build.items()}


@pytest.fixture(scope="module")
def logits(logit_models):
    """Keras logits for every (size, photo), all photos of one size in one batch."""
    out = {}
    for name, model in logit_models.items():
        size = efficientnet_lite.VARIANTS[name].size
        batch = np.concatenate([lite_reference.reference_input(p, size) for p in lite_reference.PHOTOS])
        for photo, row in zip(lite_reference.PHOTOS, model.predict(batch, verbose=0)):
            out[f"{name}/{photo}"] = row
    return out


@pytest.fixture(scope="module")
def stored():
    with np.load(lite_reference.LOGITS_FILE) as data:
        return dict(data)


@pytest.mark.parametrize("name", NEW)
def test_real_photos_are_recognised(logits, name):
    names = imagenet_class_names()
    for photo, expected in EXPECTED.items():
        row = logits[f"{name}/{photo}"]
        top5 = [int(i) for i in np.argsort(row)[::-1][:5]]
        assert expected & set(top5), (photo, [names[i] for i in top5])
    chelsea = _softmax(logits[f"{name}/chelsea"])
    assert int(chelsea.argmax()) in EXPECTED["chelsea"] and chelsea.max() > 0.5
    assert sum(chelsea[i] for i in EXPECTED["chelsea"]) > 0.8  # measured 0.87-0.90
    coffee = _softmax(logits[f"{name}/coffee"])
    assert int(coffee.argmax()) == 967 and coffee[967] > 0.5


@pytest.mark.parametrize("name", ["lite0", *NEW])
def test_logits_match_the_stored_reference(logits, stored, name):
    for photo in lite_reference.PHOTOS:
        ours, reference = logits[f"{name}/{photo}"], stored[f"{name}/{photo}"]
        assert float(np.abs(ours - reference).max()) <= LOGIT_ATOL, (name, photo)
        assert list(np.argsort(ours)[::-1][:5]) == list(np.argsort(reference)[::-1][:5])


@pytest.mark.parametrize("name", NEW)
def test_stored_reference_is_the_numpy_forward_pass_of_the_checkpoint(stored, name):
    """The stored numbers are what the independent reference computes now (not a copy of Keras')."""
    state = load_torch_state_dict(efficientnet_lite.torch_weights_path(name))
    size = efficientnet_lite.VARIANTS[name].size
    again = lite_reference.logits(state, lite_reference.reference_input("chelsea", size))[0]
    np.testing.assert_allclose(again, stored[f"{name}/chelsea"], rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", NEW)
def test_layout_follows_the_lite_scaling_rules(logit_models, name):
    """First and last stages keep one block, the others scale with depth (rounded up); Lite2's widths
    round to multiples of 8 as TensorFlow's round_filters does; stem and head stay 32 and 1280."""
    model = logit_models[name]
    names = {layer.name for layer in model.layers}
    blocks = {n.split("_")[0] for n in names if n.startswith("block")}
    per_stage = [sum(b.startswith(f"block{s}") for b in blocks) for s in range(1, 8)]
    assert per_stage == [1, 3, 3, 4, 4, 5, 1]
    size = efficientnet_lite.VARIANTS[name].size
    assert model.input.shape[1:] == (size, size, 3)
    widths = [model.get_layer(f"block{s}a_project_conv").filters for s in range(1, 8)]
    assert widths == ([16, 24, 40, 80, 112, 192, 320] if name == "lite1" else [16, 24, 48, 88, 120, 208, 352])
    assert model.get_layer("stem_conv").filters == 32 and model.get_layer("top_conv").filters == 1280
    assert model.get_layer("top_dropout").rate == efficientnet_lite.VARIANTS[name].dropout


@pytest.mark.parametrize("name", NEW)
def test_every_tensor_used_exactly_once(logit_models, name):
    state = load_torch_state_dict(efficientnet_lite.torch_weights_path(name))
    model = logit_models[name]
    mapped = lite_weights.torch_to_keras_weights(state, model, name)
    assert set(mapped) == {layer.name for layer in model.layers if layer.weights}
    n_tracked = sum(1 for k in state if k.endswith("num_batches_tracked"))
    assert sum(v.size for values in mapped.values() for v in values) + n_tracked == sum(v.size for v in state.values())
    with pytest.raises(lite_weights.WeightMappingError):  # another size's checkpoint never half-loads
        lite_weights.torch_to_keras_weights(state, logit_models["lite0"], "lite0")


def test_each_size_converts_once_into_its_own_files(logit_models, cache):
    folder = lite_weights.imagenet_weights_path(True, "lite1").parent
    expected = {name for v in efficientnet_lite.VARIANTS.values() for name in (v.top_file, v.notop_file)}
    assert {p.name for p in folder.iterdir()} == expected  # no temp files, Lite0's names unchanged
    notop = efficientnet_lite.EfficientNetLite2(include_top=False, input_shape=(96, 96, 3), pooling="avg")
    assert notop.output.shape == (None, 1280)
    np.testing.assert_array_equal(notop.get_layer("top_conv").get_weights()[0],
                                  logit_models["lite2"].get_layer("top_conv").get_weights()[0])
    assert sorted(cache) == ["lite0", "lite1", "lite2"]


def test_registry_catalog_and_freeze_points(logit_models):
    """Registered like Lite0: offline weights, their own input size, one freeze point per block,
    and a pretrained model builds through the same path training uses."""
    from core.backbones import block_boundaries
    from core.training.model import build_model, layer_table

    catalog = {info.id: info for info in list_backbones()}
    for name, size in (("lite1", 240), ("lite2", 260)):
        backbone_id = f"efficientnet_{name}"
        assert backbone_id in BACKBONES and get_backbone(backbone_id).preprocess == "lite"
        assert catalog[backbone_id].weights == "offline" and catalog[backbone_id].input_size == size
        names = [layer.name for layer in logit_models[name].layers]
        boundaries = block_boundaries(get_backbone(backbone_id), names)
        assert len(boundaries) == 21  # one freeze point per block
        assert [b.stage for b in boundaries if b.stage_end] == [f"block{s}" for s in range(1, 8)]
        assert boundaries[-1].layer_name == "block7a_project_bn"
    table = layer_table("efficientnet_lite2", 64)  # what the freeze slider reads
    assert [b.layer_name for b in table.boundaries] == [b.layer_name for b in boundaries]
    assert table.feature_dim == 1280
    model = build_model("efficientnet_lite2", 3, weights="imagenet", input_size=64, dropout=0.0)
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 64, 64, 3)).astype(np.float32)
    assert model.predict(pixels, verbose=0).shape == (2, 3)
    np.testing.assert_array_equal(  # the backbone inside carries the converted ImageNet weights
        _backbone_weight(model, "block6e_dwconv"), logit_models["lite2"].get_layer("block6e_dwconv").get_weights()[0])


def _backbone_weight(model, layer_name):
    from core.training.model import get_backbone_layer

    return get_backbone_layer(model).get_layer(layer_name).get_weights()[0]


def _softmax(row: np.ndarray) -> np.ndarray:
    e = np.exp(row - row.max())
    return e / e.sum()
