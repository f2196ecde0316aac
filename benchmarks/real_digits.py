"""Real handwritten digits as image folders, for the accuracy benchmarks (never for the tests).

Why this data: the benchmarks must measure recipes on real images that the tests do not ship, and
this machine has no internet. scikit-learn ships the UCI handwritten digits (1,797 scans of digits
written by 43 people, 8x8 grey levels 0-16), so every machine that runs the app has them. They are
upscaled (bicubic) to ``size`` pixels and written as RGB PNGs into one folder per class, split by a
seed into disjoint parts (for example 50 per class to train, the rest held out).

    from benchmarks.real_digits import write_digits
    parts = write_digits(tmp / "digits", {"train": 50, "test": 50}, seed=0)
    parts["train"], parts["test"]      # folders with 0/ 1/ ... 9/
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def digit_images(size: int = 28) -> tuple[np.ndarray, np.ndarray]:
    """All 1,797 digits as uint8 RGB arrays of ``size`` x ``size`` pixels, with their labels."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = []
    for grey in digits.images:
        small = Image.fromarray((np.asarray(grey) * (255.0 / 16.0)).clip(0, 255).astype(np.uint8), "L")
        images.append(np.asarray(small.resize((size, size), Image.BICUBIC).convert("RGB")))
    return np.stack(images), np.asarray(digits.target)


def write_digits(root: str | Path, parts: dict[str, int | None], seed: int = 0, size: int = 28) -> dict[str, Path]:
    """Write disjoint parts of the digits as class folders under ``root/<part>/<digit>/``.

    ``parts`` maps a part's name to images per class (``None``: all that are left), taken in order
    from one seeded shuffle of each class, so parts never share an image.
    """
    root = Path(root)
    images, labels = digit_images(size)
    rng = np.random.default_rng(seed)
    folders = {name: root / name for name in parts}
    for digit in range(10):
        indices = rng.permutation(np.flatnonzero(labels == digit))
        start = 0
        for name, count in parts.items():
            chosen = indices[start:] if count is None else indices[start:start + count]
            start += len(chosen)
            folder = folders[name] / str(digit)
            folder.mkdir(parents=True, exist_ok=True)
            for index in chosen:
                Image.fromarray(images[index]).save(folder / f"digit{digit}_{index:04d}.png")
    return folders
